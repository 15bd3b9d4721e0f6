"""Collect returned files into a round: every input file gets exactly one result the clerk can
act on, accepted values enter the ledger with their source, and nothing is ever lost or altered.

Each file is written all-or-nothing (its own SAVEPOINT) and files are committed together at most
every half second (one fsync per batch, not per file): a crash or kill leaves the ledger as it was
at the last commit, and running collect again takes the remaining files.
Accepted (and other template) files are copied into the project's archive under their SHA-256.
"""

from __future__ import annotations

import dataclasses
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
from ..ledger.current import round_submissions
from ..ledger.evidence import attachments_of
from ..ledger.store import now_iso
from ..ledger.submissions import insert_submission, statuses_of
from ..messages import EcoDeskError, msg, os_reason
from ..project import Project
from .analyse import INTERNAL, Analysis, ReadContext, RowRule, analyse_job, init_worker, row_rule, worker_job
from .discover import discover
from .evidence import prepare, record_attachments, record_mails
from .evidence_links import link_collected
from .evidence_tables import tables_as_evidence
from .match import build_index
from .record import Decider, FileResult
from .record import store_values as store_values  # re-exported (corrections)
from .statuses import FileStatus

_Decider = Decider  # the name the bench and tests patch

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
STATUSES = tuple(FileStatus)
ERROR_LOG = Path("日志") / "回收出错记录.log"  # in the project folder: what support needs with the file
log = logging.getLogger("ecodesk.intake")
PARALLEL_FROM = 24  # files; below this, worker start-up costs more than it saves
CHUNK = 48  # files sent to a worker at a time (each chunk costs the main process ~1 ms)


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


def build_context(project: Project) -> ReadContext:
    cat = project.catalogue()
    return ReadContext(
        build_index(cat),
        row_rules(cat.indicators),
        {t.key: t.title for t in cat.tasks},
        str(project.archive_dir),
        str(project.root),
    )


def row_rules(indicators: Any) -> dict[str, RowRule]:
    """:func:`row_rule` of every indicator. A province's catalogue repeats each county's target
    texts, so a rule is parsed once per (target text, unit, direction, 不适用 mark) — all that
    ``row_rule`` reads besides the name — and given each indicator's name."""
    parsed: dict[tuple[Any, ...], RowRule] = {}
    out: dict[str, RowRule] = {}
    for ind in indicators:
        k = (ind.target_text, ind.unit, ind.better, ind.applicability_mark)
        base = parsed.get(k)
        if base is None:
            base = parsed[k] = row_rule(ind)
        out[ind.key] = base if base.name == ind.name else dataclasses.replace(base, name=ind.name)
    return out


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
        decider = Decider(project, rnd.id, rnd.name, ctx, force, commit_window)
        decider.drop = drop
        with decider.batch:
            _run(decider, jobs, result, workers, progress, cancel)
        _refresh(project, result)  # a file accepted earlier in this run may since have been replaced
        if drop.attachments and not result.cancelled:
            result.results += record_attachments(project, rnd.name, drop, result.results, ctx)
            _attach(project, result)
        if not result.cancelled:  # 佐证材料 to the rows that name them (also files sent before)
            tables_as_evidence(project, rnd.name, drop, result.results, ctx)
            link_collected(project, result.results)
        if progress and not result.cancelled:
            progress(total, total, "回收完成")
    finally:
        drop.cleanup()
        found.cleanup()
    return result


def _attach(project: Project, result: CollectResult) -> None:
    """List each accepted return's 佐证材料 with it."""
    rounds = {r.name: r.id for r in project.rounds()}
    for name in {r.round for r in result.results if r.submission_id and r.round}:
        found = attachments_of(project.ledger.conn, rounds[name])
        for r in result.results:
            if r.round == name and r.submission_id in found:
                r.attachments = found[r.submission_id]


def _run(
    decider: Decider,
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


def _internal(decider: Decider, a: Analysis, exc: BaseException | None = None) -> FileResult:
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
            sid = insert_submission(
                c,
                round_id=decider.round_id,
                sha256=a.sha256,
                original_name=a.name,
                original_path=a.display,
                archived_path=a.archived,
                received_at=now_iso(),
                status="internal",
                code=INTERNAL,
                message=message,
            )
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
    now = statuses_of(project.ledger.conn, ids)
    for r in result.results:
        row = now.get(r.submission_id or -1)
        if row is not None and row["status"] != r.status:
            r.status, r.code, r.message = row["status"], row["code"], row["message"]


def list_submissions(project: Project, round_name: str) -> list[FileResult]:
    """Every file received for a round, oldest first, with its status as it stands now."""
    rnd = project.round(round_name)
    out = []
    attached = attachments_of(project.ledger.conn, rnd.id)
    for r in round_submissions(project.ledger.conn, rnd.id):
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


def _analyses(jobs: list[tuple[str, str, str]], ctx: ReadContext, workers: int | None):
    n = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if n <= 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            yield analyse_job((*job, ctx))
        return
    # small chunks: results reach the decider while the workers read on, and no worker idles at
    # the end while the other finishes a long last chunk
    chunk = max(1, min(CHUNK, len(jobs) // (n * 8)))
    with ProcessPoolExecutor(max_workers=n, initializer=init_worker, initargs=(ctx,)) as pool:
        yield from pool.map(worker_job, jobs, chunksize=chunk)


def make_current(project: Project, submission_id: int, note: str = "") -> FileResult:
    """The clerk chooses a file by hand (see :func:`ecodesk.intake.corrections.reinstate`)."""
    from .corrections import reinstate

    return reinstate(project, None, submission_id, note)
