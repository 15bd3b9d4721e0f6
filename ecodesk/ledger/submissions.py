"""What collect writes to the ledger and reads back while it decides: a received file's row in
``submissions`` and the values and task reports an accepted file carries (``indicator_values``,
``task_reports``); the contents already received and the forms issued in a round. Every write
runs inside the caller's transaction (a file's SAVEPOINT, :class:`ecodesk.ledger.store.GroupCommit`).
The clerk's corrections to these rows are :mod:`.corrections`."""

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


def set_status(
    c: sqlite3.Connection, submission_id: int, status: str, code: str, message: str, department: str
) -> None:
    """A recorded file's status changes after the batch (a table beside a return is 佐证材料)."""
    c.execute(
        "UPDATE submissions SET status = ?, code = ?, message = ?, department = ? WHERE id = ?",
        (status, code, message, department, submission_id),
    )


def seen_contents(conn: sqlite3.Connection, round_id: int) -> dict[str, str]:
    """SHA-256 → when that content was first received, for the round's accepted and superseded files."""
    seen: dict[str, str] = {}
    for r in conn.execute(
        "SELECT sha256, received_at FROM submissions WHERE round_id = ? "
        "AND status IN ('accepted', 'superseded') ORDER BY id DESC",
        (round_id,),
    ):
        seen[r["sha256"]] = r["received_at"]  # newest first: the earliest one stays
    return seen


def issued_versions(conn: sqlite3.Connection, round_id: int) -> dict[str, tuple[int, str]]:
    """Department → (version, content hash) of the newest form issued to it in the round."""
    return {
        r["department"]: (r["version"], r["content_hash"])
        for r in conn.execute(
            "SELECT department, version, content_hash FROM issued_forms WHERE round_id = ? ORDER BY version",
            (round_id,),
        )
    }


def task_rows(conn: sqlite3.Connection, submission_id: int) -> dict[str, sqlite3.Row]:
    """Task key → the file's task row (every column of ``task_reports``)."""
    rows = conn.execute("SELECT * FROM task_reports WHERE submission_id = ?", (submission_id,))
    return {r["task_key"]: r for r in rows}


def statuses_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, sqlite3.Row]:
    """Submission id → (id, status, code, message) as they stand now."""
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT id, status, code, message FROM submissions WHERE id IN ({','.join('?' * len(ids))})", ids
    )
    return {r["id"]: r for r in rows}


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
