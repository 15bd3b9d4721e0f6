"""ecodesk.office and the LibreOffice test helpers, on real files with a real LibreOffice."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ecodesk import office
from ecodesk.messages import msg
from ecodesk.office import OfficeError, convert, find_soffice, recalculate

from .lo_helpers import have_uno, pdf_page_count, pdf_to_png, type_into, type_many

needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason="未安装 LibreOffice（soffice），跳过真实转换测试（见 scripts/system-packages.sh）",
)
needs_uno = pytest.mark.skipif(
    not have_uno(), reason="系统 python3 无法导入 uno（需 LibreOffice 和 python3-uno），跳过模拟键入测试"
)

SHEET = "指标填报"
FORMULA = '=IF(A1>=20,"达标","未达标")'


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cells(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def make_workbook(path: Path, a1: float = 25) -> Path:
    """A small fill-in workbook: a protected sheet with one unlocked input cell, and a free sheet."""
    wb = xlsxwriter.Workbook(str(path))
    unlocked = wb.add_format({"locked": False})
    ws = wb.add_worksheet(SHEET)
    ws.write("A1", a1)
    ws.write_formula("B1", FORMULA)  # xlsxwriter stores the cached result 0
    ws.write("A2", "生态环境状况指数")
    ws.write_blank("G5", None, unlocked)
    ws.write("H5", "锁定")
    ws.protect()
    notes = wb.add_worksheet("说明")
    notes.write("A1", "填报说明")
    wb.close()
    return path


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return make_workbook(tmp_path_factory.mktemp("src") / "填报表.xlsx")


# ---- without LibreOffice ------------------------------------------------------------------------


def test_not_installed_gives_the_chinese_message(monkeypatch, source, tmp_path):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    before = sha256(source)
    with pytest.raises(OfficeError) as err:
        convert(source, "pdf", tmp_path)
    assert str(err.value) == msg("office.not_found")
    assert err.value.code == "office.not_found"
    with pytest.raises(OfficeError, match="未找到 LibreOffice"):
        recalculate(source, tmp_path / "out.xlsx")
    assert sha256(source) == before
    assert list(tmp_path.iterdir()) == []


def test_find_soffice_honours_override_and_path(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setenv("ECODESK_SOFFICE", str(fake))
    assert find_soffice() == str(fake)
    monkeypatch.delenv("ECODESK_SOFFICE")
    monkeypatch.setenv("PATH", str(tmp_path))
    fake.chmod(0o755)
    assert find_soffice() == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert find_soffice() is None


def test_bad_requests_are_refused_before_starting_libreoffice(source, tmp_path):
    with pytest.raises(OfficeError, match="不支持的输出格式") as err:
        convert(source, "docx", tmp_path)
    assert err.value.code == "office.bad_format"
    with pytest.raises(OfficeError, match="找不到文件") as err:
        convert(tmp_path / "没有.xlsx", "pdf", tmp_path)
    assert err.value.code == "office.src_missing"


# ---- conversions ---------------------------------------------------------------------------------


@needs_soffice
@pytest.mark.libreoffice
def test_pdf_has_pages_and_recalculated_results(source, tmp_path):
    before = sha256(source)
    pdf = convert(source, "pdf", tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "填报表.pdf"
    assert pdf_page_count(pdf) >= 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "生态环境状况指数" in text
    assert "达标" in text  # the formula was recalculated, not printed as its cached 0
    pngs = pdf_to_png(pdf, tmp_path / "png" / "page")
    assert len(pngs) == 1 and pngs[0].stat().st_size > 1000
    assert sha256(source) == before
    assert sorted(p.name for p in source.parent.iterdir()) == ["填报表.xlsx"]  # no lock file, no output


@needs_soffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_convert_to_xls_and_ods_reads_back(source, tmp_path, fmt):
    before = sha256(source)
    out = convert(source, fmt, tmp_path)
    assert out == tmp_path / f"填报表.{fmt}"
    assert CalamineWorkbook.from_path(str(out)).sheet_names == [SHEET, "说明"]
    rows = cells(out, SHEET)
    assert rows[0][:2] == [25.0, "达标"]
    assert rows[4][6:8] == ["", "锁定"]
    assert cells(out, "说明") == [["填报说明"]]
    assert sha256(source) == before


@needs_soffice
@pytest.mark.libreoffice
def test_convert_refuses_to_overwrite_its_source(source):
    before = sha256(source)
    with pytest.raises(OfficeError, match="就是源文件") as err:
        convert(source, "xlsx", source.parent)
    assert err.value.code == "office.same_file"
    assert sha256(source) == before


@needs_soffice
@pytest.mark.libreoffice
def test_unreadable_file_fails_with_soffice_detail(tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    before = sha256(bad)
    with pytest.raises(OfficeError) as err:
        convert(bad, "pdf", tmp_path / "out")
    assert err.value.code == "office.failed"
    assert "坏文件.xlsx" in str(err.value) and "could not be loaded" in str(err.value)
    assert sha256(bad) == before
    assert not (tmp_path / "out" / "坏文件.pdf").exists()


@needs_soffice
@pytest.mark.libreoffice
def test_timeout_kills_libreoffice_and_says_so(source, tmp_path):
    with pytest.raises(OfficeError, match="超过 0 秒仍未完成") as err:
        convert(source, "pdf", tmp_path, timeout=0.05)
    assert err.value.code == "office.timeout"
    assert not (tmp_path / "填报表.pdf").exists()


# ---- recalculation ---------------------------------------------------------------------------------


@needs_soffice
@pytest.mark.libreoffice
def test_recalculate_fills_in_formula_results(source, tmp_path):
    assert cells(source, SHEET)[0][1] != "达标"  # xlsxwriter's cached value, not the result
    before = sha256(source)
    out = recalculate(source, tmp_path / "算好" / "结果.xlsx")
    assert out == tmp_path / "算好" / "结果.xlsx"
    assert cells(out, SHEET)[0][:2] == [25.0, "达标"]
    ws = load_workbook(out, data_only=True)[SHEET]
    assert ws["B1"].value == "达标"
    assert sha256(source) == before

    # the clerk changes A1 (openpyxl keeps the formula but drops cached values): recalculated again
    changed = tmp_path / "改过.xlsx"
    wb = load_workbook(source)
    wb[SHEET]["A1"] = 15
    wb.save(changed)
    assert cells(recalculate(changed, tmp_path / "改过-算好.xlsx"), SHEET)[0][:2] == [15.0, "未达标"]


# ---- typing like a clerk ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def typed(source, tmp_path_factory):
    """One LibreOffice run, two jobs: the protected fill-in workbook (an input cell, two locked cells,
    a cell on the free sheet) saved as xlsx, and an unprotected copy whose A1 is retyped, saved as ods."""
    out = tmp_path_factory.mktemp("typed")
    free = out / "free.xlsx"
    wb = load_workbook(source)
    wb[SHEET].protection.sheet = False
    wb.save(free)
    hashes = {source: sha256(source), free: sha256(free)}
    protected, unprotected = type_many(
        [
            {
                "src": source,
                "dst": out / "回收.xlsx",
                "edits": [
                    {"sheet": SHEET, "cell": "G5", "text": "96.5"},
                    {"sheet": SHEET, "cell": "H5", "text": "篡改"},
                    {"sheet": SHEET, "cell": "A1", "text": "5"},
                    {"sheet": "说明", "cell": "B2", "text": "已阅"},
                ],
            },
            {"src": free, "dst": out / "free.ods", "edits": [{"sheet": SHEET, "cell": "A1", "text": "12"}]},
        ]
    )
    return {
        "result": protected,
        "dst": out / "回收.xlsx",
        "free": unprotected,
        "free_dst": out / "free.ods",
        "hashes": hashes,
    }


@needs_uno
@pytest.mark.libreoffice
def test_typing_into_an_unlocked_cell_is_applied(typed):
    applied = {(e["sheet"], e["cell"]): e for e in typed["result"]["applied"]}
    assert applied[(SHEET, "G5")]["formula"] == "96.5"
    rows = cells(typed["dst"], SHEET)
    assert rows[4][6] == 96.5


@needs_uno
@pytest.mark.libreoffice
def test_typing_into_a_locked_cell_of_a_protected_sheet_is_refused(typed):
    refused = {(e["sheet"], e["cell"]): e for e in typed["result"]["refused"]}
    assert set(refused) == {(SHEET, "H5"), (SHEET, "A1")}
    assert "protected" in refused[(SHEET, "H5")]["reason"]
    rows = cells(typed["dst"], SHEET)
    assert rows[4][7] == "锁定"
    assert rows[0][:2] == [25.0, "达标"]  # A1 unchanged, so the formula still says 达标


@needs_uno
@pytest.mark.libreoffice
def test_typing_on_an_unprotected_sheet_and_source_untouched(typed, source):
    applied = {(e["sheet"], e["cell"]) for e in typed["result"]["applied"]}
    assert ("说明", "B2") in applied
    assert cells(typed["dst"], "说明") == [["填报说明", ""], ["", "已阅"]]
    assert all(sha256(path) == digest for path, digest in typed["hashes"].items())
    # protection survives the round trip through LibreOffice
    ws = load_workbook(typed["dst"])[SHEET]
    assert ws.protection.sheet and ws["G5"].protection.locked is False and ws["H5"].protection.locked


@needs_uno
@pytest.mark.libreoffice
def test_typed_values_recalculate_formulas_and_save_as_ods(typed):
    result = typed["free"]
    assert [e["cell"] for e in result["applied"]] == ["A1"] and result["refused"] == []
    assert cells(typed["free_dst"], SHEET)[0][:2] == [12.0, "未达标"]


@needs_uno
@pytest.mark.libreoffice
def test_type_into_single_job(tmp_path):
    src = make_workbook(tmp_path / "单个.xlsx")
    before = sha256(src)
    result = type_into(src, tmp_path / "单个.xls", [{"sheet": SHEET, "cell": "G5", "text": "2025-06-30"}])
    assert result["refused"] == [] and result["applied"][0]["value"] == "2025-06-30"  # a date, as typed
    assert cells(tmp_path / "单个.xls", SHEET)[4][6] == date(2025, 6, 30)
    assert sha256(src) == before
