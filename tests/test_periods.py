"""Rounds have periods; 上期值 is the same period a year earlier (上年 / 上年同期), never simply
the round before — through the real path: generate → fill → collect → validate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from ecodesk.cli import main
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.messages import EcoDeskError
from ecodesk.periods import Period, comparison_setting, infer_period, parse_period
from ecodesk.verdicts import judge_round

from .filling import COL, fill

Y24, H25, Y25 = "2024年度", "2025年上半年", "2025年度"


@pytest.mark.parametrize(
    ("name", "code", "label"),
    [
        ("2025年度", "2025", "2025年度"),
        ("2024年度调度", "2024", "2024年度"),
        ("2025年", "2025", "2025年度"),
        ("2025年上半年", "2025-H1", "2025年上半年"),
        ("2025年下半年调度", "2025-H2", "2025年下半年"),
        ("2025年第三季度", "2025-Q3", "2025年第三季度"),
        ("2025年第3季度", "2025-Q3", "2025年第三季度"),
        ("2025Q4", "2025-Q4", "2025年第四季度"),
        ("2025年6月", "2025-M06", "2025年6月"),
        ("2025年十一月", "2025-M11", "2025年11月"),
        ("2025-H1", "2025-H1", "2025年上半年"),  # the code itself
    ],
)
def test_period_is_read_from_the_round_name(name, code, label):
    p = parse_period(name)
    assert p is not None and (p.code, p.label) == (code, label)


@pytest.mark.parametrize(
    "name", ["2025年第一轮", "第二轮调度", "2025年1-6月", "2024-2025年度", "2025年第五季度"]
)
def test_a_name_without_one_period_gives_none(name):
    assert infer_period(name) is None


def test_same_period_a_year_earlier():
    assert Period(2025, "half", 1).a_year_earlier().label == "2024年上半年"
    assert Period(2025).comparison_label == "上年"
    assert Period(2025, "quarter", 3).comparison_label == "上年同期"
    assert comparison_setting("基准年2020") == "base:2020"
    assert comparison_setting("上一轮") == "previous_round"
    assert comparison_setting("上年") == ""


def _key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _row(ws, key):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _form(project, rnd, dept="生态环境分局") -> Path:
    return Path(next(f.path for f in generate_round(project, rnd, [dept]).forms))


def _verdict(project, rnd, key):
    return next(v for v in judge_round(project, rnd).verdicts if v.key == key)


def test_annual_round_compares_with_last_year_not_the_half_year_between(project, tmp_path):
    pm = _key(project, "PM2.5浓度")  # 完成上级规定的考核任务,且保持稳定或持续下降
    project.add_round(Y24, "2024-12-31")
    project.add_round(H25, "2025-06-30")
    project.add_round(Y25, "2025-12-31")
    assert [r.period for r in project.rounds()] == ["2024", "2025-H1", "2025"]

    f24 = _form(project, Y24)
    collect(project, Y24, [fill(f24, tmp_path / "24.xlsx", {"PM2.5浓度": {"current": 28, "previous": 29,
                                                                      "assigned": 30}})])  # fmt: skip
    assert _verdict(project, Y24, pm).verdict == "达标"

    # the half-year round: 上年同期 is 2024年上半年, which the ledger does not hold — no pre-fill
    fh = _form(project, H25)
    ws = openpyxl.load_workbook(fh)[L.SHEET_INDICATORS]
    r = _row(ws, pm)
    assert ws.cell(r, COL["previous"]).value is None
    assert ws.cell(r, COL["period"]).value == "上年同期"
    collect(project, H25, [fill(fh, tmp_path / "h.xlsx", {"PM2.5浓度": {"current": 25, "assigned": 30}},
                                saved_at=dt.datetime(2025, 6, 28))])  # fmt: skip
    v = _verdict(project, H25, pm)
    assert v.verdict == "待核实" and v.previous == ""  # never the annual 28
    assert "上期值应为上年同期（2024年上半年）的数值" in v.reason
    assert (v.comparison, v.comparison_period, v.comparison_round) == ("上年同期", "2024年上半年", "")

    # the annual round: pre-filled with 2024年度 (28), labelled 上年 — not the half-year 25
    fy = _form(project, Y25)
    ws = openpyxl.load_workbook(fy)[L.SHEET_INDICATORS]
    r = _row(ws, pm)
    assert (ws.cell(r, COL["previous"]).value, ws.cell(r, COL["period"]).value) == (28, "上年")
    collect(project, Y25, [fill(fy, tmp_path / "y.xlsx", {"PM2.5浓度": {"current": 27, "assigned": 30}},
                                saved_at=dt.datetime(2025, 12, 20))])  # fmt: skip
    v = _verdict(project, Y25, pm)
    assert (v.verdict, v.previous) == ("达标", "28")  # against the half-year 25 it would fail
    assert "上期值取自生态环境分局填报的上期值（上年，2024年度）" in v.reason
    assert (v.comparison, v.comparison_period, v.comparison_round) == ("上年", "2024年度", Y24)
    assert v.to_dict()["comparison"] == {"label": "上年", "period": "2024年度", "round": Y24}

    # the department clears the pre-fill: the ledger's 2024年度 figure is used and named
    wb = openpyxl.load_workbook(fy)
    wb[L.SHEET_INDICATORS].cell(r, COL["previous"]).value = None
    wb[L.SHEET_INDICATORS].cell(r, COL["current"]).value = 27
    wb[L.SHEET_INDICATORS].cell(r, COL["assigned"]).value = 30
    wb.save(tmp_path / "y2.xlsx")
    collect(project, Y25, [tmp_path / "y2.xlsx"])
    v = _verdict(project, Y25, pm)
    assert (v.verdict, v.previous, v.previous_from) == ("达标", "28", "台账上年（2024年度）")

    # a 上期值 the department says is 上一轮 is not the 上年 figure: a person looks
    collect(project, Y25, [fill(fy, tmp_path / "y3.xlsx", {"PM2.5浓度": {"current": 27, "previous": 25,
                                "period": "上一轮", "assigned": 30}},
                                saved_at=dt.datetime.now() + dt.timedelta(hours=1))])  # fmt: skip
    v = _verdict(project, Y25, pm)
    assert v.verdict == "待核实"
    assert "填报的上期值所属期为『上一轮』，本指标应与上年（2024年度）比较" in v.reason
    assert "与台账上年（2024年度）28μg/m3 不一致" in v.reason


def test_base_year_comparison_prefills_from_the_base_year_round(project, tmp_path):
    forest = _key(project, "森林覆盖率")  # 保持稳定或持续改善
    cat = project.catalogue()
    cat.indicator(forest).comparison = "base:2020"
    project.replace_catalogue(cat)
    project.add_round("2020年度", "2020-12-31")
    project.add_round(Y24, "2024-12-31")
    f20 = _form(project, "2020年度", "自然资源局")
    collect(project, "2020年度", [fill(f20, tmp_path / "20.xlsx", {"森林覆盖率": {"current": 63.0}})])
    f24 = _form(project, Y24, "自然资源局")
    ws = openpyxl.load_workbook(f24)[L.SHEET_INDICATORS]
    r = _row(ws, forest)
    assert (ws.cell(r, COL["previous"]).value, ws.cell(r, COL["period"]).value) == (63, "基准年")
    collect(project, Y24, [fill(f24, tmp_path / "24.xlsx", {"森林覆盖率": {"current": 64.0}})])
    v = _verdict(project, Y24, forest)
    assert v.verdict == "达标" and (v.comparison, v.comparison_period) == ("基准年", "2020年度")


def test_round_period_on_the_command_line(project, capsys):
    root = str(project.root)
    project.close()
    assert (
        main(["round", "add", root, "第二轮调度", "--deadline", "2025-09-30", "--period", "2025年第三季度"])
        == 0
    )
    assert "调度期：2025年第三季度" in capsys.readouterr().out
    assert main(["round", "add", root, "2025年第一轮", "--deadline", "2025-06-30"]) == 0
    assert "未识别出调度期" in capsys.readouterr().out
    assert main(["round", "period", root, "2025年第一轮", "2025年上半年", "--note", "按半年调度"]) == 0
    assert "调度期：2025年上半年" in capsys.readouterr().out
    assert main(["round", "list", root, "--json"]) == 0
    rounds = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rounds["2025年第一轮"]["period"] == "2025-H1"
    assert rounds["第二轮调度"]["period_label"] == "2025年第三季度"
    assert main(["round", "add", root, "第三轮", "--deadline", "2025-12-31", "--period", "明年"]) == 2
    assert "调度期『明年』无法识别" in capsys.readouterr().err


def test_bad_period_is_refused(project):
    with pytest.raises(EcoDeskError) as e:
        project.add_round("x", "2025-01-01", period="2025年第五季度")
    assert e.value.code == "round.bad_period"
    r = project.add_round("2025年度", "2025-12-31", period="none")
    assert r.period == ""


def test_rounds_recorded_before_periods_get_theirs_from_the_name(project):
    project.add_round("2024年度", "2024-12-31")
    with project.ledger.transaction() as c:  # as a ledger migrated from schema 4 holds it
        c.execute("UPDATE rounds SET period = ''")
    assert project.round("2024年度").period == "2024"
