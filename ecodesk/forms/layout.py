"""Columns, limits and texts of the fill-in workbook. Intake reads the same definitions, so a
column moved here moves for both."""

from __future__ import annotations

from dataclasses import dataclass

from ..xlsx.cells import col_letter as col_letter  # the forms' column letters, as intake quotes them

SHEET_GUIDE = "填报说明"
SHEET_INDICATORS = "指标填报"
SHEET_TASKS = "任务进展"

TITLE_ROWS = 2  # title + notice above the header
HEADER_ROW = 2  # 0-based row of the header; data starts on the next row
FIRST_DATA_ROW = HEADER_ROW + 1

TASK_STATUSES = ("已完成", "推进中", "未启动", "滞后")
PERIODS = ("上年", "上年同期", "上一轮", "基准年")
NOT_APPLICABLE = "不适用"

# Excel limits checked before writing (xlsxwriter would only warn)
MAX_LIST_CHARS = 255
MAX_PROMPT_TITLE = 32
MAX_PROMPT_TEXT = 255
MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    width: float
    input: bool = False
    wrap: bool = True


INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("key", "标识", 10, wrap=False),
    Column("number", "序号", 5),
    Column("name", "指标名称", 24),
    Column("unit", "单位", 7),
    Column("target", "指标值", 18),
    Column("role", "责任", 6),
    Column("current", "本期值", 11, input=True),
    Column("previous", "上期值", 11, input=True),
    Column("period", "上期值所属期", 9, input=True),
    Column("assigned", "上级下达目标值", 10, input=True),
    Column("source", "数据来源", 14, input=True),
    Column("note", "完成情况说明", 24, input=True),
    Column("evidence", "佐证材料", 18, input=True),
    Column("check", "自查", 8),
)

TASK_COLUMNS: tuple[Column, ...] = (
    Column("key", "标识", 10, wrap=False),
    Column("number", "序号", 5),
    Column("title", "主要任务", 16),
    Column("requirements", "具体要求", 50),
    Column("departments", "责任部门", 16),
    Column("status", "完成状态", 9, input=True),
    Column("progress", "进展情况", 30, input=True),
    Column("problems", "存在问题", 18, input=True),
    Column("plan", "下步计划", 18, input=True),
)


def col_index(columns: tuple[Column, ...], cid: str) -> int:
    for i, c in enumerate(columns):
        if c.id == cid:
            return i
    raise KeyError(cid)



# ---- 佐证材料: how to name and send them (填报说明, and the prompt on each 佐证材料 cell) ----------
EVIDENCE_DEFAULT = "实施方案、制度文件、会议纪要、工作记录或照片等"
EVIDENCE_GUIDE = (
    "定性指标（建立、开展等）和注明须附佐证材料的指标，请在“佐证材料”栏写明文件名，"
    "多个文件用顿号或换行分隔（如：实施方案.pdf、现场照片.jpg）。\n"
    "文件请与本表一起发送：同一封邮件的附件、同一个文件夹，或同一个压缩包（.zip）；"
    "文件名请与“佐证材料”栏所写一致，可在文件名前加本部门名称。\n"
    "可接收的格式：PDF、OFD、JPG/PNG 图片、Word（DOC/DOCX）、Excel（XLS/XLSX）、WPS 文档；"
    "单个文件不超过 30 MB。其他格式（如视频）请转换后发送。\n"
    "重新报送时，已发送过的佐证材料无需再发；如需替换，请发送同名的新文件。"
)


def evidence_prompt(wanted: str) -> dict[str, str]:
    """The input prompt of a row's 佐证材料 cell; ``wanted``: what to send ('' when not required)."""
    return {
        "validate": "any",
        "input_title": "佐证材料（须随表发送）" if wanted else "佐证材料",
        "input_message": (f"本指标须附佐证材料：{wanted}。" if wanted else "如有佐证材料，")
        + "请填写文件名（多个用顿号或换行分隔，如：实施方案.pdf、现场照片.jpg），"
        "文件与本表放在同一邮件、同一文件夹或同一压缩包中发送",
    }
