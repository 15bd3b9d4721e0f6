"""The clerk corrects intake: every automatic decision can be overruled, each act with a note
kept in the audit trail, all of it in the ledger (so nothing is lost when the app closes).

- :func:`assign` — this file is that department's return (a form without a department, a
  department on another's template, a forwarded form): only the rows the department fills are
  taken.
- :func:`confirm` — an accepted file that needed confirmation is confirmed.
- :func:`reinstate` — any earlier file of the round that carries values becomes the department's
  current one again (the one it replaces is kept, superseded).
- :func:`withdraw` — a wrongly accepted file is no longer the department's return.

A file is named by its submission number (``#12`` or ``12``, as ``ecodesk submissions`` lists
them), by its path (matched by content) or by its file name.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

from ..ledger.corrections import (
    archived_copy,
    assign_file,
    confirm_file,
    has_values,
    reinstate_file,
    round_name_of,
    submission,
    submissions_named,
    submissions_of_content,
    supersede_current,
    withdraw_file,
)
from ..messages import EcoDeskError, msg
from ..project import Project
from .analyse import analyse
from .collect import FileResult, build_context, list_submissions, store_values
from .evidence_links import relink

#: statuses whose file (when it carries values) may become the department's current one
REINSTATABLE = ("superseded", "stale", "accepted", "withdrawn")


def find_submission(project: Project, round_name: str, ref: str | int) -> sqlite3.Row:
    """The submission ``ref`` names in the round (the latest one when a file came in twice)."""
    rnd = project.round(round_name)
    conn = project.ledger.conn
    text = str(ref).strip()
    if text.lstrip("#").isdigit():
        row = submission(conn, int(text.lstrip("#")), rnd.id)
        if row is not None or text.startswith("#"):
            if row is None:
                raise EcoDeskError("correct.not_found", ref=text, round=rnd.name)
            return row
    path = Path(text)
    rows: list[sqlite3.Row] = []
    if path.is_file():
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        rows = submissions_of_content(conn, rnd.id, sha)
    if not rows:
        rows = submissions_named(conn, rnd.id, path.name, text)
    if not rows:
        raise EcoDeskError("correct.not_found", ref=text, round=rnd.name)
    if len({r["sha256"] for r in rows}) > 1:
        ids = "、".join(f"#{r['id']}" for r in rows)
        raise EcoDeskError("correct.ambiguous", ref=text, ids=ids)
    return rows[0]


def _result(project: Project, sid: int) -> FileResult:
    name = round_name_of(project.ledger.conn, sid)
    return next(r for r in list_submissions(project, name) if r.submission_id == sid)


def check_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise EcoDeskError("correct.no_note")
    return note[:2000]


def _supersede_current(c: sqlite3.Connection, round_id: int, dept: str, keep: int) -> list[int]:
    return supersede_current(c, round_id, dept, keep, msg("superseded.replaced", department=dept))


def reinstate(project: Project, round_name: str | None, ref: str | int, note: str = "") -> FileResult:
    """Make an earlier file (superseded, stale, withdrawn …) the department's current one."""
    row = find_submission(project, round_name, ref) if round_name else _by_id(project, ref)
    conn = project.ledger.conn
    if row["status"] not in REINSTATABLE or not row["department"] or not has_values(conn, row["id"]):
        raise EcoDeskError("choose.not_allowed", status=row["status"])
    dept, sid = row["department"], row["id"]
    message = msg("accepted.reinstated", department=dept)
    with project.ledger.transaction() as c:
        replaced = _supersede_current(c, row["round_id"], dept, sid)
        reinstate_file(c, sid, message)
        project.ledger.audit(
            c,
            "correct.reinstate",
            submission=sid,
            file=row["original_path"],
            department=dept,
            was=row["status"],
            replaced=replaced,
            note=note,
        )
        relink(c, row["round_id"], dept)  # the 佐证材料 this file names
    return _result(project, sid)


def _by_id(project: Project, ref: str | int) -> sqlite3.Row:
    row = submission(project.ledger.conn, int(str(ref).lstrip("#")))
    if row is None:
        raise EcoDeskError("choose.not_found", id=ref)
    return row


def confirm(project: Project, round_name: str, ref: str | int, note: str) -> FileResult:
    """The clerk has checked a file that needed confirmation."""
    note = check_note(note)
    row = find_submission(project, round_name, ref)
    if row["status"] != "accepted" or not row["is_current"]:
        raise EcoDeskError("correct.not_current", status=row["status"])
    with project.ledger.transaction() as c:
        confirm_file(c, row["id"], msg("accepted.confirmed", department=row["department"]))
        project.ledger.audit(
            c,
            "correct.confirm",
            submission=row["id"],
            file=row["original_path"],
            department=row["department"],
            note=note,
        )
    return _result(project, row["id"])


def withdraw(project: Project, round_name: str, ref: str | int, note: str) -> FileResult:
    """A wrongly accepted file is no longer the department's return for the round."""
    note = check_note(note)
    row = find_submission(project, round_name, ref)
    if row["status"] != "accepted":
        raise EcoDeskError("correct.not_current", status=row["status"])
    dept = row["department"]
    with project.ledger.transaction() as c:
        withdraw_file(c, row["id"], msg("withdrawn.by_clerk", department=dept))
        project.ledger.audit(
            c, "correct.withdraw", submission=row["id"], file=row["original_path"], department=dept, note=note
        )
    return _result(project, row["id"])


def assign(project: Project, round_name: str, ref: str | int, department: str, note: str) -> FileResult:
    """This file is ``department``'s return: read its archived copy again and take the rows the
    department fills (other rows are left out, and said so); it becomes the current file."""
    note = check_note(note)
    row = find_submission(project, round_name, ref)
    dept = project.resolve_department(department)
    roster = project.catalogue().department_names()
    if dept not in roster:
        raise EcoDeskError("correct.unknown_department", department=department, names="、".join(roster))
    conn = project.ledger.conn
    archived = row["archived_path"] or archived_copy(conn, row["sha256"])
    if row["status"] == "unreadable" or not archived or not (project.root / archived).is_file():
        raise EcoDeskError("correct.cannot_read", file=row["original_name"])
    ctx = build_context(project)
    a = analyse(
        project.root / archived, row["original_path"], row["original_name"], replace(ctx, archive_dir="")
    )
    own = ctx.index.indicators_of.get(dept, frozenset()) | ctx.index.tasks_of.get(dept, frozenset())
    left_out = [f"{e.sheet}第{e.row}行" for e in a.entries if e.key not in own]
    left_out += [f"{t.sheet}第{t.row}行" for t in a.tasks if t.key not in own]
    a.entries = [e for e in a.entries if e.key in own]
    a.tasks = [t for t in a.tasks if t.key in own]
    a._values_hash = ""
    if a.code or not (a.entries or a.tasks):
        raise EcoDeskError("correct.no_rows", department=dept, file=row["original_name"])
    message = msg("accepted.assigned", department=dept, indicators=len(a.entries), tasks=len(a.tasks))
    if left_out:
        message += msg("accepted.rows_left_out", rows="、".join(left_out)[:120])
    sid = row["id"]
    with project.ledger.transaction() as c:
        replaced = _supersede_current(c, row["round_id"], dept, sid)
        assign_file(c, sid, dept, message, a.values_hash(), archived)
        store_values(c, sid, a, dept)
        project.ledger.audit(
            c,
            "correct.assign",
            submission=sid,
            file=row["original_path"],
            department=dept,
            was_department=row["department"] or None,
            was=row["status"],
            replaced=replaced,
            left_out=left_out,
            note=note,
        )
        relink(c, row["round_id"], dept)  # the 佐证材料 this file names
    return _result(project, sid)
