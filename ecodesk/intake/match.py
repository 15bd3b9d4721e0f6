"""Whose form is this, for which round, and which row holds which indicator or task.

Rows are found by the hidden key column, not by position, so inserted, deleted or re-ordered rows
still match. When the keys are gone (provenance sheet deleted, key column cleared) rows are
matched by 序号 + 指标名称 and the file is marked for the clerk's confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import name_fingerprint
from ..forms import layout as L
from ..forms.provenance import PROVENANCE_SHEET, Provenance
from .reader import Book

HEADER_SCAN_ROWS = 12


@dataclass(frozen=True)
class CatalogueIndex:
    """What matching needs to know of the catalogue; small and picklable for worker processes."""

    indicator_keys: frozenset[str]
    task_keys: frozenset[str]
    indicator_names: dict[str, str]  # fingerprint of "序号|名称" and of "名称" → key
    task_names: dict[str, str]
    department_names: tuple[str, ...]
    department_aliases: dict[str, str]  # normalised alias → roster name
    indicators_of: dict[str, frozenset[str]]  # department → its indicator keys
    tasks_of: dict[str, frozenset[str]]


@dataclass
class Cell:
    value: Any
    ref: str  # A1 reference, e.g. "G5"


@dataclass
class Row:
    key: str
    sheet: str
    row: int  # 1-based
    cells: dict[str, Cell] = field(default_factory=dict)  # column id → cell


@dataclass
class Matched:
    provenance: Provenance | None = None
    department: str | None = None
    round: str | None = None
    by: str = "key"  # "key" | "name"
    indicator_rows: list[Row] = field(default_factory=list)
    task_rows: list[Row] = field(default_factory=list)
    unknown_rows: list[str] = field(default_factory=list)  # rows that matched nothing, as "sheet!row"
    has_form_layout: bool = False
    provenance_broken: bool = False  # our provenance sheet is there but cannot be read: tampered


def col_letter(index: int) -> str:
    return L.col_letter(index)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _find_header(
    rows: list[list[Any]], columns: tuple[L.Column, ...], must: str
) -> tuple[int, dict[str, int]]:
    """Row index of the header and a column id → index map, by header text (columns may have
    been inserted or moved)."""
    by_header = {"".join(c.header.split()): c.id for c in columns}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v:
                continue
            cid = by_header.get("".join(v.split()))
            if cid and cid not in found:
                found[cid] = c
        if must in found and ("name" in found or "title" in found):
            return r, found
    return -1, {}


def _rows(
    book: Book,
    sheet: str,
    columns: tuple[L.Column, ...],
    must: str,
    keys: frozenset[str],
    names: dict[str, str],
) -> tuple[list[Row], list[str], bool, bool]:
    """(rows, unmatched, layout_found, all_by_key)."""
    data = book.sheets.get(sheet)
    if data is None:
        return [], [], False, True
    hr, cols = _find_header(data, columns, must)
    if hr < 0:
        return [], [], False, True
    out: list[Row] = []
    unmatched: list[str] = []
    by_key = True
    name_col = cols.get("name", cols.get("title"))
    letters = {cid: col_letter(c) for cid, c in cols.items()}
    for r in range(hr + 1, len(data)):
        row = data[r]

        def get(cid: str, row: list[Any] = row) -> Any:
            return row[cols[cid]] if cid in cols and cols[cid] < len(row) else None

        key = _text(get("key"))
        if key not in keys:
            name = _text(row[name_col]) if name_col is not None and name_col < len(row) else ""
            number = _text(get("number"))
            if not name:
                continue
            fp = name_fingerprint(name.split("：")[-1])
            key = names.get(f"{number}|{fp}") or names.get(fp) or ""
            if not key:
                unmatched.append(f"{sheet}!{r + 1}")
                continue
            by_key = False
        n = len(row)
        cells = {cid: Cell(row[c] if c < n else None, f"{letters[cid]}{r + 1}") for cid, c in cols.items()}
        out.append(Row(key, sheet, r + 1, cells))
    return out, unmatched, True, by_key


_TITLE = re.compile(r"^(?P<round>.+?)\s*(?:指标填报表|重点工作任务进展)\s*[（(](?P<dept>[^）)]+)[）)]")
_FILENAME = re.compile(r"^(?P<round>[^_]+)_(?P<dept>[^_]+)_填报表")


def resolve_department(name: str, idx: CatalogueIndex) -> str | None:
    n = re.sub(r"\s+", "", name)
    if n in idx.department_names:
        return n
    return idx.department_aliases.get(n)


def label_from_title(book: Book) -> tuple[str | None, str | None]:
    for sheet in (L.SHEET_INDICATORS, L.SHEET_TASKS):
        for row in book.sheets.get(sheet, [])[:3]:
            for v in row:
                m = _TITLE.match(_text(v))
                if m:
                    return m.group("round").strip(), m.group("dept").strip()
    return None, None


def label_from_filename(path: Path) -> tuple[str | None, str | None]:
    m = _FILENAME.match(path.stem)
    return (m.group("round"), m.group("dept")) if m else (None, None)


def match_book(book: Book, idx: CatalogueIndex) -> Matched:
    m = Matched()
    prov_rows = book.sheets.get(PROVENANCE_SHEET)
    m.provenance = Provenance.from_rows(prov_rows) if prov_rows else None
    m.provenance_broken = m.provenance is None and any(
        len(r) >= 2 and r[0] == "format" and str(r[1]).startswith("ecodesk-form/") for r in prov_rows or []
    )
    ind, un1, lay1, key1 = _rows(
        book, L.SHEET_INDICATORS, L.INDICATOR_COLUMNS, "current", idx.indicator_keys, idx.indicator_names
    )
    tasks, un2, lay2, key2 = _rows(
        book, L.SHEET_TASKS, L.TASK_COLUMNS, "status", idx.task_keys, idx.task_names
    )
    m.indicator_rows, m.task_rows, m.unknown_rows = ind, tasks, un1 + un2
    m.has_form_layout = lay1 or lay2
    m.by = "key" if (key1 and key2 and m.provenance is not None) else "name"
    if m.provenance:
        m.department, m.round = m.provenance.department, m.provenance.round
    else:
        rnd, dept = label_from_title(book)
        m.round = rnd
        m.department = resolve_department(dept, idx) if dept else None
    return m


def build_index(cat: Any) -> CatalogueIndex:
    """From a :class:`ecodesk.catalogue.Catalogue`."""
    from ..departments import AliasTable, normalise_name

    ind_names: dict[str, str] = {}
    for i in cat.indicators:
        fp = name_fingerprint(i.name)
        ind_names[f"{i.number}|{fp}"] = i.key
        ind_names.setdefault(fp, i.key)
    task_names: dict[str, str] = {}
    for t in cat.tasks:
        fp = name_fingerprint(t.title)
        task_names[f"{t.number}|{fp}"] = t.key
        task_names.setdefault(fp, t.key)
    aliases: dict[str, str] = {}
    roster = cat.department_names()
    by_norm = {normalise_name(r): r for r in roster}
    for d in cat.departments:
        for a in d.aliases:
            aliases.setdefault(normalise_name(a), d.name)
    for group in AliasTable.default().groups:  # a group naming a roster department maps all its names to it
        names = [normalise_name(x) for x in group]
        target = next((by_norm[n] for n in names if n in by_norm), None)
        if target is not None:
            for n in names:
                aliases.setdefault(n, target)
    inds_of, tasks_of = cat.by_department()
    return CatalogueIndex(
        indicator_keys=frozenset(i.key for i in cat.indicators),
        task_keys=frozenset(t.key for t in cat.tasks),
        indicator_names=ind_names,
        task_names=task_names,
        department_names=tuple(roster),
        department_aliases=aliases,
        indicators_of={d: frozenset(i.key for i in inds_of.get(d, [])) for d in roster},
        tasks_of={d: frozenset(t.key for t in tasks_of.get(d, [])) for d in roster},
    )
