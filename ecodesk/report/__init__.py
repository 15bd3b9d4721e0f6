"""The consolidated workbook (汇总表) mirroring the county's Annex 1, ready to print.

``data`` gathers everything once (verdicts, tasks, 报送情况, problems) → one writer per sheet
(``briefing_sheet``, ``annex1_sheet``, ``tasks_sheet``, ``status_sheet``, ``issues_sheet``,
``trend_sheet``, ``provenance_sheet``) →
``writer.write_report`` assembles them, and ``revision`` makes 退回修改 copies for departments.
``layout`` is the printable page model every output shares (the xlsx, LibreOffice's PDF, the
app's print preview); ``style`` writes it with the xlsx toolkit (:mod:`ecodesk.xlsx`).

May use: every room below it — verdicts, 报送情况 (status), the history, forms, intake's results
through the ledger, the catalogue, rules, the xlsx toolkit, office (PDF). Only the CLI, the demo
and the app sit above it.
"""

from .writer import ReportResult, write_report

__all__ = ["ReportResult", "write_report"]
