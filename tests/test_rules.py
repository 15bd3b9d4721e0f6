"""指标值 texts → rules → verdicts → explanations.

One table row per text of the two source documents (嵊州 Annex 1, 平湖's local targets) and per
alternative spelling met in city-level and older indicator sets: the expected rule, one input that
passes and one that fails. Property tests fuzz the parser and the evaluator.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecodesk.catalogue import REGION_CLASSES, TERRAIN_CLASSES
from ecodesk.rules.evaluate import Inputs, JudgeContext, RuleResult, evaluate
from ecodesk.rules.explain import MAX_LENGTH, explain
from ecodesk.rules.model import (
    QUALITATIVE_OPTIONS,
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
    rule_from_dict,
)
from ecodesk.rules.parse import ACCEPTED_STATUSES, message, parse_rule

# ---- expected rules ------------------------------------------------------------------------------


def ge(v: float) -> Threshold:
    return Threshold(">=", v)


def le(v: float) -> Threshold:
    return Threshold("<=", v)


def qual(status: str) -> Qualitative:
    return Qualitative(status, ACCEPTED_STATUSES[status], QUALITATIVE_OPTIONS[status])


SUPERIOR = SuperiorTarget("better")
WITH_EAST = ("east", "central_district", "west_district", "central_west_district")
WITH_NORTHEAST = ("central", "west", "northeast", "central_west_other")
REGION_20 = Region(
    "region",
    (
        RegionCase(WITH_EAST, ge(60), "中西部地(略)市辖区、东部地区"),
        RegionCase(WITH_NORTHEAST, ge(30), "中西部其他地区、东北地区"),
    ),
)
TERRAIN = Region(
    "terrain",
    (
        RegionCase(("mountain",), ge(33), "山区"),
        RegionCase(("hill",), ge(22), "丘陵"),
        RegionCase(("plain",), ge(16), "平原"),
    ),
)


def I(current: float | str | None, previous: float | None = None, assigned: float | None = None) -> Inputs:  # noqa: E743
    return Inputs(current, previous, assigned)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    rule: Rule
    good: Inputs  # evaluates to good_status (pass, except for rules a person must judge)
    bad: Inputs  # evaluates to fail
    unit: str = "%"
    better: str | None = "higher"
    region: str | None = None
    terrain: str | None = None
    warnings: tuple[str, ...] = ()
    good_status: str = "pass"

    def ctx(self) -> JudgeContext:
        return JudgeContext(self.region, self.terrain, self.better, 0.0, self.unit)  # type: ignore[arg-type]


CASES = [
    # ---- 嵊州 Annex 1, in table order (unit and better direction as in the built-in catalogue)
    Case("嵊州1", "≥20", ge(20), I(20), I(19.9)),
    Case("嵊州2", "建立", qual("建立"), I("已建立"), I("建设中"), unit="-", better=None),
    Case("嵊州3", "开展", qual("开展"), I("已开展"), I("未开展"), unit="-", better=None),
    Case(
        "嵊州4",
        "完成上级规定的考核任务,且保持稳定或持续下降",
        AllOf((SUPERIOR, Trend("down", True))),
        I(25, previous=27, assigned=26),
        I(27.3, previous=28, assigned=26),
        unit="μg/m3",
        better="lower",
    ),
    Case(
        "嵊州5a",
        "完成上级规定的考核任务,且保持稳定或持续提高",
        AllOf((SUPERIOR, Trend("up", True))),
        I(90, previous=90, assigned=85),
        I(89, previous=90, assigned=85),
    ),
    Case("嵊州5b", "≥95", ge(95), I(95), I(94.9)),
    Case("嵊州5c", "100", Threshold("==", 100), I(100), I(99.5)),
    Case(
        "嵊州6a", "△EQI>-1", Delta("EQI", ">", -1), I(64.5, previous=65.3), I(64.3, previous=65.3), unit="-"
    ),
    Case(
        "嵊州7", "保持稳定或持续改善", Trend("better", True), I(60.2, previous=60.2), I(60.1, previous=60.2)
    ),
    Case("嵊州8", "≥93", ge(93), I(93.5), I(92)),
    Case("嵊州9", "有效保障", qual("有效保障"), I("有效保障"), I("部分保障"), unit="-", better=None),
    Case("嵊州10", "有效开展", qual("有效开展"), I("有效开展"), I("部分开展"), unit="-", better=None),
    Case("嵊州12", "≥80", ge(80), I(86), I(79)),
    Case("嵊州13", "完成上级规定的考核任务", SUPERIOR, I(17, assigned=16), I(15, assigned=16)),
    Case("嵊州15", "≥85", ge(85), I(85), I(84)),
    Case(
        "嵊州16",
        "保持稳定或持续改善",
        Trend("better", True),
        I(93, previous=92),
        I(91, previous=92),
        unit="-",
    ),
    Case("嵊州17", "≥90", ge(90), I(91), I(89)),
    Case(
        "嵊州20",
        "中西部地 (略) 市辖区、东部地区:≥60;中西部其他地区、东北地区:≥30",
        REGION_20,
        I(60),
        I(59),
        region="east",
    ),
    Case(
        "嵊州20-东北",
        "中西部地 (略) 市辖区、东部地区:≥60;中西部其他地区、东北地区:≥30",
        REGION_20,
        I(30),
        I(29),
        region="northeast",
    ),
    Case("嵊州22", "持续下降", Trend("down", False), I(3.9, previous=4), I(4, previous=4), better="lower"),
    Case(
        "嵊州25",
        "保持稳定或有所提高",
        Trend("up", True),
        I(21, previous=21),
        I(20.9, previous=21),
        unit="g/kg",
    ),
    # ---- 平湖's local targets
    Case(
        "平湖PM2.5",
        "保持稳定或持续下降",
        Trend("down", True),
        I(26, previous=26),
        I(27, previous=26),
        unit="μg/m3",
        better="lower",
    ),
    Case("平湖PM2.5目标", "力争26微克/立方米以下", le(26), I(26), I(26.1), unit="μg/m3", better="lower"),
    Case("平湖耕地", "保持100%", Threshold("==", 100), I(100), I(98)),
    Case(
        "平湖用水",
        "到2025年比2020年下降16%",
        SuperiorTarget("better", base_year="2020", change_pct=-16.0, target_year="2025"),
        I(17.5, assigned=16),
        I(12, assigned=16),
    ),
    Case("平湖EQI", "保持稳定", Trend("better", True), I(66, previous=66), I(65.9, previous=66), unit="-"),
    Case(
        "平湖满意度",
        "位列嘉兴市前列",
        Manual("位列嘉兴市前列", "排名类目标，需人工判定"),
        I(92),
        I(None),
        warnings=(message("ranking", text="位列嘉兴市前列"),),
        good_status="review",
    ),
    Case("平湖外来物种", "有效开展", qual("有效开展"), I("已开展"), I("未开展"), unit="-", better=None),
    # ---- other spellings of the same rules
    Case("全角≥", "＞＝95", ge(95), I(95), I(94)),
    Case("ASCII>=", ">=95", ge(95), I(95), I(94)),
    Case("百分号", "≥95%", ge(95), I(96), I(94)),
    Case("全角百分号", "≥ 95 ％", ge(95), I(96), I(94)),
    Case("不低于", "不低于95", ge(95), I(95), I(94)),
    Case("不少于", "不少于95%", ge(95), I(95), I(94)),
    Case("大于或等于", "大于或等于95", ge(95), I(95), I(94)),
    Case("达到以上", "达到93%以上", ge(93), I(93), I(92)),
    Case("≤", "≤25", le(25), I(25), I(25.1), better="lower"),
    Case("ASCII<=", "<=25", le(25), I(24), I(26), better="lower"),
    Case("全角≤", "＜＝25", le(25), I(24), I(26), better="lower"),
    Case("不高于", "不高于25", le(25), I(25), I(26), better="lower"),
    Case("不超过", "不超过25%", le(25), I(25), I(26), better="lower"),
    Case("以内", "控制在25%以内", le(25), I(25), I(26), better="lower"),
    Case("全角<", "＜5", Threshold("<", 5), I(4.9), I(5), better="lower"),
    Case("ASCII<", "<5", Threshold("<", 5), I(4.9), I(5), better="lower"),
    Case("全角>", "＞0", Threshold(">", 0), I(0.1), I(0)),
    Case("ASCII>", ">0", Threshold(">", 0), I(0.1), I(0)),
    Case("=100", "=100", Threshold("==", 100), I(100), I(99)),
    Case("100无单位", "100", Threshold("==", 100), I(100), I(99), unit=""),
    Case("希腊Δ", "ΔEQI>-1", Delta("EQI", ">", -1), I(66, previous=66), I(65, previous=66), unit="-"),
    Case("增量∆", "∆EQI ≥ -1", Delta("EQI", ">=", -1), I(65, previous=66), I(64.9, previous=66), unit="-"),
    Case(
        "全角逗号",
        "完成上级规定的考核任务，且保持稳定或持续下降",
        AllOf((SUPERIOR, Trend("down", True))),
        I(25, previous=25, assigned=26),
        I(25, previous=24, assigned=26),
        better="lower",
    ),
    Case(
        "全角分号冒号",
        "中西部地区地级及以上城市市辖区、东部地区：≥60；中西部其他地区、东北地区：≥30",
        Region(
            "region",
            (
                RegionCase(
                    WITH_EAST, ge(60), "中西部地区地级及以上城市市辖区、东部地区"
                ),
                RegionCase(WITH_NORTHEAST, ge(30), "中西部其他地区、东北地区"),
            ),
        ),
        I(31),
        I(29),
        region="central_west_other",
    ),
    Case(
        "且≥或持续提高",
        "完成上级规定的考核任务,且≥90或持续提高",
        AllOf((SUPERIOR, AnyOf((ge(90), Trend("up", False))))),
        I(85, previous=84, assigned=80),
        I(85, previous=85, assigned=80),
    ),
    Case(
        "≤或持续下降",
        "≤25或持续下降",
        AnyOf((le(25), Trend("down", False))),
        I(30, previous=31),
        I(30, previous=30),
        better="lower",
    ),
    Case("地形", "山区≥33;丘陵≥22;平原≥16", TERRAIN, I(16), I(15), terrain="plain"),
    Case("地形-山区", "山区≥33；丘陵≥22；平原≥16", TERRAIN, I(33), I(32), terrain="mountain"),
    Case(
        "且人工",
        "≤0.70且能源消耗总量不超过控制目标值",
        AllOf((le(0.7), Manual("能源消耗总量不超过控制目标值", "无法识别为规则，需人工判定"))),
        I(0.65),
        I(0.71),
        unit="吨标准煤/万元",
        better="lower",
        warnings=(message("manual_part", text="能源消耗总量不超过控制目标值"),),
        good_status="review",
    ),
    Case("持续提高", "持续提高", Trend("up", False), I(5, previous=4), I(4, previous=4)),
    Case(
        "持续改善-越低越好",
        "持续改善",
        Trend("better", False),
        I(3, previous=4),
        I(4, previous=4),
        better="lower",
    ),
    Case("保持基本稳定或提升", "保持基本稳定或提升", Trend("up", True), I(1, previous=1), I(0.9, previous=1)),
    Case(
        "括号说明",
        "≥60（东部地区）",
        ge(60),
        I(60),
        I(59),
        warnings=(message("note", note="东部地区"),),
    ),
    Case(
        "无比较符号",
        "95",
        ge(95),
        I(95),
        I(94),
        warnings=(message("bare", text="95", meaning="不低于"),),
    ),
]


def _ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_parse(case: Case) -> None:
    result = parse_rule(case.text, unit=case.unit, better=case.better)
    assert result.rule == case.rule
    assert result.rule.to_dict() == case.rule.to_dict()
    assert result.warnings == list(case.warnings)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_evaluate_good(case: Case) -> None:
    out = evaluate(case.rule, case.good, case.ctx())
    assert out.status == case.good_status, out.reason


@pytest.mark.parametrize("case", [c for c in CASES if c.good_status == "pass"], ids=lambda c: c.id)
def test_evaluate_bad(case: Case) -> None:
    out = evaluate(case.rule, case.bad, case.ctx())
    assert out.status == "fail", out.reason


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_explain_fits_a_prompt(case: Case) -> None:
    text = explain(case.rule, unit=case.unit, region=case.region, terrain=case.terrain)
    assert 0 < len(text) <= MAX_LENGTH


def test_manual_never_passes() -> None:
    rule = parse_rule("位列嘉兴市前列").rule
    assert evaluate(rule, I(1)).status == "review"
    assert evaluate(rule, I(None)).status == "review"


def test_every_builtin_target_text_is_read(builtin) -> None:
    for ind in builtin.indicators:
        result = parse_rule(ind.target_text, unit=ind.unit, better=ind.better)
        assert not isinstance(result.rule, Manual), ind.name
        assert result.warnings == [], ind.name


# ---- parse details -------------------------------------------------------------------------------


def test_unreadable_text_becomes_manual_with_warning() -> None:
    result = parse_rule("  稳中求进  ")
    assert result.rule == Manual("稳中求进", "无法识别为规则，需人工判定")
    assert result.warnings == [message("manual", text="稳中求进")]
    assert result.warnings[0] == "指标值『稳中求进』无法识别为规则，已设为人工判定"


def test_empty_text() -> None:
    result = parse_rule("")
    assert isinstance(result.rule, Manual)
    assert result.warnings == [message("empty")]


def test_better_direction_unknown_is_warned() -> None:
    assert parse_rule("保持稳定或持续改善").warnings == [message("needs_better")]
    assert parse_rule("保持稳定或持续改善", better="higher").warnings == []
    assert parse_rule("≥95").warnings == []


def test_bare_number_without_direction_reads_as_equal() -> None:
    result = parse_rule("95", unit="%")
    assert result.rule == Threshold("==", 95)
    assert result.warnings == [message("bare", text="95", meaning="等于")]


def test_semicolon_without_regions_is_and() -> None:
    result = parse_rule("≥20;建立", better="higher")
    assert result.rule == AllOf((ge(20), qual("建立")))
    assert result.warnings == [message("semicolon", text="≥20;建立")]


# ---- evaluate details ----------------------------------------------------------------------------


def test_reasons_quote_the_numbers() -> None:
    lower = JudgeContext(better="lower")
    assert evaluate(SUPERIOR, I(27.3, assigned=26), lower) == RuleResult("fail", "本期 27.3，高于上级下达目标 26")
    assert evaluate(ge(95), I(96.0)) == RuleResult("pass", "本期 96，达到 ≥95")
    assert evaluate(ge(95), I(96.0), JudgeContext(unit="%")) == RuleResult("pass", "本期 96%，达到 ≥95%")
    assert evaluate(Threshold("==", 100), I(99.5)) == RuleResult("fail", "本期 99.5，未达到 100")


@pytest.mark.parametrize(
    ("rule", "inputs", "expected"),
    [
        (ge(95), I(None), RuleResult("missing", "缺少本期值")),
        (Trend("down"), I(None, previous=3), RuleResult("missing", "缺少本期值")),
        (Trend("down"), I(3), RuleResult("review", "缺少上期值，无法判断趋势")),
        (Delta(), I(3), RuleResult("review", "缺少上期值，无法计算变化量")),
        (SUPERIOR, I(3), RuleResult("review", "缺少上级下达目标值")),
        (AllOf((SUPERIOR, Trend("down"))), I(None), RuleResult("missing", "缺少本期值")),
        (qual("建立"), I(None), RuleResult("missing", "缺少完成状态（如『已建立』）")),
        (ge(95), I("九十五"), RuleResult("review", "本期值『九十五』不是数字，需人工核实")),
        (ge(95), I(math.nan), RuleResult("review", "本期值不是有效数字，需人工核实")),
        (REGION_20, I(70), RuleResult("review", "未设置地区类别")),
        (TERRAIN, I(70), RuleResult("review", "未设置地形类别")),
    ],
)
def test_missing_and_review(rule: Rule, inputs: Inputs, expected: RuleResult) -> None:
    assert evaluate(rule, inputs, JudgeContext(better="lower")) == expected


def test_superior_target_with_stated_change_says_what_to_fill() -> None:
    rule = parse_rule("到2025年比2020年下降16%").rule
    out = evaluate(rule, I(17), JudgeContext(better="higher"))
    assert out == RuleResult("review", "缺少上级下达目标值（请填写按『到2025年比2020年下降16%』折算的目标值）")


def test_not_applicable_is_reviewed() -> None:
    assert evaluate(ge(95), Inputs(None, not_applicable=True)).status == "review"


@pytest.mark.parametrize("status", ["已建立", "建立", "是", "已完成", " 已 建 立 ", "已建立。"])
def test_qualitative_passing_statuses(status: str) -> None:
    assert evaluate(qual("建立"), I(status)).status == "pass"


@pytest.mark.parametrize("status", ["建设中", "未建立", "否", "无", "尚未建立"])
def test_qualitative_failing_statuses(status: str) -> None:
    assert evaluate(qual("建立"), I(status)).status == "fail"


@pytest.mark.parametrize(
    ("rule", "status"), [(qual("开展"), "是"), (qual("开展"), "已开展"), (qual("有效开展"), "已开展")]
)
def test_qualitative_synonyms(rule: Qualitative, status: str) -> None:
    assert evaluate(rule, I(status)).status == "pass"


@pytest.mark.parametrize("status", ["不知道", "见附件", "不适用"])
def test_qualitative_unknown_status_is_reviewed(status: str) -> None:
    assert evaluate(qual("建立"), I(status)).status == "review"


def test_qualitative_number_is_reviewed() -> None:
    assert evaluate(qual("建立"), I(1.0)).status == "review"


def test_delta_is_strict() -> None:
    rule = Delta("EQI", ">", -1)
    assert evaluate(rule, I(65.0, previous=66.0)).status == "fail"  # exactly -1
    assert evaluate(rule, I(65.4, previous=66.4)).status == "fail"  # -1 with float noise
    assert evaluate(rule, I(65.1, previous=66.0)) == RuleResult(
        "pass", "本期 EQI 65.1 较上期 66 变化 -0.9，满足 >-1"
    )


def test_threshold_absorbs_float_noise_only() -> None:
    assert evaluate(ge(0.3), I(0.1 + 0.2)).status == "pass"
    assert evaluate(Threshold("==", 100), I(100 - 1e-12)).status == "pass"
    assert evaluate(Threshold("==", 100), I(99.999)).status == "fail"
    assert evaluate(Threshold("<", 5), I(5 - 1e-12)).status == "fail"


def test_trend_tolerance_applies_to_stable_only() -> None:
    ctx = JudgeContext(better="lower", tolerance=0.5)
    stable, strict = Trend("down", True), Trend("down", False)
    assert evaluate(stable, I(28.3, previous=28), ctx) == RuleResult(
        "pass", "本期 28.3，高于上期 28，在容差 0.5 以内"
    )
    assert evaluate(stable, I(28.6, previous=28), ctx) == RuleResult(
        "fail", "本期 28.6，高于上期 28，超出容差 0.5"
    )
    assert evaluate(strict, I(28, previous=28), ctx) == RuleResult("fail", "本期 28，与上期 28 持平，未下降")
    assert evaluate(strict, I(27.9, previous=28), ctx).status == "pass"


def test_trend_better_follows_the_indicator() -> None:
    rule = Trend("better", True)
    assert evaluate(rule, I(5, previous=4), JudgeContext(better="higher")).status == "pass"
    assert evaluate(rule, I(5, previous=4), JudgeContext(better="lower")).status == "fail"
    strict = evaluate(Trend("better", False), I(4, previous=4), JudgeContext(better="lower"))
    assert strict == RuleResult("fail", "本期 4，与上期 4 持平，未改善")
    unknown = "未设置该指标越高越好还是越低越好，无法判断是否改善，请在指标目录中设置"
    assert evaluate(rule, I(5, previous=4), JudgeContext()) == RuleResult("review", unknown)
    assert evaluate(SUPERIOR, I(5, assigned=4), JudgeContext()).status == "review"


def test_all_of_and_any_of_combine() -> None:
    both = AllOf((ge(10), Trend("up", False)))
    either = AnyOf((ge(10), Trend("up", False)))
    assert evaluate(both, I(12, previous=11)).status == "pass"
    assert evaluate(both, I(12)).status == "review"  # no previous
    assert evaluate(both, I(9)).status == "fail"  # fails even though the trend cannot be judged
    assert evaluate(either, I(12)).status == "pass"
    assert evaluate(either, I(9)).status == "review"
    assert evaluate(either, I(9, previous=8)).status == "pass"
    assert evaluate(either, I(9, previous=9)).status == "fail"


def test_region_quotes_the_class_and_accepts_names() -> None:
    out = evaluate(REGION_20, I(65), JudgeContext(region="east"))
    assert out == RuleResult("pass", "按东部地区标准，本期 65，达到 ≥60")
    assert evaluate(REGION_20, I(65), JudgeContext(region="东部地区")).status == "pass"
    only_east = Region("region", (RegionCase(("east",), ge(60)),))
    assert evaluate(only_east, I(65), JudgeContext(region="northeast")).status == "review"


# ---- explain -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "unit", "region", "expected"),
    [
        (ge(20), "%", None, "本期值应不低于 20%"),
        (Threshold("==", 100), "%", None, "本期值应为 100%"),
        (qual("建立"), "-", None, "应已建立（填报『已建立』并附佐证材料）"),
        (Trend("down", True), "μg/m3", None, "本期值应不高于上期值（保持稳定或持续下降）"),
        (
            AllOf((SUPERIOR, Trend("down", True))),
            "μg/m3",
            None,
            "应完成上级下达的考核目标（填写上级下达目标值），且本期值不高于上期值",
        ),
        (Delta("EQI", ">", -1), "-", None, "本期 EQI 与上期之差应大于 -1"),
        (
            REGION_20,
            "%",
            None,
            "东部地区、中西部地区地级及以上城市市辖区：本期值应不低于 60%；"
            "中西部其他地区、东北地区：本期值应不低于 30%",
        ),
        (
            REGION_20,
            "%",
            "northeast",
            "中西部其他地区、东北地区（适用本地）：本期值应不低于 30%；"
            "东部地区、中西部地区地级及以上城市市辖区：本期值应不低于 60%",
        ),
        (AnyOf((le(25), Trend("down", False))), "%", None, "本期值应不高于 25%，或低于上期值"),
        (
            parse_rule("到2025年比2020年下降16%").rule,
            "%",
            None,
            "应完成到2025年比2020年下降16%的目标（填写折算后的目标值）",
        ),
        (parse_rule("位列嘉兴市前列").rule, "", None, "需人工判定：位列嘉兴市前列"),
    ],
)
def test_explain(rule: Rule, unit: str, region: str | None, expected: str) -> None:
    assert explain(rule, unit=unit, region=region) == expected


def test_explain_spells_out_better_when_known() -> None:
    rule = Trend("better", True)
    assert explain(rule, better="lower") == "本期值应不高于上期值（保持稳定或持续改善）"


def test_explain_terrain_puts_the_local_case_first() -> None:
    assert explain(TERRAIN, unit="%", terrain="plain").startswith("平原（适用本地）：本期值应不低于 16%")


# ---- properties ----------------------------------------------------------------------------------

VOCABULARY = [
    *"0123456789.-%",
    *"≥≤<>=＞＜＝％",
    ">=", "<=", "≧", "△", "Δ", "∆", "EQI", "或", "且", ",且", "，且", "并且",
    *"；;、:：,，()（）", "(略)", " ",
    "保持稳定", "保持基本稳定", "持续下降", "持续提高", "持续改善", "有所提高", "改善",
    "山区", "丘陵", "平原", "东部地区", "东北地区", "中西部其他地区", "市辖区",
    "中西部地区地级及以上城市市辖区",
    "完成上级规定的考核任务", "建立", "开展", "已", "有效保障", "有效开展",
    "以上", "以下", "以内", "达到", "力争", "保持", "控制在", "不低于", "不超过", "高于", "低于",
    "到2025年", "比2020年", "下降", "16", "微克/立方米", "位列嘉兴市前列",
]  # fmt: skip
vocabulary_text = st.lists(st.sampled_from(VOCABULARY), max_size=14).map("".join)
any_text = st.one_of(st.text(max_size=60), vocabulary_text)
units = st.sampled_from(["%", "", "-", "μg/m3", "g/kg"])
betters = st.sampled_from(["higher", "lower", None, "sideways"])


@settings(max_examples=400, deadline=None)
@given(text=any_text, unit=units, better=betters)
def test_parse_never_raises_and_round_trips(text: str, unit: str, better: str | None) -> None:
    result = parse_rule(text, unit=unit, better=better)
    assert isinstance(result.rule, Rule)
    assert all(isinstance(w, str) and w for w in result.warnings)
    d = result.rule.to_dict()
    assert rule_from_dict(d) == result.rule
    assert rule_from_dict(json.loads(json.dumps(d, ensure_ascii=False))) == result.rule


numbers = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**400), 10**400)
)
statuses = st.sampled_from(["已建立", "建设中", "是", "否", "有效保障", "未开展", "", " "])
inputs = st.builds(
    Inputs,
    current=st.one_of(numbers, statuses, st.text(max_size=8)),
    previous=numbers,
    assigned=numbers,
    not_applicable=st.booleans(),
)
contexts = st.builds(
    JudgeContext,
    region=st.one_of(
        st.none(), st.sampled_from([*REGION_CLASSES, *REGION_CLASSES.values()]), st.text(max_size=4)
    ),
    terrain=st.one_of(st.none(), st.sampled_from([*TERRAIN_CLASSES]), st.text(max_size=4)),
    better=betters,
    tolerance=st.floats(allow_nan=True, allow_infinity=True),
    unit=st.one_of(units, st.text(max_size=4)),
)


@settings(max_examples=400, deadline=None)
@given(text=vocabulary_text, values=inputs, ctx=contexts)
def test_evaluate_and_explain_never_raise(text: str, values: Inputs, ctx: JudgeContext) -> None:
    rule = parse_rule(text, unit=ctx.unit, better=ctx.better).rule
    out = evaluate(rule, values, ctx)
    assert out.status in ("pass", "fail", "review", "missing")
    assert isinstance(out.reason, str) and out.reason
    sentence = explain(rule, unit=ctx.unit, region=ctx.region, terrain=ctx.terrain, better=ctx.better)
    assert 0 < len(sentence) <= MAX_LENGTH


def test_a_fall_that_cannot_go_below_zero_counts_as_reached():
    from ecodesk.rules.evaluate import Inputs, JudgeContext, evaluate
    from ecodesk.rules.model import Trend

    down = Trend("down", allow_stable=False)
    out = evaluate(down, Inputs(0.0, previous=0.0), JudgeContext(unit="%"))
    assert (out.status, out.reason) == ("pass", "本期 0%，与上期 0% 持平，已为零")
    assert evaluate(down, Inputs(0.5, previous=0.5), JudgeContext(unit="%")).status == "fail"  # not at zero
    assert evaluate(down, Inputs(0.2, previous=0.0), JudgeContext(unit="%")).status == "fail"  # rose from zero
    up = Trend("up", allow_stable=False)
    assert evaluate(up, Inputs(100.0, previous=100.0), JudgeContext(unit="%")).reason.endswith("已为100%")
    assert evaluate(up, Inputs(100.0, previous=100.0), JudgeContext(unit="个")).status == "fail"  # not a share
