"""佐证材料 linked to the indicator rows that name them: the 佐证材料 cell of a row lists file
names; a received attachment (ledger table ``evidence``, see :mod:`.evidence`) whose name is the
same, the same without extension, or close (the clerk confirms) is evidence for that row.

Table ``evidence_links`` (migration 12) — which file is evidence for which indicator of a
department:

==============  =================================================================================
matched_by      exact (name as in the 佐证材料 cell) | stem (same name without extension) |
                close (a similar name: ``confirmed`` = 0 until the clerk confirms) | clerk
named           the name written in the form's 佐证材料 cell ('' for the clerk's assignments)
status          linked | replaced (a newer file of the same name arrived) | removed (by the clerk)
==============  =================================================================================

Links belong to (round, department, indicator), not to one submission: a re-submission keeps the
evidence already linked unless the department sends a file of the same name again (that one
replaces it). A link the clerk removed is never re-created automatically, and a file the clerk
took out of the round (``evidence.removed_at``) is never linked again.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
import sqlite3
import unicodedata
import zipfile
from pathlib import Path, PurePath
from typing import Any

from ..ledger.evidence import (
    department_links,
    evidence_cells,
    evidence_files,
    link_automatically,
    linked_keys_of,
    replace_link,
)
from ..ledger.store import now_iso

#: the extensions a 佐证材料 name in a form may end with (dropped when comparing without extension)
EXTENSIONS = {
    ".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic",
    ".doc", ".docx", ".wps", ".dps", ".xls", ".xlsx", ".et",
}  # fmt: skip
SEPARATORS = re.compile(r"[\n\r;；、，,]+")
_RANK = {"exact": 0, "stem": 1, "close": 2}


def type_label(name: str) -> str:
    """The type the clerk sees: PDF, JPG, DOCX …"""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return {"jpeg": "JPG", "tiff": "TIF"}.get(suffix, suffix.upper())


# ---- names in the 佐证材料 cell ------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _stem(name: str) -> str:
    p = PurePath(name)
    return p.stem if p.suffix.lower() in EXTENSIONS else name


def named_files(cell: str) -> list[str]:
    """The names a department wrote in a 佐证材料 cell, one per line or separated by 、，；
    (numbering like "1." or "①" and book-title marks dropped), in order, without repeats."""
    out: list[str] = []
    cell = re.sub(r"(?:^|(?<=[\n\r;；，,、\s]))\d{1,2}[、.．)）](?![A-Za-z0-9])\s*", "\n", cell or "")
    for part in SEPARATORS.split(cell):
        part = re.sub(r"^\s*(?:\d{1,2}[.、．)）]|[（(]\d{1,2}[)）]|[①-⑳])\s*", "", part).strip(" \t《》“”\"'")
        if part and part not in out:
            out.append(part)
    return out


def match_how(named: str, file_name: str) -> str:
    """How a name from the form matches a file's name: exact / stem / close / '' (no match)."""
    a, b = _norm(named), _norm(file_name)
    if not a:
        return ""
    if a == b:
        return "exact"
    has_ext = PurePath(named).suffix.lower() in EXTENSIONS
    sa, sb = _norm(_stem(named)), _norm(_stem(file_name))
    if not has_ext and a == sb:
        return "stem"
    if not sa or not sb:
        return ""
    if sa == sb:
        return "close"  # the same name with another extension
    short, long_ = sorted((sa, sb), key=len)
    if len(short) >= 4 and short in long_ and len(short) / len(long_) >= 0.5:
        return "close"
    if len(short) >= 4 and difflib.SequenceMatcher(None, sa, sb).ratio() >= 0.7:
        return "close"
    return ""


def same_name(a: str, b: str) -> bool:
    return _norm(_stem(a)) == _norm(_stem(b))


def without_department(name: str, dept: str) -> str:
    """The file name without a leading department name (填报说明 allows "住建局_实施方案.pdf")."""
    m = re.match(rf"\s*{re.escape(dept)}\s*[_\-—－、·.\s]*(.+)$", name) if dept else None
    return m.group(1) if m and m.group(1).strip() else name


def best_match(named: str, file_name: str, dept: str) -> str:
    """:func:`match_how` of the file's name as sent, or without the department's name in front."""
    how = match_how(named, file_name)
    bare = without_department(file_name, dept)
    if bare != file_name and how != "exact":
        other = match_how(named, bare)
        if other and (not how or _RANK[other] < _RANK[how]):
            return other
    return how


# ---- pages, read from the archived file ----------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _pages(path: str, size: int) -> int | None:
    suffix = PurePath(path).suffix.lower()
    if suffix in (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".heic"):
        return 1
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if data.startswith(b"%PDF"):
        counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)
        if counts:
            return max(int(x) for x in counts)
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) or None
    if suffix == ".docx" or data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                app = z.read("docProps/app.xml").decode("utf-8", "replace")
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            return None
        m = re.search(r"<Pages>(\d+)</Pages>", app)
        return int(m.group(1)) if m and int(m.group(1)) > 0 else None
    return None


def pages_of(path: Path) -> int | None:
    """Pages of an archived file where they can be known (PDF page tree, a DOCX's saved count,
    a picture is one page); None otherwise."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return _pages(str(path), size)


# ---- linking ---------------------------------------------------------------------------------
def relink(conn: sqlite3.Connection, round_id: int, dept: str) -> int:
    """Link the department's received files to the rows of its current return that name them
    (the best match, newest first). Returns how many links were made; never touches what the
    clerk decided."""
    files = evidence_files(conn, round_id, dept)
    if not files:
        return 0
    existing = department_links(conn, round_id, dept)
    names = {f["id"]: f["original_name"] for f in files}
    made = 0
    for cell in evidence_cells(conn, round_id, dept):
        key = cell["indicator_key"]
        for named in named_files(cell["evidence"]):
            best: tuple[int, int] | None = None  # (rank, -id): best match, newest first
            how = ""
            for f in files:
                h = best_match(named, f["original_name"], dept)
                if h and (best is None or (_RANK[h], -f["id"]) < best):
                    best, how = (_RANK[h], -f["id"]), h
            if best is None or (-best[1], key) in existing:
                continue
            fid = -best[1]
            for (old_id, k), status in list(existing.items()):  # a newer file of the same name replaces
                if (
                    k == key
                    and status == "linked"
                    and old_id < fid
                    and same_name(names.get(old_id, ""), names[fid])
                ):
                    replace_link(conn, round_id, old_id, key, f"已被重新报送的同名文件替换（#{fid}）")
                    existing[(old_id, k)] = "replaced"
            link_automatically(conn, round_id, fid, dept, key, how, named, how != "close", now_iso())
            existing[(fid, key)] = "linked"
            made += 1
    return made


def link_collected(project: Any, results: list[Any]) -> None:
    """After a collect: link the evidence of every department that sent a return or evidence in
    this run (a re-submission may name files received before), and say in each attachment's
    message which indicators it went to — or that it waits, 未归类, for the clerk."""
    rounds = {r.name: r.id for r in project.rounds()}
    touched = {
        (r.round, r.department)
        for r in results
        if r.round in rounds and r.department and r.status in ("accepted", "evidence")
    }
    if not touched:
        return
    with project.ledger.transaction() as c:
        for name, dept in sorted(touched):
            relink(c, rounds[name], dept)
    evidence = [r for r in results if r.status == "evidence" and r.department and r.round in rounds]
    if not evidence:  # the catalogue is loaded only when there are attachments to name indicators for
        return
    label = {i.key: f"{i.number} {i.name}" for i in project.catalogue().indicators}
    conn = project.ledger.conn
    for r in evidence:
        keys = linked_keys_of(conn, rounds[r.round], r.path)
        if keys:
            r.message += "；对应指标：" + "、".join(label.get(k, k) for k in keys)
        else:
            r.message += "；表中“佐证材料”栏未写明此文件，暂列为未归类，可在“佐证材料”页指定对应指标"
