"""End to end: init → generate → fill (every rule kind, passing and failing, missing departments,
a conflict) → collect → validate → report; the report's layout checked cell by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ecodesk.catalogue import name_fingerprint
from ecodesk.demo import department_values, fill_form, sample_inputs
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
    results = collect(project, R1, [returns]).results
    assert {r.status for r in results} == {"accepted"}
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
            from ecodesk.rules.model import format_number

            assert format_number(v.value_number) in v.reason, v.reason
    pm = next(v for v in rv.verdicts if v.name == "PM2.5浓度")
    assert "经信局填报 99.5" in pm.reason and "不一致" in pm.reason
    manual = next(v for v in rv.verdicts if v.name == "公众对生态环境质量满意程度")
    assert manual.verdict == "待核实"
    missing_tasks = [t for t in rv.tasks if t.department in MISSING]
    assert missing_tasks and all(t.status == "未报" for t in missing_tasks)


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
    assert ws.cell(row, 11).value == "达标" and "人工改判" in ws.cell(row, 12).value


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
    assert wb.sheetnames == ["指标责任分解表", "重点工作任务", "报送情况", "问题清单", "总览"]
    ws = wb["指标责任分解表"]
    assert "截至 2025年7月3日" in ws["A2"].value and "嵊州市" in ws["A1"].value and R1 in ws["A1"].value
    header = [ws.cell(3, c).value for c in range(1, 13)]
    assert header == [
        "领域",
        "任务",
        "序号",
        "指标名称",
        None,
        "单位",
        "指标值",
        "责任部门(标*为牵头单位)",
        "本期值",
        "上期值",
        "达标情况",
        "说明",
    ]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert _annex_spans(cat) <= merged
    assert "A23:B28" in merged or any(
        m.startswith("A") and ws[m.split(":")[0]].value == "参考性指标" for m in merged
    )
    top = 4
    for n, ind in enumerate(cat.indicators):
        r = top + n
        name_cell = ws.cell(r, 5 if ind.group else 4).value
        assert name_fingerprint(name_cell) == name_fingerprint(ind.name)
        assert ws.cell(r, 7).value == ind.target_text
        verdict = ws.cell(r, 11).value
        assert verdict == expected[ind.key]
        value = ws.cell(r, 9)
        if verdict != "缺报" and kinds[ind.key] != "qualitative":
            assert value.data_type == "n", (ind.name, value.value)  # numbers are numbers
    for name in wb.sheetnames:
        s = wb[name]
        assert s.page_setup.orientation == "landscape" and int(s.page_setup.paperSize) == 9
        assert s.sheet_properties.pageSetUpPr.fitToPage and s.page_setup.fitToHeight == 0
        assert "&P" in s.oddFooter.center.text


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
    assert ws.cell(row, 9).value == evil[0] and ws.cell(row, 9).data_type == "s"
    progress = [c.value for row in wb["重点工作任务"].iter_rows() for c in row]
    assert set(evil) & set(progress)


def test_status_issue_and_overview_sheets(cycle, tmp_path):
    project, _cat, _kinds, _expected = cycle
    wb = openpyxl.load_workbook(write_report(project, R1, tmp_path / "r.xlsx").path)
    status = wb["报送情况"]
    rows = {status.cell(r, 2).value: [c.value for c in status[r]] for r in range(4, status.max_row + 1)}
    for dept in MISSING:
        assert rows[dept][5] == "未报送"
    assert rows["水利局"][5] in ("已报送", "已报送（有缺项）")
    text = "\n".join(str(c.value) for row in status.iter_rows() for c in row if c.value)
    assert "【催报】" in text and "卫健局" in text
    issues = wb["问题清单"]
    groups = [issues.cell(r, 1).value for r in range(4, issues.max_row + 1)]
    assert any(str(g).startswith("卫健局（") for g in groups)
    overview = wb["总览"]
    totals = {overview.cell(3, c).value: c for c in range(2, 8)}
    last = max(r for r in range(4, overview.max_row + 1) if overview.cell(r, 1).value == "合计")
    counts = judge_round(project, R1).counts()
    for verdict, c in totals.items():
        if verdict in counts:
            assert overview.cell(last, c).value == counts[verdict]
    assert overview._charts  # the chart is there


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
    snap = snapshot(path)
    for sheet in snap["sheets"]:  # verdict reasons quote file names, fine; received times vary
        sheet["cells"] = {
            k: v
            for k, v in sheet["cells"].items()
            if not (sheet["title"] == "报送情况" and k.startswith("D"))
        }
    assert_matches_golden(snap, "report")


def test_locked_output_gives_the_right_message(cycle, tmp_path, monkeypatch):
    project, *_ = cycle
    out = tmp_path / "输出" / "汇总.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the clerk's previous report, open in Excel")

    def locked(src, dst):  # what Windows does while Excel holds the file open
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("ecodesk.report.writer.os.replace", locked)
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
