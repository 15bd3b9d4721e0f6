"""The built-in 嵊州 catalogue is a faithful transcription of Annex 1 and Annex 2."""

from __future__ import annotations

import re

import pytest

from ecodesk.catalogue import name_fingerprint

from .conftest import SEEDS

SOURCE = SEEDS / "000_d8d920d3a556d624.txt"


def _annex_text() -> str:
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("附件1\n\n(略) 国家生态文明建设示范区创建指标责任分解表")
    end = text.index("各乡镇(街道)、部门(单位):", start)
    return text[start:end]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_counts(builtin):
    assert len(builtin.indicators) == 31  # measurable rows
    assert len(builtin.numbers()) == 25
    assert [i.number for i in builtin.indicators if i.reference] == ["20", "21", "22", "23", "24", "25"]
    assert all(not i.domain and not i.task for i in builtin.indicators if i.reference)
    groups = {i.number: i.group for i in builtin.indicators if i.group}
    assert groups == {"5": "水环境质量", "6": "区域生态保护监管", "7": "生态系统保护修复"}
    assert [sum(1 for i in builtin.indicators if i.number == n) for n in ("5", "6", "7")] == [4, 3, 2]
    assert len(builtin.tasks) == 22
    assert len({t.action_group for t in builtin.tasks}) == 8


def test_every_indicator_is_in_the_source_table(builtin):
    annex = _squash(_annex_text())
    for ind in builtin.indicators:
        name = _squash(ind.name).replace("(略)", "")
        assert name in annex, ind.name
        assert _squash(ind.target_text).replace("(略)", "") in annex.replace("(略)", ""), ind.target_text


def test_applicability_marks_follow_the_source(builtin):
    marked = {i.name for i in builtin.indicators if i.applicability_mark}
    assert marked == {
        "较大面积农村黑臭水体整治率",
        "森林覆盖率",
        "草原综合植被盖度",
        "受污染耕地安全利用率",
        "农田灌溉水有效利用系数",
    }


@pytest.mark.parametrize(
    ("name", "lead", "co", "text"),
    [
        (
            "PM2.5浓度",
            ["生态环境分局"],
            ["经信局", "发改局", "交通运输局", "商务局", "住建局"],
            "生态环境分局*、经信局、发改局、交通运输局、商务局、住建局",
        ),
        ("县城污水处理率", ["住建局"], ["水投集团"], "住建局*、水投集团"),
        ("生态文明建设工作占党政实绩考核的比例", ["组织部"], [], "组织部(考核办)"),
        ("危险废物填埋处置量占比", ["生态环境分局"], ["卫健局"], "生态环境分局*、卫健局"),
        ("外来物种入侵防控", ["自然资源局"], ["农业农村局"], "自然资源局*、农业农村局"),
    ],
)
def test_responsibility(builtin, name, lead, co, text):
    ind = next(i for i in builtin.indicators if i.name == name)
    assert ind.lead == lead
    assert ind.co == co
    assert ind.departments_text() == text


def test_tasks_match_annex2(builtin):
    annex = _squash(_annex_text())
    for t in builtin.tasks:
        assert _squash(t.title) in annex
        assert _squash(t.requirements) in annex
    t15 = next(t for t in builtin.tasks if t.number == "15")
    assert t15.departments == ["经信局", "发改局"]  # the annex order, not the body text's
    assert builtin.tasks[0].action_group == "(一)实施目标责任落实行动"


def test_keys_are_stable_and_unique(builtin):
    from ecodesk.catalogue.builtin import load_builtin

    again = load_builtin()
    assert [i.key for i in builtin.indicators] == [i.key for i in again.indicators]
    assert len({i.key for i in builtin.indicators}) == 31
    assert len({t.key for t in builtin.tasks}) == 22
    # a key depends on the normalised name only
    assert name_fingerprint("自然保护地和生态保护红线生态环境重点问 题整改率") == name_fingerprint(
        "自然保护地和生态保护红线生态环境重点问题整改率"
    )
