"""Cell formats from named styles — one vocabulary for every writer.

A style is a small dict (``font``, ``size``, ``bold``, ``color``, ``fill``, ``border``, ``wrap``,
``align``, ``valign``, ``num_format``, ``locked``) that both xlsxwriter (here) and the app's Qt
print preview (:mod:`ecodesk.report.layout`) read; :class:`Formats` turns each style into one
xlsxwriter format on first use. :func:`table_styles` is the printed-table look the report, the
annex export and the history workbook share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

FONT = "宋体"
HEADING_FONT = "黑体"
HEAD_FILL = "#D9D9D9"  # grey header row
GROUP_FILL = "#F2F2F2"  # pale grey group row

Style = dict[str, Any]


def body(size: float = 10, **extra: Any) -> Style:
    """A bordered, wrapped table cell, vertically centred."""
    return {"font": FONT, "size": size, "border": True, "wrap": True, "valign": "vcenter", **extra}


def table_styles(size: float = 10) -> dict[str, Style]:
    """The printed-table styles: title, head, center, left, group."""
    return {
        "title": {"font": HEADING_FONT, "size": 16, "align": "center", "valign": "vcenter"},
        "head": body(size, bold=True, align="center", fill=HEAD_FILL),
        "center": body(size, align="center"),
        "left": body(size, align="left"),
        "group": body(size, bold=True, align="left", fill=GROUP_FILL),
    }


_KEYS = {
    "font": "font_name",
    "size": "font_size",
    "bold": "bold",
    "color": "font_color",
    "fill": "bg_color",
    "wrap": "text_wrap",
    "align": "align",
    "valign": "valign",
    "num_format": "num_format",
    "locked": "locked",
}


def xlsxwriter_spec(style: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The xlsxwriter format properties of a style (``defaults`` fill in what the style leaves out)."""
    s = {**(defaults or {}), **style}
    spec: dict[str, Any] = {}
    for key, prop in _KEYS.items():
        value = s.get(key)
        if key == "locked":
            if value is False:
                spec[prop] = False
        elif value:
            spec[prop] = value
    if s.get("border"):
        spec["border"] = 1
    return spec


class Formats:
    """The workbook's format of each named style, made once, on first use (``f["head"]`` or
    ``f.head``)."""

    def __init__(
        self,
        wb: xlsxwriter.Workbook,
        styles: Mapping[str, Style],
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        self.wb = wb
        self.styles = styles
        self.defaults = dict(defaults or {})
        self._cache: dict[str, Format] = {}

    def __getitem__(self, style: str) -> Format:
        if style not in self._cache:
            self._cache[style] = self.wb.add_format(xlsxwriter_spec(self.styles[style], self.defaults))
        return self._cache[style]

    def __getattr__(self, style: str) -> Format:
        if style.startswith("_") or style not in self.styles:
            raise AttributeError(style)
        return self[style]
