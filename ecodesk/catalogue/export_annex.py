"""Write a catalogue back as the clerk's tables: Annex 1 (指标责任分解表) and Annex 2 (重点工作任务清单).

Annex 1 has eight columns — 领域 | 任务 | 序号 | 指标名称 (two columns) | 单位 | 指标值 | 责任部门 — the
shape of the published table. 领域, 任务 and 序号 are merged down the rows they span. 指标名称 is two
columns under one merged header: a group number (5 水环境质量) has its group name merged down the
first column and one sub-indicator per row in the second; an ordinary indicator's name is merged
across both. The 参考性指标 block has "参考性指标" merged across 领域+任务 for all its rows. Every row
carries its own unit (the catalogue holds one per row). :mod:`ecodesk.catalogue.import_annex` reads it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..assets import base_dir
from ..xlsx.formats import Formats, table_styles
from ..xlsx.page import Page, print_a4
from ..xlsx.text import lines_for, row_lines, row_points
from .model import Catalogue, Indicator, Task

ANNEX1_FILE = "附件1_指标责任分解表.xlsx"
ANNEX2_FILE = "附件2_重点工作任务清单.xlsx"
ANNEX1_TITLE = "{county}国家生态文明建设示范区创建指标责任分解表"
ANNEX2_TITLE = "{county}国家生态文明建设示范区创建重点工作任务清单"
REFERENCE_LABEL = "参考性指标"
ANNEX1_HEADER = ("领域", "任务", "序号", "指标名称", "", "单位", "指标值", "责任部门(标*为牵头单位)")
ANNEX2_HEADER = ("序号", "主要任务", "具体要求", "责任部门")
_WIDTHS1 = (9, 14, 6, 12, 30, 9, 30, 26)
_WIDTHS2 = (6, 24, 80, 30)
#: fixed document date so regenerated templates are byte-identical
_CREATED = datetime(2024, 1, 1)


class Sheet:
    """A worksheet plus the row heights its wrapped text needs (xlsxwriter cannot autofit)."""

    def __init__(self, wb: xlsxwriter.Workbook, name: str, widths: Sequence[float]) -> None:
        self.ws: Worksheet = wb.add_worksheet(name)
        self.widths = list(widths)
        self.lines: dict[int, int] = {}
        self.spans: list[tuple[int, int, int]] = []  # (first_row, last_row, lines) of vertical merges
        for c, w in enumerate(widths):
            self.ws.set_column(c, c, w)

    def put(self, r1: int, c1: int, r2: int, c2: int, value: Any, fmt: Any) -> None:
        """Write ``value`` into the block r1:r2 × c1:c2, merging it when larger than one cell."""
        if (r1, c1) == (r2, c2):
            self.ws.write(r1, c1, value, fmt)
        else:
            self.ws.merge_range(r1, c1, r2, c2, value, fmt)
        need = lines_for(str(value), sum(self.widths[c1 : c2 + 1]))
        if r1 == r2:
            self.lines[r1] = max(self.lines.get(r1, 1), need)
        else:
            self.spans.append((r1, r2, need))

    def fit_rows(self, first: int, last: int) -> None:
        blocks = [(r, r, n) for r, n in self.lines.items()] + self.spans
        lines = row_lines(blocks)
        for r in range(first, last + 1):
            self.ws.set_row(r, row_points(lines.get(r, 1)))


def runs(n: int, key: Callable[[int], object]) -> list[tuple[int, int]]:
    """Index ranges [i, j] of consecutive items with the same non-empty key."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < n:
        j = i
        while j + 1 < n and key(j + 1) == key(i):
            j += 1
        if key(i):
            out.append((i, j))
        i = j + 1
    return out


def _number(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _page(ws: Worksheet, header_row: int, footer: str) -> None:
    print_a4(ws, Page(repeat=(header_row, header_row), footer=footer, freeze=(header_row + 1, 0)))


def _new_workbook(path: Path, title: str) -> xlsxwriter.Workbook:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"title": title, "author": "EcoDesk", "created": _CREATED})
    return wb


def task_departments_text(task: Task) -> str:
    """A task's 责任部门 cell: no marks, unless only some of several departments lead."""
    leads = [a for a in task.assignments if a.role == "lead"]
    marked = len(task.assignments) > 1 and 0 < len(leads) < len(task.assignments)
    return "、".join(a.display(with_mark=marked) for a in task.assignments)


def write_annex1_rows(sh: Sheet, f: Mapping[str, Any] | Formats, inds: Sequence[Indicator], top: int) -> None:
    """The Annex 1 body (columns A–H) with its merged 领域 / 任务 / 序号 / group spans, from row
    ``top``; shared by the editable Annex 1 and the consolidated report."""
    ws = sh.ws
    n = len(inds)

    def block(
        key: Callable[[int], object], col: int, value: Callable[[int], Any], c2: int | None = None
    ) -> None:
        for i, j in runs(n, key):
            sh.put(top + i, col, top + j, col if c2 is None else c2, value(i), f["center"])

    block(lambda i: inds[i].reference, 0, lambda i: REFERENCE_LABEL, 1)
    block(lambda i: (not inds[i].reference) and inds[i].domain, 0, lambda i: inds[i].domain)
    block(
        lambda i: (not inds[i].reference) and inds[i].task and (inds[i].domain, inds[i].task),
        1,
        lambda i: inds[i].task,
    )
    block(
        lambda i: (inds[i].reference, inds[i].domain, inds[i].task, inds[i].number),
        2,
        lambda i: _number(inds[i].number),
    )
    block(lambda i: inds[i].group and (inds[i].number, inds[i].group), 3, lambda i: inds[i].group)
    for i, ind in enumerate(inds):
        r = top + i
        if not ind.reference:
            for c, text in ((0, ind.domain), (1, ind.task)):
                if not text:
                    ws.write_blank(r, c, None, f["center"])
        if ind.group:
            sh.put(r, 4, r, 4, ind.display_name, f["left"])
        else:
            sh.put(r, 3, r, 4, ind.display_name, f["left"])
        sh.put(r, 5, r, 5, ind.unit, f["center"])
        sh.put(r, 6, r, 6, ind.target_text, f["center"])
        sh.put(r, 7, r, 7, ind.departments_text(), f["left"])


def _table(
    path: Path, title: str, name: str, widths: Sequence[float], header: Sequence[str]
) -> tuple[xlsxwriter.Workbook, Formats, Sheet]:
    """A new annex workbook with one sheet: the title merged across row 0, ``header`` in row 1
    (empty entries are left for the caller to merge)."""
    wb = _new_workbook(path, title)
    f = Formats(wb, table_styles(11))
    sh = Sheet(wb, name, widths)
    sh.ws.merge_range(0, 0, 0, len(widths) - 1, title, f["title"])
    sh.ws.set_row(0, 36)
    for c, text in enumerate(header):
        if text:
            sh.ws.write(1, c, text, f["head"])
    return wb, f, sh


def write_annex1(catalogue: Catalogue, path: Path | str) -> Path:
    """Write the indicator table (附件1) as an editable, printable workbook; returns the path."""
    path = Path(path)
    # 指标名称 is merged over the group and name columns below
    header = ["" if c in (3, 4) else text for c, text in enumerate(ANNEX1_HEADER)]
    wb, f, sh = _table(path, ANNEX1_TITLE.format(county=catalogue.county), "附件1", _WIDTHS1, header)
    ws = sh.ws
    ws.merge_range(1, 3, 1, 4, "指标名称", f["head"])
    sh.lines[1] = 2
    inds = catalogue.indicators
    n, top = len(inds), 2
    write_annex1_rows(sh, f, inds, top)
    sh.fit_rows(1, top + n - 1)
    if n:
        ws.ignore_errors({"number_stored_as_text": f"A3:H{top + n}"})
    _page(ws, 1, "指标责任分解表")
    wb.close()
    return path


def write_annex2(catalogue: Catalogue, path: Path | str) -> Path:
    """Write the key-task list (附件2) with one merged row per action group; returns the path."""
    path = Path(path)
    wb, f, sh = _table(path, ANNEX2_TITLE.format(county=catalogue.county), "附件2", _WIDTHS2, ANNEX2_HEADER)
    r = 2
    group: str | None = None
    for task in catalogue.tasks:
        if task.action_group and task.action_group != group:
            sh.put(r, 0, r, 3, task.action_group, f["group"])
            r += 1
        group = task.action_group
        sh.put(r, 0, r, 0, _number(task.number), f["center"])
        sh.put(r, 1, r, 1, task.title, f["left"])
        sh.put(r, 2, r, 2, task.requirements, f["left"])
        sh.put(r, 3, r, 3, task_departments_text(task), f["left"])
        r += 1
    sh.fit_rows(1, r - 1)
    _page(sh.ws, 1, "重点工作任务清单")
    wb.close()
    return path


def write_builtin_templates(folder: Path | str | None = None) -> list[Path]:
    """Write the built-in 嵊州 catalogue as ``templates/xlsx/附件1_…xlsx`` and ``附件2_…xlsx``."""
    from .builtin import load_builtin

    out = Path(folder) if folder is not None else base_dir() / "templates" / "xlsx"
    cat = load_builtin()
    return [write_annex1(cat, out / ANNEX1_FILE), write_annex2(cat, out / ANNEX2_FILE)]
