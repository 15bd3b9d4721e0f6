"""报送情况 on the demo (``ecodesk demo``): each department's timeliness this round (按时 / 逾期 /
未报送, from ecodesk.timeliness) and every file not used with why — the draft 水利局 replaced, and
the unreadable file whose department could not be told (counted under the table, named on
数据来源, the one sheet that names files)."""

from __future__ import annotations

import openpyxl
import pytest

from ecodesk.demo import ROUND, run_demo
from ecodesk.report import status_sheet
from ecodesk.timeliness import timeliness_rows


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "示例"
    result = run_demo(root)
    wb = openpyxl.load_workbook(result.report)
    yield result, wb


def _rows(ws) -> dict[str, list]:
    head = [c.value for c in ws[status_sheet.HEADER_ROW + 1]]
    assert head == list(status_sheet.HEADER)
    out = {}
    for r in range(status_sheet.HEADER_ROW + 2, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "").isdigit():
            out[ws.cell(r, 2).value] = dict(zip(head, [c.value for c in ws[r]], strict=False))
    return out


def test_timeliness_per_department_is_the_timeliness_module(demo):
    result, wb = demo
    rows = _rows(wb[status_sheet.SHEET])
    from ecodesk.project import Project

    with Project.open(result.root) as p:
        want = {t["department"]: t["timeliness_label"] for t in timeliness_rows(p, [p.round(ROUND)])}
    assert {d: r["及时性"] for d, r in rows.items() if d in want} == want
    assert rows["卫健局"]["及时性"] == rows["统计局"]["及时性"] == "未报送"
    assert {r["及时性"] for r in rows.values()} <= {"按时", "逾期", "未报送", "未到期", "—"}
    assert "按时" in {r["及时性"] for r in rows.values()}


def test_unused_files_are_listed_with_why(demo):
    _result, wb = demo
    ws = wb[status_sheet.SHEET]
    rows = _rows(ws)
    assert "已被水利局更新的报送文件替换" in (rows["水利局"]["未采用的文件"] or "")
    assert ".xls" not in rows["水利局"]["未采用的文件"]  # names are on 数据来源
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "另有 1 个文件未能确认报送部门（无法读取 1 个）" in text
    source = "\n".join(str(c.value) for row in wb["数据来源"].iter_rows() for c in row if c.value)
    assert "未采用的文件" in source and "会议通知.docx" in source and "初稿" in source
    assert "无法读取：文件已损坏" in source
