"""Periods of a round (调度轮次): 年度 / 上半年 / 下半年 / 第N季度 / N月 of a year, and the
comparison period of an indicator (上期值).

Indicators are annual figures; offices also run half-year, quarterly and monthly 调度. "保持稳定 /
持续下降 / 持续改善" compares with the **same kind of period a year earlier** — 上年 for an annual
round, 上年同期 for a part-year one — unless the indicator names a base year (基准年,
"到2025年比2020年下降16%"). A half-year figure is never the 上期 of an annual one.

A period is written as a code in the ledger and the JSON (``2025``, ``2025-H1``, ``2025-Q3``,
``2025-M06``) and shown as its Chinese label (``2025年度``, ``2025年上半年``, ``2025年第三季度``,
``2025年6月``). :func:`infer_period` reads one from a round's name; :func:`parse_period` also
accepts the code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["year", "half", "quarter", "month"]

#: How a comparison is labelled in pre-fills, reasons and the report.
SAME_LAST_YEAR = "上年"  # annual round: the previous year
SAME_PERIOD_LAST_YEAR = "上年同期"  # part-year round: the same half/quarter/month a year earlier
PREVIOUS_ROUND = "上一轮"  # rounds without a period: the round before by deadline
BASE_YEAR = "基准年"  # the indicator names a base year
COMPARISON_LABELS = (SAME_LAST_YEAR, SAME_PERIOD_LAST_YEAR, PREVIOUS_ROUND, BASE_YEAR)

#: An indicator's comparison setting (``Indicator.comparison``): "" = same period a year earlier
#: (the default), "previous_round" = the round before, "base:2020" = the base year 2020.
COMPARISON_DEFAULT = ""
COMPARISON_PREVIOUS_ROUND = "previous_round"

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_QUARTER_CN = ("一", "二", "三", "四")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: Kind = "year"
    index: int = 0  # half 1–2, quarter 1–4, month 1–12; 0 for a year

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        letter = {"half": "H", "quarter": "Q", "month": "M"}[self.kind]
        return (
            f"{self.year}-{letter}{self.index:02d}"
            if self.kind == "month"
            else f"{self.year}-{letter}{self.index}"
        )

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年度"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{_QUARTER_CN[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    @property
    def kind_label(self) -> str:
        return {"year": "年度", "half": "半年", "quarter": "季度", "month": "月度"}[self.kind]

    def same_period(self, year: int) -> Period:
        return Period(year, self.kind, self.index)

    def a_year_earlier(self) -> Period:
        return self.same_period(self.year - 1)

    @property
    def comparison_label(self) -> str:
        """上年 for an annual period, 上年同期 for a part of a year."""
        return SAME_LAST_YEAR if self.kind == "year" else SAME_PERIOD_LAST_YEAR

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "year": self.year,
            "kind": self.kind,
            "index": self.index,
        }


_CODE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<k>[HQM])(?P<i>\d{1,2}))?$")
_YEAR = r"(?P<y>(?:19|20)\d{2})年?"


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _CN_DIGITS:
        return _CN_DIGITS[text]
    if len(text) == 2 and text[0] == "十" and text[1] in _CN_DIGITS:  # 十一, 十二
        return 10 + _CN_DIGITS[text[1]]
    return None


def _valid(p: Period) -> Period | None:
    limits = {"year": (0, 0), "half": (1, 2), "quarter": (1, 4), "month": (1, 12)}
    lo, hi = limits[p.kind]
    return p if lo <= p.index <= hi else None


def parse_period(text: str | None) -> Period | None:
    """A period from its code (``2025-H1``) or a Chinese name (``2025年上半年``); None if neither."""
    if not text:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    m = _CODE_RE.match(s)
    if m:
        if not m["k"]:
            return Period(int(m["y"]))
        kind: Kind = {"H": "half", "Q": "quarter", "M": "month"}[m["k"]]  # type: ignore[assignment]
        return _valid(Period(int(m["y"]), kind, int(m["i"])))
    return infer_period(s)


_HALF_RE = re.compile(_YEAR + r"(?:度)?(?P<h>上|下)半年")
_QUARTER_RE = re.compile(_YEAR + r"(?:度)?第?(?P<q>[一二三四1-4])季度?")
_QUARTER_Q_RE = re.compile(r"(?P<y>(?:19|20)\d{2})[-年]?Q(?P<q>[1-4])", re.IGNORECASE)
_MONTH_RE = re.compile(_YEAR + r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?!底|末)")
_MONTH_NUM = r"(?:1[0-2]|0?[1-9]|[一二三四五六七八九十]{1,2})"
_MONTHS_RE = re.compile(_YEAR + _MONTH_NUM + r"[-—–~至]" + _MONTH_NUM + "月")
_ANNUAL_RE = re.compile(_YEAR + r"(?:度|全年|年度|年底|年末|年终)")
_BARE_YEAR_RE = re.compile(r"^(?P<y>(?:19|20)\d{2})年?$")


def infer_period(name: str | None) -> Period | None:
    """The period a round's name states: ``2025年度`` / ``2025年上半年`` / ``2025年第三季度`` /
    ``2025年6月`` / ``2025年`` / ``2025Q3``. A name that states no period (``2025年第一轮``,
    ``1-6月`` without a year, two different years) gives None: the clerk sets it."""
    if not name:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))
    years = set(re.findall(r"(?:19|20)\d{2}(?=年|-|Q|q|$)", s))
    if len(years) != 1:
        return None
    for regex, kind, group in (
        (_HALF_RE, "half", "h"),
        (_QUARTER_RE, "quarter", "q"),
        (_QUARTER_Q_RE, "quarter", "q"),
    ):
        m = regex.search(s)
        if m:
            raw = m[group]
            index = 1 if raw == "上" else 2 if raw == "下" else _number(raw)
            return _valid(Period(int(m["y"]), kind, index or 0))  # type: ignore[arg-type]
    if _MONTHS_RE.search(s):
        return None  # "2025年1-6月": a span, not one month — the clerk says which period it is
    m = _MONTH_RE.search(s)
    if m:
        month = _number(m["m"].lstrip("0") or "0")
        return _valid(Period(int(m["y"]), "month", month or 0))
    m = _ANNUAL_RE.search(s) or _BARE_YEAR_RE.match(s)
    if m:
        return Period(int(m["y"]))
    return None


def comparison_setting(text: str | None) -> str:
    """Normalise an indicator's comparison setting: "" (同期上年), "previous_round", "base:YYYY".

    Accepts the Chinese words a clerk types (上年 / 上年同期 / 上一轮 / 基准年2020 / 2020年)."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    if s in ("", "上年", "上年同期", "同期", "default", "same_period_last_year"):
        return COMPARISON_DEFAULT
    if s in ("上一轮", "上轮", COMPARISON_PREVIOUS_ROUND):
        return COMPARISON_PREVIOUS_ROUND
    m = re.fullmatch(r"(?:base:|基准年:?|基准年为)?(?P<y>(?:19|20)\d{2})年?(?:基准年)?", s)
    if m:
        return f"base:{m['y']}"
    raise ValueError(s)


def base_year(setting: str) -> int | None:
    return int(setting[5:]) if setting.startswith("base:") and setting[5:].isdigit() else None


def comparison_text(setting: str) -> str:
    """The setting in words: 同期上年（默认） / 上一轮 / 基准年 2020年."""
    if setting == COMPARISON_PREVIOUS_ROUND:
        return PREVIOUS_ROUND
    y = base_year(setting)
    return f"{BASE_YEAR}（{y}年）" if y else "上年同期（默认）"


class _RoundLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def period(self) -> str: ...


@dataclass(frozen=True)
class Comparison:
    """Where an indicator's 上期值 comes from for one round.

    ``label``: 上年 / 上年同期 / 上一轮 / 基准年; ``period``: the comparison period's label
    ("2024年度"), empty when the round has no period; ``round``: the ledger round holding that
    period's figures, empty when there is none (the department supplies the value itself)."""

    label: str
    period: str = ""
    round: str = ""

    @property
    def describe(self) -> str:
        """ "上年（2024年度）" / "上一轮（2025年第一轮）" / "基准年（2020年度）"."""
        what = self.period or self.round
        return f"{self.label}（{what}）" if what else self.label

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "period": self.period, "round": self.round}


def round_period(r: _RoundLike) -> Period | None:
    return parse_period(r.period) if r.period else None


def comparison_for(
    rounds: Sequence[_RoundLike], current: str, setting: str = COMPARISON_DEFAULT
) -> Comparison:
    """The comparison of round ``current`` among ``rounds`` (in deadline order) for an indicator
    whose comparison setting is ``setting``.

    - a base year: the annual round of that year, if the ledger has one;
    - "previous_round", or a round without a period: the round before it by deadline (上一轮);
    - otherwise the round of the same period a year earlier (上年 / 上年同期), if any — never a
      round of another kind of period."""
    names = [r.name for r in rounds]
    if current not in names:
        return Comparison(PREVIOUS_ROUND)
    i = names.index(current)
    me = rounds[i]
    period = round_period(me)
    y = base_year(setting)
    if y is not None:
        want = Period(y)
        hit = _latest(rounds[:i] + rounds[i + 1 :], want)
        return Comparison(BASE_YEAR, want.label, hit.name if hit else "")
    if setting == COMPARISON_PREVIOUS_ROUND or period is None:
        prev = rounds[i - 1] if i > 0 else None
        return Comparison(PREVIOUS_ROUND, "", prev.name if prev else "")
    want = period.a_year_earlier()
    hit = _latest([r for j, r in enumerate(rounds) if j != i], want)
    return Comparison(period.comparison_label, want.label, hit.name if hit else "")


def _latest(rounds: Iterable[_RoundLike], want: Period) -> _RoundLike | None:
    hits = [r for r in rounds if round_period(r) == want]
    return hits[-1] if hits else None


__all__ = [
    "BASE_YEAR",
    "COMPARISON_LABELS",
    "PREVIOUS_ROUND",
    "SAME_LAST_YEAR",
    "SAME_PERIOD_LAST_YEAR",
    "Comparison",
    "Period",
    "base_year",
    "comparison_for",
    "comparison_setting",
    "comparison_text",
    "infer_period",
    "parse_period",
    "round_period",
]
