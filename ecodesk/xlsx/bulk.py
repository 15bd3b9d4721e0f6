"""Big blocks of cells for an xlsxwriter workbook at a fraction of xlsxwriter's cost per cell.

xlsxwriter spends about 11 µs of Python on every cell (the write call, then the XML at close); a
province's history is hundreds of thousands of cells, which is seconds. A :class:`BlockSheet` is
an xlsxwriter worksheet that also takes whole columns of values at once (:meth:`~BlockSheet.write_columns`)
and writes their ``<row>`` XML in one go when the workbook closes — the same XML xlsxwriter writes
(shared strings, the cell's format by its index), about a tenth of the time. Everything else of
the sheet (headers, merged cells, conditional formats, print set-up) is xlsxwriter's as usual.

:meth:`~BlockSheet.write_cells` takes cells one by one instead, in the order xlsxwriter would
have been given them, with row heights and merged ranges (:meth:`~BlockSheet.merge_cells`): a
whole printed table, written as xlsxwriter writes it to the byte (spans, shared strings and their
order, numbers to 16 digits, heights rounded to pixels).

The one rule: no cell of a block's rows is written, and none of its rows set, the usual way (and a
chart or image placed over a block's rows does not see the block's row heights).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet, _utf16_len, _utf16_truncate

__all__ = ["BlockSheet", "add_block_sheet"]


class _Block:
    __slots__ = ("_make", "_rows", "first_row", "n")

    def __init__(self, first_row: int, rows: list[str] | None, n: int = 0, make: Any = None) -> None:
        self.first_row, self._rows, self._make = first_row, rows, make  # each row's XML, or how to make it
        self.n = len(rows) if rows is not None else n

    @property
    def rows(self) -> list[str]:
        if self._rows is None:  # made at close: xlsxwriter numbers the formats as it writes the cells
            self._rows = self._make()
        return self._rows


class BlockSheet(Worksheet):
    """An xlsxwriter worksheet that also writes blocks of cells a column at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._blocks: list[_Block] = []

    def write_columns(
        self,
        first_row: int,
        first_col: int,
        columns: Sequence[Sequence[Any]],
        formats: Sequence[Format | None] | Format | None = None,
        heights: Sequence[float | None] | None = None,
    ) -> int:
        """Write ``columns`` (one sequence of values per column, all as long) from
        (``first_row``, ``first_col``) down; returns the row after the block.

        A value is written as ``write_value`` does: a str as a string, an int or float as a number
        (NaN and None as a blank cell, which keeps its format), and nothing else is accepted.
        ``formats``: one per column (or one for all); ``heights``: one row height in points per row
        (None: the default height)."""
        if self.constant_memory:
            raise ValueError("BlockSheet needs constant_memory off")
        cols = [list(c) for c in columns]
        if not cols or not cols[0]:
            return first_row
        n = len(cols[0])
        if any(len(c) != n for c in cols) or (heights is not None and len(heights) != n):
            raise ValueError("every column (and the heights) must be as long as the first")
        fmts = list(formats) if isinstance(formats, Sequence) else [formats] * len(cols)
        if len(fmts) != len(cols):
            raise ValueError("one format per column")
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(
            first_row + n - 1, first_col + len(cols) - 1
        ):
            raise ValueError("the block goes beyond the sheet's last row or column")
        cells = [
            _column(xl_col_to_name(first_col + c), first_row, values, fmt, self.str_table)
            for c, (values, fmt) in enumerate(zip(cols, fmts, strict=True))
        ]
        numbers = range(first_row + 1, first_row + n + 1)  # Excel's row numbers
        rows = ("".join(row) for row in zip(*cells, strict=True))
        hts = heights if heights is not None else [None] * n
        self._blocks.append(
            _Block(
                first_row,
                [
                    f'<row r="{r}"{_height(h)}>{row}</row>' if row or h is not None else ""
                    for r, h, row in zip(numbers, hts, rows, strict=True)
                ],
            )
        )
        return first_row + n

    def merge_cells(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Record a merged range as ``merge_range`` does, without writing its cells: they are the
        block's (``merge_range`` writes its first cell with the value and the rest blank in its
        format)."""
        if (first_row, first_col) == (last_row, last_col):
            raise ValueError("a merged range needs two cells or more")
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(last_row, last_col):
            raise ValueError("the merged range goes beyond the sheet's last row or column")
        name = xl_range(first_row, first_col, last_row, last_col)
        merged = self.merged_cells
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                if (r, c) in merged:
                    raise ValueError(f"merged range {name} overlaps {merged[(r, c)]}")
                merged[(r, c)] = name
        self.merge.append([first_row, first_col, last_row, last_col])

    def write_cells(
        self,
        cells: Iterable[tuple[int, int, Any, Format | None]],
        heights: Mapping[int, float | None] | None = None,
    ) -> None:
        """Write ``cells`` (row, column, value, format), given in the order they would be written
        one at a time, and set the rows of ``heights`` (row → height in points, or None for the
        default, as ``set_row`` takes it; each such row is written, with cells or not). A value is
        written as ``write_value`` writes it (None and "" blank, kept only with a format; an int or
        float a number; anything else its ``str``); a cell written twice keeps the later value.
        One block, from the first to the last row they touch."""
        if self.constant_memory:
            raise ValueError("BlockSheet needs constant_memory off")
        heights = heights or {}
        table = self.str_table
        index: dict[str, int] = {}
        grid: dict[int, dict[int, tuple[Format | None, str]]] = {}  # row → column → format, XML after it
        repeats = 0
        strmax = self.xls_strmax
        for r, c, v, fmt in cells:
            t = type(v)
            if t is not str and v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                v, t = str(v), str  # anything but a number as its text, as write_value writes it
            if t is str and v:
                if len(v) > strmax // 2 and _utf16_len(v) > strmax:
                    v = _utf16_truncate(v, strmax)
                i = index.get(v)
                if i is None:
                    i = index[v] = table._get_shared_string_index(v)
                else:
                    repeats += 1
                tail = f' t="s"><v>{i}</v></c>'
            elif v is None or t is str:
                if fmt is None:
                    continue  # xlsxwriter keeps no blank cell without a format
                tail = "/>"  # an empty string too, as xlsxwriter writes it: a blank
            else:
                if not math.isfinite(v):
                    raise TypeError(f"cell {xl_col_to_name(c)}{r + 1}: NaN or infinity ({v!r})")
                tail = f"><v>{v:.16G}</v></c>"
            row = grid.get(r)
            if row is None:
                row = grid[r] = {}
            row[c] = (fmt, tail)
        table.count += repeats  # each repeat is one more reference, as _get_shared_string_index counts it
        rows = set(grid) | set(heights)
        if not rows:
            return
        first, last = min(rows), max(rows)
        if grid:
            cols = {c for row in grid.values() for c in row}
            if self._check_dimensions(first, min(cols)) or self._check_dimensions(last, max(cols)):
                raise ValueError("the cells go beyond the sheet's last row or column")
        for r in (first, last):  # as set_row checks its row
            if r in heights and self._check_dimensions(r, self.dim_colmin or 0):
                raise ValueError("the rows go beyond the sheet's last row")
        heights = dict(heights)
        self._blocks.append(
            _Block(first, None, last - first + 1, lambda: self._rows_xml(first, last, grid, heights))
        )

    def _rows_xml(
        self,
        first: int,
        last: int,
        grid: dict[int, dict[int, tuple[Format | None, str]]],
        heights: Mapping[int, float | None],
    ) -> list[str]:
        """``<row>`` elements as xlsxwriter's ``_write_rows`` writes them ("" for a row not written)."""
        spans: dict[int, str] = {}
        for g in sorted({r // 16 for r in grid}):
            cols = [c for r in range(g * 16, g * 16 + 16) for c in grid.get(r, ())]
            spans[g] = f' spans="{min(cols) + 1}:{max(cols) + 1}"'
        used: set[int] = set()
        for cells in grid.values():
            used.update(cells)
        letters = {c: xl_col_to_name(c) for c in used}
        default, original = self.default_row_height, self.original_row_height
        dy = ' x14ac:dyDescent="0.25"' if self.excel_version == 2010 else ""
        xfs: dict[Format | None, str] = {None: ""}  # numbered as xlsxwriter does: on first writing

        out = []
        for r in range(first, last + 1):
            row = grid.get(r)
            if row is None and r not in heights:
                out.append("")
                continue
            px, hidden = default, ""
            h = heights.get(r)
            if h is not None:
                px = int(h * 4.0 / 3.0 + 0.5)  # set_row's pixels
                if px == 0:
                    px, hidden = default, ' hidden="1"'
            ht = f' ht="{px * 0.75:.16g}"' if px != original or px != default else ""
            custom = ' customHeight="1"' if ht else ""
            head = f'<row r="{r + 1}"{spans.get(r // 16, "")}{ht}{hidden}{custom}{dy}'
            if row is None:
                out.append(head + "/>")
            else:
                n = str(r + 1)
                parts = [head, ">"]
                for c in sorted(row):
                    fmt, tail = row[c]
                    x = xfs.get(fmt)
                    if x is None:
                        x = xfs[fmt] = f' s="{fmt._get_xf_index()}"'
                    parts.append(f'<c r="{letters[c]}{n}"{x}{tail}')
                parts.append("</row>")
                out.append("".join(parts))
        return out

    # ---- at close ---------------------------------------------------------------------------------
    def _write_sheet_data(self) -> None:
        if not self._blocks:
            super()._write_sheet_data()
            return
        blocks = sorted(self._blocks, key=lambda b: b.first_row)
        own = sorted(
            {r for r, cells in self.table.items() if cells} | set(self.row_info) | set(self.comments)
        )
        ends = [b.first_row + b.n for b in blocks]
        for b, end, following in zip(blocks, ends, [*blocks[1:], None], strict=True):
            if following is not None and following.first_row < end:
                raise ValueError(f"two blocks share row {following.first_row + 1}")
            if any(b.first_row <= r < end for r in own):
                raise ValueError(f"rows {b.first_row + 1}–{end} are a block and also written cell by cell")
        self._xml_start_tag("sheetData")
        done = 0
        for b, end in zip(blocks, ends, strict=True):
            self._own_rows([r for r in own if done <= r < b.first_row])
            self.fh.write("".join(b.rows))
            done = end
        self._own_rows([r for r in own if r >= done])
        self._xml_end_tag("sheetData")

    def _own_rows(self, rows: list[int]) -> None:
        """xlsxwriter's own rows ``rows`` (sorted), written as it writes them."""
        if not rows:
            return
        rowmin, rowmax = self.dim_rowmin, self.dim_rowmax
        self.dim_rowmin, self.dim_rowmax = rows[0], rows[-1]
        try:
            self._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = rowmin, rowmax


def _column(letter: str, first_row: int, values: Sequence[Any], fmt: Format | None, table: Any) -> list[str]:
    """One column's cells as xlsxwriter writes them (``t="s"``: a shared string by its index in
    ``table``, xlsxwriter's shared string table, counted as its own writes count them)."""
    s = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
    blank = (lambda r: f'<c r="{letter}{r}"{s}/>') if s else (lambda r: "")
    index: dict[str, int] = {}
    repeats = 0
    out = []
    append = out.append
    r = first_row
    for v in values:
        r += 1
        t = type(v)
        if t is str and v:
            i = index.get(v)
            if i is None:
                i = index[v] = table._get_shared_string_index(v)
            else:
                repeats += 1
            append(f'<c r="{letter}{r}"{s} t="s"><v>{i}</v></c>')
        elif (t is float and math.isfinite(v)) or t is int:
            append(f'<c r="{letter}{r}"{s}><v>{v!r}</v></c>')
        elif v is None or t is str or t is float:  # None, "", NaN: a blank cell, which keeps its format
            append(blank(r))
        elif isinstance(v, str):  # a str subclass (a StrEnum): its own text
            out.extend(_column(letter, r - 1, [str.__str__(v)], fmt, table))
        elif isinstance(v, int | float) and not isinstance(v, bool):  # numpy's numbers
            out.extend(_column(letter, r - 1, [float(v)], fmt, table))
        else:
            raise TypeError(f"cell {letter}{r}: cannot write {v!r} ({t.__name__})")
    table.count += repeats  # each repeat is one more reference, as _get_shared_string_index counts it
    return out


def _height(h: float | None) -> str:
    return "" if h is None else f' ht="{h:g}" customHeight="1"'


def add_block_sheet(wb: xlsxwriter.Workbook, name: str) -> BlockSheet:
    """A :class:`BlockSheet` added to ``wb`` under ``name``."""
    ws = wb.add_worksheet(name, worksheet_class=BlockSheet)
    assert isinstance(ws, BlockSheet)
    return ws
