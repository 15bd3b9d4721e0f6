"""重点工作任务: Annex 2 with each responsible department's status (with a symbol) and progress.
A task's 序号 and 主要任务 are merged over its departments' rows and repeated when a page breaks
inside them; an action group's heading never ends a page."""

from __future__ import annotations

from .data import ReportData
from .layout import SheetLayout, task_label
from .style import as_of_text

SHEET = "重点工作任务"
HEADER = ("序号", "主要任务", "责任部门", "完成状态", "进展情况", "存在问题", "下步计划")
WIDTHS = (5, 18, 11, 11, 38, 22, 22)
HEADER_ROW = 2


def build(d: ReportData) -> SheetLayout:
    subtitle = as_of_text(d.as_of)
    lay = SheetLayout.table(
        SHEET,
        WIDTHS,
        HEADER,
        f"{d.county}国家生态文明建设示范区创建重点工作任务进展（{d.round}）",
        subtitle,
        f"{d.county}　{d.round}",
        HEADER_ROW,
    )
    last = len(HEADER) - 1
    progress: dict[str, list] = {}
    for t in d.verdicts.tasks:
        progress.setdefault(t.key, []).append(t)
    r = HEADER_ROW + 1
    group = None
    for task in d.catalogue.tasks:
        after_group = False
        if task.action_group and task.action_group != group:
            lay.level(r, 0)
            lay.put(r, 0, r, last, task.action_group, "group")
            r += 1
            after_group = True
        group = task.action_group
        rows = progress.get(task.key, [])
        first, end = r, r + max(len(rows), 1) - 1
        lay.level(first, 9 if after_group else 1)
        lay.put(first, 0, end, 0, task.number, "center")
        lay.put(first, 1, end, 1, task.title, "left")
        for t in rows:
            if r != first:
                lay.level(r, 4)
            text, style = task_label(t.status)
            lay.cell(r, 2, t.department, "center")
            lay.cell(r, 3, text, style)
            lay.cell(r, 4, t.progress, "left")
            lay.cell(r, 5, t.problems, "left")
            lay.cell(r, 6, t.plan, "left")
            r += 1
        if not rows:
            for c in range(2, 7):
                lay.cell(r, c, "", "left")
            r += 1
    lay.paginate(HEADER_ROW + 1)
    return lay
