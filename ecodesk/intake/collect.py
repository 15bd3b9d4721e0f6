"""Collect returned files into a round: every input file gets exactly one result the clerk can
act on, accepted values enter the ledger with their source, and nothing is ever lost or altered.

Each file is written all-or-nothing (its own SAVEPOINT) and files are committed together at most
every half second (one fsync per batch, not per file): a crash or kill leaves the ledger as it was
at the last commit, and running collect again takes the remaining files.
Accepted (and other template) files are copied into the project's archive under their SHA-256.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import render
from ..ledger.store import GroupCommit, now_iso
from ..ledger.values import carry_rows, filled_rows
from ..messages import EcoDeskError, msg, os_reason
from ..project import Project
from .analyse import INTERNAL, Analysis, Context, analyse_job, init_worker, row_rule, worker_job
from .attribution import facts, filled_keys, only_rows, plausible_time
from .decide import (
    Current,
    Decision,
    LedgerView,
    decide,
)
from .discover import discover
from .evidence import Drop, prepare, record_attachments, record_mails
from .match import build_index
from .statuses import FileStatus

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
STATUSES = tuple(FileStatus)
ERROR_LOG = Path("日志") / "回收出错记录.log"  # in the project folder: what support needs with the file
log = logging.getLogger("ecodesk.intake")
PARALLEL_FROM = 24  # files; below this, worker start-up costs more than it saves


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


@dataclass
class CollectResult:
    round: str
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.status == s) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "cancelled": self.cancelled,
            "counts": self.counts(),
            "results": [r.to_dict() for r in self.results],
        }


def build_context(project: Project) -> Context:
    cat = project.catalogue()
    return Context(
        build_index(cat),
        {ind.key: row_rule(ind) for ind in cat.indicators},
        {t.key: t.title for t in cat.tasks},
        str(project.archive_dir),
        str(project.root),
    )


def collect(
    project: Project,
    round_name: str,
    paths: list[Path],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    force: bool = False,
    workers: int | None = None,
    commit_window: float = 0.5,
) -> CollectResult:
    """Look at every file under ``paths`` and record it in ``round_name``. ``commit_window``: how
    many seconds of work are committed together (0: every file on its own)."""
    from ..rounds import check_open

    rnd = project.round(round_name)
    check_open(rnd)
    ctx = build_context(project)
    found = discover([Path(p) for p in paths])
    result = CollectResult(rnd.name)
    drop = prepare(found)  # mails opened; attachments (佐证材料) set apart from possible returns
    try:
        for display, code, detail in drop.broken:
            result.results.append(
                FileResult(display, "unreadable", None, None, msg(code, detail=detail), code)
            )
        if drop.mails:
            record_mails(project, drop)
        jobs = [(str(s.path), s.display, s.name) for s in drop.forms]
        total = len(jobs)
        decider = _Decider(project, rnd.id, rnd.name, ctx, force, commit_window)
        decider.drop = drop
        with decider.batch:
            _run(decider, jobs, result, workers, progress, cancel)
        _refresh(project, result)  # a file accepted earlier in this run may since have been replaced
        if drop.attachments and not result.cancelled:
            result.results += record_attachments(project, rnd.name, drop, result.results, ctx)
            _attach(project, result)
        if progress and not result.cancelled:
            progress(total, total, "回收完成")
    finally:
        drop.cleanup()
        found.cleanup()
    return result


def _attach(project: Project, result: CollectResult) -> None:
    """List each accepted return's 佐证材料 with it."""
    from .evidence import attachments_of

    rounds = {r.name: r.id for r in project.rounds()}
    for name in {r.round for r in result.results if r.submission_id and r.round}:
        found = attachments_of(project.ledger.conn, rounds[name])
        for r in result.results:
            if r.round == name and r.submission_id in found:
                r.attachments = found[r.submission_id]


def _run(
    decider: _Decider,
    jobs: list[tuple[str, str, str]],
    result: CollectResult,
    workers: int | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    project, total = decider.p, len(jobs)
    for i, analysis in enumerate(_analyses(jobs, decider.ctx, workers)):
        if cancel and cancel():
            result.cancelled = True
            break
        if progress:
            progress(i, total, f"正在处理：{analysis.name}")
        try:
            if analysis.code == INTERNAL:
                result.results.append(_internal(decider, analysis))
            else:
                result.results.append(decider.decide(analysis))
        except EcoDeskError:
            raise
        except (OSError, sqlite3.OperationalError) as exc:  # our disk is full or read-only
            detail = os_reason(exc)
            raise EcoDeskError("project.not_writable", path=project.root, detail=detail) from exc
        except Exception as exc:  # a failure nobody foresaw: this file's result, the batch goes on
            result.results.append(_internal(decider, analysis, exc))


def _internal(decider: _Decider, a: Analysis, exc: BaseException | None = None) -> FileResult:
    """Record a file that failed in a way nobody foresaw as ``internal``: its traceback goes to the
    log (the app's, and the project's 日志 folder) and the clerk is told to send both to support.
    The file is not marked as seen, so collecting it again after a fix takes it."""
    import traceback

    trace = a.internal or ("".join(traceback.format_exception(exc)) if exc else "")
    detail = a.detail if a.code == INTERNAL else f"{type(exc).__name__}: {exc}"[:200]
    log.error("collect: %s failed\n%s", a.display, trace)
    try:
        path = decider.p.root / ERROR_LOG
        path.parent.mkdir(exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"{now_iso()} {a.display} (sha256 {a.sha256 or '?'})\n{trace}\n")
    except OSError:
        pass
    fields = {"detail": detail or "未知错误", "log": str(ERROR_LOG)}
    message = msg(INTERNAL, **fields)
    sid = None
    try:
        with decider.batch.item() as c:
            cur = c.execute(
                "INSERT INTO submissions(round_id, sha256, original_name, original_path, archived_path,"
                " received_at, status, code, message) VALUES(?,?,?,?,?,?,?,?,?)",
                (decider.round_id, a.sha256, a.name, a.display, a.archived, now_iso(), "internal", INTERNAL,
                 message),
            )  # fmt: skip
            sid = int(cur.lastrowid or 0)
            decider.p.ledger.audit(
                c,
                "collect.internal",
                file=a.display,
                sha256=a.sha256,
                round=decider.round_name,
                detail=detail,
            )
    except sqlite3.Error:
        log.exception("collect: could not record %s", a.display)
    return FileResult(a.display, "internal", None, decider.round_name, message, INTERNAL, sid)


def _refresh(project: Project, result: CollectResult) -> None:
    ids = [r.submission_id for r in result.results if r.submission_id and r.status == "accepted"]
    if not ids:
        return
    rows = project.ledger.conn.execute(
        f"SELECT id, status, code, message FROM submissions WHERE id IN ({','.join('?' * len(ids))})", ids
    )
    now = {r["id"]: r for r in rows}
    for r in result.results:
        row = now.get(r.submission_id or -1)
        if row is not None and row["status"] != r.status:
            r.status, r.code, r.message = row["status"], row["code"], row["message"]


def list_submissions(project: Project, round_name: str) -> list[FileResult]:
    """Every file received for a round, oldest first, with its status as it stands now."""
    from .evidence import attachments_of

    rnd = project.round(round_name)
    out = []
    attached = attachments_of(project.ledger.conn, rnd.id)
    for r in project.ledger.conn.execute(
        "SELECT * FROM submissions WHERE round_id = ? ORDER BY id", (rnd.id,)
    ):
        problems = [render(p) for p in json.loads(r["problems"])]
        out.append(
            FileResult(
                r["original_path"],
                r["status"],
                r["department"] or None,
                rnd.name,
                r["message"],
                r["code"],
                r["id"],
                bool(r["needs_confirmation"]),
                [],
                problems,
                attached.get(r["id"], []),
            )
        )
    return out


def _analyses(jobs: list[tuple[str, str, str]], ctx: Context, workers: int | None):
    n = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if n <= 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield analyse_job((*job, ctx))
        return
    with ProcessPoolExecutor(max_workers=n, initializer=init_worker, initargs=(ctx,)) as pool:
        yield from pool.map(worker_job, jobs, chunksize=max(1, len(jobs) // (n * 8)))


class _Decider:
    """Decides each file's status against the ledger and records it (one transaction per file)."""

    def __init__(
        self,
        project: Project,
        round_id: int,
        round_name: str,
        ctx: Context,
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
        self.others: dict[str, _Decider] = {round_name: self}  # deciders of the rounds files went to
        self.drop: Drop | None = None  # the mails files came in
        # what decisions look up, loaded once per run and kept up to date as files are recorded
        self.seen: dict[str, str] = {}
        for r in self.conn.execute(
            "SELECT sha256, received_at FROM submissions WHERE round_id = ? "
            "AND status IN ('accepted', 'superseded') ORDER BY id DESC",
            (round_id,),
        ):
            self.seen[r["sha256"]] = r["received_at"]
        self.latest: dict[str, tuple[int, str]] = {
            r["department"]: (r["version"], r["content_hash"])
            for r in self.conn.execute(
                "SELECT department, version, content_hash FROM issued_forms WHERE round_id = ? ORDER BY version",
                (round_id,),
            )
        }
        filled = filled_rows(self.conn, round_id)
        self.current: dict[str, Current] = {
            r["department"]: Current(
                r["id"],
                r["values_hash"],
                plausible_time(r["content_time"]),
                r["sha256"],
                filled.get(r["id"], frozenset()),
            )
            for r in self.conn.execute(
                "SELECT id, department, values_hash, content_time, sha256 FROM submissions WHERE round_id = ? "
                "AND is_current = 1",
                (round_id,),
            )
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
                f, **{
                    name: self.renamed.get(getattr(f, name), getattr(f, name))
                    for name in ("template_round", "title_round", "filename_round")
                }
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

    def _decider_of(self, round_name: str) -> _Decider:
        other = self.others.get(round_name)
        if other is None:
            other = _Decider(self.p, self.rounds[round_name], round_name, self.ctx, False, batch=self.batch)
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
        cur = c.execute(
            "INSERT INTO submissions(round_id, department, sha256, original_name, original_path, archived_path,"
            " received_at, content_time, status, code, message, form_round, issue_version, matched_by,"
            " needs_confirmation, is_current, forced, values_hash, problems, mail_id)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                self.round_id,
                dept or "",
                a.sha256,
                a.name,
                a.display,
                archived,
                now_iso(),
                a.content_time or "",
                status,
                code,
                message,
                (prov.round if prov else a.round) or "",
                prov.issue_version if prov else None,
                a.matched_by,
                int(confirm),
                int(current),
                int(self.force),
                a.values_hash() if a.entries or a.tasks else "",
                json.dumps(_problem_cells(a), ensure_ascii=False),
                self.drop.mail_ids.get(self.drop.mail_of(a.display)) if self.drop else None,
            ),
        )
        return int(cur.lastrowid or 0)

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
                c.execute(
                    "UPDATE submissions SET needs_confirmation = 1, code = ?, message = ? WHERE id = ?",
                    (flag, msg(flag, department=dept), current.id),
                )
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
            old_tasks = {
                r["task_key"]: r
                for r in self.conn.execute(
                    "SELECT * FROM task_reports WHERE submission_id = ?", (current.id,)
                )
            }
            changes = _diff(submission_values(self.conn, current.id), old_tasks, a, self.ctx)
            message = message.replace("{count}", str(len(changes)))
        archived = a.archived
        with self.batch.item() as c:
            if current is not None:
                c.execute(
                    "UPDATE submissions SET is_current = 0, status = 'superseded', code = ?, message = ? "
                    "WHERE id = ?",
                    ("superseded.replaced", msg("superseded.replaced", department=dept), current.id),
                )
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


def store_values(c: sqlite3.Connection, sid: int, a: Analysis, dept: str) -> None:
    """Record the values and task reports ``a`` carries, as ``dept``'s."""
    c.executemany(
        "INSERT INTO indicator_values(submission_id, indicator_key, department, sheet, row, current_cell,"
        " current_raw, current_kind, current_number, current_status, previous_cell, previous_raw,"
        " previous_number, period, target_cell, target_raw, target_number, not_applicable, source, note,"
        " evidence, flags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                sid,
                e.key,
                dept,
                e.sheet,
                e.row,
                e.current_cell,
                e.current.raw,
                e.current.kind,
                e.current.number,
                e.current.status,
                e.previous_cell,
                e.previous.raw,
                e.previous.number,
                e.period,
                e.target_cell,
                e.target.raw,
                e.target.number,
                int(e.not_applicable),
                e.source,
                e.note,
                e.evidence,
                _flags_json(tuple(sorted(set(e.current.flags) | {p[0] for p in e.problems}))),
            )
            for e in a.entries
        ],
    )
    c.executemany(
        "INSERT INTO task_reports(submission_id, task_key, department, sheet, row, status_cell, status_raw,"
        " status, progress, problems, plan, flags) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                sid,
                t.key,
                dept,
                t.sheet,
                t.row,
                t.status_cell,
                t.status.raw,
                t.status.status,
                t.progress,
                t.problems_text,
                t.plan,
                _flags_json(tuple(t.status.flags)),
            )
            for t in a.tasks
        ],
    )


@functools.lru_cache(maxsize=256)
def _flags_json(flags: tuple[str, ...]) -> str:
    """A value's flags as stored (a JSON list); the few lists that occur are encoded once."""
    return json.dumps(list(flags), ensure_ascii=False)


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


def _diff(old: dict[str, Any], old_tasks: dict[str, sqlite3.Row], a: Analysis, ctx: Context) -> list[str]:
    """What changed since the department's previous accepted file, one line per changed cell."""

    def short(text: str) -> str:
        return (text[:30] + "…") if len(text) > 30 else (text or "（空）")

    out = []
    for e in a.entries:
        before = old.get(e.key)
        name = ctx.row_rules[e.key].name if e.key in ctx.row_rules else e.key
        pairs = [
            ("本期值", before.current_raw if before else "", e.current.raw),
            ("上期值", before.previous_raw if before else "", e.previous.raw),
            ("上级下达目标值", before.target_raw if before else "", e.target.raw),
            ("数据来源", before.source if before else "", e.source),
            ("完成情况说明", before.note if before else "", e.note),
            ("佐证材料", before.evidence if before else "", e.evidence),
        ]
        out += [
            f"『{name}』{label}：{short(x)} → {short(y)}" for label, x, y in pairs if (x or "") != (y or "")
        ]
    for t in a.tasks:
        before = old_tasks.get(t.key)
        name = ctx.task_names.get(t.key, t.key)
        pairs = [
            ("完成状态", before["status_raw"] if before else "", t.status.raw),
            ("进展情况", before["progress"] if before else "", t.progress),
            ("存在问题", before["problems"] if before else "", t.problems_text),
            ("下步计划", before["plan"] if before else "", t.plan),
        ]
        out += [
            f"任务『{name}』{label}：{short(x)} → {short(y)}"
            for label, x, y in pairs
            if (x or "") != (y or "")
        ]
    return out


def make_current(project: Project, submission_id: int, note: str = "") -> FileResult:
    """The clerk chooses a file by hand (see :func:`ecodesk.intake.corrections.reinstate`)."""
    from .corrections import reinstate

    return reinstate(project, None, submission_id, note)
