"""Judge a department's values against a rule: pass / fail / review / missing, with one Chinese
sentence quoting the numbers ("本期 27.3，高于上级下达目标 26").

- ``missing``: the value the rule needs first (本期值 / 完成状态) is absent.
- ``review``: a person must look — a secondary input is absent (上期值, 上级下达目标值), a value is
  not a number, the region class or the better direction is not set, the text is Manual, or the
  department reported 不适用.
- Comparisons use a tiny epsilon (1e-9, relative above 1) only to absorb float noise; strict
  comparisons stay strict (△EQI>-1: a change of exactly -1 fails).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from ..catalogue import REGION_CLASSES, TERRAIN_CLASSES
from ..numbers import display_number
from .explain import stated_change
from .model import (
    AllOf,
    AnyOf,
    Delta,
    Manual,
    Qualitative,
    Region,
    Rule,
    SuperiorTarget,
    Threshold,
    Trend,
)


class RuleStatus(StrEnum):
    """What a rule says of the inputs: identifiers, never shown (the verdicts map them to their
    :class:`ecodesk.verdicts.model.Outcome`, whose words a clerk sees)."""

    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"
    MISSING = "missing"


EPSILON = 1e-9
NO_UNIT = ("", "-", "—", "/", "无")
_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": ""}


@dataclass(frozen=True)
class Inputs:
    current: float | str | None = None  # 本期值, or the status text of a qualitative indicator
    previous: float | None = None  # 上期值 (the recorded comparison period)
    assigned: float | None = None  # 上级下达目标值 (for a local target: the local target value)
    not_applicable: bool = False  # the department reports 不适用


@dataclass(frozen=True)
class JudgeContext:
    """What judging needs besides the values: the project's region and terrain classes and the
    indicator's settings (better direction, 保持稳定 tolerance, unit for the sentences)."""

    region: str | None = None  # a REGION_CLASSES code ("east" …)
    terrain: str | None = None  # a TERRAIN_CLASSES code ("mountain" …)
    better: Literal["higher", "lower"] | None = None
    tolerance: float = 0.0  # how far "worse" still counts as 保持稳定
    unit: str = ""


@dataclass(frozen=True)
class RuleResult:
    """A rule's answer: its :class:`RuleStatus` and one Chinese sentence quoting the numbers."""

    status: RuleStatus
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", RuleStatus(self.status))  # "pass" → RuleStatus.PASS, or raises


def evaluate(rule: Rule, inputs: Inputs, ctx: JudgeContext | None = None) -> RuleResult:
    """Judge ``inputs`` against ``rule``. Never raises."""
    ctx = ctx or JudgeContext()
    if inputs.not_applicable:
        return RuleResult(RuleStatus.REVIEW, "填报为不适用，请核实该指标是否确实不适用本地")
    handler = _HANDLERS.get(type(rule))
    if handler is None:
        return RuleResult(RuleStatus.REVIEW, "规则类型无法识别，需人工判定")
    return handler(rule, inputs, ctx)


# ---- helpers -----------------------------------------------------------------------------------
def _q(x: float, ctx: JudgeContext) -> str:
    unit = ctx.unit.strip() if isinstance(ctx.unit, str) else ""
    return display_number(x) + ("" if unit in NO_UNIT else unit)


def _bound(op: str, value: float, ctx: JudgeContext) -> str:
    return _SYMBOL.get(op, op) + _q(value, ctx)


def _compare(x: float, op: str, v: float) -> bool | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    eps = EPSILON * max(1.0, abs(v))
    checks = {
        ">=": x >= v - eps,
        "<=": x <= v + eps,
        ">": x > v + eps,
        "<": x < v - eps,
        "==": abs(x - v) <= eps,
    }
    return checks.get(op)


def _number(value: Any, label: str) -> float | str:
    """``value`` as a finite float, or the reason it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{label}『{value}』不是数字，需人工核实"
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    return x if math.isfinite(x) else f"{label}不是有效数字，需人工核实"


def _current(inputs: Inputs) -> float | RuleResult:
    c = inputs.current
    if c is None or (isinstance(c, str) and not c.strip()):
        return RuleResult(RuleStatus.MISSING, "缺少本期值")
    x = _number(c, "本期值")
    return x if isinstance(x, float) else RuleResult(RuleStatus.REVIEW, x)


def _secondary(value: Any, label: str, missing: str) -> float | RuleResult:
    if value is None:
        return RuleResult(RuleStatus.REVIEW, missing)
    x = _number(value, label)
    return x if isinstance(x, float) else RuleResult(RuleStatus.REVIEW, x)


def _direction(direction: str, ctx: JudgeContext) -> str | None:
    if direction in ("up", "down"):
        return direction
    return {"higher": "up", "lower": "down"}.get(str(ctx.better)) if direction == "better" else None


NO_DIRECTION = "未设置该指标越高越好还是越低越好，无法判断{what}，请在指标目录中设置"


# ---- one handler per rule kind -------------------------------------------------------------------
def _threshold(rule: Threshold, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    cur = _current(inputs)
    if isinstance(cur, RuleResult):
        return cur
    ok = _compare(cur, rule.op, rule.value)
    if ok is None:
        return RuleResult(RuleStatus.REVIEW, f"比较符号『{rule.op}』无法识别，需人工判定")
    verb = ("符合" if ok else "不符合") if rule.op in ("<=", "<") else ("达到" if ok else "未达到")
    return RuleResult(
        RuleStatus.PASS if ok else RuleStatus.FAIL, f"本期 {_q(cur, ctx)}，{verb} {_bound(rule.op, rule.value, ctx)}"
    )


_NEGATIVE_RE = re.compile(r"^(?:否|无|没有|未.*|尚未.*|部分.*|正在.*|.+中)$")


def _status_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).strip("。.")


def _qualitative(rule: Qualitative, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    c = inputs.current
    first = rule.options[0] if rule.options else (rule.accepted[0] if rule.accepted else rule.status)
    if c is None or (isinstance(c, str) and not c.strip()):
        return RuleResult(RuleStatus.MISSING, f"缺少完成状态（如『{first}』）")
    if not isinstance(c, str):
        return RuleResult(RuleStatus.REVIEW, f"应填报完成状态（如『{first}』），而不是数字")
    key = _status_key(c)
    passing = {_status_key(a) for a in (*rule.accepted, first)}
    if key in passing:
        return RuleResult(RuleStatus.PASS, f"填报『{c.strip()}』，达到『{rule.status}』要求")
    if key in {_status_key(o) for o in rule.options[1:]} or (key != "不适用" and _NEGATIVE_RE.match(key)):
        return RuleResult(RuleStatus.FAIL, f"填报『{c.strip()}』，未达到『{rule.status}』要求")
    return RuleResult(RuleStatus.REVIEW, f"填报的状态『{c.strip()}』无法识别，需人工核实")


def _trend(rule: Trend, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    cur = _current(inputs)
    if isinstance(cur, RuleResult):
        return cur
    prev = _secondary(inputs.previous, "上期值", "缺少上期值，无法判断趋势")
    if isinstance(prev, RuleResult):
        return prev
    direction = _direction(rule.direction, ctx)
    if direction is None:
        return RuleResult(RuleStatus.REVIEW, NO_DIRECTION.format(what="是否改善"))
    tol = ctx.tolerance if isinstance(ctx.tolerance, int | float) and math.isfinite(ctx.tolerance) else 0.0
    tol = abs(float(tol))
    sign = 1.0 if direction == "up" else -1.0
    gain = sign * (cur - prev)  # > 0: moved the wanted way
    eps = EPSILON * max(1.0, abs(prev))
    ok = gain > eps if not rule.allow_stable else gain >= -(tol + eps)
    floor = _at_floor(cur, prev, direction, ctx, eps)
    if floor and not ok:  # 持续下降 from 0 to 0 cannot be met literally: offices count it as reached
        return RuleResult(RuleStatus.PASS, f"本期 {_q(cur, ctx)}，与上期 {_q(prev, ctx)} 持平，{floor}")
    said = f"本期 {_q(cur, ctx)}"
    if abs(cur - prev) <= eps:
        said += f"，与上期 {_q(prev, ctx)} 持平"
    else:
        said += f"，{'高于' if cur > prev else '低于'}上期 {_q(prev, ctx)}"
    if ok and gain < -eps:
        said += f"，在容差 {display_number(tol)} 以内"
    elif not ok and not rule.allow_stable:
        said += (
            "，未改善" if rule.direction == "better" else ("，未下降" if direction == "down" else "，未提高")
        )
    elif not ok and tol > 0:
        said += f"，超出容差 {display_number(tol)}"
    return RuleResult(RuleStatus.PASS if ok else RuleStatus.FAIL, said)


#: Judgement calls the source tables leave open (listed in README "Judgement calls").
AT_ZERO = "已为零"
AT_FULL = "已为100%"


def _at_floor(cur: float, prev: float, direction: str, ctx: JudgeContext, eps: float) -> str:
    """Why a strict 持续下降/持续提高 that did not move still counts: the value already sits at its
    floor (0 → 0: 危险废物填埋 "趋零", a count of zero) or, for a percentage, its ceiling (100% →
    100%). "" when it does not."""
    if abs(cur - prev) > eps:
        return ""
    if direction == "down" and abs(cur) <= eps:
        return AT_ZERO
    unit = ctx.unit.strip() if isinstance(ctx.unit, str) else ""
    if direction == "up" and unit in ("%", "％") and abs(cur - 100.0) <= EPSILON * 100:
        return AT_FULL
    return ""


def _delta(rule: Delta, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    cur = _current(inputs)
    if isinstance(cur, RuleResult):
        return cur
    prev = _secondary(inputs.previous, "上期值", "缺少上期值，无法计算变化量")
    if isinstance(prev, RuleResult):
        return prev
    change = cur - prev
    ok = _compare(change, rule.op, rule.value)
    if ok is None:
        return RuleResult(RuleStatus.REVIEW, f"比较符号『{rule.op}』无法识别，需人工判定")
    name = f" {rule.quantity}" if rule.quantity else ""
    bound = f"{_SYMBOL.get(rule.op) or '='}{display_number(rule.value)}"
    said = f"本期{name} {display_number(cur)} 较上期 {display_number(prev)} 变化 {display_number(change)}"
    return RuleResult(RuleStatus.PASS if ok else RuleStatus.FAIL, f"{said}，{'满足' if ok else '不满足'} {bound}")


def _superior(rule: SuperiorTarget, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    cur = _current(inputs)
    if isinstance(cur, RuleResult):
        return cur
    missing = "缺少上级下达目标值"
    if rule.change_pct is not None:
        missing += f"（请填写按『{stated_change(rule)}』折算的目标值）"
    target = _secondary(inputs.assigned, "上级下达目标值", missing)
    if isinstance(target, RuleResult):
        return target
    direction = _direction(rule.direction, ctx)
    if direction is None:
        return RuleResult(RuleStatus.REVIEW, NO_DIRECTION.format(what="是否完成上级目标"))
    op = ">=" if direction == "up" else "<="
    ok = bool(_compare(cur, op, target))
    rel = {(True, "up"): "不低于", (True, "down"): "不高于", (False, "up"): "低于", (False, "down"): "高于"}
    return RuleResult(
        RuleStatus.PASS if ok else RuleStatus.FAIL, f"本期 {_q(cur, ctx)}，{rel[ok, direction]}上级下达目标 {_q(target, ctx)}"
    )


def _region(rule: Region, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    terrain = rule.dimension == "terrain"
    names = TERRAIN_CLASSES if terrain else REGION_CLASSES
    key = ctx.terrain if terrain else ctx.region
    if not key:
        return RuleResult(RuleStatus.REVIEW, "未设置地形类别" if terrain else "未设置地区类别")
    code = next((c for c, name in names.items() if key in (c, name)), key)
    name = names.get(code, key)
    hits = [c for c in rule.cases if code in c.classes]
    if not hits:
        hint = "（该指标值分东部、中部、西部，请在设置中把地区类别设为中部或西部）" if code.startswith("central_west") else ""
        return RuleResult(RuleStatus.REVIEW, f"指标值中没有适用于『{name}』的目标{hint}，需人工判定")
    if len(hits) > 1:
        labels = "、".join(f"『{c.label}』" for c in hits)
        return RuleResult(RuleStatus.REVIEW, f"指标值中有多档目标适用于『{name}』（{labels}），需人工判定")
    case = hits[0]
    out = evaluate(case.rule, inputs, ctx)
    return RuleResult(out.status, f"按{name}标准，{out.reason}")


def _join(outcomes: list[RuleResult]) -> str:
    return "；".join(dict.fromkeys(o.reason for o in outcomes))


def _combine(
    rule: AllOf, inputs: Inputs, ctx: JudgeContext, decisive: RuleStatus, otherwise: RuleStatus
) -> RuleResult:
    """All of (one failing part fails it) or any of (one passing part passes it); else a part
    needing a person or missing an input decides, else ``otherwise``."""
    outs = [evaluate(r, inputs, ctx) for r in rule.rules]
    if not outs:
        return RuleResult(RuleStatus.REVIEW, "没有可判定的条件，需人工判定")
    hits = [o for o in outs if o.status == decisive]
    if hits:
        return RuleResult(decisive, _join(hits))
    for status in (RuleStatus.REVIEW, RuleStatus.MISSING):
        if any(o.status == status for o in outs):
            return RuleResult(status, _join(outs))
    return RuleResult(otherwise, _join(outs))


def _all_of(rule: AllOf, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    return _combine(rule, inputs, ctx, RuleStatus.FAIL, RuleStatus.PASS)


def _any_of(rule: AnyOf, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    return _combine(rule, inputs, ctx, RuleStatus.PASS, RuleStatus.FAIL)


def _manual(rule: Manual, inputs: Inputs, ctx: JudgeContext) -> RuleResult:
    c = inputs.current
    given = "" if c is None or c == "" else f"本期填报 {display_number(c) if isinstance(c, float) else c}，"
    return RuleResult(RuleStatus.REVIEW, f"{given}指标值『{rule.text}』需人工判定")


_HANDLERS: dict[type[Rule], Callable[[Any, Inputs, JudgeContext], RuleResult]] = {
    Threshold: _threshold,
    Qualitative: _qualitative,
    Trend: _trend,
    Delta: _delta,
    SuperiorTarget: _superior,
    Region: _region,
    AllOf: _all_of,
    AnyOf: _any_of,
    Manual: _manual,
}

__all__ = ["Inputs", "JudgeContext", "RuleResult", "RuleStatus", "evaluate"]
