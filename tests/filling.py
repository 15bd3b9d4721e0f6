"""Fill generated forms the way a department would (openpyxl), for intake tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ecodesk.demo import fill_form
from ecodesk.forms import layout as L

COL = {c.id: i + 1 for i, c in enumerate(L.INDICATOR_COLUMNS)}
TCOL = {c.id: i + 1 for i, c in enumerate(L.TASK_COLUMNS)}
FIRST = L.FIRST_DATA_ROW + 1


def _keys(src: Path | str, sheet: str, col: str, columns: dict[str, int]) -> dict[str, str]:
    """Row label (indicator name without group or mark, or task title) → the row's hidden key."""
    rows = CalamineWorkbook.from_path(str(src)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return {
        str(r[columns[col] - 1]).split("：")[-1].rstrip("*"): r[0]
        for r in rows[FIRST - 1 :]
        if r and r[0] and r[columns[col] - 1]
    }


def fill(
    src: Path | str,
    dst: Path | str,
    values: dict[str, dict[str, Any]] | None = None,
    tasks: dict[str, dict[str, Any]] | None = None,
    saved_at: dt.datetime | None = None,
    default: Any = None,
) -> Path:
    """Copy ``src`` to ``dst`` with ``values`` ({indicator name: {"current": .., "previous": ..,
    "assigned": .., "note": ..}}) and ``tasks`` ({task title: {"status": .., "progress": ..}}),
    through :func:`ecodesk.demo.fill_form`. ``default`` fills 本期值 of every indicator not named."""
    names = _keys(src, L.SHEET_INDICATORS, "name", COL)
    unknown = set(values or {}) - set(names)
    assert not unknown, f"not in this form: {unknown}"
    by_key = {
        key: (values or {}).get(name, {"current": default} if default is not None else {})
        for name, key in names.items()
    }
    titles = _keys(src, L.SHEET_TASKS, "title", TCOL)
    task_cells = {titles[title]: cells for title, cells in (tasks or {}).items()}
    return fill_form(Path(src), Path(dst), by_key, task_cells, saved_at)
