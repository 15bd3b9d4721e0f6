"""What intake writes to the ledger: a received file's row in ``submissions`` and the values and
task reports an accepted file carries (``indicator_values``, ``task_reports``). Every call runs
inside the caller's transaction (a file's SAVEPOINT, :class:`ecodesk.ledger.store.GroupCommit`)."""

from __future__ import annotations

import functools
import json
import sqlite3
from typing import Any


def insert_submission(c: sqlite3.Connection, **columns: Any) -> int:
    """One row of ``submissions`` (the columns given; the rest keep their defaults); its id."""
    names = ", ".join(columns)
    cur = c.execute(
        f"INSERT INTO submissions({names}) VALUES({', '.join('?' * len(columns))})", tuple(columns.values())
    )
    return int(cur.lastrowid or 0)


def supersede(c: sqlite3.Connection, submission_id: int, code: str, message: str) -> None:
    """A department's current file is replaced by a newer one."""
    c.execute(
        "UPDATE submissions SET is_current = 0, status = 'superseded', code = ?, message = ? WHERE id = ?",
        (code, message, submission_id),
    )


def ask_confirmation(c: sqlite3.Connection, submission_id: int, code: str, message: str) -> None:
    """The current file needs the clerk too (a tie, overlapping parts)."""
    c.execute(
        "UPDATE submissions SET needs_confirmation = 1, code = ?, message = ? WHERE id = ?",
        (code, message, submission_id),
    )


def store_values(c: sqlite3.Connection, sid: int, a: Any, dept: str) -> None:
    """Record the values and task reports ``a`` (an :class:`ecodesk.intake.analyse.Analysis`: the
    ledger does not import intake) carries, as ``dept``'s."""
    c.executemany(
        "INSERT INTO indicator_values(submission_id, indicator_key, department, sheet, row, current_cell,"
        " current_raw, current_kind, current_number, current_status, previous_cell, previous_raw,"
        " previous_number, period, target_cell, target_raw, target_number, not_applicable, source, note,"
        " evidence, flags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                sid,
                e.key,
                dept,
                e.sheet,
                e.row,
                e.current_cell,
                e.current.raw,
                e.current.kind,
                e.current.number,
                e.current.status,
                e.previous_cell,
                e.previous.raw,
                e.previous.number,
                e.period,
                e.assigned_cell,
                e.assigned.raw,
                e.assigned.number,
                int(e.not_applicable),
                e.source,
                e.note,
                e.evidence,
                _flags_json(tuple(sorted(set(e.current.flags) | {p[0] for p in e.problems}))),
            )
            for e in a.entries
        ],
    )
    c.executemany(
        "INSERT INTO task_reports(submission_id, task_key, department, sheet, row, status_cell, status_raw,"
        " status, progress, problems, plan, flags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                sid,
                t.key,
                dept,
                t.sheet,
                t.row,
                t.status_cell,
                t.status.raw,
                t.status.status,
                t.progress,
                t.problems_text,
                t.plan,
                _flags_json(tuple(t.status.flags)),
            )
            for t in a.tasks
        ],
    )


@functools.lru_cache(maxsize=256)
def _flags_json(flags: tuple[str, ...]) -> str:
    """A value's flags as stored (a JSON list); the few lists that occur are encoded once."""
    return json.dumps(list(flags), ensure_ascii=False)
