"""What is this file, and is it safe to open? Decided from bytes, never from the file name.

Checks, in order: empty; over the size limit; the magic number (ZIP → OOXML/ODF, OLE2 → .xls or an
encrypted OOXML, anything else → not a spreadsheet); for ZIP containers the member list and the
uncompressed sizes (a zip bomb is refused before anything is expanded).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..messages import os_reason
from .cells import Package

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Limits. A department's form is ~20 KB; these leave room for pasted pictures and long notes.
MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed of one member
MAX_MEMBERS = 2000


@dataclass(frozen=True)
class Sniff:
    kind: str  # "xlsx" | "xlsm" | "xls" | "ods" | "" when unusable
    code: str = ""  # message code when unusable (unreadable.*)
    detail: str = ""
    props: bytes = b""  # the document-properties part (core.xml / meta.xml), read while the zip is open
    app: bytes = b""  # an .xlsx's docProps/app.xml (who saved it: how to read its save time), likewise
    data: bytes = field(default=b"", repr=False)  # the whole file (at most MAX_FILE_BYTES)
    package: Package | None = field(default=None, repr=False, compare=False)  # the zip, opened once


def _io_detail(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在，可能已被移走、删除，或是指向已删除文件的快捷方式"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return os_reason(exc)


def sniff(path: Path) -> Sniff:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Sniff("", "unreadable.io", _io_detail(exc))
    if size == 0:
        return Sniff("", "unreadable.empty")
    if size > MAX_FILE_BYTES:
        return Sniff("", "unreadable.too_big", f"{size / 1024 / 1024:.1f} MB")
    try:
        data = path.read_bytes()  # read once: hashing, archiving and reading all use these bytes
    except OSError as exc:
        return Sniff("", "unreadable.io", _io_detail(exc))
    if data.startswith(ZIP_MAGIC):
        found = _sniff_zip(data)
    elif data[:8] == OLE_MAGIC:
        found = _sniff_ole(data)
    else:
        found = Sniff("", "unreadable.not_spreadsheet", _guess_text_kind(data[:4096]))
    return replace(found, data=data)


UNKNOWN_KIND = "无法识别的文件格式"


def _decode(sample: bytes) -> str | None:
    """The sample as text, or None when it is not text (a sample may end inside a character)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for enc in encodings:
        for cut in range(4):
            try:
                text = sample[: len(sample) - cut].decode(enc)
            except UnicodeDecodeError:
                continue
            if any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text):
                return None  # control characters: binary data that happens to decode
            return text
    return None


def _guess_text_kind(sample: bytes) -> str:
    if sample.startswith(b"%PDF"):
        return "PDF"
    if sample.startswith(b"{\\rtf"):
        return "RTF"
    text = _decode(sample)
    if text is None:
        return UNKNOWN_KIND
    low = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in low:
        return "Excel 2003 XML 格式"
    if low.startswith(("<html", "<!doctype html")) or "<table" in low or "<html" in low[:1000]:
        return "网页（HTML）"
    if low.startswith("<?xml"):
        return "XML 文件"
    if "," in text or "\t" in text:
        return "CSV/文本"
    return "文本"


def _sniff_zip(data: bytes) -> Sniff:
    """A zip package: its kind, and the package itself kept open for the reader."""
    try:
        pkg = Package(data)  # its directory read once; zipfile raises on damage
        infos = pkg.members
        names = {i.name for i in infos}
        if len(infos) > MAX_MEMBERS:
            return Sniff("", "unreadable.zip_bomb", f"{len(infos)} 个部件")
        total = 0
        for i in infos:
            total += i.size
            if i.packed and i.size / max(i.packed, 1) > MAX_RATIO and i.size > 1_000_000:
                return Sniff("", "unreadable.zip_bomb", i.name)
        if total > MAX_UNCOMPRESSED_BYTES:
            return Sniff("", "unreadable.zip_bomb", f"解压后 {total / 1024 / 1024:.0f} MB")
        sizes = {i.name: i.size for i in infos}

        def props(member: str) -> bytes:
            return pkg.read(member) if sizes.get(member, 1 << 30) < 1_000_000 else b""

        def producer() -> bytes:  # a help to read the save time: a damaged app.xml is no damage
            try:
                return props("docProps/app.xml")
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                return b""

        if "mimetype" in names:
            mime = pkg.read("mimetype")[:100]
            if b"opendocument.spreadsheet" in mime:
                return Sniff("ods", props=props("meta.xml"), package=pkg)
            return Sniff("", "unreadable.not_spreadsheet", mime.decode("ascii", "replace"))
        if "xl/workbook.xml" in names:
            kind = "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
            return Sniff(kind, props=props("docProps/core.xml"), app=producer(), package=pkg)
        if "xl/workbook.bin" in names:
            return Sniff("", "unreadable.xlsb")
        if "word/document.xml" in names:
            return Sniff("", "unreadable.not_spreadsheet", "Word 文档")
        if "ppt/presentation.xml" in names:
            return Sniff("", "unreadable.not_spreadsheet", "PowerPoint 文档")
        return Sniff("", "unreadable.not_spreadsheet", "ZIP 压缩包")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return Sniff("", "unreadable.corrupt", str(exc)[:200])


def _sniff_ole(data: bytes) -> Sniff:
    """OLE2: a legacy .xls (has a Workbook/Book stream) or an encrypted OOXML package
    (EncryptionInfo + EncryptedPackage streams). Stream names are UTF-16 in the directory."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return Sniff("", "unreadable.encrypted")
    if has("Workbook") or has("Book"):
        if b"FILEPASS" in data:  # rarely visible; calamine will fail on encrypted xls anyway
            return Sniff("", "unreadable.encrypted")
        return Sniff("xls")
    if has("WordDocument"):
        return Sniff("", "unreadable.not_spreadsheet", "Word 97-2003 文档")
    return Sniff("", "unreadable.not_spreadsheet", "OLE 文件")
