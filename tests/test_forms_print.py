"""A department's form printed in black and white: the fill-in cells keep a frame of their own (the
pale yellow prints near white), and the 自查 results 未达标 / 达标 / 待核实 stay apart (their fills
would print as one grey). Read from the generated workbook as Excel stores it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round

ROUND = "2025年第一轮"


def _grey(rgb: str) -> float:
    """The grey a printer makes of a colour (ITU-R BT.601 luma), 0 black … 255 white."""
    r, g, b = (int(rgb[-6:][i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def _form(project) -> openpyxl.Workbook:
    project.add_round(ROUND, "2025-06-30")
    path = Path(next(f.path for f in generate_round(project, ROUND, ["生态环境分局"]).forms))
    return openpyxl.load_workbook(path)


def test_fill_in_cells_have_a_frame_that_prints_in_grey(project):
    ws = _form(project)[L.SHEET_INDICATORS]
    head = {ws.cell(L.FIRST_DATA_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    row = L.FIRST_DATA_ROW + 1
    current, name = ws.cell(row, head["本期值"]), ws.cell(row, head["指标名称"])
    assert not current.protection.locked and name.protection.locked
    assert _grey(current.fill.fgColor.rgb) > 230  # the yellow alone is near white on paper…
    sides = (current.border.left, current.border.right, current.border.top, current.border.bottom)
    assert {s.style for s in sides} == {"dashed"}  # …so fill-in cells are framed dashed
    assert name.border.left.style == "thin"  # and the locked ones are not
    guide = _form_guide(ws)
    assert "虚线框" in guide  # the notice says what to look for on paper


def _form_guide(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows(max_row=L.FIRST_DATA_ROW) for c in row if c.value)


def test_check_results_stay_apart_in_grey(project):
    ws = _form(project)[L.SHEET_INDICATORS]
    styles = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            text = rule.formula[0].strip('"')
            styles[text] = rule.dxf
    fail, ok, review = styles["未达标"], styles["达标"], styles["待核实"]
    grey = {k: _grey(d.fill.bgColor.rgb or d.fill.fgColor.rgb) for k, d in styles.items()}
    assert grey["未达标"] < 100 < grey["达标"]  # dark on paper against light
    assert _grey(fail.font.color.rgb) > 200 and fail.font.b  # in white, bold: readable on the dark fill
    assert review.font.u and review.font.i and not ok.font.u  # 待核实 is underlined and italic, 达标 plain
    assert abs(grey["待核实"] - grey["达标"]) < 30  # (why 待核实 needs more than its fill)
