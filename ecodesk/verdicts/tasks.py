"""Task progress of a round: each department's reported 完成状态 for each task, 未报 where none."""

from __future__ import annotations

from ..catalogue import Catalogue
from ..intake.statuses import TaskStatus
from ..ledger.current import task_reports_with_source
from ..project import Project
from .model import TaskProgress


def task_progress(project: Project, round_id: int, catalogue: Catalogue | None = None) -> list[TaskProgress]:
    """Every (task, department) of the catalogue (``catalogue``: one already loaded from this
    ledger) with its reported status."""
    conn = project.ledger.conn
    reports = {}
    for r in task_reports_with_source(conn, round_id):
        reports[(r["task_key"], r["department"])] = r
    out = []
    for t in (catalogue or project.catalogue()).tasks:
        for d in t.departments:
            r = reports.get((t.key, d))
            if r is None or not (r["status"] or r["status_raw"]):
                out.append(
                    TaskProgress(
                        t.key,
                        t.number,
                        t.title,
                        d,
                        TaskStatus.NOT_REPORTED,
                        source=f"{r['original_name']}" if r is not None else "",
                    )
                )
                continue
            out.append(
                TaskProgress(
                    t.key,
                    t.number,
                    t.title,
                    d,
                    r["status"] or r["status_raw"],
                    r["progress"],
                    r["problems"],
                    r["plan"],
                    f"{r['original_name']}，{r['sheet']}!{r['status_cell']}",
                )
            )
    return out
