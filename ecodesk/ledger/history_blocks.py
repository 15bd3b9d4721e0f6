"""Each round's part of the history frames as last built (``history_blocks``; the bytes are
:mod:`ecodesk.history.blocks`'), under a key of everything they are built from.

A round's key is its verdict fingerprint (:func:`ecodesk.ledger.snapshots.fingerprints`: the
catalogue, settings, rounds, the round's and its comparison rounds' current files, overrides,
evidence, today while it is open) together with what the timeliness of its departments also reads:
every file of the round with its department and whether it is current (a rejected or superseded
file counts as sent), the forms issued for it, and this computer's UTC offset (a save time's
calendar day is read on the local clock). Submissions' other columns and issued forms are written
once and never updated; the ledger's writers that update a submission change its department or
whether it is current, which the key holds.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime

from ..messages import EcoDeskError
from .store import Ledger

KEY_FORMAT = "1"


def keys(conn: sqlite3.Connection, prints: dict[int, str], salt: str = "") -> dict[int, str]:
    """{round id: verdict fingerprint} → {round id: the key of its history block}; ``salt``: what
    else the blocks' bytes depend on (their format, the version of pandas that reads them)."""
    offset = str(datetime.now().astimezone().utcoffset())
    files = dict(
        conn.execute(
            # separated by control characters no department's name holds (quote() would double the time)
            "SELECT round_id, group_concat(id || ?1 || department || ?1 || is_current, ?2)"
            " FROM submissions GROUP BY round_id",
            ("\x1f", "\x1e"),
        ).fetchall()
    )
    issued = {
        r[0]: f"{r[1]},{r[2]}"
        for r in conn.execute("SELECT round_id, count(*), max(id) FROM issued_forms GROUP BY round_id")
    }
    out = {}
    for rid, fp in prints.items():
        h = hashlib.sha256(f"{KEY_FORMAT}|{salt}|{offset}|{fp}|{issued.get(rid, '-')}|".encode())
        h.update((files.get(rid) or "-").encode())
        out[rid] = h.hexdigest()
    return out


def read(conn: sqlite3.Connection, wanted: dict[int, str]) -> dict[int, bytes]:
    """The blocks of the rounds in ``wanted`` ({round id: key}) whose stored key matches."""
    if not wanted:  # nothing asked (a rebuild): no block read from disk
        return {}
    ids = ", ".join(str(int(r)) for r in wanted)
    out = {}
    for rid, key, data in conn.execute(f"SELECT round_id, key, data FROM history_blocks WHERE round_id IN ({ids})"):
        if wanted.get(rid) == key and isinstance(data, bytes):
            out[rid] = data
    return out


def write(ledger: Ledger, blocks: dict[int, tuple[str, bytes]]) -> None:
    """Store {round id: (key, block)}; a read-only or busy project builds them again next time."""
    if not blocks:
        return
    at = datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        with ledger.transaction() as c:
            c.executemany(
                "INSERT INTO history_blocks(round_id, key, built_at, data) VALUES(?, ?, ?, ?)"
                " ON CONFLICT(round_id) DO UPDATE SET key = excluded.key, built_at = excluded.built_at,"
                " data = excluded.data",
                [(rid, key, at, data) for rid, (key, data) in blocks.items()],
            )
    except (EcoDeskError, sqlite3.Error):
        pass
