"""Each round's verdicts as last judged (``verdict_snapshots``), under a fingerprint of everything
that can change them, so the history of twenty rounds need not judge twenty rounds every time.

The fingerprint of a round covers: the snapshot format and the core's code; the catalogue
(indicators, assignments, tasks), the settings and the rounds table; the current files and the
overrides and evidence links of the round and of every round that can be its comparison period (earlier in time or
created before it); and, while the round is still open, today's date. Any change to any of these
gives a new fingerprint, and the round is judged afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..messages import EcoDeskError
from .store import Ledger

SNAPSHOT_FORMAT = "4"


@functools.cache
def _code_hash() -> str:
    """The core's source (verdicts depend on the rules and how values are read); the version alone
    where the source cannot be read."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent.parent
    try:
        for path in sorted(root.rglob("*.py")):
            h.update(path.read_bytes())
    except OSError:
        pass
    return h.hexdigest()


def _rows(conn: sqlite3.Connection, sql: str) -> str:
    """The rows of ``sql``, every column quoted, serialised by SQLite itself (a province's
    catalogue is thousands of rows: no Python object per value)."""
    r = conn.execute(f"SELECT count(*), group_concat({_row(conn, sql)}, char(30)) FROM ({sql})").fetchone()
    return f"{r[0]}:{r[1] or ''}"


def _row(conn: sqlite3.Connection, sql: str) -> str:
    """An SQL expression of one row of ``sql``, every column quoted."""
    cols = [d[0] for d in conn.execute(f"SELECT * FROM ({sql}) LIMIT 0").description]
    return "||char(31)||".join('quote("{}")'.format(c.replace('"', '""')) for c in cols)


def fingerprints(
    conn: sqlite3.Connection, rounds: Sequence[tuple[int, int, str]], today: date
) -> dict[int, str]:
    """``rounds``: (id, chronological order, deadline) of every round → {round id: fingerprint}."""
    common = hashlib.sha256()
    for part in (
        SNAPSHOT_FORMAT,
        _code_hash(),
        _rows(conn, "SELECT * FROM indicators ORDER BY key"),
        _rows(
            conn,
            "SELECT a.*, d.name FROM indicator_assignments a JOIN departments d ON d.id = a.department_id "
            "ORDER BY a.indicator_key, a.sort, d.name",
        ),
        _rows(conn, "SELECT * FROM tasks ORDER BY key"),
        _rows(conn, "SELECT * FROM settings ORDER BY key"),
        _rows(conn, "SELECT * FROM rounds ORDER BY id"),
    ):
        common.update(part.encode())
    own: dict[int, bytes] = {}  # each round's current files, overrides and evidence links, hashed once
    files: dict[int, list[str]] = {}  # a province's 60,000 current files: one plain scan, hashed here
    for rid, sid, values_hash, sha in conn.execute(
        "SELECT round_id, id, values_hash, sha256 FROM submissions WHERE is_current = 1 ORDER BY id"
    ):
        files.setdefault(rid, []).append(f"{sid},{values_hash},{sha}")
    for rid, parts in files.items():
        own[rid] = b"\x00" + hashlib.sha256(";".join(parts).encode()).digest()
    for tag, part in enumerate(
        (
            "SELECT * FROM overrides ORDER BY round_id, indicator_key",
            # 佐证材料 decide whether a qualitative 达标 stands (intake.evidence_desk)
            "SELECT l.round_id, l.indicator_key, l.evidence_id, l.status, e.removed_at FROM evidence_links l "
            "JOIN evidence e ON e.id = l.evidence_id ORDER BY l.round_id, l.id",
        )
    ):
        for rid, text in conn.execute(
            f"SELECT round_id, group_concat({_row(conn, part)}, char(30)) FROM ({part}) GROUP BY round_id"
        ):
            own[rid] = own.get(rid, b"") + bytes([tag + 1]) + hashlib.sha256(text.encode()).digest()
    own = {rid: own.get(rid, b"-") for rid, _, _ in rounds}
    out = {}
    for rid, order, deadline in rounds:
        h = common.copy()
        for other, other_order, _ in rounds:
            if other_order <= order or other < rid:
                h.update(f"|{other}:".encode() + own[other])
        if deadline >= today.isoformat():  # still open: what is due can change by the day
            h.update(today.isoformat().encode())
        out[rid] = h.hexdigest()
    return out


def read(conn: sqlite3.Connection, prints: dict[int, str]) -> dict[int, dict[str, list[Any]]]:
    """The stored columns of every round whose snapshot matches its fingerprint."""
    out = {}
    for r in conn.execute("SELECT round_id, fingerprint, verdicts FROM verdict_snapshots"):
        if prints.get(r[0]) == r[1]:
            out[r[0]] = json.loads(r[2])
    return out


def write(ledger: Ledger, fresh: dict[int, tuple[str, dict[str, list[Any]]]]) -> None:
    """Store {round id: (fingerprint, columns)}; a read-only or busy project is judged again next
    time instead."""
    if not fresh:
        return
    at = datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        with ledger.transaction() as c:
            for rid, (fp, columns) in fresh.items():
                c.execute(
                    "INSERT INTO verdict_snapshots(round_id, fingerprint, judged_at, verdicts) VALUES(?, ?, ?, ?)"
                    " ON CONFLICT(round_id) DO UPDATE SET fingerprint = excluded.fingerprint,"
                    " judged_at = excluded.judged_at, verdicts = excluded.verdicts",
                    (rid, fp, at, json.dumps(columns, ensure_ascii=False)),
                )
    except (EcoDeskError, sqlite3.Error):
        pass
