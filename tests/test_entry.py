"""One description of how each indicator is entered (rules.entry.how_entered): for every indicator
of the built-in catalogue, the form's validation of its cells and intake's reading rule are the
ones the description gives (the verdict's side, reading what intake stored, is walked end to end
in tests/test_intake_reading.py::test_form_intake_and_verdict_agree_for_every_rule_kind)."""

from __future__ import annotations

import openpyxl

from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.analyse import row_rule
from ecodesk.rules import indicator_rule
from ecodesk.rules.entry import how_entered

from .filling import COL, FIRST


def _validations(ws) -> dict[str, object]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in rng.cells:
                out[f"{L.col_letter(row[1] - 1)}{row[0]}"] = dv
    return out


def test_form_and_intake_take_each_indicator_as_its_description_says(project):
    project.add_round("R", "2025-06-30")
    inds = {i.key: i for i in project.catalogue().indicators}
    seen_kinds = set()
    checked = 0
    for f in generate_round(project, "R").forms:
        ws = openpyxl.load_workbook(f.path)[L.SHEET_INDICATORS]
        checks = _validations(ws)
        for r in range(FIRST, ws.max_row + 1):
            ind = inds.get(ws.cell(r, COL["key"]).value)
            if ind is None:
                continue
            how = how_entered(indicator_rule(ind).rule, ind.unit, ind.applicability_mark)
            rule = row_rule(ind)
            seen_kinds.add(how.kind)
            dv = checks[f"{L.col_letter(COL['current'] - 1)}{r}"]
            if how.kind == "status":
                assert dv.type == "list", ind.name
                assert tuple(x.strip('"') for x in dv.formula1.strip('"').split(",")) == how.dropdown, ind.name
                assert rule.status and rule.options == how.options and rule.accepted == how.accepted
            else:
                assert dv.type in ("decimal", "custom"), ind.name
                if dv.type == "decimal":
                    bounds = (float(dv.formula1), float(dv.formula2))
                    assert (bounds == (0, 100)) == how.percent, ind.name
                assert not rule.status and rule.percent == how.percent and rule.unit == ind.unit
            for cid, needed in (("previous", how.previous), ("assigned", how.assigned)):
                cell = f"{L.col_letter(COL[cid] - 1)}{r}"
                if needed:
                    assert cell in checks, (ind.name, cid)
            checked += 1
    assert checked >= len(inds) and seen_kinds == {"number", "status"}
