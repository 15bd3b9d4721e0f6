"""History out to files: an xlsx for clerks and analysts (the indicator × period table in the
county's Annex-1 order with units and targets, the tidy long table, one native chart per indicator
with a numeric series, each department's timeliness, the verdict changes) and a CSV of the long
table (UTF-8 with a BOM, so Excel opens it as Chinese text)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import xlsxwriter

from .history import COLUMNS, HEADERS, History, trend
from .messages import EcoDeskError
from .times import local_time
from .verdicts.model import Outcome
from .xlsx.atomic import atomic_workbook
from .xlsx.bulk import BlockSheet, add_block_sheet
from .xlsx.cells import col_letter
from .xlsx.charts import LineSpec, add_charts_sheet, alike_line_charts
from .xlsx.formats import FONT, HEAD_FILL, Formats, Style, table_styles
from .xlsx.page import Page, print_a4
from .xlsx.text import cells_height, row_points

SHEET_TABLE = "指标历年值"
SHEET_LONG = "明细"
SHEET_CHARTS = "趋势图"
SHEET_CHART_DATA = "图表数据"
SHEET_TIMELINESS = "报送及时性"
SHEET_CHANGES = "判定变化"
CHANGE_LABELS = {"newly_failing": "新增未达标", "resolved": "已改善为达标", "changed": "判定变化"}
CHARTS_PER_ROW = 2
CHART_ROWS, CHART_COLS = 16, 8  # cells a chart takes on 趋势图
#: Above this many rows, 明细 and 报送及时性 are not written cell by cell (a province's 20 rounds
#: are over 100,000 rows: minutes to write, and Excel crawls): 明细 says where the full table is
#: (the CSV), 报送及时性 becomes a department × period table.
LONG_MAX_ROWS = 10_000
CSV_HINT = (
    "在「历年趋势」页点「导出历年数据…」并选“CSV 明细”，或运行 ecodesk history 项目文件夹 --out 明细.csv"
)


def period_label(h: History, i: int) -> str:
    r = h.rounds[i]
    return r.period if r.period == r.name else f"{r.period}\n（{r.name}）"


def write_xlsx(h: History, out: Path | str, county: str = "") -> Path:
    """Write the history workbook to ``out`` atomically."""
    out = Path(out)
    with atomic_workbook(out, f"{county}历年指标数据", county) as wb:
        f = _formats(wb)
        chart_rows = _table_sheet(wb, f, h, county)
        _charts_sheet(wb, f, h, chart_rows)
        _long_sheet(wb, f, h)
        _timeliness_sheet(wb, f, h)
        _changes_sheet(wb, f, h)
        _chart_data_sheet(wb, f, h, chart_rows)
    return out


def write_csv(h: History, out: Path | str) -> Path:
    """The tidy long table as CSV, UTF-8 with a BOM, Chinese headers."""
    out = Path(out)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.part.csv")
    frame = h.values.rename(columns=HEADERS)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        os.replace(tmp, out)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise EcoDeskError("report.locked", path=out) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EcoDeskError("report.write_failed", path=out, detail=exc.strerror or exc) from exc
    return out


# ---- sheets -------------------------------------------------------------------------------------
#: fills of the 达标情况 cells (conditional formats)
FILLS = {Outcome.PASS.value: "#C6EFCE", Outcome.FAIL.value: "#F8CBAD", Outcome.REVIEW.value: "#FFEB9C",
         Outcome.MISSING.value: "#D9D9D9"}  # fmt: skip
STYLES: dict[str, Style] = {
    **table_styles(10),
    "sub": {"font": FONT, "size": 10, "align": "right"},
    "plain": {"font": FONT, "size": 10},
    "plain_head": {"font": FONT, "size": 10, "bold": True, "fill": HEAD_FILL},
    "percent": {"font": FONT, "size": 10, "num_format": "0%"},
    **{f"fill:{word}": {"fill": fill} for word, fill in FILLS.items()},
}


def _formats(wb: xlsxwriter.Workbook) -> Formats:
    return Formats(wb, STYLES)


def _plain(column: Any) -> list[Any]:
    """A frame's column as plain Python values: None for every kind of missing (None, NaN, pd.NA),
    是/否 for a bool."""
    if column.dtype == bool:
        return ["是" if x else "否" for x in column.tolist()]
    values = column.to_numpy(dtype=object, na_value=None).tolist()
    return [("是" if v else "否") if type(v) is bool else v for v in values]


def _shown(column: str, values: list[Any]) -> list[Any]:
    """A column's cells as a clerk reads them: times on this computer's clock (a save time is kept
    as UTC; the CSV keeps the ISO text with its zone, for analysts)."""
    if column not in ("received_at", "saved_at"):
        return values
    return [local_time(v) if isinstance(v, str) and v else v for v in values]


def _table_sheet(wb: xlsxwriter.Workbook, f: Formats, h: History, county: str) -> dict[str, int]:
    """序号 · 指标名称 · 单位 · 指标值 · 本地目标 · 本期值 per period · 达标情况 per period · 趋势.
    Returns the row of each indicator with a numeric series on 图表数据 (for the charts)."""
    ws = add_block_sheet(wb, SHEET_TABLE)
    n = len(h.rounds)
    first_v, first_j = 5, 5 + n
    last = first_j + n  # the trend column
    ws.merge_range(0, 0, 0, max(last, 5), f"{county}生态文明建设示范区 指标历年值", f["title"])
    ws.set_row(0, 30)
    span = f"{h.rounds[0].period} 至 {h.rounds[-1].period}，共 {n} 期" if n else "尚无调度轮次"
    ws.merge_range(1, 0, 1, max(last, 5), span, f["sub"])
    for c, label in enumerate(("序号", "指标名称", "单位", "指标值", "本地目标")):
        ws.merge_range(2, c, 3, c, label, f["head"])
    if n:
        if n > 1:
            ws.merge_range(2, first_v, 2, first_j - 1, "全县数值（牵头单位填报，或人工改正值）", f["head"])
            ws.merge_range(2, first_j, 2, last - 1, "达标情况", f["head"])
        else:
            ws.write_string(2, first_v, "全县数值", f["head"])
            ws.write_string(2, first_j, "达标情况", f["head"])
        for i in range(n):
            ws.write_string(3, first_v + i, period_label(h, i), f["head"])
            ws.write_string(3, first_j + i, period_label(h, i), f["head"])
    ws.merge_range(2, last, 3, last, "趋势", f["head"]) if n else ws.write_string(2, last, "趋势", f["head"])
    inds = h.catalogue.indicators
    names = [f"{i.group}：{i.name}" if i.group else i.name for i in inds]
    values = h.indicator_table("county_value")
    verdicts = h.indicator_table("verdict")
    numbers = h.numeric_table().to_numpy().tolist() if n else [[] for _ in inds]
    nums = [[None if x != x else x for x in row] for row in numbers]  # NaN → None
    chart_rows: dict[str, int] = {}
    for ind, row in zip(inds, nums, strict=True):
        if sum(x is not None for x in row) >= 2:  # one point is no trend: the table has it
            chart_rows[ind.key] = len(chart_rows) + 1
    columns = [
        [i.number for i in inds],
        names,
        [i.unit for i in inds],
        [i.target_text for i in inds],
        [i.local_target_text for i in inds],
        *(_plain(values[c]) for c in values.columns),
        *(_plain(verdicts[c]) for c in verdicts.columns),
        [trend(row, i.better) for i, row in zip(inds, nums, strict=True)],
    ]
    center, left = f["center"], f["left"]
    heights = [
        cells_height([(name, 26), (i.target_text, 22), (i.local_target_text, 22)])
        for name, i in zip(names, inds, strict=True)
    ]
    r = ws.write_columns(4, 0, columns, [center, left, center, left, left, *[center] * (2 * n + 1)], heights)
    if n:
        rng = f"{col_letter(first_j)}5:{col_letter(last - 1)}{r}"
        for word in FILLS:
            fmt = f[f"fill:{word}"]
            ws.conditional_format(
                rng, {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt}
            )
    ws.set_row(3, row_points(2) if any(r.period != r.name for r in h.rounds) else 18)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 8)
    ws.set_column(3, 4, 22)
    ws.set_column(first_v, max(last - 1, first_v), 11)
    ws.set_column(last, last, 9)
    print_a4(ws, Page(repeat=(2, 3), freeze=(4, 2)))
    return chart_rows


def _chart_data_sheet(wb: xlsxwriter.Workbook, f: Formats, h: History, chart_rows: dict[str, int]) -> None:
    """Numbers only (a text value would be drawn as 0), one row per charted indicator."""
    ws = add_block_sheet(wb, SHEET_CHART_DATA)
    ws.write_string(0, 0, "指标", f["plain_head"])
    for i in range(len(h.rounds)):
        ws.write_string(0, i + 1, h.rounds[i].period, f["plain_head"])
    ws.set_column(0, 0, 30)
    if not chart_rows:
        return
    table = h.numeric_table().loc[list(chart_rows)]
    by_key = {i.key: i for i in h.catalogue.indicators}
    labels = [f"{by_key[k].number} {by_key[k].name}" for k in chart_rows]
    ws.write_columns(1, 0, [labels, *(_plain(table[c]) for c in table.columns)], f["plain"])


def _chart_specs(h: History, chart_rows: dict[str, int]) -> list[LineSpec]:
    by_key = {i.key: i for i in h.catalogue.indicators}
    numbers = h.numeric_table().loc[list(chart_rows)].to_numpy().tolist()
    specs = []
    for (key, row), values in zip(chart_rows.items(), numbers, strict=True):
        ind = by_key[key]
        unit = f"（{ind.unit}）" if ind.unit.strip() not in ("", "-", "—") else ""
        specs.append(LineSpec(f"{ind.number} {ind.name}{unit}", ind.name, row, values))
    return specs


def _chart_pattern(chart: Any, series: dict[str, Any], title: str) -> None:
    chart.add_series(
        {
            **series,
            "marker": {"type": "circle", "size": 6},
            "data_labels": {"value": True, "position": "above"},
        }
    )
    chart.set_title({"name": title, "name_font": {"name": "黑体", "size": 11}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_font": {"name": "宋体", "size": 9}})
    chart.set_y_axis({"num_font": {"name": "宋体", "size": 9}, "major_gridlines": {"visible": True}})
    chart.show_blanks_as("span")


def _charts_sheet(wb: xlsxwriter.Workbook, f: Formats, h: History, chart_rows: dict[str, int]) -> None:
    ws = add_charts_sheet(wb, SHEET_CHARTS)
    n = len(h.rounds)
    if not chart_rows or not n:
        ws.write_string(
            0, 0, "没有可作趋势图的指标（至少两期有数值才作图，各期数值见「指标历年值」）", f["plain"]
        )
        return
    periods = [r.period for r in h.rounds]
    charts = alike_line_charts(
        wb, SHEET_CHART_DATA, (0, 1, periods), 1, _chart_specs(h, chart_rows), _chart_pattern
    )
    for k, chart in enumerate(charts):
        ws.insert_chart((k // CHARTS_PER_ROW) * CHART_ROWS, (k % CHARTS_PER_ROW) * CHART_COLS, chart)
    print_a4(ws, Page())


def _long_sheet(wb: xlsxwriter.Workbook, f: Formats, h: History) -> None:
    ws = add_block_sheet(wb, SHEET_LONG)
    ws.write_row(0, 0, [HEADERS[c] for c in COLUMNS], f["plain_head"])
    frame = h.values
    ws.freeze_panes(1, 0)
    ws.set_column(0, len(COLUMNS) - 1, 12)
    if len(frame) > LONG_MAX_ROWS:
        ws.write_string(
            1,
            0,
            f"明细共 {len(frame):,} 行，超过工作簿内明细的上限 {LONG_MAX_ROWS:,} 行，未写入本表。"
            f"完整明细请导出 CSV：{CSV_HINT}。",
            f["plain"],
        )
        return
    columns = []
    for name in COLUMNS:
        col = frame[name]
        if col.dtype == bool:
            columns.append(["是" if x else "否" for x in col.tolist()])
        elif col.dtype.kind in "fiu" or str(col.dtype) == "Int64":
            columns.append(col.astype(float).tolist())
        else:
            columns.append(_shown(name, [None if x is None or x != x else str(x) for x in col.tolist()]))
    ws.write_columns(1, 0, columns)
    ws.autofilter(0, 0, max(len(frame), 1), len(COLUMNS) - 1)


TIMELINESS_HEADERS = ("轮次", "期别", "截止日期", "部门", "是否下发", "是否报送", "报送情况", "部门保存时间",
                      "接收时间", "收到文件数", "表内指标", "已填指标", "完整率")  # fmt: skip
TIMELINESS_FIELDS = ("round", "period", "deadline", "department", "issued", "submitted", "timeliness_label",
                     "saved_at", "received_at", "files", "indicators", "filled", "completeness")  # fmt: skip


def _timeliness_sheet(wb: xlsxwriter.Workbook, f: Formats, h: History) -> None:
    ws = add_block_sheet(wb, SHEET_TIMELINESS)
    t = h.timeliness
    if len(t) > LONG_MAX_ROWS:
        _timeliness_table(wb, ws, f, h)
        return
    ws.write_row(0, 0, TIMELINESS_HEADERS, f["plain_head"])
    columns = [_shown(c, _plain(t[c])) for c in TIMELINESS_FIELDS]
    ws.write_columns(1, 0, columns, [f["plain"]] * 12 + [f["percent"]])
    ws.autofilter(0, 0, max(len(t), 1), 12)
    ws.freeze_panes(1, 0)
    ws.set_column(0, 12, 12)


def _timeliness_table(wb: xlsxwriter.Workbook, ws: BlockSheet, f: Formats, h: History) -> None:
    """Department × period: 按时 / 逾期 / 未报送 / 未到期, shaded (a province's rounds)."""
    table = h.timeliness_table()
    periods = [r.period for r in h.rounds if r.name in table.columns]
    ws.write_row(0, 0, ["部门", *periods], f["plain_head"])
    cells = [[v if isinstance(v, str) else None for v in table[c].tolist()] for c in table.columns]
    ws.write_columns(1, 0, [[str(d) for d in table.index], *cells], [f["plain"]] + [None] * len(cells))
    fills = {"按时": "#C6EFCE", "逾期": "#FFEB9C", "未报送": "#F8CBAD"}
    for word, colour in fills.items():
        ws.conditional_format(
            1, 1, max(len(table), 1), max(len(periods), 1),
            {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": wb.add_format({"bg_color": colour})},
        )  # fmt: skip
    ws.freeze_panes(1, 1)
    ws.set_column(0, 0, 18)
    ws.set_column(1, max(len(periods), 1), 11)


def _changes_sheet(wb: xlsxwriter.Workbook, f: Formats, h: History) -> None:
    ws = add_block_sheet(wb, SHEET_CHANGES)
    ch = h.changes()
    ws.write_row(
        0,
        0,
        ["期别", "轮次", "比较期", "比较轮次", "序号", "指标名称", "原判定", "现判定", "变化"],
        f["plain_head"],
    )
    cols = ["period", "round", "previous_period", "previous_round", "number", "name", "before", "after"]
    total = len(ch)
    if total > LONG_MAX_ROWS:  # a province's rounds: the latest periods' changes (all are on 指标历年值)
        keep: list[str] = []
        for name in reversed(ch["round"].drop_duplicates().tolist()):  # newest first
            if keep and ch["round"].isin([*keep, name]).sum() > LONG_MAX_ROWS:
                break
            keep.append(name)
        ch = ch[ch["round"].isin(keep)]
    listed = ch[cols].assign(change=ch["change"].map(CHANGE_LABELS))
    ws.write_columns(1, 0, [[str(v) for v in listed[c].tolist()] for c in listed.columns], f["plain"])
    if len(ch) < total:
        ws.write_string(
            len(listed) + 2,
            0,
            f"各期判定变化共 {total:,} 项次，超过本表上限 {LONG_MAX_ROWS:,} 行，只列最近的 {len(listed):,} 项次；"
            f"各期达标情况见「{SHEET_TABLE}」。",
            f["plain"],
        )
    if ch.empty:
        ws.write_string(1, 0, "各期之间没有判定变化（或只有一期）", f["plain"])
    ws.freeze_panes(1, 0)
    ws.set_column(0, 8, 14)
