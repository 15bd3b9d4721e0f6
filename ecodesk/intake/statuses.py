"""The statuses a returned file and a task report can have, as enums. Their values are what the
ledger has always stored (``submissions.status``, ``task_reports.status``), so existing projects
read unchanged; what a clerk sees is :data:`ecodesk.messages.STATUS_LABELS` (files) and the task
status itself, a word the department picked from the form's own dropdown."""

from __future__ import annotations

from enum import StrEnum


class FileStatus(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    DUPLICATE = "duplicate"
    STALE = "stale"
    WRONG_DEPARTMENT = "wrong_department"
    NOT_TEMPLATE = "not_template"
    UNREADABLE = "unreadable"
    INTERNAL = "internal"
    WITHDRAWN = "withdrawn"  # by the clerk (corrections.withdraw)
    EVIDENCE = "evidence"  # 佐证材料 beside a return (intake.evidence), not a return


class TaskStatus(StrEnum):
    DONE = "已完成"
    ONGOING = "推进中"
    NOT_STARTED = "未启动"
    LATE = "滞后"
    NOT_REPORTED = "未报"  # no report from the department (set by the verdicts, not a dropdown choice)


#: what the form's 完成状态 dropdown offers, in its order
TASK_STATUS_OPTIONS: tuple[str, ...] = tuple(s for s in TaskStatus if s is not TaskStatus.NOT_REPORTED)
