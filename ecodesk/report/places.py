"""Where a cell is, said as people read a printed form (for the 退回修改 cover sheet): not
``指标填报!G4`` but 『指标填报』表第 4 行（序号 4 PM2.5浓度）“本期值”栏."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .data import Problem


def place_reader(wb: Any) -> Callable[[Problem], str]:
    """Where a problem's cells are, as people read a printed form: sheet, row, 序号 and name of the
    row, and the column's heading (『指标填报』表第 4 行（序号 4 PM2.5浓度）“本期值”栏) — read from the
    department's own returned workbook, so sorted or moved rows are named as they are."""
    heads: dict[str, tuple[int, dict[int, str]]] = {}

    def header(ws: Worksheet) -> tuple[int, dict[int, str]]:
        if ws.title not in heads:
            row = next(
                (r for r in range(1, 11) if any(ws.cell(r, c).value == "序号" for c in range(1, 8))), 0
            )
            names = (
                {c: str(ws.cell(row, c).value or "").strip() for c in range(1, ws.max_column + 1)}
                if row
                else {}
            )
            heads[ws.title] = (row, names)
        return heads[ws.title]

    def place(sheet: str, rows: dict[int, list[int]]) -> list[str]:
        if sheet not in wb.sheetnames:
            return []
        ws = wb[sheet]
        head_row, names = header(ws)
        by_name = {v: c for c, v in names.items() if v}
        out = []
        for row, cols in rows.items():
            said = [f"“{names.get(c) or get_column_letter(c)}”" for c in cols]
            label = ""
            if head_row:
                number = ws.cell(row, by_name["序号"]).value if "序号" in by_name else None
                name_col = by_name.get("指标名称") or by_name.get("主要任务")
                name = ws.cell(row, name_col).value if name_col else None
                label = (
                    "（"
                    + " ".join(str(x).strip() for x in (f"序号 {number}" if number else "", name) if x)
                    + "）"
                )
            out.append(f"『{sheet}』表第 {row} 行{'' if label == '（）' else label}{'、'.join(said)}栏")
        return out

    def read(p: Problem) -> str:
        grouped: dict[str, dict[int, list[int]]] = {}
        for sheet, ref in p.cells:
            try:
                letters, row = coordinate_from_string(ref)
            except ValueError:
                continue
            cols = grouped.setdefault(sheet, {}).setdefault(row, [])
            if column_index_from_string(letters) not in cols:
                cols.append(column_index_from_string(letters))
        said = [x for sheet, rows in grouped.items() for x in place(sheet, rows)]
        return "；".join(said) or "、".join(f"{s}!{c}" for s, c in p.cells) or "—"

    return read
