"""Normalising careless cell values: a table of real-world inputs, then properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecodesk.intake.normalise import (
    FLAG_TEXT,
    TASK_STATUS_OPTIONS,
    Value,
    normalise_number,
    normalise_status,
)
from ecodesk.numbers import display_number, exact_number

BUILD = ("已建立", "建设中", "未建立")
DO = ("已开展", "推进中", "未开展")
GUARD = ("有效保障", "部分保障", "未保障")
EFFECT = ("有效开展", "部分开展", "未开展")
TASK = TASK_STATUS_OPTIONS

NUMBER_CASES: list[tuple[object, str, float | None, tuple[str, ...]]] = [
    # blanks and blank markers
    (None, "empty", None, ()),
    ("", "empty", None, ()),
    ("   ", "empty", None, ()),
    ("\u3000", "empty", None, ()),
    ("—", "empty", None, ("blank_marker",)),
    ("——", "empty", None, ("blank_marker",)),
    ("-", "empty", None, ("blank_marker",)),
    ("--", "empty", None, ("blank_marker",)),
    ("/", "empty", None, ("blank_marker",)),
    ("／", "empty", None, ("blank_marker",)),
    ("无", "empty", None, ("blank_marker",)),
    ("空", "empty", None, ("blank_marker",)),
    ("暂无", "empty", None, ("blank_marker",)),
    ("N/A", "empty", None, ("blank_marker",)),
    ("n/a", "empty", None, ("blank_marker",)),
    (" 无 ", "empty", None, ("blank_marker",)),
    # plain numbers, as Excel and as text
    (95, "number", 95.0, ()),
    (95.0, "number", 95.0, ()),
    (0.95, "number", 0.95, ()),  # a percent-formatted cell: we cannot see formats, leave it
    (-1, "number", -1.0, ()),
    ("95", "number", 95.0, ()),
    (" 95.2 ", "number", 95.2, ()),
    ("0.7", "number", 0.7, ()),
    (".5", "number", 0.5, ()),
    ("95.", "number", 95.0, ()),
    ("+5", "number", 5.0, ()),
    ("-5", "number", -5.0, ()),
    ("−5", "number", -5.0, ()),
    ("1e-5", "number", 1e-5, ()),
    ("\u200b95", "number", 95.0, ()),
    # full-width
    ("９５", "number", 95.0, ("fullwidth",)),
    ("９５．２", "number", 95.2, ("fullwidth",)),
    ("－５", "number", -5.0, ("fullwidth",)),
    ("＋５", "number", 5.0, ("fullwidth",)),
    ("９５％", "number", 95.0, ("fullwidth", "percent_sign")),
    # percent signs: the number as shown
    ("95%", "number", 95.0, ("percent_sign",)),
    ("95 %", "number", 95.0, ("percent_sign",)),
    ("95％", "number", 95.0, ("fullwidth", "percent_sign")),
    ("%95", "number", 95.0, ("percent_sign",)),
    ("0.5%", "number", 0.5, ("percent_sign",)),
    # thousands separators
    ("1,234.5", "number", 1234.5, ("thousands",)),
    ("1，234.5", "number", 1234.5, ("fullwidth", "thousands")),
    ("12,345,678", "number", 12345678.0, ("thousands",)),
    ("-1,234", "number", -1234.0, ("thousands",)),
    ("1,23", "text", None, ("not_number",)),
    ("12,345,67", "text", None, ("not_number",)),
    ("1234,567", "text", None, ("not_number",)),
    ("0,5", "text", None, ("not_number",)),
    # approximate
    ("约95", "number", 95.0, ("approx",)),
    ("约 95", "number", 95.0, ("approx",)),
    ("大约95", "number", 95.0, ("approx",)),
    ("≈95", "number", 95.0, ("approx",)),
    ("近95", "number", 95.0, ("approx",)),
    ("~95", "number", 95.0, ("approx",)),
    ("～95", "number", 95.0, ("fullwidth", "approx")),
    ("95左右", "number", 95.0, ("approx",)),
    ("100余个", "number", 100.0, ("approx", "unit_text")),
    ("约95%", "number", 95.0, ("approx", "percent_sign")),
    # 万 and 亿
    ("1.2万", "number", 12000.0, ("wan",)),
    ("3万", "number", 30000.0, ("wan",)),
    ("0.35亿", "number", 35000000.0, ("yi",)),
    ("1.2万吨", "number", 12000.0, ("wan", "unit_text")),
    ("约1.2万", "number", 12000.0, ("approx", "wan")),
    ("1万多", "number", 10000.0, ("approx", "wan")),
    # units
    ("35μg/m3", "number", 35.0, ("unit_text",)),
    ("35 μg/m³", "number", 35.0, ("unit_text",)),
    ("35ug/m3", "number", 35.0, ("unit_text",)),
    ("35微克/立方米", "number", 35.0, ("unit_text",)),
    ("1.5g/kg", "number", 1.5, ("unit_text",)),
    ("12个", "number", 12.0, ("unit_text",)),
    ("5吨", "number", 5.0, ("unit_text",)),
    ("5t", "number", 5.0, ("unit_text",)),
    ("5 T", "number", 5.0, ("unit_text",)),
    ("95分", "text", None, ("not_number",)),  # not a common unit: only with unit="分" (below)
    ("2023年", "text", None, ("not_number",)),
    # inequalities: a target, not a value
    ("≥95", "number", 95.0, ("inequality",)),
    (">95", "number", 95.0, ("inequality",)),
    (">=95", "number", 95.0, ("inequality",)),
    ("＞95", "number", 95.0, ("fullwidth", "inequality")),
    ("<0.5", "number", 0.5, ("inequality",)),
    ("≤35μg/m3", "number", 35.0, ("inequality", "unit_text")),
    ("95以上", "number", 95.0, ("inequality",)),
    ("95%以上", "number", 95.0, ("inequality", "percent_sign")),
    ("不低于95", "number", 95.0, ("inequality",)),
    # not numbers: never guessed, never 0
    ("9 5.2", "text", None, ("not_number",)),
    ("1 234", "text", None, ("not_number",)),
    ("九十五", "text", None, ("not_number",)),
    ("零", "text", None, ("not_number",)),
    ("95.2.1", "text", None, ("not_number",)),
    ("90-95", "text", None, ("not_number",)),
    ("90~95", "text", None, ("not_number",)),
    ("95。2", "text", None, ("not_number",)),
    ("见附件", "text", None, ("not_number",)),
    ("达标", "text", None, ("not_number",)),
    ("+", "text", None, ("not_number",)),
    ("e5", "text", None, ("not_number",)),
    (True, "text", None, ("not_number",)),
    (False, "text", None, ("not_number",)),
    # Excel errors and other non-values
    ("#DIV/0!", "error", None, ("excel_error",)),
    ("#N/A", "error", None, ("excel_error",)),
    ("#VALUE!", "error", None, ("excel_error",)),
    ("#REF!", "error", None, ("excel_error",)),
    ("#NAME?", "error", None, ("excel_error",)),
    ("#NUM!", "error", None, ("excel_error",)),
    ("#NULL!", "error", None, ("excel_error",)),
    (" #div/0! ", "error", None, ("excel_error",)),
    (math.nan, "error", None, ("not_finite",)),
    (math.inf, "error", None, ("not_finite",)),
    (-math.inf, "error", None, ("not_finite",)),
    (10**400, "error", None, ("not_finite",)),
    ("1" * 400, "error", None, ("not_finite",)),
    (dt.date(2024, 6, 30), "date", None, ("date",)),
    (dt.datetime(2024, 6, 30, 8, 30), "date", None, ("date",)),
    (dt.time(9, 30), "date", None, ("date",)),
    (dt.timedelta(hours=1), "date", None, ("date",)),
]


@pytest.mark.parametrize(("cell", "kind", "number", "flags"), NUMBER_CASES)
def test_normalise_number_table(
    cell: object, kind: str, number: float | None, flags: tuple[str, ...]
) -> None:
    value = normalise_number(cell)
    assert (value.kind, value.number, value.flags) == (kind, number, flags)
    assert value.status is None
    if isinstance(cell, str):
        assert value.raw == cell  # kept exactly as typed


@pytest.mark.parametrize(
    ("cell", "raw"),
    [
        (95.0, "95"),
        (0.1 + 0.2, "0.30000000000000004"),
        (95, "95"),
        (True, "TRUE"),
        (None, ""),
        (dt.date(2024, 6, 30), "2024-06-30"),
        (dt.datetime(2024, 6, 30), "2024-06-30"),
        (dt.datetime(2024, 6, 30, 8, 30), "2024-06-30 08:30:00"),
        ("  ９５％ ", "  ９５％ "),
    ],
)
def test_raw_text(cell: object, raw: str) -> None:
    assert normalise_number(cell).raw == raw


@pytest.mark.parametrize(
    ("cell", "unit", "number"),
    # "3 万元" on an indicator counted in 万元 is 3 (万元), not 30000
    [("95分", "分", 95.0), ("35 μg/m³", "μg/m3", 35.0), ("12 家", "家", 12.0), ("3 万元", "万元", 3.0)],
)
def test_indicator_unit_is_stripped(cell: str, unit: str, number: float) -> None:
    value = normalise_number(cell, unit=unit)
    assert (value.kind, value.number) == ("number", number)
    assert "unit_text" in value.flags


def test_unit_dash_means_no_unit() -> None:
    assert normalise_number("95-", unit="-").kind == "text"


def test_calamine_error_objects_go_through_str() -> None:
    class CellError:
        def __str__(self) -> str:
            return "#DIV/0!"

    assert normalise_number(CellError()) == Value("#DIV/0!", "error", flags=("excel_error",))


@pytest.mark.parametrize(
    ("x", "text"),
    [(95.0, "95"), (95.2, "95.2"), (0.7, "0.7"), (12000.0, "12000"), (-1.0, "-1"), (0.0, "0"), (-0.0, "0"),
     (1e-05, "0.00001"), (1.5e16, "15000000000000000"), (0.1 + 0.2, "0.30000000000000004")],
)  # fmt: skip
def test_exact_number(x: float, text: str) -> None:
    assert exact_number(x) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [(95.0, "95"), (27.30, "27.3"), (-0.0, "0"), (0.1 + 0.2, "0.3"), (0.952 * 100, "95.2"),
     (1e-05, "0.00001"), (1.5e16, "15000000000000000"), (1234567890123.0, "1234567890123"),
     (float("inf"), "inf")],
)  # fmt: skip
def test_display_number_drops_float_noise_and_never_writes_an_exponent(x: float, text: str) -> None:
    assert display_number(x) == text


STATUS_CASES: list[tuple[object, tuple[str, ...], str, str | None, tuple[str, ...]]] = [
    # exact, after strip / NFKC
    ("已建立", BUILD, "status", "已建立", ()),
    (" 建设中 ", BUILD, "status", "建设中", ()),
    ("未建立", BUILD, "status", "未建立", ()),
    ("有效保障", GUARD, "status", "有效保障", ()),
    ("滞后", TASK, "status", "滞后", ()),
    # the passing option
    ("建立", BUILD, "status", "已建立", ("variant",)),
    ("已经建立", BUILD, "status", "已建立", ("variant",)),
    ("已建", BUILD, "status", "已建立", ("variant",)),
    ("是", BUILD, "status", "已建立", ("variant",)),
    ("√", BUILD, "status", "已建立", ("variant",)),
    ("✓", DO, "status", "已开展", ("variant",)),
    ("完成", BUILD, "status", "已建立", ("variant",)),
    ("已完成", DO, "status", "已开展", ("variant",)),
    ("开展", DO, "status", "已开展", ("variant",)),
    ("是", GUARD, "status", "有效保障", ("variant",)),
    ("已开展", EFFECT, "status", "有效开展", ("variant",)),
    ("已 建立", BUILD, "status", "已建立", ("variant",)),
    ("已建立。", BUILD, "status", "已建立", ("variant",)),
    # the failing option
    ("否", BUILD, "status", "未建立", ("variant",)),
    ("×", DO, "status", "未开展", ("variant",)),
    ("未", GUARD, "status", "未保障", ("variant",)),
    ("没有开展", DO, "status", "未开展", ("variant",)),
    ("尚未建立", BUILD, "status", "未建立", ("variant",)),
    # the middle option
    ("正在建设", BUILD, "status", "建设中", ("variant",)),
    ("在建", BUILD, "status", "建设中", ("variant",)),
    ("推进中", BUILD, "status", "建设中", ("variant",)),
    ("进行中", DO, "status", "推进中", ("variant",)),
    ("建设中", DO, "status", "推进中", ("variant",)),
    ("进行中", GUARD, "status", "部分保障", ("variant",)),
    ("部分", EFFECT, "status", "部分开展", ("variant",)),
    # tasks
    ("完成", TASK, "status", "已完成", ("variant",)),
    ("进行中", TASK, "status", "推进中", ("variant",)),
    ("正在推进", TASK, "status", "推进中", ("variant",)),
    ("持续推进", TASK, "status", "推进中", ("variant",)),
    ("按计划推进", TASK, "status", "推进中", ("variant",)),
    ("正在开展", DO, "status", "推进中", ("variant",)),
    ("开展中", DO, "status", "推进中", ("variant",)),
    ("正在建立", BUILD, "status", "建设中", ("variant",)),
    ("已建立（部分）", BUILD, "text", None, ("unknown_status",)),  # a remark: the department's to settle
    ("正常推进", TASK, "status", "推进中", ("variant",)),
    ("有序推进", TASK, "status", "推进中", ("variant",)),
    ("已启动", TASK, "status", "推进中", ("variant",)),
    ("基本完成", TASK, "text", None, ("unknown_status",)),  # not 已完成: the department says
    ("未开始", TASK, "status", "未启动", ("variant",)),
    ("尚未启动", TASK, "status", "未启动", ("variant",)),
    ("延期", TASK, "status", "滞后", ("variant",)),
    ("推迟", TASK, "status", "滞后", ("variant",)),
    ("未按期", TASK, "status", "滞后", ("variant",)),
    ("否", TASK, "status", "未启动", ("variant",)),
    # not applicable, blanks, errors, unknowns
    ("不适用", BUILD, "status", "不适用", ("not_applicable",)),
    ("不涉及", TASK, "status", "不适用", ("variant", "not_applicable")),
    (None, BUILD, "empty", None, ()),
    ("", BUILD, "empty", None, ()),
    ("/", BUILD, "empty", None, ("blank_marker",)),
    ("—", TASK, "empty", None, ("blank_marker",)),
    ("#N/A", BUILD, "error", None, ("excel_error",)),
    ("好的", BUILD, "text", None, ("unknown_status",)),
    ("延期", BUILD, "text", None, ("unknown_status",)),  # task words only for task options
    ("建立", DO, "text", None, ("unknown_status",)),
    (1.0, BUILD, "text", None, ("unknown_status",)),
    (True, BUILD, "text", None, ("unknown_status",)),
]


@pytest.mark.parametrize(("cell", "options", "kind", "status", "flags"), STATUS_CASES)
def test_normalise_status_table(
    cell: object, options: tuple[str, ...], kind: str, status: str | None, flags: tuple[str, ...]
) -> None:
    value = normalise_status(cell, options, options[:1])
    assert (value.kind, value.status, value.flags) == (kind, status, flags)
    assert value.number is None


def test_yes_needs_a_passing_first_option() -> None:
    assert normalise_status("是", ("达标", "不达标"), ()).kind == "text"
    assert normalise_status("是", ("达标", "不达标"), ("达标",)).status == "达标"
    assert normalise_status("否", ("达标", "不达标"), ("达标",)).status == "不达标"


def test_every_flag_is_explained() -> None:
    assert all(text for text in FLAG_TEXT.values())


# ---- properties -------------------------------------------------------------------------------

ANY_CELL = st.one_of(
    st.none(),
    st.text(),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)
TRICKY = st.text(
    alphabet=st.sampled_from(list("0123456789０９.．,，%％-－−+＋ 约≈~≥>以上左右万亿多个吨tμg/m3eE#!无—"))
)
FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
FULLWIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


def check_invariants(value: Value) -> None:
    assert value.kind in ("empty", "number", "status", "text", "error", "date")
    if value.kind == "number":
        assert value.number is not None and math.isfinite(value.number)
    else:
        assert value.number is None
    assert set(value.flags) <= FLAG_TEXT.keys()
    assert isinstance(value.raw, str)


@given(ANY_CELL | TRICKY, st.none() | st.text(max_size=5))
def test_number_never_raises(cell: object, unit: str | None) -> None:
    check_invariants(normalise_number(cell, unit=unit))


@given(ANY_CELL | TRICKY, st.sampled_from([BUILD, DO, GUARD, EFFECT, TASK, ()]))
def test_status_never_raises(cell: object, options: tuple[str, ...]) -> None:
    value = normalise_status(cell, options, options[:1])
    check_invariants(value)
    if value.kind == "status":
        assert value.status in (*options, "不适用")
    else:
        assert value.status is None


@given(FINITE)
def test_float_cell_round_trips(x: float) -> None:
    value = normalise_number(x)
    assert (value.kind, value.number, value.raw) == ("number", x, exact_number(x))


@given(FINITE)
def test_formatted_number_round_trips(x: float) -> None:
    text = exact_number(x)
    assert normalise_number(text).number == x
    assert normalise_number(text + "%").number == x
    assert normalise_number("约" + text).number == x
    fullwidth = normalise_number(text.translate(FULLWIDTH))
    assert fullwidth.number == x
    assert "fullwidth" in fullwidth.flags


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_thousands_round_trip(n: int) -> None:
    value = normalise_number(f"{n:,}")
    assert value.number == n
    assert ("thousands" in value.flags) == (abs(n) >= 1000)


@given(FINITE)
def test_python_grouped_float_round_trips(x: float) -> None:
    assert normalise_number(f"{x:,}").number == x


@given(st.one_of(st.text(), TRICKY).filter(lambda s: not any(c.isdigit() for c in s)))
def test_text_without_digits_is_never_a_number(text: str) -> None:
    value = normalise_number(text)
    assert value.kind != "number"
    assert value.number is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("不适用", (True, "")),
        (" 不 适 用 ", (True, "")),
        ("不适用。", (True, "")),
        ("不涉及", (True, "")),
        ("无此项", (True, "")),
        ("不适用（本县无天然草原）", (True, "本县无天然草原")),
        ("不适用：本县无牧区", (True, "本县无牧区")),
        ("不适用\n本县无牧区", (True, "本县无牧区")),
        ("不适用于本县", (False, "")),  # words running on: not read as 不适用
        ("无此项目", (False, "")),
        ("/", (False, "")),
        (95, (False, "")),
        (None, (False, "")),
    ],
)
def test_not_applicable_however_typed(typed, expected):
    from ecodesk.intake.normalise import not_applicable

    assert not_applicable(typed) == expected


@pytest.mark.parametrize(
    ("typed", "unit", "number", "flags"),
    [
        ("1.2万吨", "万吨", 1.2, ("unit_text",)),  # in the indicator's own unit: not ×10000
        ("1.2万", "万元", 1.2, ()),
        ("1.2万吨", "吨", 12000.0, ("wan", "unit_text")),
        ("1.2万元", "元", 12000.0, ("wan", "unit_text")),
        ("35微克/立方米", "μg/m3", 35.0, ("unit_text",)),  # one unit, another spelling
        ("15克/千克", "g/kg", 15.0, ("unit_text",)),
        ("12000吨", "万吨", 12000.0, ("unit_text", "unit_other")),  # another unit: never converted
        ("0.035mg/m3", "μg/m3", 0.035, ("unit_text", "unit_other")),
        ("12处", "个", 12.0, ("unit_text",)),  # things counted: one unit
        ("12人", "个", 12.0, ("unit_text", "unit_other")),
        ("12户", "人", 12.0, ("unit_text", "unit_other")),
        ("5吨", "-", 5.0, ("unit_text",)),  # no unit to compare with
    ],
)
def test_a_unit_typed_after_the_number_is_compared_with_the_indicators(typed, unit, number, flags):
    v = normalise_number(typed, unit=unit)
    assert (v.kind, v.number, v.flags) == ("number", number, flags)


@pytest.mark.parametrize(
    ("other", "current", "expected"),
    [(0.62, 60.5, True), (0.6, 60.5, True), (62, 60.5, False), (0.605, 0.62, False), (0.5, 1.2, False)],
)
def test_fraction_beside_a_percent(other, current, expected):
    from ecodesk.intake.normalise import fraction_beside

    assert fraction_beside(normalise_number(other), normalise_number(current)) is expected
