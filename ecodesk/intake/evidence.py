"""佐证材料: attachments (PDF, pictures, Word/WPS, OFD) that come with a department's return — in
the same folder, the same zip, the same mail, or carrying the department's name. They are not
returns: each is archived under its SHA-256 and listed with the department's return.

Data model (ledger table ``evidence``, one row per file per round): ``department`` ('' while not
known), ``submission_id`` (the department's return it came with, when there was one), ``sha256``,
``archived_path`` (relative to the project folder), ``kind`` (pdf | image | word | ofd),
``linked_by`` (folder | name | mail | ''), ``mail_id`` (the saved mail it came in). Links to
indicators are table ``evidence_links`` (:mod:`.evidence_links`). The ledger's reads and writes
of these tables are :mod:`ecodesk.ledger.evidence`.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ledger.current import current_file_id
from ..ledger.evidence import evidence_received, insert_evidence, put_mail
from ..ledger.store import now_iso
from ..messages import msg
from ..project import Project
from .discover import Discovery, Source, discover
from .mail import Mail, open_mail

_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

SUFFIXES = {
    ".pdf": "pdf",
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".gif": "image",
    ".bmp": "image",
    ".tif": "image",
    ".tiff": "image",
    ".webp": "image",
    ".heic": "image",
    ".doc": "word",
    ".docx": "word",
    ".wps": "word",
    ".dps": "word",  # WPS 演示
    ".ofd": "ofd",
}
#: "sheet": a spreadsheet that is no form, beside a return (intake.evidence_tables)
KIND_LABELS = {"pdf": "PDF 文件", "image": "图片", "word": "Word/WPS 文档", "ofd": "OFD 文件", "sheet": "表格"}
MAX_BYTES = 30 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def evidence_kind(path: Path, name: str) -> str | None:
    """The kind of attachment ``path`` is, when its name says so and its content agrees; None for
    anything else (which intake then reads as a possible return and reports)."""
    kind = SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        return None
    try:
        if path.stat().st_size > MAX_BYTES or path.stat().st_size == 0:
            return None
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    suffix = Path(name).suffix.lower()
    if kind == "pdf":
        ok = head.startswith(b"%PDF")
    elif kind == "image":
        ok = (
            head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*"))
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
            or head[4:8] == b"ftyp"
        )
    elif suffix in (".doc", ".wps", ".dps"):
        ok = head.startswith(_OLE) or _zip_has(path, "word/document.xml")
    elif kind == "word":
        ok = _zip_has(path, "word/document.xml")
    else:
        ok = _zip_has(path, "OFD.xml")
    return kind if ok else None


def _zip_has(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.lower() == member.lower() for n in z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def folder_of(display: str) -> str:
    """What counts as "the same drop" for a file: its folder, or its folder inside a zip or mail."""
    if "!" in display:
        outer, inner = display.rsplit("!", 1)
        return f"{outer}!{str(Path(inner).parent) if '/' in inner else ''}"
    return str(Path(display).parent)


# ---- a drop: mails opened, attachments set apart ---------------------------------------------------
@dataclass
class Drop:
    """What collect reads as returns, the attachments beside them, and the mails they came in."""

    forms: list[Source] = field(default_factory=list)
    attachments: list[tuple[Source, str]] = field(default_factory=list)  # (file, kind)
    mails: list[Mail] = field(default_factory=list)
    broken: list[tuple[str, str, str]] = field(default_factory=list)  # (display, code, detail)
    mail_ids: dict[str, int] = field(default_factory=dict)  # mail display → mails.id
    mail_departments: dict[str, str] = field(default_factory=dict)  # mail display → department
    _temps: list[Any] = field(default_factory=list)

    def mail_of(self, display: str) -> str:
        outer = display.split("!", 1)[0]
        return outer if outer in self.mail_ids else ""

    def cleanup(self) -> None:
        for t in self._temps:
            t.cleanup()
        self._temps.clear()


def prepare(found: Discovery) -> Drop:
    """Open the mails in ``found`` (their attachments become part of the drop, zips expanded)
    and set the attachments apart from the possible returns."""
    drop = Drop(broken=list(found.broken_archives))
    sources = list(found.sources)
    while sources:
        s = sources.pop(0)
        if s.name.lower().endswith(".eml") and not s.name.startswith("~$"):
            tmp = tempfile.TemporaryDirectory(prefix="ecodesk-mail-")
            drop._temps.append(tmp)
            mail = open_mail(s.path, s.display, Path(tmp.name))
            if mail.error or not mail.parts:
                drop.broken.append((s.display, "unreadable.mail", mail.error or "邮件中没有附件"))
                continue
            drop.mails.append(mail)
            inner = discover([p for p, _ in mail.parts])
            if inner.tempdir is not None:
                drop._temps.append(inner.tempdir)
            names = {str(p): n for p, n in mail.parts}
            for src in inner.sources:
                outer, _, member = src.display.partition("!")
                shown = f"{s.display}!{names.get(outer, src.name)}" + (f"!{member}" if member else "")
                sources.append(Source(src.path, shown, src.name))
            for display, code, detail in inner.broken_archives:
                drop.broken.append((f"{s.display}!{names.get(display, Path(display).name)}", code, detail))
            continue
        kind = evidence_kind(s.path, s.name)
        if kind:
            drop.attachments.append((s, kind))
        else:
            drop.forms.append(s)
    return drop


def record_mails(project: Project, drop: Drop) -> None:
    """Keep who sent each mail and when; a sender matching a department's contact names it."""
    by_address: dict[str, str] = {}
    for d in project.catalogue().departments:
        for address in _ADDRESS.findall(d.contact or ""):
            by_address.setdefault(address.lower(), d.name)
    with project.ledger.transaction() as c:
        for m in drop.mails:
            drop.mail_ids[m.display] = put_mail(
                c, m.sha256, m.display, m.sender, m.sender_name, m.subject, m.sent_at, now_iso()
            )
            if m.sender in by_address:
                drop.mail_departments[m.display] = by_address[m.sender]


def record_attachments(
    project: Project, round_name: str, drop: Drop, results: list[Any], ctx: Any
) -> list[Any]:
    """Archive every attachment of the drop and link it to its department's return; one result
    per attachment (status ``evidence``)."""
    from .analyse import archive_copy
    from .attribution import department_in_name
    from .collect import FileResult

    conn = project.ledger.conn
    rounds = {r.name: r.id for r in project.rounds()}
    by_folder: dict[str, set[tuple[str, str]]] = {}  # folder → {(department, round)} of its returns
    for r in results:
        if r.department and r.status not in ("wrong_department", "not_template", "unreadable"):
            by_folder.setdefault(folder_of(r.path), set()).add((r.department, r.round or round_name))
    out = []
    for s, kind in drop.attachments:
        data = s.path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        named = department_in_name(s.name, ctx.index)
        beside = by_folder.get(folder_of(s.display), set())
        mail = drop.mail_of(s.display)
        if not beside and mail:  # the returns that came in the same mail
            beside = {x for f, xs in by_folder.items() if f.startswith(mail + "!") for x in xs}
        dept, rnd, linked_by = "", round_name, ""
        if named:
            dept, linked_by = named, "name"
            rnd = next((r for d, r in beside if d == named), round_name)
        elif len(beside) == 1:
            (dept, rnd), linked_by = next(iter(beside)), "mail" if mail else "folder"
        elif mail and drop.mail_departments.get(mail):
            dept, linked_by = drop.mail_departments[mail], "mail"
        rid = rounds[rnd]
        seen = evidence_received(conn, rid, sha)
        if seen:
            code, fields = "evidence.duplicate", {"time": seen["received_at"][:16].replace("T", " ")}
            out.append(FileResult(s.display, "duplicate", dept or None, rnd, msg(code, **fields), code))
            continue
        archived = archive_copy(data, sha, s.name, ctx)
        sub = current_file_id(conn, rid, dept) if dept else None
        code = "evidence.linked" if dept else "evidence.unlinked"
        message = msg(code, department=dept, kind=KIND_LABELS[kind])
        with project.ledger.transaction() as c:
            insert_evidence(
                c,
                round_id=rid,
                department=dept,
                submission_id=sub,
                sha256=sha,
                original_name=s.name,
                original_path=s.display,
                archived_path=archived,
                kind=kind,
                size=len(data),
                linked_by=linked_by,
                mail_id=drop.mail_ids.get(mail),
                received_at=now_iso(),
            )
            project.ledger.audit(
                c, "collect.evidence", file=s.display, sha256=sha, round=rnd, department=dept or None
            )
        out.append(FileResult(s.display, "evidence", dept or None, rnd, message, code))
    return out

