"""Saved mails (.eml) dropped like folders: the attachments are taken out and collected as if
dropped, and who sent the mail and when is kept as evidence. Read with the standard library's
``email`` package; attachment names and headers in GBK or UTF-8 (RFC 2047/2231, or raw bytes
from Chinese mail clients) are decoded."""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

MAX_MAIL_BYTES = 60 * 1024 * 1024
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Mail:
    display: str  # the .eml as the clerk dropped it
    sha256: str
    sender: str = ""  # the address, lower case
    sender_name: str = ""
    subject: str = ""
    sent_at: str = ""  # ISO time from the Date header, "" when missing or unreadable
    parts: list[tuple[Path, str]] = field(default_factory=list)  # (extracted file, its name)
    error: str = ""  # why the mail could not be opened


def _text(value: object) -> str:
    """A header or file name as text; raw 8-bit bytes are tried as UTF-8, then GBK."""
    s = str(value or "")
    if any("\udc80" <= ch <= "\udcff" for ch in s):
        raw = s.encode("utf-8", "surrogateescape")
        for enc in ("utf-8", "gb18030"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
        return raw.decode("utf-8", "replace")
    return s


def _safe_name(name: str, n: int) -> str:
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] or f"附件{n}"


def open_mail(path: Path, display: str, into: Path) -> Mail:
    """Read the mail at ``path`` and write its attachments under ``into``."""
    data = path.read_bytes() if path.stat().st_size <= MAX_MAIL_BYTES else b""
    mail = Mail(display, hashlib.sha256(data).hexdigest())
    if not data:
        mail.error = "邮件为空或超过 60 MB"
        return mail
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        senders = getaddresses([_text(msg.get("From", ""))])
        if senders:
            mail.sender_name, mail.sender = senders[0][0], senders[0][1].strip().lower()
        mail.subject = _text(msg.get("Subject", ""))
        try:
            mail.sent_at = parsedate_to_datetime(str(msg.get("Date", ""))).isoformat()
        except (TypeError, ValueError, IndexError):
            mail.sent_at = ""
        for n, part in enumerate(msg.iter_attachments(), start=1):
            name = _text(part.get_filename() or "")
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes) or not (name or part.get_content_maintype() != "text"):
                continue
            target = into / f"{n:03d}" / _safe_name(name, n)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
            mail.parts.append((target, target.name))
    except Exception as exc:  # a mangled mail is reported, never a crash
        mail.error = f"{type(exc).__name__}: {exc}"[:200]
    return mail
