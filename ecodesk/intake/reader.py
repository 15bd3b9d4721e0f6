"""Read a returned workbook's cell values with python-calamine (cached values of formulas; hidden
and very-hidden sheets included), plus the time its content was last saved."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ..forms import layout as L
from ..forms.provenance import PROVENANCE_SHEET

#: Sheets read from a workbook; others are ignored (a foreign workbook may be large).
WANTED = (L.SHEET_INDICATORS, L.SHEET_TASKS, PROVENANCE_SHEET)
MAX_ROWS = 5000  # a form has tens of rows; a sheet larger than this is not ours


@dataclass
class Book:
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    content_time: str | None = None  # ISO time the file's content was last saved, when recorded


class ReadError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def read_book(path: Path | bytes, kind: str, props: bytes | None = None) -> Book:
    try:
        if isinstance(path, bytes):
            wb = CalamineWorkbook.from_filelike(io.BytesIO(path))
        else:
            wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        book = Book(sheet_names=names)
        wanted = [n for n in names if n.strip() in WANTED]
        if not any(n.strip() == L.SHEET_INDICATORS for n in wanted):
            # not (obviously) ours: look at the first visible sheets for a form-like layout
            wanted += [n for n in names[:3] if n not in wanted]
        for name in wanted:
            sheet = wb.get_sheet_by_name(name)
            if sheet.height > MAX_ROWS:
                continue
            book.sheets[name.strip()] = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        text = str(exc)
        if re.search(r"password|encrypt", text, re.I):
            raise ReadError("unreadable.encrypted", text[:200]) from exc
        raise ReadError("unreadable.corrupt", text[:200]) from exc
    if props:
        book.content_time = props_time(props, kind)
    elif not isinstance(path, bytes):
        book.content_time = content_time(path, kind)
    return book


_CORE_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
_ODF_DATE = re.compile(rb"<dc:date>([^<]+)</dc:date>")


def _utc(text: str) -> str | None:
    """Document times as UTC ISO strings, so they compare in order ("2025-06-01T09:00:00Z",
    "2025-06-01T17:00:00+08:00" and LibreOffice's "2025-06-01T09:00:00.123456789" alike)."""
    s = text.strip().replace("Z", "+00:00")
    s = re.sub(r"(\.\d{6})\d+", r"\1", s)
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def props_time(props: bytes, kind: str) -> str | None:
    """The saved time in a document-properties part already read (see :mod:`.sniff`)."""
    m = (_ODF_DATE if kind == "ods" else _CORE_MODIFIED).search(props)
    return _utc(m.group(1).decode()) if m else None


def content_time(path: Path, kind: str) -> str | None:
    """When the content was last saved, from the document properties (survives copying and
    mailing, unlike the file's modification time). None when the file does not record it."""
    try:
        if kind in ("xlsx", "xlsm"):
            with zipfile.ZipFile(path) as z:
                if "docProps/core.xml" in z.namelist():
                    m = _CORE_MODIFIED.search(z.read("docProps/core.xml"))
                    return _utc(m.group(1).decode()) if m else None
        elif kind == "ods":
            with zipfile.ZipFile(path) as z:
                if "meta.xml" in z.namelist():
                    m = _ODF_DATE.search(z.read("meta.xml"))
                    return _utc(m.group(1).decode()) if m else None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None
