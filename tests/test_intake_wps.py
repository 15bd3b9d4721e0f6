"""WPS 表格's own formats (.et/.ett): read where they are BIFF-compatible (the usual case: an OLE2
container with a BIFF8 Workbook stream, like .xls), otherwise a message that says exactly how to
re-save the file in WPS."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.ledger.values import current_values
from ecodesk.messages import msg

from .badfiles import _ole_file
from .filling import fill

R1 = "2025年第一轮"


@pytest.fixture
def issued(project):
    project.add_round(R1, "2025-06-30")
    return project, {f.department: Path(f.path) for f in generate_round(project, R1).forms}


def _value(project, name):
    key = next(i.key for i in project.catalogue().indicators if i.name == name)
    rid = project.round(R1).id
    return next(v for v in current_values(project.ledger.conn, rid) if v.indicator_key == key)


@pytest.mark.parametrize("suffix", [".et", ".ett"])
def test_a_biff_et_is_read_like_an_xls(issued, tmp_path, suffix):
    from ecodesk.office import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("需要 LibreOffice")
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 96.5}})
    xls = convert(src, "xls", tmp_path / "xls")
    et = shutil.copyfile(xls, tmp_path / f"2025年第一轮_住建局_填报表{suffix}")
    [r] = collect(project, R1, [et]).results
    assert (r.status, r.department) == ("accepted", "住建局"), r.message
    v = _value(project, "县城污水处理率")
    assert v.current_number == 96.5 and v.sheet == L.SHEET_INDICATORS


def test_a_wps_file_that_is_not_biff_says_how_to_resave_it(issued, tmp_path):
    project, _ = issued
    et = tmp_path / "住建局.et"
    et.write_bytes(_ole_file("WpsContent", b"\x01\x02 not a BIFF workbook"))
    [r] = collect(project, R1, [et]).results
    assert (r.status, r.code) == ("unreadable", "unreadable.wps")
    assert r.message == msg("unreadable.wps")
    assert "另存为" in r.message and "Excel 工作簿（*.xlsx）" in r.message


def test_a_damaged_et_is_a_wps_resave_not_a_damaged_file(issued, tmp_path):
    project, _ = issued
    et = tmp_path / "住建局.et"
    et.write_bytes(b"PK\x03\x04" + b"\0" * 200)  # neither BIFF nor a readable package
    [r] = collect(project, R1, [et]).results
    assert r.code == "unreadable.wps", r.message


def test_an_xls_named_xls_that_is_damaged_is_still_called_damaged(issued, tmp_path):
    project, _ = issued
    bad = tmp_path / "住建局.xls"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    [r] = collect(project, R1, [bad]).results
    assert r.code == "unreadable.corrupt"
