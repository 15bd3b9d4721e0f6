"""The report's sheets written as blocks of cells (:meth:`ecodesk.xlsx.bulk.BlockSheet.write_cells`)
are the sheets xlsxwriter writes cell by cell: the same XML to the byte, and read back by openpyxl
the same values, formats, merged ranges, row heights, column widths, page breaks and print titles —
for the demo's pack and for big generated tables with many pages."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import ecodesk.report.writer as writer
from ecodesk.report.layout import STYLES, SheetLayout
from ecodesk.report.style import Formats, write_layout
from ecodesk.verdicts.model import PASS
from ecodesk.xlsx.atomic import OPTIONS
from ecodesk.xlsx.bulk import add_block_sheet


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/")}


def _look(ws) -> dict:
    """Everything of a sheet that prints, as openpyxl reads it."""
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            cells[c.coordinate] = (
                c.value,
                c.data_type,
                c.number_format,
                repr(c.font),
                repr(c.fill),
                repr(c.border),
                repr(c.alignment),
            )
    return {
        "cells": cells,
        "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        "heights": {r: d.height for r, d in ws.row_dimensions.items()},
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "breaks": [b.id for b in ws.row_breaks.brk],
        "titles": ws.print_title_rows,
        "setup": (ws.page_setup.orientation, ws.page_setup.scale, ws.page_setup.paperSize),
        "header": (ws.oddHeader.left.text, ws.oddHeader.right.text, ws.oddFooter.center.text),
        "freeze": ws.freeze_panes,
    }


def _assert_same(old: Path, new: Path) -> None:
    a, b = _parts(old), _parts(new)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name  # sheets, shared strings, styles: the same bytes
    wa, wb = openpyxl.load_workbook(old), openpyxl.load_workbook(new)
    assert wa.sheetnames == wb.sheetnames
    for name in wa.sheetnames:
        assert _look(wa[name]) == _look(wb[name]), name


@pytest.fixture
def demo_pack(tmp_path):
    from ecodesk.demo import ROUND, run_demo
    from ecodesk.project import Project

    run_demo(tmp_path / "示例")
    project = Project.open(tmp_path / "示例")
    yield project, ROUND
    project.close()


def test_the_demo_pack_is_the_same_written_as_blocks(demo_pack, tmp_path, monkeypatch):
    project, rnd = demo_pack
    new = writer.write_report(project, rnd, tmp_path / "new.xlsx", as_of=dt.date(2025, 7, 3)).path
    monkeypatch.setattr(
        writer, "write_layout", lambda wb, f, lay, block: write_layout(wb, f, lay, block=False)
    )
    old = writer.write_report(project, rnd, tmp_path / "old.xlsx", as_of=dt.date(2025, 7, 3)).path
    _assert_same(old, new)
    wb = openpyxl.load_workbook(new)
    assert len(wb.sheetnames) >= 5 and any(wb[n].merged_cells.ranges for n in wb.sheetnames)


def _big_layout(seed: int, rows: int) -> SheetLayout:
    """A table like 附件1/数据来源: merged group labels down the first columns, verdict fills,
    numbers, long wrapped text, blanks and a few cells written twice; paginated."""
    rnd = random.Random(seed)
    styles = [s for s in STYLES if s not in ("title", "subtitle", "head")]
    widths = [6.0, 10.0, 14.0, 30.0, 9.0, 9.0, 12.0, 20.0]
    lay = SheetLayout.table(
        "附件1", widths, [f"列{c}" for c in range(8)], "标题", "截至 2025年7月3日", "某县"
    )
    r = 3
    while r < 3 + rows:
        n = rnd.randint(1, 12)
        lay.level(r, 0)
        if n > 1:
            lay.put(r, 0, r + n - 1, 0, rnd.randint(1, 99), "center")
            lay.put(r, 1, r + n - 1, 1, f"领域{r}", "group")
        else:
            lay.cell(r, 0, None, "center")
            lay.cell(r, 1, "", "group")
        for i in range(r, r + n):
            lay.level(i, 2)
            lay.cell(
                i, 2, rnd.choice(["甲", "=1+1", " 空格 ", "a & b < c", "x" * rnd.randint(1, 200)]), "left"
            )
            lay.cell(i, 3, "很长的说明文字，" * rnd.randint(0, 12), "text")
            lay.cell(i, 4, rnd.choice([0.1 + 0.2, 95, -3.25, 1e16, 12345678901234567, None]), "number")
            lay.cell(i, 5, rnd.choice(["√ 达标", "× 未达标", "？ 待核实"]), rnd.choice(styles))
            if rnd.random() < 0.3:
                lay.put(i, 6, i, 7, rnd.choice(["合并", 7, None]), rnd.choice(styles))
            else:
                lay.cell(i, 6, rnd.random(), "number")
                lay.cell(i, 7, True if rnd.random() < 0.05 else f"备注{i}", "small")
            if rnd.random() < 0.05:
                lay.cell(
                    i, 5, rnd.choice(["又写一次", PASS, "长" * 40_000]), "bold"
                )  # a later cell in the same place wins
        r += n
    lay.paginate(3)
    return lay


def test_big_generated_tables_are_the_same_written_as_blocks(tmp_path):
    seed = 7
    lays = [_big_layout(seed, 1200), _big_layout(seed + 10, 40)]
    lays[1].name = "问题清单"
    for block, name in ((False, "old"), (True, "new")):
        wb = xlsxwriter.Workbook(str(tmp_path / f"{name}.xlsx"), {**OPTIONS, "in_memory": True})
        wb.set_properties({"created": dt.datetime(2025, 7, 3)})
        f = Formats(wb)
        for lay in lays:
            write_layout(wb, f, lay, block=block)
        wb.close()
    assert len(lays[0].breaks) > 10 and any(b.merged for b in lays[0].blocks)
    _assert_same(tmp_path / "old.xlsx", tmp_path / "new.xlsx")


def test_a_block_refuses_what_xlsxwriter_refuses(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"in_memory": True})
    ws = add_block_sheet(wb, "表")
    ws.merge_cells(0, 0, 1, 1)
    with pytest.raises(ValueError, match="A1:B2"):
        ws.merge_cells(1, 1, 2, 2)  # overlaps, as merge_range refuses
    with pytest.raises(ValueError, match="two cells"):
        ws.merge_cells(3, 3, 3, 3)
    with pytest.raises(TypeError, match="NaN"):
        ws.write_cells([(0, 0, float("nan"), None)])
    ws.write_cells([(5, 0, "甲", None)], {5: 30})
    ws.write_string(5, 1, "同一行")  # a block's row written the usual way too: refused at close
    with pytest.raises(ValueError, match="cell by cell"):
        wb.close()
