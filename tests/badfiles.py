"""A corpus of hostile and broken "returned" files, as departments (or accidents) produce them.

Each builder writes ONE file (or folder, link or archive) into ``ctx.folder`` and returns its path.
Template-derived cases start from genuine issued forms, copied and then changed; the originals are
never touched. ``CASES`` lists ``(case_id, builder, expected_status, expected_code)``; archives that
yield more than one result list the others in ``EXTRA_RESULTS``.

Big files are cheap to make: zip bombs are written by hand from one deflate block repeated (the test
never holds the expanded data), and the over-size file is sparse.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from ecodesk.catalogue.builtin import load_builtin
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.forms.provenance import PROVENANCE_SHEET
from ecodesk.project import Project

ROUND = "2025年第一轮"
OLD_ROUND = "2024年第二轮"
DEPT = "住建局"
OTHER_DEPT = "水利局"
GOOD_NAME = f"{ROUND}_{DEPT}_填报表.xlsx"
BOMB_MB = 300  # declared (and real) expanded size of a bomb member


# ---- context -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Base:
    """Genuine material, made once: a project folder (closed) and issued forms."""

    project_root: Path
    template: Path  # ROUND, 住建局
    water: Path  # ROUND, 水利局
    old_round: Path  # OLD_ROUND, 住建局
    other_project: Path  # ROUND, 住建局, issued by another project


@dataclass(frozen=True)
class Ctx:
    folder: Path  # where the case writes its file
    scratch: Path  # for intermediate files; not collected
    project: Project  # the (open) project the file will be collected into
    template: Path
    water: Path
    old_round: Path
    other_project: Path


def make_base(root: Path) -> Base:
    root.mkdir(parents=True, exist_ok=True)
    with Project.create(root / "项目", load_builtin(), region="east") as p:
        p.add_round(ROUND, "2025-06-30")
        p.add_round(OLD_ROUND, "2024-12-31")
        forms = {f.department: Path(f.path) for f in generate_round(p, ROUND, [DEPT, OTHER_DEPT]).forms}
        old = Path(generate_round(p, OLD_ROUND, [DEPT]).forms[0].path)
    with Project.create(root / "其他项目", load_builtin(), region="east") as other:
        other.add_round(ROUND, "2025-06-30")
        foreign = Path(generate_round(other, ROUND, [DEPT]).forms[0].path)
    return Base(root / "项目", forms[DEPT], forms[OTHER_DEPT], old, foreign)


def make_ctx(base: Base, project: Project, folder: Path, scratch: Path) -> Ctx:
    folder.mkdir(parents=True, exist_ok=True)
    scratch.mkdir(parents=True, exist_ok=True)
    return Ctx(folder, scratch, project, base.template, base.water, base.old_round, base.other_project)


def fingerprint(path: Path) -> str:
    """SHA-256 of a file, of every file under a folder, or of a link's target text."""
    h = hashlib.sha256()
    if path.is_symlink():
        h.update(os.readlink(path).encode())
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            h.update(str(p.relative_to(path)).encode())
            if p.is_file():
                h.update(p.read_bytes())
    else:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


# ---- helpers ------------------------------------------------------------------------------------
def _copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


def _edit(src: Path, dst: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    wb.close()
    return dst


def _members(src: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(src) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _write_zip(dst: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return dst


@functools.cache
def _zero_stream(mb: int) -> tuple[bytes, int]:
    """Raw deflate data expanding to ``mb`` MiB of zeros, and its CRC-32. One full-flushed block
    repeated: the expanded bytes are never held, only hashed chunk by chunk."""
    chunk = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mb):
        crc = zlib.crc32(chunk, crc)
    return block * mb + c.flush(zlib.Z_FINISH), crc


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def _write_raw_zip(
    dst: Path,
    members: list[tuple[str, bytes, int, int]],
    declared: dict[str, int] | None = None,
    unix_modes: dict[str, int] | None = None,
) -> Path:
    """A zip written by hand from (name, raw deflate data, crc, size); ``declared`` overrides the
    uncompressed size written in the headers (a lying header)."""
    declared, unix_modes = declared or {}, unix_modes or {}
    out = bytearray()
    central = bytearray()
    for name, raw, crc, size in members:
        bname = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        usize = declared.get(name, size)
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, 0, 0x21, crc, len(raw), usize, len(bname), 0
        )
        out += bname + raw
        mode = unix_modes.get(name, 0o100644)
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            0x0314,
            20,
            flags,
            8,
            0,
            0x21,
            crc,
            len(raw),
            usize,
            len(bname),
            0,
            0,
            0,
            0,
            mode << 16,
            offset,
        )
        central += bname
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    dst.write_bytes(bytes(out + central + eocd))
    return dst


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _raw_members(src: Path) -> list[tuple[str, bytes, int, int]]:
    return [(name, *_deflated(data)) for name, data in _members(src).items()]


def _sheet_member(members: dict[str, bytes], sheet: str) -> str:
    """The zip member holding ``sheet`` (by the workbook's sheet list and relationships)."""
    m = re.search(
        rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', members["xl/workbook.xml"].decode()
    )
    assert m, sheet
    rel = re.search(
        rf'Id="{m.group(1)}"[^>]*Target="([^"]+)"', members["xl/_rels/workbook.xml.rels"].decode()
    )
    assert rel, m.group(1)
    return "xl/" + rel.group(1).lstrip("/").removeprefix("xl/")


def _with_bomb(
    src: Path, declared: int | None = None
) -> tuple[list[tuple[str, bytes, int, int]], dict[str, int]]:
    """The members of a genuine form, with its 指标填报 sheet replaced by 300 MiB of zeros."""
    sheet = _sheet_member(_members(src), L.SHEET_INDICATORS)
    members = [
        _bomb_member(name) if name == sheet else (name, raw, crc, size)
        for name, raw, crc, size in _raw_members(src)
    ]
    return members, ({sheet: declared} if declared is not None else {})


def _inline_text(src: Path, dst: Path, ref: str, text: str) -> Path:
    """A genuine form with ``text`` put into cell ``ref`` of 指标填报 as an inline string, written
    straight into the sheet XML (openpyxl would cut it to Excel's 32,767-character limit)."""
    members = _members(src)
    sheet = _sheet_member(members, L.SHEET_INDICATORS)
    xml, n = re.subn(
        rf'<c r="{ref}"( s="\d+")?/>'.encode(),
        lambda m: (
            b'<c r="'
            + ref.encode()
            + b'"'
            + (m.group(1) or b"")
            + b' t="inlineStr"><is><t>'
            + text.encode()
            + b"</t></is></c>"
        ),
        members[sheet],
        count=1,
    )
    assert n == 1, ref
    members[sheet] = xml
    return _write_zip(dst, members)


def _bomb_member(name: str) -> tuple[str, bytes, int, int]:
    raw, crc = _zero_stream(BOMB_MB)
    return name, raw, crc, BOMB_MB << 20


def _random_text(n: int, seed: int) -> str:
    """``n`` characters that do not compress much (base64 of random bytes)."""
    return base64.b64encode(random.Random(seed).randbytes(n * 3 // 4 + 3)).decode()[:n]


def _ole_file(stream_name: str, payload: bytes) -> bytes:
    """A minimal OLE2 compound file (v3, 512-byte sectors) with one stream of 4096 bytes (a legacy
    Office document that is not a workbook)."""
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data = payload.ljust(4096, b"\0")[:4096]
    header = struct.pack(
        "<8s16s5H6s9L",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109L", 0, *([free] * 108))
    fat = [fatsect, end, *range(3, 10), end] + [free] * (128 - 10)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBB3L16sL16sLLL",
            raw,
            len(raw),
            kind,
            1,
            nostream,
            nostream,
            child,
            b"\0" * 16,
            0,
            b"\0" * 16,
            start,
            size,
            0,
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, nostream, 2, 4096)
    directory += entry("", 0, nostream, 0, 0) * 2
    return header + struct.pack("<128L", *fat) + directory + data


@functools.cache
def _soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice 未安装（见 scripts/system-packages.sh）")
    with tempfile.TemporaryDirectory(prefix="ecodesk-lo-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = (Path(tmp) / "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(Path(tmp) / "out"),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return next((Path(tmp) / "out").iterdir()).read_bytes()


def _foreign_table(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
    ws.append(["姓名", "科室", "电话", "备注"])
    rng = random.Random(3)
    for i in range(30):
        ws.append(
            [f"人员{i}", rng.choice(["办公室", "财务科", "规划科"]), f"0575-8{rng.randrange(10**6):06d}", ""]
        )


def _ind_sheet(wb: openpyxl.Workbook) -> openpyxl.worksheet.worksheet.Worksheet:
    return wb[L.SHEET_INDICATORS]


def _col(cid: str) -> int:
    return L.col_index(L.INDICATOR_COLUMNS, cid) + 1


def _last_row(ws: openpyxl.worksheet.worksheet.Worksheet) -> int:
    return max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value)


# ---- builders: broken containers ----------------------------------------------------------------
def truncated_xlsx(ctx: Ctx) -> Path:
    data = ctx.template.read_bytes()
    dst = ctx.folder / GOOD_NAME
    dst.write_bytes(data[: len(data) // 2])
    return dst


def zip_bomb_xlsx(ctx: Ctx) -> Path:
    """An .xlsx whose sheet member expands to 300 MiB of zeros (1,000 : 1)."""
    return _write_raw_zip(ctx.folder / GOOD_NAME, _with_bomb(ctx.template)[0])


def zip_bomb_returns_zip(ctx: Ctx) -> Path:
    """A .zip of "returns" whose one member expands to 300 MiB."""
    return _write_raw_zip(ctx.folder / "各部门报回.zip", [_bomb_member(GOOD_NAME)])


def zip_bomb_nested_zip(ctx: Ctx) -> Path:
    """A .zip of returns holding a small .zip that is itself a bomb."""
    inner = _write_raw_zip(ctx.scratch / "inner.zip", [_bomb_member(GOOD_NAME)])
    return _write_zip(ctx.folder / "报回压缩包.zip", {"住建局/住建局报回.zip": inner.read_bytes()})


def lying_sizes_xlsx(ctx: Ctx) -> Path:
    """Headers declare a 2 KB sheet; the data expands to 300 MiB."""
    return _write_raw_zip(ctx.folder / GOOD_NAME, *_with_bomb(ctx.template, declared=2048))


def lying_sizes_returns_zip(ctx: Ctx) -> Path:
    return _write_raw_zip(
        ctx.folder / "各部门报回.zip", [_bomb_member(GOOD_NAME)], declared={GOOD_NAME: 2048}
    )


def too_many_members(ctx: Ctx) -> Path:
    members = _members(ctx.template)
    members.update({f"xl/media/image{i}.png": b"" for i in range(2100)})
    return _write_zip(ctx.folder / GOOD_NAME, members)


def big_repetitive_cell(ctx: Ctx) -> Path:
    """A genuine form with 10 MB of one repeated phrase in a cell: the sheet compresses ~1000 : 1,
    which no real form does (Excel itself caps a cell at 32,767 characters)."""
    ref = f"{L.col_letter(_col('note') - 1)}{L.FIRST_DATA_ROW + 1}"
    return _inline_text(ctx.template, ctx.folder / GOOD_NAME, ref, "已完成。" * 850_000)


def big_random_note(ctx: Ctx) -> Path:
    """A genuine form with 10 MB of incompressible text in 完成情况说明: still a form, accepted,
    the note kept short."""
    ref = f"{L.col_letter(_col('note') - 1)}{L.FIRST_DATA_ROW + 1}"
    return _inline_text(ctx.template, ctx.folder / GOOD_NAME, ref, _random_text(10_000_000, seed=11))


def encrypted_ooxml(ctx: Ctx) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    dst = ctx.folder / GOOD_NAME
    with open(ctx.template, "rb") as src, open(dst, "wb") as out:
        OOXMLFile(src).encrypt("123456", out)
    return dst


def docx_renamed(ctx: Ctx) -> Path:
    return _write_zip(
        ctx.folder / GOOD_NAME,
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"/>',
            "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>住建局填报情况说明'
            "</w:t></w:r></w:p></w:body></w:document>".encode(),
        },
    )


def pptx_renamed(ctx: Ctx) -> Path:
    return _write_zip(
        ctx.folder / GOOD_NAME,
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "ppt/presentation.xml": b'<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/'
            b'presentationml/2006/main"/>',
        },
    )


def xlsb_like(ctx: Ctx) -> Path:
    return _write_zip(
        ctx.folder / f"{ROUND}_{DEPT}_填报表.xlsb",
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "xl/workbook.bin": b"\x83\x01\x00",
            "xl/worksheets/sheet1.bin": b"\x81\x01\x00",
        },
    )


def macro_enabled_template(ctx: Ctx) -> Path:
    """A genuine form saved with a VBA project inside (as .xlsm): values are read, macros never run."""
    members = _members(ctx.template)
    members["xl/vbaProject.bin"] = _ole_file("VBA", b'Attribute VB_Name = "Module1"')
    return _write_zip(ctx.folder / f"{ROUND}_{DEPT}_填报表.xlsm", members)


def billion_laughs(ctx: Ctx) -> Path:
    """Shared strings with nested entity definitions (the "billion laughs" XML bomb) and an
    external entity pointing at a local file."""
    members = _members(ctx.template)
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctype = (f'<!DOCTYPE sst [<!ENTITY l0 "lol">{lol}<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').encode()
    sst = members["xl/sharedStrings.xml"]
    head, _, rest = sst.partition(b"?>")
    members["xl/sharedStrings.xml"] = head + b"?>" + doctype + rest.replace(b"<t>", b"<t>&l9;&xxe;", 1)
    return _write_zip(ctx.folder / GOOD_NAME, members)


# ---- builders: not spreadsheets --------------------------------------------------------------------
def csv_named_xlsx(ctx: Ctx) -> Path:
    dst = ctx.folder / GOOD_NAME
    dst.write_text(
        "序号,指标名称,本期值\n5,县城污水处理率,96.5\n18,城镇新建绿色建筑比例,100\n", encoding="utf-8"
    )
    return dst


def csv_gbk(ctx: Ctx) -> Path:
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.csv"
    dst.write_bytes("序号,指标名称,本期值\r\n5,县城污水处理率,96.5\r\n".encode("gbk"))
    return dst


def utf16_text_named_xls(ctx: Ctx) -> Path:
    """Excel's "Unicode 文本" export: UTF-16 with a BOM, tab separated."""
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.xls"
    dst.write_bytes("序号\t指标名称\t本期值\r\n5\t县城污水处理率\t96.5\r\n".encode("utf-16"))
    return dst


def empty_file(ctx: Ctx) -> Path:
    dst = ctx.folder / GOOD_NAME
    dst.touch()
    return dst


def pdf_renamed(ctx: Ctx) -> Path:
    dst = ctx.folder / GOOD_NAME
    dst.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return dst


def html_saved_as_xls(ctx: Ctx) -> Path:
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.xls"
    dst.write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>序号</td><td>指标名称</td>"
        "<td>本期值</td></tr><tr><td>5</td><td>县城污水处理率</td><td>96.5</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return dst


def html_bom_long_head_as_xls(ctx: Ctx) -> Path:
    """The "导出 Excel" of a web system: UTF-8 BOM, Office namespaces, a long style block, then the table."""
    style = "".join(
        f".xl{i} {{mso-style-parent:style0; font-family:宋体, serif; mso-number-format:General;}}\n"
        for i in range(60)
    )
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.xls"
    dst.write_text(
        '\ufeff<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">'
        f'<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>{style}</style>'
        "</head><body><table><tr><td>序号</td><td>本期值</td></tr><tr><td>5</td><td>96.5</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    return dst


def spreadsheetml_2003(ctx: Ctx) -> Path:
    """ "XML 表格 2003", which older systems export with an .xls name."""
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.xls"
    dst.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="指标填报"><Table>'
        '<Row><Cell><Data ss:Type="String">本期值</Data></Cell></Row>'
        '<Row><Cell><Data ss:Type="Number">96.5</Data></Cell></Row></Table></Worksheet></Workbook>',
        encoding="utf-8",
    )
    return dst


def rtf_renamed(ctx: Ctx) -> Path:
    dst = ctx.folder / GOOD_NAME
    dst.write_bytes(
        b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 \\'d7\\'a1\\'bd\\'a8\\'be\\'d6\\par}"
    )
    return dst


def plain_text(ctx: Ctx) -> Path:
    dst = ctx.folder / "住建局报送说明.txt"
    dst.write_text("创建办：\n我局本期数据已通过邮件报送，请查收。\n住建局 办公室\n", encoding="utf-8")
    return dst


def random_bytes(ctx: Ctx) -> Path:
    data = random.Random(5).randbytes(64 * 1024)
    dst = ctx.folder / GOOD_NAME
    dst.write_bytes(b"\xff\x00" + data)  # not a magic number of any kind we know
    return dst


def ole_not_a_workbook(ctx: Ctx) -> Path:
    """An OLE2 compound file (a PowerPoint 97-2003 document) named .xls."""
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.xls"
    dst.write_bytes(_ole_file("PowerPoint Document", b"\x00" * 64))
    return dst


def excel_lock_file(ctx: Ctx) -> Path:
    user = b"zhangsan"
    data = bytes([len(user)]) + user.ljust(53, b" ") + (user.decode() + "\0").encode("utf-16-le")
    dst = ctx.folder / f"~${GOOD_NAME}"
    dst.write_bytes(data.ljust(165, b"\x20")[:165])
    return dst


def too_big_sparse(ctx: Ctx) -> Path:
    """31 MiB, sparse on disk: over the 30 MB limit without writing 31 MiB."""
    dst = ctx.folder / GOOD_NAME
    with open(dst, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(31 * 1024 * 1024)
    return dst


def broken_symlink(ctx: Ctx) -> Path:
    dst = ctx.folder / GOOD_NAME
    try:
        os.symlink(ctx.folder / "已删除的文件.xlsx", dst)
    except (OSError, NotImplementedError) as exc:
        pytest.skip(f"symlinks not supported here: {exc}")
    return dst


def directory_named_xlsx(ctx: Ctx) -> Path:
    """A folder called like a form (an unpacked download): searched as a folder, never opened as a file."""
    dst = ctx.folder / GOOD_NAME
    dst.mkdir()
    _copy(ctx.template, dst / GOOD_NAME)
    return dst


# ---- builders: workbooks that are not (our) forms -------------------------------------------------
def zero_row_workbook(ctx: Ctx) -> Path:
    wb = openpyxl.Workbook()
    dst = ctx.folder / GOOD_NAME
    wb.save(dst)
    return dst


def foreign_workbook(ctx: Ctx) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "通讯录"
    _foreign_table(ws)
    dst = ctx.folder / GOOD_NAME
    wb.save(dst)
    return dst


def foreign_named_like_form(ctx: Ctx) -> Path:
    """A random table on a sheet that happens to be named 指标填报."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = L.SHEET_INDICATORS
    _foreign_table(ws)
    dst = ctx.folder / GOOD_NAME
    wb.save(dst)
    return dst


def huge_sheet_named_like_form(ctx: Ctx) -> Path:
    """A 指标填报 sheet with the form's header but 6,000 rows (forms have tens)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = L.SHEET_INDICATORS
    ws.append([c.header for c in L.INDICATOR_COLUMNS])
    for i in range(6000):
        ws.append(["", i, f"指标{i}"])
    dst = ctx.folder / GOOD_NAME
    wb.save(dst)
    return dst


def xls_foreign_libreoffice(ctx: Ctx) -> Path:
    """A real legacy .xls (made by LibreOffice) holding some other table."""
    csv = "姓名,科室,电话\n张三,办公室,0575-8000001\n李四,财务科,0575-8000002\n".encode()
    dst = ctx.folder / f"{ROUND}_{DEPT}_填报表.xls"
    dst.write_bytes(_soffice_convert(csv, ".csv", "xls"))
    return dst


def guide_sheet_only(ctx: Ctx) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        for name in (L.SHEET_INDICATORS, L.SHEET_TASKS, PROVENANCE_SHEET):
            del wb[name]

    return _edit(ctx.template, ctx.folder / GOOD_NAME, change)


def form_sheets_deleted_provenance_kept(ctx: Ctx) -> Path:
    """Both input sheets deleted; the very-hidden provenance sheet is still there and genuine."""

    def change(wb: openpyxl.Workbook) -> None:
        for name in (L.SHEET_INDICATORS, L.SHEET_TASKS):
            del wb[name]

    return _edit(ctx.template, ctx.folder / GOOD_NAME, change)


def _retitle(wb: openpyxl.Workbook) -> None:
    for name in (L.SHEET_INDICATORS, L.SHEET_TASKS):
        for row in wb[name].iter_rows(min_row=1, max_row=2):
            for cell in row:
                if isinstance(cell.value, str) and f"（{DEPT}）" in cell.value:
                    cell.value = "指标填报表"


def no_provenance_no_title(ctx: Ctx) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        del wb[PROVENANCE_SHEET]
        _retitle(wb)

    return _edit(ctx.template, ctx.folder / "填报表（已填）.xlsx", change)


def no_provenance_title_intact(ctx: Ctx) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        del wb[PROVENANCE_SHEET]
        _ind_sheet(wb).cell(L.FIRST_DATA_ROW + 1, _col("current")).value = 30

    return _edit(ctx.template, ctx.folder / GOOD_NAME, change)


def provenance_garbled(ctx: Ctx) -> Path:
    """The provenance sheet is there (format marker intact) but its key list is not JSON any more."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[PROVENANCE_SHEET]
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value == "indicator_keys":
                ws.cell(r, 2).value = "[被改坏"

    return _edit(ctx.template, ctx.folder / GOOD_NAME, change)


# ---- builders: genuine forms, wrong place ---------------------------------------------------------
def other_round_template(ctx: Ctx) -> Path:
    return _copy(ctx.old_round, ctx.folder / ctx.old_round.name)


def other_department_renamed(ctx: Ctx) -> Path:
    """水利局's form saved under 住建局's file name."""
    return _copy(ctx.water, ctx.folder / GOOD_NAME)


def provenance_tampered(ctx: Ctx) -> Path:
    """水利局's form with the department in the very-hidden provenance sheet changed to 住建局."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[PROVENANCE_SHEET]
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value == "department":
                ws.cell(r, 2).value = DEPT

    return _edit(ctx.water, ctx.folder / GOOD_NAME, change)


def other_project_template(ctx: Ctx) -> Path:
    return _copy(ctx.other_project, ctx.folder / GOOD_NAME)


def pasted_foreign_row(ctx: Ctx) -> Path:
    """住建局's genuine form with a row of a 水利局-only indicator pasted below its own rows."""
    cat = ctx.project.catalogue()
    own = {i.key for i in cat.indicators_for(DEPT)}
    foreign = next(i for i in cat.indicators_for(OTHER_DEPT) if i.key not in own)

    def change(wb: openpyxl.Workbook) -> None:
        ws = _ind_sheet(wb)
        r = _last_row(ws) + 1
        for cid, value in (
            ("key", foreign.key),
            ("number", foreign.number),
            ("name", foreign.name),
            ("unit", foreign.unit),
            ("current", 88),
        ):
            ws.cell(r, _col(cid)).value = value
        ws.cell(L.FIRST_DATA_ROW + 1, _col("current")).value = 31

    return _edit(ctx.template, ctx.folder / GOOD_NAME, change)


# ---- builders: archives of returns ----------------------------------------------------------------
def zip_path_traversal(ctx: Ctx) -> Path:
    """A genuine form stored as ``../../evil.xlsx``: read, but never written outside the temp folder."""
    return _write_zip(ctx.folder / "报回.zip", {"../../evil.xlsx": ctx.template.read_bytes()})


def zip_absolute_member(ctx: Ctx) -> Path:
    target = Path(tempfile.gettempdir()).parent / "ecodesk-evil-abs.xlsx"
    return _write_zip(ctx.folder / "报回.zip", {str(target): b"not a workbook\n"})


def zip_dotdot_member(ctx: Ctx) -> Path:
    """A crafted member named ``..`` before a genuine form: the form must still be read."""
    return _write_zip(ctx.folder / "报回.zip", {"x/..": b"evil", GOOD_NAME: ctx.template.read_bytes()})


def zip_symlink_member(ctx: Ctx) -> Path:
    """A member flagged as a Unix symlink to /etc/passwd: extracted as a plain (text) file."""
    return _write_raw_zip(
        ctx.folder / "报回.zip", [(GOOD_NAME, *_deflated(b"/etc/passwd"))], unix_modes={GOOD_NAME: 0o120777}
    )


def returns_zip_mixed(ctx: Ctx) -> Path:
    """One genuine form and one broken file: both reported, the good one accepted."""
    water = ctx.water.read_bytes()
    return _write_zip(
        ctx.folder / "各部门报回.zip",
        {
            f"住建局/{GOOD_NAME}": ctx.template.read_bytes(),
            f"水利局/{ctx.water.name}": water[: len(water) // 3],
        },
    )


def gbk_member_names(ctx: Ctx) -> Path:
    """Made on Chinese Windows: member names in GBK without the UTF-8 flag."""

    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self) -> tuple[bytes, int]:
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    dst = ctx.folder / "报回（GBK）.zip"
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        info = GbkInfo(f"报回/{ctx.water.name}", date_time=(2025, 6, 1, 8, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, ctx.water.read_bytes())
    return dst


def zip_in_zip(ctx: Ctx) -> Path:
    """A .zip of returns inside a .zip of returns: only one level is opened."""
    inner = _write_zip(ctx.scratch / "inner.zip", {GOOD_NAME: ctx.template.read_bytes()})
    return _write_zip(ctx.folder / "报回.zip", {"住建局.zip": inner.read_bytes()})


def corrupt_returns_zip(ctx: Ctx) -> Path:
    dst = ctx.folder / "各部门报回.zip"
    dst.write_bytes(b"PK\x03\x04" + random.Random(9).randbytes(4096))
    return dst


def empty_returns_zip(ctx: Ctx) -> Path:
    """A .zip with folders and macOS litter but no file."""
    return _write_zip(ctx.folder / "报回.zip", {"住建局/": b"", "__MACOSX/._报回": b"\0\5\26\7"})


# ---- the registry -------------------------------------------------------------------------------
Builder = Callable[[Ctx], Path]

CASES: list[tuple[str, Builder, str, str]] = [
    # broken or dangerous containers
    ("truncated_xlsx", truncated_xlsx, "unreadable", "unreadable.corrupt"),
    ("zip_bomb_xlsx", zip_bomb_xlsx, "unreadable", "unreadable.zip_bomb"),
    ("zip_bomb_returns_zip", zip_bomb_returns_zip, "unreadable", "unreadable.zip_bomb"),
    ("zip_bomb_nested_zip", zip_bomb_nested_zip, "unreadable", "unreadable.zip_bomb"),
    ("lying_sizes_xlsx", lying_sizes_xlsx, "unreadable", "unreadable.corrupt"),
    ("lying_sizes_returns_zip", lying_sizes_returns_zip, "unreadable", "unreadable.archive"),
    ("too_many_members", too_many_members, "unreadable", "unreadable.zip_bomb"),
    ("big_repetitive_cell", big_repetitive_cell, "unreadable", "unreadable.zip_bomb"),
    ("big_random_note", big_random_note, "accepted", "accepted.new"),
    ("encrypted_ooxml", encrypted_ooxml, "unreadable", "unreadable.encrypted"),
    ("docx_renamed", docx_renamed, "unreadable", "unreadable.not_spreadsheet"),
    ("pptx_renamed", pptx_renamed, "unreadable", "unreadable.not_spreadsheet"),
    ("xlsb_like", xlsb_like, "unreadable", "unreadable.xlsb"),
    ("macro_enabled_template", macro_enabled_template, "accepted", "accepted.new"),
    ("billion_laughs", billion_laughs, "unreadable", "unreadable.corrupt"),
    # not spreadsheets at all
    ("csv_named_xlsx", csv_named_xlsx, "unreadable", "unreadable.not_spreadsheet"),
    ("csv_gbk", csv_gbk, "unreadable", "unreadable.not_spreadsheet"),
    ("utf16_text_named_xls", utf16_text_named_xls, "unreadable", "unreadable.not_spreadsheet"),
    ("empty_file", empty_file, "unreadable", "unreadable.empty"),
    ("pdf_renamed", pdf_renamed, "unreadable", "unreadable.not_spreadsheet"),
    ("html_saved_as_xls", html_saved_as_xls, "unreadable", "unreadable.not_spreadsheet"),
    ("html_bom_long_head_as_xls", html_bom_long_head_as_xls, "unreadable", "unreadable.not_spreadsheet"),
    ("spreadsheetml_2003", spreadsheetml_2003, "unreadable", "unreadable.not_spreadsheet"),
    ("rtf_renamed", rtf_renamed, "unreadable", "unreadable.not_spreadsheet"),
    ("plain_text", plain_text, "unreadable", "unreadable.not_spreadsheet"),
    ("random_bytes", random_bytes, "unreadable", "unreadable.not_spreadsheet"),
    ("ole_not_a_workbook", ole_not_a_workbook, "unreadable", "unreadable.not_spreadsheet"),
    ("excel_lock_file", excel_lock_file, "unreadable", "unreadable.lock_file"),
    ("too_big_sparse", too_big_sparse, "unreadable", "unreadable.too_big"),
    ("broken_symlink", broken_symlink, "unreadable", "unreadable.io"),
    ("directory_named_xlsx", directory_named_xlsx, "accepted", "accepted.new"),
    # workbooks that are not (our) forms
    ("zero_row_workbook", zero_row_workbook, "not_template", "not_template.foreign"),
    ("foreign_workbook", foreign_workbook, "not_template", "not_template.foreign"),
    ("foreign_named_like_form", foreign_named_like_form, "not_template", "not_template.foreign"),
    ("huge_sheet_named_like_form", huge_sheet_named_like_form, "not_template", "not_template.foreign"),
    ("xls_foreign_libreoffice", xls_foreign_libreoffice, "not_template", "not_template.foreign"),
    ("guide_sheet_only", guide_sheet_only, "not_template", "not_template.foreign"),
    (
        "form_sheets_deleted_provenance_kept",
        form_sheets_deleted_provenance_kept,
        "not_template",
        "not_template.foreign",
    ),
    ("no_provenance_no_title", no_provenance_no_title, "not_template", "not_template.no_department"),
    ("no_provenance_title_intact", no_provenance_title_intact, "accepted", "accepted.confirm"),
    ("provenance_garbled", provenance_garbled, "wrong_department", "wrong_department.checksum"),
    # genuine forms in the wrong place
    ("other_round_template", other_round_template, "accepted", "accepted.new"),  # recorded in its own round
    ("other_department_renamed", other_department_renamed, "wrong_department", "wrong_department.renamed"),
    ("provenance_tampered", provenance_tampered, "wrong_department", "wrong_department.checksum"),
    ("other_project_template", other_project_template, "not_template", "not_template.other_project"),
    ("pasted_foreign_row", pasted_foreign_row, "wrong_department", "wrong_department.foreign_rows"),
    # archives of returns
    ("zip_path_traversal", zip_path_traversal, "accepted", "accepted.new"),
    ("zip_absolute_member", zip_absolute_member, "unreadable", "unreadable.not_spreadsheet"),
    ("zip_dotdot_member", zip_dotdot_member, "accepted", "accepted.new"),
    ("zip_symlink_member", zip_symlink_member, "unreadable", "unreadable.not_spreadsheet"),
    ("returns_zip_mixed", returns_zip_mixed, "unreadable", "unreadable.corrupt"),
    ("gbk_member_names", gbk_member_names, "accepted", "accepted.new"),
    ("zip_in_zip", zip_in_zip, "unreadable", "unreadable.not_spreadsheet"),
    ("corrupt_returns_zip", corrupt_returns_zip, "unreadable", "unreadable.archive"),
    ("empty_returns_zip", empty_returns_zip, "unreadable", "unreadable.archive"),
]

#: Further results of a case (archives with several members): (end of the shown path, status, code).
EXTRA_RESULTS: dict[str, list[tuple[str, str, str]]] = {
    "returns_zip_mixed": [(f"住建局/{GOOD_NAME}", "accepted", "accepted.new")],
}

#: Cases whose file must not put any value into the ledger, and the department it must not write.
MUST_NOT_WRITE = ("pasted_foreign_row", "other_department_renamed", "provenance_tampered")

#: Text the message must contain, where the detail says something the clerk needs.
IN_MESSAGE: dict[str, str] = {
    "zip_bomb_xlsx": "sheet",
    "too_many_members": "个部件",
    "docx_renamed": "Word 文档",
    "pptx_renamed": "PowerPoint 文档",
    "csv_named_xlsx": "CSV/文本",
    "csv_gbk": "CSV/文本",
    "utf16_text_named_xls": "CSV/文本",
    "pdf_renamed": "PDF",
    "html_saved_as_xls": "网页（HTML）",
    "html_bom_long_head_as_xls": "网页（HTML）",
    "spreadsheetml_2003": "Excel 2003 XML",
    "rtf_renamed": "RTF",
    "plain_text": "文本",
    "random_bytes": "无法识别",
    "ole_not_a_workbook": "OLE",
    "too_big_sparse": "31.0 MB",
    "broken_symlink": "文件不存在",
    "zip_in_zip": "ZIP 压缩包",
    "empty_returns_zip": "没有任何文件",
    "other_round_template": OLD_ROUND,
    "other_department_renamed": f"文件名写的是{DEPT}，但该表是下发给{OTHER_DEPT}的模板",
    "pasted_foreign_row": f"{L.SHEET_INDICATORS}第",
}

#: The department an accepted case is recorded for, when not 住建局.
DEPARTMENT: dict[str, str] = {"gbk_member_names": OTHER_DEPT}
