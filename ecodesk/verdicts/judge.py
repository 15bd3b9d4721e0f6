"""Verdicts for every indicator of a round: 达标 / 未达标 / 待核实 / 缺报 / 不适用, each with one
Chinese sentence that quotes the numbers and where they came from, plus task progress.

The lead department's value is the indicator's value; a co-department's different value is a
conflict. The previous value comes from the department's 上期值, else from the ledger's figure for
the indicator's comparison period (上年 / 上年同期 / 基准年, or 上一轮 for rounds without a
period, see :mod:`ecodesk.periods`); the reason says which. The clerk may accept or override any verdict with a note."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from ..catalogue import Indicator
from ..collector import collector_paused
from ..findings import Finding
from ..ledger.values import StoredValue
from ..messages import section
from ..numbers import display_number
from ..periods import (
    COMPARISON_LABELS,
    PREVIOUS_ROUND,
    SAME_LAST_YEAR,
    SAME_PERIOD_LAST_YEAR,
    Comparison,
    comparison_text,
)
from ..project import Project
from ..round_data import RoundData, fresh
from ..rules import indicator_rule
from ..rules.entry import how_entered
from ..rules.evaluate import Inputs, JudgeContext, RuleStatus, evaluate
from .evidence import require_evidence
from .local import judge_local
from .model import (
    FAIL,
    FROM_RULE,
    MISSING,
    NA,
    PASS,
    PENDING,
    REVIEW,
    VERDICT_LABELS,
    Outcome,
    RoundVerdicts,
    Verdict,
)
from .tasks import task_progress

_FLAG_ISSUES = {flag: f"issue.flag.{flag}" for flag in section("issue.flag.")}  # flag → its message code


def _issue(v: Verdict, code: str, **fields: Any) -> None:
    """Something about ``v`` that needs a person: a finding (code, fields, the indicator's key) and
    its sentence in ``v.issues``."""
    f = Finding.of(code, key=v.key, **fields)
    v.findings.append(f)
    v.issues.append(f.message)


def _shown(v: StoredValue) -> str:
    """ "（单元格显示 95.2%）" when what the department saw differs from the number judged."""
    if v.current_number is None or not v.current_raw or v.current_raw == display_number(v.current_number):
        return ""
    return f"（单元格显示 {v.current_raw}）"


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return ""
    u = unit.strip()
    return display_number(x) + ("" if u in ("", "-", "—") else u)


def _source(v: StoredValue, cell: str) -> dict[str, str]:
    return {
        "department": v.department,
        "file": v.file_name,
        "sheet": v.sheet,
        "cell": cell,
        "sha256": v.sha256,
    }


def _where(v: StoredValue, cell: str) -> str:
    return f"（{v.department}，{v.file_name}，{v.sheet}!{cell}）"


def _ledger_source(comp: Comparison) -> str:
    """ "台账上年（2024年度）", "台账上一轮（2025年第一轮）", "台账上年同期（2024年上半年，轮次 2024上半年调度）"."""
    if comp.period and comp.round and comp.round != comp.period:
        return f"台账{comp.label}（{comp.period}，轮次 {comp.round}）"
    return f"台账{comp.label}（{comp.period or comp.round}）"


def _period_mismatch(said: str, comp: Comparison) -> bool:
    """The department says its 上期值 is of another kind of period than the indicator compares with
    (上年 and 上年同期 count as the same: both are a year earlier)."""
    if said not in COMPARISON_LABELS or not comp.period:
        return False
    year_ago = (SAME_LAST_YEAR, SAME_PERIOD_LAST_YEAR)
    return not (said == comp.label or (said in year_ago and comp.label in year_ago))


#: Indicator settings the clerk may change that decide the national verdict (see Project.edit_indicator).
_VERDICT_FIELDS = {"target_text": "指标值", "tolerance": "容差", "better": "方向", "unit": "单位"}


def judge_indicator(
    ind: Indicator,
    values: list[StoredValue],
    prev_round: dict[str, StoredValue],
    comparison: Comparison | str,
    region: str | None,
    terrain: str | None,
    original_comparison: tuple[dict[str, StoredValue], Comparison] | None = None,
) -> Verdict:
    """One indicator's verdict (see :func:`_judge`). Where the clerk's change of a setting (指标值,
    容差 …; the comparison period when ``original_comparison`` gives the original one's figures)
    changed the verdict, the reason says so, with the original and the note."""
    v = _judge(ind, values, prev_round, comparison, region, terrain)
    fields = {**_VERDICT_FIELDS, **({"comparison": "上期值比较期"} if original_comparison else {})}
    edits = {f: e for f, e in ind.edits.items() if f in fields}
    if not edits:
        return v
    original = dataclasses.replace(ind, **{f: e.get("original") for f, e in edits.items()}, edits={})
    before_prev, before_comparison = original_comparison or (prev_round, comparison)
    before = _judge(original, values, before_prev, before_comparison, region, terrain).computed
    if before != v.computed:
        said = "；".join(
            f"{fields[f]}原为『{_shown_setting(f, e.get('original'))}』"
            + (f"（依据：{e['note']}）" if e.get("note") else "")
            for f, e in edits.items()
        )
        v.reason += f"。创建办修改了本项设置：{said}；按原设置判定为{before}"
        v.setting_change = f"创建办修改了{'、'.join(fields[f] for f in edits)}，按原设置为{before}"
        v.short += f"（{v.setting_change}）"
    return v


def _shown_setting(fld: str, value: Any) -> str:
    if fld == "comparison":
        return comparison_text(str(value or ""))
    return "" if value is None else str(value)


def _judge(
    ind: Indicator,
    values: list[StoredValue],
    prev_round: dict[str, StoredValue],
    comparison: Comparison | str,
    region: str | None,
    terrain: str | None,
) -> Verdict:
    """One indicator's verdict. ``prev_round``: each department's figure in the comparison round;
    ``comparison``: which period that is (a round name alone means 上一轮)."""
    comp = comparison if isinstance(comparison, Comparison) else Comparison(PREVIOUS_ROUND, "", comparison)
    rule = indicator_rule(ind).rule
    how = how_entered(rule, ind.unit, ind.applicability_mark)  # the description the form and intake use
    v = Verdict(
        ind.key,
        ind.number,
        ind.name,
        ind.group,
        ind.unit,
        ind.target_text,
        ind.departments_text(),
        ind.responsible,
        MISSING,
        "",
    )
    by_dept = {x.department: x for x in values}
    v.reported_by = [d for d in ind.departments if d in by_dept and by_dept[d].current_kind != "empty"]
    lead = by_dept.get(ind.responsible)
    chosen = lead if lead is not None and lead.current_kind != "empty" else None
    if chosen is None:
        others = [by_dept[d] for d in ind.departments if d in by_dept and by_dept[d].current_kind != "empty"]
        if not others:
            if lead is None:
                v.reason = v.short = f"牵头单位{ind.responsible}未报送"
            else:
                shown = lead.current_raw.strip()  # "/", "—", "无": a mark, read as blank, quoted
                v.short = f"{ind.responsible}已报送，" + (
                    f"本期值填写为『{shown}』（按未填写处理）" if shown else "但未填写本期值"
                )
                v.reason = f"{v.short}{_where(lead, lead.current_cell)}"
                v.sources.append(_source(lead, lead.current_cell))
            v.verdict = v.computed = MISSING
            return v
        chosen = others[0]
        _issue(v, "issue.lead_missing", lead=ind.responsible, department=chosen.department)
    v.value, v.value_number = chosen.current_raw, chosen.current_number
    v.sources.append(_source(chosen, chosen.current_cell))
    # previous: the department's 上期值, else the ledger's figure for the comparison period
    v.comparison, v.comparison_period, v.comparison_round = comp.label, comp.period, comp.round
    prev_number = chosen.previous_number
    if prev_number is not None:
        mismatch = _period_mismatch(chosen.period, comp)
        said = [x for x in (chosen.period, "" if mismatch else comp.period) if x]
        v.previous_from = f"{chosen.department}填报的上期值" + (f"（{'，'.join(said)}）" if said else "")
        v.sources.append(_source(chosen, chosen.previous_cell))
        if how.previous and mismatch:
            _issue(
                v,
                "issue.period_mismatch",
                period=chosen.period,
                compare=comp.describe,
                cell=chosen.previous_cell,
            )
        ledger_prev = prev_round.get(chosen.department)
        if (
            ledger_prev is not None
            and ledger_prev.current_number is not None
            and abs(ledger_prev.current_number - prev_number) > 1e-9
        ):
            _issue(
                v,
                "issue.previous_differs",
                reported=_fmt(prev_number, ind.unit),
                ledger=_ledger_source(comp),
                ledger_value=_fmt(ledger_prev.current_number, ind.unit),
                cell=chosen.previous_cell,
            )
    else:
        ledger_prev = prev_round.get(chosen.department) or prev_round.get(ind.responsible)
        if ledger_prev is not None and ledger_prev.current_number is not None:
            prev_number = ledger_prev.current_number
            v.previous_from = _ledger_source(comp)
            v.sources.append(_source(ledger_prev, ledger_prev.current_cell))
    v.previous = display_number(prev_number) if prev_number is not None else ""
    v.assigned = chosen.target_raw
    current: float | str | None
    if how.kind == "status":
        current = chosen.current_status or chosen.current_raw or None
    elif chosen.current_number is not None:
        current = chosen.current_number
    else:
        current = chosen.current_raw or None
    ctx = JudgeContext(region=region, terrain=terrain, better=ind.better, tolerance=ind.tolerance, unit=ind.unit)
    if chosen.not_applicable:
        if ind.applicability_mark:
            v.verdict = v.computed = NA
            v.short = f"{chosen.department}填报不适用" + (
                f"：{chosen.note}" if chosen.note else "（未写明理由）"
            )
            v.reason = v.short + _where(chosen, chosen.current_cell)
            if not chosen.note:
                _issue(v, "issue.na_no_reason", cell=chosen.current_cell)
            return v
        outcome_status, outcome_reason = RuleStatus.REVIEW, "该指标不属于视情适用指标，却填报为不适用"
    else:
        out = evaluate(rule, Inputs(current, prev_number, chosen.target_number), ctx)
        outcome_status, outcome_reason = out.status, out.reason
    # conflicts with co-departments
    for d in ind.departments:
        other = by_dept.get(d)
        if other is None or other is chosen or other.current_kind == "empty":
            continue
        same = (
            other.current_number is not None
            and chosen.current_number is not None
            and abs(other.current_number - chosen.current_number) <= 1e-9
        ) or (
            other.current_number is None
            and (other.current_status or other.current_raw) == (chosen.current_status or chosen.current_raw)
        )
        if not same:
            v.conflicts.append(other.department)
            _issue(
                v,
                "issue.conflict",
                other=other.department,
                other_raw=other.current_raw,
                department=chosen.department,
                raw=chosen.current_raw,
                where=_where(other, other.current_cell),
                cell=other.current_cell,
            )
            v.sources.append(_source(other, other.current_cell))
    for flag in chosen.flags:
        if flag in _FLAG_ISSUES:
            _issue(v, _FLAG_ISSUES[flag], raw=chosen.current_raw, cell=chosen.current_cell)
        elif flag == "value.fraction" and chosen.current_number is not None:
            scaled = display_number(round(chosen.current_number * 100, 10))
            _issue(v, "issue.fraction", raw=chosen.current_raw, scaled=scaled, cell=chosen.current_cell)
    if not chosen.not_applicable:  # a county's own target: judged beside the national rule, never in it
        v.local = judge_local(ind, current, prev_number, ctx)
        if v.local is not None:
            v.local_target = v.local.summary
            outcome_reason += f"；{v.local_target}"
    verdict = FROM_RULE[outcome_status]
    if v.issues and verdict in (PASS, FAIL):
        verdict = REVIEW
    prev_note = ""
    if how.previous and v.previous_from:
        prev_note = f"；上期值取自{v.previous_from}"
    elif how.previous and comp.period and not chosen.not_applicable:
        prev_note = f"；上期值应为{comp.describe}的数值，台账中没有该期数据，请部门填报"
    issue_note = ("；" + "；".join(v.issues)) if v.issues else ""
    v.reason = f"{outcome_reason}{_shown(chosen)}{prev_note}{issue_note}{_where(chosen, chosen.current_cell)}"
    v.short = _short(outcome_reason, v, chosen.department, verdict)
    v.verdict = v.computed = verdict
    return v


def _short(outcome_reason: str, v: Verdict, chosen: str, verdict: str) -> str:
    """One sentence for the printed sheet: why a person must look, else the rule's own reason."""
    if verdict == REVIEW and v.issues:
        parts = [f"{'、'.join(v.conflicts)}与{chosen}填报的数值不一致"] if v.conflicts else []
        parts += [i for i in v.issues if "不一致" not in i]
        return "；".join(parts)
    return outcome_reason


def judge_round(
    project: Project, round_name: str, as_of: date | None = None, data: RoundData | None = None
) -> RoundVerdicts:
    """Every indicator's verdict (:func:`judge_loaded` of the round as the ledger holds it now; ``data``:
    the round already loaded, used while it is current)."""
    return judge_loaded(fresh(project, round_name, data), as_of)


def judge_loaded(data: RoundData, as_of: date | None = None) -> RoundVerdicts:
    """Every indicator's verdict, from the round's loaded data. Up to the deadline (``as_of``,
    default today) an indicator whose lead department has not reported is 待报, not 缺报: nothing
    is late yet. Judged once per day asked for: a second call with the same data gives the same
    :class:`RoundVerdicts`."""
    as_of = as_of or date.today()
    if as_of not in data.judged:
        with collector_paused():
            data.judged[as_of] = _judge_round(data, as_of)
    return data.judged[as_of]


def _judge_round(data: RoundData, as_of: date) -> RoundVerdicts:
    rnd, cat, settings = data.round, data.catalogue, data.settings
    by_ind = data.by_indicator()
    comparisons, overrides = data.comparisons, data.overrides
    pending = _pending_reason(rnd, data.issued, as_of)
    reported = set(data.files)
    verdicts = []
    for ind in cat.indicators:
        v = judge_indicator(
            ind,
            by_ind.get(ind.key, []),
            comparisons.values.get(ind.key, {}),
            comparisons.comparisons[ind.key],
            settings.get("region"),
            settings.get("terrain"),
            data.original_comparison(ind.key),
        )
        require_evidence(v, ind, data.evidence)  # a qualitative 达标 without any file is 待核实
        if pending is not None and v.computed == MISSING and ind.responsible not in reported:
            v.verdict = v.computed = PENDING
            v.reason = v.short = pending(ind.responsible)
        o = overrides.get(ind.key)
        if o is not None:
            _apply_override(v, o)
        verdicts.append(v)
    tasks = task_progress(data.project, rnd.id, cat)
    return RoundVerdicts(rnd.name, verdicts, tasks, rnd.period, rnd.period_label)


def _apply_override(v: Verdict, o: Any) -> None:
    """The clerk's verdict (and corrected value) over the computed one, the reason saying both."""
    v.overridden, v.override_note, v.override_at = True, o["note"], o["at"]
    v.corrected_value = o["value"]
    fixed = f"本期值更正为 {v.corrected_value}（原填报 {v.value or '空'}）" if v.corrected_value else ""
    if o["verdict"] != v.computed:
        head = f"人工改判为{o['verdict']}（{o['note']}；系统判定：{v.computed}）"
    else:
        head = f"已人工确认（{o['note']}）" if o["note"] else "已人工确认"
    v.reason = f"{head}{'；' + fixed if fixed else ''}。{v.reason}"
    v.verdict = Outcome(o["verdict"]) if o["verdict"] in VERDICT_LABELS else o["verdict"]
    v.short = o["note"] or ("已人工确认" if o["verdict"] == v.computed else f"人工改判为{o['verdict']}")


def _pending_reason(rnd: Any, issued: set[str], today: date) -> Any:
    """None after the deadline; else a function giving why a department's value is 待报
    (``issued``: the departments a form was issued to)."""
    left = (date.fromisoformat(rnd.deadline) - today).days
    if left < 0:
        return None
    when = "今天截止" if left == 0 else f"还有 {left} 天"

    def reason(department: str) -> str:
        if department not in issued:
            return f"本轮尚未向{department}下发填报表（截止日期 {rnd.deadline}，{when}）"
        return f"{department}尚未报送，未到截止日期（{rnd.deadline}，{when}）"

    return reason
