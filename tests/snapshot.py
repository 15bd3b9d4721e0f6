"""Structure of a workbook as plain data, for golden-file comparisons (values, merges,
validations, protection, print set-up), read with openpyxl. Volatile parts (creation time,
signatures, generated-at) are left out or masked by the caller."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import openpyxl


def _style(c: Any) -> str:
    """A cell's look in one string: font, size, bold, fill, alignment, wrap, border."""
    f, a, b = c.font, c.alignment, c.border
    fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else ""
    edges = "".join("1" if getattr(b, e).style else "0" for e in ("left", "right", "top", "bottom"))
    align = f"{a.horizontal or ''}|{a.vertical or ''}|{'w' if a.wrap_text else ''}"
    return f"{f.name}|{f.sz}|{'b' if f.b else ''}|{fill}|{align}|{edges}"


def snapshot(path: Path, mask: dict[str, str] | None = None, styles: bool = False) -> dict[str, Any]:
    """``styles``: also each cell's look, row heights, print scale and manual page breaks."""
    mask = mask or {}
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": [], "lock_structure": bool(wb.security and wb.security.lockStructure)}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not (c.protection and c.protection.locked is False):
                    continue
                v = c.value
                if isinstance(v, str):
                    for old, new in mask.items():
                        v = v.replace(old, new)
                cells[c.coordinate] = {"v": v, **({"unlocked": True} if c.protection.locked is False else {})}
                if styles:
                    cells[c.coordinate]["s"] = _style(c)
        dvs = sorted(
            [
                {
                    "sqref": str(dv.sqref),
                    "type": dv.type,
                    "f1": dv.formula1,
                    "f2": dv.formula2,
                    "prompt": dv.prompt,
                    "error": dv.error,
                    "stop": dv.errorStyle,
                }
                for dv in ws.data_validations.dataValidation
            ],
            key=lambda d: d["sqref"],
        )
        ps = ws.page_setup
        out["sheets"].append(
            {
                "title": ws.title,
                "state": ws.sheet_state,
                "cells": cells,
                "merged": sorted(str(m) for m in ws.merged_cells.ranges),
                "validations": dvs,
                "protected": bool(ws.protection.sheet),
                "freeze": ws.freeze_panes,
                "print": {
                    "orientation": ps.orientation,
                    "paper": ps.paperSize,
                    "fit_width": ps.fitToWidth,
                    "fit_height": ps.fitToHeight,
                    "fit": ws.sheet_properties.pageSetUpPr.fitToPage
                    if ws.sheet_properties.pageSetUpPr
                    else None,
                    "title_rows": ws.print_title_rows,
                    "header": str(ws.oddHeader.left.text or "")
                    + "|"
                    + str(ws.oddHeader.center.text or "")
                    + "|"
                    + str(ws.oddHeader.right.text or ""),
                    "footer": str(ws.oddFooter.center.text or ""),
                },
                "columns": {
                    k: {"width": round(d.width or 0, 1), "hidden": bool(d.hidden)}
                    for k, d in sorted(ws.column_dimensions.items())
                    if d.width or d.hidden
                },
                "conditional": sorted(str(r.sqref) for r in ws.conditional_formatting),
            }
        )
        if styles:
            out["sheets"][-1]["look"] = {
                "scale": ps.scale,
                "breaks": [b.id for b in ws.row_breaks.brk],
                "rows": {
                    str(r): round(d.height or 0, 1) for r, d in sorted(ws.row_dimensions.items()) if d.height
                },
            }
    return out


def assert_matches_golden(data: dict[str, Any], name: str) -> None:
    """Compare with tests/golden/<name>.json; ECODESK_UPDATE_GOLDEN=1 rewrites it."""
    golden = Path(__file__).parent / "golden" / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    if os.environ.get("ECODESK_UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(text + "\n", encoding="utf-8")
        if not os.environ.get("ECODESK_UPDATE_GOLDEN"):
            raise AssertionError(f"golden file {golden.name} was missing and has been written; re-run")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = json.loads(text)
    if actual != expected:
        # a readable diff: the first differing sheet and key
        for a, e in zip(actual.get("sheets", []), expected.get("sheets", []), strict=False):
            for k in e:
                assert a.get(k) == e[k], (
                    f"{name}: sheet {e['title']} differs in {k} (ECODESK_UPDATE_GOLDEN=1 to accept)"
                )
        assert actual == expected, f"{name} differs from golden (ECODESK_UPDATE_GOLDEN=1 to accept)"
