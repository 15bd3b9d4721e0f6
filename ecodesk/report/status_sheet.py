"""报送情况: per department, the form issued and the file received, its timeliness (按时 / 逾期 /
未报送 / 未到期, :mod:`ecodesk.timeliness`), missing items and every file not used with why (files
whose department could not be told are counted below the table; their names are on 数据来源);
then the 催报 text ready to send."""

from __future__ import annotations

from .data import ReportData
from .layout import SheetLayout
from .style import as_of_text

SHEET = "报送情况"
HEADER = ("序号", "部门", "下发版本", "报送时间", "及时性", "状态", "缺报指标", "缺报任务", "未采用的文件")
WIDTHS = (5, 12, 10, 15, 8, 14, 28, 28, 32)
HEADER_ROW = 2


def _time(iso: str) -> str:
    return iso[:16].replace("T", " ") if iso else ""


def _why(problem_file: str) -> str:
    """A rejected file's reason, without its name (the name is on 数据来源)."""
    return problem_file.split("：", 1)[-1]


def build(d: ReportData) -> SheetLayout:
    lay = SheetLayout(SHEET, list(WIDTHS), repeat=(HEADER_ROW, HEADER_ROW), freeze=HEADER_ROW + 1)
    lay.header_left, lay.header_right = f"{d.county}　{d.round}", SHEET
    last = len(HEADER) - 1
    reported = sum(1 for s in d.statuses if s.reported)
    lay.put(0, 0, 0, last, f"{d.round} 各部门报送情况", "title")
    lay.put(
        1,
        0,
        1,
        last,
        f"截止日期 {d.deadline}；应报 {len(d.statuses)} 个部门，已报 {reported} 个；{as_of_text(d.as_of)}",
        "subtitle",
    )
    for c, h in enumerate(HEADER):
        lay.cell(HEADER_ROW, c, h, "head")
    r = HEADER_ROW + 1
    for i, s in enumerate(d.statuses, start=1):
        issued = f"第 {s.issued_version} 版" if s.issued_version else "（未下发）"
        cells = [
            str(i),
            s.department,
            issued,
            _time(s.received_at),
            d.timeliness.get(s.department, "—"),
            s.state,
            "、".join(s.missing_indicators),
            "、".join(s.missing_tasks),
            "\n".join(f"{n}. {_why(p)}" for n, p in enumerate(s.unused_files, 1)),
        ]
        for c, text in enumerate(cells):
            lay.cell(r, c, text, "center" if c in (0, 2, 3, 4, 5) else "left")
        r += 1
    unknown = [f for f in d.unused_files if not f["department"]]
    if unknown:
        kinds: dict[str, int] = {}
        for f in unknown:
            kinds[f["status"]] = kinds.get(f["status"], 0) + 1
        what = "，".join(f"{k} {n} 个" for k, n in kinds.items())
        lay.put(
            r,
            0,
            r,
            last,
            f"另有 {len(unknown)} 个文件未能确认报送部门（{what}），文件名和原因见「数据来源」。",
            "text",
        )
        r += 1
    r += 1
    lay.level(r, 0)
    lay.put(r, 0, r, last, "催报名单（可复制发送）", "group")
    # one line of the notice a row: a long notice in one cell would pass Excel's 409-point row limit
    # and be cut; rows copied together paste as the same lines
    for i, line in enumerate(d.reminder.splitlines() or [""], start=r + 1):
        lay.level(i, 9)
        lay.put(i, 0, i, last, line, "text")
    lay.paginate(HEADER_ROW + 1)
    return lay
