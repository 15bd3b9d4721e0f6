"""Where the form is in a returned workbook: which sheet holds it (renamed or copied), which row is
its header and which column is which (columns inserted, moved, or headers edited).

Uses only the form's layout and findings; :mod:`.match` reads the rows below what is found here.
"""

from __future__ import annotations

import re
from typing import Any

from ..findings import Finding
from ..forms import layout as L
from ..forms.provenance import PROVENANCE_SHEET

HEADER_SCAN_ROWS = 12
#: column ids that label a row (printed by the form), not what the department fills in
LABELS = ("key", "number", "name", "title", "unit", "target", "role", "requirements", "departments", "check")
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_HEADER_IDS: dict[tuple[int, str], tuple[str, bool]] = {}


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _header_id(text: str, columns: tuple[L.Column, ...]) -> tuple[str, bool]:
    key = (id(columns), text)
    found = _HEADER_IDS.get(key)
    if found is None:
        if len(_HEADER_IDS) > 20000:
            _HEADER_IDS.clear()
        found = _HEADER_IDS[key] = _header_id_uncached(text, columns)
    return found


def _header_id_uncached(text: str, columns: tuple[L.Column, ...]) -> tuple[str, bool]:
    """(column id, edited) of a header cell: exact, or edited ("本期值（2025年1-5月）")."""
    by_header, prefixes = _headers(columns)
    h = "".join(text.split())
    if h in by_header:
        return by_header[h], False
    bare = _BRACKETS.sub("", h)
    if bare in by_header:
        return by_header[bare], True
    for header, cid in prefixes:  # longest first: "上期值所属期" before "上期值"
        if bare.startswith(header):
            return cid, True
    return "", False


_HEADERS: dict[int, tuple[dict[str, str], list[tuple[str, str]]]] = {}


def _headers(columns: tuple[L.Column, ...]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Header text → column id, and the headers an edited header may start with (longest first)."""
    found = _HEADERS.get(id(columns))
    if found is None:
        by_header = {"".join(c.header.split()): c.id for c in columns}
        prefixes = sorted(((h, cid) for h, cid in by_header.items() if len(h) >= 3), key=lambda x: -len(x[0]))
        found = _HEADERS[id(columns)] = (by_header, prefixes)
    return found


def find_header(
    rows: list[list[Any]], columns: tuple[L.Column, ...], must: str
) -> tuple[int, dict[str, int], list[Finding], int]:
    """Row index of the header, a column id → index map (columns may have been inserted, moved or
    their header edited), findings about the header, and the first column of a second table pasted
    beside the form on the header row (-1 when none). The row naming most columns wins."""
    best: tuple[int, dict[str, int], list[tuple[int, str, str]], int] | None = None
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        edited: list[tuple[int, str, str]] = []
        beside = -1
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v or len(v) > 40 or beside >= 0:
                continue
            cid, was_edited = _header_id(v, columns)
            if not cid:
                continue
            if cid in found:
                if cid in ("key", "name", "title", must):
                    beside = c  # the form's headers again: a table pasted beside the form
                continue
            found[cid] = c
            if was_edited:
                edited.append((c, v.strip(), next(x.header for x in columns if x.id == cid)))
        usable = must in found and ("name" in found or "title" in found)
        if usable and (best is None or len(found) > len(best[1])):
            best = (r, found, edited, beside)
            if len(found) == len(columns):  # every column named: no later row can name more
                break
    if best is None:
        return -1, {}, [], -1
    r, found, edited, beside = best
    findings: list[Finding] = [
        Finding("sheet.header_edited", {"col": L.col_letter(c), "header": h, "expected": e})
        for c, h, e in edited
    ]
    return r, found, findings, beside


def _answered(rows: list[list[Any]], columns: tuple[L.Column, ...], must: str) -> bool | None:
    """None when ``rows`` hold no form header; else whether any fill-in cell below it holds something."""
    hr, cols, _, beside = find_header(rows, columns, must)
    if hr < 0:
        return None
    inputs = [c for cid, c in cols.items() if cid not in LABELS and (beside < 0 or c < beside)]
    return any(c < len(row) and cell_text(row[c]) for row in rows[hr + 1 :] for c in inputs)


def form_sheet(
    book: Any, expected: str, columns: tuple[L.Column, ...], must: str
) -> tuple[str, list[Finding]]:
    """The sheet holding the form: ``expected`` when it is there and filled in; else a sheet with
    the form's header that holds answers — a copy filled instead of the form ("指标填报 (2)") or
    the form renamed — reported; else (nothing filled anywhere) ``expected``, or a renamed sheet."""
    here = book.sheets.get(expected)
    if here is not None and _answered(here, columns, must):
        return expected, []
    renamed = ""
    for name, rows in book.sheets.items():
        if name in (PROVENANCE_SHEET, L.SHEET_GUIDE, L.SHEET_INDICATORS, L.SHEET_TASKS):
            continue
        answered = _answered(rows, columns, must)
        if answered:
            code = "sheet.renamed" if here is None else "sheet.copied"
            return name, [Finding(code, {"sheet": name, "expected": expected})]
        if answered is not None and not renamed:
            renamed = name
    if here is None and renamed:
        return renamed, [Finding("sheet.renamed", {"sheet": renamed, "expected": expected})]
    return expected, []
