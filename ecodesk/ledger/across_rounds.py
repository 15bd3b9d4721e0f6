"""What every round holds at once, for the history and the timeliness views: plain tuples through a
plain cursor (a province's twenty rounds are hundreds of thousands of rows: no Row object per value),
each read with the column names it returns. The ``is_current`` condition is the one of
:mod:`ecodesk.ledger.current`."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from typing import Any

#: a value row that says something: a value, or 不适用
SAID = "(v.current_kind != 'empty' OR v.not_applicable = 1)"

VALUE_COLUMNS = (
    "submission_id", "round_id", "indicator_key", "department", "current_raw", "current_number",
    "current_status", "not_applicable", "previous_number", "period", "target_raw", "target_number",
    "sheet", "current_cell", "note",
)  # fmt: skip
SUBMISSION_COLUMNS = (
    "id", "round_id", "department", "is_current", "original_name", "sha256", "received_at", "content_time",
)  # fmt: skip
ISSUED_COLUMNS = ("round_id", "department", "indicator_count")


def _tuples(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    cur = conn.cursor()
    cur.row_factory = None
    return cur.execute(sql).fetchall()


def _of(column: str, rounds: Collection[int] | None) -> str:
    """An SQL condition: ``column`` is one of ``rounds`` (true for every round where None)."""
    return "1" if rounds is None else f"{column} IN ({', '.join(str(int(r)) for r in rounds) or 'NULL'})"


def current_values(conn: sqlite3.Connection, rounds: Collection[int] | None = None) -> list[tuple[Any, ...]]:
    """Every value row of the current files of every round (or of ``rounds``, by id) that says
    something, with the file's round (:data:`VALUE_COLUMNS`)."""
    cols = ", ".join(f"s.{c}" if c == "round_id" else f"v.{c}" for c in VALUE_COLUMNS)
    return _tuples(
        conn,
        f"SELECT {cols} FROM indicator_values v JOIN submissions s ON s.id = v.submission_id"
        f" WHERE s.is_current = 1 AND {SAID} AND {_of('s.round_id', rounds)}",
    )


def all_submissions(conn: sqlite3.Connection, rounds: Collection[int] | None = None) -> list[tuple[Any, ...]]:
    """Every file of every round (or of ``rounds``), current or not, by id (:data:`SUBMISSION_COLUMNS`)."""
    return _tuples(
        conn,
        f"SELECT {', '.join(SUBMISSION_COLUMNS)} FROM submissions WHERE {_of('round_id', rounds)} ORDER BY id",
    )


def issued_counts(conn: sqlite3.Connection, rounds: Collection[int] | None = None) -> list[tuple[Any, ...]]:
    """(round, department, indicators on the form) of every form issued (for every round or for
    ``rounds``), oldest version first, so the last row of a (round, department) is its latest form
    (:data:`ISSUED_COLUMNS`)."""
    return _tuples(
        conn,
        f"SELECT {', '.join(ISSUED_COLUMNS)} FROM issued_forms WHERE {_of('round_id', rounds)}"
        " ORDER BY round_id, department, version",
    )


def filled_counts(conn: sqlite3.Connection) -> dict[tuple[int, str], int]:
    """(round, department) → how many indicators its current file says something for."""
    return {
        (r[0], r[1]): r[2]
        for r in _tuples(
            conn,
            "SELECT s.round_id, v.department, COUNT(*) FROM indicator_values v"
            f" JOIN submissions s ON s.id = v.submission_id WHERE s.is_current = 1 AND {SAID}"
            " GROUP BY s.round_id, v.department",
        )
    }
