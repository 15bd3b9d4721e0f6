"""Sheet 5, 总览: counts by verdict and by 领域, reporting progress, and a chart."""

from __future__ import annotations

import xlsxwriter

from ..verdicts import VERDICTS
from .data import ReportData
from .style import Formats, page_setup

SHEET = "总览"
REFERENCE = "参考性指标"


def write(wb: xlsxwriter.Workbook, f: Formats, d: ReportData) -> None:
    ws = wb.add_worksheet(SHEET)
    ws.set_column(0, 0, 16)
    ws.set_column(1, len(VERDICTS) + 1, 9)
    last = len(VERDICTS) + 1
    ws.merge_range(0, 0, 0, last, f"{d.county}{d.round} 指标达标情况总览", f.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, f"截至 {d.as_of.year}年{d.as_of.month}月{d.as_of.day}日", f.subtitle)
    header_row = 2
    ws.write_string(header_row, 0, "领域", f.head)
    for c, v in enumerate(VERDICTS, start=1):
        ws.write_string(header_row, c, v, f.head)
    ws.write_string(header_row, last, "合计", f.head)
    domains: dict[str, dict[str, int]] = {}
    by_key = {i.key: i for i in d.catalogue.indicators}
    for v in d.verdicts.verdicts:
        ind = by_key[v.key]
        dom = REFERENCE if ind.reference else (ind.domain or "（未分领域）")
        domains.setdefault(dom, dict.fromkeys(VERDICTS, 0))[v.verdict] += 1
    r = header_row + 1
    for dom, counts in domains.items():
        ws.write_string(r, 0, dom, f.left)
        for c, v in enumerate(VERDICTS, start=1):
            ws.write_number(r, c, counts[v], f.center)
        ws.write_number(r, last, sum(counts.values()), f.bold)
        r += 1
    ws.write_string(r, 0, "合计", f.bold)
    totals = d.verdicts.counts()
    for c, v in enumerate(VERDICTS, start=1):
        ws.write_number(r, c, totals[v], f.bold)
    ws.write_number(r, last, sum(totals.values()), f.bold)
    first_data, total_row = header_row + 1, r
    r += 2
    reported = sum(1 for s in d.statuses if s.reported)
    late = sum(1 for s in d.statuses if s.late)
    tasks = d.verdicts.tasks
    facts = [
        ("应报部门", len(d.statuses)),
        ("已报部门", reported),
        ("未报部门", len(d.statuses) - reported),
        ("逾期报送", late),
        ("任务条目（任务×部门）", len(tasks)),
        ("其中已完成", sum(1 for t in tasks if t.status == "已完成")),
        ("其中滞后", sum(1 for t in tasks if t.status == "滞后")),
        ("其中未报", sum(1 for t in tasks if t.status == "未报")),
        ("待处理问题", len(d.problems)),
    ]
    for label, n in facts:
        ws.write_string(r, 0, label, f.left)
        ws.write_number(r, 1, n, f.center)
        r += 1
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    colours = ["#70AD47", "#C00000", "#FFC000", "#A6A6A6", "#5B9BD5"]
    for c, colour in enumerate(colours, start=1):
        chart.add_series(
            {
                "name": [SHEET, header_row, c],
                "categories": [SHEET, first_data, 0, total_row - 1, 0],
                "values": [SHEET, first_data, c, total_row - 1, c],
                "fill": {"color": colour},
                "border": {"color": "#404040"},
                "data_labels": {"value": True},
            }
        )
    chart.set_title({"name": "各领域指标达标情况", "name_font": {"name": "黑体", "size": 12}})
    chart.set_x_axis({"name": "指标数", "num_font": {"name": "宋体"}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": "宋体"}})
    chart.set_legend({"position": "bottom", "font": {"name": "宋体"}})
    chart.set_size({"width": 620, "height": 320})
    ws.insert_chart(header_row, last + 2, chart)
    page_setup(ws, header_row, d.county, d.round, SHEET)
