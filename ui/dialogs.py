"""Small dialogs that ask the clerk for a decision."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


def note_and_buttons(
    dialog: Any, form: QFormLayout, placeholder: str, ok: str
) -> tuple[QPlainTextEdit, QLabel]:
    """The tail every note-taking dialog shares: the 说明 box, a line for what is missing, and the
    ok/取消 buttons (ok runs ``dialog._accept``, which checks the note)."""
    note = QPlainTextEdit()
    note.setPlaceholderText(placeholder)
    form.addRow("说明：", note)
    error = QLabel()
    error.setStyleSheet("color: #B00020;")
    form.addRow(error)
    buttons = QDialogButtonBox()
    buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog._accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return note, error


class OverrideDialog(QDialog):
    """改判: a verdict, optionally the corrected 本期值, and a required note (why, on what grounds)."""

    def __init__(self, indicator: str, computed: str, current: str, parent: QWidget | None = None) -> None:
        from ecodesk.verdicts import VERDICTS

        super().__init__(parent)
        self.setWindowTitle("改判")
        self.resize(460, 260)
        form = QFormLayout(self)
        form.addRow("指标：", QLabel(indicator))
        form.addRow("系统判定：", QLabel(computed))
        self.verdict = QComboBox()
        self.verdict.addItems(VERDICTS)
        self.verdict.setCurrentText(current)
        form.addRow("改判为：", self.verdict)
        self.value = QLineEdit()
        self.value.setPlaceholderText("可选：更正后的本期值（部门误填时填写，汇总表打印此值），如 100")
        form.addRow("更正本期值：", self.value)
        self.note, self.error = note_and_buttons(
            self, form, "必填：为什么改判、依据是什么（如：经与生态环境分局核实，以省站公布数据为准）", "改判"
        )

    def _accept(self) -> None:
        if not self.note.toPlainText().strip():
            self.error.setText("请填写改判说明：为什么改判、依据是什么")
            return
        self.accept()

    def values(self) -> tuple[str, str, str]:
        return self.verdict.currentText(), self.note.toPlainText().strip(), self.value.text().strip()

    @classmethod
    def ask(
        cls, indicator: str, computed: str, current: str, parent: QWidget | None = None
    ) -> tuple[str, str, str] | None:
        """(verdict, note, corrected value or ""), or None when the clerk cancelled."""
        dialog = cls(indicator, computed, current, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RoundDialog(QDialog):
    """修改轮次: name, deadline, note of a round."""

    def __init__(
        self, name: str, deadline: str, note: str, parent: QWidget | None = None, period: str = ""
    ) -> None:
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QDateEdit, QLineEdit

        super().__init__(parent)
        self.setWindowTitle("修改轮次")
        self.resize(420, 200)
        form = QFormLayout(self)
        self.name = QLineEdit(name)
        form.addRow("轮次名称：", self.name)
        self.deadline = QDateEdit(QDate.fromString(deadline, "yyyy-MM-dd"))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        form.addRow("截止日期：", self.deadline)
        self.period = QLineEdit(period)
        self.period.setPlaceholderText("如：2025年度、2025年上半年、2025年第三季度；不分期的轮次留空")
        form.addRow("调度期：", self.period)
        self.note = QLineEdit(note)
        self.note.setPlaceholderText("可不填")
        form.addRow("备注：", self.note)
        form.addRow(QLabel("改名后，按旧名称下发的填报表报回时仍会算作本轮。"))
        buttons = QDialogButtonBox()
        buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), self.deadline.date().toString("yyyy-MM-dd"), self.note.text()

    @classmethod
    def ask(
        cls, name: str, deadline: str, note: str, parent: QWidget | None = None
    ) -> tuple[str, str, str] | None:
        """(name, deadline, note), or None when the clerk cancelled."""
        dialog = cls(name, deadline, note, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
