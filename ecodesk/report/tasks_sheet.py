"""Sheet 2, 重点工作任务: Annex 2 with each responsible department's status and progress."""

from __future__ import annotations

import xlsxwriter

from ..annex_export import Sheet
from .data import ReportData
from .style import TASK_FILL, Formats, as_of_text, colour_by_text, heading, page_setup

SHEET = "重点工作任务"
HEADER = ("序号", "主要任务", "责任部门", "完成状态", "进展情况", "存在问题", "下步计划")
WIDTHS = (5, 16, 11, 8, 40, 24, 24)
HEADER_ROW = 2


def write(wb: xlsxwriter.Workbook, f: Formats, d: ReportData) -> None:
    sh = Sheet(wb, SHEET, WIDTHS)
    ws = sh.ws
    last = len(HEADER) - 1
    heading(
        ws,
        f,
        last,
        f"{d.county}国家生态文明建设示范区创建重点工作任务进展（{d.round}）",
        as_of_text(d.as_of),
        HEADER,
        HEADER_ROW,
    )
    progress = {}
    for t in d.verdicts.tasks:
        progress.setdefault(t.key, []).append(t)
    r = HEADER_ROW + 1
    group = None
    for task in d.catalogue.tasks:
        if task.action_group and task.action_group != group:
            sh.put(r, 0, r, last, task.action_group, f.group)
            r += 1
        group = task.action_group
        rows = progress.get(task.key, [])
        first, end = r, r + max(len(rows), 1) - 1
        sh.put(first, 0, end, 0, task.number, f.center)
        sh.put(first, 1, end, 1, task.title, f.left)
        for t in rows:
            sh.put(r, 2, r, 2, t.department, f.center)
            ws.write_string(r, 3, t.status, f.bold)
            sh.put(r, 4, r, 4, t.progress, f.left)
            sh.put(r, 5, r, 5, t.problems, f.left)
            sh.put(r, 6, r, 6, t.plan, f.left)
            r += 1
        if not rows:
            r += 1
    sh.fit_rows(HEADER_ROW, r - 1)
    colour_by_text(ws, f"D{HEADER_ROW + 2}:D{r}", f, {k: k for k in TASK_FILL})
    page_setup(ws, HEADER_ROW, d.county, d.round, SHEET)
