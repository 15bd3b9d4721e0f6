"""The look and the print set-up of the fill-in workbook and the 发放清单, in the vocabulary of
:mod:`ecodesk.xlsx.formats` (yellow input cells, grey disabled ones, blue header rows)."""

from __future__ import annotations

from typing import Any

from ..xlsx.formats import FONT, HEADING_FONT, Style, body
from ..xlsx.page import Page, print_a4
from .spec import FormSpec

INPUT_FILL = "#FFF2CC"
HEADER_FILL = "#D9E1F2"

STYLES: dict[str, Style] = {
    "title": {"font": HEADING_FONT, "size": 14, "bold": True, "align": "center", "valign": "vcenter"},
    "notice": body(10, border=False, color="#833C0B"),
    "header": body(10, bold=True, align="center", fill=HEADER_FILL),
    "cell": body(10),
    "center": body(10, align="center"),
    "input": body(10, locked=False, fill=INPUT_FILL),
    "input_number": body(10, locked=False, fill=INPUT_FILL, align="right"),
    "disabled": body(10, fill="#D9D9D9", color="#808080"),
    "check": body(10, bold=True, align="center"),
    # conditional formats of the 自查 column
    "fail": {"fill": "#F8CBAD", "color": "#9C0006"},
    "ok": {"fill": "#C6EFCE", "color": "#006100"},
    "review": {"fill": "#FFEB9C", "color": "#9C5700"},
    # 填报说明
    "guide": {"font": FONT, "size": 11, "wrap": True, "valign": "top"},
    "guide_head": {"font": HEADING_FONT, "size": 11, "bold": True, "valign": "top"},
}


def print_setup(ws: Any, spec: FormSpec, title: str, header_row: int | None, landscape: bool = True) -> None:
    """A4, one page wide, the header rows repeated, county · round | sheet | department on top."""
    print_a4(
        ws,
        Page(
            landscape=landscape,
            repeat=None if header_row is None else (0, header_row),
            header=(f"{spec.county} {spec.round}", title, spec.department),
        ),
    )


def protect(ws: Any, password: str) -> None:
    """Lock the sheet; rows and columns may still be resized, every cell selected."""
    ws.protect(
        password,
        {
            "format_rows": True,
            "format_columns": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )
