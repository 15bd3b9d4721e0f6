"""指标责任分解表: the county's Annex 1 — same columns in the same order, same merged 领域 / 任务 /
序号 / group spans, the 参考性指标 block — plus 上级下达目标值 (and 本地目标) where any indicator has
one, 本期值 (the clerk's corrected value where there is one), 上期值 with its period, 达标情况 with a
symbol, and a one-sentence 说明 for exceptions (the clerk's note after an override). Pages break
between groups or repeat the labels; file names and cells are on 数据来源, not here."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ..catalogue.export_annex import write_annex1_rows
from ..rules import indicator_rule
from ..verdicts import PASS, Verdict
from .data import ReportData
from .layout import SheetLayout, verdict_label
from .style import as_of_text

SHEET = "指标责任分解表"
ANNEX_HEADER = ("领域", "任务", "序号", "指标名称", "", "单位", "指标值", "责任部门\n(标*为牵头单位)")
ANNEX_WIDTHS = (6, 10, 4.5, 8, 20, 6, 15, 17)
TARGET, LOCAL = "上级下达\n目标值", "本地目标"
TAIL = (("本期值", 8), ("上期值", 9), ("达标情况", 9), ("说明", 30))
HEADER_ROW = 2
TITLE = "{county}国家生态文明建设示范区创建指标责任分解表"


class _Rows:
    """What :func:`ecodesk.catalogue.export_annex.write_annex1_rows` writes to, turned into layout blocks."""

    def __init__(self, lay: SheetLayout) -> None:
        self.lay = lay
        self.ws = self

    def put(self, r1: int, c1: int, r2: int, c2: int, value: Any, style: str) -> None:
        self.lay.put(r1, c1, r2, c2, value, style)

    def write_blank(self, r: int, c: int, _value: Any, style: str) -> None:
        self.lay.cell(r, c, "", style)


def columns(d: ReportData) -> list[str]:
    """The extra columns after Annex 1's eight, in order."""
    cols = []
    if any("assigned" in indicator_rule(i).rule.needs() for i in d.catalogue.indicators) or any(
        v.assigned for v in d.verdicts.verdicts
    ):
        cols.append(TARGET)
    if any(i.local_target_text for i in d.catalogue.indicators):
        cols.append(LOCAL)
    return cols + [t for t, _w in TAIL]


def current_value(v: Verdict) -> Any:
    """本期值 as printed: the clerk's corrected value, else the department's (numbers as numbers)."""
    raw = v.corrected_value or ""
    if raw:
        try:
            return float(raw.rstrip("%"))
        except ValueError:
            return raw
    return v.value_number if v.value_number is not None else (v.value or None)


def previous_text(v: Verdict) -> Any:
    """上期值 with its period in brackets when the form or the ledger says which period it is."""
    if not v.previous:
        return None
    found = re.findall(r"（([^（），]*)", v.previous_from)  # what the form or the ledger said
    period = v.comparison_period or (found[-1] if found else "") or v.comparison
    try:
        number: Any = float(v.previous)
    except ValueError:
        number = v.previous
    return f"{v.previous}\n（{period}）" if period else number


def explanation(v: Verdict) -> str:
    """说明: the reason in one sentence for exceptions; the clerk's note after an override."""
    if v.overridden:
        what = "人工确认" if v.verdict == v.computed else f"人工改判（系统判定：{v.computed}）"
        fixed = f"；本期值更正为 {v.corrected_value}（原填报 {v.value or '空'}）" if v.corrected_value else ""
        return f"{what}{fixed}：{v.override_note}" if v.override_note else what + fixed
    if v.verdict == PASS:  # a 达标 needs no sentence, unless a settings change made it one
        return v.setting_change
    return v.short


def build(d: ReportData) -> SheetLayout:
    extra = columns(d)
    widths = list(ANNEX_WIDTHS) + [{TARGET: 9, LOCAL: 14}.get(c, dict(TAIL).get(c, 10)) for c in extra]
    lay = SheetLayout(SHEET, widths, repeat=(HEADER_ROW, HEADER_ROW), freeze=HEADER_ROW + 1)
    lay.header_left, lay.header_right = f"{d.county}　{d.round}", SHEET
    last = len(widths) - 1
    lay.put(0, 0, 0, last, f"{TITLE.format(county=d.county)}（{d.round_title}）", "title")
    lay.put(1, 0, 1, last, as_of_text(d.as_of), "subtitle")
    for c, text in enumerate(ANNEX_HEADER):
        if c not in (3, 4):
            lay.cell(HEADER_ROW, c, text, "head")
    lay.put(HEADER_ROW, 3, HEADER_ROW, 4, "指标名称", "head")
    for c, text in enumerate(extra, start=len(ANNEX_HEADER)):
        lay.cell(HEADER_ROW, c, text, "head")
    inds = d.catalogue.indicators
    top = HEADER_ROW + 1
    write_annex1_rows(_Rows(lay), {"center": "center", "left": "left"}, inds, top)  # type: ignore[arg-type]
    verdicts = {v.key: v for v in d.verdicts.verdicts}
    col = {name: c for c, name in enumerate(extra, start=len(ANNEX_HEADER))}
    for i, ind in enumerate(inds):
        v = verdicts[ind.key]
        r = top + i
        if TARGET in col:
            target: Any = v.assigned or None
            with contextlib.suppress(ValueError):
                target = float(v.assigned) if v.assigned else None
            lay.cell(r, col[TARGET], target, "number")
        if LOCAL in col:
            local = ""
            if ind.local_target_text:
                local = ind.local_target_text
                if v.local_target:
                    local += "\n" + v.local_target.rsplit("』", 1)[-1]
            lay.cell(r, col[LOCAL], local, "center")
        lay.cell(r, col["本期值"], current_value(v), "number")
        lay.cell(r, col["上期值"], previous_text(v), "number")
        lay.cell(r, col["达标情况"], verdict_label(v.verdict), f"verdict:{v.verdict}")
        lay.cell(r, col["说明"], explanation(v), "left")
        if i:
            p = inds[i - 1]
            if (ind.reference, ind.domain) != (p.reference, p.domain):
                lay.level(r, 0)
            elif ind.task != p.task:
                lay.level(r, 1)
            elif ind.number != p.number:
                lay.level(r, 2)
            else:
                lay.level(r, 4)
    lay.paginate(top)
    return lay
