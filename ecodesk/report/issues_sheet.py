"""Sheet 4, 问题清单: every item needing action, grouped by department, with what is asked."""

from __future__ import annotations

import xlsxwriter

from ..annex_export import Sheet
from .data import ReportData
from .style import Formats, as_of_text, heading, page_setup

SHEET = "问题清单"
HEADER = ("序号", "事项", "问题", "请部门", "位置")
WIDTHS = (5, 24, 60, 26, 14)
HEADER_ROW = 2


def write(wb: xlsxwriter.Workbook, f: Formats, d: ReportData) -> None:
    sh = Sheet(wb, SHEET, WIDTHS)
    ws = sh.ws
    last = len(HEADER) - 1
    departments = list(dict.fromkeys(p.department for p in d.problems))
    heading(
        ws,
        f,
        last,
        f"{d.round} 问题清单",
        f"共 {len(d.problems)} 项，涉及 {len(departments)} 个部门；{as_of_text(d.as_of)}",
        HEADER,
        HEADER_ROW,
    )
    r = HEADER_ROW + 1
    if not d.problems:
        sh.put(r, 0, r, last, "本轮没有需要部门处理的问题。", f.left)
        r += 1
    for dept in departments:
        items = [p for p in d.problems if p.department == dept]
        sh.put(r, 0, r, last, f"{dept}（{len(items)} 项）", f.group)
        r += 1
        for i, p in enumerate(items, start=1):
            where = f"{p.sheet}!{p.cell}" if p.cell else ""
            for c, text in enumerate((str(i), p.item, p.problem, p.ask, where)):
                sh.put(r, c, r, c, text, f.center if c == 0 else f.left)
            r += 1
    sh.fit_rows(HEADER_ROW, r - 1)
    page_setup(ws, HEADER_ROW, d.county, d.round, SHEET)
