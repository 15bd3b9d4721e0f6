"""Assemble the consolidated workbook and, where LibreOffice is installed, its PDF.

The pack is :data:`SHEETS` in order — 简报 first, then the tables — and :mod:`provenance_sheet`
(数据来源) always last. Each sheet module has ``SHEET`` and ``build(data) -> SheetLayout``, and
may have ``decorate(workbook, worksheet, data)`` for what only the xlsx has; a new sheet is one
module added to :data:`SHEETS`. :func:`layouts` is what the app's print preview draws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..collector import collector_paused
from ..forms.issue import safe_filename
from ..messages import EcoDeskError, msg, os_reason
from ..project import Project
from ..round_data import RoundData
from ..xlsx.atomic import atomic_workbook
from . import (
    annex1_sheet,
    briefing_sheet,
    issues_sheet,
    provenance_sheet,
    status_sheet,
    tasks_sheet,
    trend_sheet,
)
from .data import ReportData, gather
from .layout import SheetLayout
from .style import Formats, write_layout

Progress = Callable[[int, int, str], None]
SHEETS: list[Any] = [briefing_sheet, annex1_sheet, tasks_sheet, status_sheet, issues_sheet, trend_sheet]
LAST: list[Any] = [provenance_sheet]  # printed after everything else


def sheet_modules() -> list[Any]:
    return [*SHEETS, *LAST]


def layouts(data: ReportData) -> list[SheetLayout]:
    """The pages of the pack, as drawn by the xlsx/PDF and by the app's print preview."""
    return [m.build(data) for m in sheet_modules()]


@dataclass
class ReportResult:
    path: Path
    pdf: Path | None = None
    pdf_error: str = ""
    layouts: list[SheetLayout] | None = None  # the pages, for a preview or a PDF drawn by the app
    data: ReportData | None = None  # what the pages were made from (the 退回修改 copies may reuse it)

    def to_dict(self) -> dict[str, str | None]:
        return {
            "path": str(self.path),
            "pdf": str(self.pdf) if self.pdf else None,
            "pdf_error": self.pdf_error,
        }


def default_report_path(project: Project, round_name: str) -> Path:
    """The next version's name: an export never overwrites an earlier one (…_汇总表_v2.xlsx)."""
    from ..outputs import versioned

    return versioned(project.reports_dir / f"{safe_filename(round_name)}_汇总表.xlsx")


def write_workbook(
    data: ReportData, out: Path, progress: Progress | None = None, pages: list[SheetLayout] | None = None
) -> Path:
    """Write the sheets to ``out`` atomically (a temporary file renamed into place), so a
    crash or a full disk never leaves half a report under the real name."""
    out = Path(out)
    with atomic_workbook(out, f"{data.county}{data.round_title}汇总表", data.county) as wb:
        f = Formats(wb)
        modules = sheet_modules()
        pages = pages if pages is not None else layouts(data)
        for i, (sheet, lay) in enumerate(zip(modules, pages, strict=True)):
            if progress:
                progress(i, len(modules), f"正在写：{sheet.SHEET}")
            # a sheet the module decorates (charts beside the table) is written cell by cell
            ws = write_layout(wb, f, lay, block=not hasattr(sheet, "decorate"))
            if hasattr(sheet, "decorate"):
                sheet.decorate(wb, ws, data)
    return out


def write_report(
    project: Project,
    round_name: str,
    out: Path | None = None,
    pdf: bool = False,
    progress: Progress | None = None,
    as_of: date | None = None,
    data: RoundData | None = None,
) -> ReportResult:
    """The consolidated workbook (and its PDF with ``pdf``). ``data``: the round as the caller
    has just loaded (and perhaps judged) it, so the report judges nothing again."""
    with collector_paused():  # a province's pack is hundreds of thousands of cells
        result = _write_report(project, round_name, out, progress, as_of, data)
    if pdf:
        _write_pdf(result, progress)
    if progress:
        progress(1, 1, "汇总表已生成")
    return result


def _write_report(
    project: Project,
    round_name: str,
    out: Path | None,
    progress: Progress | None,
    as_of: date | None,
    data: RoundData | None,
) -> ReportResult:
    report = gather(project, round_name, as_of, data)
    out = Path(out) if out else default_report_path(project, round_name)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcoDeskError("report.write_failed", path=out, detail=os_reason(exc)) from exc
    pages = layouts(report)
    result = ReportResult(write_workbook(report, out, progress, pages), layouts=pages, data=report)
    with project.ledger.transaction() as c:
        project.ledger.audit(c, "report.write", round=round_name, path=str(out))
    return result


def _write_pdf(result: ReportResult, progress: Progress | None) -> None:
    """The workbook as PDF beside it, through LibreOffice (``result.pdf_error`` says why not)."""
    from ..office import OfficeError, convert, find_soffice

    pages = result.layouts or []
    if find_soffice() is None:
        result.pdf_error = msg("report.no_libreoffice")
        return
    if progress:
        progress(len(pages), len(pages) + 1, "正在生成 PDF")
    try:
        result.pdf = convert(result.path, "pdf", result.path.parent)
    except OfficeError as exc:
        result.pdf_error = str(exc)
