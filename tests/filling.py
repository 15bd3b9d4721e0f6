"""Fill generated forms the way a department would (openpyxl), for intake tests."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from ecodesk.forms import layout as L

COL = {c.id: i + 1 for i, c in enumerate(L.INDICATOR_COLUMNS)}
TCOL = {c.id: i + 1 for i, c in enumerate(L.TASK_COLUMNS)}
FIRST = L.FIRST_DATA_ROW + 1


def rows_by_name(ws) -> dict[str, int]:
    out = {}
    for r in range(FIRST, ws.max_row + 1):
        name = ws.cell(r, COL["name"]).value
        if name:
            out[str(name).split("：")[-1].rstrip("*")] = r
    return out


def fill(
    src: Path | str,
    dst: Path | str,
    values: dict[str, dict[str, Any]] | None = None,
    tasks: dict[str, dict[str, Any]] | None = None,
    saved_at: dt.datetime | None = None,
    default: Any = None,
) -> Path:
    """Copy ``src`` to ``dst`` with ``values`` ({indicator name: {"current": .., "previous": ..,
    "assigned": .., "note": ..}}) and ``tasks`` ({task title: {"status": .., "progress": ..}}).
    ``default`` fills 本期值 of every indicator not named. ``saved_at`` sets the saved time."""
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET_INDICATORS]
    rows = rows_by_name(ws)
    for name, row in rows.items():
        for cid, v in (values or {}).get(name, {"current": default} if default is not None else {}).items():
            ws.cell(row, COL[cid]).value = v
    unknown = set(values or {}) - set(rows)
    assert not unknown, f"not in this form: {unknown}"
    ts = wb[L.SHEET_TASKS]
    titles = {ts.cell(r, TCOL["title"]).value: r for r in range(FIRST, ts.max_row + 1)}
    for title, cells in (tasks or {}).items():
        for cid, v in cells.items():
            ts.cell(titles[title], TCOL[cid]).value = v
    wb.save(dst)
    if saved_at is not None:
        set_saved_time(Path(dst), saved_at)
    return Path(dst)


def set_saved_time(path: Path, saved_at: dt.datetime) -> None:
    """Rewrite docProps/core.xml's modified time (openpyxl always writes 'now' on save)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    stamp = saved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            z.writestr(info, data)
