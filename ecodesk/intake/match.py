"""Whose form is this, for which round, and which row holds which indicator or task.

Rows are found by the hidden key column, not by position, so inserted, deleted or re-ordered rows
still match; each key is checked against the row's name (序号 + 指标名称), and when the two disagree
(rows sorted without the hidden column, rows pasted over others) the name wins and a finding says
so. When the keys are gone (provenance sheet deleted, key column cleared) rows are matched by name
and the file is marked for the clerk's confirmation. Each item is recorded from one row only; what
is odd about the layout (copied rows, merged value cells, extra columns or sheets, edited headers,
renamed sheets, tables pasted beside the form) becomes a finding, never a crash or a silent loss.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import name_fingerprint
from ..findings import Finding
from ..forms import layout as L
from ..forms.provenance import PROVENANCE_SHEET, Provenance
from .reader import Book, CellInfo
from .sheets import LABELS as _LABELS
from .sheets import cell_text as _text
from .sheets import find_header as _find_header
from .sheets import form_sheet as _form_sheet


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
    fingerprints: dict[str, str] = field(default_factory=dict)  # key → fingerprint of its name
    labels: dict[str, str] = field(default_factory=dict)  # key → its name
    department_set: frozenset[str] = frozenset()  # department_names, for lookups
    #: (text, department) of every name and alias a file name may carry, built once
    name_candidates: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Cell:
    value: Any
    ref: str  # A1 reference, e.g. "G5"
    info: CellInfo | None = None  # number format, formula, error, shown text (when the file says)


@dataclass(slots=True)
class Row:
    key: str
    sheet: str
    row: int  # 1-based
    cells: dict[str, Cell] = field(default_factory=dict)  # column id → cell
    name: str = ""  # the name as written in the row


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
    findings: list[Finding] = field(default_factory=list)  # what is odd about the file's layout


@functools.lru_cache(maxsize=1024)
def col_letter(index: int) -> str:
    return L.col_letter(index)


_fingerprint = functools.lru_cache(maxsize=8192)(name_fingerprint)  # the same names in every return


def _merged_down(merges: list[tuple[int, int, int, int]], cols: dict[str, int]) -> dict[tuple[int, int], int]:
    """(row, col) of every cell of an input column covered by a merge spanning rows → the row of the
    merge's top cell, which holds the value."""
    inputs = {c for cid, c in cols.items() if cid not in _LABELS}
    out: dict[tuple[int, int], int] = {}
    for r0, c0, r1, c1 in merges:
        if r1 > r0:
            for c in range(c0, c1 + 1):
                if c in inputs:
                    for r in range(r0 + 1, r1 + 1):
                        out[(r, c)] = r0
    return out


def _rows(
    book: Book,
    sheet: str,
    columns: tuple[L.Column, ...],
    must: str,
    keys: frozenset[str],
    names: dict[str, str],
    idx: CatalogueIndex,
) -> tuple[list[Row], list[str], bool, bool, list[Finding]]:
    """(rows, unmatched, layout_found, all_by_key, findings)."""
    data = book.sheets.get(sheet)
    if data is None:
        return [], [], False, True, []
    hr, cols, found, beside = _find_header(data, columns, must)
    if hr < 0:
        return [], [], False, True, []
    findings: list[Finding] = [Finding(code, {"sheet": sheet, **f}) for code, f in found]
    if beside >= 0:
        findings.append(
            Finding("sheet.pasted_table", {"sheet": sheet, "row": hr + 1, "col": col_letter(beside)})
        )
    out: list[Row] = []
    unmatched: list[str] = []
    by_key = True
    name_col = cols.get("name", cols.get("title"))
    number_col, key_col = cols.get("number", -1), cols.get("key", -1)
    headers = {c.id: c.header for c in columns}
    info = book.info.get(sheet) or {}
    covered = _merged_down(book.merges.get(sheet, []), cols)
    merged: dict[tuple[int, int], int] = {}  # (top row, col) → index of its finding
    taken: dict[str, Row] = {}
    known = set(cols.values())
    last = max(known, default=-1)
    unknown_inside = [c for c in range(last + 1) if c not in known]  # columns among the form's
    # only the input columns are kept per row (labels are read from the catalogue, not the file)
    inputs = [(cid, c, col_letter(c)) for cid, c in cols.items() if cid not in _LABELS]
    extra: dict[int, int] = {}  # column outside the form's → the first row holding something there
    for r in range(hr + 1, len(data)):
        row = data[r]
        n = len(row)
        limit = min(n, beside) if beside >= 0 else n
        for c in (*unknown_inside, *range(last + 1, limit)):
            if c < limit and c not in extra and _text(row[c]):
                extra[c] = r
        name = _text(row[name_col]) if name_col is not None and name_col < n else ""
        fp = _fingerprint(name.split("：")[-1]) if name else ""
        number = _text(row[number_col]) if fp and 0 <= number_col < n else ""
        by_name = (names.get(f"{number}|{fp}") or names.get(fp) or "") if fp else ""
        key = _text(row[key_col]) if 0 <= key_col < n else ""
        if key in keys:
            if fp and fp != idx.fingerprints.get(key, fp):
                fields = {"sheet": sheet, "row": r + 1, "name": name, "key_name": idx.labels.get(key, key)}
                if by_name:  # the name belongs to another item: trust the name
                    findings.append(Finding("row.key_name_mismatch", fields))
                    key, by_key = by_name, False
                else:
                    findings.append(Finding("row.name_unknown", fields))
        else:
            if not name:
                continue
            key = by_name
            if not key:
                unmatched.append(f"{sheet}!{r + 1}")
                continue
            by_key = False
        if key in taken:
            first = taken[key]
            findings.append(
                Finding(
                    "row.duplicate",
                    {"sheet": sheet, "row": r + 1, "first": first.row, "name": first.name or name},
                )
            )
            continue
        cells: dict[str, Cell] = {}
        for cid, c, letter in inputs:
            src = covered.get((r, c), r) if covered else r
            if src == r:
                cells[cid] = Cell(row[c] if c < n else None, f"{letter}{r + 1}", info.get((r, c)) if info else None)
                continue
            top = data[src]
            value = top[c] if c < len(top) else None
            if (src, c) not in merged:
                merged[(src, c)] = len(findings)
                findings.append(
                    Finding("cell.merged", {"sheet": sheet, "cell": f"{letter}{src + 1}", "first": src + 1,
                      "last": r + 1, "header": headers[cid], "raw": _text(value)})
                )  # fmt: skip
            else:
                i = merged[(src, c)]
                findings[i] = findings[i].at(last=r + 1)
            cells[cid] = Cell(value, f"{letter}{src + 1}", info.get((src, c)))
        taken[key] = Row(key, sheet, r + 1, cells, name)
        out.append(taken[key])
    findings += _outside(data, hr, sheet, extra, last)
    return out, unmatched, True, by_key, findings


def _outside(data: list[list[Any]], hr: int, sheet: str, extra: dict[int, int], last: int) -> list[Finding]:
    """What was typed outside the form's columns: a block of two or more adjacent columns right
    of the form, without headers of their own, is a table pasted beside the form (one finding);
    any other column is an extra column (one finding each). Neither is read."""
    header = {c: _text(data[hr][c]) if c < len(data[hr]) else "" for c in extra}
    beside = sorted(c for c in extra if c > last and not header[c])
    runs: list[list[int]] = []
    for c in beside:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    pasted = [run for run in runs if len(run) >= 2]
    in_tables = {c for run in pasted for c in run}
    out = [
        Finding(
            "sheet.pasted_table",
            {"sheet": sheet, "row": min(extra[c] for c in run) + 1, "col": col_letter(run[0])},
        )
        for run in pasted
    ]
    out += [
        Finding("sheet.extra_column", {"sheet": sheet, "col": col_letter(c), "header": header[c] or "无表头"})
        for c in sorted(extra)
        if c not in in_tables
    ]
    return out


_TITLE = re.compile(r"^(?P<round>.+?)\s*(?:指标填报表|重点工作任务进展)\s*[（(](?P<dept>[^）)]+)[）)]")
_FILENAME = re.compile(r"^(?P<round>[^_]+)_(?P<dept>[^_]+)_填报表")


def resolve_department(name: str, idx: CatalogueIndex) -> str | None:
    n = re.sub(r"\s+", "", name)
    if n in (idx.department_set or idx.department_names):
        return n
    return idx.department_aliases.get(n)


def label_from_title(
    book: Book, sheets: tuple[str, ...] = (L.SHEET_INDICATORS, L.SHEET_TASKS)
) -> tuple[str | None, str | None]:
    for sheet in sheets:
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
    ind_sheet, f1 = _form_sheet(book, L.SHEET_INDICATORS, L.INDICATOR_COLUMNS, "current")
    task_sheet, f2 = _form_sheet(book, L.SHEET_TASKS, L.TASK_COLUMNS, "status")
    ind, un1, lay1, key1, f3 = _rows(
        book, ind_sheet, L.INDICATOR_COLUMNS, "current", idx.indicator_keys, idx.indicator_names, idx
    )
    tasks, un2, lay2, key2, f4 = _rows(
        book, task_sheet, L.TASK_COLUMNS, "status", idx.task_keys, idx.task_names, idx
    )
    m.indicator_rows, m.task_rows, m.unknown_rows = ind, tasks, un1 + un2
    m.has_form_layout = lay1 or lay2
    m.findings = f1 + f2 + f3 + f4
    if m.has_form_layout:
        for sheet, unknown, columns in (
            (ind_sheet, un1, L.INDICATOR_COLUMNS),
            (task_sheet, un2, L.TASK_COLUMNS),
        ):
            if unknown:
                rows = _named_rows(book.sheets[sheet], columns, [int(u.rsplit("!", 1)[1]) for u in unknown])
                more = f"等 {len(rows)} 行" if len(rows) > 20 else ""
                m.findings.append(
                    Finding("row.unmatched", {"sheet": sheet, "rows": "、".join(rows[:20]) + more})
                )
        for name in book.sheet_names:
            name = name.strip()
            if name not in (PROVENANCE_SHEET, L.SHEET_GUIDE, *_FORMS, ind_sheet, task_sheet) and _has_content(
                book, name
            ):
                m.findings.append(Finding("sheet.extra", {"sheet": name, "expected": ind_sheet}))
    m.by = "key" if (key1 and key2 and m.provenance is not None) else "name"
    if m.provenance:
        m.department, m.round = m.provenance.department, m.provenance.round
    else:
        rnd, dept = label_from_title(book, (ind_sheet, task_sheet))
        m.round = rnd
        m.department = resolve_department(dept, idx) if dept else None
    return m


def _named_rows(data: list[list[Any]], columns: tuple[L.Column, ...], rows: list[int]) -> list[str]:
    """Rows with what each is called, as the clerk reads them: "第 6 行『其中：城区污水处理率』"."""
    cols = _find_header(data, columns, "current" if columns is L.INDICATOR_COLUMNS else "status")[1]
    c = cols.get("name", cols.get("title", -1))
    names = [_text(data[r - 1][c])[:30] if 0 <= c < len(data[r - 1]) else "" for r in rows]
    return [f"第 {r} 行『{n}』" if n else f"第 {r} 行" for r, n in zip(rows, names, strict=True)]


_FORMS = (L.SHEET_INDICATORS, L.SHEET_TASKS)  # read, or left blank beside the copy that was read


def _has_content(book: Book, sheet: str) -> bool:
    rows = book.sheets.get(sheet)
    if rows is None:
        return sheet in book.skipped  # not read (too large): certainly not empty
    return any(_text(v) for row in rows for v in row)


def build_index(cat: Any) -> CatalogueIndex:
    """From a :class:`ecodesk.catalogue.Catalogue`."""
    from ..catalogue.departments import AliasTable, normalise_name

    fingerprints: dict[str, str] = {}  # key → fingerprint of its name, worked out once
    ind_names: dict[str, str] = {}
    for i in cat.indicators:
        fp = fingerprints[i.key] = name_fingerprint(i.name)
        ind_names[f"{i.number}|{fp}"] = i.key
        ind_names.setdefault(fp, i.key)
    task_names: dict[str, str] = {}
    for t in cat.tasks:
        fp = fingerprints[t.key] = name_fingerprint(t.title)
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
        department_set=frozenset(roster),
        name_candidates=tuple([(d, d) for d in roster] + [(a, d) for a, d in aliases.items() if len(a) >= 2]),
        indicators_of={d: frozenset(i.key for i in inds_of.get(d, [])) for d in roster},
        tasks_of={d: frozenset(t.key for t in tasks_of.get(d, [])) for d in roster},
        fingerprints=fingerprints,
        labels={i.key: i.name for i in cat.indicators} | {t.key: t.title for t in cat.tasks},
    )
