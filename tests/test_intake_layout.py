"""A table pasted beside the form without a header row of its own is reported as one pasted table
(never read, never dropped without a word); the form's own values are read as usual."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.ledger.values import current_values
from ecodesk.messages import msg

from .filling import FIRST, fill

R1 = "2025年第一轮"


@pytest.fixture
def issued(project):
    project.add_round(R1, "2025-06-30")
    return project, {f.department: Path(f.path) for f in generate_round(project, R1).forms}


def _stored(project, sid):
    row = project.ledger.conn.execute("SELECT problems FROM submissions WHERE id = ?", (sid,)).fetchone()
    return json.loads(row["problems"])


def test_a_table_pasted_beside_without_headers_is_reported_once(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    first_col = len(L.INDICATOR_COLUMNS) + 2  # one empty column, then three columns of numbers
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET_INDICATORS]
    for r in range(FIRST + 1, FIRST + 4):
        for k in range(3):
            ws.cell(r, first_col + k).value = 10 * r + k
    dst = tmp_path / "b.xlsx"
    wb.save(dst)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    found = _stored(project, r.submission_id)
    pasted = [p for p in found if p["code"] == "sheet.pasted_table"]
    assert [(p["sheet"], p["row"], p["fields"]["col"]) for p in pasted] == [
        (L.SHEET_INDICATORS, FIRST + 1, L.col_letter(first_col - 1))
    ]
    assert not [p for p in found if p["code"] == "sheet.extra_column"]
    assert (
        msg("sheet.pasted_table", sheet=L.SHEET_INDICATORS, row=FIRST + 1, col=L.col_letter(first_col - 1))
        in r.problems
    )
    key = next(i.key for i in project.catalogue().indicators if i.name == "县城污水处理率")
    values = {v.indicator_key: v for v in current_values(project.ledger.conn, project.round(R1).id)}
    assert values[key].current_number == 96.5


def test_one_column_typed_beside_the_form_is_an_extra_column(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    col = len(L.INDICATOR_COLUMNS) + 1
    wb = openpyxl.load_workbook(src)
    wb[L.SHEET_INDICATORS].cell(FIRST + 1, col).value = "含乡镇"
    dst = tmp_path / "b.xlsx"
    wb.save(dst)
    [r] = collect(project, R1, [dst]).results
    codes = [p["code"] for p in _stored(project, r.submission_id)]
    assert "sheet.extra_column" in codes and "sheet.pasted_table" not in codes
