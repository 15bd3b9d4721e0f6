"""数据来源, printed last: for auditors, where every printed value came from — indicator or task,
department, file, sheet, cell, the file's SHA-256 — and the full reasoning behind each verdict."""

from __future__ import annotations

from .data import ReportData
from .layout import SheetLayout
from .style import as_of_text

SHEET = "数据来源"
HEADER = ("序号", "指标 / 任务", "部门", "文件", "工作表", "单元格", "文件 SHA-256", "判定依据（完整）")
WIDTHS = (5, 20, 10, 24, 8, 6, 42, 48)
HEADER_ROW = 2


def build(d: ReportData) -> SheetLayout:
    subtitle = f"每项数据所在的文件和单元格，以及完整的判定依据；{as_of_text(d.as_of)}"
    lay = SheetLayout.table(
        SHEET, WIDTHS, HEADER, f"{d.round} 数据来源", subtitle, f"{d.county}　{d.round}", HEADER_ROW
    )
    last = len(HEADER) - 1
    r = HEADER_ROW + 1
    for v in d.verdicts.verdicts:
        sources = v.sources or [{}]
        first, end = r, r + len(sources) - 1
        lay.level(first, 1)
        lay.put(first, 0, end, 0, v.number, "center")
        lay.put(first, 1, end, 1, v.name, "left")
        lay.put(first, 7, end, 7, v.reason, "small")
        for s in sources:
            if r != first:
                lay.level(r, 4)
            for c, key in ((2, "department"), (3, "file"), (4, "sheet"), (5, "cell"), (6, "sha256")):
                lay.cell(r, c, s.get(key, "—" if c == 2 else ""), "small")
            r += 1
    lay.level(r, 0)
    lay.put(r, 0, r, last, "重点工作任务", "group")
    r += 1
    lay.level(r, 9)
    for t in d.verdicts.tasks:
        s = d.task_sources.get((t.key, t.department), {})
        if r:
            lay.level(r, min(lay.levels.get(r, 2), 2))
        lay.cell(r, 0, t.number, "center")
        lay.cell(r, 1, t.title, "left")
        lay.cell(r, 2, t.department, "small")
        for c, key in ((3, "file"), (4, "sheet"), (5, "cell"), (6, "sha256")):
            lay.cell(r, c, s.get(key, ""), "small")
        lay.cell(r, 7, f"完成状态：{t.status}" if s else "未报", "small")
        r += 1
    if d.unused_files:  # every file received and not used, with why (报送情况 counts them)
        lay.level(r, 0)
        lay.put(r, 0, r, last, "未采用的文件", "group")
        r += 1
        for n, f in enumerate(d.unused_files, start=1):
            lay.level(r, 2)
            lay.cell(r, 0, str(n), "center")
            lay.cell(r, 2, f["department"] or "（未能确认）", "small")
            lay.cell(r, 3, f["file"], "small")
            lay.put(r, 4, r, last, f["why"], "small")
            r += 1
    lay.paginate(HEADER_ROW + 1)
    return lay
