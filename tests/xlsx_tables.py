"""Build small workbooks from a picture of the table, so import tests stay short.

    | 序号 | 指标名称  | 单位 |
    | 5    | 水环境质量 | %    |
    | ^    | 县城污水处理率 | ^ |

Each line starting with "|" is a row; cells are split on "|" and stripped. An empty cell is
blank, "^" joins the cell above and "<" the cell to the left — merged ranges follow from the
picture (each must come out a rectangle). "\\n" (backslash, n) is a line break in a cell.
With ``typed=True`` cells that look like numbers ("1", "95", "0.6") are written as numbers, as
Excel does when a clerk types them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

UP, LEFT = "^", "<"
Rows = Sequence[Sequence[Any]]


def parse_table(text: str) -> list[list[Any]]:
    """The rows of a pipe-drawn table; blank cells are None."""
    rows: list[list[Any]] = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = line.strip("|").split("|")
        rows.append([c.strip().replace("\\n", "\n") or None for c in cells])
    return rows


def _typed(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d+", value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\d+\.\d+", value):
        return float(value)
    return value


def fill_sheet(ws: Any, table: str | Rows, typed: bool = False) -> None:
    """Write the table into an openpyxl worksheet and merge the ranges the markers draw."""
    rows = parse_table(table) if isinstance(table, str) else [list(r) for r in table]
    anchor: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == UP:
                anchor[(r, c)] = anchor[(r - 1, c)]
            elif value == LEFT:
                anchor[(r, c)] = anchor[(r, c - 1)]
            else:
                anchor[(r, c)] = (r, c)
                if value is not None:
                    ws.cell(r + 1, c + 1, _typed(value) if typed else value)
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell, top in anchor.items():
        spans.setdefault(top, []).append(cell)
    for (r0, c0), cells in spans.items():
        if len(cells) == 1:
            continue
        r1, c1 = max(r for r, _ in cells), max(c for _, c in cells)
        if len(cells) != (r1 - r0 + 1) * (c1 - c0 + 1):
            raise ValueError(f"merge at row {r0 + 1}, column {c0 + 1} is not a rectangle")
        ws.merge_cells(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}")


def build_workbook(sheets: Mapping[str, str | Rows], typed: bool = False) -> Workbook:
    """A workbook with one sheet per entry, in order."""
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, table in sheets.items():
        fill_sheet(wb.create_sheet(name), table, typed)
    return wb


def save_table(
    path: Path, table: str | Rows, sheet: str = "附件1", typed: bool = False, **more: str | Rows
) -> Path:
    """Write one table (plus any further sheets given by name) to ``path``; returns the path."""
    build_workbook({sheet: table, **more}, typed).save(path)
    return path
