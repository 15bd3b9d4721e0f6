"""开始: with a project open, the current round's desk (issued / returned / with problems /
missing, days to the deadline, the next step — each a click away); below it, create a project
(folder, county, region, terrain, optional Annex 1/2) or open one from the recent list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecodesk.catalogue import REGION_CLASSES, TERRAIN_CLASSES
from ecodesk.findings import render

from ..widgets import ProgressPanel, hint
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

NOT_SET = "（暂不设置）"

#: the desk's next step: (what to do, the button, the page it opens)
NEXT_STEPS = {
    "add_round": ("添加本轮调度轮次，填写截止日期", "去添加轮次", "调度轮次"),
    "generate": ("生成本轮填报表，发给各责任部门", "去生成填报表", "调度轮次"),
    "collect": ("把各部门报回的表格拖到窗口里回收", "去回收", "回收"),
    "remind": ("临近或已过截止日期，复制催报通知发给未报送的部门", "去催报", "报送情况"),
    "fix": ("有部门报回的表格有问题：在“导出”页查看各部门的问题，生成退回修改稿发回修改", "去看问题", "导出"),
    "judge": ("已全部收齐：核对校验结果，生成汇总表", "去校验", "校验"),
    "closed": ("本轮已结束：可以查看校验结果、打印汇总表", "去导出", "导出"),
}


def tile(caption: str) -> QPushButton:
    button = QPushButton(caption)
    button.setMinimumHeight(64)
    button.setStyleSheet(
        "QPushButton { font-size: 12pt; text-align: center; padding: 6px; background: #F3F8F3;"
        " border: 1px solid #9DBF9F; border-radius: 6px; }"
        " QPushButton:hover { background: #E2F0E3; }"
    )
    return button


class AnnexField(QWidget):
    """A path to an .xlsx, chosen with 选择… and removable with 清除."""

    def __init__(self, caption: str, placeholder: str) -> None:
        super().__init__()
        self.caption = caption
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setReadOnly(True)
        self.edit.setPlaceholderText(placeholder)
        choose = QPushButton("选择…")
        clear = QPushButton("清除")
        layout.addWidget(self.edit, 1)
        layout.addWidget(choose)
        layout.addWidget(clear)
        choose.clicked.connect(self.choose)
        clear.clicked.connect(self.edit.clear)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"选择{self.caption}", "", "Excel 工作簿 (*.xlsx)")
        if path:
            self.edit.setText(path)

    def path(self) -> Path | None:
        return Path(self.edit.text()) if self.edit.text() else None


def class_combo(classes: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(NOT_SET, None)
    for key, label in classes.items():
        combo.addItem(label, key)
    return combo


class StartPage(Page):
    title = "开始"
    needs_project = False

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.intro = hint(
            "EcoDesk 帮助创建办向各责任部门下发指标填报表、回收报回的表格、自动校验是否达标，并生成汇总表。"
            "第一次使用请新建项目：选择一个空文件夹，项目的所有文件都保存在其中，可整体复制到其他电脑。"
        )
        self.layout_.addWidget(self.intro)
        self.layout_.addWidget(self._desk())

        new_box = QGroupBox("新建项目")
        form = QFormLayout(new_box)
        self.county = QLineEdit()
        self.county.setPlaceholderText("如：嵊州市")
        self.region = class_combo(REGION_CLASSES)
        self.terrain = class_combo(TERRAIN_CLASSES)
        self.annex1 = AnnexField("附件1 指标责任分解表", "不导入（使用内置指标表）")
        self.annex2 = AnnexField("附件2 重点工作任务清单", "不导入（使用内置重点任务清单）")
        form.addRow("县（市、区）名称：", self.county)
        form.addRow("地区类别：", self.region)
        form.addRow("地形类别：", self.terrain)
        form.addRow("附件1 指标表：", self.annex1)
        form.addRow("附件2 任务清单：", self.annex2)
        form.addRow(
            "",
            hint(
                "地区类别决定分地区指标（如参考性指标）的目标值，可以以后在“指标与部门”页修改。"
                "不选择附件时，使用程序内置的指标表和重点任务清单。"
            ),
        )
        self.create_button = QPushButton("选择文件夹并新建项目…")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.choose_folder_and_create)
        form.addRow("", self.create_button)
        self.progress = ProgressPanel(cancellable=False)
        form.addRow("", self.progress)
        lower = QHBoxLayout()
        lower.addWidget(new_box, 3)

        open_box = QGroupBox("打开已有项目")
        open_layout = QVBoxLayout(open_box)
        self.recent = QListWidget()
        self.recent.setMaximumHeight(150)
        self.recent.itemDoubleClicked.connect(self._open_item)
        buttons = QWidget()
        col = QHBoxLayout(buttons)
        col.setContentsMargins(0, 0, 0, 0)
        self.open_button = QPushButton("打开项目文件夹…")
        self.open_button.clicked.connect(self.choose_and_open)
        self.open_recent_button = QPushButton("打开所选的最近项目")
        self.open_recent_button.clicked.connect(lambda: self._open_item(self.recent.currentItem()))
        col.addWidget(self.open_button)
        col.addWidget(self.open_recent_button)
        open_layout.addWidget(self.recent, 1)
        open_layout.addWidget(buttons)
        lower.addWidget(open_box, 2)
        self.layout_.addLayout(lower)
        self.layout_.addStretch(1)
        state.recent_changed.connect(self.invalidate)

    # ---- the round's desk ----------------------------------------------------------------------
    def _desk(self) -> QWidget:
        self.desk_box = QGroupBox("本轮工作台")
        layout = QVBoxLayout(self.desk_box)
        self.desk_title = QLabel()
        self.desk_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(self.desk_title)
        grid = QGridLayout()
        self.tiles: dict[str, QPushButton] = {}
        for col, (key, page) in enumerate(
            (("issued", "调度轮次"), ("returned", "回收"), ("problems", "导出"), ("missing", "报送情况"))
        ):
            button = tile("")
            button.clicked.connect(lambda _c=False, p=page: self.state.show_page(p))
            grid.addWidget(button, 0, col)
            self.tiles[key] = button
        layout.addLayout(grid)
        row = QHBoxLayout()
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_label.setStyleSheet("font-size: 12pt; color: #1F5A36;")
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._go_next)
        row.addWidget(self.next_label, 1)
        row.addWidget(self.next_button)
        layout.addLayout(row)
        row = QHBoxLayout()  # before anything is issued: words the publisher elided, still in the table
        self.elision = QLabel()
        self.elision.setWordWrap(True)
        self.elision.setStyleSheet("color: #8A4B00;")
        self.elision_button = QPushButton("去补全")
        self.elision_button.clicked.connect(lambda: self.state.show_page("指标与部门"))
        row.addWidget(self.elision, 1)
        row.addWidget(self.elision_button)
        layout.addLayout(row)
        self.next_page = ""
        self.desk_box.hide()
        return self.desk_box

    def refresh_desk(self) -> None:
        from ecodesk.desk import round_desk

        project, name = self.project, self.round_name
        if project is None:
            self.desk_box.hide()
            self.intro.show()
            self.set_guide("新建项目，或打开已有的项目文件夹")
            return
        self.intro.hide()
        self.desk_box.show()
        prompt = self.state.attempt(lambda: project.catalogue().elision_prompt()) or ""
        self.elision.setText(prompt)
        self.elision.setVisible(bool(prompt))
        self.elision_button.setVisible(bool(prompt) and not self.read_only)
        desk = self.state.attempt(lambda: round_desk(project, name)) if name else None
        if desk is None:
            self.desk_title.setText("还没有调度轮次")
            for button in self.tiles.values():
                button.hide()
            step = "add_round"
        else:
            if desk.closed:
                when = "已结束"
            elif desk.days_left > 0:
                when = f"距截止日期还有 {desk.days_left} 天"
            elif desk.days_left == 0:
                when = "今天截止"
            else:
                when = f"已过截止日期 {-desk.days_left} 天"
            self.desk_title.setText(f"『{desk.round}』　截止 {desk.deadline}　{when}")
            texts = {
                "issued": f"已下发\n{len(desk.issued)} / {desk.departments} 个部门",
                "returned": f"已报回\n{len(desk.returned)} 个部门",
                "problems": f"有问题\n{len(desk.problems)} 个部门",
                "missing": ("未报送" if desk.days_left < 0 else "待报") + f"\n{len(desk.missing)} 个部门",
            }
            tips = {
                "issued": "点击查看本轮的填报表",
                "returned": "、".join(desk.returned) or "还没有部门报回",
                "problems": "、".join(desk.problems) or "没有发现问题",
                "missing": "、".join(desk.missing) or "已下发的都已报回",
            }
            for key, button in self.tiles.items():
                button.setText(texts[key])
                button.setToolTip(tips[key])
                button.show()
            step = desk.next_step
        text, button_text, page = NEXT_STEPS[step]
        self.next_label.setText(f"下一步：{text}")
        self.next_button.setText(button_text)
        self.next_page = page
        self.set_guide(text)

    def _go_next(self) -> None:
        if self.next_page:
            self.state.show_page(self.next_page)

    def refresh(self) -> None:
        self.refresh_desk()
        self.recent.clear()
        for path in self.state.recent_projects():
            item = QListWidgetItem(path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        self.open_recent_button.setEnabled(self.recent.count() > 0)

    # ---- create --------------------------------------------------------------------------------
    def choose_folder_and_create(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择新项目的文件夹（建议新建一个空文件夹）")
        if folder:
            self.create_project(Path(folder))

    def create_project(self, folder: Path) -> None:
        """Create the project in a worker (an Annex import can take a few seconds), then open it.
        A folder with other files in it is never made a project: the clerk may take a new
        sub-folder of it instead."""
        from ecodesk.messages import msg
        from ecodesk.project import LEDGER_NAME, folder_is_empty, suggest_subfolder

        county = self.county.text().strip() or None
        if not (folder / LEDGER_NAME).exists() and not folder_is_empty(folder):
            sub = suggest_subfolder(folder, county)
            text = msg("project.folder_not_empty", path=folder, suggest=sub)
            if not self.state.ask("文件夹不是空的", f"{text}。\n要在其中新建子文件夹吗？", "在其中新建子文件夹"):
                self.say(f"没有新建项目：{text}")
                return
            folder = sub
        region, terrain = self.region.currentData(), self.terrain.currentData()
        annex1, annex2 = self.annex1.path(), self.annex2.path()

        def work(progress: object, cancel: object) -> Path:
            from ecodesk.project import init_project

            init_project(
                folder, annex1=annex1, annex2=annex2, county=county, region=region, terrain=terrain
            ).close()
            return folder

        text = "正在导入附件并新建项目…" if annex1 or annex2 else "正在新建项目…"
        self.job = self.state.run_work(
            work,
            text=text,
            on_done=self._created,
            panel=self.progress,
            ended=self._job_ended,
            retry=lambda: self.create_project(folder),
        )
        self.set_busy(True)

    def _created(self, folder: Path) -> None:
        if not self.state.open_project(folder):
            return
        assert self.project is not None
        self.state.show_page("调度轮次")
        cat = self.project.catalogue()
        self.say(
            f"已新建项目：{folder}（指标 {len(cat.indicators)} 行，重点任务 {len(cat.tasks)} 项，"
            f"责任部门 {len(cat.departments)} 个）。下一步：在“调度轮次”页添加轮次并生成填报表"
        )
        warnings = self.project.settings().get("import_warnings") or []
        if warnings:
            self.state.inform(
                "导入附件时的提示",
                f"项目已新建，导入附件时有 {len(warnings)} 条提示，请核对指标表：",
                "\n".join(render(w) for w in warnings),
            )

    def set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)

    # ---- open ----------------------------------------------------------------------------------
    def choose_and_open(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择 EcoDesk 项目文件夹")
        if folder:
            self.state.open_project(Path(folder))

    def _open_item(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.say("请先在列表中选择一个最近的项目")
            return
        self.state.open_project(Path(item.data(Qt.ItemDataRole.UserRole)))
