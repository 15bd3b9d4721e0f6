"""The xlsx side of :mod:`ecodesk.report.layout`: a format per named style, and one function that
writes a :class:`~ecodesk.report.layout.SheetLayout` with its page set-up (A4, fixed scale one page
wide, repeated header rows, the layout's own page breaks, page numbers) — both from the shared
toolkit :mod:`ecodesk.xlsx`. ``write_value`` is re-exported here for the sheet writers."""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["Formats", "as_of_text", "write_layout", "write_value"]

import xlsxwriter

from ..xlsx.cells import write_value
from ..xlsx.formats import Formats as _Formats
from ..xlsx.page import Page, print_a4
from .layout import STYLES, SheetLayout


class Formats(_Formats):
    """A format per report style (:data:`~ecodesk.report.layout.STYLES`), left-aligned and
    vertically centred unless the style says otherwise."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        super().__init__(wb, STYLES, {"align": "left", "valign": "vcenter"})


def write_layout(wb: xlsxwriter.Workbook, f: Formats, lay: SheetLayout) -> Any:
    ws = wb.add_worksheet(lay.name)
    for c, w in enumerate(lay.widths):
        ws.set_column(c, c, w)
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


def as_of_text(d: date) -> str:
    return f"截至 {d.year}年{d.month}月{d.day}日"
