"""退回修改: for each department with problems, a copy of its own returned workbook with the cells
to fix highlighted and a comment on each saying what to fix, ready to mail back.

The copy keeps the hidden template information, so the corrected file is still recognised as the
department's genuine form when it comes back. The archived original is never changed.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from ..forms.issue import safe_filename
from ..project import Project
from .data import Problem, gather

HIGHLIGHT = PatternFill("solid", fgColor="FFC7CE")
FOLDER = "退回修改"


@dataclass
class RevisionFile:
    department: str
    path: Path | None
    problems: list[str] = field(default_factory=list)
    message: str = ""


def _cell_problems(problems: list[Problem]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        if p.sheet and p.cell:
            out.setdefault((p.sheet, p.cell), []).append(f"{p.problem}\n→ {p.ask}")
    return out


def write_revisions(
    project: Project, round_name: str, out_dir: Path | None = None, departments: list[str] | None = None
) -> list[RevisionFile]:
    data = gather(project, round_name)
    out_dir = Path(out_dir) if out_dir else project.reports_dir / FOLDER / safe_filename(round_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    rnd = project.round(round_name)
    current = {
        r["department"]: r
        for r in project.ledger.conn.execute(
            "SELECT department, archived_path, original_name FROM submissions WHERE round_id = ? AND is_current = 1",
            (rnd.id,),
        )
    }
    results = []
    by_dept: dict[str, list[Problem]] = {}
    for p in data.problems:
        by_dept.setdefault(p.department, []).append(p)
    for dept, problems in by_dept.items():
        if departments and dept not in departments:
            continue
        sub = current.get(dept)
        texts = [f"{p.item}：{p.problem}（{p.ask}）" for p in problems]
        if sub is None:
            results.append(RevisionFile(dept, None, texts, "该部门尚未报送，无可退回的文件，请催报"))
            continue
        src = project.root / sub["archived_path"]
        target = out_dir / f"{safe_filename(round_name)}_{safe_filename(dept)}_退回修改.xlsx"
        try:
            _annotate(src, target, problems)
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


def _annotate(src: Path, target: Path, problems: list[Problem]) -> None:
    suffix = src.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        src = _to_xlsx(src)
    wb = openpyxl.load_workbook(src, keep_vba=suffix == ".xlsm")
    cells = _cell_problems(problems)
    for (sheet, ref), notes in cells.items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        cell.fill = HIGHLIGHT
        text = "\n".join(notes)
        cell.comment = Comment(
            text[:2000], "创建办", width=320, height=min(60 + 16 * text.count("\n") + len(text) // 2, 400)
        )
    loose = [p for p in problems if not (p.sheet and p.cell)]
    if loose and "填报说明" in wb.sheetnames:
        ws = wb["填报说明"]
        row = ws.max_row + 2
        ws.cell(row, 1).value = "退回修改"
        ws.cell(row, 2).value = "\n".join(
            f"{i}. {p.item}：{p.problem}（{p.ask}）" for i, p in enumerate(loose, 1)
        )
        ws.cell(row, 2).fill = HIGHLIGHT
    tmp = target.with_name(target.name + ".part")
    wb.save(tmp)
    tmp.replace(target)


def _to_xlsx(src: Path) -> Path:
    """An .xls/.ods return converted with LibreOffice (where installed) into a temporary xlsx."""
    from ..office import convert

    tmpdir = Path(tempfile.mkdtemp(prefix="ecodesk-rev-"))
    copy = tmpdir / ("return" + src.suffix)
    shutil.copyfile(src, copy)
    return convert(copy, "xlsx", tmpdir)
