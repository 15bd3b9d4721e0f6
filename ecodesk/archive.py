"""台账 archive for 技术评估 and 考核验收: every indicator's evidence copied into one folder per
indicator, with an index workbook that prints on A4.

``FOLDER/台账目录.xlsx`` — one row per indicator and evidence file (领域, 序号, 指标名称, 责任部门,
file name as sent, type, pages, received date, sha256, where the copy is); missing evidence
highlighted. ``FOLDER/<序号 指标名称>/<部门>_<original name>`` — the copies;
``FOLDER/未归类/…`` — files no indicator is assigned to yet (listed in the index, not in the JSON,
whose shape is the one issue 16 fixed).

Building twice gives the same tree (and the same index bytes): names are derived from the ledger
only, clashes are broken by the file's hash, and the workbook carries a fixed creation time. A
folder exported before is brought up to date (files it no longer lists are removed); any other
non-empty folder is refused. Paths are shortened to stay within Windows' 260 characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from .forms.issue import safe_filename
from .intake.evidence_desk import EvidenceFile, RoundEvidence, round_evidence
from .intake.evidence_links import pages_of
from .messages import EcoDeskError, msg, os_reason
from .project import Project
from .rules.evidence import needs_evidence
from .xlsx.atomic import atomic_workbook
from .xlsx.page import Page, print_a4

INDEX_NAME = "台账目录.xlsx"
MANIFEST = ".ecodesk-台账.json"
UNASSIGNED = "未归类"
#: what Windows allows (MAX_PATH 260, one for the terminating NUL)
WINDOWS_MAX_PATH = 259
#: the folder the archive is assumed to sit in on a clerk's PC when ours is shorter, e.g.
#: C:\Users\某某某\Documents\生态文明建设示范区创建\2025年第二轮台账
TYPICAL_ROOT = 64
MAX_FOLDER = 40  # characters of one indicator folder name

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


@dataclass
class ArchiveItem:
    indicator_key: str
    number: str
    name: str
    department: str
    file: str  # the name as the department sent it
    path: str  # the copy, absolute
    sha256: str
    domain: str = ""
    kind: str = ""
    pages: int | None = None
    received: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        keys = ("indicator_key", "number", "name", "department", "file", "path", "sha256")
        return {k: getattr(self, k) for k in keys}


@dataclass
class ArchiveResult:
    index: Path
    items: list[ArchiveItem] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    unassigned: list[dict[str, Any]] = field(default_factory=list)
    cancelled: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``ecodesk archive --json``: index, items, and missing once per indicator
        and department."""
        missing = {(m["indicator_key"], m["department"]): m for m in self.missing}
        return {
            "index": str(self.index),
            "items": [i.to_dict() for i in self.items],
            "missing": [
                {"indicator_key": k, "name": m["name"], "department": d} for (k, d), m in missing.items()
            ],
        }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _file_name(dept: str, original: str, limit: int, sha: str, clash: bool) -> str:
    p = PurePath(safe_filename(original))
    ext = p.suffix[:10] if len(p.suffix) <= 10 else ""
    stem = p.stem if ext else p.name
    tag = f"_{sha[:8]}" if clash else ""
    base = f"{safe_filename(dept)}_{stem}"
    room = max(limit - len(ext) - len(tag), 8)
    if len(base) > room:
        base, tag = base[: room - 10].rstrip() + "…", f"_{sha[:8]}"  # shortened: the hash keeps it unique
    return f"{base}{tag}{ext}"


def _folder_name(number: str, name: str) -> str:
    return _clip(safe_filename(f"{number} {name}".strip()), MAX_FOLDER)


def plan(project: Project, round_name: str, out: Path, ev: RoundEvidence | None = None) -> ArchiveResult:
    """Where every file goes, without copying anything."""
    ev = ev if ev is not None else round_evidence(project, round_name)
    cat = project.catalogue()
    out = Path(out).resolve()
    root = max(len(str(out)), TYPICAL_ROOT) + 1
    room = WINDOWS_MAX_PATH - root  # for "<folder>\<file>"
    result = ArchiveResult(out / INDEX_NAME)
    used: set[str] = set()

    def place(folder: str, f: EvidenceFile) -> str:
        limit = max(room - len(folder) - 1, 24)
        for clash in (False, True):
            name = _file_name(f.department or "未知部门", f.name, limit, f.sha256, clash)
            rel = f"{folder}/{name}"
            if rel.lower() not in used:
                used.add(rel.lower())
                return rel
        return rel  # the same file twice in one folder (two departments sent it): one copy

    missing_by = {}
    for m in ev.missing:
        missing_by.setdefault(m.indicator_key, []).append(m)
    for ind in cat.indicators:
        folder = _folder_name(ind.number, ind.name)
        links = sorted(
            ev.for_indicator(ind.key),
            key=lambda lf: (lf[1].department != ind.responsible, lf[1].department, lf[1].name, lf[1].sha256),
        )
        for ln, f in links:
            note = ""
            if ln.matched_by == "close" and not ln.confirmed:
                note = f"按名称近似匹配（表中填写『{ln.named}』），待确认"
            elif ln.matched_by == "clerk":
                note = "人工指定" + (f"：{ln.note}" if ln.note else "")
            result.items.append(
                ArchiveItem(
                    ind.key,
                    ind.number,
                    ind.name,
                    f.department,
                    f.name,
                    str(out / place(folder, f)),
                    f.sha256,
                    ind.domain,
                    f.kind,
                    pages_of(project.root / f.archived_path),
                    f.received_at[:10],
                    note,
                )
            )
        for m in missing_by.get(ind.key, []):
            result.missing.append(
                {"indicator_key": ind.key, "name": ind.name, "department": m.department, "named": m.named}
            )
    for f in sorted(ev.unassigned(), key=lambda f: (f.department, f.name, f.sha256)):
        rel = place(UNASSIGNED, f)
        result.unassigned.append(
            {
                "department": f.department,
                "file": f.name,
                "path": str(out / rel),
                "sha256": f.sha256,
                "id": f.id,
            }
        )
    return result


def build_archive(
    project: Project,
    round_name: str,
    out: Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ArchiveResult:
    rnd = project.round(round_name)
    ev = round_evidence(project, rnd.name)
    out = Path(out).resolve()
    manifest = out / MANIFEST
    previous: list[str] = []
    if out.exists() and any(out.iterdir()):
        if not manifest.is_file():
            raise EcoDeskError("archive.not_empty", path=out)
        try:
            previous = list(json.loads(manifest.read_text("utf-8")).get("files", []))
        except (ValueError, OSError):
            previous = []
    result = plan(project, rnd.name, out, ev)
    copies: list[tuple[Path, str, str]] = []  # (target, sha, archived path)
    by_sha = {f.sha256: f for f in ev.files.values()}
    for it in result.items:
        copies.append((Path(it.path), it.sha256, by_sha[it.sha256].archived_path))
    for u in result.unassigned:
        copies.append((Path(u["path"]), u["sha256"], by_sha[u["sha256"]].archived_path))
    wanted = {str(Path(t).relative_to(out)) for t, _, _ in copies} | {INDEX_NAME}
    out.mkdir(parents=True, exist_ok=True)
    for rel in previous:  # what an earlier export put here and is no longer listed
        if rel not in wanted and ".." not in PurePath(rel).parts:
            target = out / rel
            if target.is_file():
                target.unlink()
    total = len(copies) + 1
    for n, (target, sha, archived) in enumerate(copies):
        if cancel and cancel():
            result.cancelled = True
            break
        if progress:
            progress(n, total, f"正在复制：{target.name}")
        src = project.root / archived
        if not src.is_file():
            raise EcoDeskError("archive.source_missing", path=src)
        if target.is_file() and target.stat().st_size == src.stat().st_size and _sha(target) == sha:
            continue
        tmp = target.parent / f".{sha[:16]}.part"  # short: the target may be at Windows' limit
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, tmp)
            os.replace(tmp, target)
        except OSError as exc:  # a full disk, a read-only stick, a file open elsewhere
            tmp.unlink(missing_ok=True)
            raise EcoDeskError("report.write_failed", path=target, detail=os_reason(exc)) from exc
    for d in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()
    if progress and not result.cancelled:
        progress(total - 1, total, "正在生成台账目录")
    if not result.cancelled:
        write_index(project, rnd.name, result, ev)
        try:
            manifest.write_text(
                json.dumps({"round": rnd.name, "files": sorted(wanted)}, ensure_ascii=False, indent=1),
                "utf-8",
            )
        except OSError as exc:
            raise EcoDeskError("report.write_failed", path=manifest, detail=os_reason(exc)) from exc
        if not getattr(project, "read_only", False):  # a read-only window may still export
            with project.ledger.transaction() as c:
                project.ledger.audit(
                    c,
                    "archive.build",
                    round=rnd.name,
                    folder=str(out),
                    files=len(copies),
                    missing=len(result.missing),
                )
        if progress:
            progress(total, total, "台账已导出")
    return result


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


HEADER = (
    "领域",
    "序号",
    "指标名称",
    "责任部门",
    "文件名",
    "类型",
    "页数",
    "收到日期",
    "档案位置",
    "SHA-256",
    "说明",
)
WIDTHS = (8, 5, 22, 16, 24, 5, 4, 10, 28, 18, 20)
MISSING_FILL = "#FFC7CE"


def write_index(project: Project, round_name: str, result: ArchiveResult, ev: RoundEvidence) -> Path:
    county = project.info().county
    stamps = [f.received_at for f in ev.files.values()] or ["2000-01-01T00:00:00"]
    created = dt.datetime.fromisoformat(max(stamps)[:19])  # fixed: the same archive, the same bytes
    title = f"{round_name} 创建工作台账目录"
    with atomic_workbook(result.index, title, county) as wb:
        wb.set_properties({"title": title, "company": county, "author": "EcoDesk", "created": created})
        _index_sheet(wb, project, round_name, result, ev)
    return result.index


def _index_sheet(
    wb: Any, project: Project, round_name: str, result: ArchiveResult, ev: RoundEvidence
) -> None:
    cat = project.catalogue()
    county = project.info().county
    out = result.index.parent
    base = {"font_name": "宋体", "font_size": 9, "border": 1, "text_wrap": True, "valign": "vcenter"}
    f_title = wb.add_format({"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"})
    f_sub = wb.add_format({"font_name": "宋体", "font_size": 10, "align": "right", "valign": "vcenter"})
    f_head = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9D9D9"})
    f_cell = wb.add_format(base)
    f_center = wb.add_format({**base, "align": "center"})
    f_hash = wb.add_format({**base, "font_name": "Consolas", "font_size": 6.5})
    f_miss = wb.add_format({**base, "bg_color": MISSING_FILL, "bold": True})
    f_miss_c = wb.add_format({**base, "bg_color": MISSING_FILL, "align": "center"})
    f_group = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
    ws = wb.add_worksheet("台账目录")
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w)
    last = len(HEADER) - 1
    ws.merge_range(0, 0, 0, last, f"{county}生态文明建设示范区创建工作台账目录（{round_name}）", f_title)
    ws.set_row(0, 30)
    n_missing = len(result.missing)
    ws.merge_range(
        1,
        0,
        1,
        last,
        f"佐证材料 {len(result.items)} 份，缺 {n_missing} 项，未归类 {len(result.unassigned)} 份",
        f_sub,
    )
    for c, h in enumerate(HEADER):
        ws.write_string(2, c, h, f_head)
    r = 3
    items_by = {}
    for it in result.items:
        items_by.setdefault(it.indicator_key, []).append(it)
    missing_by = {}
    for m in result.missing:
        missing_by.setdefault(m["indicator_key"], []).append(m)

    def rel(path: str) -> str:
        return str(PurePath(os.path.relpath(path, out))).replace(os.sep, "\\")

    for ind in cat.indicators:
        its, miss = items_by.get(ind.key, []), missing_by.get(ind.key, [])
        lead = "、".join(ind.departments)
        if not its and not miss:
            row = (ind.domain, ind.number, ind.name, lead, "—", "", "", "", "", "", "")
            note = "无需佐证材料" if not needs_evidence(ind) else "尚无报送"
            for c, v in enumerate(row[:-1]):
                ws.write_string(r, c, str(v), f_center if c in (1, 5, 6, 7) else f_cell)
            ws.write_string(r, last, note, f_cell)
            ws.set_row(r, _height((*row[:-1], note)))
            r += 1
            continue
        for it in its:
            row = (
                ind.domain,
                ind.number,
                ind.name,
                it.department,
                it.file,
                it.kind,
                _pages_text(it.pages),
                it.received,
                rel(it.path),
                it.sha256,
                it.note,
            )
            for c, v in enumerate(row):
                ws.write_string(r, c, v, f_hash if c == 9 else (f_center if c in (1, 5, 6, 7) else f_cell))
            ws.set_row(r, _height(row))
            r += 1
        for m in miss:
            what = f"未收到：{m['named']}" if m["named"] else msg("evidence.missing_none")
            row = (
                ind.domain,
                ind.number,
                ind.name,
                m["department"],
                what,
                "",
                "",
                "",
                "",
                "",
                "请部门补充报送",
            )
            for c, v in enumerate(row):
                ws.write_string(r, c, v, f_miss_c if c in (1, 5, 6, 7) else f_miss)
            ws.set_row(r, _height(row))
            r += 1
    if result.unassigned:
        ws.merge_range(r, 0, r, last, f"{UNASSIGNED}（尚未对应到指标的佐证材料）", f_group)
        r += 1
        by_id = ev.files
        for u in result.unassigned:
            f = by_id[u["id"]]
            row = (
                "",
                "",
                "",
                u["department"] or "（未知部门）",
                u["file"],
                f.kind,
                _pages_text(pages_of(project.root / f.archived_path)),
                f.received_at[:10],
                rel(u["path"]),
                u["sha256"],
                "请在“佐证材料”页中指定对应指标",
            )
            for c, v in enumerate(row):
                ws.write_string(r, c, v, f_hash if c == 9 else (f_center if c in (1, 5, 6, 7) else f_cell))
            ws.set_row(r, _height(row))
            r += 1
    print_a4(ws, Page(repeat=(2, 2), header=(county, "", "台账目录"), freeze=(3, 0)))
    ws.autofilter(2, 0, max(r - 1, 2), last)


def _pages_text(pages: int | None) -> str:
    return "" if pages is None else str(pages)


def _height(row: tuple[str, ...]) -> float:
    """A row tall enough for its wrapped text (9 pt: ~12 pt a line; CJK characters are two wide;
    the hash, in 6.5 pt, fits ~2.2 characters a width unit)."""
    import math

    lines = 1
    for c, text in enumerate(row):
        if not text:
            continue
        wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text)) * 0.95
        width = len(text) / 2.2 if c == 9 else wide
        lines = max(lines, math.ceil(width / max(WIDTHS[c] - 1, 1)))
    return 12.5 * lines + 3
