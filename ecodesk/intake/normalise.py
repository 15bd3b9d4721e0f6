"""Cell values as departments type them → values the rules can judge.

:func:`normalise_number` and :func:`normalise_status` never raise and never turn something that is
not a number into 0: what cannot be read is kept as ``kind="text"`` with its raw text and a flag,
so the clerk sees exactly what was typed. Every flag has a Chinese explanation in :data:`FLAG_TEXT`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..messages import section
from ..numbers import exact_number
from .cells import CellInfo, percent_text
from .statuses import TASK_STATUS_OPTIONS as TASK_STATUS_OPTIONS  # re-exported: the task dropdown

#: What each value flag means, for the clerk: ``flag.<flag>`` in the one message catalogue.
FLAG_TEXT: dict[str, str] = section("flag.")



@dataclass(frozen=True)
class Value:
    raw: str  # the cell as shown/typed
    kind: str  # "empty" | "number" | "status" | "text" | "error" | "date"
    number: float | None = None
    status: str | None = None
    flags: tuple[str, ...] = ()


BLANK_MARKERS = frozenset({"/", "\\", "无", "空", "暂无", "无数据", "暂无数据", "n/a"})
_DASHES = re.compile(r"[-—–―─]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_EXCEL_ERROR = re.compile(r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)", re.I)
_APPROX_PREFIX = ("大约", "约为", "约", "近", "≈", "~")
_INEQ_PREFIX = ("不低于", "不少于", "不小于", "不高于", "不超过", "不大于", "高于", "大于", "低于", "小于",
                "超过", ">=", "<=", "≥", "≤", "≧", "≦", ">", "<")  # fmt: skip
_NUMBER = re.compile(
    r"(?P<sign>[+-])?(?P<mant>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE](?P<exp>[+-]?[0-9]{1,4}))?\s*(?P<about>多|余)?\s*(?P<mult>万|亿)?(?P<about2>多|余)?\s*(?P<pct>%)?"
    r"\s*(?P<unit>.*?)\s*(?P<post>及以上|及以下|以上|以下|以内|左右)?",
    re.S,
)
COMMON_UNITS: tuple[str, ...] = (
    "μg/m3", "ug/m3", "微克/立方米", "微克每立方米", "mg/m3", "毫克/立方米", "g/kg", "克/千克",
    "mg/kg", "mg/l", "毫克/升", "个", "%", "吨", "t", "万吨", "公顷", "亩", "平方公里",
    "平方千米", "km2", "千米", "公里", "km", "米", "m", "立方米", "m3", "天", "家", "项", "次",
    "人", "处", "座", "条", "户", "元", "万元", "千克", "kg")  # fmt: skip


def _unit_key(unit: str) -> str:
    return "".join(unicodedata.normalize("NFKC", unit).casefold().split())


_COMMON_UNIT_KEYS = frozenset(map(_unit_key, COMMON_UNITS))
#: spellings of one unit: "35微克/立方米" is in an indicator's "μg/m3"
_SAME_UNIT: tuple[tuple[str, ...], ...] = (
    ("μg/m3", "ug/m3", "微克/立方米", "微克每立方米"), ("mg/m3", "毫克/立方米"), ("g/kg", "克/千克"),
    ("mg/l", "毫克/升"), ("吨", "t"), ("平方公里", "平方千米", "km2"), ("千米", "公里", "km"), ("米", "m"),
    ("立方米", "m3"), ("千克", "kg"), ("个", "家", "项", "处", "座", "条"))  # fmt: skip  (the last: things counted)
_CANON = {_unit_key(u): _unit_key(group[0]) for group in _SAME_UNIT for u in group}


def _canon(unit: str) -> str:
    key = _unit_key(unit)
    return _CANON.get(key, key)


def _fullwidth_to_ascii(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


#: one table for what _clean does: drop invisible characters, full-width ASCII → ASCII, minus signs → "-"
_CLEAN = {**_INVISIBLE, **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x2212: "-", 0xFE63: "-"}


def _clean(text: str) -> str:
    return text.translate(_CLEAN).strip()


def _cell_text(cell: object) -> tuple[str, Value | None]:
    """The raw text of a cell, and its final Value when its type alone decides it."""
    if cell is None:
        return "", Value("", "empty")
    if isinstance(cell, bool):
        raw = "TRUE" if cell else "FALSE"
        return raw, Value(raw, "text", flags=("not_number",))
    if isinstance(cell, int | float):
        try:
            x = float(cell)
        except OverflowError:
            x = math.inf
        raw = exact_number(x)  # the cell's text must read back as the number itself
        if not math.isfinite(x):
            return raw, Value(raw, "error", flags=("not_finite",))
        return raw, Value(raw, "number", number=x)
    if isinstance(cell, dt.datetime):
        raw = cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
        return raw, Value(raw, "date", flags=("date",))
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat(), Value(cell.isoformat(), "date", flags=("date",))
    if isinstance(cell, dt.timedelta):
        return str(cell), Value(str(cell), "date", flags=("date",))
    try:
        raw = cell if isinstance(cell, str) else str(cell)
    except Exception:
        raw = object.__repr__(cell)
    text = _clean(raw)
    if not text:
        return raw, Value(raw, "empty")
    if text.casefold() in BLANK_MARKERS or _DASHES.fullmatch(text):
        return raw, Value(raw, "empty", flags=("blank_marker",))
    if _EXCEL_ERROR.fullmatch(text):
        return raw, Value(raw, "error", flags=("excel_error",))
    return raw, None


def _ordered(flags: set[str]) -> tuple[str, ...]:
    return tuple(f for f in FLAG_TEXT if f in flags)


def normalise_number(cell: object, unit: str | None = None) -> Value:
    """Read a numeric cell; ``unit`` (the indicator's 单位) may follow the number and is dropped."""
    raw, decided = _cell_text(cell)
    if decided is not None:
        return decided
    text = _clean(raw)
    flags: set[str] = {"fullwidth"} if _fullwidth_to_ascii(raw) != raw else set()
    for _ in range(4):  # "约≥95%": several prefixes may stack
        before = text
        for words, flag in (
            (_APPROX_PREFIX, "approx"),
            (_INEQ_PREFIX, "inequality"),
            (("%",), "percent_sign"),
        ):
            word = next((w for w in words if text.startswith(w)), None)
            if word is not None:
                text, flags = text[len(word) :].lstrip(), flags | {flag}
        if text == before:
            break
    m = _NUMBER.fullmatch(text)
    not_number = Value(raw, "text", flags=("not_number",))
    if m is None:
        return not_number
    own = _canon(unit) if unit and unit.strip() not in ("", "-") else ""
    typed, mult = m["unit"] or "", m["mult"]
    if own and mult and own.startswith(mult) and (not typed or _canon(mult + typed) == own):
        mult = None  # "1.2万吨" (or "1.2万") for an indicator counted in 万吨: 1.2, in its own unit
    elif typed:
        if _unit_key(typed) not in _COMMON_UNIT_KEYS and _canon(typed) != own:
            return not_number
        if own and _canon(typed) != own:
            flags.add("unit_other")  # "12000吨" for 万吨, "0.035mg/m3" for μg/m3: never converted
    if typed:
        flags.add("unit_text")
    mant = m["mant"]
    if "," in mant:
        flags.add("thousands")
    exp = int(m["exp"] or 0) + {None: 0, "万": 4, "亿": 8}[mult]
    x = float(f"{m['sign'] or ''}{mant.replace(',', '')}e{exp}")
    if not math.isfinite(x):
        return Value(raw, "error", flags=("not_finite",))
    flags |= {"wan"} if mult == "万" else {"yi"} if mult == "亿" else set()
    flags |= {"percent_sign"} if m["pct"] else set()
    flags |= {"approx"} if m["about"] or m["about2"] or m["post"] == "左右" else set()
    flags |= {"inequality"} if m["post"] and m["post"] != "左右" else set()
    return Value(raw, "number", number=x, flags=_ordered(flags))


_YES = ("是", "√", "✓", "✔", "☑", "完成", "已完成", "y", "yes")
_NO = ("否", "×", "✗", "✘", "x", "未", "n", "no")
_MIDDLE = ("正在建设", "在建", "建设中", "推进中", "进行中", "正在推进", "持续推进", "正在进行", "正在开展",
           "开展中", "正在建立", "建立中", "正在实施", "实施中")  # fmt: skip
_NOT_APPLICABLE = ("不适用", "不涉及", "无此项")
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "已完成": ("完成", "已经完成", "全部完成"),
    "推进中": ("进行中", "正在推进", "持续推进", "正在进行", "推进", "正常推进", "按计划推进", "有序推进",
              "稳步推进", "扎实推进", "已启动", "实施中", "正在实施"),
    "未启动": ("未开始", "尚未启动", "尚未开始", "没有启动"),
    "滞后": ("延期", "推迟", "未按期", "未按期完成", "延迟"),
}
_PUNCT = "。.，,！!；;、\"'“”‘’"


def _status_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split()).strip(_PUNCT)


@lru_cache(maxsize=256)
def _variants(options: tuple[str, ...], accepted: tuple[str, ...]) -> dict[str, str]:
    """Variant key → canonical option; earlier (more specific) entries win."""
    table: dict[str, str] = {}

    def add(words: Sequence[str], target: str | None) -> None:
        if target is not None:
            for w in words:
                table.setdefault(_status_key(w), target)

    for opt in (*options, *accepted):
        add((opt,), opt)
    for opt in options:
        add(_SYNONYMS.get(opt, ()), opt)
    for opt in options:
        if opt.startswith("已") and len(opt) > 1:
            add((opt[1:], "已经" + opt[1:], opt[:2]), opt)
        elif opt.startswith("有效") and len(opt) > 2:
            add((opt[2:], "已" + opt[2:], "已经" + opt[2:]), opt)
        elif opt.startswith("部分") and len(opt) > 2:
            add(("部分",), opt)
        elif opt.startswith("未") and len(opt) > 1:
            add(("没有" + opt[1:], "尚未" + opt[1:], "没" + opt[1:], opt[:2]), opt)
        elif opt.endswith("中") and len(opt) > 1:
            add(("正在" + opt[:-1], "在" + opt[0]), opt)
    first = options[0] if options else None
    add(_YES, first if first and (first.startswith(("已", "有效")) or first in accepted) else None)
    add(_NO, next((o for o in reversed(options) if o.startswith(("未", "不", "无", "没"))), None))
    add(_MIDDLE, options[1] if len(options) >= 3 else None)
    return table


def normalise_cell(
    cell: object, info: CellInfo | None, unit: str | None = None, percent: bool = False
) -> Value:
    """A number cell read as the department saw it: an error value or a formula without a saved
    result is reported as such (never blank); a percent-formatted number on a percentage indicator
    is percentage points (0.952 shown as "95.2%" → 95.2) and keeps the shown text as its raw."""
    if info is None:
        return normalise_number(cell, unit)
    if info.error:
        return Value(info.error, "error", flags=("excel_error",))
    if not info.cached:
        return Value("=" + info.formula, "error", flags=("formula_no_result",))
    v = normalise_number(cell, unit)
    extra = ("formula",) if info.formula else ()
    if v.kind == "number" and v.number is not None and info.percent and isinstance(cell, int | float):
        shown = info.shown or percent_text(v.number, info.fmt)
        if percent:
            return Value(
                shown, "number", round(v.number * 100, 10), flags=(*extra, "percent_format")
            )
        return Value(shown, "number", v.number, flags=(*v.flags, *extra))
    return Value(v.raw, v.kind, v.number, v.status, (*v.flags, *extra)) if extra else v


_NA_TEXT = re.compile(r"\s*(不\s*适\s*用|不\s*涉\s*及|无\s*此\s*项)(.*)", re.S)
_NA_OPEN = "(（[【<《:：,，;；、-—.。!！"
_NA_TRIM = "()（）[]【】<>《》:：,，;；、-—.。!！ \n\t"


def not_applicable(cell: object) -> tuple[bool, str]:
    """Whether a cell says 不适用 (不涉及, 无此项) however it was typed — spaced out, full-width,
    with a full stop — and the explanation written after it: "不适用（本县无此类水体）" →
    (True, "本县无此类水体"). Words running on ("不适用于…") are not read as 不适用."""
    if not isinstance(cell, str):
        return False, ""
    m = _NA_TEXT.fullmatch(unicodedata.normalize("NFKC", _clean(cell)))
    if m is None:
        return False, ""
    rest = m[2].strip()
    if not rest.strip(_NA_TRIM):
        return True, ""
    apart = m[2][0].isspace() or rest[0] in unicodedata.normalize("NFKC", _NA_OPEN)
    return (True, rest.strip(_NA_TRIM)) if apart else (False, "")


def fraction_beside(v: Value, current: Value) -> bool:
    """On a percentage indicator: a 上期值 or 上级下达目标值 typed as a bare fraction beside a 本期值
    in percentage points, where ×100 reads closer to it (0.62 beside 60.5 — compared as typed,
    60.5 "rose" from 0.62)."""
    x, cur = v.number, current.number
    if x is None or cur is None or cur <= 1 or not 0 < x <= 1:
        return False
    return not {"percent_format", "percent_sign"} & set(v.flags) and abs(x * 100 - cur) < abs(x - cur)


def normalise_status(cell: object, options: Sequence[str], accepted: Sequence[str] = ()) -> Value:
    """Map a qualitative answer (下拉选项 or a variant of one) to its canonical option."""
    raw, decided = _cell_text(cell)
    if decided is not None and decided.kind in ("empty", "error"):
        return decided
    text = unicodedata.normalize("NFKC", _clean(raw))
    exact = {unicodedata.normalize("NFKC", o): o for o in (*options, *accepted)}
    if text in exact and text not in _NOT_APPLICABLE:
        return Value(raw, "status", status=exact[text])
    key = _status_key(text)
    if key in map(_status_key, _NOT_APPLICABLE):
        flags = ("not_applicable",) if text == "不适用" else ("variant", "not_applicable")
        return Value(raw, "status", status="不适用", flags=flags)
    target = _variants(tuple(options), tuple(accepted)).get(key)
    if target is None:
        return Value(raw, "text", flags=("unknown_status",))
    return Value(raw, "status", status=target, flags=("variant",))
