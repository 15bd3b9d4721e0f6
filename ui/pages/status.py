"""报送情况: which departments have reported (state, time, late, missing items) and the 催报 text
to paste into a chat or mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..models import STATE_COLOURS, Column, RecordModel, short_time
from ..widgets import copy_text, make_table
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState


def missing_text(s: Any) -> str:
    items = list(s.missing_indicators) + [f"任务「{t}」" for t in s.missing_tasks]  # titles hold “…”
    return "、".join(items)


STATUS_COLUMNS = [
    Column("部门", lambda s: s.department),
    Column("状态", lambda s: s.state, colour=lambda s: STATE_COLOURS.get(s.state), align_center=True),
    Column("接收时间", lambda s: short_time(s.received_at), align_center=True),
    Column("逾期", lambda s: "逾期" if s.late else "", align_center=True),
    Column("收到文件数", lambda s: s.submissions or "", align_center=True),
    Column("缺项", missing_text),
    Column("需重新报送的文件", lambda s: "；".join(s.problem_files)),
]


class StatusPage(Page):
    title = "报送情况"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        row = QHBoxLayout()
        self.summary = QLabel()
        row.addWidget(self.summary, 1)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        self.layout_.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Vertical)
        #: each department's record over this round and the rounds before it (按时 / 逾期 / 未报送)
        self.records: dict[str, str] = {}
        record = Column(
            "历次报送",
            lambda s: self.records.get(s.department, ""),
            tooltip=lambda s: "本轮及以前各轮：按时 / 逾期 / 未报送（截止日后仍未报）",
        )
        self.statuses = RecordModel([*STATUS_COLUMNS, record])
        self.view = make_table(
            self.statuses, stretch=5, widths={0: 130, 1: 120, 2: 120, 3: 44, 4: 80, 6: 240}
        )
        splitter.addWidget(self.view)
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel("催报通知（可复制到微信群或邮件）："), 1)
        self.copy_button = QPushButton("复制")
        self.copy_button.clicked.connect(self.copy_reminder)
        head.addWidget(self.copy_button)
        bl.addLayout(head)
        self.reminder = QPlainTextEdit()
        self.reminder.setReadOnly(True)
        bl.addWidget(self.reminder, 1)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)

    def refresh(self) -> None:
        from ecodesk.status import reminder_text, round_status

        name = self.round_name
        if not name or self.project is None:
            self.statuses.set_rows([])
            self.reminder.clear()
            self.summary.setText("请先添加轮次")
            return
        project = self.project
        rows = self.state.attempt(lambda: round_status(project, name))
        text = self.state.attempt(lambda: reminder_text(project, name))
        if rows is None or text is None:
            return
        self.records = self._records(project, name)
        self.statuses.set_rows(rows)
        self.reminder.setPlainText(text)
        reported = sum(1 for s in rows if s.reported)
        late = sum(1 for s in rows if s.late)
        gaps = sum(1 for s in rows if s.reported and (s.missing_indicators or s.missing_tasks))
        deadline = project.round(name).deadline
        summary = f"『{name}』截止 {deadline}：{len(rows)} 个部门，已报送 {reported} 个"
        for state in ("未报送", "待报（未到期）", "未下发"):
            n = sum(1 for s in rows if not s.reported and s.state == state)
            if n:
                summary += f"，{state} {n} 个"
        if gaps:
            summary += f"，有缺项 {gaps} 个"
        if late:
            summary += f"，逾期 {late} 个"
        if not any(s.issued for s in rows):
            self.set_guide("先在“调度轮次”页生成并下发本轮填报表")
        elif any(not s.reported and s.issued for s in rows):
            self.set_guide("复制下方的催报通知，发到微信群或邮件里")
        else:
            self.set_guide("已全部收齐：到“校验”页核对判定，再到“导出”页生成汇总表")
        self.summary.setText(summary)

    def _records(self, project: Any, name: str) -> dict[str, str]:
        from ecodesk.timeliness import record, timeliness_rows

        rows = self.state.attempt(lambda: timeliness_rows(project)) or []
        rid = project.round(name).id
        return {d: record(rows, d, rid) for d in {r["department"] for r in rows}}

    def copy_reminder(self) -> None:
        copy_text(self.reminder.toPlainText())
        self.say("催报通知已复制，可以粘贴到微信群或邮件中发送")
