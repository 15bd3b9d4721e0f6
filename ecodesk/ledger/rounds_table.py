"""Writing the rounds and the forms issued in them, inside the caller's transaction (the caller
audits the change in the same transaction): the ledger's own SQL, so the project, the round life
(:mod:`ecodesk.rounds`) and issuing (:mod:`ecodesk.forms.issue`) say what changes, not how."""

from __future__ import annotations

import sqlite3
from typing import Any

from .store import now_iso

#: the columns of a round that may be changed after it was added
ROUND_COLUMNS = ("name", "deadline", "note", "former_names", "closed_at", "period")


def insert_round(c: sqlite3.Connection, name: str, deadline: str, note: str, period: str) -> None:
    c.execute(
        "INSERT INTO rounds(name, deadline, created_at, note, period) VALUES(?,?,?,?,?)",
        (name, deadline, now_iso(), note, period),
    )


def update_round(c: sqlite3.Connection, round_id: int, **columns: Any) -> None:
    """Set ``columns`` (from :data:`ROUND_COLUMNS`) of the round."""
    unknown = set(columns) - set(ROUND_COLUMNS)
    if unknown:
        raise ValueError(f"not a round column: {sorted(unknown)}")
    names = list(columns)
    c.execute(
        f"UPDATE rounds SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
        (*(columns[n] for n in names), round_id),
    )


def delete_round(c: sqlite3.Connection, round_id: int) -> None:
    c.execute("DELETE FROM rounds WHERE id = ?", (round_id,))


def record_issued_form(
    c: sqlite3.Connection,
    round_id: int,
    department: str,
    version: int,
    path: str,
    sha256: str,
    content_hash: str,
    generated_at: str,
    indicators: int,
    tasks: int,
) -> None:
    c.execute(
        "INSERT INTO issued_forms(round_id, department, version, path, sha256, content_hash, generated_at,"
        " indicator_count, task_count) VALUES(?,?,?,?,?,?,?,?,?)",
        (round_id, department, version, path, sha256, content_hash, generated_at, indicators, tasks),
    )
