"""What a round holds now, as the ledger keeps it: each department's current file (the accepted
submission that counts — at most one per department and round), the task rows and filled keys
of those files, and the forms issued. Every module outside the ledger asks here rather than
writing its own ``is_current = 1`` query."""

from __future__ import annotations

import sqlite3

#: the one condition that picks a round's current files (``s`` is the submissions table)
CURRENT = "s.round_id = ? AND s.is_current = 1"


def current_files(conn: sqlite3.Connection, round_id: int) -> dict[str, sqlite3.Row]:
    """Department → its current file in the round (every column of ``submissions``), by department."""
    rows = conn.execute(f"SELECT s.* FROM submissions s WHERE {CURRENT} ORDER BY s.department", (round_id,))
    return {r["department"]: r for r in rows}


def current_file_id(conn: sqlite3.Connection, round_id: int, department: str) -> int | None:
    """The id of ``department``'s current file in the round, if it has one."""
    row = conn.execute(
        f"SELECT s.id FROM submissions s WHERE {CURRENT} AND s.department = ?", (round_id, department)
    ).fetchone()
    return row["id"] if row else None


def current_task_reports(conn: sqlite3.Connection, round_id: int) -> list[sqlite3.Row]:
    """The task rows of the round's current files, each with its file's ``original_name`` and
    ``sha256``."""
    return conn.execute(
        "SELECT t.*, s.original_name, s.sha256 FROM task_reports t "
        f"JOIN submissions s ON s.id = t.submission_id WHERE {CURRENT} ORDER BY t.rowid",
        (round_id,),
    ).fetchall()


def filled_keys(conn: sqlite3.Connection, round_id: int) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(department → indicators it reported a value or 不适用 for, department → tasks it gave a
    status for), from the round's current files."""

    def by_department(rows: str, key: str, filled: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for r in conn.execute(
            f"SELECT x.department, x.{key} FROM {rows} x JOIN submissions s ON s.id = x.submission_id "
            f"WHERE {CURRENT} AND {filled}",
            (round_id,),
        ):
            out.setdefault(r[0], set()).add(r[1])
        return out

    return (
        by_department("indicator_values", "indicator_key", "(x.current_kind != 'empty' OR x.not_applicable = 1)"),
        by_department("task_reports", "task_key", "x.status_raw != ''"),
    )


def round_submissions(conn: sqlite3.Connection, round_id: int) -> list[sqlite3.Row]:
    """Every file the round received, in the order received."""
    return conn.execute("SELECT * FROM submissions WHERE round_id = ? ORDER BY id", (round_id,)).fetchall()


def issued_forms(conn: sqlite3.Connection, round_id: int, latest: bool = False) -> list[sqlite3.Row]:
    """The forms issued in the round, oldest version first; ``latest``: only each department's
    newest version."""
    newest = (
        " AND version = (SELECT MAX(version) FROM issued_forms g"
        " WHERE g.round_id = f.round_id AND g.department = f.department)"
        if latest
        else ""
    )
    return conn.execute(
        f"SELECT * FROM issued_forms f WHERE round_id = ?{newest} ORDER BY version, id", (round_id,)
    ).fetchall()


def latest_issued(conn: sqlite3.Connection, round_id: int, department: str) -> sqlite3.Row | None:
    """The newest form issued to ``department`` in the round, if any."""
    return conn.execute(
        "SELECT * FROM issued_forms WHERE round_id = ? AND department = ? ORDER BY version DESC LIMIT 1",
        (round_id, department),
    ).fetchone()


def round_counts(conn: sqlite3.Connection, round_id: int) -> tuple[int, int]:
    """(forms issued, files received) in the round."""
    issued = conn.execute("SELECT COUNT(*) FROM issued_forms WHERE round_id = ?", (round_id,)).fetchone()[0]
    received = conn.execute("SELECT COUNT(*) FROM submissions WHERE round_id = ?", (round_id,)).fetchone()[0]
    return int(issued), int(received)


def task_reports_with_source(conn: sqlite3.Connection, round_id: int) -> list[sqlite3.Row]:
    """The task rows of the round's current files, each with ``original_name``: the file the row
    came from (for a row merged from an earlier half-form, that earlier file)."""
    return conn.execute(
        "SELECT t.*, o.original_name FROM task_reports t JOIN submissions s ON s.id = t.submission_id "
        "JOIN submissions o ON o.id = COALESCE(t.from_submission, t.submission_id) "
        f"WHERE {CURRENT}",
        (round_id,),
    ).fetchall()
