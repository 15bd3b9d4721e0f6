"""A round's life after it was added: rename, change the deadline or note, close (no more intake or
generating until reopened), reopen, delete while nothing was issued or received. Every change is
one audited ledger transaction.

A renamed round keeps its former names, so forms issued (and files named) under an old name are
still recognised as this round's when they come back.
"""

from __future__ import annotations

import json
from datetime import date

from .ledger import rounds_table
from .ledger.current import round_counts
from .ledger.store import Round, now_iso
from .messages import EcoDeskError
from .project import Project, check_round_name, parse_deadline


def days_left(rnd: Round, today: date | None = None) -> int:
    """Days until the deadline (0 on the day, negative after it)."""
    return (date.fromisoformat(rnd.deadline) - (today or date.today())).days


def deadline_passed(deadline: str, today: date | None = None) -> bool:
    return date.fromisoformat(deadline) < (today or date.today())


def edit_round(
    project: Project,
    name: str,
    new_name: str | None = None,
    deadline: str | None = None,
    note: str | None = None,
) -> Round:
    """Rename the round and/or change its deadline or note."""
    rnd = project.round(name)
    changes: dict[str, object] = {}
    target = rnd.name
    if new_name is not None and new_name.strip() != rnd.name:
        target = check_round_name(new_name)
        if any(r.name == target for r in project.rounds()):
            raise EcoDeskError("round.exists", name=target)
        changes["name"] = (rnd.name, target)
    day = parse_deadline(deadline) if deadline is not None else rnd.deadline
    if day != rnd.deadline:
        changes["deadline"] = (rnd.deadline, day)
    if note is not None and note != rnd.note:
        changes["note"] = (rnd.note, note)
    if not changes:
        return rnd
    former = list(rnd.former_names)
    if "name" in changes and rnd.name not in former:
        former.append(rnd.name)
    with project.ledger.transaction() as c:
        rounds_table.update_round(
            c,
            rnd.id,
            name=target,
            deadline=day,
            note=rnd.note if note is None else note,
            former_names=json.dumps(former, ensure_ascii=False),
        )
        project.ledger.audit(c, "round.edit", round=target, **{k: list(v) for k, v in changes.items()})  # type: ignore[arg-type]
    return project.round(target)


def close_round(project: Project, name: str, note: str = "") -> Round:
    """No more files are collected or forms generated for the round until it is reopened."""
    rnd = project.round(name)
    if rnd.closed_at:
        return rnd
    with project.ledger.transaction() as c:
        rounds_table.update_round(c, rnd.id, closed_at=now_iso())
        project.ledger.audit(c, "round.close", round=rnd.name, note=note)
    return project.round(rnd.name)


def reopen_round(project: Project, name: str, note: str = "") -> Round:
    rnd = project.round(name)
    if not rnd.closed_at:
        return rnd
    with project.ledger.transaction() as c:
        rounds_table.update_round(c, rnd.id, closed_at="")
        project.ledger.audit(c, "round.reopen", round=rnd.name, note=note)
    return project.round(rnd.name)


def delete_round(project: Project, name: str) -> None:
    """Delete a round added by mistake; refused once a form was issued or a file received."""
    rnd = project.round(name)
    conn = project.ledger.conn
    issued, received = round_counts(conn, rnd.id)
    if issued or received:
        raise EcoDeskError("round.not_deletable", name=rnd.name, issued=issued, received=received)
    with project.ledger.transaction() as c:
        rounds_table.delete_round(c, rnd.id)
        project.ledger.audit(c, "round.delete", round=rnd.name, deadline=rnd.deadline)


def check_open(rnd: Round) -> None:
    """Raise ``round.closed`` when the round no longer takes files or forms."""
    if rnd.closed_at:
        raise EcoDeskError("round.closed", name=rnd.name)
