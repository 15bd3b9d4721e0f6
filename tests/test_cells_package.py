"""The zip package intake reads formats from: members inflated straight from the file's bytes
agree with zipfile, and anything unusual is left to zipfile (which reports damage)."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from ecodesk.intake.cells import Package


def _zip(members: dict[str, tuple[bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, (data, how) in members.items():
            z.writestr(name, data, compress_type=how)
    return buf.getvalue()


def test_members_read_from_the_bytes_are_what_zipfile_reads():
    big = ("<c r='A1'>" * 2000).encode()
    data = _zip({"a.xml": (big, zipfile.ZIP_DEFLATED), "b.xml": (b"stored", zipfile.ZIP_STORED), "e": (b"", 8)})
    pkg, z = Package(data), zipfile.ZipFile(io.BytesIO(data))
    for name in ("a.xml", "b.xml", "e"):
        assert pkg.read(name) == z.read(name)
    with pytest.raises(KeyError):
        pkg.read("missing.xml")


def test_a_damaged_member_is_reported_by_zipfile_not_read_as_garbage():
    data = bytearray(_zip({"a.xml": (b"<styleSheet>" * 500, zipfile.ZIP_DEFLATED)}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("a.xml")
    start = info.header_offset + 30 + len(info.filename)
    data[start + 5] ^= 0xFF  # flip a byte of the compressed data
    with pytest.raises((zipfile.BadZipFile, zlib.error)):
        Package(bytes(data)).read("a.xml")
