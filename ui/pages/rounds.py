"""调度轮次: list rounds, add one with a deadline, generate the round's fill-in workbooks with
progress and 取消, then open the folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from ..models import Column, RecordModel, short_time
from ..widgets import ProgressPanel, hint, make_table, open_path
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

ROUND_COLUMNS = [
    Column("轮次", lambda r: r.name),
    Column("截止日期", lambda r: r.deadline, align_center=True),
    Column("添加时间", lambda r: short_time(r.created_at), align_center=True),
]
FORM_COLUMNS = [
    Column("部门", lambda f: f["department"]),
    Column("版本", lambda f: f"第 {f['version']} 版" if f["version"] else "", align_center=True),
    Column("指标", lambda f: f["indicators"], align_center=True),
    Column("任务", lambda f: f["tasks"], align_center=True),
    Column("文件", lambda f: Path(f["path"]).name if f["path"] else ""),
    Column("说明", lambda f: f["message"]),
]


class RoundsPage(Page):
    title = "调度轮次"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.folder: str = ""
        self.manifest: str = ""

        top = QHBoxLayout()
        rounds_box = QGroupBox("调度轮次")
        rl = QVBoxLayout(rounds_box)
        self.rounds = RecordModel(ROUND_COLUMNS)
        self.round_view = make_table(self.rounds, stretch=0, widths={1: 90, 2: 130})
        self.round_view.setMaximumHeight(170)
        self.round_view.selectionModel().currentRowChanged.connect(self._round_selected)
        rl.addWidget(self.round_view)
        add = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("轮次名称，如：2025年第一轮")
        self.deadline = QDateEdit(QDate.currentDate().addDays(14))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.add_button = QPushButton("添加轮次")
        self.add_button.clicked.connect(lambda: self.add_round(self.name.text(), self.deadline.date()))
        self.name.returnPressed.connect(self.add_button.click)
        add.addWidget(self.name, 1)
        add.addWidget(QLabel("截止日期："))
        add.addWidget(self.deadline)
        add.addWidget(self.add_button)
        rl.addLayout(add)
        top.addWidget(rounds_box, 1)
        self.layout_.addLayout(top)

        gen_box = QGroupBox("生成填报表")
        gl = QVBoxLayout(gen_box)
        self.round_label = QLabel()
        gl.addWidget(self.round_label)
        gl.addWidget(
            hint(
                "为当前轮次的每个责任部门生成一份 Excel 填报表和一份发放清单。重新生成不会覆盖已下发的文件："
                "内容有变化的部门会得到新版本，旧版报回时程序会提示重新填报。"
            )
        )
        row = QHBoxLayout()
        self.generate_button = QPushButton("生成本轮填报表")
        self.generate_button.clicked.connect(self.generate)
        self.open_folder_button = QPushButton("打开文件夹")
        self.open_folder_button.clicked.connect(lambda: open_path(self.folder))
        self.open_manifest_button = QPushButton("打开发放清单")
        self.open_manifest_button.clicked.connect(lambda: open_path(self.manifest))
        row.addWidget(self.generate_button)
        row.addStretch(1)
        row.addWidget(self.open_folder_button)
        row.addWidget(self.open_manifest_button)
        gl.addLayout(row)
        self.progress = ProgressPanel()
        gl.addWidget(self.progress)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        gl.addWidget(self.summary)
        self.forms = RecordModel(FORM_COLUMNS)
        self.form_view = make_table(self.forms, stretch=5, widths={0: 130, 1: 64, 2: 44, 3: 44, 4: 300})
        gl.addWidget(self.form_view, 1)
        self.layout_.addWidget(gen_box, 1)
        self._update_buttons()

    # ---- load ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        from ecodesk.status import round_status

        assert self.project is not None
        rounds = self.project.rounds()
        self.rounds.set_rows(rounds)
        name = self.round_name
        for i, r in enumerate(rounds):
            if r.name == name:
                self.round_view.selectRow(i)
        self.folder = self.manifest = ""
        rows: list[dict[str, Any]] = []
        if name:
            for s in round_status(self.project, name):
                if s.issued_file:
                    rows.append(
                        {
                            "department": s.department,
                            "version": s.issued_version,
                            "path": s.issued_file,
                            "indicators": s.indicators,
                            "tasks": s.tasks,
                            "message": f"已下发第 {s.issued_version} 版",
                        }
                    )
            if rows:
                self.folder = str(Path(rows[0]["path"]).parent)
                manifest = next(Path(self.folder).glob("*_发放清单.xlsx"), None)
                self.manifest = str(manifest) if manifest else ""
        self.forms.set_rows(rows)
        if not name:
            self.round_label.setText("当前轮次：（还没有轮次，请先在上方添加）")
            self.summary.setText("")
        else:
            self.round_label.setText(f"当前轮次：{name}")
            self.summary.setText(
                f"本轮已生成 {len(rows)} 个部门的填报表。" if rows else "本轮还没有生成填报表。"
            )
        self._update_buttons()

    def _round_selected(self) -> None:
        r = self.rounds.record(self.round_view.currentIndex())
        if r is not None and r.name != self.round_name:
            self.state.set_round(r.name)

    def update_actions(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(not self.busy and not self.read_only)
        self.generate_button.setEnabled(not self.busy and not self.read_only and bool(self.round_name))
        self.open_folder_button.setEnabled(bool(self.folder))
        self.open_manifest_button.setEnabled(bool(self.manifest))

    def set_busy(self, busy: bool) -> None:
        self._update_buttons()

    # ---- actions -------------------------------------------------------------------------------
    def add_round(self, name: str, deadline: QDate | str) -> bool:
        assert self.project is not None
        if not self.state.writable():
            return False
        project = self.project
        day = deadline.toString("yyyy-MM-dd") if isinstance(deadline, QDate) else deadline
        added = self.state.attempt(lambda: project.add_round(name, day))
        if not added:
            return False
        self.name.clear()
        self.state.refresh_rounds(select=added.name)
        self.say(f"已添加轮次『{added.name}』，截止日期 {added.deadline}。下一步：点击“生成本轮填报表”")
        return True

    def generate(self) -> None:
        name = self.need_writable_round()
        if not name:
            return

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.forms.issue import generate_round

            return generate_round(project, name, progress=progress, cancel=cancel)

        self.run(
            call,
            text=f"正在生成『{name}』的填报表…",
            on_done=self._generated,
            panel=self.progress,
            retry=self.generate,
        )

    def _generated(self, result: Any) -> None:
        rows = [
            {
                "department": f.department,
                "version": f.version,
                "path": f.path,
                "indicators": f.indicators,
                "tasks": f.tasks,
                "message": f.message,
            }
            for f in result.forms
        ]
        rows += [
            {
                "department": s["department"],
                "version": None,
                "path": "",
                "indicators": "",
                "tasks": "",
                "message": s["reason"],
            }
            for s in result.skipped
        ]
        self.forms.set_rows(rows)
        self.folder, self.manifest = result.folder, result.manifest
        unchanged = sum(1 for f in result.forms if f.status == "unchanged")
        if result.cancelled:
            text = (
                f"已取消：只生成了 {len(result.forms)} 个部门的填报表，其余部门未生成。"
                "需要时请再次点击“生成本轮填报表”"
            )
        else:
            kept = f"（其中 {unchanged} 份内容未变，沿用已下发的文件）" if unchanged else ""
            text = (
                f"已生成 {len(result.forms)} 份填报表{kept}，保存在：{result.folder}。"
                "下一步：把文件发给各部门，收回后拖到“回收”页"
            )
        self.summary.setText(text)
        self.say(text)
        self._update_buttons()
        self.state.changed(self)
