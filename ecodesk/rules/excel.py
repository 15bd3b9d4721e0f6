"""Rules compiled to Excel formulas: the 自查 column of a fill-in workbook shows
达标 / 未达标 / 待核实 / 待填 / 不适用 as the department types, before it sends the file back.

The formula mirrors :func:`ecodesk.rules.evaluate.evaluate`; a LibreOffice recalculation test
checks that both agree for every rule kind. Region-dependent rules are resolved when the
workbook is generated (the project's region class is known then). A formula is built with the
same :class:`~ecodesk.rules.evaluate.JudgeContext` the evaluator judges with.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entry import PERCENT_UNITS
from .evaluate import JudgeContext
from .model import AllOf, AnyOf, Delta, Manual, Qualitative, Region, Rule, SuperiorTarget, Threshold, Trend

PASS, FAIL, REVIEW, TODO, NA = "达标", "未达标", "待核实", "待填", "不适用"
_OPS = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "==": "="}


@dataclass(frozen=True)
class Cells:
    """A1 references of one row's input cells."""

    current: str
    previous: str
    assigned: str  # the 上级下达目标值 cell


def num(v: float) -> str:
    """A number as Excel formula text: 95.0 → 95, 0.7 → 0.7, -1.0 → -1."""
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _resolve(direction: str, better: str | None) -> str | None:
    if direction == "better":
        return {"higher": "up", "lower": "down"}.get(better or "")
    return direction


def _leaf(test: str, numeric_cells: list[str]) -> str:
    guard = ",".join(f"ISNUMBER({c})" for c in numeric_cells)
    cond = f"AND({guard})" if len(numeric_cells) > 1 else guard
    return f"IF({cond},IF({test},{_q(PASS)},{_q(FAIL)}),{_q(REVIEW)})"


def verdict_expr(rule: Rule, c: Cells, ctx: JudgeContext) -> str:
    """A string-valued Excel expression giving 达标 / 未达标 / 待核实 once the inputs are filled."""
    if isinstance(rule, Threshold):
        test = (
            f"ABS({c.current}-{num(rule.value)})<1E-9"
            if rule.op == "=="
            else f"{c.current}{_OPS[rule.op]}{num(rule.value)}"
        )
        return _leaf(test, [c.current])
    if isinstance(rule, Qualitative):
        accepted = ",".join(f"TRIM({c.current})={_q(s)}" for s in rule.accepted or (rule.status,))
        return f"IF(OR({accepted}),{_q(PASS)},{_q(FAIL)})"
    if isinstance(rule, Trend):
        d = _resolve(rule.direction, ctx.better)
        if d is None:
            return _q(REVIEW)
        tol = num(ctx.tolerance)
        if d == "down":
            strict = f"OR({c.current}<{c.previous},AND({c.current}=0,{c.previous}=0))"  # 0 → 0: 已为零
            test = f"{c.current}<={c.previous}+{tol}" if rule.allow_stable else strict
        else:
            strict = f"{c.current}>{c.previous}"
            if ctx.unit.strip() in PERCENT_UNITS:  # 100% → 100%: 已为100%
                strict = f"OR({strict},AND({c.current}=100,{c.previous}=100))"
            test = f"{c.current}>={c.previous}-{tol}" if rule.allow_stable else strict
        return _leaf(test, [c.current, c.previous])
    if isinstance(rule, SuperiorTarget):
        d = _resolve(rule.direction, ctx.better)
        if d is None:
            return _q(REVIEW)
        test = f"{c.current}>={c.assigned}" if d == "up" else f"{c.current}<={c.assigned}"
        return _leaf(test, [c.current, c.assigned])
    if isinstance(rule, Delta):
        return _leaf(f"({c.current}-{c.previous}){_OPS[rule.op]}{num(rule.value)}", [c.current, c.previous])
    if isinstance(rule, Region):
        chosen = ctx.terrain if rule.dimension == "terrain" else ctx.region
        hits = [case for case in rule.cases if chosen in case.classes]
        return verdict_expr(hits[0].rule, c, ctx) if len(hits) == 1 else _q(REVIEW)
    if isinstance(rule, AnyOf):  # before AllOf: AnyOf subclasses AllOf
        parts = [verdict_expr(r, c, ctx) for r in rule.rules]
        return (
            f"IF(OR({','.join(f'{p}={_q(PASS)}' for p in parts)}),{_q(PASS)},"
            f"IF(OR({','.join(f'{p}={_q(REVIEW)}' for p in parts)}),{_q(REVIEW)},{_q(FAIL)}))"
        )
    if isinstance(rule, AllOf):
        parts = [verdict_expr(r, c, ctx) for r in rule.rules]
        return (
            f"IF(OR({','.join(f'{p}={_q(FAIL)}' for p in parts)}),{_q(FAIL)},"
            f"IF(OR({','.join(f'{p}={_q(REVIEW)}' for p in parts)}),{_q(REVIEW)},{_q(PASS)}))"
        )
    if isinstance(rule, Manual):
        return _q(REVIEW)
    return _q(REVIEW)


def needed_cells(rule: Rule, c: Cells, ctx: JudgeContext) -> list[str]:
    """Cells that must be filled before a verdict is shown (the rest shows 待填)."""
    needs = rule.needs()
    out = [c.current]
    if "previous" in needs:
        out.append(c.previous)
    if "assigned" in needs:
        out.append(c.assigned)
    return out


def check_formula(rule: Rule, c: Cells, ctx: JudgeContext, allow_not_applicable: bool = False) -> str:
    """The whole 自查 cell formula, starting with ``=``."""
    cells = needed_cells(rule, c, ctx)
    empty = ",".join(f'{x}=""' for x in cells)
    todo_test = f"OR({empty})" if len(cells) > 1 else empty
    body = f"IF({todo_test},{_q(TODO)},{verdict_expr(rule, c, ctx)})"
    if allow_not_applicable:
        body = f"IF(TRIM({c.current})={_q(NA)},{_q(NA)},{body})"
    return "=" + body
