"""Qt table models over the core's dataclasses, and how statuses look (Chinese label, colour).

A :class:`RecordModel` shows a list of records through :class:`Column` definitions; pages keep the
full list and hand the model the filtered rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ecodesk.messages import STATUS_LABELS
from ecodesk.times import short_time as _short_time

Index = QModelIndex | QPersistentModelIndex

# ---- how a status looks ------------------------------------------------------------------------
#: intake statuses in Chinese (one table, in the core's light messages module)
COLLECT_LABELS: dict[str, str] = {**STATUS_LABELS, "waiting": "等待回收"}
GREEN, RED, AMBER, GREY, BLUE, ORANGE = "#D8F0DC", "#F8D7DA", "#FFF1C2", "#E6E6E6", "#DCE9F7", "#FDE2C8"
COLLECT_COLOURS: dict[str, str] = {
    "accepted": GREEN,
    "superseded": GREY,
    "duplicate": BLUE,
    "stale": ORANGE,
    "wrong_department": RED,
    "not_template": ORANGE,
    "unreadable": RED,
    "waiting": "#FFFFFF",
    "internal": RED,
    "evidence": GREEN,  # 佐证材料 beside a return
}
VERDICT_COLOURS: dict[str, str] = {
    "达标": GREEN,
    "未达标": RED,
    "待核实": AMBER,
    "缺报": ORANGE,
    "待报": "#FFFFFF",
    "不适用": GREY,
}
STATE_COLOURS: dict[str, str] = {
    "已报送": GREEN,
    "已报送（逾期）": AMBER,
    "已报送（有缺项）": AMBER,
    "未报送": RED,
    "待报（未到期）": "#FFFFFF",
    "未下发": GREY,
}
TASK_COLOURS: dict[str, str] = {"已完成": GREEN, "推进中": BLUE, "未启动": AMBER, "滞后": RED, "未报": ORANGE}


def collect_label(status: str) -> str:
    return COLLECT_LABELS.get(status, status)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    #: background colour of this column's cell for a record (None: none)
    colour: Callable[[Any], str | None] | None = None
    tooltip: Callable[[Any], str] | None = None
    align_center: bool = False


class RecordModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def record(self, index: Index | int) -> Any:
        row = index if isinstance(index, int) else index.row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def update_row(self, row: int, record: Any) -> None:
        self.rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def text(self, row: int, column: int) -> str:
        return _text(self.columns[column].value(self.rows[row]))

    # ---- Qt ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        rec = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(col.value(rec))
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip(rec) if col.tooltip else _text(col.value(rec)) or None
        if role == Qt.ItemDataRole.BackgroundRole and col.colour is not None:
            colour = col.colour(rec)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None and col.colour(rec):
            return QBrush(QColor("#1F1F1F"))  # readable on the light status colours in dark themes too
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_center:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return str(section + 1)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def short_time(iso: str) -> str:
    """2025-06-01T09:30:12+08:00 → 2025-06-01 09:30"""
    return _short_time(iso) if iso else ""
