"""The xlsx side of :mod:`ecodesk.report.layout`: a format per named style, and one function that
writes a :class:`~ecodesk.report.layout.SheetLayout` with its page set-up (A4, fixed scale one page
wide, repeated header rows, the layout's own page breaks, page numbers) — both from the shared
toolkit :mod:`ecodesk.xlsx`. A sheet that nothing else writes to is written as one block of cells
(:class:`~ecodesk.xlsx.bulk.BlockSheet`: the same XML, a fraction of xlsxwriter's cost per cell;
a province's pack is 266,000 cells). ``write_value`` is re-exported here for the sheet writers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

__all__ = ["Formats", "as_of_text", "write_layout", "write_value"]

import xlsxwriter

from ..xlsx.bulk import add_block_sheet
from ..xlsx.cells import write_value
from ..xlsx.formats import Formats as _Formats
from ..xlsx.page import Page, print_a4
from .layout import STYLES, SheetLayout


class Formats(_Formats):
    """A format per report style (:data:`~ecodesk.report.layout.STYLES`), left-aligned and
    vertically centred unless the style says otherwise."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        super().__init__(wb, STYLES, {"align": "left", "valign": "vcenter"})


def write_layout(wb: xlsxwriter.Workbook, f: Formats, lay: SheetLayout, block: bool = True) -> Any:
    """The sheet ``lay`` in ``wb``; ``block``: its cells as one block (then nothing else may write
    to its rows), else cell by cell, as xlsxwriter writes them — the same file either way."""
    ws = add_block_sheet(wb, lay.name) if block else wb.add_worksheet(lay.name)
    for c, w in enumerate(lay.widths):
        ws.set_column(c, c, w)
    if block:
        ws.write_cells(_cells(ws, f, lay), {r: lay.height(r) for r in range(lay.last_row + 1)})
    else:
        for b in lay.blocks:
            fmt = f[b.style]
            if b.merged:
                ws.merge_range(b.r1, b.c1, b.r2, b.c2, "", fmt)
            write_value(ws, b.r1, b.c1, b.value, fmt)
        for r in range(lay.last_row + 1):
            ws.set_row(r, lay.height(r))
    # a fixed scale, so every program prints the layout's pages (row heights are in points; the
    # scale leaves room for column widths measured in a wider font than Calibri)
    page = Page(
        landscape=lay.landscape,
        repeat=lay.repeat,
        scale=lay.scale,
        header=(lay.header_left, "", lay.header_right),
        breaks=lay.breaks,
        freeze=None if lay.freeze is None else (lay.freeze, 0),
    )
    print_a4(ws, page)
    return ws


def _cells(ws: Any, f: Formats, lay: SheetLayout) -> Iterator[tuple[int, int, Any, Any]]:
    """The layout's cells in the order ``merge_range`` and ``write_value`` would write them."""
    fmts = {name: f[name] for name in dict.fromkeys(b.style for b in lay.blocks)}  # in first use, as before
    for b in lay.blocks:
        fmt = fmts[b.style]
        if b.r1 != b.r2 or b.c1 != b.c2:
            ws.merge_cells(b.r1, b.c1, b.r2, b.c2)
            for r in range(b.r1, b.r2 + 1):
                for c in range(b.c1, b.c2 + 1):
                    yield r, c, None, fmt
        yield b.r1, b.c1, b.value, fmt


def as_of_text(d: date) -> str:
    return f"截至 {d.year}年{d.month}月{d.day}日"
