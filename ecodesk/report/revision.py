"""退回修改: for each department with problems, a copy of its own returned workbook that shows what
to fix — a first sheet (退回修改说明) listing every problem with the cell, what to do and by when,
set up to print in full; and every cell to fix (the empty cell that is missing, the task row's
status cell, the value flagged at intake) filled and commented. Only the department's own data is
quoted: no other department's values, file names or cells.

The copy keeps the hidden template information, so the corrected file is still recognised as the
department's genuine form when it comes back. The archived original is never changed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from ..forms.issue import safe_filename
from ..ledger.current import current_files
from ..project import Project
from ..xlsx.cells import col_letter
from ..xlsx.page import Page, print_a4_openpyxl
from ..xlsx.text import lines_for, row_points
from .data import Problem, ReportData, gather
from .places import place_reader

HIGHLIGHT = PatternFill("solid", fgColor="FFC7CE")  # 标红 (input cells are pale yellow)
_RED = Side(style="thick", color="C00000")
MARK_BORDER = Border(left=_RED, right=_RED, top=_RED, bottom=_RED)  # shows in black-and-white too
FOLDER = "退回修改"
GUIDE = "退回修改说明"
GUIDE_HEADER = ("序号", "事项", "问题", "请修改", "在表中的位置")
GUIDE_WIDTHS = (6, 22, 42, 28, 26)
RESUBMIT_DAYS = 5  # when the round's deadline has passed: days given to send the corrected file


@dataclass
class RevisionFile:
    department: str
    path: Path | None
    problems: list[str] = field(default_factory=list)
    message: str = ""


def due_date(deadline: str, today: date | None = None) -> date:
    """By when the corrected file is asked for: the round's deadline, or a few days from today once
    it has passed."""
    today = today or date.today()
    try:
        d = date.fromisoformat(deadline)
    except ValueError:
        d = today
    return d if d >= today + timedelta(days=2) else today + timedelta(days=RESUBMIT_DAYS)


def marked_cells(problems: list[Problem]) -> dict[tuple[str, str], list[Problem]]:
    """Every (sheet, cell) to mark, with the problems about it."""
    out: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        for sheet, cell in p.cells:
            out.setdefault((sheet, cell), []).append(p)
    return out


def _where(p: Problem) -> str:
    return "、".join(f"{s}!{c}" for s, c in p.cells) or "—"


def write_revisions(
    project: Project,
    round_name: str,
    out_dir: Path | None = None,
    departments: list[str] | None = None,
    today: date | None = None,
    report: ReportData | None = None,
) -> list[RevisionFile]:
    """A 退回修改 copy of each department's current file with its problems marked. ``report``: the
    round's report data just gathered (``write_report(...).data``), so nothing is judged again."""
    data = report if report is not None and report.round == round_name else gather(project, round_name, today)
    out_dir = Path(out_dir) if out_dir else project.reports_dir / FOLDER / safe_filename(round_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    rnd = project.round(round_name)
    current = current_files(project.ledger.conn, rnd.id)
    results = []
    by_dept: dict[str, list[Problem]] = {}
    for p in data.problems:
        by_dept.setdefault(p.department, []).append(p)
    for dept, problems in by_dept.items():
        if departments and dept not in departments:
            continue
        sub = current.get(dept)
        texts = [f"{p.item}：{p.own}（{p.ask}）" for p in problems]
        if sub is None:
            results.append(RevisionFile(dept, None, texts, "该部门尚未报送，无可退回的文件，请催报"))
            continue
        src = project.root / sub["archived_path"]
        target = out_dir / f"{safe_filename(round_name)}_{safe_filename(dept)}_退回修改.xlsx"
        try:
            _annotate(src, target, dept, problems, data)
        except Exception as exc:  # an .xls/.ods return, or a file openpyxl cannot load
            results.append(
                RevisionFile(
                    dept, None, texts, f"无法生成退回修改稿（{type(exc).__name__}），请将问题清单发给该部门"
                )
            )
            continue
        results.append(RevisionFile(dept, target, texts, "已生成退回修改稿"))
    with project.ledger.transaction() as c:
        project.ledger.audit(
            c,
            "report.revisions",
            round=round_name,
            files=[str(r.path) for r in results if r.path],
        )
    return results


def _annotate(src: Path, target: Path, dept: str, problems: list[Problem], data: ReportData) -> None:
    suffix = src.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        src = _to_xlsx(src)
    wb = openpyxl.load_workbook(src, keep_vba=suffix == ".xlsm")
    for (sheet, ref), about in marked_cells(problems).items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        cell.fill = HIGHLIGHT
        cell.border = MARK_BORDER
        text = "\n".join(f"{p.own}\n→ {p.ask}" for p in about)
        cell.comment = Comment(
            text[:2000], "创建办", width=320, height=min(60 + 16 * text.count("\n") + len(text) // 2, 400)
        )
    _guide(wb.create_sheet(GUIDE, 0), dept, problems, data, place_reader(wb))
    wb.active = 0
    for ws in wb.worksheets[1:]:
        ws.sheet_view.tabSelected = False
    tmp = target.with_name(target.name + ".part")
    wb.save(tmp)
    tmp.replace(target)


def _guide(
    ws: Worksheet, dept: str, problems: list[Problem], data: ReportData, where: Callable[[Problem], str] = _where
) -> None:
    """The first sheet: every problem on its own row, tall enough to print whole; then what to do.
    Each page is headed with the county, round and department, and numbered page N of M."""
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    body, bold = Font(name="宋体", size=11), Font(name="宋体", size=11, bold=True)
    last = len(GUIDE_HEADER)
    for c, w in enumerate(GUIDE_WIDTHS, start=1):
        ws.column_dimensions[col_letter(c - 1)].width = w
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.cell(1, 1, f"{dept}：{data.round}填报表退回修改说明").font = Font(name="黑体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    ws.cell(
        2, 1, f"经审核，贵单位报送的表格有以下 {len(problems)} 处需要修改，已在表中标红（粗框）并加批注："
    )
    ws.cell(2, 1).font, ws.cell(2, 1).alignment = body, wrap
    ws.row_dimensions[2].height = 22
    for c, h in enumerate(GUIDE_HEADER, start=1):
        x = ws.cell(3, c, h)
        x.font, x.border = bold, box
        x.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        x.fill = PatternFill("solid", fgColor="D9D9D9")
    r = 4
    for i, p in enumerate(problems, start=1):
        row = (str(i), p.item, p.own, p.ask, where(p))
        need = 1
        for c, text in enumerate(row, start=1):
            x = ws.cell(r, c, text)
            x.font, x.border = body, box
            x.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="center" if c == 1 else "left"
            )
            need = max(need, lines_for(text, GUIDE_WIDTHS[c - 1], size=11))
        ws.row_dimensions[r].height = row_points(need)
        r += 1
    due = due_date(data.deadline, data.as_of)
    contact = data.office_contact or "创建办"
    closing = (
        f"请按以上意见在本文件中修改标红的单元格（已填写的其他内容请勿改动），"
        f"于 {due.year}年{due.month}月{due.day}日前重新报送。如有疑问请联系：{contact}。"
    )
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
    x = ws.cell(r, 1, closing)
    x.font, x.alignment = bold, wrap
    ws.row_dimensions[r].height = row_points(lines_for(closing, sum(GUIDE_WIDTHS), size=11))
    # each page says whose list it is: county and round, department; page N of M below
    print_a4_openpyxl(ws, Page(repeat=(2, 2), freeze=(3, 0), header=(f"{data.county}　{data.round}", "退回修改说明", dept)))


def _to_xlsx(src: Path) -> Path:
    """An .xls/.ods return converted with LibreOffice (where installed) into a temporary xlsx."""
    from ..office import convert

    tmpdir = Path(tempfile.mkdtemp(prefix="ecodesk-rev-"))
    copy = tmpdir / ("return" + src.suffix)
    shutil.copyfile(src, copy)
    return convert(copy, "xlsx", tmpdir)
