"""A return's save time (``content_time``, stored as UTC "…Z"): read the way each program writes it.

Measured on this machine with LibreOffice 7.4.7.2 (Debian build; ``<Application>`` and
``<meta:generator>`` both ``LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2``),
a changed workbook saved through UNO (as Calc's 保存 does) at 21:12:57 UTC:

- under ``TZ=Asia/Shanghai``: .xlsx ``docProps/core.xml`` ``<dcterms:modified>2026-12-02T05:12:57Z``
  — the local wall-clock time, called UTC; .ods ``meta.xml`` ``<dc:date>2026-12-02T05:12:57.609047628``
  — local time, no zone, nanoseconds; .xls SummaryInformation LastSaveTime 2026-12-01 21:12:57.97 —
  true UTC (a FILETIME), read as it is.
- under ``TZ=UTC`` the same save wrote ``…T21:13:00Z`` and ``…T21:13:00.466475271``: what LibreOffice
  writes follows the computer's zone, so a Shanghai save reads 8 hours late unless read as local.
- ``<dcterms:created>`` / ``<meta:creation-date>`` are carried over from the file opened. A workbook
  saved WITHOUT a change (and ``soffice --headless --convert-to``) is not stamped at all: its
  ``modified`` stays as its maker wrote it (xlsxwriter's UTC "…Z" stays "…Z" in the .xlsx; in an .ods
  the same digits lose the "Z"; the .xls gets it shifted by −8 h). Nothing in such a file says that
  LibreOffice did not stamp it, so an unchanged Excel file re-saved in LibreOffice reads 8 hours early
  — a known limit; a changed one (the case that matters: a department typed its values) reads right.
- Excel and WPS write true UTC with "Z" (as reported; neither runs here); openpyxl (measured) writes
  UTC with "Z" and ``<Application>Microsoft Excel Compatible / Openpyxl 3.1.5</Application>``.
- This soffice aborts (signal 6) when it opens another workbook after storing an .ods through UNO.

EcoDesk reads a time without a zone as local time (this computer's offset on that date), and the "Z"
time of an .xlsx whose app.xml names LibreOffice/OpenOffice as local too."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ecodesk.demo import set_saved_time
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.intake.reader import props_time
from ecodesk.intake.sniff import sniff

from .filling import COL, FIRST, fill
from .lo_helpers import have_uno, type_many

pytestmark = pytest.mark.skipif(not hasattr(time, "tzset"), reason="需要 time.tzset 来切换本机时区")

UTC = dt.UTC
LO = b"<Properties><Template></Template><TotalTime>0</TotalTime><Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</Application><AppVersion>15.0000</AppVersion></Properties>"  # noqa: E501
EXCEL = b"<Properties><Application>Microsoft Excel</Application><AppVersion>16.0300</AppVersion></Properties>"
WPS = b"<Properties><Application>WPS Office_11.1.0.8597_F1E327BC-269C-435d-A152-05C5408002CA</Application></Properties>"
OPENPYXL = b"<Properties><Application>Microsoft Excel Compatible / Openpyxl 3.1.5</Application></Properties>"
AOO = b"<Properties><Application>OpenOffice/4.1.14$Win32 OpenOffice.org_project/4114m1$Build-9811</Application></Properties>"


def _core(modified: str) -> bytes:
    return (
        b'<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">2025-06-01T00:00:00Z</dcterms:created>'
        b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
        + modified.encode()
        + b"</dcterms:modified></cp:coreProperties>"
    )


def _meta(date: str) -> bytes:
    return b"<office:meta><dc:date>" + date.encode() + b"</dc:date></office:meta>"


def _set_zone(name: str | None) -> None:
    if name is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = name
    time.tzset()


@pytest.fixture(scope="module", autouse=True)
def shanghai():
    """The office's computer (and LibreOffice started from here) in China Standard Time."""
    old = os.environ.get("TZ")
    _set_zone("Asia/Shanghai")
    yield
    _set_zone(old)


@pytest.mark.parametrize(
    ("props", "app", "kind", "expected"),
    [
        pytest.param(_core("2025-06-30T12:00:00Z"), EXCEL, "xlsx", "2025-06-30T12:00:00Z", id="excel"),
        pytest.param(_core("2025-06-30T12:00:00Z"), WPS, "xlsx", "2025-06-30T12:00:00Z", id="wps"),
        pytest.param(_core("2025-06-30T12:00:00Z"), OPENPYXL, "xlsx", "2025-06-30T12:00:00Z", id="openpyxl"),
        pytest.param(_core("2025-06-30T12:00:00Z"), None, "xlsx", "2025-06-30T12:00:00Z", id="no-app-xml"),
        pytest.param(_core("2025-06-30T20:00:00Z"), LO, "xlsx", "2025-06-30T12:00:00Z", id="libreoffice"),
        pytest.param(
            _core("2025-06-30T20:00:00Z"), LO, "xlsm", "2025-06-30T12:00:00Z", id="libreoffice-xlsm"
        ),
        pytest.param(
            _core("2025-06-30T20:00:00.5Z"), LO, "xlsx", "2025-06-30T12:00:00Z", id="libreoffice-fraction"
        ),
        pytest.param(_core("2025-06-30T20:00:00Z"), AOO, "xlsx", "2025-06-30T12:00:00Z", id="openoffice"),
        pytest.param(
            _core("2025-06-30T20:00:00+08:00"), LO, "xlsx", "2025-06-30T12:00:00Z", id="libreoffice-offset"
        ),
        pytest.param(
            _core("2025-06-30T20:00:00+08:00"), EXCEL, "xlsx", "2025-06-30T12:00:00Z", id="excel-offset"
        ),
        pytest.param(_core("2025-06-30T20:00:00"), EXCEL, "xlsx", "2025-06-30T12:00:00Z", id="xlsx-no-zone"),
        pytest.param(
            _meta("2025-06-30T20:00:00.609047628"), None, "ods", "2025-06-30T12:00:00Z", id="ods-libreoffice"
        ),
        pytest.param(_meta("2025-06-30T20:00:00"), None, "ods", "2025-06-30T12:00:00Z", id="ods-no-zone"),
        pytest.param(_meta("2025-06-30T12:00:00Z"), None, "ods", "2025-06-30T12:00:00Z", id="ods-z"),
        pytest.param(
            _meta("2025-06-30T20:00:00+08:00"), None, "ods", "2025-06-30T12:00:00Z", id="ods-offset"
        ),
        pytest.param(_meta("2025-07-01T02:30:00"), None, "ods", "2025-06-30T18:30:00Z", id="ods-day-before"),
        pytest.param(_meta("昨天下午"), None, "ods", None, id="ods-garbage"),
        pytest.param(_core(""), LO, "xlsx", None, id="xlsx-empty"),
    ],
)
def test_each_producers_form_of_the_save_time(props, app, kind, expected):
    assert props_time(props, kind, app) == expected


def test_a_zone_less_time_takes_the_local_offset_of_its_own_date():
    """Summer and winter time: the offset is the one local time had on the saved date, not today's."""
    try:
        _set_zone("Europe/Berlin")
        assert props_time(_meta("2025-07-01T12:00:00"), "ods") == "2025-07-01T10:00:00Z"
        assert props_time(_meta("2025-01-15T12:00:00"), "ods") == "2025-01-15T11:00:00Z"
        assert props_time(_core("2025-01-15T12:00:00Z"), "xlsx", LO) == "2025-01-15T11:00:00Z"
    finally:
        _set_zone("Asia/Shanghai")


# ---------------------------------------------------------------- real LibreOffice saves

R_NOW, R_PICK, R_DUE = "2026年第一轮", "2025年第一轮", "2025年第二轮"
DEADLINE = "2025-06-30"
LETTER = {k: L.col_letter(v - 1) for k, v in COL.items()}
needs_uno = pytest.mark.skipif(not have_uno(), reason="需要 LibreOffice 和 python3-uno")


def _first_indicator(form: Path, project) -> tuple[int, str, str]:
    """(row, indicator name, what a clerk types) of the form's first indicator row."""
    from ecodesk.rules import indicator_rule
    from ecodesk.rules.model import Qualitative

    rows = CalamineWorkbook.from_path(str(form)).get_sheet_by_name(L.SHEET_INDICATORS).to_python()
    by_key = {i.key: i for i in project.catalogue().indicators}
    for r in range(FIRST - 1, len(rows)):
        if rows[r] and rows[r][0] in by_key:
            ind = by_key[rows[r][0]]
            rule = indicator_rule(ind).rule
            return r + 1, ind.name, rule.options[0] if isinstance(rule, Qualitative) else "91.5"
    raise AssertionError(f"no indicator row in {form}")


@pytest.fixture(scope="module")
def lo(tmp_path_factory):
    """A project with three rounds, and its forms typed into and saved by a real LibreOffice running
    in Asia/Shanghai time, with the UTC time around the saves."""
    if not have_uno():
        pytest.skip("需要 LibreOffice 和 python3-uno")
    from ecodesk.catalogue.builtin import load_builtin
    from ecodesk.project import Project

    base = tmp_path_factory.mktemp("lo-save-time")
    project = Project.create(base / "项目", load_builtin(), region="east")
    plan = {
        R_NOW: {"住建局": "xlsx", "农业农村局": "ods", "水利局": "xls"},
        R_PICK: {"住建局": "xlsx"},
        R_DUE: {"住建局": "xlsx", "农业农村局": "ods", "水利局": "xlsx"},
    }
    forms, jobs, typed = {}, [], {}
    for rnd, depts in plan.items():
        project.add_round(rnd, "2027-06-30" if rnd == R_NOW else DEADLINE)
        forms[rnd] = {f.department: Path(f.path) for f in generate_round(project, rnd).forms}
        for dept, fmt in depts.items():
            row, name, text = _first_indicator(forms[rnd][dept], project)
            typed[(rnd, dept)] = name
            cell = f"{LETTER['current']}{row}"
            dst = base / "saved" / f"{rnd}_{dept}_填报表.{fmt}"
            dst.parent.mkdir(exist_ok=True)
            jobs.append(
                {
                    "src": forms[rnd][dept],
                    "dst": dst,
                    "edits": [{"sheet": L.SHEET_INDICATORS, "cell": cell, "text": text}],
                }
            )
    # this soffice aborts (signal 6) when it opens another workbook after storing an .ods: each
    # .ods ends a LibreOffice start
    jobs.sort(key=lambda j: j["dst"].suffix == ".ods")
    batches = [[j for j in jobs if j["dst"].suffix != ".ods"]] + [
        [j] for j in jobs if j["dst"].suffix == ".ods"
    ]
    batches[0] += batches.pop(1)
    before = dt.datetime.now(UTC)
    results = [r for batch in batches for r in type_many(batch, timeout=240)]
    after = dt.datetime.now(UTC)
    assert all(len(r["applied"]) == 1 for r in results), results
    saved = {
        (rnd, dept): base / "saved" / f"{rnd}_{dept}_填报表.{fmt}"
        for rnd, d in plan.items()
        for dept, fmt in d.items()
    }
    yield {
        "project": project,
        "forms": forms,
        "saved": saved,
        "typed": typed,
        "before": before,
        "after": after,
    }
    project.close()


def _stored(project, rnd: str) -> dict[str, tuple[str, int]]:
    """File name → (stored content_time, is_current) of a round's submissions."""
    rows = project.ledger.conn.execute(
        "SELECT original_name, content_time, is_current FROM submissions WHERE round_id = ?",
        (project.round(rnd).id,),
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _near(iso: str, lo: dt.datetime, hi: dt.datetime) -> bool:
    t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return lo - dt.timedelta(minutes=2) <= t <= hi + dt.timedelta(minutes=2)


@needs_uno
def test_libreoffice_writes_the_local_wall_clock(lo):
    """What LibreOffice wrote (if a later LibreOffice writes true UTC, this fails, and the reading of
    its "Z" must follow the version): local time with "Z" in .xlsx, local time with no zone in .ods."""
    shift = dt.timedelta(hours=8)
    with zipfile.ZipFile(lo["saved"][(R_NOW, "住建局")]) as z:
        modified = (
            re.search(rb"<dcterms:modified[^>]*>([^<]+)<", z.read("docProps/core.xml")).group(1).decode()
        )
        assert b"<Application>LibreOffice/" in z.read("docProps/app.xml")
    assert modified.endswith("Z")
    assert _near(modified[:-1] + "+00:00", lo["before"] + shift, lo["after"] + shift), modified
    with zipfile.ZipFile(lo["saved"][(R_NOW, "农业农村局")]) as z:
        meta = z.read("meta.xml")
    written = re.search(rb"<dc:date>([^<]+)<", meta).group(1).decode()
    assert b"<meta:generator>LibreOffice/" in meta
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", written), written  # no zone
    assert _near(written[:19] + "+08:00", lo["before"], lo["after"]), written
    olefile = pytest.importorskip("olefile")
    with olefile.OleFileIO(str(lo["saved"][(R_NOW, "水利局")])) as ole:  # .xls: true UTC
        last = ole.get_metadata().last_saved_time
    assert _near(last.replace(tzinfo=UTC).isoformat(), lo["before"], lo["after"]), last


@needs_uno
def test_collected_libreoffice_saves_store_the_true_utc_time(lo):
    project = lo["project"]
    paths = [lo["saved"][(R_NOW, d)] for d in ("住建局", "农业农村局", "水利局")]
    assert b"LibreOffice" in sniff(paths[0]).app  # app.xml read by the sniffer, in its one open of the zip
    outcome = collect(project, R_NOW, paths)
    assert [r.status for r in outcome.results] == ["accepted"] * 3, [
        (r.path, r.message) for r in outcome.results
    ]
    stored = _stored(project, R_NOW)
    for p in paths:  # the .xls by its SummaryInformation (a FILETIME, UTC), not its receipt time
        assert _near(stored[p.name][0], lo["before"], lo["after"]), (p.name, stored[p.name], lo["before"])


@needs_uno
def test_an_excel_save_after_a_libreoffice_save_is_the_current_file(lo, tmp_path):
    """Saved in LibreOffice at 09:00 (written "09:00Z"), and in Excel at 11:00 (written "03:00Z"):
    the Excel file, collected first, stays current; the LibreOffice file, collected after it, is the
    older one (read as 09:00Z it would have replaced the newer Excel file), and its message names the
    time it was saved as the clerk's clock shows it."""
    project = lo["project"]
    calc = tmp_path / "住建局_LibreOffice.xlsx"
    calc.write_bytes(lo["saved"][(R_PICK, "住建局")].read_bytes())
    set_saved_time(calc, dt.datetime(2025, 6, 30, 9, 0))  # as LibreOffice writes 09:00 Shanghai time
    name = lo["typed"][(R_PICK, "住建局")]
    excel = fill(lo["forms"][R_PICK]["住建局"], tmp_path / "住建局_Excel.xlsx", {name: {"current": 93.5}},
                 saved_at=dt.datetime(2025, 6, 30, 3, 0))  # fmt: skip
    collect(project, R_PICK, [excel])
    (later,) = collect(project, R_PICK, [calc]).results
    assert later.code == "superseded.older"
    assert "保存于 2025-06-30 09:00" in later.message, later.message  # the clerk's clock, not UTC
    stored = _stored(project, R_PICK)
    assert stored[calc.name] == ("2025-06-30T01:00:00Z", 0)
    assert stored[excel.name] == ("2025-06-30T03:00:00Z", 1)


def _stamp_ods(path: Path, local: str) -> None:
    """Set an .ods's ``<dc:date>`` to ``local`` as LibreOffice writes it (nanoseconds, no zone)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in items:
            if info.filename == "meta.xml":
                data = re.sub(
                    rb"<dc:date>[^<]*</dc:date>", b"<dc:date>" + local.encode() + b"</dc:date>", data
                )
            z.writestr(info, data)


@needs_uno
def test_a_libreoffice_save_at_8pm_on_the_deadline_is_on_time(lo, tmp_path):
    """Saved in LibreOffice at 20:00 Shanghai time on the deadline day (12:00 UTC): 按时, not 逾期 —
    in the timeliness rows and in the history's vectorised copy; at 08:00 the next day: 逾期."""
    from ecodesk import history
    from ecodesk.timeliness import timeliness_rows

    project = lo["project"]
    files = []
    for dept, local in (("住建局", "2025-06-30T20:00:00"), ("农业农村局", "2025-06-30T20:00:00.609047628"),
                        ("水利局", "2025-07-01T08:00:00")):  # fmt: skip
        src = lo["saved"][(R_DUE, dept)]
        dst = tmp_path / src.name
        dst.write_bytes(src.read_bytes())
        if dst.suffix == ".ods":
            _stamp_ods(dst, local)
        else:
            set_saved_time(dst, dt.datetime.fromisoformat(local))
        files.append(dst)
    outcome = collect(project, R_DUE, files)
    assert [r.status for r in outcome.results] == ["accepted"] * 3, [
        (r.path, r.message) for r in outcome.results
    ]
    stored = _stored(project, R_DUE)
    assert [stored[f.name][0] for f in files] == [
        "2025-06-30T12:00:00Z",
        "2025-06-30T12:00:00Z",
        "2025-07-01T00:00:00Z",
    ]
    today = dt.date(2026, 12, 1)
    rows = {
        r["department"]: r["timeliness_label"]
        for r in timeliness_rows(project, [project.round(R_DUE)], today)
    }
    assert (rows["住建局"], rows["农业农村局"], rows["水利局"]) == ("按时", "按时", "逾期")
    t = history.load(project, today=today).timeliness
    got = {r["department"]: r["timeliness_label"] for _, r in t[t["round"] == R_DUE].iterrows()}
    assert (got["住建局"], got["农业农村局"], got["水利局"]) == ("按时", "按时", "逾期")


def _set_xls_saved(path: Path, when: dt.datetime) -> None:
    """Write ``when`` (UTC) as an .xls's SummaryInformation LastSaveTime (PID 13, a FILETIME), in
    place, as Excel or LibreOffice stamp it when they save."""
    import struct

    olefile = pytest.importorskip("olefile")
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        name = "\x05SummaryInformation"
        data = bytearray(ole.openstream(name).read())
        section = struct.unpack_from("<I", data, 28 + 16)[0]
        count = struct.unpack_from("<I", data, section + 4)[0]
        for k in range(count):
            pid, at = struct.unpack_from("<II", data, section + 8 + 8 * k)
            if pid == 13:
                assert struct.unpack_from("<I", data, section + at)[0] == 0x40  # VT_FILETIME
                ticks = int((when - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10**7)
                struct.pack_into("<Q", data, section + at + 4, ticks)
                ole.write_stream(name, bytes(data))
                return
    raise AssertionError(f"{path.name} has no LastSaveTime")


@needs_uno
def test_an_xls_is_on_time_by_its_save_time_not_the_day_it_was_collected(lo, tmp_path):
    """An .xls saved at 20:00 Beijing time on the deadline day and collected long after: 按时 by its
    SummaryInformation's save time (a FILETIME, UTC), where its receipt time would make it 逾期."""
    from ecodesk.timeliness import timeliness_rows

    from .badfiles import _soffice_convert

    project = lo["project"]
    dept = "生态环境分局"
    form = lo["forms"][R_DUE][dept]
    _, name, text = _first_indicator(form, project)
    filled = fill(form, tmp_path / "a.xlsx", {name: {"current": text}})
    xls = tmp_path / f"{R_DUE}_{dept}_填报表.xls"
    xls.write_bytes(_soffice_convert(filled.read_bytes(), ".xlsx", "xls"))
    _set_xls_saved(xls, dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC))  # 20:00 in Beijing
    [r] = collect(project, R_DUE, [xls]).results
    assert r.status == "accepted", r.message
    assert _stored(project, R_DUE)[xls.name][0] == "2025-06-30T12:00:00Z"
    rows = timeliness_rows(project, [project.round(R_DUE)], dt.date(2026, 12, 1))
    assert {x["department"]: x["timeliness_label"] for x in rows}[dept] == "按时"
