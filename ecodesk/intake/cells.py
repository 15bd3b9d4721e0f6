"""What each cell showed, beyond its value: number format, formula (and whether its result was
saved), error value, and the text the department saw.

python-calamine gives values only: a typed ``95.2%`` is 0.952, a formula saved without its result
and ``#DIV/0!`` both read as blank. This module reads the rest from the file's own parts, with the
standard library only:

- **.xlsx/.xlsm**: ``xl/styles.xml`` (number formats of the cell styles) and the wanted sheets' XML
  (each ``<c>``'s style, type, formula and cached value); a regex over the ``<c>`` elements, no
  DOM, so it costs a fraction of reading the values.
- **.ods**: ``content.xml`` parsed whole (:func:`read_ods`): values, value types (``percentage``),
  the displayed text (``<text:p>``, line breaks kept), formulas, errors and merged cells. It is both
  the source of formats and the second reader when calamine cannot open the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

MAX_ODS_CONTENT = 20 * 1024 * 1024  # content.xml larger than this is left to calamine alone


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


class Package:
    """A zip package held in memory (the bytes the sniffer read), opened once: its members are
    inflated straight from those bytes, without zipfile's per-member file machinery."""

    def __init__(self, data: bytes, z: zipfile.ZipFile | None = None) -> None:
        self.data = data
        self.zip = z if z is not None else zipfile.ZipFile(io.BytesIO(data))

    def size(self, name: str) -> int:
        return self.zip.getinfo(name).file_size

    def read(self, name: str) -> bytes:
        """The member ``name``; KeyError when the package has none."""
        i = self.zip.getinfo(name)
        at = i.header_offset
        if self.data[at : at + 4] == b"PK\x03\x04" and i.compress_type in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            n, extra = struct.unpack_from("<HH", self.data, at + 26)
            start = at + 30 + n + extra
            raw = self.data[start : start + i.compress_size]
            try:
                out = zlib.decompress(raw, -15) if i.compress_type == zipfile.ZIP_DEFLATED else raw
            except zlib.error:
                out = b""
            if len(out) == i.file_size and zlib.crc32(out) == i.CRC:
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
        xml = z.read("xl/styles.xml")
    except KeyError:
        return {}
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
        wb, rels = z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
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


# ---- ods --------------------------------------------------------------------------------------
_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}
_T, _O, _X, _C = ("{" + _NS[k] + "}" for k in ("table", "office", "text", "calcext"))
MAX_REPEAT = 1024  # a repeated cell or row with content is expanded at most this often


_ODS_ATTR = re.compile(rb'([\w-]+:[\w-]+)="([^"]*)"')
_ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_NO_VALUE_FORMULA = rb"<table:table-cell(?![^>]*value-type)[^>]*table:formula"
_ODS_INTERESTING = re.compile(rb"percentage|calcext:value-type=\"error|spanned|" + _ODS_NO_VALUE_FORMULA)
_ODS_INTERESTING_TEXT = re.compile(
    rb"percentage|calcext:value-type=\"error|spanned|text:line-break|" + _ODS_NO_VALUE_FORMULA
)
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(table-cell|covered-table-cell)\b([^>]*?)(/?)>")
_ODS_TABLE = re.compile(rb'<table:table(?![\w-])[^>]*?table:name="([^"]*)"')
_ODS_CELL_END = re.compile(rb"</table:table-cell>")
_ODS_BREAKS = re.compile(
    rb"<text:line-break\s*/>|</text:p>\s*<text:p\b[^>]*>|<text:tab\s*/>|<text:s\b[^>]*/>"
)
_TAGS = re.compile(rb"<[^>]+>")


def _ods_shown(content: bytes) -> str:
    def repl(m: re.Match[bytes]) -> bytes:
        tag = m.group(0)
        if tag.startswith(b"<text:s"):
            c = re.search(rb'text:c="(\d+)"', tag)
            return b" " * int(c.group(1) if c else 1)
        return b"\t" if tag.startswith(b"<text:tab") else b"\n"

    body = re.sub(rb"<office:annotation\b.*?</office:annotation>", b"", content, flags=re.S)
    return _unescape(_TAGS.sub(b"", _ODS_BREAKS.sub(repl, body))).strip("\n")


def ods_info(
    data: bytes | Package, sheets: list[str] | None = None
) -> tuple[
    dict[str, dict[tuple[int, int], CellInfo]],
    dict[str, list[tuple[int, int, int, int]]],
    dict[str, dict[tuple[int, int], str]],
]:
    """From content.xml, without building a tree: per sheet, (row, col) → info of the percent,
    formula and error cells; merged ranges; and the text of cells holding line breaks (which
    calamine drops). Used beside calamine's values."""
    z = package(data)
    if z.size("content.xml") > MAX_ODS_CONTENT:
        return {}, {}, {}
    xml = z.read("content.xml")
    breaks = b"text:line-break" in xml
    interesting = _ODS_INTERESTING_TEXT if breaks else _ODS_INTERESTING
    infos: dict[str, dict[tuple[int, int], CellInfo]] = {}
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    texts: dict[str, dict[tuple[int, int], str]] = {}
    starts = [(m.start(), _unescape(m.group(1)).strip()) for m in _ODS_TABLE.finditer(xml)]
    for i, (pos, name) in enumerate(starts):
        if sheets is not None and name not in sheets:
            continue
        end = starts[i + 1][0] if i + 1 < len(starts) else len(xml)
        _ods_table(xml, pos, end, name, interesting, breaks, infos, merges, texts)
    return infos, merges, texts


def _ods_table(
    xml: bytes,
    pos: int,
    end: int,
    sheet: str,
    interesting: re.Pattern[bytes],
    breaks: bool,
    infos: dict[str, dict[tuple[int, int], CellInfo]],
    merges: dict[str, list[tuple[int, int, int, int]]],
    texts: dict[str, dict[tuple[int, int], str]],
) -> None:
    """One table: rows are counted with one regex step each; only a row holding something of
    interest (percent, error, formula without a value, merge, line break) is walked cell by cell."""
    r = 0
    for row in _ODS_ROW.finditer(xml, pos, end):
        rep = _ODS_ROWS_REPEATED.search(row.group(1)) if b"repeated" in row.group(1) else None
        body = row.group(2)
        if body and interesting.search(body):
            _ods_row(body, r, sheet, breaks, infos, merges, texts)
        r += int(rep.group(1)) if rep else 1


def _ods_row(
    body: bytes,
    r: int,
    sheet: str,
    breaks: bool,
    infos: dict[str, dict[tuple[int, int], CellInfo]],
    merges: dict[str, list[tuple[int, int, int, int]]],
    texts: dict[str, dict[tuple[int, int], str]],
) -> None:
    c = 0
    for m in _ODS_CELL.finditer(body):
        tag, attrs, closed = m.group(1), m.group(2), m.group(3)
        rep = _ODS_COLS_REPEATED.search(attrs) if b"repeated" in attrs else None
        crep = int(rep.group(1)) if rep else 1
        if tag == b"table-cell" and attrs:
            a = dict(_ODS_ATTR.findall(attrs))
            vtype = a.get(b"office:value-type", b"")
            formula = a.get(b"table:formula", b"")
            error = a.get(b"calcext:value-type") == b"error"
            rs = int(a.get(b"table:number-rows-spanned", b"1") or 1)
            cs = int(a.get(b"table:number-columns-spanned", b"1") or 1)
            if rs > 1 or cs > 1:
                merges.setdefault(sheet, []).append((r, c, r + rs - 1, c + cs - 1))
            wanted = vtype == b"percentage" or error or (formula and not vtype)
            if wanted or (breaks and vtype == b"string" and not closed):
                content = b""
                if not closed:
                    e = _ODS_CELL_END.search(body, m.end())
                    content = body[m.end() : e.start()] if e else b""
                shown = _ods_shown(content) if content else ""
                if wanted:
                    fmt = ""
                    if vtype == b"percentage":
                        places = len(shown.rstrip("% ").split(".")[-1]) if "." in shown else 0
                        fmt = "0" + ("." + "0" * places if places else "") + "%"
                    infos.setdefault(sheet, {})[(r, c)] = CellInfo(
                        fmt=fmt,
                        formula=_unescape(formula),
                        cached=not formula or bool(vtype) or bool(shown),
                        error=shown if error else "",
                        shown=shown,
                    )
                elif "\n" in shown:
                    texts.setdefault(sheet, {})[(r, c)] = shown
        c += crep


@dataclass
class OdsSheet:
    rows: list[list[Any]]
    info: dict[tuple[int, int], CellInfo]
    merges: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), 0-based


def _ods_text(el: ET.Element) -> str:
    """The text of a cell as shown: paragraphs and <text:line-break/> become newlines."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag
            if tag == _X + "line-break":
                parts.append("\n")
            elif tag == _X + "s":
                parts.append(" " * int(child.get(_X + "c", "1") or 1))
            elif tag == _X + "tab":
                parts.append("\t")
            elif tag != _O + "annotation":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    paras = []
    for p in el:
        if p.tag in (_X + "p", _X + "h"):
            parts = []
            walk(p)
            paras.append("".join(parts))
    return "\n".join(paras)


def _ods_value(el: ET.Element) -> tuple[Any, CellInfo | None]:
    vtype = el.get(_O + "value-type") or el.get(_C + "value-type") or ""
    formula = el.get(_T + "formula") or ""
    shown = _ods_text(el)
    value: Any = ""
    if vtype in ("float", "percentage", "currency"):
        try:
            value = float(el.get(_O + "value", "") or "nan")
        except ValueError:
            value = shown
    elif vtype == "date":
        raw = el.get(_O + "date-value", "")
        try:
            value = (
                dt.datetime.fromisoformat(raw) if "T" in raw else dt.datetime.fromisoformat(raw + "T00:00")
            )
        except ValueError:
            value = raw
    elif vtype == "time":
        value = el.get(_O + "time-value", "") or shown
    elif vtype == "boolean":
        value = el.get(_O + "boolean-value", "") == "true"
    elif vtype == "string":
        value = el.get(_O + "string-value") or shown
    elif vtype != "error":
        value = shown
    error = shown if (el.get(_C + "value-type") == "error" or vtype == "error") else ""
    if error:
        value = ""
    cached = not formula or bool(vtype) or bool(shown)
    if not (formula or error or vtype == "percentage"):
        return value, None
    fmt = "0%" if vtype == "percentage" else ""
    if vtype == "percentage" and "." in shown:
        fmt = "0." + "0" * len(shown.rstrip("% ").split(".")[-1]) + "%"
    return value, CellInfo(fmt=fmt, formula=formula, cached=cached, error=error, shown=shown)


def _ods_rows(table: ET.Element):
    """The table's rows, through header-row and row-group wrappers."""
    for child in table:
        if child.tag == _T + "table-row":
            yield child
        elif child.tag in (_T + "table-header-rows", _T + "table-row-group", _T + "table-rows"):
            yield from _ods_rows(child)


def read_ods(data: bytes, max_rows: int) -> dict[str, OdsSheet | None]:
    """Every sheet of an .ods package (None for a sheet longer than ``max_rows``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("content.xml")
        if info.file_size > MAX_ODS_CONTENT:
            raise ValueError("content.xml too large")
        root = ET.fromstring(z.read("content.xml"))
    out: dict[str, OdsSheet | None] = {}
    for table in root.iter(_T + "table"):
        name = (table.get(_T + "name") or "").strip()
        cells: dict[tuple[int, int], Any] = {}
        infos: dict[tuple[int, int], CellInfo] = {}
        merges: list[tuple[int, int, int, int]] = []
        r = 0
        too_long = False
        for row in _ods_rows(table):
            rrep = int(row.get(_T + "number-rows-repeated", "1") or 1)
            c = 0
            content = False
            for cell in row:
                if cell.tag not in (_T + "table-cell", _T + "covered-table-cell"):
                    continue
                crep = int(cell.get(_T + "number-columns-repeated", "1") or 1)
                value, ci = _ods_value(cell) if cell.tag == _T + "table-cell" else ("", None)
                if value != "" or ci is not None:
                    content = True
                    for k in range(min(crep, MAX_REPEAT)):
                        cells[(r, c + k)] = value
                        if ci is not None:
                            infos[(r, c + k)] = ci
                rs = int(cell.get(_T + "number-rows-spanned", "1") or 1)
                cs = int(cell.get(_T + "number-columns-spanned", "1") or 1)
                if rs > 1 or cs > 1:
                    merges.append((r, c, r + rs - 1, c + cs - 1))
                c += crep
            if content and rrep > 1:
                for k in range(1, min(rrep, MAX_REPEAT)):
                    for (rr, cc), v in list(cells.items()):
                        if rr == r:
                            cells[(r + k, cc)] = v
                            if (rr, cc) in infos:
                                infos[(r + k, cc)] = infos[(rr, cc)]
            r += rrep
            if content and r > max_rows:
                too_long = True
                break
        if too_long:
            out[name] = None
            continue
        height = max((rr for rr, _ in cells), default=-1) + 1
        width = max((cc for _, cc in cells), default=-1) + 1
        grid = [[""] * width for _ in range(height)]
        for (rr, cc), v in cells.items():
            grid[rr][cc] = v
        out[name] = OdsSheet(grid, infos, merges)
    return out
