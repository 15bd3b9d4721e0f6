"""How an indicator is entered: one description, computed from its rule and unit, that the form
writer (dropdown or number check), intake (status or number, unit, percent scale) and the verdicts
all use, so the three never judge the same cell differently.

- ``status``: a status picked from ``options`` (the form's own dropdown, plus 不适用 where the
  indicator allows it); intake maps the pick and its variants to an option.
- ``number``: a number in ``unit`` (typed with the unit, it is still a number); on a percentage
  indicator 0–100 percentage points, and a percent-formatted cell is read as points.
- ``previous`` / ``assigned``: the rule also needs the 上期值 / 上级下达目标值.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import QUALITATIVE_OPTIONS, Qualitative, Rule

NOT_APPLICABLE = "不适用"
DEFAULT_STATUS_OPTIONS = ("已完成", "推进中", "未完成")
PERCENT_UNITS = ("%", "％")


@dataclass(frozen=True)
class HowEntered:
    kind: Literal["number", "status"]
    options: tuple[str, ...] = ()  # status: the dropdown, in order (without 不适用)
    accepted: tuple[str, ...] = ()  # status: the options that pass
    unit: str = ""
    percent: bool = False  # number: percentage points, 0–100
    previous: bool = False  # the rule needs the 上期值
    assigned: bool = False  # the rule needs the 上级下达目标值
    allow_na: bool = False  # 不适用 may be chosen
    typical: float = 0.0  # number: the largest threshold the rule compares with

    @property
    def dropdown(self) -> tuple[str, ...]:
        """The list the form offers (status only)."""
        return (*self.options, NOT_APPLICABLE) if self.allow_na else self.options


def _qualitative(rule: Rule) -> Qualitative | None:
    if isinstance(rule, Qualitative):
        return rule
    for child in rule.children():
        found = _qualitative(child)
        if found is not None:
            return found
    return None


def _typical(rule: Rule) -> float:
    value = getattr(rule, "value", None)
    best = float(value) if rule.kind == "threshold" and isinstance(value, int | float) else 0.0
    return max([best, *(_typical(c) for c in rule.children())])


def how_entered(rule: Rule, unit: str, allow_na: bool = False) -> HowEntered:
    needs = rule.needs()
    common = {
        "unit": unit,
        "previous": "previous" in needs,
        "assigned": "assigned" in needs,
        "allow_na": allow_na,
    }
    if isinstance(rule, Qualitative) or "status" in needs:
        q = _qualitative(rule)
        options = tuple(q.options or QUALITATIVE_OPTIONS.get(q.status, ())) if q is not None else ()
        accepted = tuple(q.accepted) if q is not None else ()
        return HowEntered("status", options or DEFAULT_STATUS_OPTIONS, accepted or options[:1], **common)
    return HowEntered("number", percent=unit.strip() in PERCENT_UNITS, typical=_typical(rule), **common)
