"""Typed rules parsed from 指标值 texts.

A rule is a small immutable tree. ``to_dict``/``rule_from_dict`` give the JSON form used by the
ledger and by ``ecodesk catalog --json`` (``{"kind": ..., ...}``).

Inputs a department supplies (see :class:`ecodesk.rules.evaluate.Inputs`):
``current`` (本期值), ``previous`` (上期值 / comparison period), ``assigned`` (上级下达目标值: the value a superior assigned).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal

Op = Literal[">=", "<=", ">", "<", "=="]
Direction = Literal["down", "up", "better"]  # "better": use the indicator's better direction
Need = Literal["current", "previous", "assigned", "status"]

#: Statuses a department may report for qualitative indicators, shown in the dropdown.
QUALITATIVE_OPTIONS: dict[str, tuple[str, ...]] = {
    "建立": ("已建立", "建设中", "未建立"),
    "开展": ("已开展", "推进中", "未开展"),
    "有效保障": ("有效保障", "部分保障", "未保障"),
    "有效开展": ("有效开展", "部分开展", "未开展"),
}


@dataclass(frozen=True)
class Rule:
    kind: ClassVar[str] = ""

    def needs(self) -> frozenset[Need]:
        return frozenset({"current"})

    def children(self) -> tuple[Rule, ...]:
        return ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Rule):
                v = v.to_dict()
            elif isinstance(v, tuple) and v and isinstance(v[0], Rule):
                v = [r.to_dict() for r in v]
            elif isinstance(v, tuple) and v and isinstance(v[0], RegionCase):
                v = [c.to_dict() for c in v]
            elif isinstance(v, tuple):
                v = list(v)
            d[f.name] = v
        return d


@dataclass(frozen=True)
class Threshold(Rule):
    """``≥20``, ``≤25``, ``100`` on a percentage (== 100), ``>0``."""

    kind: ClassVar[str] = "threshold"
    op: Op = ">="
    value: float = 0.0


@dataclass(frozen=True)
class Qualitative(Rule):
    """``建立`` / ``开展`` / ``有效保障`` / ``有效开展``: a status reached, with evidence.

    ``accepted`` are the reported statuses that pass (after normalisation); ``options`` the
    dropdown offered in the fill-in workbook (first option passes)."""

    kind: ClassVar[str] = "qualitative"
    status: str = "建立"
    accepted: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def needs(self) -> frozenset[Need]:
        return frozenset({"status"})


@dataclass(frozen=True)
class Trend(Rule):
    """``保持稳定或持续下降`` (down, stable allowed), ``持续下降`` (down, strict),
    ``保持稳定或持续改善`` (better direction, stable allowed), ``有所提高`` …"""

    kind: ClassVar[str] = "trend"
    direction: Direction = "down"
    allow_stable: bool = True

    def needs(self) -> frozenset[Need]:
        return frozenset({"current", "previous"})


@dataclass(frozen=True)
class SuperiorTarget(Rule):
    """``完成上级规定的考核任务``: meet the value assigned by the city/province.

    ``direction`` says which side of the target passes ("better" = the indicator's better
    direction). ``base_year``/``change_pct`` hold a known assignment such as 平湖's
    "到2025年比2020年下降16%" (base_year "2020", change_pct -16, target_year "2025") when the
    text states it; the department still supplies the assigned target value it works out to."""

    kind: ClassVar[str] = "superior_target"
    direction: Direction = "better"
    base_year: str = ""
    change_pct: float | None = None
    target_year: str = ""  # "到2025年…" when the text states it

    def needs(self) -> frozenset[Need]:
        return frozenset({"current", "assigned"})


@dataclass(frozen=True)
class Delta(Rule):
    """``△EQI>-1``: current − previous compared with a value (strict where written so)."""

    kind: ClassVar[str] = "delta"
    quantity: str = "EQI"
    op: Op = ">"
    value: float = -1.0

    def needs(self) -> frozenset[Need]:
        return frozenset({"current", "previous"})


@dataclass(frozen=True)
class RegionCase:
    classes: tuple[str, ...]  # region or terrain class codes this case applies to
    rule: Rule
    label: str = ""  # the text as written ("中西部其他地区、东北地区")

    def to_dict(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "label": self.label, "rule": self.rule.to_dict()}


@dataclass(frozen=True)
class Region(Rule):
    """A threshold chosen by the project's region class (``dimension="region"``) or terrain
    class (``dimension="terrain"``: 山区≥33;丘陵≥22;平原≥16)."""

    kind: ClassVar[str] = "region"
    dimension: Literal["region", "terrain"] = "region"
    cases: tuple[RegionCase, ...] = ()

    def needs(self) -> frozenset[Need]:
        out: frozenset[Need] = frozenset()
        for c in self.cases:
            out |= c.rule.needs()
        return out

    def children(self) -> tuple[Rule, ...]:
        return tuple(c.rule for c in self.cases)


@dataclass(frozen=True)
class AllOf(Rule):
    """``完成上级规定的考核任务,且保持稳定或持续下降``: every part must pass."""

    kind: ClassVar[str] = "all_of"
    rules: tuple[Rule, ...] = ()

    def needs(self) -> frozenset[Need]:
        out: frozenset[Need] = frozenset()
        for r in self.rules:
            out |= r.needs()
        return out

    def children(self) -> tuple[Rule, ...]:
        return self.rules


@dataclass(frozen=True)
class AnyOf(AllOf):
    """``≤25或持续下降``: one part passing is enough."""

    kind: ClassVar[str] = "any_of"


@dataclass(frozen=True)
class Manual(Rule):
    """Text that could not be read as a rule: a person judges it."""

    kind: ClassVar[str] = "manual"
    text: str = ""
    reason: str = ""

    def needs(self) -> frozenset[Need]:
        return frozenset({"current"})


_KINDS: dict[str, type[Rule]] = {
    c.kind: c for c in (Threshold, Qualitative, Trend, SuperiorTarget, Delta, Region, AllOf, AnyOf, Manual)
}


def rule_from_dict(d: dict[str, Any]) -> Rule:
    """Inverse of :meth:`Rule.to_dict`."""
    kind = d.get("kind")
    cls = _KINDS.get(str(kind))
    if cls is None:
        return Manual(text=str(d), reason=f"未知规则类型：{kind}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in d:
            continue
        v = d[f.name]
        if f.name == "rules":
            v = tuple(rule_from_dict(x) for x in v)
        elif f.name == "cases":
            v = tuple(
                RegionCase(tuple(c["classes"]), rule_from_dict(c["rule"]), c.get("label", "")) for c in v
            )
        elif isinstance(v, list):
            v = tuple(v)
        kwargs[f.name] = v
    return cls(**kwargs)


__all__ = [
    "QUALITATIVE_OPTIONS",
    "AllOf",
    "AnyOf",
    "Delta",
    "Manual",
    "Qualitative",
    "Region",
    "RegionCase",
    "Rule",
    "SuperiorTarget",
    "Threshold",
    "Trend",
    "rule_from_dict",
]
