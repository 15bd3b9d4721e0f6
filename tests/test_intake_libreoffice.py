"""Returns typed by a real second client: LibreOffice's dispatcher types into generated forms like a
clerk in Calc (respecting sheet protection) and saves them as .xlsx, .xls and .ods; intake reads
every typed value back with its source cell."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.ledger.values import current_values

from .filling import COL, FIRST
from .lo_helpers import have_uno, type_many

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not have_uno(), reason="需要 LibreOffice 和 python3-uno"),
]
R1 = "2025年第一轮"
LETTER = {k: L.col_letter(v - 1) for k, v in COL.items()}


def _edits(form: Path, project, dept: str, seed: int) -> tuple[list[dict], dict[str, dict[str, str]]]:
    """What a clerk types: 本期值/上期值/目标值 per row, text as typed (Calc parses numbers itself)."""
    from python_calamine import CalamineWorkbook

    rows = (
        CalamineWorkbook.from_path(str(form))
        .get_sheet_by_name(L.SHEET_INDICATORS)
        .to_python(skip_empty_area=False)
    )
    cat = project.catalogue()
    rules = {i.key: i for i in cat.indicators}
    from ecodesk.rules import indicator_rule
    from ecodesk.rules.model import Qualitative

    edits, expected = [], {}
    for r in range(FIRST - 1, len(rows)):
        key = rows[r][0]
        if key not in rules:
            continue
        rule = indicator_rule(rules[key]).rule
        row = r + 1
        if isinstance(rule, Qualitative):
            typed = {"current": rule.options[0]}
        else:
            typed = {"current": f"{90 + seed + r % 7}.5"}
            if "previous" in rule.needs():
                typed["previous"] = f"{88 + r % 5}"
            if "assigned" in rule.needs():
                typed["assigned"] = "92"
        typed["note"] = f"{dept}第{row}行说明"
        for cid, text in typed.items():
            edits.append({"sheet": L.SHEET_INDICATORS, "cell": f"{LETTER[cid]}{row}", "text": text})
        expected[key] = typed
    return edits, expected


def test_values_typed_in_calc_are_read_back_with_their_source(project, tmp_path):
    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    plan = {"住建局": "xlsx", "水利局": "xls", "农业农村局": "ods"}
    jobs, expected = [], {}
    before = {d: hashlib.sha256(forms[d].read_bytes()).hexdigest() for d in plan}
    for n, (dept, fmt) in enumerate(plan.items()):
        edits, exp = _edits(forms[dept], project, dept, n)
        # and one edit into a locked cell (the 指标值 column): Calc must refuse it, as it would a clerk
        edits.append({"sheet": L.SHEET_INDICATORS, "cell": f"{LETTER['target']}{FIRST}", "text": "≥0"})
        jobs.append({"src": forms[dept], "dst": tmp_path / f"{R1}_{dept}_填报表.{fmt}", "edits": edits})
        expected[dept] = exp
    results = type_many(jobs, timeout=240)
    for job, res in zip(jobs, results, strict=True):
        assert [e["cell"] for e in res["refused"]] == [f"{LETTER['target']}{FIRST}"], res
        assert len(res["applied"]) == len(job["edits"]) - 1
    for dept in plan:  # the issued forms were copied, never changed
        assert hashlib.sha256(forms[dept].read_bytes()).hexdigest() == before[dept]
    outcome = collect(project, R1, [j["dst"] for j in jobs])
    assert [(r.department, r.status) for r in outcome.results] == [(d, "accepted") for d in plan], [
        (r.path, r.status, r.message) for r in outcome.results
    ]
    values = {
        (v.department, v.indicator_key): v for v in current_values(project.ledger.conn, project.round(R1).id)
    }
    for dept, exp in expected.items():
        for key, typed in exp.items():
            v = values[(dept, key)]
            if "." in typed["current"] or typed["current"].isdigit():
                assert v.current_number == float(typed["current"]), (dept, key)
            else:
                assert v.current_status == typed["current"]
            assert v.note == typed["note"]
            row = int(typed["note"].split("第")[1].split("行")[0])
            assert v.current_cell == f"{LETTER['current']}{row}" and v.sheet == L.SHEET_INDICATORS
            assert v.file_name == f"{R1}_{dept}_填报表.{plan[dept]}"
            if "previous" in typed:
                assert (
                    v.previous_number == float(typed["previous"])
                    and v.previous_cell == f"{LETTER['previous']}{row}"
                )
            if "assigned" in typed:
                assert v.target_number == 92.0
