"""问题清单: every item needing action, grouped by department, with what is asked. The cells to
fix are marked in each department's 退回修改 copy."""

from __future__ import annotations

from typing import Any

from .data import ReportData
from .layout import SheetLayout
from .style import as_of_text

SHEET = "问题清单"
HEADER = ("序号", "事项", "问题", "请部门")
WIDTHS = (5, 28, 62, 34)
HEADER_ROW = 2


def build(d: ReportData) -> SheetLayout:
    departments = list(dict.fromkeys(p.department for p in d.problems))
    subtitle = f"共 {len(d.problems)} 项，涉及 {len(departments)} 个部门；{as_of_text(d.as_of)}"
    lay = SheetLayout.table(
        SHEET, WIDTHS, HEADER, f"{d.round} 问题清单", subtitle, f"{d.county}　{d.round}", HEADER_ROW
    )
    last = len(HEADER) - 1
    r = HEADER_ROW + 1
    if not d.problems:
        lay.put(r, 0, r, last, "本轮没有需要部门处理的问题。", "left")
        r += 1
    by_department: dict[str, list[Any]] = {}
    for p in d.problems:
        by_department.setdefault(p.department, []).append(p)
    for dept in departments:
        items = by_department.get(dept, [])
        lay.level(r, 0)
        lay.put(r, 0, r, last, f"{dept}（{len(items)} 项）", "group")
        r += 1
        lay.level(r, 9)
        for i, p in enumerate(items, start=1):
            for c, text in enumerate((str(i), p.item, p.problem, p.ask)):
                lay.cell(r, c, text, "center" if c == 0 else "left")
            r += 1
    lay.paginate(HEADER_ROW + 1)
    return lay
