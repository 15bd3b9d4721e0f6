"""Before the deadline nothing is late: what has not arrived is 待报 (not 缺报), 催报 asks only the
departments that were sent a form, and the report is titled as a progress (进度) report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.report import write_report
from ecodesk.report.annex1_sheet import SHEET as ANNEX
from ecodesk.status import reminder_text, round_status
from ecodesk.verdicts import judge_round
from tests.filling import fill

TODAY = dt.date(2025, 6, 16)
DEADLINE = "2025-06-30"
AFTER = dt.date(2025, 7, 3)
RATIO = "生态文明建设工作占党政实绩考核的比例"
SYSTEM = "党政领导干部生态环境损害责任追究制度"


def test_nothing_issued_nothing_due(project: Any) -> None:
    project.add_round("第一轮", DEADLINE)
    rv = judge_round(project, "第一轮", TODAY)
    counts = rv.counts()
    assert counts["缺报"] == 0 and counts["待报"] == len(rv.verdicts)
    assert "待报" not in judge_round(project, "第一轮", dt.date(2025, 7, 1)).counts()  # due: 缺报
    v = next(v for v in rv.verdicts if v.name == RATIO)
    assert v.reason == "本轮尚未向组织部下发填报表（截止日期 2025-06-30，还有 14 天）"
    assert {s.state for s in round_status(project, "第一轮", TODAY)} == {"未下发"}
    assert (
        reminder_text(project, "第一轮", TODAY)
        == "第一轮还没有下发填报表，无需催报。请先生成本轮填报表并发给各部门"
    )


def test_before_and_after_the_deadline(project: Any, tmp_path: Path) -> None:
    project.add_round("第一轮", DEADLINE)
    forms = {
        f.department: Path(f.path)
        for f in generate_round(project, "第一轮", departments=["组织部", "审计局"]).forms
    }
    back = fill(
        forms["组织部"],
        tmp_path / forms["组织部"].name,
        {RATIO: {"current": 22}, SYSTEM: {"current": "已建立"}},
        {},
    )
    collect(project, "第一轮", [back])

    before = {v.name: v for v in judge_round(project, "第一轮", TODAY).verdicts}
    assert before[RATIO].verdict == "达标"
    audit = before["领导干部自然资源资产离任审计"]
    assert (audit.verdict, audit.reason) == ("待报", "审计局尚未报送，未到截止日期（2025-06-30，还有 14 天）")
    assert before["PM2.5浓度"].reason.startswith("本轮尚未向生态环境分局下发填报表")
    states = {s.department: s.state for s in round_status(project, "第一轮", TODAY)}
    assert states["组织部"].startswith("已报送")
    assert (states["审计局"], states["生态环境分局"]) == ("待报（未到期）", "未下发")
    assert reminder_text(project, "第一轮", TODAY).splitlines()[1:3] == [
        "距截止日期还有 14 天，以下 1 个部门尚未报送，请按时报送：",
        "审计局",  # only the department that was sent a form
    ]

    after = {v.name: v for v in judge_round(project, "第一轮", AFTER).verdicts}
    assert after["领导干部自然资源资产离任审计"].verdict == "缺报"
    assert after["PM2.5浓度"].verdict == "缺报"
    assert round_status(project, "第一轮", AFTER)[0].due
    lines = reminder_text(project, "第一轮", AFTER).splitlines()
    assert lines[1:3] == ["已超过截止日期，以下 1 个部门尚未报送，请尽快报送：", "审计局"]

    interim = write_report(project, "第一轮", tmp_path / "进度.xlsx", as_of=TODAY).path
    final = write_report(project, "第一轮", tmp_path / "最终.xlsx", as_of=AFTER).path
    wb = openpyxl.load_workbook(interim)
    assert wb[ANNEX]["A1"].value.endswith("（第一轮·进度报告）")
    assert "第一轮·进度报告" in wb["简报"]["A1"].value
    values = " ".join(str(c.value) for row in wb[ANNEX].iter_rows() for c in row if c.value)
    assert "待报" in values and "缺报" not in values
    done = openpyxl.load_workbook(final)
    assert done[ANNEX]["A1"].value.endswith("（第一轮）") and "进度" not in done["简报"]["A1"].value
