"""One phrase of a 指标值 text → a rule: the readers :mod:`ecodesk.rules.parse` tries in turn
(Qualitative, SuperiorTarget, a stated change, Trend, Delta, Threshold), else Manual.

Readings chosen where the texts are silent:

- ``X以上`` / ``X以下`` / ``X以内`` include X, as in Chinese statistical usage: ≥X / ≤X
  (平湖 ``力争26微克/立方米以下`` → ``Threshold("<=", 26)``).
- A bare number: 100 (or 0) on a percentage or unitless indicator means exactly that value
  (``100``, ``保持100%``, ``=100``); any other bare number is read in the indicator's better
  direction (≥ for "higher", ≤ for "lower"), with a warning; unknown direction → ``==``.
- ``到2025年比2020年下降16%`` → ``SuperiorTarget(direction="better", base_year="2020",
  change_pct=-16, target_year="2025")``: whether the indicator is itself a 下降率 (then the target is
  16) or a level (then the target is the 2020 value × 0.84) is not in the text, so the department
  fills in the target value it works out to and the indicator's better direction decides.
- ``保持稳定`` alone: no worse than the comparison period (Trend "better", stable allowed);
  ``持续X`` / ``有所X`` without ``保持稳定`` are strict.
- ``改善`` and ``完成上级…任务`` keep ``direction="better"``; the indicator's direction is applied at
  evaluation time, so correcting it in the catalogue needs no re-parse.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..findings import Finding
from ..messages import msg, section
from .model import (
    QUALITATIVE_OPTIONS,
    Delta,
    Direction,
    Manual,
    Op,
    Qualitative,
    Rule,
    SuperiorTarget,
    Threshold,
    Trend,
)

#: The parser's warnings: templates under ``rule.<code>`` in the one message catalogue
#: (:data:`ecodesk.messages.MESSAGES`); here without the prefix, for the parser's own codes.
MESSAGES: dict[str, str] = section("rule.")

#: Reported statuses that pass a qualitative indicator (evaluation normalises spaces and width).
ACCEPTED_STATUSES: dict[str, tuple[str, ...]] = {
    "建立": ("已建立", "建立", "已建成", "建成", "已完成", "完成", "是"),
    "开展": ("已开展", "开展", "已完成", "完成", "是"),
    "有效保障": ("有效保障", "已保障", "保障", "是"),
    "有效开展": ("有效开展", "已开展", "开展", "是"),
}


def message(code: str, **fields: object) -> str:
    return msg("rule." + code, **fields)


@dataclass
class Reader:
    """What a parse knows besides the text, and the warnings it has given."""

    unit: str
    better: str | None
    whole: str  # the normalised text, to tell "the whole text failed" from "a part failed"
    original: str
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the same warnings as findings (rule.*)

    def warn(self, code: str, **fields: object) -> None:
        f = Finding.of("rule." + code, **fields)
        if f.message not in self.warnings:
            self.warnings.append(f.message)
            self.findings.append(f)


# ---- one phrase ------------------------------------------------------------------------------
_NUM = r"[-+]?\d+(?:\.\d+)?"
_OPS: dict[str, Op] = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "=="}
_OP_WORDS = sorted(
    [
        *(("≥", w) for w in ("大于等于", "不低于", "不少于", "不小于", "不得低于", "不得少于", "至少")),
        *(("≤", w) for w in ("小于等于", "不高于", "不超过", "不大于", "不多于", "不得高于", "不得超过")),
        *((">", w) for w in ("高于", "大于", "超过", "多于")),
        *(("<", w) for w in ("低于", "小于", "少于")),
    ],
    key=lambda p: -len(p[1]),
)
_NOTE_RE = re.compile(r"^(?P<body>.+?)\((?P<note>(?!略\))[^()]*)\)$")
_RANKING_RE = re.compile(r"位列|排名|前列|名列|前\d+名")


def read_phrase(s: str, reader: Reader) -> Rule:
    m = _NOTE_RE.match(s)
    if m:
        reader.warn("note", note=m["note"])
        s = m["body"]
    for read in (_qualitative, _superior, _stated_change, _trend, _delta, _threshold):
        rule = read(s, reader)
        if rule is not None:
            return rule
    return manual(s, reader)


def manual(s: str, reader: Reader) -> Manual:
    whole = s == reader.whole
    text = reader.original if whole else s
    if _RANKING_RE.search(s):
        reader.warn("ranking", text=text)
        return Manual(text=text, reason="排名类目标，需人工判定")
    reader.warn("manual" if whole else "manual_part", text=text)
    return Manual(text=text, reason="无法识别为规则，需人工判定")


def _with_op_words(s: str) -> str:
    for sym, word in _OP_WORDS:
        s = s.replace(word, sym)
    return s


def _qualitative(s: str, reader: Reader) -> Qualitative | None:
    bare = s.removeprefix("已")
    for status in ("有效保障", "有效开展", "建立", "开展"):
        if bare == status or (bare.startswith(status) and not re.search(r"[\d≥≤<>=%]", bare)):
            return Qualitative(status, ACCEPTED_STATUSES[status], QUALITATIVE_OPTIONS[status])
    return None


_SUPERIOR_RE = re.compile(r"^(?:确保)?(?:完成|达到|满足)[^\d≥≤<>=]*(?:任务|目标|要求)值?$")


def _superior(s: str, reader: Reader) -> SuperiorTarget | None:
    if _SUPERIOR_RE.match(s) and re.search(r"上级|考核|下达|目标任务", s):
        return SuperiorTarget(direction="better")
    return None


_CHANGE_RE = re.compile(
    rf"^(?:力争|确保)?(?:到(?P<ty>\d{{4}})年底?,?)?(?:比|较)(?P<by>\d{{4}})年底?"
    rf"(?P<dir>下降|降低|减少|提高|提升|增长|增加|上升)(?P<num>{_NUM})%(?:以上)?$"
)


def _stated_change(s: str, reader: Reader) -> SuperiorTarget | None:
    m = _CHANGE_RE.match(s)
    if m is None or not math.isfinite(pct := float(m["num"])):
        return None
    sign = -1.0 if m["dir"] in ("下降", "降低", "减少") else 1.0
    return SuperiorTarget("better", base_year=m["by"], change_pct=sign * abs(pct), target_year=m["ty"] or "")


_TREND_RE = re.compile(
    r"^(?P<stable>保持(?:基本)?稳定(?:或|,|并)?)?(?P<adv>持续|有所|逐步|稳步|进一步|不断)?"
    r"(?P<word>下降|降低|减少|提高|提升|上升|增加|增长|改善|好转)?$"
)
_NOT_WORSE: dict[str, Direction] = {
    "不下降": "up", "不降低": "up", "不减少": "up", "只增不减": "up", "稳中有升": "up",
    "不上升": "down", "不升高": "down", "不增加": "down", "不反弹": "down", "稳中有降": "down",
    "不恶化": "better", "不退化": "better", "稳中向好": "better",
}  # fmt: skip


def _word_direction(word: str) -> Direction:
    if word in ("下降", "降低", "减少"):
        return "down"
    return "better" if word in ("改善", "好转") else "up"


def _trend(s: str, reader: Reader) -> Trend | None:
    if s in _NOT_WORSE:
        return Trend(_NOT_WORSE[s], allow_stable=True)
    m = _TREND_RE.match(s)
    if m is None or not (m["stable"] or m["word"]):
        return None
    if m["word"] is None:
        return None if m["adv"] else Trend("better", allow_stable=True)  # 保持稳定: no worse
    return Trend(_word_direction(m["word"]), allow_stable=bool(m["stable"]))


_DELTA_RE = re.compile(rf"^Δ(?P<q>[^\d≥≤<>=]*)(?P<op>[≥≤<>=])(?P<num>{_NUM})$")


def _delta(s: str, reader: Reader) -> Delta | None:
    m = _DELTA_RE.match(_with_op_words(s))
    if m is None or not math.isfinite(value := float(m["num"])):
        return None
    return Delta(quantity=m["q"].strip("()"), op=_OPS[m["op"]], value=value)


_THRESHOLD_RE = re.compile(
    rf"^(?P<pre>(?:力争|确保|保持|稳定在|控制在|达到|达|为)*)(?P<op>[≥≤<>=])?(?P<num>{_NUM})"
    r"(?P<unit>[^\d≥≤<>=.+\-][^≥≤<>=]*?)?(?P<bound>及以上|以上|及以下|以下|以内)?$"
)
_BAD_UNIT_RE = re.compile(r"[或且,;:、()Δ]")


def _threshold(s: str, reader: Reader) -> Threshold | None:
    m = _THRESHOLD_RE.match(_with_op_words(s))
    if m is None or not math.isfinite(value := float(m["num"])):
        return None
    unit = m["unit"] or ""
    if len(unit) > 10 or _BAD_UNIT_RE.search(unit):
        return None
    return Threshold(op=_threshold_op(m["op"], m["pre"], m["bound"], value, s, reader), value=value)


def _threshold_op(sym: str | None, pre: str, bound: str | None, value: float, s: str, reader: Reader) -> Op:
    implied: Op | None = None
    if bound:
        implied = ">=" if "以上" in bound else "<="
    elif "达" in pre:
        implied = ">="
    elif "控制在" in pre:
        implied = "<="
    if sym:
        op = _OPS[sym]
        if implied and op not in (implied, implied[0]):
            reader.warn("bound_conflict", text=s, bound=bound or pre)
        return op
    return implied or _bare_op(value, s, reader)


def _bare_op(value: float, s: str, reader: Reader) -> Op:
    if value in (0.0, 100.0) and reader.unit in ("%", "", "-", "—"):
        return "=="
    if reader.better == "higher":
        reader.warn("bare", text=s, meaning="不低于")
        return ">="
    if reader.better == "lower":
        reader.warn("bare", text=s, meaning="不高于")
        return "<="
    reader.warn("bare", text=s, meaning="等于")
    return "=="


__all__ = ["ACCEPTED_STATUSES", "MESSAGES", "Reader", "manual", "message", "read_phrase"]
