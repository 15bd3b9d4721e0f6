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

