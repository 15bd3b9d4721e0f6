"""A spreadsheet that is no fill-in form, sent beside a department's form (a statistics table, a
ledger of inspections), is 佐证材料 of that return, not a foreign file: after the returns of a
collect are decided, such a file (``not_template.foreign``, .xls/.xlsx/.et) in the same folder,
zip or mail as the return of exactly one department (and naming no other) is recorded in the
``evidence`` table (kind ``sheet``), and its submissions row says so (status ``evidence``). A
foreign workbook on its own, or among several departments' returns, stays 非填报表: a department's
name in its file name alone is no proof it is evidence rather than a wrong file."""

from __future__ import annotations

import hashlib
from typing import Any

from ..ledger.current import current_file_id
from ..ledger.evidence import evidence_received, insert_evidence
from ..ledger.store import now_iso
from ..ledger.submissions import set_status
from ..messages import msg
from .evidence import KIND_LABELS, Drop, folder_of

TABLE_SUFFIXES = (".xls", ".xlsx", ".et")
_RETURNS = ("accepted", "superseded", "duplicate", "stale")


def tables_as_evidence(project: Any, round_name: str, drop: Drop, results: list[Any], ctx: Any) -> None:
    from .analyse import archive_copy
    from .attribution import department_in_name

    tables = [
        r
        for r in results
        if r.status == "not_template" and r.code == "not_template.foreign" and r.submission_id
        and r.path.lower().endswith(TABLE_SUFFIXES)
    ]  # fmt: skip
    if not tables:
        return
    sources = {s.display: s for s in drop.forms}
    beside: dict[str, set[str]] = {}
    for r in results:
        if r.department and r.status in _RETURNS and (r.round or round_name) == round_name:
            beside.setdefault(folder_of(r.path), set()).add(r.department)
    rid = project.round(round_name).id
    conn = project.ledger.conn
    for r in tables:
        src = sources.get(r.path)
        mail = drop.mail_of(r.path)
        near = beside.get(folder_of(r.path), set())
        if not near and mail:
            near = {d for f, ds in beside.items() if f.startswith(mail + "!") for d in ds}
        named = department_in_name(src.name, ctx.index) if src else None
        dept = next(iter(near)) if len(near) == 1 else None
        if src is None or not dept or (named and named != dept):
            continue  # not one department's package: stays 非填报表, as its message says
        data = src.path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        seen = evidence_received(conn, rid, sha)
        if seen:
            status, code = "duplicate", "evidence.duplicate"
            message = msg(code, time=seen["received_at"][:16].replace("T", " "))
        else:
            status, code = "evidence", "evidence.linked"
            message = msg(code, department=dept, kind=KIND_LABELS["sheet"])
        archived = archive_copy(data, sha, src.name, ctx) if not seen else ""
        with project.ledger.transaction() as c:
            if not seen:
                insert_evidence(
                    c,
                    round_id=rid,
                    department=dept,
                    submission_id=current_file_id(c, rid, dept),
                    sha256=sha,
                    original_name=src.name,
                    original_path=r.path,
                    archived_path=archived,
                    kind="sheet",
                    size=len(data),
                    linked_by="mail" if mail else "folder",
                    mail_id=drop.mail_ids.get(mail),
                    received_at=now_iso(),
                )
            set_status(c, r.submission_id, status, code, message, dept)
            project.ledger.audit(
                c, "collect.evidence", file=r.path, sha256=sha, round=round_name, department=dept
            )
        r.status, r.code, r.message, r.department = status, code, message, dept
