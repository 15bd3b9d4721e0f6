"""Cells read as the department saw them, rows where they belong, and no file blocking a round.

Returns are built the ways real clients store them (openpyxl with number formats, formulas saved
without results, error cells) and with the careless edits departments make (copied, pasted, sorted
and merged rows, edited headers, renamed sheets, tables pasted beside the form, long notes,
untouched forms). Each case asserts the value with its source cell, or a finding's code and place.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import ecodesk.intake.analyse as analyse_mod
import ecodesk.intake.collect as collect_mod
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.intake.normalise import normalise_number
from ecodesk.ledger.values import current_values
from ecodesk.messages import MESSAGES, msg
from ecodesk.verdicts import judge_round

from .filling import COL, FIRST, TCOL, fill

R1 = "2025年第一轮"
C = {k: L.col_letter(v - 1) for k, v in COL.items()}  # column id → letter


@pytest.fixture
def issued(project):
    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    return project, forms


def _key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _values(project):
    rid = project.round(R1).id
    return {(v.department, v.indicator_key): v for v in current_values(project.ledger.conn, rid)}


def _row_of(ws, name: str) -> int:
    for r in range(FIRST, ws.max_row + 1):
        text = str(ws.cell(r, COL["name"]).value or "")
        if text.split("：")[-1].rstrip("*") == name:
            return r
    raise KeyError(name)


def _edit(src: Path, dst: Path, change) -> Path:
    """Open ``src`` with openpyxl, let ``change(ws, wb)`` edit the indicator sheet, save as ``dst``."""
    wb = openpyxl.load_workbook(src)
    change(wb[L.SHEET_INDICATORS], wb)
    wb.save(dst)
    return dst


def _codes(project, submission_id) -> list[dict]:
    import json

    row = project.ledger.conn.execute(
        "SELECT problems FROM submissions WHERE id = ?", (submission_id,)
    ).fetchone()
    return json.loads(row["problems"])


def _verdict(project, name):
    return next(v for v in judge_round(project, R1).verdicts if v.name == name)


def _patch_part(path: Path, part: str, edit) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, edit(data) if info.filename == part else data)


def _sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = target.group(1) or target.group(2)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


# ---- 1. no file can block a round -------------------------------------------------------------------
def test_an_unforeseen_failure_is_that_files_result_and_the_rest_is_recorded(issued, tmp_path, monkeypatch):
    project, forms = issued
    good = [
        fill(forms[d], tmp_path / f"{R1}_{d}_填报表.xlsx", default=96)
        for d in ("住建局", "水利局", "农业农村局")
    ]
    bad = fill(forms["交通运输局"], tmp_path / "坏.xlsx", default=90)
    real = analyse_mod.match_book

    def boom(book, idx):
        if book.sheets.get("_boom"):
            raise RuntimeError("something nobody foresaw")
        return real(book, idx)

    wb = openpyxl.load_workbook(bad)
    wb.create_sheet("_boom")["A1"] = "x"
    wb.save(bad)
    monkeypatch.setattr(analyse_mod, "match_book", boom)
    results = collect(project, R1, [good[0], bad, *good[1:]]).results
    assert [(r.path, r.status) for r in results] == [
        (str(good[0]), "accepted"),
        (str(bad), "internal"),
        (str(good[1]), "accepted"),
        (str(good[2]), "accepted"),
    ]
    r = results[1]
    assert r.code == "internal.error"
    assert r.message == msg(
        "internal.error", detail="RuntimeError: something nobody foresaw", log=str(collect_mod.ERROR_LOG)
    )
    log = (project.root / collect_mod.ERROR_LOG).read_text(encoding="utf-8")
    assert "something nobody foresaw" in log and "Traceback" in log and str(bad) in log
    depts = {d for d, _ in _values(project)}
    assert depts == {"住建局", "水利局", "农业农村局"}
    # fixed later: collecting the file again takes it
    monkeypatch.setattr(analyse_mod, "match_book", real)
    [again] = collect(project, R1, [bad]).results
    assert again.status == "accepted"


def test_a_failure_while_recording_is_that_files_result(issued, tmp_path, monkeypatch):
    project, forms = issued
    a = fill(forms["住建局"], tmp_path / "a.xlsx", default=96)
    b = fill(forms["水利局"], tmp_path / "b.xlsx", default=96)
    real = collect_mod._Decider._store_values

    def store(self, c, sid, an, dept):
        if dept == "住建局":
            real(self, c, sid, an, dept)
            raise ValueError("recording failed")
        return real(self, c, sid, an, dept)

    monkeypatch.setattr(collect_mod._Decider, "_store_values", store)
    results = collect(project, R1, [a, b]).results
    assert [r.status for r in results] == ["internal", "accepted"]
    # the failed file left nothing half-written behind
    assert {d for d, _ in _values(project)} == {"水利局"}
    n = project.ledger.conn.execute(
        "SELECT COUNT(*) FROM submissions WHERE department = '住建局' AND status = 'accepted'"
    ).fetchone()[0]
    assert n == 0


def test_a_copied_row_is_reported_once_and_never_crashes(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})

    def copy_row(ws, wb):
        r = _row_of(ws, "县城污水处理率")
        last = ws.max_row + 1
        for c in range(1, len(L.INDICATOR_COLUMNS) + 1):
            ws.cell(last, c).value = ws.cell(r, c).value  # hidden 标识 included
        ws.cell(last, COL["current"]).value = 12  # the "sub-item" the department added
        ws.cell(last, COL["name"]).value = "县城污水处理率（其中：乡镇）"

    dst = _edit(src, tmp_path / f"{R1}_住建局_填报表.xlsx", copy_row)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted"
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.current_cell) == (
        96.5,
        f"{C['current']}{_row_of(openpyxl.load_workbook(dst)[L.SHEET_INDICATORS], '县城污水处理率')}",
    )
    found = {p["code"]: p for p in _codes(project, r.submission_id)}
    assert "row.name_unknown" in found or "row.duplicate" in found
    dup = found.get("row.duplicate")
    assert dup is not None and dup["row"] == openpyxl.load_workbook(dst)[L.SHEET_INDICATORS].max_row


def test_an_exact_copy_of_a_row_is_recorded_once(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})

    def copy_row(ws, wb):
        r = _row_of(ws, "县城污水处理率")
        last = ws.max_row + 1
        for c in range(1, len(L.INDICATOR_COLUMNS) + 1):
            ws.cell(last, c).value = ws.cell(r, c).value

    dst = _edit(src, tmp_path / "b.xlsx", copy_row)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted"
    ws = openpyxl.load_workbook(dst)[L.SHEET_INDICATORS]
    [p] = [p for p in _codes(project, r.submission_id) if p["code"] == "row.duplicate"]
    assert p["row"] == ws.max_row and p["sheet"] == L.SHEET_INDICATORS
    assert p["message"] == msg(
        "row.duplicate", sheet=L.SHEET_INDICATORS, row=ws.max_row, first=_row_of(ws, "县城污水处理率"),
        name=ws.cell(_row_of(ws, "县城污水处理率"), COL["name"]).value,
    )  # fmt: skip


def test_pasted_foreign_rows_never_crash_and_are_not_recorded(issued, tmp_path):
    project, forms = issued
    other = openpyxl.load_workbook(fill(forms["水利局"], tmp_path / "w.xlsx", default=91))[L.SHEET_INDICATORS]
    src = fill(forms["住建局"], tmp_path / "a.xlsx", default=96)

    def paste(ws, wb):
        start = ws.max_row + 1
        for i, r in enumerate(range(FIRST, other.max_row + 1)):
            for c in range(1, len(L.INDICATOR_COLUMNS) + 1):
                ws.cell(start + i, c).value = other.cell(r, c).value
        # and the same rows once more (pasted twice)
        start = ws.max_row + 1
        for i, r in enumerate(range(FIRST, other.max_row + 1)):
            for c in range(1, len(L.INDICATOR_COLUMNS) + 1):
                ws.cell(start + i, c).value = other.cell(r, c).value

    dst = _edit(src, tmp_path / "b.xlsx", paste)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "wrong_department" and r.code == "wrong_department.foreign_rows"
    assert ("住建局", _key(project, "河湖岸线保护率")) not in _values(project)


def test_rows_sorted_without_the_hidden_key_are_credited_by_name(issued, tmp_path):
    project, forms = issued
    names = ["县城污水处理率", "城镇新建绿色建筑比例", "农村生活污水治理(管控)率"]
    values = {"县城污水处理率": 96.5, "城镇新建绿色建筑比例": 100, "农村生活污水治理(管控)率": 75}
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {n: {"current": v} for n, v in values.items()})

    def sort_visible(ws, wb):
        rows = list(range(FIRST, ws.max_row + 1))
        data = [[ws.cell(r, c).value for c in range(2, len(L.INDICATOR_COLUMNS) + 1)] for r in rows]
        data.sort(key=lambda d: str(d[COL["name"] - 2]), reverse=True)  # column A (标识) stays
        for r, d in zip(rows, data, strict=True):
            for c, v in enumerate(d, start=2):
                ws.cell(r, c).value = v

    dst = _edit(src, tmp_path / "sorted.xlsx", sort_visible)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    got = _values(project)
    ws = openpyxl.load_workbook(dst)[L.SHEET_INDICATORS]
    for n in names:
        v = got[("住建局", _key(project, n))]
        assert v.current_number == values[n] and v.current_cell == f"{C['current']}{_row_of(ws, n)}", n
    moved = [p for p in _codes(project, r.submission_id) if p["code"] == "row.key_name_mismatch"]
    assert moved and all(p["sheet"] == L.SHEET_INDICATORS for p in moved)


# ---- 2. cells read as the department saw them ---------------------------------------------------------
def test_percent_formatted_number_is_percentage_points(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")

    def typed(ws, wb):
        r = _row_of(ws, "县城污水处理率")
        ws.cell(r, COL["current"]).value = 0.952
        ws.cell(r, COL["current"]).number_format = "0.0%"
        r = _row_of(ws, "城镇新建绿色建筑比例")
        ws.cell(r, COL["current"]).value = 1
        ws.cell(r, COL["current"]).number_format = "0%"

    dst = _edit(src, tmp_path / "b.xlsx", typed)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted"
    got = _values(project)
    v = got[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.current_raw) == (95.2, "95.2%") and "percent_format" in v.flags
    v2 = got[("住建局", _key(project, "城镇新建绿色建筑比例"))]
    assert (v2.current_number, v2.current_raw) == (100.0, "100%")
    verdict = _verdict(project, "县城污水处理率")
    assert verdict.verdict == "达标" and "单元格显示 95.2%" in verdict.reason
    assert _verdict(project, "城镇新建绿色建筑比例").verdict == "达标"


def test_a_bare_fraction_on_a_percent_indicator_is_to_be_checked_not_failed(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 0.952}})
    [r] = collect(project, R1, [src]).results
    ws = openpyxl.load_workbook(src)[L.SHEET_INDICATORS]
    cell = f"{C['current']}{_row_of(ws, '县城污水处理率')}"
    [p] = [p for p in _codes(project, r.submission_id) if p["code"] == "value.fraction"]
    assert p["cell"] == cell and "0.952" in p["message"] and "95.2" in p["message"]
    verdict = _verdict(project, "县城污水处理率")
    assert verdict.verdict == "待核实"
    assert "单元格显示 0.952" in verdict.reason and "95.2%" in verdict.reason


@pytest.mark.parametrize(
    ("current", "previous", "flagged"),
    [(60.5, 0.62, True), (60.5, 0.6, True), (60.5, 62, False), (0.62, 0.605, False), (1.2, 0.5, False)],
)
def test_a_bare_fraction_as_previous_value_beside_a_percent_is_to_be_checked(issued, tmp_path, current, previous, flagged):
    """森林覆盖率 (保持稳定或持续改善): 本期 60.5 beside 上期 0.62 was "高于上期 0.62%" → a wrong 达标
    (62% → 60.5% is a fall). A fraction whose ×100 reads closer to 本期值 is 待核实, quoting the cell;
    fractions on both sides, or a small 上期值 that ×100 would not explain (0.5 → 1.2), are not."""
    project, forms = issued
    name = "森林覆盖率"
    values = {name: {"current": current, "previous": previous, "period": "上年"}}
    dst = fill(forms["自然资源局"], tmp_path / f"{R1}_自然资源局_填报表.xlsx", values)
    [r] = collect(project, R1, [dst]).results
    found = [p for p in _codes(project, r.submission_id) if p["code"] == "value.fraction_other"]
    v = _verdict(project, name)
    if not flagged:
        assert not found and v.verdict != "待核实", v.reason
        return
    row = _row_of(openpyxl.load_workbook(dst)[L.SHEET_INDICATORS], name)
    raw = str(previous)
    assert [p["cell"] for p in found] == [f"{C['previous']}{row}"]
    assert found[0]["message"] == msg(
        "value.fraction_other", sheet=L.SHEET_INDICATORS, row=row, name=name, field="上期值", raw=raw,
        current=str(current), scaled=str(round(previous * 100)),
    )  # fmt: skip
    assert v.verdict == "待核实" and msg("issue.flag.value.fraction_other") in v.reason, v.reason


def test_formula_without_result_and_error_values_are_reported(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")
    rows = {}

    def typed(ws, wb):
        rows["f"] = r = _row_of(ws, "县城污水处理率")
        ws.cell(r, COL["current"]).value = "=95+0.2"  # openpyxl saves no result, as scripts do
        rows["e"] = r = _row_of(ws, "城镇新建绿色建筑比例")
        ws.cell(r, COL["current"]).value = "#DIV/0!"

    dst = _edit(src, tmp_path / "b.xlsx", typed)
    [r] = collect(project, R1, [dst]).results
    found = {p["code"]: p for p in _codes(project, r.submission_id)}
    f = found["value.formula_no_result"]
    assert (
        f["cell"] == f"{C['current']}{rows['f']}"
        and "公式没有计算结果，请在 Excel 中打开后保存再发送" in f["message"]
    )
    e = found["value.excel_error"]
    assert e["cell"] == f"{C['current']}{rows['e']}" and "#DIV/0!" in e["message"]
    got = _values(project)
    assert got[("住建局", _key(project, "城镇新建绿色建筑比例"))].current_raw == "#DIV/0!"
    for name in ("县城污水处理率", "城镇新建绿色建筑比例"):
        assert _verdict(project, name).verdict == "待核实"


def test_a_task_status_that_is_a_formula_without_result_or_an_error_is_reported(issued, tmp_path):
    """A 完成状态 cell holding a formula whose result was not saved (a script, or a careless copy) or
    an Excel error was read as an empty status, with no word of it: now each is a finding at the
    status cell, and the task shows what the cell holds, not 未报."""
    from ecodesk.verdicts.tasks import task_progress

    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")
    rows = {}

    def typed(_ws, wb):
        ws = wb[L.SHEET_TASKS]
        titles = [(r, ws.cell(r, TCOL["title"]).value) for r in range(FIRST, ws.max_row + 1)]
        titles = [(r, t) for r, t in titles if t]
        assert len(titles) >= 2, titles
        (rows["f"], rows["f_title"]), (rows["e"], rows["e_title"]) = titles[:2]
        ws.cell(rows["f"], TCOL["status"]).value = '=IF(1>0,"已完成","推进中")'  # no saved result
        ws.cell(rows["e"], TCOL["status"]).value = "#N/A"

    dst = _edit(src, tmp_path / "b.xlsx", typed)
    [r] = collect(project, R1, [dst]).results
    found = {p["code"]: p for p in _codes(project, r.submission_id)}
    letter = openpyxl.utils.get_column_letter(TCOL["status"])
    f = found["task.formula_no_result"]
    assert f["sheet"] == L.SHEET_TASKS and f["cell"] == f"{letter}{rows['f']}"
    assert "文件中没有它的计算结果" in f["message"] and "已完成、推进中、未启动、滞后" in f["message"]
    e = found["task.excel_error"]
    assert e["cell"] == f"{letter}{rows['e']}" and "#N/A" in e["message"]
    rid = next(x.id for x in project.rounds() if x.name == R1)
    shown = {(t.department, str(t.status)) for t in task_progress(project, rid)}
    assert ("住建局", '=IF(1>0,"已完成","推进中")') in shown and ("住建局", "#N/A") in shown


def test_formula_with_a_saved_result_is_read(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")
    dst = _edit(
        src,
        tmp_path / "b.xlsx",
        lambda ws, wb: setattr(ws.cell(_row_of(ws, "县城污水处理率"), COL["current"]), "value", "=95+0.2"),
    )
    part = _sheet_part(dst, L.SHEET_INDICATORS)
    # what Excel writes: the formula and its cached result
    _patch_part(
        dst,
        part,
        lambda xml: re.sub(
            rb"(<f>95\+0\.2</f>)<v\s*/>|(<f>95\+0\.2</f>)<v></v>|(<f>95\+0\.2</f>)(?!<v>)",
            rb"<f>95+0.2</f><v>95.2</v>",
            xml,
        ),
    )
    [r] = collect(project, R1, [dst]).results
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert v.current_number == 95.2 and "formula" in v.flags
    assert not [p for p in _codes(project, r.submission_id) if p["code"].startswith("value.")]
    assert _verdict(project, "县城污水处理率").verdict == "达标"


# ---- 3. rows and layout ---------------------------------------------------------------------------
def test_edited_header_is_read_and_reported(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})

    def edit(ws, wb):
        ws.cell(L.HEADER_ROW + 1, COL["current"]).value = "本期值（2025年1-5月）"

    dst = _edit(src, tmp_path / "b.xlsx", edit)
    [r] = collect(project, R1, [dst]).results
    assert (
        r.status == "accepted"
        and _values(project)[("住建局", _key(project, "县城污水处理率"))].current_number == 96.5
    )
    [p] = [p for p in _codes(project, r.submission_id) if p["code"] == "sheet.header_edited"]
    assert p["message"] == msg(
        "sheet.header_edited",
        sheet=L.SHEET_INDICATORS,
        header="本期值（2025年1-5月）",
        col=C["current"],
        expected="本期值",
    )


def test_renamed_sheet_is_read_and_reported(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    dst = _edit(src, tmp_path / "b.xlsx", lambda ws, wb: setattr(ws, "title", "住建局指标"))
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.sheet) == (96.5, "住建局指标")
    assert msg("sheet.renamed", sheet="住建局指标", expected=L.SHEET_INDICATORS) in r.problems


def test_form_filled_in_a_copy_of_its_sheet_is_read_from_the_copy(issued, tmp_path):
    """The department copied 指标填报 to a new sheet (Excel's 移动或复制 → 建立副本), filled the copy and
    left the original blank: the copy's answers are read, with a finding — not "发回的是空白模板"."""
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})

    def copy_and_blank(ws, wb):
        wb.copy_worksheet(ws).title = "指标填报 (2)"
        ws.cell(_row_of(ws, "县城污水处理率"), COL["current"]).value = None

    dst = _edit(src, tmp_path / f"{R1}_住建局_填报表.xlsx", copy_and_blank)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    ws = openpyxl.load_workbook(dst)["指标填报 (2)"]
    assert (v.current_number, v.sheet, v.current_cell) == (
        96.5, "指标填报 (2)", f"{C['current']}{_row_of(ws, '县城污水处理率')}"
    )  # fmt: skip
    codes = [p["code"] for p in _codes(project, r.submission_id)]
    assert msg("sheet.copied", sheet="指标填报 (2)", expected=L.SHEET_INDICATORS) in r.problems
    assert "form.untouched" not in codes and "sheet.extra" not in codes, r.problems
    assert _verdict(project, "县城污水处理率").verdict == "达标"


def test_a_blank_copy_beside_the_filled_form_changes_nothing(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})

    def copy_blank(ws, wb):
        c = wb.copy_worksheet(ws)
        c.title = "备份"
        c.cell(_row_of(ws, "县城污水处理率"), COL["current"]).value = None

    dst = _edit(src, tmp_path / f"{R1}_住建局_填报表.xlsx", copy_blank)
    [r] = collect(project, R1, [dst]).results
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.sheet) == (96.5, L.SHEET_INDICATORS)
    assert msg("sheet.extra", sheet="备份", expected=L.SHEET_INDICATORS) in r.problems


def test_a_sub_item_row_inserted_without_a_key_is_reported_by_its_name(issued, tmp_path):
    """A department inserts a row under 县城污水处理率 for a sub-item of its own: it is no indicator
    of the project and is not recorded; the finding names the row as the clerk sees it."""
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    rows = {}

    def insert(ws, wb):
        rows["r"] = r = _row_of(ws, "县城污水处理率") + 1
        ws.insert_rows(r)
        ws.cell(r, COL["name"]).value = "其中：城区污水处理率"
        ws.cell(r, COL["current"]).value = 97

    dst = _edit(src, tmp_path / f"{R1}_住建局_填报表.xlsx", insert)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    assert _values(project)[("住建局", _key(project, "县城污水处理率"))].current_number == 96.5
    assert msg("row.unmatched", sheet=L.SHEET_INDICATORS, rows=f"第 {rows['r']} 行『其中：城区污水处理率』") in r.problems


def test_table_pasted_beside_and_extra_sheet_are_reported(issued, tmp_path):
    project, forms = issued
    other = openpyxl.load_workbook(fill(forms["水利局"], tmp_path / "w.xlsx", default=91))[L.SHEET_INDICATORS]
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    offset = len(L.INDICATOR_COLUMNS) + 2

    def paste(ws, wb):
        for r in range(1, other.max_row + 1):
            for c in range(1, len(L.INDICATOR_COLUMNS) + 1):
                ws.cell(r, offset + c).value = other.cell(r, c).value
        wb.create_sheet("参考数据")["A1"] = "2024年数据"

    dst = _edit(src, tmp_path / "b.xlsx", paste)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted" and "指标 6 项" in r.message
    assert _values(project)[("住建局", _key(project, "县城污水处理率"))].current_number == 96.5
    assert ("住建局", _key(project, "河湖岸线保护率")) not in _values(project)
    codes = {p["code"]: p for p in _codes(project, r.submission_id)}
    assert codes["sheet.pasted_table"]["message"] == msg(
        "sheet.pasted_table", sheet=L.SHEET_INDICATORS, row=L.HEADER_ROW + 1, col=L.col_letter(offset)
    )
    assert codes["sheet.extra"]["message"] == msg(
        "sheet.extra", sheet="参考数据", expected=L.SHEET_INDICATORS
    )


def test_extra_column_is_reported(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    extra = len(L.INDICATOR_COLUMNS) + 1

    def edit(ws, wb):
        ws.cell(L.HEADER_ROW + 1, extra).value = "备注"
        ws.cell(_row_of(ws, "县城污水处理率"), extra).value = "含乡镇"

    dst = _edit(src, tmp_path / "b.xlsx", edit)
    [r] = collect(project, R1, [dst]).results
    assert (
        msg("sheet.extra_column", sheet=L.SHEET_INDICATORS, col=L.col_letter(extra - 1), header="备注")
        in r.problems
    )


def test_merged_value_cell_gives_both_rows_and_asks(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")
    rows = {}

    def merge(ws, wb):
        ws.unprotect() if hasattr(ws, "unprotect") else None
        r = rows["r"] = FIRST
        ws.cell(r, COL["current"]).value = 96
        ws.merge_cells(f"{C['current']}{r}:{C['current']}{r + 1}")

    dst = _edit(src, tmp_path / "b.xlsx", merge)
    [r] = collect(project, R1, [dst]).results
    ws = openpyxl.load_workbook(dst)[L.SHEET_INDICATORS]
    first, second = (
        str(ws.cell(rows["r"] + i, COL["name"]).value).split("：")[-1].rstrip("*") for i in (0, 1)
    )
    got = _values(project)
    a, b = got[("住建局", _key(project, first))], got[("住建局", _key(project, second))]
    assert a.current_number == b.current_number == 96
    assert b.current_cell == f"{C['current']}{rows['r']}"
    [p] = [p for p in _codes(project, r.submission_id) if p["code"] == "cell.merged"]
    assert (
        (p["first"], p["last"]) == (rows["r"], rows["r"] + 1)
        if "first" in p
        else p["cell"] == f"{C['current']}{rows['r']}"
    )
    assert _verdict(project, second).verdict == "待核实"


def test_long_note_is_cut_and_reported(issued, tmp_path):
    project, forms = issued
    note = "说明" * 1300
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96, "note": note}})
    [r] = collect(project, R1, [src]).results
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert v.note == note[: analyse_mod.MAX_TEXT]
    ws = openpyxl.load_workbook(src)[L.SHEET_INDICATORS]
    assert msg(
        "value.too_long", sheet=L.SHEET_INDICATORS, row=_row_of(ws, "县城污水处理率"), name="县城污水处理率",
        field="完成情况说明", length=len(note), limit=analyse_mod.MAX_TEXT,
    ) in r.problems  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "note", "said"),
    [
        ("不 适 用", "", "（未写明理由）"),
        ("不适用。", "本县无牧区", "：本县无牧区"),
        ("不适用（本县无天然草原）", "", "：本县无天然草原"),
        ("无此项", "", "（未写明理由）"),
    ],
)
def test_not_applicable_typed_loosely_is_not_applicable(issued, tmp_path, typed, note, said):
    """草原综合植被盖度 is 视情适用: 不适用 however it was typed (spaced out, with a full stop, with
    its reason in brackets, or 无此项) is 不适用 — not "『不适用。』不是数字"."""
    project, forms = issued
    name = "草原综合植被盖度"
    dst = fill(forms["自然资源局"], tmp_path / f"{R1}_自然资源局_填报表.xlsx", {name: {"current": typed, "note": note}})
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    assert not [p for p in _codes(project, r.submission_id) if p["code"].startswith("value.")], r.problems
    v = _verdict(project, name)
    assert v.verdict == "不适用" and v.reason.startswith(f"自然资源局填报不适用{said}"), v.reason


@pytest.mark.parametrize("typed", ["/", "—", "无", "暂无数据"])
def test_a_blank_mark_is_reported_when_the_file_arrives_and_quoted_in_the_verdict(issued, tmp_path, typed):
    """"/" in 本期值 is read as blank (缺报), but the department wrote something: the 回收 list says
    so at once, and the verdict quotes it instead of "未填写本期值"."""
    project, forms = issued
    name = "县城污水处理率"
    dst = fill(forms["住建局"], tmp_path / f"{R1}_住建局_填报表.xlsx", {name: {"current": typed}})
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    row = _row_of(openpyxl.load_workbook(dst)[L.SHEET_INDICATORS], name)
    [p] = [p for p in _codes(project, r.submission_id) if p["code"] == "value.blank_marker"]
    assert p["cell"] == f"{C['current']}{row}"
    assert p["message"] == msg("value.blank_marker", sheet=L.SHEET_INDICATORS, row=row, name=name, field="本期值", raw=typed)
    assert "form.untouched" not in {p["code"] for p in _codes(project, r.submission_id)}, r.problems
    v = _verdict(project, name)
    assert v.verdict == "缺报" and v.reason.startswith(f"住建局已报送，本期值填写为『{typed}』（按未填写处理）"), v.reason
    from ecodesk.report.data import revision_problems

    own = [p.own for p in revision_problems(project, R1)["住建局"] if p.key == v.key]
    assert f"缺报：本期值填写为『{typed}』，按未填写处理" in own, own  # what the 退回修改 copy says


def test_untouched_form_gets_a_finding(issued, tmp_path):
    project, forms = issued
    [r] = collect(project, R1, [forms["住建局"]]).results
    assert msg("form.untouched", department="住建局") in r.problems


def test_value_typed_with_its_unit_is_a_number():
    v = normalise_number("0.6 立方米/万元", unit="立方米/万元")
    assert (v.kind, v.number, v.flags) == ("number", 0.6, ("unit_text",))


@pytest.mark.parametrize(
    ("typed", "number", "verdict", "code"),
    [
        ("1.1万吨", 1.1, "达标", None),  # in the indicator's own unit: not ×10000
        ("1.1万", 1.1, "达标", None),
        ("1.1", 1.1, "达标", None),
        ("1.3万吨", 1.3, "未达标", None),
        ("11000吨", 11000.0, "待核实", "value.unit_other"),  # another unit: never converted, never judged
    ],
)
def test_a_value_typed_with_wan_in_an_indicator_counted_in_wan(tmp_path, typed, number, verdict, code):
    """A county's own indicator counted in 万吨 (≤1.2): "1.1万吨" is 1.1 — read as 11000 it was a
    wrong 未达标 — and "11000吨" is another unit, 待核实 with a finding, not 11000 万吨."""
    from ecodesk.catalogue import Assignment, Indicator
    from ecodesk.catalogue.builtin import load_builtin
    from ecodesk.project import Project

    cat = load_builtin()
    name = "化学需氧量排放总量"
    cat.indicators.append(Indicator("ind-cod", "99", name, "万吨", "≤1.2", assignments=[Assignment("住建局", "lead")]))
    project = Project.create(tmp_path / "项目", cat, region="east")
    project.add_round(R1, "2025-06-30")
    form = next(Path(f.path) for f in generate_round(project, R1).forms if f.department == "住建局")
    dst = fill(form, tmp_path / f"{R1}_住建局_填报表.xlsx", {name: {"current": typed}})
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    v = next(v for v in judge_round(project, R1).verdicts if v.name == name)
    assert (v.value_number, v.verdict) == (number, verdict), v.reason
    codes = [p["code"] for p in _codes(project, r.submission_id) if p.get("key") == "ind-cod"]
    assert codes == ([code] if code else []), r.problems
    if code:
        row = _row_of(openpyxl.load_workbook(dst)[L.SHEET_INDICATORS], name)
        assert msg(code, sheet=L.SHEET_INDICATORS, row=row, name=name, field="本期值", raw=typed, unit="万吨") in r.problems
    project.close()


def test_every_finding_code_has_a_message():
    src = "".join(p.read_text(encoding="utf-8") for p in Path(analyse_mod.__file__).parent.glob("*.py"))
    codes = set(re.findall(r'"((?:row|sheet|cell|form|value|internal)\.[a-z_]+)"', src))
    assert codes and codes <= set(MESSAGES), codes - set(MESSAGES)


# ---- .ods: a second reader, line breaks kept -----------------------------------------------------------
def test_ods_with_whitespace_between_cells_and_line_breaks(issued, tmp_path):
    from ecodesk.office import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("需要 LibreOffice")
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5, "note": "第一行"}})
    ods = convert(src, "ods", tmp_path / "ods")

    def loosen(xml: bytes) -> bytes:  # what other spreadsheet programs write
        xml = xml.replace("第一行".encode(), "第一行<text:line-break/>第二行".encode())
        return re.sub(rb"(</table:table-cell>)", rb"\1\n      ", xml)

    _patch_part(ods, "content.xml", loosen)
    dst = tmp_path / f"{R1}_住建局_填报表.ods"
    ods.rename(dst)
    [r] = collect(project, R1, [dst]).results
    assert r.status == "accepted", r.message
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert v.current_number == 96.5 and v.note == "第一行\n第二行"


def test_ods_percent_cell_is_percentage_points(issued, tmp_path):
    from ecodesk.office import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("需要 LibreOffice")
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")
    dst = _edit(
        src,
        tmp_path / "b.xlsx",
        lambda ws, wb: (
            setattr(ws.cell(_row_of(ws, "县城污水处理率"), COL["current"]), "value", 0.952),
            setattr(ws.cell(_row_of(ws, "县城污水处理率"), COL["current"]), "number_format", "0.0%"),
        ),
    )
    ods = convert(dst, "ods", tmp_path / "ods")
    [r] = collect(project, R1, [ods]).results
    assert r.status == "accepted", r.message
    v = _values(project)[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.current_raw) == (95.2, "95.2%")


# ---- typed in LibreOffice Calc, saved as .xlsx / .xls / .ods ---------------------------------------------
@pytest.mark.libreoffice
def test_percent_typed_in_calc_is_read_as_typed_in_every_format(issued, tmp_path):
    from .lo_helpers import have_uno, type_into

    if not have_uno():
        pytest.skip("需要 LibreOffice 和 python3-uno")
    project, forms = issued
    ws = openpyxl.load_workbook(forms["住建局"])[L.SHEET_INDICATORS]
    rows = {n: _row_of(ws, n) for n in ("县城污水处理率", "城镇新建绿色建筑比例")}
    edits = [
        {"sheet": L.SHEET_INDICATORS, "cell": f"{C['current']}{rows['县城污水处理率']}", "text": "95.2%"},
        {
            "sheet": L.SHEET_INDICATORS,
            "cell": f"{C['current']}{rows['城镇新建绿色建筑比例']}",
            "text": "100%",
        },
    ]
    jobs = [
        {"src": forms["住建局"], "dst": tmp_path / fmt / f"{R1}_住建局_填报表.{fmt}", "edits": edits}
        for fmt in ("xlsx", "xls", "ods")
    ]
    for job in jobs:
        job["dst"].parent.mkdir()
    for job in jobs:
        res = type_into(job["src"], job["dst"], job["edits"])
        assert len(res["applied"]) == 2, res
    ctx = collect_mod.build_context(project)
    keys = {n: _key(project, n) for n in rows}
    for job in jobs:
        a = analyse_mod.analyse(job["dst"], str(job["dst"]), job["dst"].name, ctx)
        got = {e.key: e for e in a.entries}
        e = got[keys["县城污水处理率"]]
        assert (e.current.number, e.current_cell) == (95.2, f"{C['current']}{rows['县城污水处理率']}"), job
        assert e.current.raw.startswith("95.2") and e.current.raw.endswith("%"), e.current.raw
        assert got[keys["城镇新建绿色建筑比例"]].current.number == 100.0
        assert not [p for p in e.problems if p[0] == "value.fraction"]
    [r] = collect(project, R1, [jobs[1]["dst"]]).results  # the .xls
    assert r.status == "accepted", r.message
    verdict = _verdict(project, "县城污水处理率")
    assert verdict.verdict == "达标" and "单元格显示 95.20%" in verdict.reason, verdict.reason  # Calc's 0.00%


@pytest.mark.libreoffice
def test_a_password_protected_xls_or_ods_is_encrypted_not_damaged(issued, tmp_path):
    """Saved in Calc with 使用密码保存: calamine says only "Cannot detect file format"; the clerk is
    told the file has a password (remove it and send again), not that it is damaged."""
    from .lo_helpers import have_uno, type_into

    if not have_uno():
        pytest.skip("需要 LibreOffice 和 python3-uno")
    project, forms = issued
    edits = [{"sheet": L.SHEET_INDICATORS, "cell": f"{C['current']}{L.FIRST_DATA_ROW + 2}", "text": "96"}]
    files = []
    for fmt in ("xls", "ods"):
        dst = tmp_path / fmt / f"{R1}_住建局_填报表.{fmt}"
        dst.parent.mkdir()
        assert type_into(forms["住建局"], dst, edits, password="123456")["applied"]
        files.append(dst)
    good = fill(forms["水利局"], tmp_path / f"{R1}_水利局_填报表.xlsx", default=96)
    results = collect(project, R1, [*files, good]).results
    assert [(r.status, r.code) for r in results] == [
        ("unreadable", "unreadable.encrypted"),
        ("unreadable", "unreadable.encrypted"),
        ("accepted", "accepted.new"),
    ], [r.message for r in results]


def test_xls_percent_and_error_cells(issued, tmp_path):
    from ecodesk.office import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("需要 LibreOffice")
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx")
    rows = {}

    def typed(ws, wb):
        rows["p"] = r = _row_of(ws, "县城污水处理率")
        ws.cell(r, COL["current"]).value = 0.952
        ws.cell(r, COL["current"]).number_format = "0.0%"
        rows["e"] = r = _row_of(ws, "城镇新建绿色建筑比例")
        ws.cell(r, COL["current"]).value = "=1/0"

    xls = convert(_edit(src, tmp_path / "b.xlsx", typed), "xls", tmp_path / "xls")
    [r] = collect(project, R1, [xls]).results
    got = _values(project)
    v = got[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.current_raw) == (95.2, "95.2%")
    [e] = [p for p in _codes(project, r.submission_id) if p["code"] == "value.excel_error"]
    assert e["cell"] == f"{C['current']}{rows['e']}" and "#DIV/0!" in e["message"]


# ---- 5. form, intake and verdict agree on how each indicator is entered -----------------------------
def test_form_intake_and_verdict_agree_for_every_rule_kind(tmp_path):
    """Walk the catalogue (plus one indicator of each rule kind it lacks): fill every form the way
    the form itself offers (its dropdown's choices, a number where it checks for one, typed with
    the unit where it has one) and check intake reads each as given and the verdict judges it."""
    from ecodesk.catalogue import Assignment, Indicator
    from ecodesk.catalogue.builtin import load_builtin
    from ecodesk.project import Project
    from ecodesk.rules import indicator_rule
    from ecodesk.rules.entry import how_entered

    cat = load_builtin()
    extra = [("位列全省前列", "-"), ("≥90或保持稳定", "%"), ("≤0.6", "立方米/万元"), ("建立", "-")]
    for n, (text, unit) in enumerate(extra):
        cat.indicators.append(
            Indicator(
                f"ind-extra{n}",
                f"9{n}",
                f"附加指标{n}",
                unit,
                text,
                assignments=[Assignment("住建局", "lead")],
            )
        )
    cat.indicators[-1].applicability_mark = True  # a dropdown with 不适用
    kinds = set()

    def walk(rule):
        kinds.add(rule.kind)
        for c in rule.children():
            walk(c)

    for i in cat.indicators:
        walk(indicator_rule(i).rule)
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
    project = Project.create(tmp_path / "项目", cat, region="east")
    project.add_round(R1, "2025-06-30")
    inds = {i.key: i for i in project.catalogue().indicators}
    typed: dict[tuple[str, str], object] = {}
    paths = []
    for f in generate_round(project, R1).forms:
        wb = openpyxl.load_workbook(f.path)
        ws = wb[L.SHEET_INDICATORS]
        lists = {}
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                for rng in dv.sqref.ranges:
                    lists[rng.coord] = [x.strip('"') for x in dv.formula1.strip('"').split(",")]
        for r in range(FIRST, ws.max_row + 1):
            key = ws.cell(r, COL["key"]).value
            if key not in inds:
                continue
            ind = inds[key]
            how = how_entered(indicator_rule(ind).rule, ind.unit, ind.applicability_mark)
            cell = f"{C['current']}{r}"
            if cell in lists:  # the form offers a dropdown: intake must take its every choice
                assert how.kind == "status" and tuple(lists[cell]) == how.dropdown, ind.name
                value: object = lists[cell][(r + len(f.department)) % len(lists[cell])]
            else:
                assert how.kind == "number", ind.name
                value = f"0.6 {ind.unit}" if ind.unit == "立方米/万元" else 96
                ws.cell(r, COL["previous"]).value = 95
                ws.cell(r, COL["assigned"]).value = 90
            ws.cell(r, COL["current"]).value = value
            typed[(f.department, key)] = value
        dst = tmp_path / "returns" / Path(f.path).name
        dst.parent.mkdir(exist_ok=True)
        wb.save(dst)
        paths.append(dst)
    results = collect(project, R1, paths).results
    assert {r.status for r in results} == {"accepted"}, [
        (r.path, r.message) for r in results if r.status != "accepted"
    ]
    for r in results:
        bad = [p for p in r.problems if "不是数字" in p or "不是可选的状态" in p]
        assert not bad, bad
    got = _values(project)
    for (dept, key), value in typed.items():
        v = got[(dept, key)]
        if isinstance(value, str) and value.endswith("立方米/万元"):
            assert v.current_number == 0.6
        elif isinstance(value, str):
            assert v.current_status == value or (value == L.NOT_APPLICABLE and v.not_applicable), (
                dept,
                value,
            )
        else:
            assert v.current_number == value
    for v in judge_round(project, R1).verdicts:
        assert v.verdict != "缺报" and "不是数字" not in v.reason and "不是可选" not in v.reason, (
            v.name,
            v.reason,
        )
