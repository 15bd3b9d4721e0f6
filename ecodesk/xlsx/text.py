"""Measuring text the way a spreadsheet will wrap it (xlsxwriter cannot autofit a row), and the
row heights that follow: one heuristic for every writer, so the forms, the report, the annex
export, the revision copy and the history workbook all print their wrapped text whole."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

LINE_HEIGHT = 14.5  # points per line of 10–11 point 宋体
ROW_PADDING = 6  # points above and below the lines
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def lines_for(text: str, width: float, size: float = 10) -> int:
    """Lines a wrapped cell ``width`` characters wide needs for ``text`` in 宋体 of ``size`` points
    (widths are counted at 10 points): CJK characters are about two width units."""
    width = width * 10 / size
    if 2 * len(text) <= width - 1.5 and "\n" not in text:
        return 1  # fits even if every character is a wide one: most cells of a big report
    total = 0
    for part in text.split("\n"):
        total += max(1, math.ceil(_units(part) / max(width - 1.5, 1)))
    return total


@functools.lru_cache(maxsize=1 << 16)
def _units(part: str) -> float:
    """Width units of one line: a report repeats the same names, words and files thousands of times."""
    return sum(2 if ord(ch) > 0x2E80 else 1.1 for ch in part)


def row_points(lines: int, line: float = LINE_HEIGHT, padding: float = ROW_PADDING) -> float:
    """The height of a row showing ``lines`` lines of text. Not capped: a report layout paginates
    with the true height (Excel shows at most :data:`MAX_ROW_HEIGHT`)."""
    return max(lines, 1) * line + padding


def row_lines(blocks: Iterable[tuple[int, int, int]]) -> dict[int, int]:
    """Lines each row needs, from blocks (first row, last row, lines): a one-row block sets its
    row; a merged block taller than its rows grows its last row."""
    blocks = list(blocks)
    lines: dict[int, int] = {}
    merged = []
    for r1, r2, need in blocks:
        if r1 != r2:
            merged.append((r1, r2, need))
        elif need > 1 and need > lines.get(r1, 1):  # rows of one line need no entry
            lines[r1] = need
    for r1, r2, need in merged:
        if need > r2 - r1 + 1:  # taller than its rows at one line each: compare with their lines
            have = sum(lines.get(r, 1) for r in range(r1, r2 + 1))
            if need > have:
                lines[r2] = lines.get(r2, 1) + need - have
    return lines


def cells_height(cells: Iterable[tuple[str, float]], minimum: int = 1, size: float = 10) -> float:
    """The height of a row of cells (text, column width): tall enough for the longest, and for
    ``minimum`` lines."""
    return min(MAX_ROW_HEIGHT, row_points(max([minimum] + [lines_for(t, w, size) for t, w in cells if t])))
