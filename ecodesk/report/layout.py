"""One printable layout per report sheet, shared by every output: the xlsx writer (and so the
LibreOffice PDF) and the app's print preview / Qt PDF draw the same cells on the same pages.

A :class:`SheetLayout` is a grid of blocks (a cell, or a merged range) with a named style, column
widths, row heights, the rows printed at the top of every page, and the page breaks. The breaks are
chosen here, not by the spreadsheet program: a page ends between groups (a new 领域, 任务, 序号…)
where it can; where a group is taller than what is left of the page, every merged label that the
break would cut is split and repeated on the new page, so no page shows a sliced label and every row
carries its labels. The print scale is fixed (computed from the column widths, one page wide), so
the pages LibreOffice prints are the pages computed here.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..intake.statuses import TaskStatus
from ..verdicts.model import FAIL, MISSING, NA, PASS, PENDING, REVIEW
from ..xlsx import page
from ..xlsx.formats import body, table_styles
from ..xlsx.page import A4_LONG, A4_SHORT
from ..xlsx.text import LINE_HEIGHT as LINE_HEIGHT  # points per line, as the sheets have read it here
from ..xlsx.text import lines_for, row_lines, row_points

# ---- styles: one table, read by the xlsx writer and the Qt painter ------------------------------
BODY = body(10)
STYLES: dict[str, dict[str, Any]] = {
    **table_styles(10),  # title, head, center, left, group
    "subtitle": {"font": "宋体", "size": 10, "align": "right", "valign": "vcenter"},
    "number": {**BODY, "align": "center", "num_format": "General"},
    "bold": {**BODY, "bold": True, "align": "center"},
    "small": {**BODY, "size": 8, "align": "left"},
    "text": {"font": "宋体", "size": 11, "wrap": True, "valign": "top", "align": "left"},
    "section": {"font": "黑体", "size": 12, "wrap": True, "valign": "vcenter", "align": "left"},
    "para": {"font": "宋体", "size": 11, "wrap": True, "valign": "vcenter", "align": "left"},
}

#: a symbol for each verdict and task status, printed before the word, so a black-and-white copy
#: reads the same as the colour one (all in GB2312, so 宋体 has them; full size in the fallback fonts
#: too, unlike △ ○ ◇, which some fonts draw tiny)
VERDICT_MARK = {PASS: "√", FAIL: "×", REVIEW: "？", MISSING: "〇", PENDING: "…", NA: "／"}
TASK_MARK = {
    TaskStatus.DONE: "√", TaskStatus.ONGOING: "→", TaskStatus.NOT_STARTED: "／", TaskStatus.LATE: "×",
    TaskStatus.NOT_REPORTED: "〇",
}  # fmt: skip
UNKNOWN_MARK = "？"
#: fills of different lightness; the marks carry the meaning, colour only helps
VERDICT_FILL = {
    PASS: "#E2F0D9",
    FAIL: "#F4B183",
    REVIEW: "#FFE699",
    MISSING: "#D9D9D9",
    PENDING: "#F2F2F2",
    NA: "#DEEBF7",
}
TASK_FILL = {
    TaskStatus.DONE: "#E2F0D9",
    TaskStatus.ONGOING: "#DEEBF7",
    TaskStatus.NOT_STARTED: "#FFE699",
    TaskStatus.LATE: "#F4B183",
    TaskStatus.NOT_REPORTED: "#D9D9D9",
}
_STRONG = {FAIL, REVIEW, TaskStatus.LATE}
for _word, _fill in VERDICT_FILL.items():
    STYLES[f"verdict:{_word}"] = {**BODY, "align": "center", "fill": _fill, "bold": _word in _STRONG}
for _word, _fill in TASK_FILL.items():
    STYLES[f"task:{_word}"] = {**BODY, "align": "center", "fill": _fill, "bold": _word in _STRONG}
STYLES["task:?"] = {**BODY, "align": "center", "bold": True, "fill": "#FFE699"}


def verdict_label(verdict: str) -> str:
    return f"{VERDICT_MARK.get(verdict, UNKNOWN_MARK)} {verdict}"


def task_label(status: str) -> tuple[str, str]:
    """(printed text, style) of a task status; a status the form did not offer is flagged."""
    if status in TASK_MARK:
        return f"{TASK_MARK[status]} {status}", f"task:{status}"
    return f"{UNKNOWN_MARK} 无法识别：{status}", "task:?"


# ---- page geometry (points) --------------------------------------------------------------------
MARGIN_LR, MARGIN_TOP, MARGIN_BOTTOM = page.MARGIN_LR * 72, page.MARGIN_TOP * 72, page.MARGIN_BOTTOM * 72
SAFETY = 0.94  # fonts differ a little between machines: leave room rather than let a page overflow


def column_points(width: float) -> float:
    """Points of a column ``width`` characters wide, at most: Excel counts 7-pixel Calibri digits plus
    5 pixels padding; where Calibri is missing, LibreOffice counts a wider font's digits (DejaVu
    Sans: 7 points). The wider of the two, so a page is never too narrow for its table."""
    excel = (math.floor(width * 7 + 0.5) + 5) * 0.75
    return max(excel, width * 7.0 + 4)


@dataclass(slots=True)
class Block:
    r1: int
    c1: int
    r2: int
    c2: int
    value: Any
    style: str
    lines: int = 1

    @property
    def merged(self) -> bool:
        return (self.r1, self.c1) != (self.r2, self.c2)


@dataclass
class SheetLayout:
    name: str
    widths: list[float]
    blocks: list[Block] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    repeat: tuple[int, int] | None = None  # rows printed at the top of every page
    breaks: list[int] = field(default_factory=list)  # first row of each page after the first
    header_left: str = ""  # page header, left and right, and the footer's page numbers
    header_right: str = ""
    scale: int = 100
    landscape: bool = True
    freeze: int | None = None  # rows frozen on screen
    levels: dict[int, int] = field(default_factory=dict)  # row → how good a page break before it is

    # ---- building ----
    @classmethod
    def table(
        cls,
        name: str,
        widths: Sequence[float],
        header: Sequence[str],
        title: str,
        subtitle: str,
        page_title: str = "",
        header_row: int = 2,
    ) -> SheetLayout:
        """A printed table: ``title`` and ``subtitle`` across the top rows, ``header`` in
        ``header_row`` (repeated on every page, the rows below it scroll); every page is headed by
        ``page_title`` on the left and the sheet's name on the right."""
        lay = cls(name, list(widths), repeat=(header_row, header_row), freeze=header_row + 1)
        lay.header_left, lay.header_right = page_title, name if page_title else ""
        last = len(widths) - 1
        lay.put(0, 0, 0, last, title, "title")
        lay.put(1, 0, 1, last, subtitle, "subtitle")
        for c, h in enumerate(header):
            lay.cell(header_row, c, h, "head")
        return lay

    def put(self, r1: int, c1: int, r2: int, c2: int, value: Any, style: str) -> None:
        text = "" if value is None else str(value)
        size = STYLES[style].get("size", 10)
        width = self.widths[c1] if c1 == c2 else sum(self.widths[c1 : c2 + 1])
        self.blocks.append(Block(r1, c1, r2, c2, value, style, lines_for(text, width, size)))

    def cell(self, r: int, c: int, value: Any, style: str) -> None:
        self.put(r, c, r, c, value, style)

    def level(self, row: int, level: int) -> None:
        """A page break before ``row`` is this good: 0 best (a new 领域), larger is worse."""
        self.levels[row] = min(level, self.levels.get(row, level))

    @property
    def last_row(self) -> int:
        return max((b.r2 for b in self.blocks), default=-1)

    def height(self, r: int) -> float:
        return self.heights.get(r, row_points(1))

    def fit_rows(self, fixed: dict[int, float] | None = None) -> None:
        """Row heights from the lines each block needs; a merged block taller than its rows grows its
        last row. ``fixed`` rows keep the given height."""
        lines = row_lines((b.r1, b.r2, b.lines) for b in self.blocks)
        for r in range(self.last_row + 1):
            self.heights[r] = row_points(lines.get(r, 1))
        for r, h in (fixed or {}).items():
            self.heights[r] = max(h, self.heights.get(r, 0))

    # ---- pages ----
    def content_points(self) -> float:
        return sum(column_points(w) for w in self.widths)

    def page_size(self) -> tuple[float, float]:
        return (A4_LONG, A4_SHORT) if self.landscape else (A4_SHORT, A4_LONG)

    def paginate(
        self, body_first: int, fixed: dict[int, float] | None = None, one_page: bool = False
    ) -> None:
        """Fix the print scale (one page wide; ``one_page``: also one page tall) and choose the page
        breaks; split and repeat every merged label a break would cut. ``body_first`` is the first
        row that may start a page."""
        pw, ph = self.page_size()
        usable_w, usable_h = pw - 2 * MARGIN_LR, ph - MARGIN_TOP - MARGIN_BOTTOM
        self.scale = max(10, min(100, math.floor(usable_w / self.content_points() * 100 * 0.99)))
        self.fit_rows(fixed)
        if one_page:
            total = sum(self.height(r) for r in range(self.last_row + 1))
            self.scale = max(10, min(self.scale, math.floor(usable_h * SAFETY / total * 100)))
        cap = usable_h * 100 / self.scale * SAFETY
        for _ in range(3):  # splitting labels can make a row taller: choose again until it holds
            self.breaks = self._choose_breaks(body_first, cap)
            self._split_at_breaks()
            self.fit_rows(fixed)
            if all(h <= cap for h in self.page_heights()):
                break

    def _repeat_height(self) -> float:
        if self.repeat is None:
            return 0.0
        return sum(self.height(r) for r in range(self.repeat[0], self.repeat[1] + 1))

    def _choose_breaks(self, body_first: int, cap: float) -> list[int]:
        breaks: list[int] = []
        rep = self._repeat_height()
        start, used = body_first, sum(self.height(r) for r in range(body_first))
        r, last = body_first, self.last_row
        while r <= last:
            h = self.height(r)
            if used + h > cap and r > start:
                room = cap - rep
                best, best_level = r, self.levels.get(r, 9)
                filled = 0.0
                for b in range(start + 1, r + 1):
                    filled += self.height(b - 1)
                    lv = self.levels.get(b, 9)
                    if filled >= 0.55 * room and lv <= best_level:
                        best, best_level = b, lv
                breaks.append(best)
                start = best
                used = rep + sum(self.height(x) for x in range(best, r))
                continue
            used += h
            r += 1
        return breaks

    def _split_at_breaks(self) -> None:
        """Cut every block that spans a break into one piece a page (one pass over the blocks: a
        province's 数据来源 has hundreds of pages and hundreds of thousands of cells)."""
        breaks = sorted(set(self.breaks))
        if not breaks:
            return
        out: list[Block] = []
        for blk in self.blocks:
            i = bisect.bisect_right(breaks, blk.r1)  # the first break after the block's first row
            if blk.r1 == blk.r2 or i == len(breaks) or breaks[i] > blk.r2:
                out.append(blk)
                continue
            start = blk.r1
            while i < len(breaks) and breaks[i] <= blk.r2:
                out.append(Block(start, blk.c1, breaks[i] - 1, blk.c2, blk.value, blk.style, blk.lines))
                start = breaks[i]
                i += 1
            out.append(Block(start, blk.c1, blk.r2, blk.c2, blk.value, blk.style, blk.lines))
        self.blocks = out

    def pages(self) -> list[tuple[int, int]]:
        """(first row, last row) of each printed page, not counting the repeated rows."""
        starts = [0, *self.breaks]
        ends = [b - 1 for b in self.breaks] + [self.last_row]
        return list(zip(starts, ends, strict=True))

    def page_heights(self) -> list[float]:
        rep = self._repeat_height()
        out = []
        for i, (a, b) in enumerate(self.pages()):
            h = sum(self.height(r) for r in range(a, b + 1))
            out.append(h + (rep if i and self.repeat else 0))
        return out

    def page_rows(self, page: int) -> list[int]:
        """The rows drawn on ``page`` (0-based): the repeated rows first, then the page's own."""
        a, b = self.pages()[page]
        rows = list(range(a, b + 1))
        if page and self.repeat:
            rows = list(range(self.repeat[0], self.repeat[1] + 1)) + rows
        return rows

    def text_of(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            from ..numbers import display_number

            return display_number(value)
        return str(value)
