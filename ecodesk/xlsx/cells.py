"""Cell addresses and values, the same way in every writer."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_col_to_name


def col_letter(index: int) -> str:
    """The column letters of a 0-based column index (0 → A, 26 → AA)."""
    return xl_col_to_name(index)


def write_value(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Numbers as numbers; every string as a string (a department's "=…" never becomes a formula)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
