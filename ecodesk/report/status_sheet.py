"""Sheet 3, 报送情况: per department, files issued and received, late, missing items; then the
催报 list as text ready to send."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..annex_export import Sheet
from .data import ReportData
from .style import Formats, as_of_text, heading, page_setup

SHEET = "报送情况"
HEADER = ("序号", "部门", "下发文件", "报送时间", "是否逾期", "状态", "缺报指标", "缺报任务", "待重报文件")
WIDTHS = (5, 12, 26, 15, 7, 12, 26, 26, 30)
HEADER_ROW = 2


def _time(iso: str) -> str:
    return iso[:16].replace("T", " ") if iso else ""


def write(wb: xlsxwriter.Workbook, f: Formats, d: ReportData) -> None:
    sh = Sheet(wb, SHEET, WIDTHS)
    ws = sh.ws
    last = len(HEADER) - 1
    reported = sum(1 for s in d.statuses if s.reported)
    heading(
        ws,
        f,
        last,
        f"{d.round} 各部门报送情况",
        f"截止日期 {d.deadline}；应报 {len(d.statuses)} 个部门，已报 {reported} 个；{as_of_text(d.as_of)}",
        HEADER,
        HEADER_ROW,
    )
    r = HEADER_ROW + 1
    for i, s in enumerate(d.statuses, start=1):
        issued = f"{Path(s.issued_file).name}" if s.issued_file else "（未下发）"
        cells = [
            str(i),
            s.department,
            issued,
            _time(s.received_at),
            "逾期" if s.late else ("" if s.reported else "—"),
            s.state,
            "、".join(s.missing_indicators),
            "、".join(s.missing_tasks),
            "\n".join(s.problem_files),
        ]
        for c, text in enumerate(cells):
            sh.put(r, c, r, c, text, f.center if c in (0, 3, 4, 5) else f.left)
        r += 1
    sh.fit_rows(HEADER_ROW, r - 1)
    r += 1
    ws.merge_range(r, 0, r, last, "催报名单（可复制发送）", f.group)
    r += 1
    lines = d.reminder.count("\n") + 1
    ws.merge_range(r, 0, r, last, d.reminder, f.text)
    ws.set_row(r, min(409, 16 * (lines + d.reminder.count("、") // 12 + 1)))
    page_setup(ws, HEADER_ROW, d.county, d.round, SHEET)
