"""Real attachment files as departments send them: a PDF with pages (pdfinfo reads it), a JPEG
and a PNG (decodable), a Word .docx with its page count, built byte by byte without extra packages."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from ecodesk.demo import sample_pdf


def make_pdf(path: Path, pages: int = 1, text: str = "evidence") -> Path:
    """A well-formed PDF with ``pages`` pages (correct xref table): the demo's own sample."""
    path.write_bytes(sample_pdf(text, pages))
    return path


def make_png(path: Path, seed: int = 0) -> Path:
    """A 2×2 RGB PNG; ``seed`` changes the pixels (and so the hash)."""
    raw = b"".join(b"\x00" + bytes([(seed * 37 + x * 90 + y * 40) % 256 for x in range(6)]) for y in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


# a baseline 1×1 JPEG (grey), as a camera or scanner writes the markers
_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f14"
    "1d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100"
    "ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000"
    "017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a"
    "3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293949596"
    "9798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2"
    "f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


def make_jpg(path: Path, comment: str = "") -> Path:
    """A JPEG; ``comment`` goes into a COM segment (a different photo, a different hash)."""
    com = comment.encode()
    data = _JPEG[:2] + (b"\xff\xfe" + struct.pack(">H", len(com) + 2) + com if com else b"") + _JPEG[2:]
    path.write_bytes(data)
    return path


def make_docx(path: Path, text: str = "会议纪要", pages: int = 2) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
        z.writestr(
            "docProps/app.xml",
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/extended-properties"><Pages>{pages}</Pages></Properties>',
        )
    return path
