"""回收: drop (or choose) returned files and folders; collect them in a worker; one row per file
with its status in Chinese and colour; the selected file's problems and changes; adopt a file.

The list is the round's files as the ledger holds them (so it survives a restart), plus what this
session saw that the ledger does not keep (broken archives, changes against the previous file).
Drops while a collect runs wait in a queue, shown as 等待回收 rows, and start in turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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

from ..models import AMBER, COLLECT_COLOURS, Column, RecordModel, collect_label
from ..widgets import ProgressPanel, make_table
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

RESULT_COLUMNS = [
    Column("文件", lambda r: Path(r.path).name, tooltip=lambda r: r.path),
    Column(
        "状态",
        lambda r: collect_label(r.status),
        colour=lambda r: COLLECT_COLOURS.get(r.status),
        align_center=True,
    ),
    Column("部门", lambda r: r.department or ""),
    Column(
        "问题数",
        lambda r: len(getattr(r, "problems", None) or []) or "",
        colour=lambda r: AMBER if getattr(r, "problems", None) else None,
        align_center=True,
    ),
    Column("说明", lambda r: r.message),
]
WAITING = "waiting"


@dataclass
class WaitingRow:
    """A dropped file or folder waiting for the collect before it to finish."""

    path: str
    status: str = WAITING
    department: str | None = None
    message: str = "等待回收：前面的文件处理完后自动开始"
    code: str = ""
    submission_id: int | None = None
    needs_confirmation: bool = False
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


#: statuses whose file the clerk may choose instead of the current one (reinstate)
ADOPTABLE = ("superseded", "stale", "withdrawn")
#: statuses whose file the clerk may assign to a department by hand (ecodesk.intake.corrections)
ASSIGNABLE = ("not_template", "wrong_department", "stale", "superseded", "accepted", "withdrawn")
PROBLEMS = ("stale", "wrong_department", "not_template", "unreadable", "internal")


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drag."""
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class CollectPage(Page):
    title = "回收"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.setAcceptDrops(True)
        self.rows: list[Any] = []  # the round's files from the ledger, then this session's extras
        self.extras: dict[str, list[Any]] = {}  # round → results the ledger does not keep
        self.changes: dict[int, list[str]] = {}  # submission id → changes seen when collected
        self.waiting: list[tuple[str, list[Path]]] = []  # (round, paths) queued while busy
        self.drop_area = QLabel(
            "把各部门报回的填报表拖到窗口里即可回收（可以一次拖入多个文件、整个文件夹、.zip 压缩包"
            "或保存的邮件 .eml，佐证材料一起拖入即可；重复拖入也没关系，程序会识别重复文件）"
        )
        self.drop_area.setWordWrap(True)
        self.drop_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_area.setMinimumHeight(44)
        self.drop_area.setStyleSheet(
            "border: 2px dashed #7A9E7E; border-radius: 8px; color: #35593A;"
            " background: #F3F8F3; padding: 6px;"
        )
        self.layout_.addWidget(self.drop_area)

        row = QHBoxLayout()
        self.round_label = QLabel()
        self.files_button = QPushButton("选择文件…")
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton("选择文件夹…")
        self.folder_button.clicked.connect(self.choose_folder)
        row.addWidget(self.round_label, 1)
        row.addWidget(self.files_button)
        row.addWidget(self.folder_button)
        self.layout_.addLayout(row)
        self.progress = ProgressPanel()
        self.layout_.addWidget(self.progress)
        self.queue_label = QLabel()
        self.queue_label.setStyleSheet("color: #8A4B00;")
        self.queue_label.hide()
        self.layout_.addWidget(self.queue_label)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)

        self.results = RecordModel(RESULT_COLUMNS)
        self.view = make_table(
            self.results, stretch=len(RESULT_COLUMNS) - 1, widths={0: 300, 1: 80, 2: 110, 3: 64}
        )  # 说明 takes the spare width
        self.view.selectionModel().currentRowChanged.connect(self.show_details)
        self.view.doubleClicked.connect(self._double_clicked)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("选择一行，查看该文件的问题和变化")
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 100])
        self.layout_.addWidget(splitter, 1)

        actions = QHBoxLayout()
        self.assign_button = QPushButton("指定部门…")
        self.assign_button.setToolTip("把该文件记为某个部门的报送（只采用该部门负责的行）")
        self.assign_button.clicked.connect(self.assign_selected)
        self.confirm_button = QPushButton("确认无误…")
        self.confirm_button.setToolTip("核对过“待确认”的文件后，确认它是该部门本轮的报送")
        self.confirm_button.clicked.connect(lambda: self.correct_selected("confirm"))
        self.withdraw_button = QPushButton("撤回…")
        self.withdraw_button.setToolTip("误接收的文件不再作为该部门本轮的报送（可再改用其他文件）")
        self.withdraw_button.clicked.connect(lambda: self.correct_selected("withdraw"))
        self.adopt_button = QPushButton("改用此文件…")
        self.adopt_button.setToolTip(
            "被替换、撤回或过期模板的文件，确认内容无误时，可以改用它作为该部门本轮的报送"
        )
        self.adopt_button.clicked.connect(self.adopt_selected)
        actions.addStretch(1)
        for b in (self.assign_button, self.confirm_button, self.withdraw_button, self.adopt_button):
            actions.addWidget(b)
        self.layout_.addLayout(actions)
        self.show_details()
        state.busy_changed.connect(lambda busy: None if busy else self._start_waiting())

    # ---- load ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        name = self.round_name
        self.round_label.setText(f"回收到轮次：{name}" if name else "回收到轮次：（请先添加轮次）")
        self.reload_rows()
        if self.busy or self.waiting:
            return
        if not name:
            self.set_guide("先在“调度轮次”页添加轮次并生成填报表")
        elif self.read_only:
            self.set_guide("项目是只读的：可以查看已回收的文件，不能回收新文件")
        elif not self.rows:
            self.set_guide("把各部门报回的表格拖到窗口里，或点击“选择文件…”")
        else:
            self.set_guide("继续拖入报回的表格；收齐后到“校验”页查看判定结果")

    def reload_rows(self, select_from: int | None = None) -> None:
        """The round's files from the ledger, this session's extras and the queued drops."""
        from ecodesk.intake.collect import list_submissions

        name, project = self.round_name, self.project
        rows: list[Any] = []
        if name and project is not None:
            listed = self.state.attempt(lambda: list_submissions(project, name))
            for r in listed or []:
                if r.submission_id in self.changes:
                    r.changes = self.changes[r.submission_id]
                rows.append(r)
            rows += self.extras.get(name, [])
        rows += [
            WaitingRow(str(p)) for round_name, paths in self.waiting if round_name == name for p in paths
        ]
        keep = self.selected()
        self.rows = rows
        self.results.set_rows(rows)
        if select_from is not None and select_from < len(rows):
            self.view.selectRow(select_from)
            self.view.scrollTo(self.results.index(select_from, 0))
        elif keep is not None and keep.submission_id:
            index = next((i for i, r in enumerate(rows) if r.submission_id == keep.submission_id), -1)
            if index >= 0:
                self.view.selectRow(index)
        self.show_details()

    # ---- choosing files ------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "选择报回的填报表",
            "",
            "表格、压缩包和邮件 (*.xlsx *.xlsm *.xls *.ods *.zip *.eml);;所有文件 (*)",
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

    # ---- collect, one drop after another -------------------------------------------------------
    def collect_paths(self, paths: Sequence[Path]) -> None:
        name = self.need_writable_round()
        if not name or self.project is None:
            return
        files = list(paths)
        if self.state.busy or self.waiting:  # any work (this page's or another's) finishes first
            self.waiting.append((name, files))
            self._show_queue()
            self.reload_rows()
            self.say(f"已加入等待：{len(files)} 项，前面的文件处理完后自动回收")
            return
        self._start(name, files)

    def _start(self, name: str, files: list[Path]) -> None:
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
        self._show_queue()

    def _job_ended(self) -> None:
        super()._job_ended()
        self._start_waiting()

    def _start_waiting(self, *_: object) -> None:
        if not self.state.busy and self.waiting:
            name, files = self.waiting.pop(0)
            self._start(name, files)
            if name == self.round_name:
                self.reload_rows()
        self._show_queue()

    def _show_queue(self) -> None:
        if not self.waiting:
            self.queue_label.hide()
            return
        items = sum(len(files) for _, files in self.waiting)
        self.queue_label.setText(
            f"等待回收：{len(self.waiting)} 批，共 {items} 项（当前这批处理完后自动开始）"
        )
        self.queue_label.show()

    def work_summary(self) -> str:
        """What is still to do, for the close-window question."""
        parts = []
        if self.busy:
            parts.append("正在回收文件")
        elif self.state.busy:
            parts.append("后台操作还在进行")
        if self.waiting:
            parts.append(f"还有 {sum(len(f) for _, f in self.waiting)} 项等待回收")
        return "，".join(parts) or "后台操作还在进行"

    def drop_waiting(self) -> None:
        """Forget the queued drops (closing the window): nothing of them was collected."""
        self.waiting.clear()
        self._show_queue()

    def _collected(self, result: Any, round_name: str) -> None:
        extras = [r for r in result.results if not r.submission_id]
        self.extras.setdefault(round_name, []).extend(extras)
        for r in result.results:
            if r.submission_id and r.changes:
                self.changes[r.submission_id] = r.changes
        if round_name == self.round_name:
            before = {r.submission_id for r in self.rows if getattr(r, "submission_id", None)}
            self.reload_rows()
            index = next(
                (i for i, r in enumerate(self.rows) if r.submission_id and r.submission_id not in before),
                None,
            )
            if index is None and extras:
                index = next((i for i, r in enumerate(self.rows) if r is extras[0]), None)
            if index is not None:
                self.view.selectRow(index)
                self.view.scrollTo(self.results.index(index, 0))
        counts = result.counts()
        parts = "、".join(f"{collect_label(s)} {n}" for s, n in counts.items() if n)
        done = len(result.results)
        if result.cancelled:
            text = f"已取消：处理了 {done} 个文件（{parts or '无'}），其余文件未处理，可重新拖入"
        elif not done:
            text = (
                "没有找到可回收的文件（支持 .xlsx、.xls、.ods、.zip 和 .eml 邮件），请检查拖入的文件或文件夹"
            )
        else:
            text = f"本次处理 {done} 个文件：{parts}。"
            problems = sum(counts.get(s, 0) for s in PROBLEMS)
            if problems:
                text += f"有 {problems} 个文件未能采用，请查看“说明”列并按提示处理。"
            if counts.get("accepted"):
                text += "下一步：到“校验”页查看判定结果"
        self.summary.setText(text)
        self.say(text)
        if counts.get("accepted"):
            self.set_guide("到“校验”页查看判定结果；有问题的文件见“说明”列")
        self.state.changed(self)

    def set_busy(self, busy: bool) -> None:
        self.update_actions()
        self.show_details()

    def update_actions(self) -> None:
        ok = not self.read_only and bool(self.round_name)
        for w in (self.files_button, self.folder_button):
            w.setEnabled(ok)  # while busy, what is chosen waits its turn

    # ---- the selected file ---------------------------------------------------------------------
    def selected(self) -> Any:
        return self.results.record(self.view.currentIndex())

    def show_details(self) -> None:
        r = self.selected()
        ok = bool(r and not self.busy and not self.read_only and r.submission_id)
        self.adopt_button.setEnabled(ok and r.status in ADOPTABLE)
        self.assign_button.setEnabled(ok and r.status in ASSIGNABLE)
        self.confirm_button.setEnabled(ok and r.status == "accepted" and r.needs_confirmation)
        self.withdraw_button.setEnabled(ok and r.status == "accepted")
        if r is None:
            self.details.clear()
            return
        lines = [f"文件：{r.path}", f"状态：{collect_label(r.status)}", f"说明：{r.message}"]
        if r.department:
            lines.append(f"部门：{r.department}")
        if r.needs_confirmation:
            lines.append("请核对：该文件需要您确认（原因见上面的说明），打开文件核对部门和数据后点“确认无误…”")
        attachments = getattr(r, "attachments", [])
        if attachments:
            lines.append(
                f"佐证材料（{len(attachments)} 份，已存档）：" + "、".join(a["name"] for a in attachments)
            )
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
            self.say("请先选择一个“已被替换”“已撤回”或“过期模板”的文件")
            return
        if not self.state.writable():
            return
        note, ok = QInputDialog.getText(
            self,
            "改用此文件",
            f"改用后，本轮{r.department}的数据以『{Path(r.path).name}』为准。\n请写明原因（将记入台账）：",
        )
        if not ok:
            return
        if not note.strip():
            self.say("没有改用：请写明改用此文件的原因")
            return
        self.adopt(r.submission_id, note.strip())

    def adopt(self, submission_id: int, note: str) -> None:
        from ecodesk.intake.collect import make_current

        project = self.project
        assert project is not None
        result = self.state.attempt(lambda: make_current(project, submission_id, note))
        if not result:
            return
        self.reload_rows()
        self.say(f"{result.message}。下一步：到“校验”页查看判定结果")
        self.state.changed(self)

    # ---- the clerk's other corrections (each with a note in the audit trail) -------------------
    def _note(self, title: str, text: str) -> str | None:
        note, ok = QInputDialog.getText(self, title, f"{text}\n请写明原因（将记入台账）：")
        if not ok:
            return None
        if not note.strip():
            self.say(f"没有{title.rstrip('…')}：请写明原因")
            return None
        return note.strip()

    def assign_selected(self) -> None:
        r = self.selected()
        if r is None or self.project is None or not r.submission_id:
            self.say("请先在列表中选择一个文件")
            return
        if not self.state.writable():
            return
        names = self.project.catalogue().department_names()
        current = names.index(r.department) if r.department in names else 0
        dept, ok = QInputDialog.getItem(
            self, "指定部门", f"『{Path(r.path).name}』是哪个部门的报送？", names, current, False
        )
        if not ok:
            return
        note = self._note("指定部门", f"将把该文件记为{dept}本轮的报送（只采用{dept}负责的行）。")
        if note:
            self.correct(r.submission_id, "assign", note, dept)

    def correct_selected(self, action: str) -> None:
        r = self.selected()
        if r is None or not r.submission_id:
            self.say("请先在列表中选择一个文件")
            return
        if not self.state.writable():
            return
        name = Path(r.path).name
        titles = {
            "confirm": ("确认无误", f"确认『{name}』是{r.department}本轮的报送，数据已核对。"),
            "withdraw": ("撤回", f"撤回后，『{name}』不再作为{r.department}本轮的报送。"),
        }
        note = self._note(*titles[action])
        if note:
            self.correct(r.submission_id, action, note)

    def correct(self, submission_id: int, action: str, note: str, department: str = "") -> None:
        """Apply a correction (assign / confirm / withdraw) to a file of the round shown."""
        from ecodesk.intake import corrections

        project, name = self.project, self.round_name
        if project is None or not name:
            return
        ref = f"#{submission_id}"
        if action == "assign":
            result = self.state.attempt(lambda: corrections.assign(project, name, ref, department, note))
        else:
            result = self.state.attempt(lambda: getattr(corrections, action)(project, name, ref, note))
        if not result:
            return
        self.reload_rows()
        self.say(f"{result.message}。下一步：到“校验”页查看判定结果")
        self.state.changed(self)
