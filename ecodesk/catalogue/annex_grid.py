"""Worksheets as plain grids, and finding an annex's header in them, for :mod:`ecodesk.catalogue.import_annex`.

Every cell of a merged range holds the range's value; the grid remembers which cells own their
value and which merge they belong to. Opening a file that is not a readable .xlsx, or a workbook
without the expected header, raises :class:`CatalogueImportError` (code ``import.*``, located by
file, sheet and row).
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..findings import Finding
from ..messages import EcoDeskError, os_reason
from .model import clean_text

MAX_ROWS = 5000  # a catalogue table is a few dozen rows; formatting may claim a million
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx
_BRACKETED = re.compile(r"\([^()]*\)")
HEADER_ROWS = 30  # the header is looked for in this many rows from the top
_COUNTY = re.compile(r"^(?:\d{4}(?:[-—–~至]\d{2,4})?年度?)?(?P<c>[^()（）]{2,12}?[市县区旗])国家生态")


class CatalogueImportError(EcoDeskError, ValueError):
    """An Annex table that cannot be imported: a message code (``import.*``) and its fields. The
    message (Chinese) names the file or the sheet and row, says what was expected and what to do."""

    @property
    def finding(self) -> Finding:
        return Finding(self.code, self.fields)


@dataclass
class Grid:
    name: str
    values: list[list[Any]]
    anchor: dict[tuple[int, int], tuple[int, int]]  # merged cell → top-left cell of its range

    @property
    def height(self) -> int:
        return len(self.values)

    def get(self, r: int, c: int) -> Any:
        row = self.values[r]
        return row[c] if 0 <= c < len(row) else None

    def own(self, r: int, c: int) -> bool:
        """True unless the cell only shows a merged range's value from another cell."""
        return self.anchor.get((r, c), (r, c)) == (r, c)

    def same_merge(self, r: int, c1: int, c2: int) -> bool:
        a = self.anchor.get((r, c1))
        return a is not None and a == self.anchor.get((r, c2))

    def row_own_count(self, r: int) -> int:
        return sum(
            1 for c in range(len(self.values[r])) if self.own(r, c) and cell_text(self.get(r, c)).strip()
        )


def cell_text(value: Any) -> str:
    """A cell value as the clerk sees it: 1, 1.0 and "1" all give "1"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def header_key(value: Any) -> str:
    """A header cell reduced for matching: "责任部门\\n（标*为牵头单位）" → "责任部门"."""
    s = unicodedata.normalize("NFKC", cell_text(value))
    s = re.sub(r"\s+", "", s)
    return _BRACKETED.sub("", s).strip(":")


def open_workbook(path: Path) -> Workbook:
    """Open an .xlsx for reading, or explain in Chinese why it cannot be read."""
    name = path.name
    if not path.is_file():
        raise CatalogueImportError("import.file_missing", path=path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise CatalogueImportError("import.cannot_read", file=name, detail=os_reason(exc)) from exc
    if not head:
        raise CatalogueImportError("import.empty_file", file=name)
    if head == _OLE_MAGIC:
        raise CatalogueImportError("import.xls_or_password", file=name)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, unknown styles); reading is unaffected
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            return load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError/… for a non-workbook
        raise CatalogueImportError("import.not_xlsx", file=name) from exc


def read_grid(ws: Worksheet) -> Grid:
    """The sheet's values (first :data:`MAX_ROWS` rows), merged ranges filled from their top-left."""
    height = min(ws.max_row, MAX_ROWS)
    values = [list(row) for row in ws.iter_rows(min_row=1, max_row=height, values_only=True)]
    while values and all(v is None or str(v).strip() == "" for v in values[-1]):
        values.pop()
    width = max((len(row) for row in values), default=0)
    anchor: dict[tuple[int, int], tuple[int, int]] = {}
    for mr in ws.merged_cells.ranges:
        top = values[mr.min_row - 1][mr.min_col - 1] if mr.min_row <= len(values) else None
        for r in range(mr.min_row - 1, min(mr.max_row, len(values))):
            for c in range(mr.min_col - 1, min(mr.max_col, width)):
                values[r][c] = top
                anchor[(r, c)] = (mr.min_row - 1, mr.min_col - 1)
    return Grid(ws.title, values, anchor)


@dataclass(frozen=True)
class Layout:
    """How one annex's header reads: the words each field's column may be headed with (the first
    is the usual one), which fields must be there, and header words that mean another table."""

    title: str
    headers: dict[str, tuple[str, ...]]
    key_field: str  # without it a row is not this table's header
    required: tuple[str, ...]
    min_fields: int = 3
    reject: frozenset[str] = field(default_factory=frozenset)

    def label(self, fld: str) -> str:
        return f"“{self.headers[fld][0]}”"


@dataclass
class Table:
    """One sheet's header row and the columns of each field found there."""

    grid: Grid
    header_row: int
    cols: dict[str, list[int]]
    file: str = ""  # the workbook's file name, for locating findings

    def location(self, r: int) -> dict[str, Any]:
        """Row ``r`` (0-based) as a finding's location: file, sheet and row as the clerk sees them."""
        return {**({"file": self.file} if self.file else {}), "sheet": self.grid.name, "row": r + 1}

    def text(self, r: int, fld: str, raw: bool = False) -> str:
        """The field's text in row ``r``: cleaned, or as written (line breaks kept) when ``raw``."""
        if fld not in self.cols:
            return ""
        v = cell_text(self.grid.get(r, self.cols[fld][0]))
        return v.strip() if raw else clean_text(v)

    def own(self, r: int, *flds: str) -> bool:
        """Whether row ``r`` itself (not a merge from above) holds a value in one of the fields."""
        return any(
            fld in self.cols and self.grid.own(r, self.cols[fld][0]) and self.text(r, fld) for fld in flds
        )

    def county(self) -> str:
        """The county named in a title row above the header ("2024-2025年平湖市国家生态…" → 平湖市)."""
        for r in range(self.header_row):
            for v in self.grid.values[r]:
                m = _COUNTY.match(clean_text(cell_text(v)))
                if m:
                    return m.group("c")
        return ""


def _header_at(grid: Grid, r: int, layout: Layout) -> dict[str, list[int]] | None:
    keys = [header_key(v) for v in grid.values[r]]
    if layout.reject.intersection(keys):
        return None
    cols: dict[str, list[int]] = {}
    for c, key in enumerate(keys):
        for fld, names in layout.headers.items():
            if key in names:
                cols.setdefault(fld, []).append(c)
    return cols if layout.key_field in cols and len(cols) >= layout.min_fields else None


def locate(wb: Workbook, layout: Layout, must: bool = True, file: str = "") -> Table | None:
    """The first sheet whose top rows hold the layout's header. A header lacking a required column
    is an error; finding none is one too when ``must``. ``file``: the workbook's name, for locations."""
    sheets = [ws for ws in wb.worksheets if isinstance(ws, Worksheet)]  # not chart sheets
    for ws in sheets:
        grid = read_grid(ws)
        for r in range(min(grid.height, HEADER_ROWS)):
            cols = _header_at(grid, r, layout)
            if cols is None:
                continue
            table = Table(grid, r, cols, file)
            missing = [f for f in layout.required if f not in cols]
            if missing and not must:  # only looking: a sheet lacking columns is not this table
                break
            if missing:
                need = "、".join(f"{layout.label(f)}（可写作{'/'.join(layout.headers[f])}）" for f in missing)
                raise CatalogueImportError("import.missing_columns", **table.location(r), columns=need)
            return table
    if not must:
        return None
    names = "".join(f"『{ws.title}』" for ws in sheets) or "（没有工作表）"
    cols_text = "".join(layout.label(f) for f in layout.required)
    raise CatalogueImportError(
        "import.no_header", file=file, sheets=names, rows=HEADER_ROWS, title=layout.title, columns=cols_text
    )
