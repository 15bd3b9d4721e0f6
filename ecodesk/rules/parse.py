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

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from ..findings import Finding
from ..schemes import scheme
from .model import AllOf, AnyOf, Manual, Region, RegionCase, Rule, SuperiorTarget, Trend
from .phrase import ACCEPTED_STATUSES, MESSAGES, Reader, manual, message, read_phrase

MAX_LENGTH = 300


@dataclass
class ParseResult:
    rule: Rule
    warnings: list[str] = field(default_factory=list)  # sentences, as the catalogue shows them
    findings: list[Finding] = field(default_factory=list)  # the same as findings (code rule.*, fields)

    @staticmethod
    def of(rule: Rule, *found: Finding) -> ParseResult:
        return ParseResult(rule, [f.message for f in found], list(found))


def parse_rule(text: str, unit: str = "", better: str | None = None) -> ParseResult:
    """Read a 指标值 text, given the indicator's unit and better direction ("higher"/"lower").

    A pure function of its three arguments (the rules are frozen and the region/terrain schemes
    are the package's own), so each distinct text is read once per process: a report or a history
    run asks for the same 3,000 rules tens of thousands of times. Each call gets its own
    :class:`ParseResult` (fresh lists), so a caller that adds to its warnings spoils no other."""
    original = ("" if text is None else str(text)).strip()
    r = _parse_cached(original, str(unit or "").strip(), better if better in ("higher", "lower") else None)
    return ParseResult(r.rule, list(r.warnings), list(r.findings))


@functools.lru_cache(maxsize=1 << 14)
def _parse_cached(original: str, unit: str, better: str | None) -> ParseResult:
    if len(original) > MAX_LENGTH:
        return ParseResult.of(Manual(original, "指标值过长"), Finding.of("rule.too_long", n=len(original)))
    s = normalize(original)
    if not s:
        return ParseResult.of(Manual(original, "指标值为空"), Finding.of("rule.empty"))
    better = better if better in ("higher", "lower") else None
    reader = Reader(unit=str(unit or "").strip(), better=better, whole=s, original=original)
    rule = _region(s, reader) or _conjunction(s, reader)
    if better is None and _needs_better(rule):
        reader.warn("needs_better")
    return ParseResult(rule, reader.warnings, reader.findings)


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
# Labels come from the schemes (resources/schemes.json). Cases are written label first
# ("山区≥33;丘陵≥22;平原≥16", "东部地区:≥60") or number first ("≥60山区≥40丘陵≥30平原"),
# separated by ";", spaces or line breaks (gone after normalising: the labels mark the cases).
_JOIN = "、,/和与"
_TRIM = ":;,、。"


def _label_groups(s: str, dimension: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of each label in ``s``; labels joined by 、/和 form one group."""
    groups: list[tuple[int, int, str]] = []
    for m in scheme(dimension).label_re.finditer(s):  # type: ignore[arg-type]
        if groups and all(ch in _JOIN for ch in s[groups[-1][1] : m.start()]) and m.start() > groups[-1][1]:
            start, _, _ = groups[-1]
            groups[-1] = (start, m.end(), s[start : m.end()])
        elif groups and m.start() == groups[-1][1]:  # two labels touching: "东部地区中部地区" is not a case
            return []
        else:
            groups.append((m.start(), m.end(), m.group()))
    return groups


def _cases(s: str, groups: list[tuple[int, int, str]]) -> list[tuple[str, str]] | None:
    """(label, body) pairs, label first or number first; None if the labels do not frame the text."""
    if s[: groups[0][0]].strip(_TRIM) == "":  # label first
        ends = [g[0] for g in groups[1:]] + [len(s)]
        return [(g[2], s[g[1] : e].strip(_TRIM)) for g, e in zip(groups, ends, strict=True)]
    if s[groups[-1][1] :].strip(_TRIM) == "":  # number first
        starts = [0] + [g[1] for g in groups[:-1]]
        return [(g[2], s[b : g[0]].strip(_TRIM)) for g, b in zip(groups, starts, strict=True)]
    return None


_GENERIC_LABEL = re.compile(r"^(?P<label>[^\d≥≤<>=:;,、()Δ+\-.]{2,20}?(?:地区|市辖区|山区|县|区))[:]?(?P<body>[\d≥≤<>=].*)$")


def _unknown_labels(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A ``;`` piece inside a case that starts with a label the schemes do not know ("港澳地区≥40")
    is a case of its own (it will be reported and never chosen), not part of the case before."""
    out: list[tuple[str, str]] = []
    for label, body in pairs:
        pieces = body.split(";")
        keep = [pieces[0]]
        extra: list[tuple[str, str]] = []
        for piece in pieces[1:]:
            m = _GENERIC_LABEL.match(piece)
            if m and not extra:
                extra.append((m["label"], m["body"]))
            elif extra:
                extra[-1] = (extra[-1][0], extra[-1][1] + ";" + piece)
            else:
                keep.append(piece)
        out.append((label, ";".join(keep)))
        out += extra
    return out


def _region(s: str, reader: Reader) -> Region | None:
    found = {d: _label_groups(s, d) for d in ("region", "terrain")}
    dims = [d for d, g in found.items() if g]
    if len(dims) != 1:
        return None  # no labels, or region and terrain mixed: not a case split this reader knows
    dimension = dims[0]
    pairs = _cases(s, found[dimension])
    if pairs is None:
        return None
    sch = scheme(dimension)  # type: ignore[arg-type]
    pairs = _unknown_labels(pairs)
    cases = []
    for label, body in pairs:
        for item in sch.unread_items(label):
            reader.warn("region_label", label=item)
        classes = sch.classes_for(sch.label_tags(label))
        if not body:
            reader.warn("region_case", label=label)
            rule: Rule = Manual(label, "这一档没有目标值，需人工判定")
        else:
            rule = _conjunction(body, reader)
        cases.append(RegionCase(classes, rule, label))
    return Region(dimension=dimension, cases=tuple(cases))  # type: ignore[arg-type]


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
