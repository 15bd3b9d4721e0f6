"""Every workbook EcoDesk writes is packed at zlib level 1 (ecodesk.xlsx.deflate): each part's
compressed size is what level 1 gives for its bytes — a history workbook, and a fill-in form — and
the files still open."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import openpyxl

from ecodesk.xlsx.atomic import atomic_workbook


def _packed_at_level_one(path: Path) -> list[str]:
    """The parts of ``path`` NOT deflated at zlib level 1 (a part too small for the levels to
    differ says nothing)."""
    wrong = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            size = {}
            for level in (1, 6):
                c = zlib.compressobj(level, zlib.DEFLATED, -15)
                size[level] = len(c.compress(data) + c.flush())
            if info.compress_type != zipfile.ZIP_DEFLATED or (
                size[1] != size[6] and info.compress_size != size[1]
            ):
                wrong.append(info.filename)
    return wrong


def test_a_workbook_is_packed_at_level_one(tmp_path):
    out = tmp_path / "表.xlsx"
    with atomic_workbook(out, "标题", "嵊州市") as wb:
        ws = wb.add_worksheet("数据")
        for r in range(2000):
            ws.write_row(r, 0, [f"指标{r % 37}", r * 1.5, "生态环境分局" * (r % 3)])
    assert _packed_at_level_one(out) == []
    assert openpyxl.load_workbook(out)["数据"]["B3"].value == 3.0


def test_a_generated_form_is_packed_at_level_one(tmp_path):
    from ecodesk.catalogue.builtin import load_builtin
    from ecodesk.forms.issue import generate_round
    from ecodesk.project import Project

    with Project.create(tmp_path / "项目", load_builtin(), region="east") as p:
        p.add_round("2025年第一轮", "2099-06-30")
        form = Path(generate_round(p, "2025年第一轮", ["住建局"]).forms[0].path)
    assert _packed_at_level_one(form) == []  # also after the structure lock rewrote it
    assert "指标填报" in openpyxl.load_workbook(form).sheetnames
