"""What each cell showed, beyond its value: number format, formula (and whether its result was
saved), error value, and the text the department saw.

python-calamine gives values only: a typed ``95.2%`` is 0.952, a formula saved without its result
and ``#DIV/0!`` both read as blank. This module reads the rest from the file's own parts, with the
standard library only:

- **.xlsx/.xlsm**: ``xl/styles.xml`` (number formats of the cell styles) and the wanted sheets' XML
  (each ``<c>``'s style, type, formula and cached value); a regex over the ``<c>`` elements, no
  DOM, so it costs a fraction of reading the values.
- **.ods**: :mod:`.ods` (``content.xml``: value types such as ``percentage``, the displayed text,
  formulas, errors, merged cells; and a whole second reader when calamine cannot open the file).
"""

from __future__ import annotations

import functools
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class CellInfo:
    fmt: str = ""  # number format code ("0.0%"), when not General
    formula: str = ""  # the formula, when the cell holds one
    cached: bool = True  # False: a formula whose result was not saved
    error: str = ""  # "#DIV/0!" and the like
    shown: str = ""  # the text the cell displayed, when the file records it (.ods) or it can be derived

    @property
    def percent(self) -> bool:
        return "%" in re.sub(r'"[^"]*"|\\.', "", self.fmt)


def percent_text(x: float, fmt: str) -> str:
    """How a percent format shows ``x``: 0.952 with "0.0%" → "95.2%"."""
    m = re.search(r"0(?:\.([0#]+))?\s*%", fmt)
    places = len(m.group(1)) if m and m.group(1) else 0
    return f"{Decimal(repr(x)) * 100:.{places}f}%"


class Member(NamedTuple):
    """One member of a zip package, as its central directory records it."""

    name: str
    flags: int
    method: int  # zipfile.ZIP_STORED, ZIP_DEFLATED …
    crc: int
    size: int  # uncompressed
    packed: int  # compressed
    offset: int  # of its local header


_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory entry (46 bytes)


def central_directory(data: bytes) -> list[Member] | None:
    """The members of a plain zip package, read from its central directory as zipfile reads it;
    None for anything less plain (an archive comment, zip64, extra fields, data before the zip,
    odd names), which zipfile then reads (and rejects when damaged). The packages Excel, WPS and
    LibreOffice write are plain."""
    n = len(data)
    if n < 22 or data[n - 22 : n - 18] != b"PK\x05\x06" or data[n - 42 : n - 38] == b"PK\x06\x07":
        return None
    disk, disk_cd, _, _, cd_size, cd_offset, comment = struct.unpack_from("<HHHHIIH", data, n - 18)
    end = n - 22
    if comment or disk or disk_cd or cd_offset + cd_size != end:
        return None
    out: list[Member] = []
    pos = cd_offset
    while pos < end:
        if pos + 46 > end:
            return None
        sig, _, _, version, _, flags, method, _, _, crc, packed, size, k, extra, note, _, _, _, offset = (
            _CENTRAL.unpack_from(data, pos)
        )
        if sig != b"PK\x01\x02" or extra or version > 63 or 0xFFFFFFFF in (packed, size, offset):
            return None
        if pos + 46 + k > end:
            return None
        try:
            name = data[pos + 46 : pos + 46 + k].decode("utf-8" if flags & 0x800 else "cp437")
        except UnicodeDecodeError:
            return None
        if "\0" in name or (os.sep != "/" and os.sep in name):
            return None
        out.append(Member(name, flags, method, crc, size, packed, offset))
        pos += 46 + k + note
    return out if pos == end else None


class Package:
    """A zip package held in memory (the bytes the sniffer read), opened once: its directory is
    read with :func:`central_directory` (zipfile for anything unusual), and its members are
    inflated straight from those bytes, without zipfile's per-member file machinery."""

    def __init__(self, data: bytes, z: zipfile.ZipFile | None = None) -> None:
        """``BadZipFile`` (and what zipfile raises) when the package is damaged."""
        self.data = data
        self._zip = z
        members = central_directory(data) if z is None else None
        if members is None:
            self._zip = z = z if z is not None else zipfile.ZipFile(io.BytesIO(data))
            members = [
                Member(i.filename, i.flag_bits, i.compress_type, i.CRC, i.file_size, i.compress_size, i.header_offset)
                for i in z.infolist()
            ]
        self.members = members  # every entry, in the directory's order (a repeated name too)
        self._by_name = {m.name: m for m in members}  # the last of a repeated name, as in zipfile

    @property
    def zip(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zip

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def size(self, name: str) -> int:
        return self._by_name[name].size

    def raw(self, name: str) -> tuple[int, bytes] | None:
        """(compression, compressed bytes) of the member ``name``: equal raw bytes are equal
        contents, so a part seen before is known without inflating it. None when the local header
        is not where the directory says (then only :meth:`read` decides)."""
        i = self._by_name.get(name)
        if i is None:
            return None
        at = i.offset
        if self.data[at : at + 4] != b"PK\x03\x04":
            return None
        k, extra = struct.unpack_from("<HH", self.data, at + 26)
        start = at + 30 + k + extra
        return i.method, self.data[start : start + i.packed]

    def read(self, name: str) -> bytes:
        """The member ``name``; KeyError when the package has none."""
        i = self._by_name[name]
        if i.method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            found = self.raw(name)
            if found is not None:
                try:
                    out = zlib.decompress(found[1], -15) if i.method == zipfile.ZIP_DEFLATED else found[1]
                except zlib.error:
                    out = b""
                if len(out) == i.size and zlib.crc32(out) == i.crc:
                    return out
        return self.zip.read(name)  # anything unusual: zipfile decides (and raises on damage)


def package(data: bytes | Package) -> Package:
    return data if isinstance(data, Package) else Package(data)


# ---- xlsx -------------------------------------------------------------------------------------
_BUILTIN_FORMATS = {9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 49: "@"}
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*?)/?>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def _unescape(b: bytes) -> str:
    return (
        b.decode("utf-8", "replace")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


_XF_NUMFMT = re.compile(rb'\bnumFmtId="(\d+)"')


def _percent_styles(z: Package) -> dict[int, str]:
    """Cell style (``s=`` index) → its number format, for the styles that show a percent. Most
    returns have none (the form writes no percent format): then a regex over the cell styles
    finds no percent format id and the list of styles is never built."""
    try:
        return _seen_parts(z, ("xl/styles.xml",), _percent_styles_of)
    except KeyError:
        return {}


@functools.lru_cache(maxsize=32)
def _percent_styles_of(xml: bytes) -> dict[int, str]:
    """(Returns from one writer share their styles part: each is looked at once. Never mutate.)"""
    custom = {int(i): _unescape(code) for i, code in _NUMFMT.findall(xml)} if b"formatCode" in xml else {}
    percent_ids = {i for i in (9, 10) if i not in custom} | {
        i for i, f in custom.items() if CellInfo(fmt=f).percent
    }
    start = xml.find(b"cellXfs")  # the opening tag ("cellStyleXfs" does not contain it)
    end = xml.find(b"cellXfs", start + 7)  # the closing tag
    if start < 0 or end < 0:
        return {}
    block = xml[start:end]
    if not any(b'numFmtId="%d"' % i in block for i in percent_ids):
        return {}
    out: dict[int, str] = {}
    for n, attrs in enumerate(_XF.findall(block)):
        fid = _XF_NUMFMT.search(attrs)
        i = int(fid.group(1)) if fid else 0
        if i in percent_ids:
            out[n] = custom.get(i) or _BUILTIN_FORMATS[i]
    return out


def _sheet_parts(z: Package) -> dict[str, str]:
    """Sheet name → its part in the package."""
    try:
        return _seen_parts(z, ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"), _sheet_parts_of)
    except KeyError:
        return {}


_SEEN_PARTS: dict[tuple[Any, ...], Any] = {}


def _seen_parts(z: Package, names: tuple[str, ...], work: Callable[..., Any]) -> Any:
    """``work`` of the parts ``names``, remembered by their compressed bytes: returns from one
    writer share their styles and workbook parts, which are then neither inflated nor looked at
    again (equal compressed bytes are equal contents). KeyError when a part is missing. The
    result is shared: never mutate it."""
    raws = tuple(z.raw(n) for n in names)
    key = (work, raws) if None not in raws else None
    if key is not None and key in _SEEN_PARTS:
        return _SEEN_PARTS[key]
    out = work(*(z.read(n) for n in names))
    if key is not None:
        if len(_SEEN_PARTS) > 64:
            _SEEN_PARTS.clear()
        _SEEN_PARTS[key] = out
    return out


@functools.lru_cache(maxsize=32)
def _sheet_parts_of(wb: bytes, rels: bytes) -> dict[str, str]:
    targets = {}
    for attrs in _REL.findall(rels):
        rid, target = _REL_ID.search(attrs), _REL_TARGET.search(attrs)
        if rid and target:
            t = _unescape(target.group(1))
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for attrs in _SHEET.findall(wb):
        rid, name = _SHEET_RID.search(attrs), _SHEET_NAME.search(attrs)
        if rid and name and rid.group(1) in targets:
            out[_unescape(name.group(1)).strip()] = targets[rid.group(1)]
    return out


_REL_ID = re.compile(rb'\bId="([^"]*)"')
_REL_TARGET = re.compile(rb'\bTarget="([^"]*)"')
_SHEET_RID = re.compile(rb'\b(?:\w+:)?id="([^"]*)"')
_SHEET_NAME = re.compile(rb'\bname="([^"]*)"')


def xlsx_info(data: bytes | Package, sheets: list[str]) -> dict[str, dict[tuple[int, int], CellInfo]]:
    """For each of ``sheets``: (row, col) (0-based) → what the cell showed, for the cells that
    have a percent number format, a formula or an error value. ``data``: the file's bytes, or
    the package the sniffer already opened (so it is not opened twice)."""
    out: dict[str, dict[tuple[int, int], CellInfo]] = {}
    z = package(data)
    parts = _sheet_parts(z)
    percent_styles = _percent_styles(z)
    for name in sheets:
        part = parts.get(name)
        if part is None:
            continue
        try:
            xml = z.read(part)
        except KeyError:
            continue
        out[name] = _scan_sheet(xml, percent_styles)
    return out


def _scan_sheet(xml: bytes, percent_styles: dict[int, str]) -> dict[tuple[int, int], CellInfo]:
    """Passes of the regex engine over a sheet's XML, each finding only the cells it is about
    (formulas, error values, percent-formatted cells), so the form's hundreds of plain cells cost
    nothing in Python. The patterns start with the literal ``<c`` (or ``<x:c``, with the prefix
    the sheet uses), which the engine searches for at C speed."""
    cells: dict[tuple[int, int], CellInfo] = {}
    ns = _SHEETDATA.search(xml)
    formula_cell, error_cell = _patterns(ns.group(1) if ns and ns.group(1) else b"")

    def where(attrs: bytes) -> tuple[int, int] | None:
        ref = _R_ATTR.search(attrs)
        return (int(ref.group(2)) - 1, _col_index(ref.group(1))) if ref else None

    if b"<f" in xml or b":f" in xml:
        for m in formula_cell.finditer(xml):
            at = where(m.group(1))
            if at is not None:
                cells[at] = CellInfo(formula=_unescape(m.group(2) or b""), cached=bool(m.group(3)))
    if b't="e"' in xml:
        for m in error_cell.finditer(xml):
            at = where(m.group(1))
            if at is not None:
                old = cells.get(at, CellInfo())
                cells[at] = CellInfo(formula=old.formula, cached=True, error=_unescape(m.group(2)))
    if percent_styles:
        ids = b"|".join(str(i).encode() for i in percent_styles)
        for m in re.finditer(rb'<(?:\w+:)?c\b([^>]*?\bs="(' + ids + rb')"[^>]*)>', xml):
            at = where(m.group(1))
            if at is not None:
                old = cells.get(at, CellInfo())
                cells[at] = CellInfo(percent_styles[int(m.group(2))], old.formula, old.cached, old.error)
    return cells


_SHEETDATA = re.compile(rb"<(\w+:)?sheetData\b")


@functools.lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """The formula-cell and error-cell patterns for a sheet whose elements carry ``prefix``."""
    p = re.escape(prefix)
    formula = re.compile(
        rb"<" + p + rb"c\b([^>]*)>\s*<" + p + rb"f\b[^>]*?(?:/>|>(.*?)</" + p + rb"f>)\s*"
        rb"(?:<" + p + rb"v>(.*?)</" + p + rb"v>)?",
        re.S,
    )
    error = re.compile(
        rb"<" + p + rb'c\b([^>]*\bt="e"[^>]*)>(?:(?!</' + p + rb"c>).)*?<" + p + rb"v>(.*?)</" + p + rb"v>",
        re.S,
    )
    return formula, error
