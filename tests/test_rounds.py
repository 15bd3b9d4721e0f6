"""Across rounds: 上期值 pre-filled from the previous round, the previous value's source in the
reason, a disagreement flagged; local targets reported beside the national rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from ecodesk.demo import fill_form
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.verdicts import judge_round

from .filling import COL

R1, R2 = "2025年第一轮", "2025年第二轮"


def _key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _row(ws, key):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def test_previous_round_prefills_and_feeds_the_verdict(project, tmp_path):
    project.add_round(R1, "2025-06-30")
    forest = _key(project, "森林覆盖率")  # 保持稳定或持续改善: needs a previous value
    form1 = Path(generate_round(project, R1, ["自然资源局"]).forms[0].path)
    collect(
        project,
        R1,
        [
            fill_form(
                form1, tmp_path / "r1.xlsx", {forest: {"current": 64.2}}, saved_at=dt.datetime(2025, 6, 20)
            )
        ],
    )
    project.add_round(R2, "2025-12-31")
    form2 = Path(generate_round(project, R2, ["自然资源局"]).forms[0].path)
    ws = openpyxl.load_workbook(form2)[L.SHEET_INDICATORS]
    r = _row(ws, forest)
    assert ws.cell(r, COL["previous"]).value == 64.2  # pre-filled from the ledger, still editable
    assert ws.cell(r, COL["period"]).value == "上一轮"
    assert ws.cell(r, COL["previous"]).protection.locked is False

    # the department clears 上期值: the verdict takes the ledger's previous round and says so
    wb = openpyxl.load_workbook(form2)
    wb[L.SHEET_INDICATORS].cell(r, COL["previous"]).value = None
    wb[L.SHEET_INDICATORS].cell(r, COL["current"]).value = 64.5
    wb.save(tmp_path / "r2.xlsx")
    collect(project, R2, [tmp_path / "r2.xlsx"])
    v = next(v for v in judge_round(project, R2).verdicts if v.key == forest)
    assert (v.verdict, v.previous, v.previous_from) == ("达标", "64.2", f"台账上一轮（{R1}）")
    assert f"上期值取自台账上一轮（{R1}）" in v.reason

    # a 上期值 that disagrees with the ledger is flagged for a person
    collect(
        project,
        R2,
        [
            fill_form(
                form2,
                tmp_path / "r2b.xlsx",
                {forest: {"current": 64.5, "previous": 60.0}},
                saved_at=dt.datetime.now() + dt.timedelta(hours=1),
            )
        ],
    )
    v = next(v for v in judge_round(project, R2).verdicts if v.key == forest)
    assert v.verdict == "待核实"
    assert f"填报的上期值 60% 与台账上一轮（{R1}）64.2% 不一致" in v.reason


def test_local_target_is_reported_beside_the_national_rule(project, tmp_path):
    cat = project.catalogue()
    pm = next(i for i in cat.indicators if i.name == "PM2.5浓度")
    pm.local_target_text = "力争26微克/立方米以下"
    project.replace_catalogue(cat)
    project.add_round(R1, "2025-06-30")
    form = Path(generate_round(project, R1, ["生态环境分局"]).forms[0].path)
    collect(
        project,
        R1,
        [fill_form(form, tmp_path / "r.xlsx", {pm.key: {"current": 27.3, "previous": 28, "assigned": 30}})],
    )
    v = next(v for v in judge_round(project, R1).verdicts if v.key == pm.key)
    assert v.verdict == "达标"  # the national rule decides
    assert v.local_target == "本地目标『力争26微克/立方米以下』未达到"
    assert v.local_target in v.reason
