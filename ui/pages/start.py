"""开始: create a project (folder, county, region, terrain, optional Annex 1/2), open one, recent list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from ecodesk.catalogue import REGION_CLASSES, TERRAIN_CLASSES

from ..widgets import ProgressPanel, hint
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

NOT_SET = "（暂不设置）"


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
        self.layout_.addWidget(
            hint(
                "EcoDesk 帮助创建办向各责任部门下发指标填报表、回收报回的表格、自动校验是否达标，并生成汇总表。"
                "第一次使用请新建项目：选择一个空文件夹，项目的所有文件都保存在其中，可整体复制到其他电脑。"
            )
        )

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
        self.layout_.addWidget(new_box)

        open_box = QGroupBox("打开已有项目")
        open_layout = QHBoxLayout(open_box)
        self.recent = QListWidget()
        self.recent.setMaximumHeight(160)
        self.recent.itemDoubleClicked.connect(self._open_item)
        buttons = QWidget()
        col = QFormLayout(buttons)
        self.open_button = QPushButton("打开项目文件夹…")
        self.open_button.clicked.connect(self.choose_and_open)
        self.open_recent_button = QPushButton("打开所选的最近项目")
        self.open_recent_button.clicked.connect(lambda: self._open_item(self.recent.currentItem()))
        col.addRow(self.open_button)
        col.addRow(self.open_recent_button)
        open_layout.addWidget(self.recent, 1)
        open_layout.addWidget(buttons)
        self.layout_.addWidget(open_box)
        self.layout_.addStretch(1)
        state.recent_changed.connect(self.invalidate)

    def refresh(self) -> None:
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
                "\n".join(warnings),
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
