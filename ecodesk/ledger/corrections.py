"""The clerk's corrections to received files (``submissions``): finding the file the clerk names,
and the writes that make a file current again (reinstate), confirm it, withdraw it or give it to
another department (assign). The words of the messages come from the caller
(:mod:`ecodesk.intake.corrections`); writes take the caller's transaction (``c``)."""

from __future__ import annotations

import sqlite3

#: of several files of the same content or name, the newest that is not a duplicate comes first
_NEWEST = "ORDER BY (status = 'duplicate'), id DESC"


def submission(
    conn: sqlite3.Connection, submission_id: int, round_id: int | None = None
) -> sqlite3.Row | None:
    """One received file (in ``round_id`` only, when given)."""
    if round_id is None:
        return conn.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
    return conn.execute(
        "SELECT * FROM submissions WHERE id = ? AND round_id = ?", (submission_id, round_id)
    ).fetchone()


def submissions_of_content(conn: sqlite3.Connection, round_id: int, sha256: str) -> list[sqlite3.Row]:
    """The round's files of this content, newest non-duplicate first."""
    return conn.execute(
        f"SELECT * FROM submissions WHERE round_id = ? AND sha256 = ? {_NEWEST}", (round_id, sha256)
    ).fetchall()


def submissions_named(conn: sqlite3.Connection, round_id: int, name: str, path: str) -> list[sqlite3.Row]:
    """The round's files received under this file name or path, newest non-duplicate first."""
    return conn.execute(
        f"SELECT * FROM submissions WHERE round_id = ? AND (original_name = ? OR original_path = ?) {_NEWEST}",
        (round_id, name, path),
    ).fetchall()


def round_name_of(conn: sqlite3.Connection, submission_id: int) -> str:
    """The name of the round the file was recorded in."""
    return conn.execute(
        "SELECT r.name FROM rounds r JOIN submissions s ON s.round_id = r.id WHERE s.id = ?", (submission_id,)
    ).fetchone()["name"]


def has_values(conn: sqlite3.Connection, submission_id: int) -> bool:
    """The file carries at least one indicator value or task row."""
    return bool(
        conn.execute(
            "SELECT 1 FROM indicator_values WHERE submission_id = ? UNION "
            "SELECT 1 FROM task_reports WHERE submission_id = ?",
            (submission_id, submission_id),
        ).fetchone()
    )


def archived_copy(conn: sqlite3.Connection, sha256: str) -> str:
    """Where the project keeps a copy of this content (relative to the project folder), '' if nowhere."""
    row = conn.execute(
        "SELECT archived_path FROM submissions WHERE sha256 = ? AND archived_path != ''", (sha256,)
    ).fetchone()
    return row["archived_path"] if row else ""


def supersede_current(
    c: sqlite3.Connection, round_id: int, department: str, keep: int, message: str
) -> list[int]:
    """The department's current files other than ``keep`` are superseded; their ids."""
    ids = [
        r["id"]
        for r in c.execute(
            "SELECT id FROM submissions WHERE round_id = ? AND department = ? AND is_current = 1 AND id != ?",
            (round_id, department, keep),
        )
    ]
    c.execute(
        "UPDATE submissions SET is_current = 0, status = 'superseded', code = 'superseded.replaced', "
        "message = ? WHERE round_id = ? AND department = ? AND is_current = 1 AND id != ?",
        (message, round_id, department, keep),
    )
    return ids


def reinstate_file(c: sqlite3.Connection, submission_id: int, message: str) -> None:
    """The clerk makes the file the department's current one again."""
    c.execute(
        "UPDATE submissions SET is_current = 1, status = 'accepted', code = 'accepted.reinstated',"
        " message = ?, needs_confirmation = 0, forced = 1 WHERE id = ?",
        (message, submission_id),
    )


def confirm_file(c: sqlite3.Connection, submission_id: int, message: str) -> None:
    """The clerk has checked a file that needed confirmation."""
    c.execute(
        "UPDATE submissions SET needs_confirmation = 0, message = ? WHERE id = ?", (message, submission_id)
    )


def withdraw_file(c: sqlite3.Connection, submission_id: int, message: str) -> None:
    """The file is no longer the department's return."""
    c.execute(
        "UPDATE submissions SET is_current = 0, status = 'withdrawn', code = 'withdrawn.by_clerk',"
        " message = ?, needs_confirmation = 0 WHERE id = ?",
        (message, submission_id),
    )


def assign_file(
    c: sqlite3.Connection, submission_id: int, department: str, message: str, values_hash: str, archived: str
) -> None:
    """The file becomes ``department``'s current return; its values are dropped, for the caller to
    store those rows the department fills (:func:`ecodesk.ledger.submissions.store_values`)."""
    c.execute("DELETE FROM indicator_values WHERE submission_id = ?", (submission_id,))
    c.execute("DELETE FROM task_reports WHERE submission_id = ?", (submission_id,))
    c.execute(
        "UPDATE submissions SET department = ?, status = 'accepted', code = 'accepted.assigned', message = ?,"
        " is_current = 1, needs_confirmation = 0, forced = 1, values_hash = ?, archived_path = ? WHERE id = ?",
        (department, message, values_hash, archived, submission_id),
    )
