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
import io
import re
import zipfile
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


# ---- xlsx -------------------------------------------------------------------------------------
_BUILTIN_FORMATS = {9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 49: "@"}
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*?)/?>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_V = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_REF = re.compile(rb"([A-Z]{1,3})(\d+)")


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


def _styles(z: zipfile.ZipFile) -> list[str]:
    """Number format code of each cell style (``s=`` index); "" for General."""
    try:
        xml = z.read("xl/styles.xml")
    except KeyError:
        return []
    custom = {int(i): _unescape(code) for i, code in _NUMFMT.findall(xml)}
    m = _CELLXFS.search(xml)
    out: list[str] = []
    for attrs in _XF.findall(m.group(1)) if m else []:
        a = dict(_ATTR.findall(attrs))
        fid = int(a.get(b"numFmtId", b"0") or 0)
        out.append(custom.get(fid) or _BUILTIN_FORMATS.get(fid, ""))
    return out


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the package."""
    try:
        wb, rels = z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for attrs in _REL.findall(rels):
        a = dict(_ATTR.findall(attrs))
        target = _unescape(a.get(b"Target", b""))
        targets[a.get(b"Id", b"").decode()] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = {}
    for attrs in _SHEET.findall(wb):
        a = {k.split(b":")[-1]: v for k, v in re.findall(rb'([\w:]+)="([^"]*)"', attrs)}
        rid = a.get(b"id", b"").decode()
        if rid in targets:
            out[_unescape(a.get(b"name", b"")).strip()] = targets[rid]
    return out


def xlsx_info(data: bytes, sheets: list[str]) -> dict[str, dict[tuple[int, int], CellInfo]]:
    """For each of ``sheets``: (row, col) (0-based) → what the cell showed, for the cells that
    have a non-General number format, a formula or an error value."""
    out: dict[str, dict[tuple[int, int], CellInfo]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = _sheet_parts(z)
        styles = _styles(z)
        for name in sheets:
            part = parts.get(name)
            if part is None:
                continue
            try:
                xml = z.read(part)
            except KeyError:
                continue
            cells: dict[tuple[int, int], CellInfo] = {}
            for attrs, inner in _CELL.findall(xml):
                a = dict(_ATTR.findall(attrs))
                s, t = a.get(b"s"), a.get(b"t", b"n")
                fmt = styles[int(s)] if s and s.isdigit() and int(s) < len(styles) else ""
                f = _F.search(inner) if inner else None
                if not (fmt or f or t == b"e"):
                    continue
                ref = _REF.match(a.get(b"r", b""))
                if ref is None:
                    continue
                v = _V.search(inner) if inner else None
                value = _unescape(v.group(1)) if v else ""
                cells[(int(ref.group(2)) - 1, _col_index(ref.group(1)))] = CellInfo(
                    fmt=fmt,
                    formula=_unescape(f.group(1) or b"") if f else "",
                    cached=not f or bool(value),
                    error=value if t == b"e" else "",
                )
            out[name] = cells
    return out


# ---- ods --------------------------------------------------------------------------------------
_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}
_T, _O, _X, _C = ("{" + _NS[k] + "}" for k in ("table", "office", "text", "calcext"))
MAX_REPEAT = 1024  # a repeated cell or row with content is expanded at most this often


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
