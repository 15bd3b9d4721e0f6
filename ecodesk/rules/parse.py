"""指标值 text → :class:`~ecodesk.rules.model.Rule`. Never raises: what cannot be read becomes
:class:`~ecodesk.rules.model.Manual` with a warning a clerk can act on.

Reading order (precedence):

1. normalise: NFKC (full-width ＞＝，；： → ASCII), no spaces, ``>=``/``≧`` → ``≥``, ``△``/``∆`` → ``Δ``;
2. region or terrain cases ``东部地区:≥60;中西部其他地区:≥30`` / ``山区≥33;丘陵≥22;平原≥16`` → Region;
3. ``且`` (``,且``, ``并且``; a stray ``;`` with a warning) → AllOf;
4. ``或`` → AnyOf, except inside ``保持稳定或持续X``, which is one Trend phrase;
5. each phrase → :func:`ecodesk.rules.phrase.read_phrase` (where the readings of ``以下``, bare
   numbers and ``比2020年下降16%`` are documented).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..catalogue import TERRAIN_CLASSES
from .model import AllOf, AnyOf, Manual, Region, RegionCase, Rule, SuperiorTarget, Trend
from .phrase import ACCEPTED_STATUSES, MESSAGES, Reader, manual, message, read_phrase

MAX_LENGTH = 300


@dataclass
class ParseResult:
    rule: Rule
    warnings: list[str] = field(default_factory=list)


def parse_rule(text: str, unit: str = "", better: str | None = None) -> ParseResult:
    """Read a 指标值 text, given the indicator's unit and better direction ("higher"/"lower")."""
    original = ("" if text is None else str(text)).strip()
    if len(original) > MAX_LENGTH:
        return ParseResult(Manual(original, "指标值过长"), [message("too_long", n=len(original))])
    s = normalize(original)
    if not s:
        return ParseResult(Manual(original, "指标值为空"), [message("empty")])
    better = better if better in ("higher", "lower") else None
    reader = Reader(unit=str(unit or "").strip(), better=better, whole=s, original=original)
    rule = _region(s, reader) or _conjunction(s, reader)
    if better is None and _needs_better(rule):
        reader.warn("needs_better")
    return ParseResult(rule, reader.warnings)


# ---- normalisation ---------------------------------------------------------------------------
_CHARS = str.maketrans("≧⩾≦⩽△∆−", "≥≥≤≤ΔΔ-")
_SPELLINGS = {
    "大于或等于": "大于等于", "小于或等于": "小于等于", "高于或等于": "不低于", "低于或等于": "不高于",
    ">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "==": "=",
}  # fmt: skip


def normalize(text: str) -> str:
    """The text in one spelling: NFKC, no whitespace, unified operators; "(略)" is kept."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_CHARS)
    for old, new in _SPELLINGS.items():
        s = s.replace(old, new)
    return s.strip("。.,;、")


def _needs_better(rule: Rule) -> bool:
    if isinstance(rule, Trend | SuperiorTarget) and rule.direction == "better":
        return True
    return any(_needs_better(c) for c in rule.children())


# ---- region / terrain cases ------------------------------------------------------------------
_LABEL_RE = re.compile(
    r"^(?P<label>[^\d≥≤<>=:()Δ+\-.]*?(?:地区|市辖区|山区|山地|丘陵|平原))(?P<body>[^、,].*)$"
)


def _item_classes(item: str) -> tuple[str, ...]:
    for word, code in (("山区", "mountain"), ("山地", "mountain"), ("丘陵", "hill"), ("平原", "plain")):
        if word in item:
            return (code,)
    if "东北" in item:
        return ("northeast",)
    if "东部" in item:
        return ("east",)
    if "市辖区" in item or "地级" in item:
        return ("central_west_district",)
    if any(w in item for w in ("中西部", "中部", "西部")):
        return ("central_west_other",) if "其他" in item else ("central_west_district", "central_west_other")
    return ()


def _label_classes(label: str, reader: Reader) -> tuple[str, ...]:
    out: list[str] = []
    for item in filter(None, re.split(r"[、,/]", label)):
        found = _item_classes(item)
        if not found:
            reader.warn("region_label", label=item)
        out.extend(found)
    return tuple(dict.fromkeys(out))


def _split_case(segment: str) -> tuple[str, str] | None:
    if ":" in segment:
        label, body = segment.split(":", 1)
        return (label, body) if label and body else None
    m = _LABEL_RE.match(segment)
    return (m["label"], m["body"]) if m else None


def _region(s: str, reader: Reader) -> Region | None:
    pairs = [_split_case(seg) for seg in s.split(";") if seg]
    if not pairs or any(p is None for p in pairs):
        return None
    labelled = [p for p in pairs if p is not None]
    if not any(any(_item_classes(i) for i in re.split(r"[、,/]", label)) for label, _ in labelled):
        return None
    cases = tuple(
        RegionCase(_label_classes(label, reader), _conjunction(body, reader), label)
        for label, body in labelled
    )
    used = {c for case in cases for c in case.classes}
    dimension = "terrain" if used and used <= set(TERRAIN_CLASSES) else "region"
    return Region(dimension=dimension, cases=cases)


# ---- 且 / 或 ------------------------------------------------------------------------------------
_STABLE_RE = re.compile(r"保持(?:基本)?稳定")
_TREND_WORD_RE = re.compile(
    r"(?:持续|有所|逐步|稳步|进一步|不断)?(?:下降|降低|减少|提高|提升|上升|增加|增长|改善|好转)"
)


def _conjunction(s: str, reader: Reader) -> Rule:
    if ";" in s:
        reader.warn("semicolon", text=s)
    parts = [p.strip(",") for p in re.split(r";|,?并?且", s)]
    return _combine(AllOf, [_alternatives(p, reader) for p in parts if p.strip(",")], s, reader)


def _alternatives(s: str, reader: Reader) -> Rule:
    merged: list[str] = []
    for piece in (p.strip(",") for p in re.split(r",?或", s)):
        if merged and _STABLE_RE.fullmatch(merged[-1]) and _TREND_WORD_RE.fullmatch(piece):
            merged[-1] += "或" + piece
        else:
            merged.append(piece)
    return _combine(AnyOf, [read_phrase(p, reader) for p in merged if p], s, reader)


def _combine(cls: type[AllOf], rules: list[Rule], s: str, reader: Reader) -> Rule:
    if not rules:
        return manual(s, reader)
    return rules[0] if len(rules) == 1 else cls(rules=tuple(rules))


__all__ = ["ACCEPTED_STATUSES", "MAX_LENGTH", "MESSAGES", "ParseResult", "message", "normalize", "parse_rule"]
