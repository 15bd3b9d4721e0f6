"""Many charts alike — one per indicator, differing only in title, series name and the row they
draw — at a fraction of xlsxwriter's cost per chart.

xlsxwriter builds each chart from its options in Python (about 2.5 ms a line chart with a title,
markers and labels: six seconds for a province's 2,400 indicators). :func:`alike_line_charts`
lets xlsxwriter build one chart, the pattern, from the options the caller gives, and writes every
chart as that chart's XML with its own title, series name, values range and cached values — real
native charts in their own parts, placed, related and packaged by xlsxwriter like any other
(``insert_chart``). The first chart is byte for byte what xlsxwriter writes for it (tested).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.chart_line import ChartLine
from xlsxwriter.drawing import Drawing, DrawingInfo, DrawingTypes
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

__all__ = ["ChartsSheet", "LineSpec", "add_charts_sheet", "alike_line_charts"]

_TITLE, _NAME = "\u2060TITLE\u2060", "\u2060NAME\u2060"  # placeholders no option text contains


@dataclass(frozen=True)
class LineSpec:
    """One chart: its title, its series' name, and the values it draws — a row of ``sheet`` from
    (``row``, ``first_col``), one cell per category."""

    title: str
    name: str
    row: int
    values: Sequence[float | None]


class _Written(ChartLine):
    """A chart whose XML is already made (the pattern's, with this chart's own parts)."""

    _xml = ""

    def _assemble_xml_file(self) -> None:
        self.fh.write(self._xml)
        self._xml_close()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ref(sheet: str, row: int, first_col: int, last_col: int) -> str:
    first = xl_rowcol_to_cell(row, first_col, row_abs=True, col_abs=True)
    last = xl_rowcol_to_cell(row, last_col, row_abs=True, col_abs=True)
    return f"{quote_sheetname(sheet)}!{first}:{last}"


def _values_xml(ref: str, values: Sequence[float | None]) -> str:
    """The series' ``<c:val>`` as xlsxwriter writes it (``_write_val`` with its number cache)."""
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{x!r}</c:v></c:pt>'
        for i, x in enumerate([None if x is None else float(x) for x in values])
        if x is not None and x - x == 0  # finite (NaN and ±inf are no point)
    )
    return (
        f"<c:val><c:numRef><c:f>{_escape(ref)}</c:f><c:numCache><c:formatCode>General</c:formatCode>"
        f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef></c:val>'
    )


Configure = Callable[[ChartLine, dict[str, Any], str], None]


def _pattern(configure: Configure, series: dict[str, Any]) -> str:
    chart = ChartLine({})
    chart.embedded = True
    chart.id = 0
    configure(chart, series, _TITLE)
    buf = io.StringIO()
    chart._set_filehandle(buf)
    chart._assemble_xml_file()
    return buf.getvalue()


def alike_line_charts(
    wb: xlsxwriter.Workbook,
    sheet: str,
    categories: tuple[int, int, Sequence[str]],
    first_col: int,
    specs: Sequence[LineSpec],
    configure: Configure,
) -> list[ChartLine]:
    """Line charts of ``wb``, one per spec, each drawing its row of ``sheet`` against the
    categories (row, first column, labels) — ready for ``worksheet.insert_chart``.

    ``configure(chart, series, title)`` sets the pattern up as for any xlsxwriter chart: it must
    call ``chart.add_series(series | {...})`` once (``series`` holds the name, categories and
    values) and may call ``chart.set_title({"name": title, …})``; legend, axes … as it likes.
    """
    if not specs:
        return []
    cat_row, cat_col, labels = categories
    last_col = first_col + len(labels) - 1
    cat_ref = _ref(sheet, cat_row, cat_col, cat_col + len(labels) - 1)
    row0 = specs[0].row
    series = {
        "name": _NAME,
        "categories": "=" + cat_ref,
        "categories_data": list(labels),
        "values": "=" + _ref(sheet, row0, first_col, last_col),
        "values_data": [0] * len(labels),
    }

    xml = _pattern(configure, series)
    start = xml.index("<c:val>")
    end = xml.index("</c:val>", start) + len("</c:val>")
    head, tail = xml[:start], xml[end:]
    if xml.count(_NAME) != 1 or head.count(_TITLE) > 1 or _TITLE in tail:
        raise ValueError("the chart pattern must have one series name and at most one title")
    proto = _Written({})
    proto.series = [{}]  # xlsxwriter refuses a chart without a series
    out = []
    for spec in specs:
        values = _values_xml(_ref(sheet, spec.row, first_col, last_col), spec.values)
        text = head.replace(_TITLE, _escape(spec.title)).replace(_NAME, _escape(spec.name))
        chart = copy.copy(proto)
        chart._xml = text + values + tail
        chart.embedded = True
        wb.charts.append(chart)
        out.append(chart)
    return out


# ---- the sheet that holds them -------------------------------------------------------------------
_DIMS, _INDEX, _REL = [900_000_001 + i for i in range(8)], 900_000_100, 900_000_200  # stand-ins


class _PatternDrawing(Drawing):
    """xlsxwriter's drawing part, each plain chart anchor written from one anchor xlsxwriter
    writes (with stand-in numbers): the same XML, without its generic tag writers per element."""

    _pattern: str | None = None

    def _write_two_cell_anchor(self, index: int, drawing: DrawingInfo) -> None:
        plain = (
            drawing._drawing_type == DrawingTypes.CHART
            and not (drawing._anchor in (2, 3) or drawing._shape or drawing._name or drawing._description)
            and len(drawing._dimensions) >= 8
        )
        if not plain:
            super()._write_two_cell_anchor(index, drawing)
            return
        if self._pattern is None:
            self._pattern = _anchor_pattern(drawing)
        d = drawing._dimensions
        self.fh.write(self._pattern.format(*d[:8], index + 1, index, drawing._rel_index))


def _anchor_pattern(like: DrawingInfo) -> str:
    """xlsxwriter's anchor for a chart like ``like``, as a ``str.format`` pattern: {0}–{7} the
    dimensions, {8} the shape id, {9} the index, {10} the relationship."""
    probe = DrawingInfo()
    probe._drawing_type, probe._anchor = like._drawing_type, like._anchor
    probe._dimensions = [*_DIMS, 0, 0]
    probe._rel_index = _REL
    writer = Drawing()
    writer.embedded = 1
    buf = io.StringIO()
    writer._set_filehandle(buf)
    writer._write_two_cell_anchor(_INDEX, probe)
    xml = buf.getvalue().replace("{", "{{").replace("}", "}}")
    for n, stand_in in enumerate([*_DIMS, _INDEX + 1, _INDEX, _REL]):
        if xml.count(str(stand_in)) != 1:
            raise ValueError("xlsxwriter's chart anchor is not as expected")
        xml = xml.replace(str(stand_in), "{" + str(n) + "}")
    return xml


class ChartsSheet(Worksheet):
    """An xlsxwriter worksheet for many charts: its drawing part writes each anchor from one
    pattern (:class:`_PatternDrawing`) — for 2,400 charts a few tenths of a second less."""

    def _prepare_chart(self, index: int, chart_id: int, drawing_id: int) -> None:
        super()._prepare_chart(index, chart_id, drawing_id)
        if type(self.drawing) is Drawing:
            self.drawing.__class__ = _PatternDrawing


def add_charts_sheet(wb: xlsxwriter.Workbook, name: str) -> ChartsSheet:
    """A :class:`ChartsSheet` added to ``wb`` under ``name``."""
    ws = wb.add_worksheet(name, worksheet_class=ChartsSheet)
    assert isinstance(ws, ChartsSheet)
    return ws
