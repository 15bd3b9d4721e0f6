"""佐证材料: per indicator, the evidence files received (open, assign, confirm a close match,
remove with a note), the files no indicator is assigned to yet, what is missing, and 导出台账
(the inspection archive) with progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..dialogs import note_and_buttons
from ..models import AMBER as YELLOW
from ..models import GREEN, RED, Column, RecordModel, short_time
from ..widgets import ProgressPanel, make_table, open_path
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

UNASSIGNED = "（未归类）"


@dataclass
class IndicatorRow:
    key: str  # "" for the 未归类 row
    number: str
    name: str
    departments: str
    needs: bool
    files: list[tuple[Any, Any]] = field(default_factory=list)  # (link or None, file)
    missing: list[Any] = field(default_factory=list)

    @property
    def state(self) -> str:
        if not self.key:
            return "待指定" if self.files else ""
        if self.missing:
            return "缺少"
        if any(ln is not None and not ln.confirmed for ln, _ in self.files):
            return "待确认"
        return "齐全" if self.files else ("" if not self.needs else "缺少")


def _state_colour(r: IndicatorRow) -> str | None:
    return {"缺少": RED, "待确认": YELLOW, "齐全": GREEN}.get(r.state) or (
        YELLOW if not r.key and r.files else None
    )


def _missing_text(r: IndicatorRow) -> str:
    return "、".join(
        f"{m.department}：{m.named}" if m.named else f"{m.department}：未收到任何文件" for m in r.missing
    )


INDICATOR_COLUMNS = [
    Column("序号", lambda r: r.number, align_center=True),
    Column("指标名称", lambda r: r.name),
    Column("需佐证", lambda r: "是" if r.needs else "", align_center=True),
    Column("文件数", lambda r: len(r.files) or "", align_center=True),
    Column("状态", lambda r: r.state, colour=_state_colour, align_center=True),
    Column("缺少", _missing_text),
]


@dataclass
class FileRow:
    link: Any  # None for an unassigned file
    file: Any
    pages: int | None = None  # read from the archived file where it can be known


def _how(r: FileRow) -> str:
    if r.link is None:
        return "未指定指标"
    how = {"exact": "文件名一致", "stem": "文件名一致（不含扩展名）", "clerk": "人工指定"}.get(
        r.link.matched_by
    )
    if r.link.matched_by == "close":
        how = f"名称相近（表中写『{r.link.named}』）" + ("" if r.link.confirmed else "，待确认")
    return how + (f"：{r.link.note}" if r.link.note else "")


FILE_COLUMNS = [
    Column("部门", lambda r: r.file.department or "（未知部门）"),
    Column("文件名", lambda r: r.file.name),
    Column("类型", lambda r: r.file.kind, align_center=True),
    Column("页数", lambda r: r.pages or "", align_center=True),
    Column("收到时间", lambda r: short_time(r.file.received_at), align_center=True),
    Column(
        "对应方式",
        _how,
        colour=lambda r: (
            YELLOW if r.link is None or (r.link.matched_by == "close" and not r.link.confirmed) else None
        ),
    ),
]


class NoteDialog(QDialog):
    """Assign a file to an indicator (choose it), or remove it: both with a note kept in the audit."""

    def __init__(
        self,
        title: str,
        file_name: str,
        indicators: list[tuple[str, str]] | None,
        note_required: bool,
        current: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(480, 260)
        self.note_required = note_required
        form = QFormLayout(self)
        form.addRow("文件：", QLabel(file_name))
        self.indicator = QComboBox()
        for key, label in indicators or []:
            self.indicator.addItem(label, key)
        if indicators:
            index = self.indicator.findData(current)
            self.indicator.setCurrentIndex(max(index, 0))
            form.addRow("对应指标：", self.indicator)
        self.note, self.error = note_and_buttons(
            self,
            form,
            "必填：为什么移出（如：与本指标无关、重复报送）" if note_required else "说明（可选）",
            "确定",
        )

    def _accept(self) -> None:
        if self.note_required and not self.note.toPlainText().strip():
            self.error.setText("请填写说明：为什么移出这份佐证材料")
            return
        self.accept()

    def values(self) -> tuple[str, str]:
        return str(self.indicator.currentData() or ""), self.note.toPlainText().strip()


class EvidencePage(Page):
    title = "佐证材料"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        row = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        self.export_button = QPushButton("导出台账…")
        self.export_button.setToolTip("把各指标的佐证材料按指标分文件夹复制出来，并生成可打印的台账目录")
        self.export_button.clicked.connect(self.export_archive)
        row.addWidget(self.export_button)
        self.layout_.addLayout(row)
        self.progress = ProgressPanel()
        self.layout_.addWidget(self.progress)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.indicators = RecordModel(INDICATOR_COLUMNS)
        self.indicator_view = make_table(
            self.indicators, stretch=1, widths={0: 40, 2: 48, 3: 48, 4: 56, 5: 130}
        )
        self.indicator_view.selectionModel().currentRowChanged.connect(lambda *_: self.show_files())
        splitter.addWidget(self.indicator_view)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.files_label = QLabel()
        rl.addWidget(self.files_label)
        self.files = RecordModel(FILE_COLUMNS)
        self.file_view = make_table(self.files, stretch=1, widths={0: 80, 2: 44, 3: 40, 4: 118, 5: 120})
        self.file_view.doubleClicked.connect(lambda *_: self.open_selected())
        rl.addWidget(self.file_view, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("打开文件")
        self.open_button.clicked.connect(self.open_selected)
        self.assign_button = QPushButton("指定到指标…")
        self.assign_button.clicked.connect(self.assign_selected)
        self.confirm_button = QPushButton("确认匹配")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.remove_button = QPushButton("移出…")
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.open_button, self.assign_button, self.confirm_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 6)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([580, 560])
        self.layout_.addWidget(splitter, 1)
        self.file_view.selectionModel().currentRowChanged.connect(lambda *_: self.update_actions())
        self.evidence: Any = None

    # ---- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        from ecodesk.intake.evidence_desk import round_evidence
        from ecodesk.rules.evidence import needs_evidence

        name, project = self.round_name, self.project
        if not name or project is None:
            self.indicators.set_rows([])
            self.files.set_rows([])
            self.summary.setText("请先添加轮次")
            return
        ev = self.state.attempt(lambda: round_evidence(project, name))
        if ev is None:
            return
        self.evidence = ev
        keep = self.selected_indicator()
        rows = []
        unassigned = IndicatorRow("", "", UNASSIGNED, "", False, [(None, f) for f in ev.unassigned()])
        rows.append(unassigned)
        for ind in project.catalogue().indicators:
            rows.append(
                IndicatorRow(
                    ind.key,
                    ind.number,
                    ind.name,
                    "、".join(ind.departments),
                    needs_evidence(ind),
                    ev.for_indicator(ind.key),
                    [m for m in ev.missing if m.indicator_key == ind.key],
                )
            )
        self.indicators.set_rows(rows)
        missing = sum(1 for r in rows if r.state == "缺少")
        pending = sum(1 for r in rows if r.state == "待确认")
        self.summary.setText(
            f"『{name}』收到佐证材料 {len(ev.files)} 份，未归类 {len(unassigned.files)} 份；"
            f"缺少材料的指标 {missing} 项，待确认 {pending} 项（不能接收的文件列在“回收”页）"
        )
        target = next((i for i, r in enumerate(rows) if keep is not None and r.key == keep.key), None)
        if target is None:
            target = (
                0 if unassigned.files else next((i for i, r in enumerate(rows) if r.state == "缺少"), None)
            )
        if target is None:
            target = next((i for i, r in enumerate(rows) if r.files), 0)
        self.indicator_view.selectRow(target)
        self.show_files()
        if unassigned.files:
            self.set_guide(
                "选中“未归类”中的文件，点击“指定到指标…”；核对“待确认”的近似匹配；齐全后点击“导出台账…”"
            )
        elif missing:
            self.set_guide("缺少材料的指标已列入问题清单和退回修改稿，请在“导出”页生成后发给部门补报")
        else:
            self.set_guide("点击“导出台账…”，生成按指标整理的台账文件夹和台账目录")

    def selected_indicator(self) -> IndicatorRow | None:
        return self.indicators.record(self.indicator_view.currentIndex())

    def selected_file(self) -> FileRow | None:
        return self.files.record(self.file_view.currentIndex())

    def show_files(self) -> None:
        ind = self.selected_indicator()
        if ind is None:
            self.files.set_rows([])
            self.files_label.setText("")
        else:
            from ecodesk.intake.evidence_links import pages_of

            root = self.project.root if self.project is not None else None
            self.files.set_rows(
                [FileRow(ln, f, pages_of(root / f.archived_path) if root else None) for ln, f in ind.files]
            )
            what = f"{ind.number} {ind.name}".strip()
            extra = f"；缺少：{_missing_text(ind)}" if ind.missing else ""
            self.files_label.setText(f"{what}：{len(ind.files)} 份{extra}")
            if ind.files:
                self.file_view.selectRow(0)
        self.update_actions()

    def update_actions(self) -> None:
        f = self.selected_file()
        writable = not self.read_only and not self.busy
        self.open_button.setEnabled(f is not None)
        self.assign_button.setEnabled(f is not None and writable)
        self.remove_button.setEnabled(f is not None and writable)
        self.confirm_button.setEnabled(
            f is not None and writable and f.link is not None and not f.link.confirmed
        )
        self.export_button.setEnabled(self.project is not None and bool(self.round_name) and not self.busy)

    # ---- actions -------------------------------------------------------------------------------
    def open_selected(self) -> None:
        f = self.selected_file()
        if f is None or self.project is None:
            return
        path = self.project.root / f.file.archived_path
        if not path.is_file():
            self.say(f"归档文件不见了：{path}。请重新回收该部门的文件")
            return
        open_path(path)
        self.say(f"已打开：{f.file.name}")

    def _indicator_choices(self) -> list[tuple[str, str]]:
        assert self.project is not None
        return [(i.key, f"{i.number} {i.name}") for i in self.project.catalogue().indicators]

    def assign_selected(self) -> None:
        from ecodesk.intake.evidence_desk import assign

        f, ind = self.selected_file(), self.selected_indicator()
        name = self.need_writable_round()
        if f is None or not name or self.project is None:
            return
        dialog = NoteDialog(
            "指定到指标",
            f.file.name,
            self._indicator_choices(),
            False,
            ind.key if ind else "",
            self.state.dialog_parent(),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        key, note = dialog.values()
        project = self.project
        if self.state.attempt(lambda: assign(project, name, f.file.id, key, None, note) or True):
            self.say(f"已把『{f.file.name}』指定到指标：{dict(self._indicator_choices())[key]}")
            self._changed()

    def confirm_selected(self) -> None:
        from ecodesk.intake.evidence_desk import confirm

        f = self.selected_file()
        name = self.need_writable_round()
        if f is None or f.link is None or not name or self.project is None:
            return
        project = self.project
        if self.state.attempt(
            lambda: confirm(project, name, f.file.id, f.link.indicator_key, "人工确认") or True
        ):
            self.say(f"已确认『{f.file.name}』为该指标的佐证材料")
            self._changed()

    def remove_selected(self) -> None:
        from ecodesk.intake.evidence_desk import remove

        f = self.selected_file()
        name = self.need_writable_round()
        if f is None or not name or self.project is None:
            return
        dialog = NoteDialog("移出佐证材料", f.file.name, None, True, parent=self.state.dialog_parent())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        _, note = dialog.values()
        key = f.link.indicator_key if f.link is not None else None
        project = self.project
        if self.state.attempt(lambda: remove(project, name, f.file.id, note, key) or True):
            where = "已从该指标移出" if key else "已移出本轮佐证材料（归档原件保留）"
            self.say(f"『{f.file.name}』{where}")
            self._changed()

    def _changed(self) -> None:
        self.state.changed(self)  # verdicts and the report depend on evidence
        self.refresh()
        self.update_actions()

    def export_archive(self) -> None:
        from ecodesk.archive import build_archive

        name = self.need_round()
        if not name or self.project is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self, "选择台账文件夹（新的空文件夹，或上次导出台账的文件夹）", str(self.project.reports_dir)
        )
        if not folder:
            return
        out = Path(folder)

        def work(project: Any, progress: Any, cancel: Any) -> Any:
            return build_archive(project, name, out, progress=progress, cancel=cancel)

        def done(result: Any) -> None:
            if result.cancelled:
                self.say("已取消导出台账；再次导出时会接着完成")
                return
            missing = f"，缺少 {len(result.missing)} 项（目录中已标红）" if result.missing else ""
            self.say(f"台账已导出到 {out}：佐证材料 {len(result.items)} 份{missing}")
            self.set_guide("打开台账目录检查后打印；缺少的材料请部门补报后重新导出")
            open_path(result.index)

        self.run(work, "正在导出台账…", done, panel=self.progress, retry=self.export_archive)
