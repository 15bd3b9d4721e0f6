"""Look at one returned file without touching the ledger: sniff, read, match rows, normalise
values. Pure and picklable, so large batches run in worker processes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..forms import layout as L
from ..forms.provenance import Provenance
from ..messages import os_reason
from .match import CatalogueIndex, Row, label_from_filename, match_book
from .normalise import TASK_STATUS_OPTIONS, Value, normalise_number, normalise_status
from .reader import ReadError, read_book
from .sniff import sniff

MAX_TEXT = 2000  # longest note/progress text kept per cell


@dataclass(frozen=True)
class RowRule:
    """How to read one indicator's 本期值."""

    status: bool  # qualitative: a status from options
    options: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    percent: bool = False
    name: str = ""


@dataclass(frozen=True)
class Context:
    index: CatalogueIndex
    row_rules: dict[str, RowRule]
    task_names: dict[str, str]
    archive_dir: str = ""  # the project's archive: files are copied there under their SHA-256
    project_root: str = ""


@dataclass
class Entry:
    key: str
    sheet: str
    row: int
    current: Value
    current_cell: str
    previous: Value
    previous_cell: str
    period: str
    target: Value
    target_cell: str
    not_applicable: bool
    source: str
    note: str
    evidence: str
    problems: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (message code, fields)


@dataclass
class TaskEntry:
    key: str
    sheet: str
    row: int
    status_cell: str
    status: Value
    progress: str
    problems_text: str
    plan: str
    problems: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Analysis:
    display: str
    name: str
    sha256: str = ""
    kind: str = ""
    code: str = ""  # unreadable.* when the file cannot be used
    detail: str = ""
    content_time: str | None = None
    provenance: Provenance | None = None
    department: str | None = None
    round: str | None = None
    filename_department: str | None = None
    filename_round: str | None = None
    matched_by: str = ""
    has_form_layout: bool = False
    provenance_broken: bool = False
    entries: list[Entry] = field(default_factory=list)
    tasks: list[TaskEntry] = field(default_factory=list)
    unknown_rows: list[str] = field(default_factory=list)
    archived: str = ""  # path of the archive copy, relative to the project folder
    archive_error: str = ""  # the archive copy could not be written (full or read-only disk)
    _values_hash: str = ""

    def values_hash(self) -> str:
        if not self._values_hash:
            self._values_hash = self._compute_values_hash()
        return self._values_hash

    def _compute_values_hash(self) -> str:
        blob = json.dumps(
            [
                [e.key, e.current.raw, e.previous.raw, e.period, e.target.raw, e.source, e.note, e.evidence]
                for e in sorted(self.entries, key=lambda e: e.key)
            ]
            + [
                [t.key, t.status.raw, t.progress, t.problems_text, t.plan]
                for t in sorted(self.tasks, key=lambda t: t.key)
            ],
            ensure_ascii=False,
        ).encode()
        return hashlib.sha256(blob).hexdigest()


def archive_copy(src: Path | bytes, sha256: str, name: str, ctx: Context) -> str:
    """Copy a file (a path, or its bytes) into the archive as ``<sha[:2]>/<sha><ext>``
    (content-addressed, so copying twice is harmless and concurrent workers never clash); return
    it relative to the project."""
    if not ctx.archive_dir or not sha256:
        return ""
    suffix = Path(name).suffix.lower()[:8] or ".bin"
    target = Path(ctx.archive_dir) / sha256[:2] / f"{sha256}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
        if isinstance(src, bytes):
            tmp.write_bytes(src)
        else:
            shutil.copyfile(src, tmp)
        os.replace(tmp, target)
    return str(target.relative_to(ctx.project_root)) if ctx.project_root else str(target)


def _archive(a: Analysis, path: Path | bytes, name: str, ctx: Context) -> None:
    """Archive in the worker; a failure here is our disk's, not the file's: the decider stops the run."""
    try:
        a.archived = archive_copy(path, a.sha256, name, ctx)
    except OSError as exc:
        a.archive_error = os_reason(exc)


def _text(cell: Any, limit: int = MAX_TEXT) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    s = str(cell).strip()
    return s[:limit]


def _cell(row: Row, cid: str) -> tuple[Any, str]:
    c = row.cells.get(cid)
    return (c.value, c.ref) if c else (None, "")


def _entry(row: Row, rule: RowRule) -> Entry:
    raw_cur, cur_ref = _cell(row, "current")
    na = _text(raw_cur) in (L.NOT_APPLICABLE, "不涉及")
    if rule.status:
        cur = normalise_status(raw_cur, rule.options, rule.accepted)
        if cur.status == L.NOT_APPLICABLE:
            na = True
    else:
        cur = normalise_number(raw_cur)
    prev_raw, prev_ref = _cell(row, "previous")
    tgt_raw, tgt_ref = _cell(row, "assigned")
    e = Entry(
        key=row.key,
        sheet=row.sheet,
        row=row.row,
        current=cur,
        current_cell=cur_ref,
        previous=normalise_number(prev_raw),
        previous_cell=prev_ref,
        period=_text(_cell(row, "period")[0], 20),
        target=normalise_number(tgt_raw),
        target_cell=tgt_ref,
        not_applicable=na,
        source=_text(_cell(row, "source")[0]),
        note=_text(_cell(row, "note")[0]),
        evidence=_text(_cell(row, "evidence")[0]),
    )
    for label, v, is_current in (
        ("本期值", cur, True),
        ("上期值", e.previous, False),
        ("上级下达目标值", e.target, False),
    ):
        if is_current and na:
            continue
        base = {"sheet": row.sheet, "row": row.row, "name": rule.name, "field": label, "raw": v.raw}
        if "not_number" in v.flags:
            e.problems.append(("value.not_number", base))
        elif "unknown_status" in v.flags:
            e.problems.append(("value.unknown_status", {**base, "options": "、".join(rule.options)}))
        elif "excel_error" in v.flags:
            e.problems.append(("value.excel_error", base))
        elif "date" in v.flags:
            e.problems.append(("value.date", base))
        elif "inequality" in v.flags:
            e.problems.append(("value.inequality", base))
        if v.number is not None and rule.percent and not (0 <= v.number <= 100) and not rule.status:
            e.problems.append(("value.out_of_range", base))
    return e


def _task(row: Row, name: str) -> TaskEntry:
    raw, ref = _cell(row, "status")
    status = normalise_status(raw, TASK_STATUS_OPTIONS, TASK_STATUS_OPTIONS[:1])
    t = TaskEntry(
        row.key,
        row.sheet,
        row.row,
        ref,
        status,
        _text(_cell(row, "progress")[0]),
        _text(_cell(row, "problems")[0]),
        _text(_cell(row, "plan")[0]),
    )
    if "unknown_status" in status.flags:
        t.problems.append(
            ("task.unknown_status", {"sheet": row.sheet, "row": row.row, "name": name, "raw": status.raw})
        )
    return t


def analyse(path: Path, display: str, name: str, ctx: Context) -> Analysis:
    a = Analysis(display=display, name=name)
    if name.startswith("~$") or name.startswith(".~lock"):
        a.code = "unreadable.lock_file"
        return a
    s = sniff(path)
    if s.data:
        a.sha256 = hashlib.sha256(s.data).hexdigest()
        _archive(a, s.data, name, ctx)
    if s.code:
        a.code, a.detail = s.code, s.detail
        return a
    a.kind = s.kind
    try:
        book = read_book(s.data, s.kind, s.props)
    except ReadError as exc:
        a.code, a.detail = exc.code, exc.detail
        return a
    except OSError as exc:
        a.code, a.detail = "unreadable.io", os_reason(exc)
        return a
    a.content_time = book.content_time
    m = match_book(book, ctx.index)
    a.provenance, a.department, a.round = m.provenance, m.department, m.round
    a.matched_by, a.has_form_layout, a.unknown_rows = m.by, m.has_form_layout, m.unknown_rows
    a.provenance_broken = m.provenance_broken
    a.filename_round, a.filename_department = label_from_filename(Path(name))
    for row in m.indicator_rows:
        rule = ctx.row_rules.get(row.key)
        if rule is not None:
            a.entries.append(_entry(row, rule))
    for row in m.task_rows:
        a.tasks.append(_task(row, ctx.task_names.get(row.key, "")))
    return a


_WORKER_CONTEXT: Context | None = None


def init_worker(ctx: Context) -> None:
    """Give a worker process the context once, instead of pickling it with every file."""
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = ctx


def worker_job(job: tuple[str, str, str]) -> Analysis:
    assert _WORKER_CONTEXT is not None, "init_worker was not called"
    return analyse_job((*job, _WORKER_CONTEXT))


def analyse_job(job: tuple[str, str, str, Context]) -> Analysis:
    """Worker entry point; never raises (an unexpected error becomes an unreadable result)."""
    path, display, name, ctx = job
    try:
        return analyse(Path(path), display, name, ctx)
    except Exception as exc:  # last line of defence: one bad file must not stop a batch
        return Analysis(
            display=display, name=name, code="unreadable.corrupt", detail=f"{type(exc).__name__}: {exc}"[:200]
        )
