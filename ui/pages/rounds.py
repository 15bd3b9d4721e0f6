"""调度轮次: list rounds; add one (a past deadline asks first); rename or re-date, close, reopen
or delete the selected one; generate the round's fill-in workbooks with progress and 取消, then
open the folder."""

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


def round_state(r: Any) -> str:
    if r.closed_at:
        return "已结束"
    from ecodesk.rounds import days_left

    left = days_left(r)
    if left > 0:
        return f"进行中（还有 {left} 天）"
    return "今天截止" if left == 0 else f"已过截止日期 {-left} 天"


ROUND_COLUMNS = [
    Column("轮次", lambda r: r.name),
    Column("截止日期", lambda r: r.deadline, align_center=True),
    Column("状态", round_state, align_center=True),
    Column("添加时间", lambda r: short_time(r.created_at), align_center=True),
    Column("备注", lambda r: r.note + (f"（曾用名：{'、'.join(r.former_names)}）" if r.former_names else "")),
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
        self.round_view = make_table(self.rounds, stretch=4, widths={0: 200, 1: 90, 2: 150, 3: 130})
        self.round_view.setMaximumHeight(120)
        self.round_view.selectionModel().currentRowChanged.connect(self._round_selected)
        rl.addWidget(self.round_view)
        manage = QHBoxLayout()
        self.edit_button = QPushButton("修改名称或日期…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button = QPushButton("结束轮次")
        self.close_button.setToolTip("结束后不再回收文件、生成填报表；已有的数据照常可以查看、校验和汇总")
        self.close_button.clicked.connect(self.close_selected)
        self.reopen_button = QPushButton("重新开启")
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.delete_button = QPushButton("删除轮次")
        self.delete_button.setToolTip("只能删除误加的轮次：尚未生成填报表、也没有回收文件")
        self.delete_button.clicked.connect(self.delete_selected)
        manage.addStretch(1)
        for b in (self.edit_button, self.close_button, self.reopen_button, self.delete_button):
            manage.addWidget(b)
        rl.addLayout(manage)
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
        r = self.state.current()
        if self.read_only:
            self.set_guide("项目是只读的：可以查看轮次和已下发的填报表，不能修改")
        elif r is None:
            self.set_guide("在下方填写轮次名称和截止日期，点击“添加轮次”")
        elif r.closed_at:
            self.set_guide("本轮已结束；要继续回收，请点击“重新开启”，或添加新的轮次")
        elif not rows:
            self.set_guide("点击“生成本轮填报表”")
        else:
            self.set_guide("点击“打开文件夹”，把填报表发给各部门；收回后拖到窗口里回收")
        self._update_buttons()

    def _round_selected(self) -> None:
        r = self.rounds.record(self.round_view.currentIndex())
        if r is not None and r.name != self.round_name:
            self.state.set_round(r.name)

    def update_actions(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = not self.busy and not self.read_only
        self.add_button.setEnabled(writable)
        r = self.state.current()
        self.generate_button.setEnabled(writable and r is not None and not r.closed_at)
        self.edit_button.setEnabled(writable and r is not None)
        self.close_button.setVisible(r is None or not r.closed_at)
        self.reopen_button.setVisible(r is not None and bool(r.closed_at))
        self.close_button.setEnabled(writable and r is not None)
        self.reopen_button.setEnabled(writable and r is not None)
        self.delete_button.setEnabled(writable and r is not None and not self.forms.rows)
        self.open_folder_button.setEnabled(bool(self.folder))
        self.open_manifest_button.setEnabled(bool(self.manifest))

    def set_busy(self, busy: bool) -> None:
        self._update_buttons()

    # ---- actions -------------------------------------------------------------------------------
    def confirm_deadline(self, day: str) -> bool:
        """A deadline in the past is asked about (it is usually a typing slip)."""
        from datetime import date

        from ecodesk.messages import msg
        from ecodesk.rounds import deadline_passed

        try:
            passed = deadline_passed(day)
        except ValueError:
            return True  # the core says what is wrong with it
        if not passed:
            return True
        text = msg("round.past_deadline", deadline=day, today=date.today().isoformat())
        if self.state.ask("截止日期已过", f"{text}。\n仍然使用这个日期吗？", "仍然使用", "改日期"):
            return True
        self.say(f"没有保存：{text}，请改正截止日期")
        return False

    def add_round(self, name: str, deadline: QDate | str) -> bool:
        assert self.project is not None
        if not self.state.writable():
            return False
        project = self.project
        day = deadline.toString("yyyy-MM-dd") if isinstance(deadline, QDate) else deadline
        if not self.confirm_deadline(day):
            return False
        added = self.state.attempt(lambda: project.add_round(name, day))
        if not added:
            return False
        self.name.clear()
        self.state.refresh_rounds(select=added.name)
        self.say(f"已添加轮次『{added.name}』，截止日期 {added.deadline}。下一步：点击“生成本轮填报表”")
        return True

    # ---- the selected round ------------------------------------------------------------------
    def edit_selected(self) -> None:
        from ..dialogs import RoundDialog

        r = self.state.current()
        if r is None or not self.state.writable():
            return
        answer = RoundDialog.ask(r.name, r.deadline, r.note, self, getattr(r, "period_label", ""))
        if answer is not None:
            self.edit_round(r.name, *answer)

    def edit_round(
        self, name: str, new_name: str, deadline: str, note: str, period: str | None = None
    ) -> bool:
        from ecodesk.rounds import edit_round

        project = self.project
        assert project is not None
        old = project.round(name)
        if deadline != old.deadline and not self.confirm_deadline(deadline):
            return False
        r = self.state.attempt(
            lambda: edit_round(project, name, new_name=new_name, deadline=deadline, note=note)
        )
        if r is None:
            return False
        if period is not None and period != getattr(old, "period_label", ""):
            changed = self.state.attempt(lambda: project.set_round_period(r.name, period or None))
            if changed is None:
                self.state.refresh_rounds(select=r.name)
                return False
            r = changed
        self.state.refresh_rounds(select=r.name)
        parts = []
        if r.name != name:
            parts.append(f"名称改为『{r.name}』（按旧名称下发的填报表报回时仍算本轮）")
        if r.deadline != old.deadline:
            parts.append(f"截止日期改为 {r.deadline}")
        if r.note != old.note:
            parts.append("备注已更新")
        if getattr(r, "period", "") != getattr(old, "period", ""):
            parts.append(f"调度期改为{r.period_label or '不分期'}")
        self.say(f"已修改轮次『{name}』：" + "，".join(parts) if parts else "没有修改")
        self.state.changed(self)
        return True

    def close_selected(self) -> None:
        from ecodesk.rounds import close_round

        r, project = self.state.current(), self.project
        if r is None or project is None or not self.state.writable():
            return
        if not self.state.ask(
            "结束轮次",
            f"结束『{r.name}』后，不能再向本轮回收文件或生成填报表；已有的数据照常可以查看、校验和汇总。"
            "需要时可以重新开启。确定结束吗？",
            "结束轮次",
        ):
            return
        if self.state.attempt(lambda: close_round(project, r.name)) is None:
            return
        self.state.refresh_rounds()
        self.say(f"已结束轮次『{r.name}』。需要继续回收时，选中它点击“重新开启”")

    def reopen_selected(self) -> None:
        from ecodesk.rounds import reopen_round

        r, project = self.state.current(), self.project
        if r is None or project is None or not self.state.writable():
            return
        if self.state.attempt(lambda: reopen_round(project, r.name)) is None:
            return
        self.state.refresh_rounds()
        self.say(f"已重新开启轮次『{r.name}』，可以继续回收文件")

    def delete_selected(self) -> None:
        from ecodesk.rounds import delete_round

        r, project = self.state.current(), self.project
        if r is None or project is None or not self.state.writable():
            return
        if not self.state.ask("删除轮次", f"确定删除轮次『{r.name}』吗？删除后不能恢复。", "删除", "不删除"):
            return
        if self.state.attempt(lambda: delete_round(project, r.name) or True) is None:
            return
        self.state.refresh_rounds()
        self.say(f"已删除轮次『{r.name}』")

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
