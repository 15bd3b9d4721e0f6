"""The clerk's verdicts (人工确认/改判): one row per round and indicator, with the computed verdict it
replaced, the note, who and when."""

from __future__ import annotations

import sqlite3


def round_overrides(conn: sqlite3.Connection, round_id: int) -> dict[str, sqlite3.Row]:
    """Indicator key → the clerk's verdict for it in the round."""
    rows = conn.execute("SELECT * FROM overrides WHERE round_id = ?", (round_id,))
    return {r["indicator_key"]: r for r in rows}


def put_override(
    c: sqlite3.Connection,
    round_id: int,
    key: str,
    verdict: str,
    original: str,
    note: str,
    at: str,
    actor: str,
    value: str,
) -> None:
    """Set (or replace) the clerk's verdict for ``key`` in the round; inside the caller's transaction."""
    c.execute(
        "INSERT INTO overrides(round_id, indicator_key, verdict, original, note, at, actor, value) "
        "VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(round_id, indicator_key) DO UPDATE SET verdict = excluded.verdict,"
        " original = excluded.original, note = excluded.note, at = excluded.at, actor = excluded.actor,"
        " value = excluded.value",
        (round_id, key, verdict, original, note, at, actor, value),
    )


def delete_override(c: sqlite3.Connection, round_id: int, key: str) -> None:
    c.execute("DELETE FROM overrides WHERE round_id = ? AND indicator_key = ?", (round_id, key))
