"""The 退回修改 copies of the demo round, as a department reads them on paper: locations named by
sheet, row, 序号, indicator and column heading; a running header; a value two departments disagree
on explained (the form's 自查 judged one department's number alone). And the app's desk counts the
same departments the copies are made for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ecodesk.demo import ROUND, run_demo
from ecodesk.desk import round_desk
from ecodesk.forms import layout as L
from ecodesk.project import Project
from ecodesk.report.revision import GUIDE, write_revisions
from ecodesk.verdicts import judge_round

TODAY = dt.date(2025, 7, 3)  # after the demo's deadline: 卫健局 and 统计局 are 未报送


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("rev") / "示例"
    run_demo(root)
    project = Project.open(root)
    copies = {r.department: r for r in write_revisions(project, ROUND, root / "退回", today=TODAY)}
    yield project, copies
    project.close()


def _items(path: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """The cover's rows by 事项: (问题, 请修改, 在表中的位置, 序号)."""
    ws = openpyxl.load_workbook(path)[GUIDE]
    assert [ws.cell(3, c).value for c in range(1, 6)] == ["序号", "事项", "问题", "请修改", "在表中的位置"]
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in range(4, ws.max_row + 1):
        if str(ws.cell(r, 1).value).isdigit():
            row = [str(ws.cell(r, c).value) for c in range(1, 6)]
            out.setdefault(row[1], []).append((row[2], row[3], row[4], row[0]))
    return out


def test_the_desk_counts_the_departments_the_copies_are_made_for(demo):
    project, copies = demo
    written = sorted(d for d, r in copies.items() if r.path)
    # intake problems (九十五), verdict problems (未达标, conflicts), tasks 滞后 (and missing evidence)
    assert {"生态环境分局", "经信局", "交通运输局", "住建局", "治水办", "农业农村局"} <= set(written)
    desk = round_desk(project, ROUND, TODAY)
    assert sorted(desk.problems) == written
    assert desk.next_step == "fix"
    assert {d for d, r in copies.items() if not r.path} == {"卫健局", "统计局"}  # not reported: 未报送
    assert not set(desk.problems) & set(desk.missing)


def test_locations_read_as_people_read_the_printed_form(demo):
    project, copies = demo
    path = copies["生态环境分局"].path
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_INDICATORS]
    pm = project.find_indicator("PM2.5浓度").key
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == pm)
    [(_, _, where, _)] = _items(path)["4 PM2.5浓度"]
    assert where == f"『{L.SHEET_INDICATORS}』表第 {row} 行（序号 4 PM2.5浓度）“本期值”栏"
    text = "\n".join(str(c.value) for line in wb[GUIDE].iter_rows() for c in line if c.value)
    assert "指标填报!" not in text and "!G" not in text  # no spreadsheet addresses on paper
    tasks = _items(copies["交通运输局"].path)
    [(_, _, where, _)] = tasks["任务14 构建绿色出行体系"]
    assert where.startswith(f"『{L.SHEET_TASKS}』表第 ") and where.endswith("（序号 14 构建绿色出行体系）“完成状态”栏")


def test_the_cover_has_a_running_header(demo):
    _project, copies = demo
    for dept, r in copies.items():
        if r.path is None:
            continue
        ws = openpyxl.load_workbook(r.path)[GUIDE]
        assert ws.oddHeader.left.text == f"嵊州市　{ROUND}"
        assert (ws.oddHeader.center.text, ws.oddHeader.right.text) == ("退回修改说明", dept)
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        m = ws.page_margins  # room for a line of header and of footer text (LibreOffice cut 0.1 in)
        assert m.top - m.header >= 0.25 and m.bottom - m.footer >= 0.25
        assert ws.print_title_rows == "$3:$3"  # the column heads repeat on every page


def test_a_value_two_departments_disagree_on_says_why_it_is_pending(demo):
    """The demo's PM2.5: 生态环境分局 typed 95, 经信局 31.5. Its own form's 自查 judged 95 alone; the
    report says 待核实 — the copy says why, to each, without quoting the other's number."""
    project, copies = demo
    v = next(v for v in judge_round(project, ROUND, TODAY).verdicts if v.name == "PM2.5浓度")
    assert v.verdict == "待核实" and v.conflicts == ["经信局"]
    [(lead, lead_ask, _, _)] = _items(copies["生态环境分局"].path)["4 PM2.5浓度"]
    [(co, co_ask, _, _)] = _items(copies["经信局"].path)["4 PM2.5浓度"]
    for text in (lead, co):
        assert text.startswith("待核实：本期值填报 ")
        assert "数值核实一致前无法判定是否达标，汇总表暂列为待核实" in text
        assert "填报表“自查”栏只按本单位填的数判断" in text
    assert "与经信局填报的数值不一致" in lead and "31.5" not in lead
    assert "与牵头单位生态环境分局填报的数值不一致" in co and "95" not in co.replace("本期值填报 31.5", "")
    assert lead_ask.startswith("请与经信局核对本期值") and co_ask.startswith("请与牵头单位生态环境分局核对本期值")
