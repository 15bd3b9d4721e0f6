"""The input cells of an indicator row — 本期值, 上期值 and its period, 上级下达目标值, the notes —
each with the data validation and the Chinese prompt of its rule, and the live 自查 formula."""

from __future__ import annotations

from typing import Any

from ..rules.entry import how_entered
from ..rules.evaluate import JudgeContext
from ..rules.excel import Cells, check_formula
from ..xlsx.formats import Formats
from . import layout as L
from .spec import FormError, FormRow, FormSpec


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate(ws: Any, row: int, col: int, options: dict[str, Any]) -> None:
    for k, limit in (("input_title", L.MAX_PROMPT_TITLE), ("error_title", L.MAX_PROMPT_TITLE)):
        if k in options:
            options[k] = clip(options[k], limit)
    for k in ("input_message", "error_message"):
        if k in options:
            options[k] = clip(options[k], L.MAX_PROMPT_TEXT)
    if options.get("validate") == "list":
        src = options["source"]
        if len(",".join(src)) > L.MAX_LIST_CHARS:
            raise FormError(f"下拉选项过长（超过 Excel 的 {L.MAX_LIST_CHARS} 字符限制）：{'、'.join(src)}")
    if ws.data_validation(row, col, row, col, options) != 0:
        raise FormError(f"第 {row + 1} 行第 {col + 1} 列的数据有效性设置无效：{options}")


def indicator_inputs(ws: Any, f: Formats, r: int, row: FormRow, spec: FormSpec) -> None:
    cols = {c.id: i for i, c in enumerate(L.INDICATOR_COLUMNS)}
    ref = {k: f"{L.col_letter(cols[k])}{r + 1}" for k in ("current", "previous", "assigned")}
    how = how_entered(row.rule, row.unit, row.allow_na)  # the same description intake reads with
    needs = row.rule.needs()
    percent = how.percent
    prompt_title = "填报要求"
    rule_text = row.explanation
    if how.kind == "status":
        options = list(how.dropdown)
        ws.write_blank(r, cols["current"], None, f.input)
        validate(
            ws,
            r,
            cols["current"],
            {
                "validate": "list",
                "source": options,
                "input_title": prompt_title,
                "input_message": rule_text,
                "error_title": "请从下拉列表选择",
                "error_message": f"请从下拉列表中选择：{'、'.join(options)}。{rule_text}",
            },
        )
    else:
        rng = (
            {"criteria": "between", "minimum": 0, "maximum": 100}
            if percent
            else {"criteria": "between", "minimum": -1e12, "maximum": 1e12}
        )
        unit_hint = "0～100 之间的数字（不带 % 号）" if percent else "数字"
        if row.allow_na:
            check = (
                f'=OR(TRIM({ref["current"]})="{L.NOT_APPLICABLE}",AND(ISNUMBER({ref["current"]})'
                + (f",{ref['current']}>=0,{ref['current']}<=100" if percent else "")
                + "))"
            )
            opts: dict[str, Any] = {"validate": "custom", "value": check}
            unit_hint += f"，或“{L.NOT_APPLICABLE}”"
        else:
            opts = {"validate": "decimal", **rng}
        ws.write_blank(r, cols["current"], None, f.input_number)
        validate(
            ws,
            r,
            cols["current"],
            {
                **opts,
                "input_title": prompt_title,
                "input_message": f"{rule_text}。请填写{unit_hint}",
                "error_title": "本期值格式不对",
                "error_message": f"请填写{unit_hint}。{rule_text}",
            },
        )
    number_check = {"validate": "decimal", "criteria": "between", "minimum": -1e12, "maximum": 1e12}
    if percent:
        number_check.update(minimum=0, maximum=100)
    if "previous" in needs:
        if row.previous is None or row.previous == "":
            ws.write_blank(r, cols["previous"], None, f.input_number)
        elif isinstance(row.previous, (int, float)):
            ws.write_number(r, cols["previous"], row.previous, f.input_number)
        else:
            ws.write_string(r, cols["previous"], str(row.previous), f.input_number)
        validate(
            ws,
            r,
            cols["previous"],
            {
                **number_check,
                "input_title": "上期值",
                "input_message": _previous_prompt(row),
                "error_title": "上期值格式不对",
                "error_message": "请填写数字，百分比不带 % 号",
            },
        )
        period = row.previous_period or (row.comparison if row.comparison_period else "")
        ws.write(r, cols["period"], period, f.input)
        validate(
            ws,
            r,
            cols["period"],
            {
                "validate": "list",
                "source": list(L.PERIODS),
                "input_title": "上期值所属期",
                "input_message": "上期值是上年、上年同期、上一轮还是基准年的数值",
            },
        )
    else:
        ws.write_blank(r, cols["previous"], None, f.disabled)
        ws.write_blank(r, cols["period"], None, f.disabled)
    if "assigned" in needs:
        ws.write_blank(r, cols["assigned"], None, f.input_number)
        validate(
            ws,
            r,
            cols["assigned"],
            {
                **number_check,
                "input_title": "上级下达目标值",
                "input_message": "填写市、省下达给本地的考核目标数值",
                "error_title": "目标值格式不对",
                "error_message": "请填写数字，百分比不带 % 号",
            },
        )
    else:
        ws.write_blank(r, cols["assigned"], None, f.disabled)
    for cid in ("source", "note", "evidence"):
        ws.write_blank(r, cols[cid], None, f.input)
    validate(ws, r, cols["evidence"], L.evidence_prompt(row.evidence))
    ctx = JudgeContext(spec.region, spec.terrain, row.better, row.tolerance, row.unit)  # type: ignore[arg-type]
    formula = check_formula(
        row.rule, Cells(ref["current"], ref["previous"], ref["assigned"]), ctx, row.allow_na
    )
    ws.write_formula(r, cols["check"], formula, f.check, "待填")


def _previous_prompt(row: FormRow) -> str:
    """The 上期值 prompt: which period's figure is asked for and whether it was pre-filled."""
    what = f"{row.comparison_period}（{row.comparison}）" if row.comparison_period else row.comparison
    prefilled = row.previous not in (None, "")
    if not row.comparison_period and not prefilled:
        return "填写比较期的数值（上年、上年同期、上一轮或基准年），用于判断是否保持稳定或改善"
    filled = "已按台账预填，请核对" if prefilled else "请填写"
    return f"上期值为{what}的数值，{filled}；用于判断是否保持稳定或改善"
