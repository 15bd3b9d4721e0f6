"""End to end: init → generate → fill (every rule kind, passing and failing, missing departments,
a conflict) → collect → validate → report; the report's layout checked cell by cell."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import openpyxl
import pytest

from ecodesk.catalogue import name_fingerprint
from ecodesk.demo import department_values, fill_form, sample_inputs, write_evidence
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.messages import EcoDeskError, msg
from ecodesk.report import annex1_sheet, write_report
from ecodesk.report.revision import write_revisions
from ecodesk.rules import indicator_rule
from ecodesk.verdicts import judge_round, override_verdict

from .snapshot import assert_matches_golden, snapshot

R1 = "2025年第一轮"
SAVED = dt.datetime(2025, 6, 20, 9, 0)
MISSING = ("卫健局", "统计局", "水投集团")


@pytest.fixture
def cycle(project, tmp_path):
    """A round where every rule kind appears, passing for even and failing for odd indicators."""
    cat = project.catalogue()
    # add the rule kinds the built-in table lacks: an alternative and a text only a person can judge
    by_name = {i.name: i for i in cat.indicators}
    by_name["农膜回收率"].target_text = "≥85或持续提高"
    by_name["公众对生态环境质量满意程度"].target_text = "位列嘉兴市前列"
    project.replace_catalogue(cat)
    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    cat = project.catalogue()
    kinds: dict[str, str] = {}
    expected: dict[str, str] = {}
    failing = set()
    for n, ind in enumerate(cat.indicators):
        kind = indicator_rule(ind).rule.kind
        want = "fail" if (n % 2 and kind != "manual") else "pass"
        if sample_inputs(ind, want) is None:
            want = "pass"
        if want == "fail":
            failing.add(ind.key)
        kinds[ind.key] = kind
        expected[ind.key] = {"pass": "达标", "fail": "未达标"}[want] if kind != "manual" else "待核实"
    returns = tmp_path / "returns"
    returns.mkdir()
    for dept, form in forms.items():
        if dept in MISSING:
            continue
        values = department_values(project, dept, failing)
        if dept == "经信局":  # co-department with a different PM2.5 value: a conflict
            values[next(i.key for i in cat.indicators if i.name == "PM2.5浓度")]["current"] = 99.5
        fill_form(form, returns / form.name, values, saved_at=SAVED)
        write_evidence(values, returns)  # the 佐证材料 the qualitative rows name, beside the forms
    results = collect(project, R1, [returns]).results
    assert {r.status for r in results} == {"accepted", "evidence"}
    for ind in cat.indicators:
        if ind.name == "PM2.5浓度":
            expected[ind.key] = "待核实"
        if ind.responsible in MISSING:
            expected[ind.key] = "缺报"
    return project, cat, kinds, expected


def test_every_verdict_and_reason(cycle):
    project, cat, kinds, expected = cycle
    assert {
        "threshold",
        "qualitative",
        "trend",
        "all_of",
        "superior_target",
        "delta",
        "region",
        "any_of",
        "manual",
    } <= set(kinds.values())
    rv = judge_round(project, R1)
    got = {v.key: v for v in rv.verdicts}
    assert {k: got[k].verdict for k in expected} == expected
    for ind in cat.indicators:
        v = got[ind.key]
        if v.verdict == "缺报":
            assert v.reason == f"牵头单位{ind.responsible}未报送"
            continue
        src = v.sources[0]
        assert src["department"] == ind.responsible
        assert (
            f"（{ind.responsible}，{R1}_{ind.responsible}_填报表.xlsx，指标填报!{src['cell']}）" in v.reason
        )
        if v.value_number is not None:
            from ecodesk.numbers import display_number

            assert display_number(v.value_number) in v.reason, v.reason
    pm = next(v for v in rv.verdicts if v.name == "PM2.5浓度")
    assert "经信局填报 99.5" in pm.reason and "不一致" in pm.reason
    manual = next(v for v in rv.verdicts if v.name == "公众对生态环境质量满意程度")
    assert manual.verdict == "待核实"
    missing_tasks = [t for t in rv.tasks if t.department in MISSING]
    assert missing_tasks and all(t.status == "未报" for t in missing_tasks)


def _col(ws, name: str) -> int:
    """1-based column of a header on the 指标责任分解表 (row 3)."""
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == name)


def test_override_is_kept_and_shown(cycle, tmp_path):
    project, cat, _kinds, _expected = cycle
    key = next(i.key for i in cat.indicators if i.name == "公众对生态环境质量满意程度")
    with pytest.raises(EcoDeskError) as e:
        override_verdict(project, R1, key, "达标")
    assert e.value.code == "verdict.note_required"
    override_verdict(project, R1, key, "达标", "嘉兴市通报排名第 2")
    v = next(v for v in judge_round(project, R1).verdicts if v.key == key)
    assert (v.verdict, v.computed) == ("达标", "待核实")
    assert v.reason.startswith("人工改判为达标（嘉兴市通报排名第 2；系统判定：待核实）")
    report = write_report(project, R1, tmp_path / "r.xlsx").path
    ws = openpyxl.load_workbook(report)[annex1_sheet.SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "公众对生态环境质量满意程度")
    assert ws.cell(row, _col(ws, "达标情况")).value == "√ 达标"
    assert ws.cell(row, _col(ws, "说明")).value == "人工改判（系统判定：待核实）：嘉兴市通报排名第 2"


def test_override_with_corrected_value(cycle, tmp_path):
    """A misread value corrected by the clerk: the sheet prints the corrected value and the note,
    never the contradicted reason beside the clerk's verdict; the ledger keeps the value."""
    project, cat, kinds, expected = cycle
    ind = next(
        i
        for i in cat.indicators
        if expected[i.key] == "未达标" and kinds[i.key] == "threshold" and i.unit == "%"
    )
    with pytest.raises(EcoDeskError) as e:
        override_verdict(project, R1, ind.key, "未达标", value="100")  # a value needs a note too
    assert e.value.code == "verdict.note_required"
    from ecodesk.cli import main

    assert main(["verdict", str(project.root), "--round", R1, ind.key, "--set", "达标", "--value", "100",
                 "--note", "部门来电更正：实为 100%"]) == 0  # fmt: skip
    row = project.ledger.conn.execute(
        "SELECT verdict, value, note FROM overrides WHERE indicator_key = ?", (ind.key,)
    )
    assert tuple(row.fetchone()) == ("达标", "100", "部门来电更正：实为 100%")
    v = next(v for v in judge_round(project, R1).verdicts if v.key == ind.key)
    assert (v.verdict, v.corrected_value) == ("达标", "100")
    ws = openpyxl.load_workbook(write_report(project, R1, tmp_path / "r.xlsx").path)[annex1_sheet.SHEET]
    r = next(
        r for r in range(4, ws.max_row + 1) if ind.name in str(ws.cell(r, 4).value or ws.cell(r, 5).value)
    )
    assert ws.cell(r, _col(ws, "本期值")).value == 100
    assert ws.cell(r, _col(ws, "达标情况")).value == "√ 达标"
    note = ws.cell(r, _col(ws, "说明")).value
    assert "部门来电更正：实为 100%" in note and "本期值更正为 100" in note and "未达到" not in note


def _annex_spans(cat) -> set[str]:
    """Expected merged ranges of columns A–E for the catalogue (first data row 4)."""
    from openpyxl.utils import get_column_letter

    top = annex1_sheet.HEADER_ROW + 2  # 1-based row of the first indicator
    spans = set()

    def runs(key, col, col2=None):
        i, inds = 0, cat.indicators
        while i < len(inds):
            j = i
            while j + 1 < len(inds) and key(inds[j + 1]) == key(inds[i]):
                j += 1
            c2 = col2 or col
            if key(inds[i]) and (j > i or c2 != col):
                spans.add(f"{get_column_letter(col)}{top + i}:{get_column_letter(c2)}{top + j}")
            i = j + 1

    runs(lambda i: i.reference, 1, 2)
    runs(lambda i: (not i.reference) and i.domain, 1)
    runs(lambda i: (not i.reference) and i.task and (i.domain, i.task), 2)
    runs(lambda i: (i.reference, i.domain, i.task, i.number), 3)
    runs(lambda i: i.group and (i.number, i.group), 4)
    for n, ind in enumerate(cat.indicators):
        if not ind.group:
            spans.add(f"D{top + n}:E{top + n}")
    return spans


def test_report_mirrors_annex1(cycle, tmp_path):
    project, cat, kinds, expected = cycle
    path = write_report(project, R1, tmp_path / "汇总.xlsx", as_of=dt.date(2025, 7, 3)).path
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["简报", "指标责任分解表", "重点工作任务", "报送情况", "问题清单", "历年趋势", "数据来源"]
    ws = wb["指标责任分解表"]
    assert "截至 2025年7月3日" in ws["A2"].value and "嵊州市" in ws["A1"].value and R1 in ws["A1"].value
    header = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert header == [
        "领域",
        "任务",
        "序号",
        "指标名称",
        None,
        "单位",
        "指标值",
        "责任部门\n(标*为牵头单位)",
        "上级下达\n目标值",  # the built-in table has 上级下达 targets
        "本期值",
        "上期值",
        "达标情况",
        "说明",
    ]
    merged = {str(m) for m in ws.merged_cells.ranges}
    breaks = [b.id for b in ws.row_breaks.brk]  # a page ends after row id (1-based)
    assert breaks
    from openpyxl.utils.cell import range_boundaries

    for span in _annex_spans(cat):  # each Annex 1 merge, cut only where a page ends, label repeated
        c1, r1, c2, r2 = range_boundaries(span)
        cuts = [r1] + [b + 1 for b in breaks if r1 <= b < r2] + [r2 + 1]
        label = ws.cell(r1, c1).value
        for a, z in itertools.pairwise(cuts):
            piece = f"{ws.cell(a, c1).coordinate}:{ws.cell(z - 1, c2).coordinate}"
            assert piece in merged or (a == z - 1 and c1 == c2), (span, piece)
            assert ws.cell(a, c1).value == label
    top = 4
    for n, ind in enumerate(cat.indicators):
        r = top + n
        name_cell = ws.cell(r, 5 if ind.group else 4).value
        assert name_fingerprint(name_cell) == name_fingerprint(ind.name)
        assert ws.cell(r, 7).value == ind.target_text
        verdict = ws.cell(r, _col(ws, "达标情况")).value
        assert verdict.split(" ", 1)[1] == expected[ind.key] and verdict[0] in "√×？〇／"
        value = ws.cell(r, _col(ws, "本期值"))
        if expected[ind.key] != "缺报" and kinds[ind.key] != "qualitative":
            assert value.data_type == "n", (ind.name, value.value)  # numbers are numbers
        note = ws.cell(r, _col(ws, "说明")).value or ""
        assert ".xlsx" not in note and "!" not in note  # provenance is on 数据来源
    for name in wb.sheetnames:
        s = wb[name]
        assert s.page_setup.orientation == "landscape" and int(s.page_setup.paperSize) == 9
        assert 10 <= int(s.page_setup.scale) <= 100
        assert "&P" in s.oddFooter.center.text
    src = wb["数据来源"]
    text = "\n".join(str(c.value) for row in src.iter_rows() for c in row if c.value)
    for v in judge_round(project, R1).verdicts:
        for x in v.sources:
            assert x["file"] in text and x["sha256"] in text


def test_pages_break_between_groups_or_repeat_labels(cycle):
    """Every page of the two tables: no merged label crosses a break, every row on the page has its
    领域/任务/序号 (or 序号/主要任务) block on that page, and a page prefers to start a new group."""
    from ecodesk.report import tasks_sheet
    from ecodesk.report.data import gather
    from ecodesk.report.layout import SheetLayout

    project, _cat, *_ = cycle
    data = gather(project, R1, dt.date(2025, 7, 3))
    for build, label_cols, first in ((annex1_sheet.build, (0, 1, 2), 3), (tasks_sheet.build, (0, 1), 3)):
        lay: SheetLayout = build(data)
        assert lay.breaks, "the tables take more than one page"
        pages = lay.pages()
        for b in lay.blocks:
            assert not any(b.r1 < x <= b.r2 for x in lay.breaks), b
        for a, z in pages:
            for r in range(max(a, first), z + 1):
                for c in label_cols:
                    assert any(b.r1 <= r <= b.r2 and b.c1 <= c <= b.c2 for b in lay.blocks), (lay.name, r, c)
        assert all(h <= max(lay.page_heights()) for h in lay.page_heights())


def test_formula_injection_is_neutralised(project, tmp_path):
    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    cat = project.catalogue()
    key = next(i.key for i in cat.indicators_for("水利局") if i.name == "河湖岸线保护率")
    evil = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
    values = {key: {"current": "X", "note": "X", "source": "X", "evidence": "X"}}
    tasks = {t.key: {"status": "推进中", "progress": "X", "problems": "X"} for t in cat.tasks_for("水利局")}
    path = fill_form(forms["水利局"], tmp_path / f"{R1}_水利局_填报表.xlsx", values, tasks)
    wb = openpyxl.load_workbook(
        path
    )  # text that looks like a formula, stored as text (as Excel does for '=…)
    texts = iter(evil * 20)
    for name in ("指标填报", "任务进展"):
        for row in wb[name].iter_rows():
            for c in row:
                if c.value == "X":
                    c.value = next(texts)
                    c.data_type = "s"
    wb.save(path)
    collect(project, R1, [path])
    path = write_report(project, R1, tmp_path / "r.xlsx").path
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    ws = wb["指标责任分解表"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "河湖岸线保护率")
    assert (
        ws.cell(row, _col(ws, "本期值")).value == evil[0]
        and ws.cell(row, _col(ws, "本期值")).data_type == "s"
    )
    progress = [c.value for row in wb["重点工作任务"].iter_rows() for c in row]
    assert set(evil) & set(progress)


def test_briefing_status_and_issue_sheets(cycle, tmp_path):
    project, _cat, _kinds, _expected = cycle
    project.update_settings(office_contact="创建办 李四 0575-1234")
    wb = openpyxl.load_workbook(
        write_report(project, R1, tmp_path / "r.xlsx", as_of=dt.date(2025, 7, 3)).path
    )
    status = wb["报送情况"]
    rows = {status.cell(r, 2).value: [c.value for c in status[r]] for r in range(4, status.max_row + 1)}
    for dept in MISSING:
        assert rows[dept][5] == "未报送"
    assert rows["水利局"][5] in ("已报送", "已报送（有缺项）")
    text = "\n".join(str(c.value) for row in status.iter_rows() for c in row if c.value)
    assert "【催报】" in text and "卫健局" in text
    assert text.rstrip().endswith("如有疑问请联系：创建办 李四 0575-1234。")  # the office's saved contact
    assert "“治水”" in text and "“治水””" not in text  # task titles quoted as 「…」, never nested “…“…””
    # the long 催报 notice is one line a row: no row passes Excel's 409-point limit (Excel would cut it)
    tall = [(ws.title, r, d.height) for ws in wb for r, d in ws.row_dimensions.items() if (d.height or 0) > 409]
    assert tall == []
    assert any(str(c.value).startswith("【催报】") for row in status.iter_rows() for c in row if c.value)
    issues = wb["问题清单"]
    groups = [issues.cell(r, 1).value for r in range(4, issues.max_row + 1)]
    assert any(str(g).startswith("卫健局（") for g in groups)
    import re

    for ws in wb.worksheets[:-1]:  # the leaders' pages: no file name, no cell address (数据来源 has them)
        for row in ws.iter_rows():
            for c in row:
                assert not re.search(r"\.xls|\.ods|![A-Z]{1,3}\d", str(c.value or "")), (ws.title, c.coordinate)
    brief = wb["简报"]
    text = "\n".join(str(c.value) for row in brief.iter_rows() for c in row if c.value is not None)
    counts = judge_round(project, R1).counts()
    assert f"共 {sum(counts.values())} 项" in text and f"未达标 {counts['未达标']} 项" in text
    assert "本轮为首轮" in text and "尚未报送 3 个：" in text and "卫健局" in text
    head = next(r for r in range(1, brief.max_row + 1) if brief.cell(r, 1).value == "领域")
    assert [brief.cell(head, c).value for c in range(2, 7)] == [
        "√ 达标",
        "× 未达标",
        "？ 待核实",
        "〇 缺报",
        "／ 不适用",
    ]
    total = next(r for r in range(head, brief.max_row + 1) if brief.cell(r, 1).value == "合计")
    for c, v in enumerate(("达标", "未达标", "待核实", "缺报", "不适用"), start=2):
        assert brief.cell(total, c).value == (counts[v] or "—")  # a dash for none, never a stray 0


def test_revision_copies_highlight_and_comment(cycle, tmp_path):
    project, cat, _kinds, expected = cycle
    files = {r.department: r for r in write_revisions(project, R1, tmp_path / "退回")}
    fail_dept = next(i.responsible for i in cat.indicators if expected[i.key] == "未达标")
    rev = files[fail_dept]
    assert rev.path is not None and rev.path.exists()
    wb = openpyxl.load_workbook(rev.path)
    ws = wb["指标填报"]
    commented = [c for row in ws.iter_rows() for c in row if c.comment]
    assert commented and all(c.fill.fgColor.rgb.endswith("FFC7CE") for c in commented)
    assert any("未达标" in c.comment.text for c in commented)
    assert "_ecodesk" in wb.sheetnames  # still recognised as the genuine form when it comes back
    assert files["卫健局"].path is None and "尚未报送" in files["卫健局"].message


def test_report_layout_matches_golden(cycle, tmp_path):
    project, _cat, _kinds, _expected = cycle
    path = write_report(project, R1, tmp_path / "golden.xlsx", as_of=dt.date(2025, 7, 3)).path
    snap = snapshot(path, styles=True)
    for sheet in snap["sheets"]:  # verdict reasons quote file names, fine; received times vary
        sheet["cells"] = {
            k: v
            for k, v in sheet["cells"].items()
            if not (sheet["title"] == "报送情况" and k.startswith("D")) and sheet["title"] != "数据来源"
        }
    assert_matches_golden(snap, "report")


def test_locked_output_gives_the_right_message(cycle, tmp_path, monkeypatch):
    project, *_ = cycle
    out = tmp_path / "输出" / "汇总.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the clerk's previous report, open in Excel")

    def locked(src, dst):  # what Windows does while Excel holds the file open
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("ecodesk.xlsx.atomic.os.replace", locked)
    with pytest.raises(EcoDeskError) as e:
        write_report(project, R1, out)
    assert e.value.code == "report.locked"
    assert "请先在 Excel 中关闭该文件，再点击重试" in str(e.value)
    assert out.read_bytes() == b"the clerk's previous report, open in Excel"  # nothing lost
    assert sorted(p.name for p in out.parent.iterdir()) == ["汇总.xlsx"]  # no half-written file left


def test_unwritable_output_fails_cleanly(cycle, tmp_path):
    project, *_ = cycle
    out = tmp_path / "输出" / "占用"
    out.mkdir(parents=True)  # a folder where the file should go: the write cannot complete
    with pytest.raises(EcoDeskError) as e:
        write_report(project, R1, out)
    assert e.value.code == "report.write_failed"
    assert list(out.parent.iterdir()) == [out]


@pytest.mark.libreoffice
def test_report_pdf_is_a4_landscape(cycle, tmp_path):
    from .conftest import soffice_path
    from .lo_helpers import pdf_page_count, pdf_to_png

    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装")
    project, *_ = cycle
    result = write_report(project, R1, tmp_path / "汇总.xlsx", pdf=True)
    assert result.pdf is not None and result.pdf_error == ""
    pages = pdf_page_count(result.pdf)
    assert pages >= 5  # at least one page per sheet
    import subprocess

    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), str(result.pdf)], capture_output=True, text=True
    ).stdout
    sizes = [line for line in info.splitlines() if line.startswith("Page") and "size:" in line]
    assert len(sizes) == pages and all("841.89 x 595" in s for s in sizes)  # every page A4 landscape
    assert pdf_to_png(result.pdf, tmp_path / "p", 1, 1)[0].stat().st_size > 20_000


def test_pdf_without_libreoffice_says_what_to_do(cycle, tmp_path, monkeypatch):
    project, *_ = cycle
    monkeypatch.setattr("ecodesk.office.find_soffice", lambda: None)
    result = write_report(project, R1, tmp_path / "汇总.xlsx", pdf=True)
    assert result.pdf is None and result.path.exists()
    assert result.pdf_error == msg("report.no_libreoffice")


def _guide_pdf_text(path: Path, tmp_path: Path) -> str:
    """The text of the printed 退回修改说明 sheet (LibreOffice prints the workbook; it comes first)."""
    import subprocess

    from ecodesk.office import convert

    pdf = convert(path, "pdf", tmp_path / "pdf")
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[0] if "退回修改说明" in out.stdout.split("\f")[0] else ""


def test_revision_copy_marks_exactly_the_findings(project, tmp_path):
    """One department's return with a failing value, an empty 上级下达目标值, a status typed past the
    dropdown and a task left without status: exactly those cells are marked, the first sheet lists
    each, and nothing of another department is quoted."""
    from ecodesk.forms import layout as L
    from ecodesk.report.revision import GUIDE, HIGHLIGHT

    project.add_round(R1, "2025-06-30")
    project.update_settings(office_contact="创建办 王五 0575-0000")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    cat = project.catalogue()
    dept = "水利局"
    inds = [i for i in cat.indicators_for(dept) if "assigned" in indicator_rule(i).rule.needs()]
    fail, no_target = inds[0], inds[1]
    values = department_values(project, dept, {fail.key})
    values[no_target.key].pop("assigned")
    tasks = cat.tasks_for(dept)
    tvals = {t.key: {"status": "推进中", "progress": "按计划推进"} for t in tasks}
    tvals[tasks[0].key]["status"] = "差不多了"  # typed past the dropdown
    tvals[tasks[1].key] = {"progress": "正在推进"}  # no status
    returns = tmp_path / "returns"
    returns.mkdir()
    fill_form(forms[dept], returns / forms[dept].name, values, tvals, saved_at=SAVED)
    other = "经信局"  # another department reports too; none of its data may appear in 水利局's copy
    other_tasks = {t.key: {"status": "已完成", "progress": "已完成"} for t in cat.tasks_for(other)}
    fill_form(
        forms[other],
        returns / forms[other].name,
        department_values(project, other, set()),
        other_tasks,
        SAVED,
    )
    assert {r.status for r in collect(project, R1, [returns]).results} == {"accepted"}

    form = openpyxl.load_workbook(forms[dept])
    row_of = {
        (name, form[name].cell(r, 1).value): r
        for name in (L.SHEET_INDICATORS, L.SHEET_TASKS)
        for r in range(1, form[name].max_row + 1)
    }
    head = {
        name: {form[name].cell(L.FIRST_DATA_ROW, c).value: c for c in range(1, form[name].max_column + 1)}
        for name in (L.SHEET_INDICATORS, L.SHEET_TASKS)
    }
    from openpyxl.utils import get_column_letter as col

    ind_sheet, task_sheet = L.SHEET_INDICATORS, L.SHEET_TASKS
    expected = {
        (ind_sheet, f"{col(head[ind_sheet]['本期值'])}{row_of[(ind_sheet, fail.key)]}"),
        (ind_sheet, f"{col(head[ind_sheet]['上级下达目标值'])}{row_of[(ind_sheet, no_target.key)]}"),
        (task_sheet, f"{col(head[task_sheet]['完成状态'])}{row_of[(task_sheet, tasks[0].key)]}"),
        (task_sheet, f"{col(head[task_sheet]['完成状态'])}{row_of[(task_sheet, tasks[1].key)]}"),
    }
    files = {
        r.department: r for r in write_revisions(project, R1, tmp_path / "退回", today=dt.date(2025, 7, 3))
    }
    wb = openpyxl.load_workbook(files[dept].path)
    assert wb.sheetnames[0] == GUIDE and "_ecodesk" in wb.sheetnames
    marked = {
        (ws.title, c.coordinate)
        for ws in wb.worksheets[1:]
        for row in ws.iter_rows()
        for c in row
        if c.fill is not None and c.fill.fgColor.rgb.endswith(HIGHLIGHT.fgColor.rgb[-6:])
    }
    commented = {
        (ws.title, c.coordinate)
        for ws in wb.worksheets[1:]
        for row in ws.iter_rows()
        for c in row
        if c.comment
    }
    assert marked == commented == expected
    guide = wb[GUIDE]
    items = [
        guide.cell(r, 2).value for r in range(4, guide.max_row + 1) if str(guide.cell(r, 1).value).isdigit()
    ]
    assert len(items) >= 4 and f"{fail.number} {fail.name}" in items
    # what the office added: the first sheet and the comments (the form itself lists co-departments)
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    text += "\n".join(
        c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment
    )
    assert other not in text and f"{other}_填报表" not in text
    assert "差不多了" in text and "未填写上级下达目标值" in text
    closing = guide.cell(guide.max_row, 1).value
    assert "2025年7月8日前重新报送" in closing and closing.endswith("创建办 王五 0575-0000。")
    for r in [*range(4, 4 + len(items)), guide.max_row]:  # every row tall enough for its wrapped text
        assert guide.row_dimensions[r].height and guide.row_dimensions[r].height >= 20
    # the corrected copy is still the department's genuine form when it comes back
    back = collect(project, R1, [files[dept].path], force=True).results[0]
    assert back.status in ("accepted", "duplicate"), back.message


@pytest.mark.libreoffice
def test_revision_first_sheet_prints_every_item(project, tmp_path):
    from .conftest import soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装")
    from ecodesk.demo import simulate_returns

    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    simulate_returns(project, forms, tmp_path / "returns")
    collect(project, R1, [tmp_path / "returns"])
    files = [r for r in write_revisions(project, R1, tmp_path / "退回") if r.path]
    rev = max(files, key=lambda r: len(r.problems))  # the department with the most problems
    page = "".join(_guide_pdf_text(rev.path, tmp_path).split())
    assert page, "the first printed page is the 退回修改说明"
    guide = openpyxl.load_workbook(rev.path)["退回修改说明"]
    for r in range(4, guide.max_row + 1):
        if str(guide.cell(r, 1).value).isdigit():
            for c in (2, 3, 4, 5):  # 事项, 问题, 请修改, 在表中的位置 of every item, whole
                assert "".join(str(guide.cell(r, c).value).split()) in page, (r, c)
    assert "重新报送" in page
    assert f"{R1}退回修改说明{rev.department}" in page and "第1页，共" in page  # the running header


def _pdf_pages(pdf: Path, mode: str = "-layout") -> list[str]:
    """Text of each page: ``-layout`` keeps lines as printed; ``-raw`` keeps each cell's wrapped
    lines together (the order the cells were drawn)."""
    import subprocess

    out = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = out.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@pytest.fixture
def demo_pack(tmp_path):
    """The demo's project and its report for 3 July 2025, as layouts and (where LibreOffice is
    installed) as the PDF LibreOffice prints."""
    from ecodesk.demo import ROUND, run_demo
    from ecodesk.project import Project

    run_demo(tmp_path / "示例")
    project = Project.open(tmp_path / "示例")
    yield project, ROUND
    project.close()


@pytest.mark.libreoffice
def test_demo_pack_pdf_pages(demo_pack, tmp_path):
    """The printed pack, read back page by page: page 1 is the briefing; every page of the two tables
    shows the labels of its rows; no file name or cell address on the leaders' pages; each verdict
    carries its word and symbol; 数据来源 prints last; the pages are the layout's pages."""
    import re
    import subprocess

    from .conftest import soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice 未安装")
    project, rnd = demo_pack
    result = write_report(project, rnd, tmp_path / "汇总.xlsx", pdf=True, as_of=dt.date(2025, 7, 3))
    assert result.pdf is not None, result.pdf_error
    pages = _pdf_pages(result.pdf)
    lays = result.layouts
    assert len(pages) == sum(len(lay.pages()) for lay in lays)  # LibreOffice kept the layout's breaks
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(pages)), str(result.pdf)], capture_output=True, text=True
    )
    sizes = [s for s in info.stdout.splitlines() if s.startswith("Page") and "size:" in s]
    assert len(sizes) == len(pages) and all("841.89 x 595" in s for s in sizes)  # all A4 landscape
    flat = ["".join(p.split()) for p in _pdf_pages(result.pdf, "-raw")]
    assert len(flat) == len(pages)
    assert "工作简报" in flat[0] and "一、指标达标情况" in flat[0] and "五、需要决定的事项" in flat[0]
    assert "尚未报送2个：卫健局、统计局" in flat[0]
    # which sheet each page belongs to, from the page header
    sheet_of = [next(lay.name for lay in lays if lay.name in p.splitlines()[0]) for p in pages if p.strip()]
    assert sheet_of[0] == "简报" and sheet_of[-1] == "数据来源" and sheet_of.count("简报") == 1
    cat = project.catalogue()
    rv = judge_round(project, rnd)
    marks = {"达标": "√", "未达标": "×", "待核实": "？", "缺报": "〇", "不适用": "／"}
    seen_verdicts: dict[str, int] = dict.fromkeys(marks, 0)
    seen_inds: set[str] = set()
    for text, sheet in zip(flat, sheet_of, strict=True):
        if sheet != "数据来源":  # leaders' pages: value, target, verdict, reason — no provenance
            assert not re.search(r"\.xls|\.ods|\.csv|[!！]\$?[A-Z]{1,3}\$?\d+", text), text[:200]
        if sheet == "指标责任分解表":
            assert "领域任务序号指标名称" in text  # the header on every page
            for ind in cat.indicators:
                name = "".join(ind.display_name.split())[:6]
                if name in text and ind.key not in seen_inds:
                    seen_inds.add(ind.key)
                    label = "参考性指标" if ind.reference else ind.domain
                    assert label in text, (ind.name, label)  # the row's 领域 on its own page
                    assert "".join(ind.task.split())[:4] in text or ind.reference
            for word, mark in marks.items():
                seen_verdicts[word] += len(re.findall(f"{mark}{word}", text))
        if sheet == "重点工作任务":
            assert "序号主要任务责任部门完成状态" in text
            for t in rv.tasks:
                if "".join(t.progress.split()) and "".join(t.progress.split()) in text:
                    assert "".join(t.title.split())[:4] in text  # its 主要任务 label on the same page
    assert seen_inds == {i.key for i in cat.indicators}
    assert seen_verdicts == rv.counts()
    src = "".join(flat[sheet_of.index("数据来源") :])
    assert "_填报表.xlsx" in src  # provenance is kept, on its own sheet
    # look at the pages: colour and greyscale PNGs are left next to the PDF for a person
    for mode in ([], ["-gray"]):
        subprocess.run(["pdftoppm", "-r", "60", *mode, "-png", str(result.pdf), str(tmp_path / f"p{''.join(mode)}")],
                       check=True, timeout=300)  # fmt: skip


def test_qt_pages_are_the_layout_pages(demo_pack, tmp_path, qapp):
    """The app's print preview and its PDF without LibreOffice draw the same pages as the xlsx: same
    count per sheet, each page carrying the labels and verdicts of the layout's page."""
    from ecodesk.report.data import gather
    from ecodesk.report.writer import layouts
    from ui.report_pages import page_texts, save_pdf

    project, rnd = demo_pack
    lays = layouts(gather(project, rnd, dt.date(2025, 7, 3)))
    pdf = save_pdf(lays, tmp_path / "qt.pdf")
    pages = _pdf_pages(pdf)
    expected = page_texts(lays)
    assert len(pages) == len(expected) == sum(len(lay.pages()) for lay in lays)
    for n, (got, want) in enumerate(zip(pages, expected, strict=True), start=1):
        flat = "".join(got.split())
        assert f"第{n}页，共{len(pages)}页" in flat  # numbered through the pack, like the printed workbook
        for line in want.splitlines():
            piece = "".join(line.split())[:2]  # narrow cells wrap after two or three characters
            assert piece in flat, (piece, got[:300])
        for mark in "√×？〇／":
            assert flat.count(mark) == "".join(want.split()).count(mark)


def test_second_round_briefing_says_what_changed(cycle, tmp_path):
    """Round 2 against round 1: the briefing names the newly 未达标 and the resolved indicators; an
    indicator with a county target brings the 本地目标 column; 上期值 says which period it is."""
    project, cat, kinds, expected = cycle
    threshold = [i for i in cat.indicators if kinds[i.key] == "threshold" and i.responsible not in MISSING]
    resolved = next(i for i in threshold if expected[i.key] == "未达标")
    newly = next(i for i in threshold if expected[i.key] == "达标")
    cat = project.catalogue()
    local = next(i for i in cat.indicators if i.key == newly.key)
    local.local_target_text = "≥99"
    project.replace_catalogue(cat)
    r2 = "2025年第二轮"
    project.add_round(r2, "2025-12-31")
    forms = {f.department: Path(f.path) for f in generate_round(project, r2).forms}
    failing = {i.key for i in cat.indicators if expected[i.key] == "未达标"} - {resolved.key} | {newly.key}
    returns = tmp_path / "r2"
    returns.mkdir()
    for dept, form in forms.items():
        tasks = {t.key: {"status": "推进中", "progress": "推进中"} for t in project.catalogue().tasks_for(dept)}
        values = department_values(project, dept, failing)
        fill_form(form, returns / form.name, values, tasks, saved_at=dt.datetime(2025, 12, 20, 9, 0))
    collect(project, r2, [returns])
    wb = openpyxl.load_workbook(write_report(project, r2, tmp_path / "r2.xlsx", as_of=dt.date(2025, 12, 25)).path)
    brief = "\n".join(str(c.value) for row in wb["简报"].iter_rows() for c in row if c.value is not None)
    assert f"三、与上一可比期（{R1}）相比" in brief  # the history's comparison round
    line = next(x for x in brief.splitlines() if x.startswith("新增未达标"))
    assert f"{newly.number} {newly.name}" in line and f"{resolved.name}" not in line
    line = next(x for x in brief.splitlines() if x.startswith("已整改达标"))
    assert f"{resolved.number} {resolved.name}" in line
    ws = wb[annex1_sheet.SHEET]
    assert _col(ws, "本地目标") == _col(ws, "本期值") - 1
    r = next(r for r in range(4, ws.max_row + 1) if newly.name in str(ws.cell(r, 4).value or ws.cell(r, 5).value))
    assert ws.cell(r, _col(ws, "本地目标")).value.startswith("≥99")
