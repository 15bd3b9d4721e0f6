"""A rule as one Chinese sentence a clerk understands ("本期值应不低于 20%").

Shown in the fill-in workbook's input prompts, so the sentence is kept under
:data:`MAX_LENGTH` characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue import REGION_CLASSES, TERRAIN_CLASSES
from ..numbers import display_number
from ..schemes import scheme
from .model import (
    AllOf,
    AnyOf,
    Delta,
    Manual,
    Qualitative,
    Region,
    RegionCase,
    Rule,
    SuperiorTarget,
    Threshold,
    Trend,
)

MAX_LENGTH = 200
_NO_UNIT = ("", "-", "—", "/", "无")
_THRESHOLD_WORDS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "==": "为"}
_DELTA_WORDS = {">=": "不小于", "<=": "不大于", ">": "大于", "<": "小于", "==": "等于"}
_TREND_TEXT = {
    ("down", True): ("本期值应不高于上期值", "保持稳定或持续下降"),
    ("down", False): ("本期值应低于上期值", "持续下降"),
    ("up", True): ("本期值应不低于上期值", "保持稳定或持续提高"),
    ("up", False): ("本期值应高于上期值", "持续提高"),
    ("better", True): ("本期值应不差于上期值", "保持稳定或持续改善"),
    ("better", False): ("本期值应优于上期值", "持续改善"),
}


@dataclass(frozen=True)
class _Say:
    unit: str
    region: str | None
    terrain: str | None
    better: str | None

    def value(self, x: float) -> str:
        return display_number(x) + ("" if self.unit in _NO_UNIT else self.unit)


def explain(
    rule: Rule,
    unit: str = "",
    region: str | None = None,
    terrain: str | None = None,
    *,
    better: str | None = None,
) -> str:
    """One sentence for ``rule``; with ``region``/``terrain`` the applicable case comes first, with
    ``better`` ("higher"/"lower") 改善 is spelled out as 不低于/不高于."""
    say = _Say(str(unit or "").strip(), region, terrain, better)
    text = _sentence(rule, say, nested=False)
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


def _sentence(rule: Rule, say: _Say, nested: bool) -> str:
    if isinstance(rule, Threshold):
        return f"本期值应{_THRESHOLD_WORDS.get(rule.op, rule.op)} {say.value(rule.value)}"
    if isinstance(rule, Qualitative):
        return _qualitative(rule)
    if isinstance(rule, Trend):
        return _trend(rule, say, nested)
    if isinstance(rule, SuperiorTarget):
        return _superior(rule)
    if isinstance(rule, Delta):
        subject = f"本期 {rule.quantity} 与上期之差" if rule.quantity else "本期值与上期值之差"
        return f"{subject}应{_DELTA_WORDS.get(rule.op, rule.op)} {display_number(rule.value)}"
    if isinstance(rule, Region):
        return _region(rule, say)
    if isinstance(rule, AnyOf):
        return _joined([_sentence(r, say, True) for r in rule.rules], "或" if nested else "，或", either=True)
    if isinstance(rule, AllOf):
        return _joined([_sentence(r, say, True) for r in rule.rules], "，且", either=False)
    if isinstance(rule, Manual):
        if not rule.text:
            return "需人工判定"
        return f"{rule.text}（人工判定）" if nested else f"需人工判定：{rule.text}"
    return "需人工判定"


def _qualitative(rule: Qualitative) -> str:
    first = rule.options[0] if rule.options else (rule.accepted[0] if rule.accepted else rule.status)
    verb = "已" + rule.status if rule.status in ("建立", "开展") else rule.status
    return f"应{verb}（填报『{first}』并附佐证材料）"


def _trend(rule: Trend, say: _Say, nested: bool) -> str:
    direction = rule.direction
    if direction == "better" and say.better in ("higher", "lower"):
        direction = "up" if say.better == "higher" else "down"
    main, _ = _TREND_TEXT.get((direction, rule.allow_stable), _TREND_TEXT[("better", rule.allow_stable)])
    _, note = _TREND_TEXT.get((rule.direction, rule.allow_stable), _TREND_TEXT[("better", rule.allow_stable)])
    return main if nested else f"{main}（{note}）"


def _superior(rule: SuperiorTarget) -> str:
    if rule.change_pct is None:
        return "应完成上级下达的考核目标（填写上级下达目标值）"
    return f"应完成{stated_change(rule)}的目标（填写折算后的目标值）"


def stated_change(rule: SuperiorTarget) -> str:
    """The assignment as the text stated it: "到2025年比2020年下降16%"."""
    pct = rule.change_pct or 0.0
    by = f"到{rule.target_year}年" if rule.target_year else ""
    return f"{by}比{rule.base_year}年{'下降' if pct < 0 else '提高'}{display_number(abs(pct))}%"


def _joined(parts: list[str], sep: str, either: bool) -> str:
    """ "A，且B": later parts drop their "应" ("本期值应不高于…" → "本期值不高于…"); in "A，或B"
    they also drop a subject the first part already named ("本期值应不高于 25，或低于上期值")."""
    head, *rest = parts or ["需人工判定"]
    later = []
    for part in rest:
        if either and head.startswith("本期值") and part.startswith("本期值"):
            part = part.removeprefix("本期值").removeprefix("应")
        later.append(part.replace("应", "", 1) if "应" in part[:4] else part)
    return sep.join([head, *later])


def _case_label(case: RegionCase, dimension: str) -> str:
    """The case's label as the table names it ("中西部地(略)市辖区" read as its full name)."""
    sch = scheme(dimension)  # type: ignore[arg-type]
    return sch.tag_names(sch.label_tags(case.label)) or case.label or "其他地区"


def _region(rule: Region, say: _Say) -> str:
    terrain = rule.dimension == "terrain"
    names = TERRAIN_CLASSES if terrain else REGION_CLASSES
    here = say.terrain if terrain else say.region
    code = next((c for c, name in names.items() if here in (c, name)), here)
    cases = sorted(rule.cases, key=lambda c: code not in c.classes)  # the applicable case first
    parts = []
    for case in cases:
        mark = "（适用本地）" if code in case.classes else ""
        parts.append(f"{_case_label(case, rule.dimension)}{mark}：{_sentence(case.rule, say, nested=False)}")
    return "；".join(parts) or "需人工判定"


__all__ = ["MAX_LENGTH", "explain", "stated_change"]
