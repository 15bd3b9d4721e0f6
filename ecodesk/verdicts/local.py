"""A local target's verdict (本地目标): the value judged against the county's own target, apart
from the national verdict, which never depends on it. The target's rule and value come from
:mod:`ecodesk.local_targets`."""

from __future__ import annotations

from ..catalogue import Indicator
from ..local_targets import local_rule, local_target_value, superior_of
from ..numbers import display_number
from ..rules.evaluate import Inputs, JudgeContext, evaluate
from .model import FROM_RULE, REVIEW, LocalVerdict


def judge_local(
    ind: Indicator, current: float | str | None, previous: float | None, ctx: JudgeContext
) -> LocalVerdict | None:
    """The indicator's value against its local target, or None when it has none."""
    text = ind.local_target_text.strip()
    if not text:
        return None
    rule = local_rule(ind)
    value, how = local_target_value(ind)
    needs_value = "assigned" in rule.needs()  # the local target's value stands in for 上级下达目标值
    if needs_value and value is None:
        sup = superior_of(rule)
        hint = (
            f"请在指标设置中填写本地目标值（或{sup.base_year}年基数）"
            if sup is not None and sup.base_year
            else "请在指标设置中填写本地目标值"
        )
        return LocalVerdict(text, REVIEW, f"本地目标『{text}』需要目标值才能判断，{hint}", "", ind.local_target_label)
    out = evaluate(rule, Inputs(current, previous, value), ctx)
    reason = out.reason.replace("上级下达目标", "本地目标值")
    if needs_value and how:
        reason += f"（本地目标值按{how}）" if "折算" in how else ""
    return LocalVerdict(
        text, FROM_RULE[out.status], f"本地目标『{text}』：{reason}", display_number(value) if value is not None else "",
        ind.local_target_label,
    )  # fmt: skip
