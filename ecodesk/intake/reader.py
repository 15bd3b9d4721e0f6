"""Read a returned workbook: cell values with python-calamine (cached values of formulas; hidden
and very-hidden sheets included), what each input cell showed (:mod:`.cells`: number formats,
formulas without results, error values; :mod:`.biff` for .xls), merged cells, and the time its content was last saved.

An .ods file calamine cannot open is read with our own ODF reader (:func:`.ods.read_ods`); a
file is damaged only when no reader can open it."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ..forms import layout as L
from ..forms.provenance import PROVENANCE_SHEET
from .biff import encrypted as xls_encrypted
from .biff import read_xls
from .biff import saved_time as xls_saved_time
from .cells import CellInfo, Package, xlsx_info
from .ods import ods_info, read_ods

#: Sheets read from a workbook: ours, and up to MAX_OTHER others (a renamed or added sheet);
#: the guide sheet is never read.
WANTED = (L.SHEET_INDICATORS, L.SHEET_TASKS, PROVENANCE_SHEET)
MAX_OTHER = 6
MAX_ROWS = 5000  # a form has tens of rows; a sheet larger than this is not ours

__all__ = ["Book", "CellInfo", "ReadError", "read_book"]


@dataclass
class Book:
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    content_time: str | None = None  # ISO time the file's content was last saved, when recorded
    info: dict[str, dict[tuple[int, int], CellInfo]] = field(default_factory=dict)  # sheet → (r, c) → info
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)  # (r0, c0, r1, c1)
    skipped: set[str] = field(default_factory=set)  # sheets not read because they are too large


class ReadError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _wanted(names: list[str]) -> list[str]:
    ours = [n for n in names if n.strip() in WANTED]
    others = [n for n in names if n.strip() not in WANTED and n.strip() != L.SHEET_GUIDE]
    return ours + others[:MAX_OTHER]


def _read_calamine(data: Path | bytes, book: Book) -> None:
    wb = (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        if isinstance(data, bytes)
        else CalamineWorkbook.from_path(str(data))
    )
    book.sheet_names = list(wb.sheet_names)
    for name in _wanted(book.sheet_names):
        sheet = wb.get_sheet_by_name(name)
        if sheet.height > MAX_ROWS:
            book.skipped.add(name.strip())
            continue
        book.sheets[name.strip()] = sheet.to_python(skip_empty_area=False)
        try:
            ranges = sheet.merged_cell_ranges or []
        except Exception:  # merge information is a help, not a requirement
            ranges = []
        if ranges:
            book.merges[name.strip()] = [(a[0], a[1], b[0], b[1]) for a, b in ranges]


def _read_ods(data: bytes, book: Book) -> None:
    sheets = read_ods(data, MAX_ROWS)
    book.sheet_names = list(sheets)
    for name in _wanted(book.sheet_names):
        sheet = sheets[name]
        if sheet is None:
            book.skipped.add(name)
            continue
        book.sheets[name] = sheet.rows
        book.info[name] = sheet.info
        if sheet.merges:
            book.merges[name] = sheet.merges


def _ods_overlay(data: bytes | Package, book: Book) -> None:
    """What calamine does not give for an .ods: formats, formulas, errors, merges, line breaks."""
    infos, merges, texts = ods_info(data, [n for n in book.sheets if n != PROVENANCE_SHEET])
    for name in book.sheets:
        book.info[name] = infos.get(name, {})
        if merges.get(name) and name not in book.merges:
            book.merges[name] = merges[name]
        rows = book.sheets[name]
        for (r, c), text in texts.get(name, {}).items():
            if r < len(rows) and c < len(rows[r]) and isinstance(rows[r][c], str):
                rows[r][c] = text


def number_sheets(book: Book) -> list[str]:
    """The sheets whose cells' number formats, formulas and error values are looked up: every
    sheet that may hold the indicator rows — 指标填报, a copy filled instead of it, or it renamed
    (:func:`.sheets.form_sheet` chooses among them) — and the task sheet (a 完成状态 that is a
    formula without its result, or an error, must not read as an empty answer); not the provenance
    sheet, which is ours."""
    return [n for n in book.sheets if n != PROVENANCE_SHEET]


def _encrypted(path: Path | bytes, kind: str) -> bool:
    """Whether a file no reader could open has a password to open it (calamine says only "Cannot
    detect file format"): an .xls with a FILEPASS record, an .ods whose manifest lists encryption
    data (ODF's way of saying the parts are encrypted)."""
    try:
        raw = path if isinstance(path, bytes) else Path(path).read_bytes()
        if kind == "xls":
            return xls_encrypted(raw)
        if kind == "ods":
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                return b"encryption-data" in z.read("META-INF/manifest.xml")
    except Exception:  # damaged in another way: then it is "damaged", as before
        return False
    return False


def read_book(
    path: Path | bytes, kind: str, props: bytes | None = None, pkg: Package | None = None, app: bytes | None = None
) -> Book:
    """``pkg``: the zip package the sniffer already opened (xlsx/ods), so it is not opened again;
    ``props``/``app``: the document-properties parts it read (core.xml or meta.xml; app.xml)."""
    data = path if isinstance(path, bytes) else None
    book = Book()
    try:
        _read_calamine(path, book)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        text = str(exc)
        if re.search(r"password|encrypt", text, re.I) or _encrypted(path, kind):
            raise ReadError("unreadable.encrypted", text[:200]) from exc
        book = Book()
        if kind == "ods":  # a second ODF reader before the file is called damaged
            try:
                _read_ods(data if data is not None else Path(path).read_bytes(), book)
            except Exception as second:
                text = f"{text}；{type(second).__name__}: {second}"
                book = Book()
        if not book.sheet_names:
            raise ReadError("unreadable.corrupt", text[:200]) from exc
    else:
        try:
            raw: bytes | Package = pkg or (data if data is not None else Path(path).read_bytes())
            if kind in ("xlsx", "xlsm"):
                book.info = xlsx_info(raw, number_sheets(book))
            elif kind == "ods":
                _ods_overlay(raw, book)
            elif kind == "xls" and isinstance(raw, bytes):  # one open of the OLE file for both
                book.info, book.content_time = read_xls(raw, number_sheets(book))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, struct.error, IndexError):
            book.info = {}  # the values are still good; formats are a help
    if props:
        book.content_time = props_time(props, kind, app)
    elif kind != "xls" and not isinstance(path, bytes):  # an .xls's was read with its cells
        book.content_time = content_time(path, kind)
    return book


_CORE_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
_ODF_DATE = re.compile(rb"<dc:date>([^<]+)</dc:date>")
_APPLICATION = re.compile(rb"<(?:\w+:)?Application>([^<]*)</(?:\w+:)?Application>")
#: Producers that write the computer's wall-clock time with a "Z" in an .xlsx (measured with
#: LibreOffice 7.4: a save at 05:12 in Shanghai is written "…T05:12:57Z"; OpenOffice and the
#: LibreOffice-based Collabora Office share that code).
_LOCAL_Z_PRODUCERS = re.compile(rb"libre\s*office|open\s*office|collabora", re.I)


def _utc(text: str, z_is_local: bool = False) -> str | None:
    """Document times as UTC ISO strings, so they compare in order ("2025-06-01T09:00:00Z",
    "2025-06-01T17:00:00+08:00" and LibreOffice's "2025-06-01T09:00:00.123456789" alike).

    A time without a zone is the wall-clock time of the computer that saved it (an .ods saved by
    LibreOffice): read as this computer's local time, with the offset local time had on that date
    (the office and its departments share a clock). With ``z_is_local`` a "Z" time is read the same
    way (an .xlsx saved by LibreOffice, which writes local time and calls it UTC)."""
    s = text.strip()
    if z_is_local and s[-1:] in ("Z", "z"):
        s = s[:-1]
    s = s.replace("Z", "+00:00").replace("z", "+00:00")
    s = re.sub(r"([.,]\d{6})\d+", r"\1", s)
    try:
        t = datetime.fromisoformat(s)
        if t.tzinfo is None:
            t = t.astimezone()  # a naive time is local: this computer's offset on that date
        return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):  # no time, or one the platform cannot place
        return None


def saved_by_libreoffice(app: bytes | None) -> bool:
    """Whether an .xlsx's ``docProps/app.xml`` names LibreOffice (or OpenOffice) as its producer."""
    m = _APPLICATION.search(app) if app else None
    return bool(m and _LOCAL_Z_PRODUCERS.search(m.group(1)))


def props_time(props: bytes, kind: str, app: bytes | None = None) -> str | None:
    """The saved time in a document-properties part already read (see :mod:`.sniff`); ``app``:
    an .xlsx's ``docProps/app.xml``, which names the program that saved it."""
    if kind == "ods":
        m = _ODF_DATE.search(props)
        return _utc(m.group(1).decode("utf-8", "replace")) if m else None
    m = _CORE_MODIFIED.search(props)
    return _utc(m.group(1).decode("utf-8", "replace"), saved_by_libreoffice(app)) if m else None


def content_time(path: Path, kind: str) -> str | None:
    """When the content was last saved, from the document properties (survives copying and
    mailing, unlike the file's modification time). None when the file does not record it."""
    if kind == "xls":
        try:
            return xls_saved_time(path.read_bytes())
        except OSError:
            return None
    if kind not in ("xlsx", "xlsm", "ods"):
        return None
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if kind in ("xlsx", "xlsm") and "docProps/core.xml" in names:
                app = z.read("docProps/app.xml") if "docProps/app.xml" in names else None
                return props_time(z.read("docProps/core.xml"), kind, app)
            if kind == "ods" and "meta.xml" in names:
                return props_time(z.read("meta.xml"), kind)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None
