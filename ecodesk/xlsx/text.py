"""Measuring text the way a spreadsheet will wrap it (xlsxwriter cannot autofit a row)."""

from __future__ import annotations

import math


def lines_for(text: str, width: float) -> int:
    """Lines a wrapped cell needs: CJK characters are about two width units in 宋体."""
    total = 0
    for part in text.split("\n"):
        w = sum(2 if ord(ch) > 0x2E80 else 1.1 for ch in part)
        total += max(1, math.ceil(w / max(width - 1.5, 1)))
    return total
