"""The 佐证材料 tables: ``mails`` (the saved mails files came in), ``evidence`` (one row per
attachment per round) and ``evidence_links`` (which file is evidence for which indicator of a
department), and the 佐证材料 cells of a round's current files. What the columns mean is told in
:mod:`ecodesk.intake.evidence` and :mod:`ecodesk.intake.evidence_links`. Writes take the caller's
transaction (``c``); reads take the connection."""

from __future__ import annotations

import sqlite3
from typing import Any

from .current import CURRENT


# ---- mails -----------------------------------------------------------------------------------
def put_mail(
    c: sqlite3.Connection,
    sha256: str,
    original_path: str,
    sender: str,
    sender_name: str,
    subject: str,
    sent_at: str,
    received_at: str,
) -> int:
    """Keep a mail (once per content: a mail saved again keeps its first row); its id."""
    c.execute(
        "INSERT INTO mails(sha256, original_path, sender, sender_name, subject, sent_at, received_at)"
        " VALUES(?,?,?,?,?,?,?) ON CONFLICT(sha256) DO NOTHING",
        (sha256, original_path, sender, sender_name, subject, sent_at, received_at),
    )
    return int(c.execute("SELECT id FROM mails WHERE sha256 = ?", (sha256,)).fetchone()[0])


# ---- evidence: the files -----------------------------------------------------------------------
def evidence_received(conn: sqlite3.Connection, round_id: int, sha256: str) -> sqlite3.Row | None:
    """The round's evidence row of this content (its ``received_at``), when it came before."""
    return conn.execute(
        "SELECT received_at FROM evidence WHERE round_id = ? AND sha256 = ?", (round_id, sha256)
    ).fetchone()


def insert_evidence(
    c: sqlite3.Connection,
    *,
    round_id: int,
    department: str,
    submission_id: int | None,
    sha256: str,
    original_name: str,
    original_path: str,
    archived_path: str,
    kind: str,
    size: int,
    linked_by: str,
    mail_id: int | None,
    received_at: str,
) -> int:
    """One received attachment; its id."""
    cur = c.execute(
        "INSERT INTO evidence(round_id, department, submission_id, sha256, original_name, original_path,"
        " archived_path, kind, size, linked_by, mail_id, received_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        (round_id, department, submission_id, sha256, original_name, original_path, archived_path, kind,
         size, linked_by, mail_id, received_at),
    )  # fmt: skip
    return int(cur.lastrowid or 0)


def attachments_of(conn: sqlite3.Connection, round_id: int) -> dict[int, list[dict[str, Any]]]:
    """Each return's 佐证材料 in a round: submission id → [{name, kind, sha256, archived_path}]."""
    out: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(
        "SELECT * FROM evidence WHERE round_id = ? AND submission_id IS NOT NULL ORDER BY id", (round_id,)
    ):
        out.setdefault(r["submission_id"], []).append(
            {
                "name": r["original_name"],
                "kind": r["kind"],
                "sha256": r["sha256"],
                "archived_path": r["archived_path"],
            }
        )
    return out


def evidence_files(
    conn: sqlite3.Connection, round_id: int, department: str | None = None
) -> list[sqlite3.Row]:
    """The round's received files the clerk has not taken out (only ``department``'s when given),
    oldest first."""
    mine = " AND department = ?" if department is not None else ""
    args = (round_id, department) if department is not None else (round_id,)
    return conn.execute(
        f"SELECT * FROM evidence WHERE round_id = ?{mine} AND removed_at = '' ORDER BY id", args
    ).fetchall()


def evidence_file(conn: sqlite3.Connection, round_id: int, evidence_id: int) -> sqlite3.Row | None:
    """One received file of the round (also one the clerk took out: see ``removed_at``)."""
    return conn.execute(
        "SELECT * FROM evidence WHERE id = ? AND round_id = ?", (evidence_id, round_id)
    ).fetchone()


def set_evidence_department(c: sqlite3.Connection, evidence_id: int, department: str) -> None:
    c.execute("UPDATE evidence SET department = ? WHERE id = ?", (department, evidence_id))


def take_out_evidence(c: sqlite3.Connection, evidence_id: int, note: str, at: str) -> None:
    """The clerk takes a file out of the round's evidence: its links are removed and it is marked
    (the archived copy stays; automatic linking never brings it back)."""
    c.execute(
        "UPDATE evidence_links SET status = 'removed', note = ? WHERE evidence_id = ? AND status = 'linked'",
        (note, evidence_id),
    )
    c.execute("UPDATE evidence SET removed_at = ?, note = ? WHERE id = ?", (at, note, evidence_id))


# ---- evidence_links: file → indicator ----------------------------------------------------------
def round_links(conn: sqlite3.Connection, round_id: int, status: str = "linked") -> list[sqlite3.Row]:
    """The round's links of that status (linked | replaced | removed), oldest first."""
    return conn.execute(
        "SELECT * FROM evidence_links WHERE round_id = ? AND status = ? ORDER BY id", (round_id, status)
    ).fetchall()


def department_links(conn: sqlite3.Connection, round_id: int, department: str) -> dict[tuple[int, str], str]:
    """(evidence id, indicator key) → status, for every link of the department in the round."""
    return {
        (r["evidence_id"], r["indicator_key"]): r["status"]
        for r in conn.execute(
            "SELECT evidence_id, indicator_key, status FROM evidence_links WHERE round_id = ? AND department = ?",
            (round_id, department),
        )
    }


def linked_keys_of(conn: sqlite3.Connection, round_id: int, original_path: str) -> list[str]:
    """The indicators the file received from ``original_path`` is linked to, in linking order."""
    return [
        r["indicator_key"]
        for r in conn.execute(
            "SELECT l.indicator_key FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id "
            "WHERE e.round_id = ? AND e.original_path = ? AND l.status = 'linked' ORDER BY l.id",
            (round_id, original_path),
        )
    ]


def link_automatically(
    c: sqlite3.Connection,
    round_id: int,
    evidence_id: int,
    department: str,
    key: str,
    matched_by: str,
    named: str,
    confirmed: bool,
    at: str,
) -> None:
    """A link intake made from a name in the form (actor ``ecodesk``)."""
    c.execute(
        "INSERT INTO evidence_links(round_id, evidence_id, department, indicator_key, matched_by, named,"
        " confirmed, status, note, at, actor) VALUES(?,?,?,?,?,?,?,'linked','',?,'ecodesk')",
        (round_id, evidence_id, department, key, matched_by, named, int(confirmed), at),
    )


def replace_link(c: sqlite3.Connection, round_id: int, evidence_id: int, key: str, note: str) -> None:
    """A newer file of the same name takes over ``key`` from ``evidence_id``."""
    c.execute(
        "UPDATE evidence_links SET status = 'replaced', note = ? WHERE evidence_id = ? "
        "AND indicator_key = ? AND round_id = ?",
        (note, evidence_id, key, round_id),
    )


def link_by_clerk(
    c: sqlite3.Connection,
    round_id: int,
    evidence_id: int,
    department: str,
    key: str,
    note: str,
    at: str,
    actor: str,
) -> None:
    """The clerk says the file is evidence for ``key`` (a link removed before is linked again)."""
    c.execute(
        "INSERT INTO evidence_links(round_id, evidence_id, department, indicator_key, matched_by, named,"
        " confirmed, status, note, at, actor) VALUES(?,?,?,?,'clerk','',1,'linked',?,?,?)"
        " ON CONFLICT(evidence_id, indicator_key) DO UPDATE SET status = 'linked', confirmed = 1,"
        " matched_by = 'clerk', department = excluded.department, note = excluded.note, at = excluded.at,"
        " actor = excluded.actor",
        (round_id, evidence_id, department, key, note, at, actor),
    )


#: what the clerk may do to a linked file: confirm the link, or take the file off the indicator
_CLERK_CHANGES = {"confirm": "confirmed = 1", "remove": "status = 'removed'"}


def change_link(
    c: sqlite3.Connection,
    round_id: int,
    evidence_id: int,
    key: str,
    change: str,
    note: str,
    at: str,
    actor: str,
) -> int:
    """The clerk confirms (``change`` "confirm") or removes ("remove") the link of a file to
    ``key``; how many links that was (0: the file is not linked to ``key``)."""
    return c.execute(
        f"UPDATE evidence_links SET {_CLERK_CHANGES[change]}, note = ?, actor = ?, at = ? WHERE round_id = ? "
        "AND evidence_id = ? AND indicator_key = ? AND status = 'linked'",
        (note, actor, at, round_id, evidence_id, key),
    ).rowcount


# ---- the 佐证材料 cells of the current files -------------------------------------------------------
def evidence_cells(
    conn: sqlite3.Connection, round_id: int, department: str | None = None
) -> list[sqlite3.Row]:
    """The indicator rows of the round's current files (only ``department``'s own rows of its own
    file, when given) with their 佐证材料 cell, sheet, row, kind and 不适用 mark, by row."""
    mine = " AND s.department = ? AND v.department = ?" if department is not None else ""
    args = (round_id, department, department) if department is not None else (round_id,)
    return conn.execute(
        "SELECT v.indicator_key, v.department, v.evidence, v.sheet, v.row, v.current_kind, v.not_applicable "
        f"FROM indicator_values v JOIN submissions s ON s.id = v.submission_id WHERE {CURRENT}{mine} "
        "ORDER BY v.row",
        args,
    ).fetchall()
