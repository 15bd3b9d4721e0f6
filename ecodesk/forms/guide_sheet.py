"""Sheet 填报说明: what the department is asked for, by when, and how to fill the form in."""

from __future__ import annotations

import xlsxwriter

from ..xlsx.formats import Formats
from ..xlsx.text import cells_height
from . import layout as L
from .spec import FormSpec
from .styles import print_setup, protect


def write_guide(wb: xlsxwriter.Workbook, f: Formats, spec: FormSpec) -> None:
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
            "1. 只在黄色单元格中填写，其余单元格已锁定。\n"
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
            "填好后保存为 Excel 文件（.xlsx 或 .xls 均可），连同佐证材料通过邮件或 U 盘报送创建办。\n"
            "请不要修改文件名中的轮次和部门。",
        ),
        ("佐证材料", L.EVIDENCE_GUIDE),
        (
            "注意",
            "请勿增删、重命名工作表，请勿插入、删除或移动行列，请勿复制其他部门或其他轮次的表格填写，"
            "否则系统无法识别，需要重新填报。",
        ),
    ]
    for i, (k, v) in enumerate(items, start=2):
        ws.write(i, 0, k, f.guide_head)
        ws.write(i, 1, v, f.guide)
        ws.set_row(i, cells_height([(v, 90)], size=11))
    print_setup(ws, spec, "填报说明", None, landscape=False)
    protect(ws, spec.password)
    ws.activate()
