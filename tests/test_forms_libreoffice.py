"""Fill-in workbooks in a real second client: LibreOffice recalculates the 自查 column (it must agree
with the Python evaluator for every rule kind) and prints the indicator sheet on A4 landscape."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ecodesk.demo import sample_inputs
from ecodesk.forms import layout as L
from ecodesk.forms.issue import build_spec, generate_round
from ecodesk.forms.provenance import Provenance
from ecodesk.forms.workbook import write_form
from ecodesk.rules import indicator_rule
from ecodesk.rules.evaluate import Inputs, JudgeContext, evaluate

from .conftest import needs_libreoffice
from .filling import COL, FIRST
from .lo_helpers import pdf_page_count, pdf_to_png

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]
R1 = "2025年第一轮"
WORD = {"pass": "达标", "fail": "未达标", "review": "待核实", "missing": "待填"}


def test_self_check_agrees_with_the_evaluator_for_every_rule_kind(project, tmp_path):
    import openpyxl

    from ecodesk.office import recalculate

    cat = project.catalogue()
    by_name = {i.name: i for i in cat.indicators}
    by_name["农膜回收率"].target_text = "≥85或持续提高"  # any_of
    by_name["公众对生态环境质量满意程度"].target_text = "位列嘉兴市前列"  # manual
    project.replace_catalogue(cat)
    project.add_round(R1, "2025-06-30")
    cat = project.catalogue()
    # one workbook holding every indicator twice (a passing and a failing row), plus blank and 不适用 rows
    spec = build_spec(project, cat, R1, "2025-06-30", "生态环境分局")
    spec.indicators = []
    all_rows = build_spec.__globals__["FormRow"]  # the row type used by build_spec
    from ecodesk.rules.explain import explain

    cases = []
    for ind in cat.indicators:
        rule = indicator_rule(ind).rule
        for want in ("pass", "fail"):
            inputs = sample_inputs(ind, want)
            if inputs is None:
                continue
            cases.append((ind, rule, want, inputs))
        if rule.kind == "manual":
            cases.append((ind, rule, "review", Inputs(95.0)))
        elif rule.kind in ("threshold", "region"):
            cases.append((ind, rule, "text", Inputs("九十五")))  # Calc does not enforce validation
        cases.append((ind, rule, "blank", None))
        if ind.applicability_mark:
            cases.append((ind, rule, "na", None))
    for n, (ind, rule, _want, _inputs) in enumerate(cases):
        spec.indicators.append(
            all_rows(
                key=f"{ind.key}-{n}",
                number=ind.number,
                name=ind.name,
                unit=ind.unit,
                target_text=ind.target_text,
                role="牵头",
                rule=rule,
                explanation=explain(rule, unit=ind.unit),
                better=ind.better,
                tolerance=ind.tolerance,
                allow_na=ind.applicability_mark,
            )
        )
    src = write_form(tmp_path / "all.xlsx", spec, Provenance("p", R1, "x", 1, "now"))
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET_INDICATORS]
    expected = []
    for n, (ind, rule, want, inputs) in enumerate(cases):
        r = FIRST + n
        if want == "na":
            ws.cell(r, COL["current"]).value = "不适用"
            expected.append("不适用")
            continue
        if want == "blank":
            expected.append("待填")
            continue
        ws.cell(r, COL["current"]).value = inputs.current
        if "previous" in rule.needs():
            ws.cell(r, COL["previous"]).value = inputs.previous
        if "assigned" in rule.needs():
            ws.cell(r, COL["assigned"]).value = inputs.assigned
        out = evaluate(rule, inputs, JudgeContext(region="east", better=ind.better, unit=ind.unit))
        expected.append(WORD[out.status])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    recalculated = recalculate(filled, tmp_path / "recalculated.xlsx")
    rows = (
        CalamineWorkbook.from_path(str(recalculated))
        .get_sheet_by_name(L.SHEET_INDICATORS)
        .to_python(skip_empty_area=False)
    )
    check = COL["check"] - 1
    got = [rows[FIRST - 1 + n][check] for n in range(len(cases))]
    kinds = {c[1].kind for c in cases}
    assert kinds >= {
        "threshold",
        "qualitative",
        "trend",
        "superior_target",
        "delta",
        "region",
        "all_of",
        "any_of",
        "manual",
    }
    mismatches = [(c[0].name, c[2], e, g) for c, e, g in zip(cases, expected, got, strict=True) if e != g]
    assert not mismatches
    assert {"达标", "未达标", "待核实", "待填", "不适用"} <= set(got)


def _font_is_pinned() -> bool:
    """Page counts depend on the CJK font: count pages only when WenQuanYi Micro Hei is the only one."""
    out = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    families = {f.strip() for line in out.splitlines() for f in line.split(",")}
    return bool(families) and all(
        "WenQuanYi Micro Hei" in f or "文泉驛" in f or "文泉驿" in f for f in families
    )


def test_generated_form_prints_landscape_full_width(project, tmp_path):
    from ecodesk.office import convert

    project.add_round(R1, "2025-06-30")
    form = next(Path(f.path) for f in generate_round(project, R1, ["生态环境分局"]).forms)
    pdf = convert(form, "pdf", tmp_path)
    pages = pdf_page_count(pdf)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True
    ).stdout
    sizes = [
        line.split(":", 1)[1].split("pts")[0].strip()
        for line in info.splitlines()
        if line.startswith("Page") and "size:" in line
    ]
    assert sizes[0].startswith("595") and "841" in sizes[0]  # 填报说明: A4 portrait
    assert all(s.startswith("841") and "595" in s for s in sizes[1:])  # the input sheets: A4 landscape
    if _font_is_pinned():
        assert pages == 6, pages  # 1 guide + 1 indicator page (13 rows, full width) + 4 task pages
    png = pdf_to_png(pdf, tmp_path / "page", first=2, last=2)
    assert png and png[0].stat().st_size > 10_000
