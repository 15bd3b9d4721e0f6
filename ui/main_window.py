"""The main window: pages listed on the left, the project and current round on top, a banner when
the project is read-only, messages in the status bar. It creates the :class:`~ui.state.AppState`
the pages share and lays the pages out; pages never call it. Files dropped anywhere on the window
go to 回收. The window fits a 1366×768 screen and remembers its size."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ecodesk import __version__

from .pages.base import Page
from .pages.catalogue import CataloguePage
from .pages.collect import CollectPage, local_paths
from .pages.evidence import EvidencePage
from .pages.export import ExportPage
from .pages.history import HistoryPage
from .pages.rounds import RoundsPage
from .pages.start import StartPage
from .pages.status import StatusPage
from .pages.verdicts import VerdictsPage
from .paths import APP_NAME, ORG_NAME, icon_path
from .state import AppState
from .widgets import open_path

if TYPE_CHECKING:
    from ecodesk.project import Project

TITLE = f"EcoDesk 生态文明建设示范区创建填报助手 {__version__}"
#: fits a 1366×768 laptop above the taskbar, title bar included
DEFAULT_SIZE = QSize(1280, 680)
MINIMUM_SIZE = QSize(900, 560)


class MainWindow(QMainWindow):
    def __init__(
        self, settings: QSettings | None = None, reopen_last: bool = True, interactive: bool = True
    ) -> None:
        super().__init__()
        self.state = AppState(settings or QSettings(ORG_NAME, APP_NAME), interactive)
        self.settings = self.state.settings
        self._close_when_idle = False

        self.setWindowTitle(TITLE)
        icon = icon_path()
        if icon is not None:
            self.setWindowIcon(QIcon(str(icon)))
        self.setMinimumSize(MINIMUM_SIZE)
        self._restore_size()
        self.setAcceptDrops(True)

        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #FFF1C2; color: #5A3E00; padding: 6px 12px; border-bottom: 1px solid #E0C060;"
        )
        self.banner.hide()
        outer.addWidget(self.banner)
        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setFixedWidth(112)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 12pt; border: none; background: #F2F5F2; }"
            " QListWidget::item { padding: 9px 12px; }"
            " QListWidget::item:selected { background: #2E7D4F; color: white; }"
        )
        self.stack = QStackedWidget()
        middle.addWidget(self.nav)
        middle.addWidget(self.stack, 1)
        outer.addLayout(middle, 1)
        self.setCentralWidget(body)

        state = self.state
        self.start_page = StartPage(state)
        self.catalogue_page = CataloguePage(state)
        self.rounds_page = RoundsPage(state)
        self.collect_page = CollectPage(state)
        self.verdicts_page = VerdictsPage(state)
        self.status_page = StatusPage(state)
        self.evidence_page = EvidencePage(state)
        self.history_page = HistoryPage(state)
        self.export_page = ExportPage(state)
        self.pages: list[Page] = [
            self.start_page,
            self.catalogue_page,
            self.rounds_page,
            self.collect_page,
            self.verdicts_page,
            self.status_page,
            self.evidence_page,
            self.history_page,
            self.export_page,
        ]
        for page in self.pages:
            self.nav.addItem(QListWidgetItem(page.title))
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._page_selected)
        state.message.connect(self.statusBar().showMessage)
        state.project_changed.connect(self._update_project_widgets)
        state.rounds_changed.connect(self._fill_rounds)
        state.round_changed.connect(self._show_round)
        state.navigate.connect(self._navigate)
        state.busy_changed.connect(self._busy_changed)
        self._build_menus()
        self._update_project_widgets()
        self.nav.setCurrentRow(0)
        state.say("就绪。请新建项目，或打开已有的项目文件夹")
        if reopen_last:
            QTimer.singleShot(0, self._reopen_last)

    # ---- what tests, the self-test and the screenshot tool read ---------------------------------
    @property
    def project(self) -> Project | None:
        return self.state.project

    @property
    def busy(self) -> bool:
        return self.state.busy

    @property
    def errors(self) -> list[str]:
        return self.state.errors

    @property
    def messages(self) -> list[str]:
        return self.state.messages

    def current_round(self) -> str | None:
        return self.state.round_name

    def open_project(self, root: Path, read_only: bool = False) -> bool:
        return self.state.open_project(root, read_only)

    def close_project(self) -> None:
        self.state.close_project()

    def recent_projects(self) -> list[str]:
        return self.state.recent_projects()

    # ---- layout --------------------------------------------------------------------------------
    def _restore_size(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry):
            return
        size = QSize(DEFAULT_SIZE)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry().size()
            frame = QSize(16, 40)  # the title bar and borders the system adds
            size = size.boundedTo(available - frame)
        self.resize(size.expandedTo(MINIMUM_SIZE))

    def _header(self) -> QWidget:
        header = QFrame()
        header.setStyleSheet("QFrame { background: #2E7D4F; } QLabel { color: white; }")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(12, 4, 12, 4)
        self.project_label = QLabel()
        self.project_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout.addWidget(self.project_label, 1)
        layout.addWidget(QLabel("当前轮次："))
        self.round_combo = QComboBox()
        self.round_combo.setMinimumWidth(260)
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.round_combo.currentIndexChanged.connect(self._round_chosen)
        layout.addWidget(self.round_combo)
        return header

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        new = QAction("新建项目…", self)
        new.triggered.connect(lambda: self.go(self.start_page))
        opened = QAction("打开项目文件夹…", self)
        opened.triggered.connect(self.start_page.choose_and_open)
        self.recent_menu = file_menu.addMenu("最近的项目")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        quit_ = QAction("退出", self)
        quit_.triggered.connect(self.close)
        file_menu.addAction(new)
        file_menu.addAction(opened)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(quit_)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.guide_action = QAction("用户指南", self)
        self.guide_action.setShortcut("F1")
        self.guide_action.triggered.connect(self.show_guide)
        logs = QAction("打开日志文件夹", self)
        logs.triggered.connect(self._open_logs)
        about = QAction("关于 EcoDesk", self)
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                "关于 EcoDesk",
                f"EcoDesk {__version__}\n生态文明建设示范区创建 指标填报、回收、校验与汇总工具",
            )
        )
        help_menu.addAction(self.guide_action)
        help_menu.addAction(logs)
        help_menu.addAction(about)

    def show_guide(self) -> None:
        from .guide import GuideDialog

        page = self.current_page()
        self.guide_dialog = GuideDialog.for_page(page.title, self)
        self.guide_dialog.show()

    # ---- pages ---------------------------------------------------------------------------------
    def go(self, page: Page) -> None:
        self.nav.setCurrentRow(self.pages.index(page))

    def _navigate(self, title: str) -> None:
        for page in self.pages:
            if page.title == title and (self.project is not None or not page.needs_project):
                self.go(page)

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def _page_selected(self, row: int) -> None:
        if row < 0:
            return
        self.statusBar().clearMessage()  # a message belongs to the page it was said on
        self.stack.setCurrentIndex(row)
        if self.project is not None:
            self.state.refresh_rounds()  # another window may have added or changed a round
        self.pages[row].activate(force=True)

    # ---- project -------------------------------------------------------------------------------
    def _update_project_widgets(self) -> None:
        project = self.project
        if project is None:
            self.project_label.setText("未打开项目")
            self.setWindowTitle(TITLE)
            self.banner.hide()
        else:
            county = project.settings().get("county") or project.info().county or "未命名"
            suffix = "（只读）" if self.state.read_only else ""
            self.project_label.setText(f"{county}　·　{project.root}{suffix}")
            self.setWindowTitle(f"{county}{suffix} - {TITLE}")
            if self.state.read_only:
                self.banner.setText(f"只读：{self.state.read_only_reason}")
                self.banner.show()
            else:
                self.banner.hide()
        self.round_combo.setEnabled(project is not None)
        for i, page in enumerate(self.pages):
            item = self.nav.item(i)
            if item is None:
                continue
            flags = item.flags()
            enabled = project is not None or not page.needs_project
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled
            )
            item.setToolTip("" if enabled else "请先新建或打开项目")
        if project is not None and self.current_page() is self.start_page:
            self.start_page.activate(force=True)

    def _fill_rounds(self) -> None:
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in self.state.rounds():
            closed = "，已结束" if getattr(r, "closed_at", "") else ""
            self.round_combo.addItem(f"{r.name}（截止 {r.deadline}{closed}）", r.name)
        self.round_combo.setCurrentIndex(self.round_combo.findData(self.state.round_name))
        self.round_combo.blockSignals(False)

    def _show_round(self, name: str) -> None:
        self.round_combo.blockSignals(True)
        self.round_combo.setCurrentIndex(self.round_combo.findData(name) if name else -1)
        self.round_combo.blockSignals(False)

    def _round_chosen(self, *_: object) -> None:
        self.state.set_round(self.round_combo.currentData())

    def _reopen_last(self) -> None:
        last = self.settings.value("last_project", "", str)
        if not last or self.project is not None:
            return
        from ecodesk.project import LEDGER_NAME

        if (Path(last) / LEDGER_NAME).is_file():
            self.state.open_project(Path(last))
        else:
            self.state.say(f"上次的项目文件夹『{last}』已不存在，请新建项目或打开其他项目")

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.state.recent_projects()
        if not recent:
            self.recent_menu.addAction("（没有最近的项目）").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.state.open_project(Path(p)))

    def _open_logs(self) -> None:
        from .paths import log_file

        open_path(log_file().parent)

    # ---- drops anywhere on the window go to 回收 -------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.project is not None and local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.project is not None and local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.project is None:
            return
        self.go(self.collect_page)
        if self.collect_page.handle_drop(event.mimeData()):
            event.acceptProposedAction()

    # ---- closing -------------------------------------------------------------------------------
    def _busy_changed(self, busy: bool) -> None:
        if not busy and self._close_when_idle and not self.collect_page.waiting:
            QTimer.singleShot(0, self.close)

    def closeEvent(self, event: QCloseEvent) -> None:
        working = self.state.busy or bool(self.collect_page.waiting)
        if working and not self._close_when_idle:
            from . import errors

            choice = (
                1
                if not self.state.interactive
                else errors.choose(
                    self,
                    "正在处理",
                    "还有工作没有完成："
                    + self.collect_page.work_summary()
                    + "。\n可以等它完成后自动关闭窗口，也可以取消剩下的工作并关闭（已处理的文件都已保存）。",
                    ["等完成后关闭", "取消剩下的并关闭", "不关闭"],
                )
            )
            if choice == 0:
                self._close_when_idle = True
                self.state.say("正在完成剩下的工作，完成后窗口会自动关闭")
                event.ignore()
                return
            if choice != 1:
                event.ignore()
                return
        self.collect_page.drop_waiting()
        self.state.cancel_all()
        self.state.wait_all()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        self.state.close_project()
        super().closeEvent(event)
