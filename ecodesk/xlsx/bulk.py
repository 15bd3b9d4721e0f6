"""Big blocks of cells for an xlsxwriter workbook at a fraction of xlsxwriter's cost per cell.

xlsxwriter spends about 11 µs of Python on every cell (the write call, then the XML at close); a
province's history is hundreds of thousands of cells, which is seconds. A :class:`BlockSheet` is
an xlsxwriter worksheet that also takes whole columns of values at once (:meth:`~BlockSheet.write_columns`)
and writes their ``<row>`` XML in one go when the workbook closes — the same XML xlsxwriter writes
(shared strings, the cell's format by its index), about a tenth of the time. Everything else of
the sheet (headers, merged cells, conditional formats, print set-up) is xlsxwriter's as usual.

The one rule: no cell of a block's rows is written, and none of its rows set, the usual way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["BlockSheet", "add_block_sheet"]


class _Block:
    __slots__ = ("first_row", "rows")

    def __init__(self, first_row: int, rows: list[str]) -> None:
        self.first_row, self.rows = first_row, rows  # each row's XML


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

    # ---- at close ---------------------------------------------------------------------------------
    def _write_sheet_data(self) -> None:
        if not self._blocks:
            super()._write_sheet_data()
            return
        blocks = sorted(self._blocks, key=lambda b: b.first_row)
        own = sorted(
            {r for r, cells in self.table.items() if cells} | set(self.row_info) | set(self.comments)
        )
        ends = [b.first_row + len(b.rows) for b in blocks]
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
