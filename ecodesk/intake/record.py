"""Decide each analysed file's status against the ledger (the policy itself is :mod:`.decide`)
and record it: one SAVEPOINT per file, through :mod:`ecodesk.ledger.submissions`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..ledger.current import current_files
from ..ledger.store import GroupCommit, now_iso
from ..ledger.submissions import (
    ask_confirmation,
    insert_submission,
    issued_versions,
    seen_contents,
    store_values,
    supersede,
    task_rows,
)
from ..ledger.values import carry_rows, filled_rows
from ..messages import EcoDeskError, msg
from ..project import Project
from .analyse import Analysis, ReadContext
from .attribution import facts, filled_keys, only_rows, plausible_time
from .changes import changes_since
from .decide import Current, Decision, LedgerView, decide
from .evidence import Drop


@dataclass
class FileResult:
    path: str
    status: str
    department: str | None
    round: str | None
    message: str
    code: str
    submission_id: int | None = None
    needs_confirmation: bool = False
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)  # 佐证材料 listed with this return

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Decider:
    """Decides each file's status against the ledger and records it (one transaction per file)."""

    def __init__(
        self,
        project: Project,
        round_id: int,
        round_name: str,
        ctx: ReadContext,
        force: bool,
        window: float = 0.5,
        batch: GroupCommit | None = None,
    ) -> None:
        self.p, self.round_id, self.round_name, self.ctx, self.force = (
            project,
            round_id,
            round_name,
            ctx,
            force,
        )
        s = project.settings()
        self.secret, self.project_id = s["secret"], s["project_id"]
        self.conn: sqlite3.Connection = project.ledger.conn
        self.batch = batch or project.ledger.batch(window)
        rounds = project.rounds()
        self.rounds = {r.name: r.id for r in rounds}
        # a form issued before its round was renamed names the round's former name
        self.renamed = {old: r.name for r in rounds for old in r.former_names}
        self.others: dict[str, Decider] = {round_name: self}  # deciders of the rounds files went to
        self.drop: Drop | None = None  # the mails files came in
        # what decisions look up, loaded once per run and kept up to date as files are recorded
        self.seen: dict[str, str] = seen_contents(self.conn, round_id)
        self.latest: dict[str, tuple[int, str]] = issued_versions(self.conn, round_id)
        filled = filled_rows(self.conn, round_id)
        self.current: dict[str, Current] = {
            r["department"]: Current(
                r["id"],
                r["values_hash"],
                plausible_time(r["content_time"]),
                r["sha256"],
                filled.get(r["id"], frozenset()),
            )
            for r in current_files(self.conn, round_id).values()
        }
        idx = ctx.index
        self.rows_of = {
            d: idx.indicators_of.get(d, frozenset()) | idx.tasks_of.get(d, frozenset())
            for d in idx.department_names
        }
        self.departments = frozenset(idx.department_names)  # built once: a view per file reuses them
        self.round_names = frozenset(self.rounds)

    # ---- the decision (the policy itself is decide.py) ---------------------------------------
    def view(self) -> LedgerView:
        return LedgerView(
            round=self.round_name,
            project_id=self.project_id,
            departments=self.departments,
            rows_of=self.rows_of,
            seen=self.seen,
            latest=self.latest,
            current=self.current,
            force=self.force,
            rounds=self.round_names,
        )

    def decide(self, a: Analysis, routed_from: str = "") -> FileResult:
        """Decide and record one file; ``routed_from``: the round the clerk chose, when the file
        was sent here because it is this round's form."""
        if a.archive_error:
            raise EcoDeskError("project.not_writable", path=self.p.root, detail=a.archive_error)
        f = facts(a, self.ctx, self.secret)
        if self.renamed:
            f = dataclasses.replace(
                f,
                **{
                    name: self.renamed.get(getattr(f, name), getattr(f, name))
                    for name in ("template_round", "title_round", "filename_round")
                },
            )
        mail = self.drop.mail_of(a.display) if self.drop else ""
        if mail and self.drop and mail in self.drop.mail_departments:  # sent from a department's address
            f = dataclasses.replace(f, mail_department=self.drop.mail_departments[mail])
        d = decide(f, self.view())
        if d.status == "other_round":
            return self._decider_of(d.fields["form_round"]).decide(a, routed_from=self.round_name)
        if d.accepted:
            return self._accept(a, d, routed_from)
        return self._record(a, d, routed_from)

    def _decider_of(self, round_name: str) -> Decider:
        other = self.others.get(round_name)
        if other is None:
            other = Decider(self.p, self.rounds[round_name], round_name, self.ctx, False, batch=self.batch)
            other.others, other.drop = self.others, self.drop
            self.others[round_name] = other
        return other

    def _message(self, code: str, fields: Any, routed_from: str) -> str:
        text = msg(code, **fields)
        if routed_from:
            text = msg("routed.other_round", form_round=self.round_name, round=routed_from) + text
        return text

    # ---- recording -------------------------------------------------------------------------
    def _insert(
        self,
        c: sqlite3.Connection,
        a: Analysis,
        status: str,
        code: str,
        message: str,
        dept: str | None,
        archived: str,
        current: bool = False,
        confirm: bool = False,
    ) -> int:
        prov = a.provenance
        return insert_submission(
            c,
            round_id=self.round_id,
            department=dept or "",
            sha256=a.sha256,
            original_name=a.name,
            original_path=a.display,
            archived_path=archived,
            received_at=now_iso(),
            content_time=a.content_time or "",
            status=status,
            code=code,
            message=message,
            form_round=(prov.round if prov else a.round) or "",
            issue_version=prov.issue_version if prov else None,
            matched_by=a.matched_by,
            needs_confirmation=int(confirm),
            is_current=int(current),
            forced=int(self.force),
            values_hash=a.values_hash() if a.entries or a.tasks else "",
            problems=json.dumps(_problem_cells(a), ensure_ascii=False),
            mail_id=self.drop.mail_ids.get(self.drop.mail_of(a.display)) if self.drop else None,
        )

    def _store_values(self, c: sqlite3.Connection, sid: int, a: Analysis, dept: str) -> None:
        store_values(c, sid, a, dept)

    def _record(self, a: Analysis, d: Decision, routed_from: str = "") -> FileResult:
        a = only_rows(a, d.take_rows)
        status, code, dept = d.status, d.code, d.department
        message = self._message(code, d.fields, routed_from)
        archived = a.archived if status != "duplicate" else ""  # copied by the worker that read it
        with self.batch.item() as c:
            sid = self._insert(c, a, status, code, message, dept, archived)
            if d.keep_values and dept:
                self._store_values(c, sid, a, dept)
            current = self.current.get(dept or "")
            if d.confirm_current and current is not None:  # the current file needs the clerk too
                flag = "accepted.tie" if d.code == "superseded.tie" else "accepted.overlap"
                ask_confirmation(c, current.id, flag, msg(flag, department=dept))
            self.p.ledger.audit(
                c,
                "collect." + status,
                file=a.display,
                sha256=a.sha256,
                round=self.round_name,
                department=dept,
                code=code,
                routed_from=routed_from or None,
            )
        if status == "superseded" and a.sha256:
            self.seen.setdefault(a.sha256, now_iso())
        return FileResult(
            a.display,
            status,
            dept,
            self.round_name if status != "stale" else d.fields.get("form_round", self.round_name),
            message,
            code,
            sid,
            problems=_problems(a),
        )

    def _accept(self, a: Analysis, d: Decision, routed_from: str = "") -> FileResult:
        from ..ledger.values import submission_values

        a = only_rows(a, d.take_rows)
        dept, code, confirm = d.department or "", d.code, d.confirm
        current = self.current.get(dept) if d.replaces is not None else None
        carried: frozenset[str] = frozenset()
        if d.merge_from is not None and current is not None:  # a part of the form: keep the other part
            carried = current.filled
            merged = hashlib.sha256(
                "|".join(sorted([current.values_hash, a.values_hash()])).encode()
            ).hexdigest()
            mine = {e.key for e in a.entries} | {t.key for t in a.tasks}
            a = dataclasses.replace(only_rows(a, frozenset(mine - carried)), _values_hash=merged)
        fields = {**d.fields, "indicators": len(a.entries), "tasks": len(a.tasks), "count": "{count}"}
        message = self._message(code, fields, routed_from)
        if confirm and code in ("accepted.changed", "accepted.other_template"):  # overlapping parts
            message += "。" + msg("accepted.overlap", department=dept)
        changes: list[str] = []
        if current is not None:
            old_tasks = task_rows(self.conn, current.id)
            changes = changes_since(submission_values(self.conn, current.id), old_tasks, a, self.ctx)
            message = message.replace("{count}", str(len(changes)))
        archived = a.archived
        with self.batch.item() as c:
            if current is not None:
                supersede(c, current.id, "superseded.replaced", msg("superseded.replaced", department=dept))
            sid = self._insert(c, a, "accepted", code, message, dept, archived, current=True, confirm=confirm)
            self._store_values(c, sid, a, dept)
            if carried and current is not None:
                carry_rows(c, current.id, sid, carried)
            self.p.ledger.audit(
                c,
                "collect.accepted",
                file=a.display,
                sha256=a.sha256,
                round=self.round_name,
                department=dept,
                code=code,
                replaced=current.id if current else None,
                routed_from=routed_from or None,
                forced_from=d.fields.get("form_round") if code == "accepted.forced_round" else None,
                values={e.key: e.current.raw for e in a.entries},
                changes=changes,
            )
        self.seen.setdefault(a.sha256, now_iso())
        self.current[dept] = Current(
            sid, a.values_hash(), plausible_time(a.content_time), a.sha256, filled_keys(a) | carried
        )
        return FileResult(
            a.display, "accepted", dept, self.round_name, message, code, sid, confirm, changes, _problems(a)
        )


def _problems(a: Analysis) -> list[str]:
    out = [f.message for f in a.findings]
    out += [f.message for e in a.entries for f in e.problems]
    out += [f.message for t in a.tasks for f in t.problems]
    return out


def _problem_cells(a: Analysis) -> list[dict[str, Any]]:
    """The file's findings as the ledger stores them (code, fields, location, message), each with
    the cell it is about, for the 问题清单 and 退回修改 copies."""
    cells = {"本期值": "current_cell", "上期值": "previous_cell", "上级下达目标值": "target_cell"}
    located = [f.at(key=f.fields.get("key", "")) for f in a.findings]
    for e in a.entries:
        located += [f.at(key=e.key, sheet=e.sheet, cell=getattr(e, cells.get(f.fields.get("field", ""), "current_cell")))
                    for f in e.problems]  # fmt: skip
    for t in a.tasks:
        located += [f.at(key=t.key, sheet=t.sheet, cell=t.status_cell) for f in t.problems]
    return [{"key": "", "sheet": "", "cell": "", **f.to_dict()} for f in located]
