"""The consolidated workbook (汇总表) mirroring the county's Annex 1, ready to print.

``data`` gathers everything once (verdicts, tasks, 报送情况, problems) → one writer per sheet
(``annex1_sheet``, ``tasks_sheet``, ``status_sheet``, ``issues_sheet``, ``overview_sheet``) →
``writer.write_report`` assembles them, and ``revision`` makes 退回修改 copies for departments.
"""

from .writer import ReportResult, write_report

__all__ = ["ReportResult", "write_report"]
