"""Write one department's fill-in workbook with xlsxwriter.

Sheets: 填报说明 (instructions), 指标填报 (indicator rows), 任务进展 (key tasks), and the
very-hidden provenance sheet. Only input cells are unlocked; sheets and the workbook structure
are protected; every input cell carries validation with a Chinese prompt quoting its rule.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from ..rules.entry import how_entered
from ..rules.excel import Cells, FormulaContext, check_formula
from ..rules.model import Rule
from . import layout as L
from .provenance import PROVENANCE_SHEET, Provenance


class FormError(ValueError):
    """A fill-in workbook could not be written as specified (an Excel limit would be broken)."""


@dataclass
class FormRow:
    key: str
    number: str
    name: str
    unit: str
    target_text: str
    role: str  # 牵头 / 配合
    rule: Rule
    explanation: str
    better: str | None = None
    tolerance: float = 0.0
    allow_na: bool = False
    previous: float | str | None = None
    previous_period: str = ""  # label of a pre-filled 上期值: 上年 / 上年同期 / 上一轮 / 基准年
    comparison: str = ""  # which period 上期值 is: 上年 / 上年同期 / 上一轮 / 基准年
    comparison_period: str = ""  # that period's label ("2024年度"), "" when the round has none


@dataclass
class TaskRow:
    key: str
    number: str
    title: str
    requirements: str
    departments: str


@dataclass
class FormSpec:
    county: str
    round: str
    deadline: str
    department: str
    office_contact: str = ""
    password: str = ""
    region: str | None = None
    terrain: str | None = None
    indicators: list[FormRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


# ---- text measuring for row heights ------------------------------------------------------------
def text_width(s: str) -> int:
    """Display width in Excel character units: CJK and full-width count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def lines_needed(text: str, width_chars: float) -> int:
    usable = max(width_chars - 1, 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def row_height(cells: list[tuple[str, float]], line_pt: float = 14.0, minimum: int = 1) -> float:
    lines = max([minimum] + [lines_needed(t, w) for t, w in cells if t])
    return min(409.0, lines * line_pt + 4)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hf(text: str) -> str:
    """Escape & in page header/footer text."""
    return text.replace("&", "&&")


# ---- workbook ------------------------------------------------------------------------------------
class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "text_wrap": True, "border": 1}
        self.title = wb.add_format(
            {"font_name": "黑体", "font_size": 14, "bold": True, "align": "center", "valign": "vcenter"}
        )
        self.notice = wb.add_format({**base, "border": 0, "font_color": "#833C0B"})
        self.header = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
        self.cell = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center"})
        # fill-in cells: pale yellow on screen, and a dashed frame that still shows printed in grey
        fill_in = {**base, "locked": False, "bg_color": "#FFF2CC", "border": 3, "border_color": "#595959"}
        self.input = wb.add_format(fill_in)
        self.input_number = wb.add_format({**fill_in, "align": "right"})
        self.disabled = wb.add_format({**base, "bg_color": "#D9D9D9", "font_color": "#808080"})
        self.check = wb.add_format({**base, "bold": True, "align": "center"})
        # 自查: three results that stay apart printed in grey — 未达标 white on dark red, 待核实 underlined
        self.fail = wb.add_format({"bg_color": "#C00000", "font_color": "#FFFFFF", "bold": True})
        self.ok = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.review = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700", "underline": 1, "italic": True})
        self.guide = wb.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"})
        self.guide_head = wb.add_format({"font_name": "黑体", "font_size": 11, "bold": True, "valign": "top"})


def _validate(ws: Any, row: int, col: int, options: dict[str, Any]) -> None:
    for k, limit in (("input_title", L.MAX_PROMPT_TITLE), ("error_title", L.MAX_PROMPT_TITLE)):
        if k in options:
            options[k] = _clip(options[k], limit)
    for k in ("input_message", "error_message"):
        if k in options:
            options[k] = _clip(options[k], L.MAX_PROMPT_TEXT)
    if options.get("validate") == "list":
        src = options["source"]
        if len(",".join(src)) > L.MAX_LIST_CHARS:
            raise FormError(f"下拉选项过长（超过 Excel 的 {L.MAX_LIST_CHARS} 字符限制）：{'、'.join(src)}")
    if ws.data_validation(row, col, row, col, options) != 0:
        raise FormError(f"第 {row + 1} 行第 {col + 1} 列的数据有效性设置无效：{options}")


def _print_setup(ws: Any, spec: FormSpec, title: str, header_row: int | None) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if header_row is not None:
        ws.repeat_rows(0, header_row)
    head = f"&L{_hf(spec.county)} {_hf(spec.round)}&C{_hf(title)}&R{_hf(spec.department)}"
    ws.set_header(head[:250])
    ws.set_footer("&C第 &P 页，共 &N 页")


def _protect(ws: Any, password: str) -> None:
    ws.protect(
        password,
        {
            "format_rows": True,
            "format_columns": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )


def _write_guide(wb: xlsxwriter.Workbook, f: _Formats, spec: FormSpec) -> None:
    ws = wb.add_worksheet(L.SHEET_GUIDE)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 90)
    ws.merge_range(0, 0, 0, 1, f"{spec.county}生态文明建设示范区创建 指标与任务填报表", f.title)
    ws.set_row(0, 28)
    items = [
        ("县（市、区）", spec.county),
        ("调度轮次", spec.round),
        ("填报部门", spec.department),
        ("截止日期", f"{spec.deadline}（请在此日期前报回）"),
        ("联系方式", spec.office_contact or "（请联系创建办）"),
        (
            "本表内容",
            f"指标 {len(spec.indicators)} 项（见“{L.SHEET_INDICATORS}”），"
            f"重点任务 {len(spec.tasks)} 项（见“{L.SHEET_TASKS}”）",
        ),
        (
            "如何填写",
            "1. 只在黄色单元格（打印出来是虚线框）中填写，其余单元格已锁定。\n"
            "2. “本期值”填写阿拉伯数字（如 95.2，百分比不带 % 号），定性指标从下拉列表中选择。\n"
            "3. “上期值”填写比较期的数值：年度轮次为上年，半年、季度、月度轮次为上年同期，指标另有基准年的为基准年。"
            "已按台账预填的请核对，如有出入请改正，并在“上期值所属期”中选择上年、上年同期、上一轮或基准年。\n"
            "4. 灰色的“上级下达目标值”表示该指标无需填写；需要填写的，请填上级（市、省）下达给本地的考核目标数值。\n"
            "5. “自查”列按填写内容自动显示：达标 / 未达标 / 待核实 / 待填，供报送前自查，无需手工修改。\n"
            "6. 重点任务请选择“完成状态”，并简要填写进展情况、存在问题和下步计划。",
        ),
        (
            "标记含义",
            "指标值中的“≥”表示不低于，“100”表示应达到 100%；“保持稳定或持续下降”等需同时填写上期值；\n"
            "“完成上级规定的考核任务”需填写上级下达目标值。\n"
            "责任“牵头”表示本部门为牵头单位，“配合”表示配合单位（也请填报掌握的数据）。\n"
            f"指标名称后带 * 的指标视情适用，如本地不适用，请在本期值中选择或填写“{L.NOT_APPLICABLE}”，"
            "并在“完成情况说明”中写明理由。",
        ),
        (
            "报送要求",
            "填好后保存为 Excel 文件（.xlsx 或 .xls 均可），连同佐证材料清单通过邮件或 U 盘报送创建办。\n"
            "请不要修改文件名中的轮次和部门。",
        ),
        (
            "注意",
            "请勿增删、重命名工作表，请勿插入、删除或移动行列，请勿复制其他部门或其他轮次的表格填写，"
            "否则系统无法识别，需要重新填报。",
        ),
    ]
    for i, (k, v) in enumerate(items, start=2):
        ws.write(i, 0, k, f.guide_head)
        ws.write(i, 1, v, f.guide)
        ws.set_row(i, row_height([(v, 90)], line_pt=15))
    _print_setup(ws, spec, "填报说明", None)
    ws.set_portrait()
    _protect(ws, spec.password)
    ws.activate()


def _write_headers(ws: Any, f: _Formats, columns: tuple[L.Column, ...], title: str, notice: str) -> None:
    last = len(columns) - 1
    ws.merge_range(0, 1, 0, last, title, f.title)
    ws.set_row(0, 26)
    ws.merge_range(1, 1, 1, last, notice, f.notice)
    ws.set_row(1, 30)
    for c, col in enumerate(columns):
        ws.write(L.HEADER_ROW, c, col.header, f.header)
        ws.set_column(c, c, col.width, None, {"hidden": c == 0})
    ws.set_row(L.HEADER_ROW, 30)
    ws.freeze_panes(L.FIRST_DATA_ROW, 3)


def _indicator_inputs(ws: Any, f: _Formats, r: int, row: FormRow, spec: FormSpec) -> None:
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
        _validate(
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
        _validate(
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
        _validate(
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
        _validate(
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
    if "target" in needs:
        ws.write_blank(r, cols["assigned"], None, f.input_number)
        _validate(
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
    ctx = FormulaContext(
        region=spec.region, terrain=spec.terrain, better=row.better, tolerance=row.tolerance, percent=percent
    )
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


def _write_indicators(wb: xlsxwriter.Workbook, f: _Formats, spec: FormSpec) -> None:
    ws = wb.add_worksheet(L.SHEET_INDICATORS)
    cols = L.INDICATOR_COLUMNS
    _write_headers(
        ws,
        f,
        cols,
        f"{spec.round} 指标填报表（{spec.department}）",
        f"截止日期：{spec.deadline}。只在黄色（虚线框）单元格填写；“自查”列自动显示结果。",
    )
    widths = {c.id: c.width for c in cols}
    r = L.FIRST_DATA_ROW
    for row in spec.indicators:
        values = {
            "key": row.key,
            "number": row.number,
            "name": row.name,
            "unit": row.unit,
            "target": row.target_text,
            "role": row.role,
        }
        for c, col in enumerate(cols):
            if col.id in values:
                fmt = f.center if col.id in ("number", "unit", "role") else f.cell
                ws.write_string(r, c, values[col.id], fmt)
        _indicator_inputs(ws, f, r, row, spec)
        ws.set_row(
            r, row_height([(row.name, widths["name"]), (row.target_text, widths["target"])], minimum=2)
        )
        r += 1
    if not spec.indicators:
        ws.merge_range(r, 1, r, len(cols) - 1, "（本部门在本轮无指标填报任务，请填写“任务进展”表）", f.cell)
    else:
        check = L.col_letter(L.col_index(cols, "check"))
        rng = f"{check}{L.FIRST_DATA_ROW + 1}:{check}{r}"
        for text, fmt in (("未达标", f.fail), ("达标", f.ok), ("待核实", f.review)):
            ws.conditional_format(
                rng, {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt}
            )
    _print_setup(ws, spec, "指标填报", L.HEADER_ROW)
    _protect(ws, spec.password)


def _write_tasks(wb: xlsxwriter.Workbook, f: _Formats, spec: FormSpec) -> None:
    ws = wb.add_worksheet(L.SHEET_TASKS)
    cols = L.TASK_COLUMNS
    _write_headers(
        ws,
        f,
        cols,
        f"{spec.round} 重点工作任务进展（{spec.department}）",
        "请选择完成状态，并填写进展情况、存在问题和下步计划。",
    )
    idx = {c.id: i for i, c in enumerate(cols)}
    r = L.FIRST_DATA_ROW
    for t in spec.tasks:
        for cid, text in (
            ("key", t.key),
            ("number", t.number),
            ("title", t.title),
            ("requirements", t.requirements),
            ("departments", t.departments),
        ):
            ws.write_string(r, idx[cid], text, f.center if cid == "number" else f.cell)
        ws.write_blank(r, idx["status"], None, f.input)
        _validate(
            ws,
            r,
            idx["status"],
            {
                "validate": "list",
                "source": list(L.TASK_STATUSES),
                "input_title": "完成状态",
                "input_message": "已完成 / 推进中 / 未启动 / 滞后",
                "error_title": "请从下拉列表选择",
                "error_message": "完成状态请从下拉列表中选择：已完成、推进中、未启动、滞后",
            },
        )
        for cid in ("progress", "problems", "plan"):
            ws.write_blank(r, idx[cid], None, f.input)
        ws.set_row(
            r, row_height([(t.requirements, cols[idx["requirements"]].width), (t.title, 16)], minimum=3)
        )
        r += 1
    if not spec.tasks:
        ws.merge_range(r, 1, r, len(cols) - 1, "（本部门在本轮无重点工作任务）", f.cell)
    _print_setup(ws, spec, "任务进展", L.HEADER_ROW)
    _protect(ws, spec.password)


def _write_provenance(wb: xlsxwriter.Workbook, prov: Provenance) -> None:
    ws = wb.add_worksheet(PROVENANCE_SHEET)
    for i, (k, v) in enumerate(prov.to_rows()):
        ws.write_string(i, 0, k)
        ws.write_string(i, 1, v)
    ws.very_hidden()


def write_form(path: Path, spec: FormSpec, prov: Provenance) -> Path:
    """Write the workbook to ``path`` (which must not exist yet) and return it."""
    for name in (L.SHEET_GUIDE, L.SHEET_INDICATORS, L.SHEET_TASKS, PROVENANCE_SHEET):
        assert len(name) <= L.MAX_SHEET_NAME
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    wb = xlsxwriter.Workbook(
        str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False, "in_memory": True}
    )
    wb.set_properties(
        {
            "title": f"{spec.round} {spec.department} 填报表",
            "company": spec.county,
            "comments": "由 EcoDesk 生成",
        }
    )
    f = _Formats(wb)
    _write_guide(wb, f, spec)
    _write_indicators(wb, f, spec)
    _write_tasks(wb, f, spec)
    _write_provenance(wb, prov)
    wb.close()
    lock_structure(tmp, spec.password)
    tmp.replace(path)
    return path


def excel_password_hash(password: str) -> str:
    """Legacy Excel protection hash (ECMA-376 Part 4, 18.2.29)."""
    digest = 0
    for ch in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(ch)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


def lock_structure(path: Path, password: str = "") -> None:
    """Add ``<workbookProtection lockStructure="1">`` (XlsxWriter has no API for it), so sheets
    cannot be added, deleted, renamed or unhidden in Excel/WPS."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    attrs = 'lockStructure="1"' + (f' workbookPassword="{excel_password_hash(password)}"' if password else "")
    out = path.with_name(path.name + ".lock")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/workbook.xml":
                xml = data.decode("utf-8")
                xml, n = re.subn(r"(<workbookPr\b[^>]*/>)", rf"\1<workbookProtection {attrs}/>", xml, count=1)
                if n != 1:
                    raise FormError("无法设置工作簿结构保护")
                data = xml.encode("utf-8")
            z.writestr(info, data)
    out.replace(path)
