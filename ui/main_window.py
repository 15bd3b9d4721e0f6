"""The main window: pages listed on the left, the project and current round on top, messages in the
status bar. Holds the open project (on the UI thread), runs background jobs, remembers recent
projects (QSettings) and reopens the last one. Files dropped anywhere on the window are collected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon
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

from . import errors
from .pages.base import Page
from .pages.catalogue import CataloguePage
from .pages.collect import CollectPage, local_paths
from .pages.export import ExportPage
from .pages.rounds import RoundsPage
from .pages.start import StartPage
from .pages.status import StatusPage
from .pages.verdicts import VerdictsPage
from .paths import APP_NAME, ORG_NAME, icon_path
from .widgets import ProgressPanel, open_path
from .workers import Job, Work, project_job

if TYPE_CHECKING:
    from ecodesk.project import Project

MAX_RECENT = 8
TITLE = f"EcoDesk 生态文明建设示范区创建填报助手 {__version__}"


class MainWindow(QMainWindow):
    def __init__(
        self, settings: QSettings | None = None, reopen_last: bool = True, interactive: bool = True
    ) -> None:
        super().__init__()
        self.settings = settings or QSettings(ORG_NAME, APP_NAME)
        self.interactive = interactive  # False in the self-test: errors are recorded, no dialogs
        self.project: Project | None = None
        self.jobs: list[Job] = []
        self.messages: list[str] = []  # every message shown, newest last
        self.errors: list[str] = []

        self.setWindowTitle(TITLE)
        icon = icon_path()
        if icon is not None:
            self.setWindowIcon(QIcon(str(icon)))
        self.resize(1180, 760)
        self.setMinimumSize(QSize(960, 600))
        self.setAcceptDrops(True)

        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setFixedWidth(128)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 12pt; border: none; background: #F2F5F2; }"
            " QListWidget::item { padding: 10px 12px; }"
            " QListWidget::item:selected { background: #2E7D4F; color: white; }"
        )
        self.stack = QStackedWidget()
        middle.addWidget(self.nav)
        middle.addWidget(self.stack, 1)
        outer.addLayout(middle, 1)
        self.setCentralWidget(body)

        self.start_page = StartPage(self)
        self.catalogue_page = CataloguePage(self)
        self.rounds_page = RoundsPage(self)
        self.collect_page = CollectPage(self)
        self.verdicts_page = VerdictsPage(self)
        self.status_page = StatusPage(self)
        self.export_page = ExportPage(self)
        self.pages: list[Page] = [
            self.start_page,
            self.catalogue_page,
            self.rounds_page,
            self.collect_page,
            self.verdicts_page,
            self.status_page,
            self.export_page,
        ]
        for page in self.pages:
            self.nav.addItem(QListWidgetItem(page.title))
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._page_selected)
        self._build_menus()
        self._update_project_widgets()
        self.nav.setCurrentRow(0)
        self.say("就绪。请新建项目，或打开已有的项目文件夹")
        if reopen_last:
            QTimer.singleShot(0, self._reopen_last)

    def _header(self) -> QWidget:
        header = QFrame()
        header.setStyleSheet("QFrame { background: #2E7D4F; } QLabel { color: white; }")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(12, 6, 12, 6)
        self.project_label = QLabel()
        self.project_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout.addWidget(self.project_label, 1)
        layout.addWidget(QLabel("当前轮次："))
        self.round_combo = QComboBox()
        self.round_combo.setMinimumWidth(260)
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.round_combo.currentIndexChanged.connect(self._round_selected)
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
        help_menu.addAction(logs)
        help_menu.addAction(about)

    # ---- pages ---------------------------------------------------------------------------------
    def go(self, page: Page) -> None:
        self.nav.setCurrentRow(self.pages.index(page))

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def _page_selected(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.pages[row].activate()

    def data_changed(self, source: Page) -> None:
        """Ledger data changed (forms issued, files collected, verdicts decided): other pages reload."""
        for page in (self.rounds_page, self.verdicts_page, self.status_page, self.export_page):
            if page is not source:
                page.invalidate()

    def project_settings_changed(self) -> None:
        self._update_project_widgets()
        for page in self.pages[1:]:
            page.invalidate()

    # ---- project -------------------------------------------------------------------------------
    def open_project(self, root: Path) -> bool:
        from ecodesk.project import Project

        project = self.attempt(lambda: Project.open(root))
        if project is None:
            return False
        self.close_project()
        self.project = project
        self._remember(project.root)
        self._update_project_widgets()
        self.refresh_rounds(notify=False)
        for page in self.pages:
            page.invalidate()
        info = project.info()
        self.say(f"已打开项目：{info.county or project.root.name}（{project.root}）")
        if self.current_page() is self.start_page:
            self.go(self.rounds_page)
        return True

    def close_project(self) -> None:
        if self.project is not None:
            self.project.close()
            self.project = None
            self.round_combo.clear()
            self._update_project_widgets()

    def _update_project_widgets(self) -> None:
        if self.project is None:
            self.project_label.setText("未打开项目")
            self.setWindowTitle(TITLE)
        else:
            county = self.project.settings().get("county") or self.project.info().county or "未命名"
            self.project_label.setText(f"{county}　·　{self.project.root}")
            self.setWindowTitle(f"{county} - {TITLE}")
        self.round_combo.setEnabled(self.project is not None)
        for i, page in enumerate(self.pages):
            item = self.nav.item(i)
            if item is None:
                continue
            flags = item.flags()
            enabled = self.project is not None or not page.needs_project
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if enabled else flags & ~Qt.ItemFlag.ItemIsEnabled
            )
            item.setToolTip("" if enabled else "请先新建或打开项目")

    def _reopen_last(self) -> None:
        last = self.settings.value("last_project", "", str)
        if not last or self.project is not None:
            return
        from ecodesk.project import LEDGER_NAME

        if (Path(last) / LEDGER_NAME).is_file():
            self.open_project(Path(last))
        else:
            self.say(f"上次的项目文件夹『{last}』已不存在，请新建项目或打开其他项目")

    def recent_projects(self) -> list[str]:
        value = self.settings.value("recent_projects", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in value or []]

    def _remember(self, root: Path) -> None:
        path = str(root)
        recent = [path] + [p for p in self.recent_projects() if p != path]
        self.settings.setValue("recent_projects", recent[:MAX_RECENT])
        self.settings.setValue("last_project", path)
        self.settings.sync()
        self.start_page.invalidate()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_projects()
        if not recent:
            self.recent_menu.addAction("（没有最近的项目）").setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_project(Path(p)))

    # ---- rounds --------------------------------------------------------------------------------
    def current_round(self) -> str | None:
        return self.round_combo.currentData() if self.project is not None else None

    def set_current_round(self, name: str) -> None:
        index = self.round_combo.findData(name)
        if index >= 0:
            self.round_combo.setCurrentIndex(index)

    def refresh_rounds(self, select: str | None = None, notify: bool = True) -> None:
        """Reload the round list; keep the current round, or select ``select``, or the latest.
        ``notify``: tell the pages when the current round changed."""
        previous = self.current_round()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        rounds = self.project.rounds() if self.project is not None else []
        for r in rounds:
            self.round_combo.addItem(f"{r.name}（截止 {r.deadline}）", r.name)
        wanted = select or previous or (rounds[-1].name if rounds else None)
        self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(wanted)) if rounds else -1)
        self.round_combo.blockSignals(False)
        if notify and (self.current_round() != previous or select):
            self._round_selected()

    def _round_selected(self, *_: object) -> None:
        for page in self.pages[1:]:
            page.invalidate()

    # ---- work and messages ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return any(job.running for job in self.jobs)

    def run_job(
        self,
        call: Callable[..., Any],
        text: str,
        on_done: Callable[[Any], None],
        panel: ProgressPanel | None = None,
        retry: Callable[[], None] | None = None,
        ended: Callable[[], None] | None = None,
    ) -> Job:
        """Run ``call(project, progress, cancel)`` on the open project in a worker thread."""
        assert self.project is not None
        return self.run_work(project_job(self.project.root, call), text, on_done, panel, retry, ended)

    def run_work(
        self,
        work: Work,
        text: str,
        on_done: Callable[[Any], None],
        panel: ProgressPanel | None = None,
        retry: Callable[[], None] | None = None,
        ended: Callable[[], None] | None = None,
    ) -> Job:
        job = Job(work, on_done=on_done, on_error=lambda exc: self.report_error(exc, retry))
        self.jobs.append(job)

        def finished() -> None:
            self.jobs.remove(job)
            if ended is not None:
                ended()

        job.ended.connect(finished)
        if panel is not None:
            panel.attach(job, text)
        self.say(text)
        return job.start()

    def attempt(self, fn: Callable[[], Any]) -> Any:
        """``fn()``'s result, or None after showing the error (make ``fn`` return something)."""
        try:
            return fn()
        except Exception as exc:
            self.report_error(exc)
            return None

    def report_error(self, exc: BaseException, retry: Callable[[], None] | None = None) -> None:
        text, _ = errors.describe(exc)
        self.errors.append(text)
        self.say(text)
        if self.interactive:
            errors.show_error(self, exc, retry)
        else:
            errors.log.warning("%s", text)

    def say(self, text: str) -> None:
        self.messages.append(text)
        self.statusBar().showMessage(text)

    def inform(self, title: str, text: str, details: str = "") -> None:
        if self.interactive:
            errors.inform(self, title, text, details)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        for job in list(self.jobs):
            job.cancel()
        for job in list(self.jobs):
            job.wait(30_000)
        self.close_project()
        super().closeEvent(event)
