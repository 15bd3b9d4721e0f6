"""Small widgets the pages share: a table view set up for reading, a progress panel with 取消,
a read-only text box with 复制, and opening files/folders with the system's program."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from .models import RecordModel
from .workers import Job


def make_table(
    model: RecordModel, stretch: int | None = None, widths: dict[int, int] | None = None
) -> QTableView:
    """A read-only, row-selecting table over ``model``; column ``stretch`` takes the spare width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for col, width in (widths or {}).items():
        view.setColumnWidth(col, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def hint(text: str) -> QLabel:
    """A grey, wrapping explanation line."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def open_path(path: str | Path) -> bool:
    """Open a file or folder with the program Windows associates with it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class ProgressPanel(QWidget):
    """Progress of one :class:`Job`: a bar, what is being done, and 取消. Hidden when idle."""

    def __init__(self, cancellable: bool = True) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(240)
        self.label = QLabel()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(cancellable)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label, 2)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._cancel)
        self.job: Job | None = None
        self.hide()

    def attach(self, job: Job, text: str) -> None:
        self.job = job
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.label.setText(text)
        self.cancel_button.setEnabled(True)
        job.progressed.connect(self._progress)
        job.ended.connect(self._ended)
        self.show()

    def _progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(f"{done}/{total}")
        if text and not (self.job and self.job.cancelled):
            self.label.setText(text)

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("正在取消，请稍候…")

    def _ended(self) -> None:
        self.job = None
        self.hide()
