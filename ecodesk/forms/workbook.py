"""Write one department's fill-in workbook with xlsxwriter.

Sheets: 填报说明 (instructions, :mod:`.guide_sheet`), 指标填报 (indicator rows; their input cells
in :mod:`.inputs`), 任务进展 (key tasks), and the very-hidden provenance sheet. Only input cells are
unlocked; sheets and the workbook structure are protected; every input cell carries validation
with a Chinese prompt quoting its rule. Formats, print set-up, row heights and the structure lock
come from :mod:`ecodesk.xlsx`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from ..xlsx.atomic import OPTIONS
from ..xlsx.cells import col_letter
from ..xlsx.formats import Formats
from ..xlsx.package import PackageError, lock_structure
from ..xlsx.text import cells_height
from . import layout as L
from .guide_sheet import write_guide
from .inputs import indicator_inputs, validate
from .provenance import PROVENANCE_SHEET, Provenance
from .spec import FormError, FormRow, FormSpec, TaskRow
from .styles import STYLES, print_setup, protect

__all__ = ["FormError", "FormRow", "FormSpec", "TaskRow", "write_form"]


def _sheet(
    wb: xlsxwriter.Workbook, f: Formats, name: str, columns: tuple[L.Column, ...], title: str, notice: str
) -> Any:
    """A data sheet with its title, notice and header rows, the key column hidden, panes frozen."""
    ws = wb.add_worksheet(name)
    last = len(columns) - 1
    ws.merge_range(0, 1, 0, last, title, f.title)
    ws.set_row(0, 26)
    ws.merge_range(1, 1, 1, last, notice, f.notice)
    ws.set_row(1, 30)
    for c, col in enumerate(columns):
        ws.write(L.HEADER_ROW, c, col.header, f.header)
        ws.set_column(c, c, col.width, None, {"hidden": c == 0})
    ws.set_row(L.HEADER_ROW, 30)
    ws.freeze_panes(L.FIRST_DATA_ROW, 3)
    return ws


def _write_indicators(wb: xlsxwriter.Workbook, f: Formats, spec: FormSpec) -> None:
    cols = L.INDICATOR_COLUMNS
    title, notice = (
        f"{spec.round} 指标填报表（{spec.department}）",
        f"截止日期：{spec.deadline}。只在黄色（虚线框）单元格填写；“自查”列自动显示结果。",
    )
    ws = _sheet(wb, f, L.SHEET_INDICATORS, cols, title, notice)
    widths = {c.id: c.width for c in cols}
    r = L.FIRST_DATA_ROW
    for row in spec.indicators:
        values = {
            "key": row.key,
            "number": row.number,
            "name": row.name,
            "unit": row.unit,
            "target": row.target_text,
            "role": row.role,
        }
        for c, col in enumerate(cols):
            if col.id in values:
                fmt = f.center if col.id in ("number", "unit", "role") else f.cell
                ws.write_string(r, c, values[col.id], fmt)
        indicator_inputs(ws, f, r, row, spec)
        ws.set_row(
            r, cells_height([(row.name, widths["name"]), (row.target_text, widths["target"])], minimum=2)
        )
        r += 1
    if not spec.indicators:
        ws.merge_range(r, 1, r, len(cols) - 1, "（本部门在本轮无指标填报任务，请填写“任务进展”表）", f.cell)
    else:
        check = col_letter(L.col_index(cols, "check"))
        rng = f"{check}{L.FIRST_DATA_ROW + 1}:{check}{r}"
        for text, fmt in (("未达标", f.fail), ("达标", f.ok), ("待核实", f.review)):
            ws.conditional_format(
                rng, {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt}
            )
    print_setup(ws, spec, "指标填报", L.HEADER_ROW)
    protect(ws, spec.password)


def _write_tasks(wb: xlsxwriter.Workbook, f: Formats, spec: FormSpec) -> None:
    cols = L.TASK_COLUMNS
    title, notice = (
        f"{spec.round} 重点工作任务进展（{spec.department}）",
        "请选择完成状态，并填写进展情况、存在问题和下步计划。",
    )
    ws = _sheet(wb, f, L.SHEET_TASKS, cols, title, notice)
    idx = {c.id: i for i, c in enumerate(cols)}
    r = L.FIRST_DATA_ROW
    for t in spec.tasks:
        for cid, text in (
            ("key", t.key),
            ("number", t.number),
            ("title", t.title),
            ("requirements", t.requirements),
            ("departments", t.departments),
        ):
            ws.write_string(r, idx[cid], text, f.center if cid == "number" else f.cell)
        ws.write_blank(r, idx["status"], None, f.input)
        validate(
            ws,
            r,
            idx["status"],
            {
                "validate": "list",
                "source": list(L.TASK_STATUSES),
                "input_title": "完成状态",
                "input_message": "已完成 / 推进中 / 未启动 / 滞后",
                "error_title": "请从下拉列表选择",
                "error_message": "完成状态请从下拉列表中选择：已完成、推进中、未启动、滞后",
            },
        )
        for cid in ("progress", "problems", "plan"):
            ws.write_blank(r, idx[cid], None, f.input)
        ws.set_row(
            r, cells_height([(t.requirements, cols[idx["requirements"]].width), (t.title, 16)], minimum=3)
        )
        r += 1
    if not spec.tasks:
        ws.merge_range(r, 1, r, len(cols) - 1, "（本部门在本轮无重点工作任务）", f.cell)
    print_setup(ws, spec, "任务进展", L.HEADER_ROW)
    protect(ws, spec.password)


def _write_provenance(wb: xlsxwriter.Workbook, prov: Provenance) -> None:
    ws = wb.add_worksheet(PROVENANCE_SHEET)
    for i, (k, v) in enumerate(prov.to_rows()):
        ws.write_string(i, 0, k)
        ws.write_string(i, 1, v)
    ws.very_hidden()


def write_form(path: Path, spec: FormSpec, prov: Provenance) -> Path:
    """Write the workbook to ``path`` (which must not exist yet) and return it."""
    for name in (L.SHEET_GUIDE, L.SHEET_INDICATORS, L.SHEET_TASKS, PROVENANCE_SHEET):
        assert len(name) <= L.MAX_SHEET_NAME
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
    wb.set_properties(
        {
            "title": f"{spec.round} {spec.department} 填报表",
            "company": spec.county,
            "comments": "由 EcoDesk 生成",
        }
    )
    f = Formats(wb, STYLES)
    write_guide(wb, f, spec)
    _write_indicators(wb, f, spec)
    _write_tasks(wb, f, spec)
    _write_provenance(wb, prov)
    wb.close()
    try:
        lock_structure(tmp, spec.password)
    except PackageError as exc:
        raise FormError(str(exc)) from exc
    tmp.replace(path)
    return path
