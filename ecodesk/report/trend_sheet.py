"""Sheet 历年趋势: the county's value of every indicator in this round and the periods before it
(from :mod:`ecodesk.history`), the cell shaded by that period's verdict, the change against the
last comparable period, a trend arrow, and a native chart for each indicator that changed verdict
or is 未达标 in this round."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import xlsxwriter

from ..numbers import display_number
from ..project import Project
from ..verdicts.model import FAIL
from .layout import MARGIN_LR, VERDICT_MARK, SheetLayout

SHEET = "历年趋势"
MAX_PERIODS = 8  # the latest ones, so the table stays one page wide
HEADER_ROW = 3


@dataclass
class TrendData:
    periods: list[str]  # labels, oldest first, ending with this round
    rows: list[dict[str, Any]]  # per indicator: number, name, unit, target, values, verdicts, change, trend
    charted: list[int] = field(default_factory=list)  # indexes into rows
    #: the comparison round of this one (the same period a year earlier, ecodesk.periods): its
    #: period label ("" where there is none) and the verdict changes into this round, from the
    #: history model (:meth:`ecodesk.history.History.changes`) — the briefing's "what changed"
    compared_with: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)


def gather(
    project: Project, round_name: str, verdicts: list[Any] | None = None, as_of_today: bool = True
) -> TrendData:
    """This round and the rounds before it in time (at most :data:`MAX_PERIODS`); ``verdicts``:
    this round's, when the report has just judged it (kept as its snapshot when judged as of
    today)."""
    from .. import history

    judged = {round_name: verdicts} if verdicts is not None else None
    h = history.load(project, judged=judged, keep_judged=as_of_today)
    here = next(r for r in h.rounds if r.name == round_name)
    rounds = [r for r in h.rounds if r.order <= here.order][-MAX_PERIODS:]
    names = [r.name for r in rounds]
    values = _by_key(h.indicator_table("county_value")[names])
    verdicts = _by_key(h.indicator_table("verdict")[names])
    numbers = _by_key(h.numeric_table()[names])
    into = h.changes(round_name)
    changes = {c.indicator_key: c for c in into.itertuples(index=False)}
    before = next((r for r in h.rounds if r.name == here.comparable), None)
    rows, charted = [], []
    for i, ind in enumerate(h.catalogue.indicators):
        nums = [None if x != x else float(x) for x in numbers[ind.key]]
        vals = [None if _missing(x) else x for x in values[ind.key]]
        verd = ["" if _missing(x) else str(x) for x in verdicts[ind.key]]
        ch = changes.get(ind.key)
        rows.append(
            {
                "number": ind.number,
                "name": f"{ind.group}：{ind.name}" if ind.group else ind.name,
                "unit": ind.unit,
                "target": ind.target_text,
                "values": vals,
                "numbers": nums,
                "verdicts": verd,
                "change": f"{ch.before}→{ch.after}（比{ch.previous_period}）" if ch is not None else "",
                "trend": history.trend(nums, ind.better),
            }
        )
        if (ch is not None or verd[-1] == FAIL) and sum(x is not None for x in nums) >= 2:
            charted.append(i)
    return TrendData(
        [r.period for r in rounds],
        rows,
        charted,
        compared_with=before.period if before else "",
        changes=into.to_dict("records"),
    )


def _by_key(table: Any) -> dict[str, list[Any]]:
    """A frame's rows by index, each as its cells (the frame's own objects, as ``.loc`` gives
    them, read at once rather than row by row)."""
    cells = table.to_numpy(dtype=object)
    return {key: list(cells[i]) for i, key in enumerate(table.index)}


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and x != x)


def build(d: Any) -> SheetLayout:
    """The table: 序号 · 指标名称 · 单位 · 指标值 · one column per period · 较上一可比期 · 趋势; each
    value is printed with its verdict's mark and shaded like it (the mark carries the meaning)."""
    t: TrendData | None = getattr(d, "trend", None)
    n = len(t.periods) if t else 0
    widths = [5.0, 26.0, 7.0, 20.0, *([10.0] * n), 15.0, 8.0]
    lay = SheetLayout(SHEET, widths, repeat=(HEADER_ROW, HEADER_ROW), freeze=HEADER_ROW + 1)
    lay.header_left, lay.header_right = f"{d.county}　{d.round}", SHEET
    last = len(widths) - 1
    lay.put(0, 0, 0, last, f"{d.county}{d.round} 指标历年趋势", "title")
    if t is None or not n:
        lay.put(1, 0, 1, last, "尚无历年数据", "subtitle")
        lay.paginate(HEADER_ROW + 1)
        return lay
    lay.put(1, 0, 1, last, f"{t.periods[0]} 至 {t.periods[-1]}，共 {n} 期", "subtitle")
    lay.put(
        2,
        0,
        2,
        last,
        "数值为全县数值（牵头单位填报，或人工改正值），前标 √ 达标 × 未达标 ？ 待核实 〇 缺报",
        "subtitle",
    )
    header = ["序号", "指标名称", "单位", "指标值", *t.periods, "较上一可比期", "趋势"]
    for c, h in enumerate(header):
        lay.cell(HEADER_ROW, c, h, "head")
    for i, row in enumerate(t.rows):
        r = HEADER_ROW + 1 + i
        lay.cell(r, 0, row["number"], "center")
        lay.cell(r, 1, row["name"], "left")
        lay.cell(r, 2, row["unit"], "center")
        lay.cell(r, 3, row["target"], "left")
        for j in range(n):
            verdict, value = row["verdicts"][j], row["values"][j]
            text = (
                ""
                if value is None
                else (display_number(value) if isinstance(value, int | float) else str(value))
            )
            mark = VERDICT_MARK.get(verdict, "")
            style = f"verdict:{verdict}" if verdict in VERDICT_MARK else "center"
            lay.cell(r, 4 + j, f"{mark} {text}".strip() if verdict else text, style)
        lay.cell(r, 4 + n, row["change"], "center")
        lay.cell(r, 5 + n, row["trend"], "center")
    # rows for the charts (drawn by decorate), two a row; the cell stays empty (text under a chart
    # peeks out beside it in print) — the charts' titles name the indicators
    first = chart_row(t)
    for k in range(0, len(t.charted), 2):
        r = first + k // 2
        lay.put(r, 0, r, last, "", "small")
        lay.level(r, 0)
    heights = {first + k // 2: CHART_POINTS for k in range(0, len(t.charted), 2)}
    _fill_page_width(lay)
    lay.paginate(HEADER_ROW + 1, fixed=heights)
    return lay


def chart_row(t: TrendData) -> int:
    return HEADER_ROW + 2 + len(t.rows)


def _fill_page_width(lay: SheetLayout) -> None:
    """Widen the text columns until the table fills the page width (a few periods make a narrow
    table): the layout prints one page wide at a fixed scale below 100."""
    pw, _ = lay.page_size()
    want = (pw - 2 * MARGIN_LR) / 0.98
    while lay.content_points() < want:
        lay.widths[1] += 1
        lay.widths[3] += 1


CHART_POINTS = 192.0  # a chart row: 240 px = 180 pt, and a margin


def decorate(wb: xlsxwriter.Workbook, ws: Any, d: Any) -> None:
    """The native charts, below the table: the numbers they draw sit in hidden columns to the right."""
    t: TrendData | None = getattr(d, "trend", None)
    if t is None or not t.charted:
        return
    n = len(t.periods)
    data_col = 7 + n
    for j, p in enumerate(t.periods):
        ws.write_string(HEADER_ROW, data_col + 1 + j, p)
    for i, row in enumerate(t.rows):
        r = HEADER_ROW + 1 + i
        ws.write_string(r, data_col, row["name"])
        for j, x in enumerate(row["numbers"]):
            if x is not None:
                ws.write_number(r, data_col + 1 + j, x)
    ws.set_column(data_col, data_col + n, None, None, {"hidden": True})
    first = chart_row(t)
    # two charts side by side, within the table's width (Excel's pixels: 7 per character + 5)
    half = sum(int(w * 7 + 0.5) + 5 for w in build(d).widths) // 2 - 8
    for k, i in enumerate(t.charted):
        row = t.rows[i]
        r = HEADER_ROW + 1 + i
        chart = wb.add_chart({"type": "line"})
        chart.add_series(
            {
                "name": row["name"],
                "categories": [SHEET, HEADER_ROW, data_col + 1, HEADER_ROW, data_col + n],
                "values": [SHEET, r, data_col + 1, r, data_col + n],
                "marker": {"type": "circle", "size": 6},
                "data_labels": {"value": True, "position": "above"},
            }
        )
        unit = f"（{row['unit']}）" if row["unit"].strip() not in ("", "-", "—") else ""
        label = row["change"] or row["verdicts"][-1]
        chart.set_title(
            {
                "name": f"{row['number']} {row['name']}{unit}：{label}",
                "name_font": {"name": "黑体", "size": 10},
            }
        )
        chart.set_legend({"none": True})
        chart.show_hidden_data()
        chart.show_blanks_as("span")
        chart.set_size({"width": half - 12, "height": 240})
        ws.insert_chart(first + k // 2, 0, chart, {"x_offset": 4 + (half if k % 2 else 0), "y_offset": 4})
