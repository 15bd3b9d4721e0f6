"""Formats and page set-up shared by the report sheets: 宋体 body, 黑体 titles, thin borders,
A4 landscape fitted to one page wide, header rows repeated, page numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

VERDICT_FILL = {
    "达标": "#C6EFCE",
    "未达标": "#F8CBAD",
    "待核实": "#FFEB9C",
    "缺报": "#D9D9D9",
    "不适用": "#DDEBF7",
}
TASK_FILL = {
    "已完成": "#C6EFCE",
    "推进中": "#DDEBF7",
    "未启动": "#FFEB9C",
    "滞后": "#F8CBAD",
    "未报": "#D9D9D9",
}


class Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base: dict[str, Any] = {
            "font_name": "宋体",
            "font_size": 10,
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
        }
        self.base = base
        self.title = wb.add_format(
            {"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.subtitle = wb.add_format(
            {"font_name": "宋体", "font_size": 10, "align": "right", "valign": "vcenter"}
        )
        self.head = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9D9D9"})
        self.center = wb.add_format({**base, "align": "center"})
        self.left = wb.add_format({**base, "align": "left"})
        self.number = wb.add_format({**base, "align": "center", "num_format": "General"})
        self.group = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.bold = wb.add_format({**base, "bold": True, "align": "center"})
        self.text = wb.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"})
        self.fills = {k: wb.add_format({"bg_color": v}) for k, v in {**VERDICT_FILL, **TASK_FILL}.items()}
        # Annex 1 keys used by ecodesk.annex_export.write_annex1_rows
        self.annex = {
            "center": self.center,
            "left": self.left,
            "head": self.head,
            "title": self.title,
            "group": self.group,
        }


def page_setup(
    ws: Any, header_row: int, county: str, round_name: str, title: str, landscape: bool = True
) -> None:
    from ..annex_export import print_a4_landscape

    print_a4_landscape(ws, header_row, header=f"&L{_hf(county)}　{_hf(round_name)}&R{_hf(title)}")
    if not landscape:
        ws.set_portrait()


def _hf(text: str) -> str:
    return text.replace("&", "&&")


def colour_by_text(ws: Any, rng: str, f: Formats, words: dict[str, str]) -> None:
    """Colour as an aid only: the word itself is printed, so black-and-white copies read the same."""
    for word in words:
        ws.conditional_format(
            rng, {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": f.fills[word]}
        )


def write_text(ws: Any, row: int, col: int, value: Any, fmt: Format) -> None:
    """Numbers as numbers; every string as a string (a department's "=…" never becomes a formula)."""
    if isinstance(value, bool) or value is None:
        ws.write_blank(row, col, None, fmt) if value is None else ws.write_string(row, col, str(value), fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def as_of_text(d: date) -> str:
    return f"截至 {d.year}年{d.month}月{d.day}日"


def heading(
    ws: Any, f: Formats, last: int, title: str, subtitle: str, header: Sequence[str] = (), header_row: int = 2
) -> None:
    """Title (row 1), a right-aligned subtitle (row 2) and the header row, across columns 0..last."""
    ws.merge_range(0, 0, 0, last, title, f.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, subtitle, f.subtitle)
    for c, h in enumerate(header):
        ws.write_string(header_row, c, h, f.head)
