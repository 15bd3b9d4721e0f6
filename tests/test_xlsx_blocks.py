"""The xlsx toolkit's fast paths for big workbooks: blocks of cells written a column at a time
(:mod:`ecodesk.xlsx.bulk`) and many alike charts cloned from one xlsxwriter pattern
(:mod:`ecodesk.xlsx.charts`) — each checked against what xlsxwriter itself writes, read back by
openpyxl and python-calamine."""

from __future__ import annotations

import io
import math
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from xlsxwriter.chart_line import ChartLine

from ecodesk.xlsx.bulk import add_block_sheet
from ecodesk.xlsx.cells import write_value
from ecodesk.xlsx.charts import LineSpec, alike_line_charts

VALUES = [
    ["甲", "=1+1", " 前后有空格 ", "a & b < c", "", None, "_x0041_ 控制\x01符"],
    [1.5, 0.1 + 0.2, 3, -0.0, float("nan"), None, 1e16],
    [None, "已建立", 95.0, "", 12, "达标", None],
]


def _both(path, rows_start: int = 3):
    """The same cells two ways: xlsxwriter's write_value on sheet A, a block on sheet B."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    fmt = wb.add_format({"bold": True, "border": 1})
    plain = wb.add_worksheet("A")
    block = add_block_sheet(wb, "B")
    for ws in (plain, block):
        ws.write_string(0, 0, "表头", fmt)  # rows the usual way above and below the block
        ws.set_row(1, 30)
        ws.write_string(rows_start + len(VALUES[0]) + 1, 0, "表尾")
    for c, col in enumerate(VALUES):
        for r, v in enumerate(col):
            write_value(plain, rows_start + r, c, None if isinstance(v, float) and math.isnan(v) else v,
                        fmt if c != 2 else None)  # fmt: skip
    end = block.write_columns(rows_start, 0, VALUES, [fmt, fmt, None], heights=[None, 20, *[None] * 5])
    plain.set_row(rows_start + 1, 20)
    wb.close()
    return end


def test_a_block_holds_what_write_value_writes(tmp_path):
    path = tmp_path / "b.xlsx"
    end = _both(path)
    assert end == 3 + len(VALUES[0])
    wb = openpyxl.load_workbook(path)
    a, b = wb["A"], wb["B"]
    assert a.max_row == b.max_row and a.max_column == b.max_column
    for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
        for x, y in zip(row_a, row_b, strict=True):
            if x.coordinate != "B5":  # below: xlsxwriter writes 16 digits, a block every digit
                assert (x.value, x.data_type) == (y.value, y.data_type), x.coordinate
            assert (x.font.b, x.border.left.style) == (y.font.b, y.border.left.style), x.coordinate
    assert b["B5"].value == 0.1 + 0.2 and a["B5"].value == 0.3  # every digit (repr), not 16
    assert b["A4"].value == "甲" and b["A5"].value == "=1+1" and b["A5"].data_type == "s"
    assert b["A6"].value == " 前后有空格 " and b["A7"].value == "a & b < c"
    assert b["B8"].value is None and b["B8"].font.b  # NaN: a blank cell that keeps its format
    assert b.row_dimensions[5].height == 20 and b.row_dimensions[2].height == 30
    cal = CalamineWorkbook.from_path(str(path))
    got_a, got_b = cal.get_sheet_by_name("A").to_python(), cal.get_sheet_by_name("B").to_python()
    assert got_a == [[pytest.approx(v) if isinstance(v, float) else v for v in row] for row in got_b]


def test_a_block_refuses_rows_written_the_usual_way_and_other_values(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"in_memory": True})
    ws = add_block_sheet(wb, "B")
    ws.write_columns(2, 0, [["a", "b"]])
    with pytest.raises(TypeError, match="True"):
        ws.write_columns(10, 0, [[True]])
    with pytest.raises(ValueError, match="as long"):
        ws.write_columns(10, 0, [["a"], ["b", "c"]])
    ws.write_string(3, 1, "重叠")
    with pytest.raises(ValueError, match="cell by cell"):
        wb.close()


def _pattern(chart, series, title):
    chart.add_series({**series, "marker": {"type": "circle", "size": 6}, "data_labels": {"value": True}})
    chart.set_title({"name": title, "name_font": {"name": "黑体", "size": 11}})
    chart.set_legend({"none": True})


def _xlsxwriter_chart(sheet: str, periods: list[str], row: int, spec: LineSpec) -> str:
    """The chart xlsxwriter writes for ``spec`` (as embedded chart 1)."""
    chart = ChartLine({})
    chart.embedded, chart.id = True, 0
    n = len(periods)
    _pattern(
        chart,
        {
            "name": spec.name,
            "categories": [sheet, 0, 1, 0, n],
            "categories_data": periods,
            "values": [sheet, row, 1, row, n],
            "values_data": list(spec.values),
        },
        spec.title,
    )
    buf = io.StringIO()
    chart._set_filehandle(buf)
    chart._assemble_xml_file()
    return buf.getvalue()


def test_alike_charts_are_xlsxwriters_charts(tmp_path):
    periods = ["2024年度", "2025年上半年", "2025年度"]
    specs = [
        LineSpec("1 PM2.5浓度（微克/立方米）", "PM2.5浓度", 1, [32.0, None, 29.5]),
        LineSpec("2 A & B <C>", "A & B <C>", 2, [0.1 + 0.2, 1.0, float("nan")]),
        LineSpec("3 森林覆盖率（%）", "森林覆盖率", 3, [64, 64.2, 64.2]),
    ]
    path = tmp_path / "c.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    data = wb.add_worksheet("图表 数据")
    data.write_row(0, 1, periods)
    for s in specs:
        data.write_row(s.row, 1, [x if x is not None and x == x else None for x in s.values])
    ws = wb.add_worksheet("趋势图")
    charts = alike_line_charts(wb, "图表 数据", (0, 1, periods), 1, specs, _pattern)
    for k, chart in enumerate(charts):
        ws.insert_chart(k * 16, 0, chart)
    wb.close()
    with zipfile.ZipFile(path) as z:
        xml = [z.read(f"xl/charts/chart{k + 1}.xml").decode() for k in range(len(specs))]
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        types = z.read("[Content_Types].xml").decode()
    assert xml[0] == _xlsxwriter_chart("图表 数据", periods, 1, specs[0])  # byte for byte
    assert xml[2] == _xlsxwriter_chart("图表 数据", periods, 3, specs[2]).replace(
        "<c:v>64</c:v>", "<c:v>64.0</c:v>"
    )
    assert "<a:t>2 A &amp; B &lt;C&gt;</a:t>" in xml[1] and "<c:v>A &amp; B &lt;C&gt;</c:v>" in xml[1]
    assert "<c:f>'图表 数据'!$B$3:$D$3</c:f>" in xml[1]
    assert re.findall(r'<c:pt idx="(\d)"><c:v>([^<]+)</c:v>', xml[1].split("<c:val>")[1]) == [
        ("0", "0.30000000000000004"),
        ("1", "1.0"),
    ]
    assert drawing.count("<c:chart ") == 3 and types.count("drawingml.chart+xml") == 3
    assert len(openpyxl.load_workbook(path)["趋势图"]._charts) == 3


def _charts_workbook(path, sheet_of):
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    data = wb.add_worksheet("数据")
    data.write_row(0, 0, ["a", "b", "c"])
    data.write_row(1, 0, [1, 2, 3])
    ws = sheet_of(wb)
    ws.set_column(0, 3, 14)
    ws.set_row(5, 40)
    for k in range(5):
        chart = wb.add_chart({"type": "line"})
        chart.add_series({"values": ["数据", 1, 0, 1, 2], "categories": ["数据", 0, 0, 0, 2]})
        if k == 3:
            chart.chart_name = "名为 & 的图"  # a named chart: xlsxwriter's own anchor
        ws.insert_chart(
            k * 7, k % 2 * 3, chart, {"x_offset": 5 * k, "y_offset": 3 * k, "x_scale": 1 + k / 10}
        )
    wb.close()
    assert type(ws.drawing).__name__ == (
        "_PatternDrawing" if type(ws).__name__ == "ChartsSheet" else "Drawing"
    )
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def test_a_charts_sheet_writes_xlsxwriters_drawing(tmp_path):
    from ecodesk.xlsx.charts import add_charts_sheet

    plain = _charts_workbook(tmp_path / "a.xlsx", lambda wb: wb.add_worksheet("图"))
    fast = _charts_workbook(tmp_path / "b.xlsx", lambda wb: add_charts_sheet(wb, "图"))
    assert plain.keys() == fast.keys() and "xl/drawings/drawing1.xml" in fast
    for name in plain:
        assert plain[name] == fast[name], name
