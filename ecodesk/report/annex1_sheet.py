"""Sheet 1, 指标责任分解表: the county's Annex 1 — same columns in the same order, same merged
领域 / 任务 / 序号 / group spans, the 参考性指标 block — plus 本期值, 上期值, 达标情况, 说明."""

from __future__ import annotations

import xlsxwriter

from ..annex_export import Sheet, write_annex1_rows
from .data import ReportData
from .style import VERDICT_FILL, Formats, colour_by_text, page_setup, write_text

SHEET = "指标责任分解表"
ANNEX_HEADER = ("领域", "任务", "序号", "指标名称", "", "单位", "指标值", "责任部门(标*为牵头单位)")
EXTRA_HEADER = ("本期值", "上期值", "达标情况", "说明")
WIDTHS = (6, 10, 4.5, 8, 20, 6, 15, 15, 8, 8, 7, 40)
HEADER_ROW = 2
TITLE = "{county}国家生态文明建设示范区创建指标责任分解表"


def write(wb: xlsxwriter.Workbook, f: Formats, d: ReportData) -> None:
    sh = Sheet(wb, SHEET, WIDTHS)
    ws = sh.ws
    last = len(WIDTHS) - 1
    ws.merge_range(0, 0, 0, last, f"{TITLE.format(county=d.county)}（{d.round}）", f.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, f"截至 {d.as_of.year}年{d.as_of.month}月{d.as_of.day}日", f.subtitle)
    for c, text in enumerate(ANNEX_HEADER + EXTRA_HEADER):
        if c not in (3, 4):
            ws.write_string(HEADER_ROW, c, text, f.head)
    ws.merge_range(HEADER_ROW, 3, HEADER_ROW, 4, "指标名称", f.head)
    sh.lines[HEADER_ROW] = 2
    inds = d.catalogue.indicators
    top = HEADER_ROW + 1
    write_annex1_rows(sh, f.annex, inds, top)
    verdicts = {v.key: v for v in d.verdicts.verdicts}
    for i, ind in enumerate(inds):
        v = verdicts[ind.key]
        r = top + i
        value: object = v.value_number if v.value_number is not None else (v.value or None)
        write_text(ws, r, 8, value, f.number)
        prev: object = float(v.previous) if v.previous else None
        write_text(ws, r, 9, prev, f.number)
        ws.write_string(r, 10, v.verdict, f.bold)
        sh.put(r, 11, r, 11, v.reason, f.left)
    sh.fit_rows(HEADER_ROW, top + len(inds) - 1)
    colour_by_text(ws, f"K{top + 1}:K{top + len(inds)}", f, {k: k for k in VERDICT_FILL})
    page_setup(ws, HEADER_ROW, d.county, d.round, SHEET)
