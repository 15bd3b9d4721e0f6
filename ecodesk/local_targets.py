"""Local targets (本地目标): a county's own target beside the national rule (平湖: PM2.5
"力争26微克/立方米以下", 万元工业增加值用水量 "到2025年比2020年下降16%", 满意度 "位列嘉兴市前列").

A local target is judged on its own and reported beside the national verdict; it never changes
it. A county's table writes one in an extra column (本地目标, 平湖目标值, 目标值（平湖）…), in
brackets after the national text, or after a ``；`` — :func:`is_local_header` and
:func:`split_target_text` read those. A local target that is a change from a base year needs the
value it works out to: set it (``local_target_value``), or the base-year figure
(``local_base_value``) for a level indicator, and EcoDesk works it out. Judging the value against
it is the verdicts' (:func:`ecodesk.verdicts.local.judge_local`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .catalogue import Indicator
from .numbers import display_number
from .rules.model import Manual, Region, Rule, SuperiorTarget
from .rules.parse import normalize, parse_rule

# ---- reading a county's table ------------------------------------------------------------------
_NATIONAL_HEADERS = {"指标值", "目标值", "目标", "国家指标值", "国家目标值", "全国指标值", "建设指标值"}
_LOCAL_WORDS = re.compile(r"本地|本县|本市|本区|地方|县级|自定|自设|属地")
_PLACE_IN_BRACKETS = re.compile(r"^(?:指标值|目标值|目标)\((?P<place>[^()]{2,8})\)$")
_PLACE_PREFIX = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,5}?)(?:市|县|区)?(?:指标值|目标值|目标)$")
_NOT_PLACES = ("上级", "国家", "全国", "省级", "省定", "市定", "考核", "年度", "规划", "指标", "建设", "创建")


def _header(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", s)


def is_local_header(text: str) -> bool:
    """Whether a column header names a county's own target: 本地目标, 本县目标值, 平湖目标值,
    目标值（平湖）, 指标值(平湖市) … — not 指标值 / 目标值 / 上级目标 themselves."""
    s = _header(text)
    if not s or s in _NATIONAL_HEADERS or ("目标" not in s and "指标值" not in s):
        return False
    if _LOCAL_WORDS.search(s):
        return True
    m = _PLACE_IN_BRACKETS.match(s) or _PLACE_PREFIX.match(s)
    return bool(m) and not any(w in m["place"] for w in _NOT_PLACES)


@dataclass(frozen=True)
class Split:
    national: str
    local: str = ""
    how: str = ""  # "bracket" / "semicolon" / ""


_TRAILING_BRACKET = re.compile(r"^(?P<national>.+?)\s*[（(](?P<inner>[^（）()]+)[）)]\s*$")
_LOCAL_PREFIX = re.compile(r"^(?:本地目标值?|本地|本县|本市|地方目标|[\u4e00-\u9fff]{2,5}?(?:市|县|区)?(?:目标值?)?)\s*[:：]\s*")
_LOCAL_HINT = re.compile(r"力争|位列|前列|名列|以下|以上|以内|下降|提高|提升|≥|≤|[<>]")


def _reads_as_target(text: str) -> bool:
    if not text or text.strip() in ("略",):
        return False
    if _LOCAL_HINT.search(normalize(text)):
        return True
    return not isinstance(parse_rule(text).rule, Manual | Region)


def split_target_text(text: str) -> Split:
    """A 指标值 cell as (national, local): text in trailing brackets that reads as a target
    ("≤35（平湖：力争26微克/立方米以下）"), or after a ``；`` ("…持续下降；力争26以下"), is a local
    target; a note in brackets ("≥60（东部地区）") and region/terrain cases split by ``;`` are not."""
    s = str(text or "").strip()
    if not s:
        return Split("")
    m = _TRAILING_BRACKET.match(s)
    if m and m["inner"].strip() != "略":
        inner = _LOCAL_PREFIX.sub("", m["inner"].strip(), count=1).strip()
        if inner and _reads_as_target(inner) and m["national"].strip():
            return Split(m["national"].strip(), inner, "bracket")
    if re.search(r"[;；]", s) and not isinstance(parse_rule(s).rule, Region):
        parts = re.split(r"[;；]", s, maxsplit=1)
        head, rest = parts[0].strip(), parts[1].strip().strip(";；")
        if head and rest:
            return Split(head, _LOCAL_PREFIX.sub("", rest, count=1).strip() or rest, "semicolon")
    return Split(s)


# ---- the local target's rule and value ---------------------------------------------------------
def local_rule(ind: Indicator) -> Rule:
    return parse_rule(ind.local_target_text, unit=ind.unit, better=ind.better).rule


def superior_of(rule: Rule) -> SuperiorTarget | None:
    """The part of ``rule`` that compares with a given value (上级下达目标值, or the local target's)."""
    if isinstance(rule, SuperiorTarget):
        return rule
    for child in rule.children():
        found = superior_of(child)
        if found is not None:
            return found
    return None


def local_target_value(ind: Indicator) -> tuple[float | None, str]:
    """The value a local target that needs one is judged against, and how it was found:
    the clerk's value; else, for a stated change of a level indicator, base × (1 + change)."""
    if ind.local_target_value is not None:
        return float(ind.local_target_value), "设定的本地目标值"
    sup = superior_of(local_rule(ind))
    if sup is None or sup.change_pct is None or ind.local_base_value is None:
        return None, ""
    if ind.unit.strip() in ("%", "％"):  # 5 percentage points or 5 per cent? the text does not say
        return None, ""
    value = float(ind.local_base_value) * (1 + sup.change_pct / 100)
    return value, f"{sup.base_year}年基数 {display_number(float(ind.local_base_value))} 折算"


def local_target_dict(ind: Indicator) -> dict[str, Any] | None:
    """The catalogue's view of a local target (``ecodesk catalog --json``)."""
    if not ind.local_target_text:
        return None
    value, how = local_target_value(ind)
    return {
        "text": ind.local_target_text,
        "label": ind.local_target_label,
        "value": ind.local_target_value,
        "base_value": ind.local_base_value,
        "base_year": (superior_of(local_rule(ind)) or SuperiorTarget()).base_year,
        "worked_out": value,
        "how": how,
        "rule": local_rule(ind).to_dict(),
    }


def form_text(ind: Indicator) -> str:
    """The 指标值 cell of a fill-in form: the national text, then the local target on its own line."""
    if not ind.local_target_text:
        return ind.target_text
    value, _ = local_target_value(ind)
    extra = f"（目标值 {display_number(value)}）" if value is not None and "assigned" in local_rule(ind).needs() else ""
    return f"{ind.target_text}\n本地目标：{ind.local_target_text}{extra}"


__all__ = [
    "Split",
    "form_text",
    "is_local_header",
    "local_target_dict",
    "local_target_value",
    "split_target_text",
    "superior_of",
]
