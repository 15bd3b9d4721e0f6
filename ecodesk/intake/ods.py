"""What the cells of an .ods showed, from ``content.xml``: value types (``percentage``), the
displayed text (``<text:p>``, line breaks kept), formulas (and whether a result was saved), error
values and merged cells. :func:`ods_info` reads only those, beside calamine's values, without
building a tree; :func:`read_ods` is the whole second reader for an .ods calamine cannot open
(some programs other than LibreOffice put whitespace between the cells of a row)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from .cells import CellInfo, Package, _unescape, package

MAX_ODS_CONTENT = 20 * 1024 * 1024  # content.xml larger than this is left to calamine alone

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
_ODS_NO_VALUE_FORMULA = re.compile(rb"<table:table-cell(?![^>]*value-type)[^>]*table:formula")
#: what makes a row worth walking cell by cell (literals, looked for at C speed)
_ODS_INTERESTING = (b"percentage", b'calcext:value-type="error', b"spanned")
_ODS_ROW_START = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_ROW_END = b"</table:table-row>"
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
    interesting = (*_ODS_INTERESTING, b"text:line-break") if breaks else _ODS_INTERESTING
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
    interesting: tuple[bytes, ...],
    breaks: bool,
    infos: dict[str, dict[tuple[int, int], CellInfo]],
    merges: dict[str, list[tuple[int, int, int, int]]],
    texts: dict[str, dict[tuple[int, int], str]],
) -> None:
    """One table: rows are counted from their tags (the end of each found with ``bytes.find``);
    only a row holding something of interest (percent, error, formula without a value, merge,
    line break) is walked cell by cell."""
    r = 0
    while True:
        row = _ODS_ROW_START.search(xml, pos, end)
        if row is None:
            return
        attrs = row.group(1)
        if row.group(2):  # <table:table-row …/>
            body = b""
            pos = row.end()
        else:
            close = xml.find(_ODS_ROW_END, row.end(), end)
            if close < 0:  # no end before the table's: not a row
                pos = row.start() + 1
                continue
            body = xml[row.end() : close]
            pos = close + len(_ODS_ROW_END)
        rep = _ODS_ROWS_REPEATED.search(attrs) if b"repeated" in attrs else None
        if body and _interesting(body, interesting):
            _ods_row(body, r, sheet, breaks, infos, merges, texts)
        r += int(rep.group(1)) if rep else 1


def _interesting(body: bytes, literals: tuple[bytes, ...]) -> bool:
    if any(x in body for x in literals):
        return True
    return b"table:formula" in body and _ODS_NO_VALUE_FORMULA.search(body) is not None


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


def read_ods(data: bytes | Package, max_rows: int) -> dict[str, OdsSheet | None]:
    """Every sheet of an .ods package (None for a sheet longer than ``max_rows``)."""
    z = package(data)
    if z.size("content.xml") > MAX_ODS_CONTENT:
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
