"""Look at one returned file without touching the ledger: sniff, read, match rows, normalise
values. Pure and picklable, so large batches run in worker processes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..forms import layout as L
from ..forms.provenance import Provenance
from ..messages import os_reason
from ..numbers import display_number
from .match import CatalogueIndex, Row, label_from_filename, match_book
from .normalise import (
    TASK_STATUS_OPTIONS,
    Value,
    fraction_beside,
    normalise_cell,
    normalise_status,
    not_applicable,
)
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
    unit: str = ""  # typed after the number, it is dropped ("0.6 立方米/万元")
    typical: float = 0.0  # the largest number the rule compares with (a fraction below 1 against ≥95 is odd)


def row_rule(ind: Any) -> RowRule:
    """How intake reads an indicator of the catalogue (:class:`ecodesk.catalogue.Indicator`):
    from the same :func:`ecodesk.rules.entry.how_entered` the form writer uses."""
    from ..rules import indicator_rule
    from ..rules.entry import how_entered

    how = how_entered(indicator_rule(ind).rule, ind.unit, ind.applicability_mark)
    if how.kind == "status":
        return RowRule(True, how.options, how.accepted, False, ind.name, ind.unit)
    return RowRule(False, (), (), how.percent, ind.name, ind.unit, how.typical)


@dataclass(frozen=True)
class ReadContext:
    """What reading a return needs from the project, sent to each worker once: the catalogue's
    index (keys, names, numbers), how each indicator is entered, task names, and where to archive."""

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
    assigned: Value  # 上级下达目标值
    assigned_cell: str
    not_applicable: bool
    source: str
    note: str
    evidence: str
    problems: list[Finding] = field(default_factory=list)  # (message code, fields)


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
    problems: list[Finding] = field(default_factory=list)


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
    internal: str = ""  # the traceback when reading this file failed in a way nobody foresaw
    findings: list[Finding] = field(default_factory=list)  # about the file as a whole
    _values_hash: str = ""

    def values_hash(self) -> str:
        if not self._values_hash:
            self._values_hash = self._compute_values_hash()
        return self._values_hash

    def _compute_values_hash(self) -> str:
        blob = json.dumps(
            [
                [e.key, e.current.raw, e.previous.raw, e.period, e.assigned.raw, e.source, e.note, e.evidence]
                for e in sorted(self.entries, key=lambda e: e.key)
            ]
            + [
                [t.key, t.status.raw, t.progress, t.problems_text, t.plan]
                for t in sorted(self.tasks, key=lambda t: t.key)
            ],
            ensure_ascii=False,
        ).encode()
        return hashlib.sha256(blob).hexdigest()


_MADE: set[Path] = set()  # archive folders this process has made (or found)


def archive_copy(src: Path | bytes, sha256: str, name: str, ctx: ReadContext) -> str:
    """Copy a file (a path, or its bytes) into the archive as ``<sha[:2]>/<sha><ext>``
    (content-addressed, so copying twice is harmless and concurrent workers never clash); return
    it relative to the project."""
    if not ctx.archive_dir or not sha256:
        return ""
    suffix = Path(name).suffix.lower()[:8] or ".bin"
    target = Path(ctx.archive_dir) / sha256[:2] / f"{sha256}{suffix}"
    if not target.exists():
        tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
        for attempt in (1, 2):
            if target.parent not in _MADE or attempt == 2:  # one mkdir per folder and process
                target.parent.mkdir(parents=True, exist_ok=True)
                _MADE.add(target.parent)
            try:
                if isinstance(src, bytes):
                    tmp.write_bytes(src)
                else:
                    shutil.copyfile(src, tmp)
                break
            except FileNotFoundError:  # the folder went away since this process made it
                if attempt == 2:
                    raise
        os.replace(tmp, target)
    return str(target.relative_to(ctx.project_root)) if ctx.project_root else str(target)


def _archive(a: Analysis, path: Path | bytes, name: str, ctx: ReadContext) -> None:
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


def _long_text(row: Row, cid: str, label: str, name: str, problems: list[Finding]) -> str:
    """A text cell, cut at MAX_TEXT characters; a cut is reported."""
    value = _cell(row, cid)[0]
    text = _text(value, MAX_TEXT * 100)
    if len(text) > MAX_TEXT:
        where = {"sheet": row.sheet, "row": row.row, "name": name, "field": label}
        problems.append(Finding("value.too_long", {**where, "length": len(text), "limit": MAX_TEXT}))
    return text[:MAX_TEXT]


def _info(row: Row, cid: str) -> Any:
    c = row.cells.get(cid)
    return c.info if c else None


def _status_value(raw: Any, info: Any, options: Sequence[str], accepted: Sequence[str]) -> Value:
    """A status cell (an indicator's or a task's 完成状态): an Excel error, or a formula whose result
    was not saved, is what it is (never read as an empty answer); anything else is matched to the
    options."""
    if info is not None and info.error:
        return Value(info.error, "error", flags=("excel_error",))
    if info is not None and not info.cached:
        return Value("=" + info.formula, "error", flags=("formula_no_result",))
    return normalise_status(raw, options, accepted)


def _entry(row: Row, rule: RowRule) -> Entry:
    raw_cur, cur_ref = _cell(row, "current")
    na, why = not_applicable(raw_cur)  # "不 适 用", "不适用。", "不适用（本县无此类水体）"
    if rule.status:
        cur = _status_value(raw_cur, _info(row, "current"), rule.options, rule.accepted)
        if cur.status == L.NOT_APPLICABLE:
            na = True
    else:
        cur = normalise_cell(raw_cur, _info(row, "current"), rule.unit, rule.percent)
    if cur_ref and cur_ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != str(row.row) and cur.kind != "empty":
        cur = Value(cur.raw, cur.kind, cur.number, cur.status, (*cur.flags, "merged"))  # a merged cell
    prev_raw, prev_ref = _cell(row, "previous")
    tgt_raw, tgt_ref = _cell(row, "assigned")
    problems: list[Finding] = []
    e = Entry(
        key=row.key,
        sheet=row.sheet,
        row=row.row,
        current=cur,
        current_cell=cur_ref,
        previous=normalise_cell(prev_raw, _info(row, "previous"), rule.unit, rule.percent),
        previous_cell=prev_ref,
        period=_text(_cell(row, "period")[0], 20),
        assigned=normalise_cell(tgt_raw, _info(row, "assigned"), rule.unit, rule.percent),
        assigned_cell=tgt_ref,
        not_applicable=na,
        source=_long_text(row, "source", "数据来源", rule.name, problems),
        note=_long_text(row, "note", "完成情况说明", rule.name, problems),
        evidence=_long_text(row, "evidence", "佐证材料", rule.name, problems),
    )
    if na and why and not e.note:  # the reason was written beside 不适用, not in 完成情况说明
        e.note = why[:MAX_TEXT]
    for label, v, is_current in (
        ("本期值", cur, True),
        ("上期值", e.previous, False),
        ("上级下达目标值", e.assigned, False),
    ):
        if is_current and na:
            continue
        base = {"sheet": row.sheet, "row": row.row, "name": rule.name, "field": label, "raw": v.raw}
        if "not_number" in v.flags:
            e.problems.append(Finding("value.not_number", base))
        elif "unknown_status" in v.flags:
            e.problems.append(Finding("value.unknown_status", {**base, "options": "、".join(rule.options)}))
        elif "excel_error" in v.flags:
            e.problems.append(Finding("value.excel_error", base))
        elif "formula_no_result" in v.flags:
            e.problems.append(Finding("value.formula_no_result", base))
        elif "date" in v.flags:
            e.problems.append(Finding("value.date", base))
        elif "inequality" in v.flags:
            e.problems.append(Finding("value.inequality", base))
        elif "unit_other" in v.flags:
            e.problems.append(Finding("value.unit_other", {**base, "unit": rule.unit}))
        elif is_current and "blank_marker" in v.flags:  # "/", "—", "无": what it means is the department's
            e.problems.append(Finding("value.blank_marker", base))
        if v.number is not None and rule.percent and not (0 <= v.number <= 100) and not rule.status:
            e.problems.append(Finding("value.out_of_range", base))
        if is_current and _bare_fraction(v, rule, e):
            assert v.number is not None
            e.problems.append(
                Finding("value.fraction", {**base, "scaled": display_number(round(v.number * 100, 10))})
            )
        elif not is_current and rule.percent and not rule.status and fraction_beside(v, cur):
            scaled = display_number(round((v.number or 0) * 100, 10))
            e.problems.append(Finding("value.fraction_other", {**base, "scaled": scaled, "current": cur.raw}))
    e.problems += problems
    return e


def _bare_fraction(v: Value, rule: RowRule, e: Entry) -> bool:
    """A number between 0 and 1 typed without a percent sign or format on a percentage indicator
    whose rule (or the row's own previous/assigned values) speaks of larger numbers: 0.952 against
    ≥95 is almost surely 95.2%, but deciding that is the department's, not ours."""
    if rule.status or not rule.percent or v.kind != "number" or v.number is None:
        return False
    if not 0 < v.number <= 1 or {"percent_format", "percent_sign"} & set(v.flags):
        return False
    others = [x.number for x in (e.previous, e.assigned) if x.number is not None]
    return rule.typical > 1 or any(x > 1 for x in others)


def _task(row: Row, name: str) -> TaskEntry:
    raw, ref = _cell(row, "status")
    status = _status_value(raw, _info(row, "status"), TASK_STATUS_OPTIONS, TASK_STATUS_OPTIONS[:1])
    problems: list[Finding] = []
    t = TaskEntry(
        row.key,
        row.sheet,
        row.row,
        ref,
        status,
        _long_text(row, "progress", "进展情况", name, problems),
        _long_text(row, "problems", "存在问题", name, problems),
        _long_text(row, "plan", "下步计划", name, problems),
    )
    where = {"sheet": row.sheet, "row": row.row, "name": name, "raw": status.raw}
    for flag in ("unknown_status", "formula_no_result", "excel_error"):
        if flag in status.flags:
            t.problems.append(Finding(f"task.{flag}", where))
    t.problems += problems
    return t


def _file_findings(a: Analysis, ctx: ReadContext) -> None:
    """What is odd about the file as a whole: no rows, rows missing, nothing filled in."""
    if not a.has_form_layout:
        return
    dept = a.department
    if not a.entries and not a.tasks:
        a.findings.append(Finding("form.no_rows", {}))
    elif dept and dept in ctx.index.indicators_of:
        expected = ctx.index.indicators_of[dept] | ctx.index.tasks_of.get(dept, frozenset())
        found = {e.key for e in a.entries} | {t.key for t in a.tasks}
        missing = sorted(expected - found, key=lambda k: ctx.index.labels.get(k, k))
        if missing and found & expected:
            names = "、".join(f"『{ctx.index.labels.get(k, k)}』" for k in missing[:5])
            more = f"等 {len(missing)} 项" if len(missing) > 5 else ""
            a.findings.append(Finding("form.rows_missing", {"count": len(missing), "names": names + more}))
    filled = any(
        e.current.kind != "empty" or e.previous.kind != "empty" or e.assigned.kind != "empty"
        or e.source or e.note or e.evidence
        for e in a.entries
    ) or any(t.status.kind != "empty" or t.progress or t.problems_text or t.plan for t in a.tasks)  # fmt: skip
    filled = filled or any(x.raw.strip() for x in (*(e.current for e in a.entries), *(t.status for t in a.tasks)))
    if (a.entries or a.tasks) and not filled:  # a "/" typed is not a blank template
        a.findings.append(Finding("form.untouched", {"department": dept or "报送部门"}))


def analyse(path: Path, display: str, name: str, ctx: ReadContext) -> Analysis:
    a = Analysis(display=display, name=name)
    if name.startswith("~$") or name.startswith(".~lock"):
        a.code = "unreadable.lock_file"
        return a
    s = sniff(path)
    if s.data:
        a.sha256 = hashlib.sha256(s.data).hexdigest()
        _archive(a, s.data, name, ctx)
    if s.code:
        a.code, a.detail = _wps(name, s.code), s.detail
        return a
    a.kind = s.kind
    try:
        book = read_book(s.data, s.kind, s.props, s.package, s.app)
    except ReadError as exc:
        a.code, a.detail = _wps(name, exc.code), exc.detail
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
    a.findings = list(m.findings)
    _file_findings(a, ctx)
    a.values_hash()  # worked out here, in the worker, not in the process that records the files
    return a


WPS_SUFFIXES = (".et", ".ett")  # WPS 表格's own formats: usually BIFF8 inside, read as .xls


def _wps(name: str, code: str) -> str:
    """A WPS file no reader could open is not "damaged" or "not a spreadsheet": it is WPS's own
    format, and the department can re-save it as .xlsx in WPS (the message says how)."""
    if Path(name).suffix.lower() in WPS_SUFFIXES and code in ("unreadable.not_spreadsheet", "unreadable.corrupt"):
        return "unreadable.wps"
    return code


_WORKER_CONTEXT: ReadContext | None = None


def init_worker(ctx: ReadContext) -> None:
    """Give a worker process the context once, instead of pickling it with every file."""
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = ctx


def worker_job(job: tuple[str, str, str]) -> Analysis:
    assert _WORKER_CONTEXT is not None, "init_worker was not called"
    return analyse_job((*job, _WORKER_CONTEXT))


def analyse_job(job: tuple[str, str, str, ReadContext]) -> Analysis:
    """Worker entry point; never raises: an error nobody foresaw becomes that file's ``internal``
    result (with its traceback, for the log), and the rest of the batch goes on."""
    path, display, name, ctx = job
    try:
        return analyse(Path(path), display, name, ctx)
    except Exception as exc:  # last line of defence: one bad file must not stop a batch
        return internal_analysis(Path(path), display, name, exc)


def internal_analysis(path: Path, display: str, name: str, exc: BaseException) -> Analysis:
    """The result of a file whose reading failed unexpectedly."""
    sha = ""
    with contextlib.suppress(OSError):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Analysis(
        display=display,
        name=name,
        sha256=sha,
        code=INTERNAL,
        detail=f"{type(exc).__name__}: {exc}"[:200],
        internal="".join(traceback.format_exception(exc)),
    )


INTERNAL = "internal.error"
