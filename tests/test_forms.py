"""Fill-in workbooks: rows per department, locks, validations, self-check formulas, print set-up,
provenance, versions and the 发放清单."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from ecodesk.forms import layout as L
from ecodesk.forms.issue import build_spec, form_filename, generate_round
from ecodesk.forms.provenance import PROVENANCE_SHEET, Provenance
from ecodesk.forms.workbook import FormError, write_form
from ecodesk.messages import EcoDeskError
from ecodesk.rules import indicator_rule
from ecodesk.rules.evaluate import JudgeContext
from ecodesk.rules.excel import Cells, check_formula

from .snapshot import assert_matches_golden, snapshot

ROUND = "2025年第一轮"
COL = {c.id: i + 1 for i, c in enumerate(L.INDICATOR_COLUMNS)}  # 1-based for openpyxl
TCOL = {c.id: i + 1 for i, c in enumerate(L.TASK_COLUMNS)}
FIRST = L.FIRST_DATA_ROW + 1


@pytest.fixture
def issued(project):
    project.add_round(ROUND, "2025-06-30")
    result = generate_round(project, ROUND)
    return project, result


def _form(result, dept: str) -> Path:
    return Path(next(f.path for f in result.forms if f.department == dept))


def _keys(ws, first_col: int = 1) -> list[str]:
    out = []
    for r in range(FIRST, ws.max_row + 1):
        v = ws.cell(r, first_col).value
        if v:
            out.append(v)
    return out


def test_one_file_per_department_with_its_rows(issued):
    project, result = issued
    cat = project.catalogue()
    with_work = [d for d in cat.department_names() if cat.indicators_for(d) or cat.tasks_for(d)]
    assert [f.department for f in result.forms] == with_work
    for f in result.forms:
        assert (
            Path(f.path).name
            == form_filename(ROUND, f.department, 1)
            == f"{ROUND}_{f.department}_填报表.xlsx"
        )
        wb = openpyxl.load_workbook(f.path)
        assert wb.sheetnames == [L.SHEET_GUIDE, L.SHEET_INDICATORS, L.SHEET_TASKS, PROVENANCE_SHEET]
        assert _keys(wb[L.SHEET_INDICATORS]) == [i.key for i in cat.indicators_for(f.department)]
        assert _keys(wb[L.SHEET_TASKS]) == [t.key for t in cat.tasks_for(f.department)]
        assert (f.indicators, f.tasks) == (
            len(cat.indicators_for(f.department)),
            len(cat.tasks_for(f.department)),
        )


def test_rows_show_number_name_target_and_role(issued):
    _project, result = issued
    ws = openpyxl.load_workbook(_form(result, "住建局"))[L.SHEET_INDICATORS]
    rows = {ws.cell(r, COL["name"]).value: r for r in range(FIRST, ws.max_row + 1)}
    r = rows["水环境质量：县城污水处理率"]
    assert ws.cell(r, COL["number"]).value == "5"
    assert ws.cell(r, COL["target"]).value == "≥95"
    assert ws.cell(r, COL["role"]).value == "牵头"
    r = rows["PM2.5浓度"]
    assert ws.cell(r, COL["role"]).value == "配合"
    assert "水环境质量：较大面积农村黑臭水体整治率*" in rows


def test_only_input_cells_are_unlocked_and_everything_is_protected(issued):
    project, result = issued
    wb = openpyxl.load_workbook(_form(result, "生态环境分局"))
    assert wb.security.lockStructure
    for name in (L.SHEET_GUIDE, L.SHEET_INDICATORS, L.SHEET_TASKS):
        assert wb[name].protection.sheet, name
    ws = wb[L.SHEET_INDICATORS]
    cat = project.catalogue()
    inds = {i.key: i for i in cat.indicators}
    for r in range(FIRST, ws.max_row + 1):
        rule = indicator_rule(inds[ws.cell(r, 1).value]).rule
        needs = rule.needs()
        for cid, c in COL.items():
            locked = ws.cell(r, c).protection.locked
            expected_unlocked = (
                cid in ("current", "source", "note", "evidence")
                or (cid in ("previous", "period") and "previous" in needs)
                or (cid == "assigned" and "assigned" in needs)
            )
            assert locked is not expected_unlocked, (ws.cell(r, COL["name"]).value, cid)
    tasks = wb[L.SHEET_TASKS]
    for r in range(FIRST, tasks.max_row + 1):
        assert tasks.cell(r, TCOL["status"]).protection.locked is False
        assert tasks.cell(r, TCOL["requirements"]).protection.locked is True


def _validation(ws, coord: str):
    for dv in ws.data_validations.dataValidation:
        if coord in dv.sqref:
            return dv
    return None


def test_validations_follow_the_rules(issued):
    _project, result = issued
    ws = openpyxl.load_workbook(_form(result, "生态环境分局"))[L.SHEET_INDICATORS]
    rows = {ws.cell(r, COL["name"]).value: r for r in range(FIRST, ws.max_row + 1)}
    letter = {k: openpyxl.utils.get_column_letter(v) for k, v in COL.items()}

    r = rows["生态环境信息公开率"]  # "100" on a percentage
    dv = _validation(ws, f"{letter['current']}{r}")
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "100")
    assert "100" in dv.prompt and dv.errorStyle in (None, "stop")
    assert _validation(ws, f"{letter['assigned']}{r}") is None  # not needed: greyed and locked

    r = rows["突发环境事件应急管理机制"]  # 建立
    dv = _validation(ws, f"{letter['current']}{r}")
    assert dv.type == "list" and "已建立" in dv.formula1

    r = rows["PM2.5浓度"]  # superior target + trend: previous and assigned target are asked
    assert _validation(ws, f"{letter['previous']}{r}").type == "decimal"
    assert _validation(ws, f"{letter['assigned']}{r}").type == "decimal"
    assert _validation(ws, f"{letter['period']}{r}").formula1 == '"上年,上年同期,上一轮,基准年"'

    tasks = openpyxl.load_workbook(_form(result, "生态环境分局"))[L.SHEET_TASKS]
    dv = _validation(tasks, f"{openpyxl.utils.get_column_letter(TCOL['status'])}{FIRST}")
    assert dv.formula1 == '"已完成,推进中,未启动,滞后"'


def test_applicability_marked_indicators_accept_not_applicable(issued):
    _project, result = issued
    ws = openpyxl.load_workbook(_form(result, "自然资源局"))[L.SHEET_INDICATORS]
    rows = {ws.cell(r, COL["name"]).value: r for r in range(FIRST, ws.max_row + 1)}
    cur = openpyxl.utils.get_column_letter(COL["current"])
    r = rows["生态系统保护修复：森林覆盖率*"]
    dv = _validation(ws, f"{cur}{r}")
    assert dv.type == "custom" and "不适用" in dv.formula1
    assert "不适用" in ws.cell(r, COL["check"]).value


def test_self_check_formulas_mirror_the_rules(issued):
    project, result = issued
    cat = project.catalogue()
    inds = {i.key: i for i in cat.indicators}
    ws = openpyxl.load_workbook(_form(result, "生态环境分局"))[L.SHEET_INDICATORS]
    letter = {k: openpyxl.utils.get_column_letter(v) for k, v in COL.items()}
    for r in range(FIRST, ws.max_row + 1):
        ind = inds[ws.cell(r, 1).value]
        cells = Cells(f"{letter['current']}{r}", f"{letter['previous']}{r}", f"{letter['assigned']}{r}")
        expected = check_formula(
            indicator_rule(ind).rule,
            cells,
            JudgeContext("east", None, ind.better, ind.tolerance, ind.unit),
            ind.applicability_mark,
        )
        assert ws.cell(r, COL["check"]).value == expected


def test_print_setup(issued):
    _project, result = issued
    wb = openpyxl.load_workbook(_form(result, "农业农村局"))
    for name in (L.SHEET_INDICATORS, L.SHEET_TASKS):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (
            1,
            0,
        )  # OOXML default width is 1
        assert ws.print_title_rows == f"$1:${L.HEADER_ROW + 1}"
        assert "农业农村局" in ws.oddHeader.right.text and ROUND in ws.oddHeader.left.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.freeze_panes == f"D{L.FIRST_DATA_ROW + 1}"
        assert ws.column_dimensions["A"].hidden  # the key column


def test_provenance_is_very_hidden_and_signed(issued):
    project, result = issued
    path = _form(result, "水利局")
    wb = openpyxl.load_workbook(path)
    assert wb[PROVENANCE_SHEET].sheet_state == "veryHidden"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(PROVENANCE_SHEET).to_python()
    prov = Provenance.from_rows(rows)
    assert prov is not None
    assert (prov.round, prov.department, prov.issue_version) == (ROUND, "水利局", 1)
    assert prov.project_id == project.info().project_id
    assert prov.indicator_keys == [i.key for i in project.catalogue().indicators_for("水利局")]
    assert prov.verify(project.settings()["secret"])
    prov.department = "生态环境分局"  # a copy relabelled for another department
    assert not prov.verify(project.settings()["secret"])
    assert not Provenance.from_rows(rows).verify("00" * 32)  # another project's secret


def test_regenerating_keeps_issued_files_and_versions(issued):
    project, result = issued
    first = _form(result, "水利局")
    digest = first.read_bytes()
    again = generate_round(project, ROUND, ["水利局"])
    assert again.forms[0].status == "unchanged" and Path(again.forms[0].path) == first
    cat = project.catalogue()
    next(i for i in cat.indicators if i.name == "河湖岸线保护率").target_text = "≥90"
    project.replace_catalogue(cat)
    changed = generate_round(project, ROUND, ["水利局"])
    form = changed.forms[0]
    assert (form.status, form.version) == ("new_version", 2)
    assert Path(form.path).name == f"{ROUND}_水利局_填报表_第2版.xlsx"
    assert first.read_bytes() == digest  # the issued file is untouched
    rows = project.ledger.conn.execute(
        "SELECT version FROM issued_forms WHERE department='水利局' ORDER BY version"
    ).fetchall()
    assert [r[0] for r in rows] == [1, 2]
    manifest = openpyxl.load_workbook(changed.manifest)["发放清单"]
    names = [manifest.cell(r, 3).value for r in range(3, manifest.max_row + 1)]
    assert f"{ROUND}_水利局_填报表_第2版.xlsx" in names and f"{ROUND}_水利局_填报表.xlsx" not in names


def test_a_foreign_file_with_the_same_name_is_not_overwritten(project, tmp_path):
    project.add_round(ROUND, "2025-06-30")
    out = tmp_path / "发出"
    out.mkdir()
    squatter = out / form_filename(ROUND, "水利局", 1)
    squatter.write_bytes(b"clerk's own notes")
    result = generate_round(project, ROUND, ["水利局"], out=out)
    assert squatter.read_bytes() == b"clerk's own notes"
    assert Path(result.forms[0].path).name == form_filename(ROUND, "水利局", 2)


def test_manifest_lists_departments_files_counts_and_deadline(issued):
    _project, result = issued
    ws = openpyxl.load_workbook(result.manifest)["发放清单"]
    assert [c.value for c in ws[2]] == [
        "序号",
        "部门",
        "文件名",
        "版本",
        "指标数",
        "任务数",
        "截止日期",
        "生成时间",
        "发送情况",
    ]
    body = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(3, ws.max_row + 1)}
    assert set(body) == {f.department for f in result.forms}
    assert body["住建局"][4:7] == [6, 6, "2025-06-30"]
    assert ws.page_setup.orientation == "landscape"


def test_departments_by_alias_and_unknown(project):
    project.add_round(ROUND, "2025-06-30")
    result = generate_round(project, ROUND, ["建设局"])
    assert [f.department for f in result.forms] == ["住建局"]
    with pytest.raises(EcoDeskError) as e:
        generate_round(project, ROUND, ["外星局"])
    assert e.value.code == "generate.unknown_department"


def test_progress_and_cancel(project):
    project.add_round(ROUND, "2025-06-30")
    seen = []
    result = generate_round(
        project, ROUND, progress=lambda i, n, text: seen.append((i, n, text)), cancel=lambda: len(seen) >= 3
    )
    assert result.cancelled and len(result.forms) == 3
    assert seen[0] == (0, 24, "正在生成：组织部")


def test_too_long_dropdown_is_refused_before_writing(project, tmp_path):
    from ecodesk.rules.model import Qualitative

    project.add_round(ROUND, "2025-06-30")
    spec = build_spec(project, project.catalogue(), ROUND, "2025-06-30", "组织部")
    spec.indicators[1].rule = Qualitative(
        status="建立", accepted=("已建立",), options=tuple("选项" * 40 + str(i) for i in range(5))
    )
    prov = Provenance("p", ROUND, "组织部", 1, "now")
    with pytest.raises(FormError, match="255"):
        write_form(tmp_path / "x.xlsx", spec, prov)


def test_form_layout_matches_golden(project, tmp_path):
    project.add_round(ROUND, "2025-06-30")
    spec = build_spec(project, project.catalogue(), ROUND, "2025-06-30", "住建局")
    prov = Provenance(
        "golden-project",
        ROUND,
        "住建局",
        1,
        "2025-01-01T00:00:00+08:00",
        [r.key for r in spec.indicators],
        [t.key for t in spec.tasks],
        "hash",
    ).sign("00" * 32)
    path = write_form(tmp_path / "golden.xlsx", spec, prov)
    assert_matches_golden(snapshot(path), "form_住建局")
