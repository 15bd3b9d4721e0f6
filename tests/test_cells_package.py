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


def _members_by_zipfile(data: bytes) -> list[tuple]:
    return [
        (i.filename, i.flag_bits, i.compress_type, i.CRC, i.file_size, i.compress_size, i.header_offset)
        for i in zipfile.ZipFile(io.BytesIO(data)).infolist()
    ]


def _variants() -> dict[str, bytes]:
    """Plain packages (read from the directory) and less plain ones (left to zipfile)."""
    plain = _zip({"xl/workbook.xml": (b"<workbook/>" * 50, 8), "指标.xml": (b"x", 0), "dup": (b"1", 8)})
    out = {"plain": plain}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a", b"first")
        with pytest.warns(UserWarning):
            z.writestr("a", b"second")  # a repeated name: the last one counts, as in zipfile
        z.comment = b"a comment"
    out["comment+repeated"] = buf.getvalue()
    out["prepended"] = b"#!junk before the zip\n" + plain
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", allowZip64=True) as z, z.open("big", "w", force_zip64=True) as f:
        f.write(b"zip64 sizes")
    out["zip64 local header"] = buf.getvalue()  # the directory itself is plain
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("extra.xml")
        info.extra = b"\x55\x54\x05\x00\x01\x00\x00\x00\x00"  # an extended timestamp field
        z.writestr(info, b"<x/>")
    out["extra field"] = buf.getvalue()
    return out


@pytest.mark.parametrize("kind", list(_variants()))
def test_the_directory_and_members_are_what_zipfile_reads(kind):
    from ecodesk.intake.cells import central_directory

    data = _variants()[kind]
    pkg, z = Package(data), zipfile.ZipFile(io.BytesIO(data))
    assert [tuple(m) for m in pkg.members] == _members_by_zipfile(data)
    plain = kind in ("plain", "zip64 local header")
    assert (central_directory(data) is not None) == plain  # the rest is left to zipfile
    for name in z.namelist():
        assert pkg.read(name) == z.read(name)
        assert name in pkg and pkg.size(name) == z.getinfo(name).file_size


def test_a_damaged_directory_is_rejected_as_zipfile_rejects_it():
    data = bytearray(_zip({"xl/workbook.xml": (b"<workbook/>", 8), "b": (b"b", 8)}))
    at = bytes(data).rfind(b"PK\x01\x02")  # the last directory entry
    data[at + 1] ^= 0xFF
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(bytes(data)))
    with pytest.raises(zipfile.BadZipFile):
        Package(bytes(data))
    with pytest.raises(zipfile.BadZipFile):
        Package(_zip({"a": (b"a", 8)})[:-30])  # truncated: no end record


def test_parts_seen_before_are_known_by_their_compressed_bytes():
    from ecodesk.intake import cells

    styles = (
        b'<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
        b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    )
    first = Package(_zip({"xl/styles.xml": (styles, 8)}))
    again = Package(_zip({"xl/styles.xml": (styles, 8)}))
    other = Package(_zip({"xl/styles.xml": (styles.replace(b"0.0%", b"0.00%"), 8)}))
    assert cells._percent_styles(first) == {1: "0.0%"}
    assert first.raw("xl/styles.xml") == again.raw("xl/styles.xml")
    assert cells._percent_styles(again) is cells._percent_styles(first)  # not inflated again
    assert cells._percent_styles(other) == {1: "0.00%"}
    assert cells._percent_styles(Package(_zip({"a": (b"", 8)}))) == {}  # no styles part
