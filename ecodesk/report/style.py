"""The xlsx side of :mod:`ecodesk.report.layout`: a format per named style, and one function that
writes a :class:`~ecodesk.report.layout.SheetLayout` with its page set-up (A4, fixed scale one page
wide, repeated header rows, the layout's own page breaks, page numbers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from .layout import MARGIN_BOTTOM, MARGIN_LR, MARGIN_TOP, STYLES, SheetLayout


class Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._cache: dict[str, Format] = {}

    def __getitem__(self, style: str) -> Format:
        if style not in self._cache:
            s = STYLES[style]
            spec: dict[str, Any] = {"font_name": s["font"], "font_size": s["size"]}
            if s.get("border"):
                spec["border"] = 1
            if s.get("wrap"):
                spec["text_wrap"] = True
            if s.get("bold"):
                spec["bold"] = True
            if s.get("fill"):
                spec["bg_color"] = s["fill"]
            if s.get("num_format"):
                spec["num_format"] = s["num_format"]
            spec["align"] = s.get("align", "left")
            spec["valign"] = s.get("valign", "vcenter")
            self._cache[style] = self.wb.add_format(spec)
        return self._cache[style]


def _hf(text: str) -> str:
    return text.replace("&", "&&")


def write_value(ws: Any, row: int, col: int, value: Any, fmt: Format) -> None:
    """Numbers as numbers; every string as a string (a department's "=…" never becomes a formula)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


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
    if lay.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)  # A4
    # a fixed scale, so every program prints the layout's pages (row heights are in points; the
    # scale leaves room for column widths measured in a wider font than Calibri)
    ws.set_print_scale(lay.scale)
    if lay.repeat is not None:
        ws.repeat_rows(*lay.repeat)
    ws.set_margins(left=MARGIN_LR / 72, right=MARGIN_LR / 72, top=MARGIN_TOP / 72, bottom=MARGIN_BOTTOM / 72)
    ws.center_horizontally()
    ws.set_header(f"&L{_hf(lay.header_left)}&R{_hf(lay.header_right)}")
    ws.set_footer("&C第 &P 页，共 &N 页")
    if lay.breaks:
        ws.set_h_pagebreaks(lay.breaks)
    if lay.freeze is not None:
        ws.freeze_panes(lay.freeze, 0)
    return ws


def as_of_text(d: date) -> str:
    return f"截至 {d.year}年{d.month}月{d.day}日"
