"""回收: drop (or choose) returned files and folders; collect them in a worker; one row per file
with its status in Chinese and colour; the selected file's problems and changes; adopt a file."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
)

from ..models import COLLECT_COLOURS, Column, RecordModel, collect_label
from ..widgets import ProgressPanel, make_table
from .base import Page

if TYPE_CHECKING:
    from ..main_window import MainWindow

RESULT_COLUMNS = [
    Column("文件", lambda r: Path(r.path).name, tooltip=lambda r: r.path),
    Column(
        "状态",
        lambda r: collect_label(r.status),
        colour=lambda r: COLLECT_COLOURS.get(r.status),
        align_center=True,
    ),
    Column("部门", lambda r: r.department or ""),
    Column("说明", lambda r: r.message),
]
#: statuses whose file the clerk may choose instead of the current one (make_current)
ADOPTABLE = ("superseded", "stale")
PROBLEMS = ("stale", "wrong_department", "not_template", "unreadable")


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drag."""
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class CollectPage(Page):
    title = "回收"

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main)
        self.setAcceptDrops(True)
        self.collected_into: dict[int, str] = {}  # submission id → round it was collected into
        self.drop_area = QLabel(
            "把各部门报回的填报表拖到窗口里即可回收\n"
            "（可以一次拖入多个文件、整个文件夹或 .zip 压缩包；重复拖入也没关系，程序会识别重复文件）"
        )
        self.drop_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_area.setMinimumHeight(70)
        self.drop_area.setStyleSheet(
            "border: 2px dashed #7A9E7E; border-radius: 8px; color: #35593A;"
            " background: #F3F8F3; padding: 8px;"
        )
        self.layout_.addWidget(self.drop_area)

        row = QHBoxLayout()
        self.round_label = QLabel()
        self.files_button = QPushButton("选择文件…")
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton("选择文件夹…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.clear_button = QPushButton("清空列表")
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.round_label, 1)
        row.addWidget(self.files_button)
        row.addWidget(self.folder_button)
        row.addWidget(self.clear_button)
        self.layout_.addLayout(row)
        self.progress = ProgressPanel()
        self.layout_.addWidget(self.progress)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)

        self.results = RecordModel(RESULT_COLUMNS)
        self.view = make_table(self.results, stretch=3, widths={0: 300, 1: 80, 2: 110})
        self.view.selectionModel().currentRowChanged.connect(self.show_details)
        self.view.doubleClicked.connect(self._double_clicked)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("选择一行，查看该文件的问题和变化")
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.layout_.addWidget(splitter, 1)

        actions = QHBoxLayout()
        self.adopt_button = QPushButton("改用此文件…")
        self.adopt_button.setToolTip("被替换或过期模板的文件，确认内容无误时，可以改用它作为该部门本轮的报送")
        self.adopt_button.clicked.connect(self.adopt_selected)
        actions.addStretch(1)
        actions.addWidget(self.adopt_button)
        self.layout_.addLayout(actions)
        self.show_details()

    def refresh(self) -> None:
        name = self.round_name
        self.round_label.setText(f"回收到轮次：{name}" if name else "回收到轮次：（请先添加轮次）")

    # ---- choosing files ------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "选择报回的填报表", "", "表格和压缩包 (*.xlsx *.xlsm *.xls *.ods *.zip);;所有文件 (*)"
        )
        if paths:
            self.collect_paths([Path(p) for p in paths])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放报回文件的文件夹")
        if folder:
            self.collect_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.handle_drop(event.mimeData()):
            event.acceptProposedAction()

    def handle_drop(self, mime: QMimeData) -> bool:
        paths = local_paths(mime)
        if not paths:
            return False
        self.collect_paths(paths)
        return True

    # ---- collect -------------------------------------------------------------------------------
    def collect_paths(self, paths: Sequence[Path]) -> None:
        name = self.need_round()
        if not name or self.project is None:
            return
        files = list(paths)

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.intake.collect import collect

            return collect(project, name, files, progress=progress, cancel=cancel)

        self.run(
            call,
            text=f"正在回收 {len(files)} 项到『{name}』…",
            on_done=lambda result: self._collected(result, name),
            panel=self.progress,
            retry=lambda: self.collect_paths(files),
        )

    def _collected(self, result: Any, round_name: str) -> None:
        first = len(self.results.rows)
        self.results.set_rows(self.results.rows + result.results)
        for r in result.results:
            if r.submission_id:
                self.collected_into[r.submission_id] = round_name
                if r.status == "accepted":
                    self._show_replaced(r.department, round_name, r.submission_id)
        if result.results:
            self.view.selectRow(first)
            self.view.scrollTo(self.results.index(first, 0))
        counts = result.counts()
        parts = "、".join(f"{collect_label(s)} {n}" for s, n in counts.items() if n)
        done = len(result.results)
        if result.cancelled:
            text = f"已取消：处理了 {done} 个文件（{parts or '无'}），其余文件未处理，可重新拖入"
        elif not done:
            text = "没有找到可回收的文件（支持 .xlsx、.xls、.ods 和 .zip），请检查拖入的文件或文件夹"
        else:
            text = f"本次处理 {done} 个文件：{parts}。"
            problems = sum(counts.get(s, 0) for s in PROBLEMS)
            if problems:
                text += f"有 {problems} 个文件未能采用，请查看“说明”列并按提示处理。"
            if counts.get("accepted"):
                text += "下一步：到“校验”页查看判定结果"
        self.summary.setText(text)
        self.main.say(text)
        self.main.data_changed(self)

    def _show_replaced(self, department: str | None, round_name: str, current: int) -> None:
        """A department has one current file per round: rows still showing an earlier file of
        ``department`` as 已接收 were replaced in the ledger by ``current`` — show them so."""
        from ecodesk.messages import msg

        for i, r in enumerate(self.results.rows):
            if (
                r.status == "accepted"
                and r.department == department
                and r.submission_id != current
                and self.collected_into.get(r.submission_id) == round_name
            ):
                replaced = msg("superseded.replaced", department=department)
                self.results.update_row(
                    i,
                    dataclasses.replace(r, status="superseded", code="superseded.replaced", message=replaced),
                )

    def clear(self) -> None:
        self.results.set_rows([])
        self.collected_into.clear()
        self.summary.clear()
        self.show_details()

    def set_busy(self, busy: bool) -> None:
        for w in (self.files_button, self.folder_button, self.clear_button):
            w.setEnabled(not busy)
        self.show_details()

    # ---- the selected file ---------------------------------------------------------------------
    def selected(self) -> Any:
        return self.results.record(self.view.currentIndex())

    def show_details(self) -> None:
        r = self.selected()
        self.adopt_button.setEnabled(bool(r and not self.busy and r.submission_id and r.status in ADOPTABLE))
        if r is None:
            self.details.clear()
            return
        lines = [f"文件：{r.path}", f"状态：{collect_label(r.status)}", f"说明：{r.message}"]
        if r.department:
            lines.append(f"部门：{r.department}")
        if r.needs_confirmation:
            lines.append("请核对：该文件缺少模板校验信息，是按指标名称匹配的，请打开文件确认部门和数据无误")
        if r.problems:
            lines.append(f"\n填写问题（{len(r.problems)} 处，请报送部门修改）：")
            lines += [f"  · {p}" for p in r.problems]
        if r.changes:
            lines.append(f"\n与上次接收的文件相比的变化（{len(r.changes)} 处）：")
            lines += [f"  · {c}" for c in r.changes]
        if not r.problems and not r.changes and r.status == "accepted":
            lines.append("\n没有发现填写问题。")
        self.details.setPlainText("\n".join(lines))

    def _double_clicked(self) -> None:
        self.show_details()
        self.details.setFocus()

    def adopt_selected(self) -> None:
        r = self.selected()
        if r is None or self.project is None or r.status not in ADOPTABLE or not r.submission_id:
            self.main.say("请先选择一个“已被替换”或“过期模板”的文件")
            return
        note, ok = QInputDialog.getText(
            self,
            "改用此文件",
            f"改用后，本轮{r.department}的数据以『{Path(r.path).name}』为准。\n请写明原因（将记入台账）：",
        )
        if not ok:
            return
        if not note.strip():
            self.main.say("没有改用：请写明改用此文件的原因")
            return
        self.adopt(r.submission_id, note.strip())

    def adopt(self, submission_id: int, note: str) -> None:
        from ecodesk.intake.collect import make_current

        project = self.project
        assert project is not None
        result = self.main.attempt(lambda: make_current(project, submission_id, note))
        if not result:
            return
        for i, r in enumerate(self.results.rows):
            if r.submission_id == submission_id:
                self.results.update_row(
                    i, dataclasses.replace(r, status=result.status, message=result.message, code=result.code)
                )
        round_name = self.collected_into.get(submission_id)
        if round_name:
            self._show_replaced(result.department, round_name, submission_id)
        self.show_details()
        self.main.say(f"{result.message}。下一步：到“校验”页查看判定结果")
        self.main.data_changed(self)
