"""The application state every page talks to (as vorta's tabs talk to their app, never to the
window): the open project, the current round, background jobs, messages, recent projects.

Pages call its methods and listen to its signals; only :class:`~ui.main_window.MainWindow`
creates it and lays the pages out. An import-linter contract keeps ``ui.pages`` from importing
the window.

Signals
    ``project_changed``  a project was opened or closed, or its settings changed
    ``rounds_changed``   the list of rounds changed (added, renamed, re-dated, closed, deleted)
    ``round_changed``    the current round is another one (its name, or "" for none)
    ``data_changed``     ledger data changed (forms issued, files collected, verdicts decided);
                         carries the page that changed it (it need not reload) or None
    ``busy_changed``     background work started or all of it ended
    ``message``          a sentence for the clerk (the window shows it in its status bar)
    ``navigate``         a page asks to show another page, by its title
    ``recent_changed``   the recent-projects list changed
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QWidget

from . import errors
from .workers import Job, Work, project_job

if TYPE_CHECKING:
    from ecodesk.ledger.store import Round
    from ecodesk.project import Project

    from .widgets import ProgressPanel

MAX_RECENT = 8


class AppState(QObject):
    project_changed = Signal()
    rounds_changed = Signal()
    round_changed = Signal(str)
    data_changed = Signal(object)
    busy_changed = Signal(bool)
    message = Signal(str)
    navigate = Signal(str)
    recent_changed = Signal()

    def __init__(self, settings: QSettings, interactive: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.interactive = interactive  # False in the self-test: errors are recorded, no dialogs
        self.project: Project | None = None
        self.read_only = False
        self.read_only_reason = ""  # why, in Chinese (shown in the banner)
        self.round_name: str | None = None
        self._rounds: list[Round] = []
        self.jobs: list[Job] = []
        self.messages: list[str] = []  # every message shown, newest last
        self.errors: list[str] = []

    # ---- dialogs' parent -----------------------------------------------------------------------
    @staticmethod
    def dialog_parent() -> QWidget | None:
        return QApplication.activeWindow()

    # ---- project -------------------------------------------------------------------------------
    def open_project(self, root: Path, read_only: bool = False) -> bool:
        """Open the project at ``root`` (read-only when asked, when another window or computer has
        it open and the clerk agrees, or when the folder cannot be written). False if not opened."""
        from ecodesk.messages import EcoDeskError
        from ecodesk.project import Project

        root = Path(root)
        reason = ""
        try:
            project = Project.open(root, lock=not read_only, read_only=read_only)
        except EcoDeskError as exc:
            if exc.code == "project.in_use":
                if not self.ask(
                    "项目正在别处使用",
                    f"{exc}\n\n可以以只读方式打开，查看数据，但不能回收、生成或修改。",
                    yes="以只读方式打开",
                    no="取消",
                ):
                    self.say(f"没有打开项目：{exc}")
                    return False
                reason = str(exc)
                project = self.attempt(lambda: Project.open(root, read_only=True))
            elif exc.code == "project.folder_read_only":
                reason = str(exc)
                project = self.attempt(lambda: Project.open(root, read_only=True))
            else:
                self.report_error(exc)
                return False
        except Exception as exc:
            self.report_error(exc)
            return False
        if project is None:
            return False
        self.close_project(notify=False)
        self.project = project
        self.read_only = project.read_only
        self.read_only_reason = reason or (project.read_only_reason if project.read_only else "")
        self._remember(project.root)
        self._load_rounds()
        self.round_name = project.last_round()  # the round used last in this project, else the latest
        self.project_changed.emit()
        self.rounds_changed.emit()
        self.round_changed.emit(self.round_name or "")
        info = project.info()
        where = f"{info.county or project.root.name}（{project.root}）"
        self.say(f"已以只读方式打开项目：{where}" if self.read_only else f"已打开项目：{where}")
        return True

    def close_project(self, notify: bool = True) -> None:
        if self.project is None:
            return
        self.project.close()
        self.project = None
        self.read_only, self.read_only_reason = False, ""
        self._rounds, self.round_name = [], None
        if notify:
            self.project_changed.emit()
            self.rounds_changed.emit()
            self.round_changed.emit("")

    def settings_changed(self) -> None:
        """The project's settings (county, region…) were saved: every page reloads."""
        self.project_changed.emit()

    def writable(self) -> bool:
        """True when the project can be changed; else tells the clerk why not."""
        if self.project is not None and self.read_only:
            self.say(f"项目是以只读方式打开的，不能修改。{self.read_only_reason}")
            return False
        return self.project is not None

    # ---- rounds --------------------------------------------------------------------------------
    def rounds(self) -> list[Round]:
        return list(self._rounds)

    def _load_rounds(self) -> None:
        self._rounds = self.project.rounds() if self.project is not None else []

    def current(self) -> Round | None:
        return next((r for r in self._rounds if r.name == self.round_name), None)

    def refresh_rounds(self, select: str | None = None) -> None:
        """Reload the rounds from the ledger (another window may have added one); keep the current
        round, or select ``select``, or the latest."""
        before = [(r.name, r.deadline, getattr(r, "closed_at", "")) for r in self._rounds]
        self._load_rounds()
        names = [r.name for r in self._rounds]
        wanted = select if select in names else self.round_name if self.round_name in names else None
        wanted = wanted or (names[-1] if names else None)
        changed = before != [(r.name, r.deadline, getattr(r, "closed_at", "")) for r in self._rounds]
        moved = wanted != self.round_name
        self.round_name = wanted  # before any signal: the pages reload the round it names
        if changed:
            self.rounds_changed.emit()
        if moved:
            self._remember_round()
            self.round_changed.emit(wanted or "")

    def set_round(self, name: str | None) -> None:
        if name == self.round_name or (name and name not in [r.name for r in self._rounds]):
            return
        self.round_name = name
        self._remember_round()
        self.round_changed.emit(name or "")

    def _remember_round(self) -> None:
        """The next start (of the app or a command) opens this round again: a ledger setting."""
        if self.project is None or self.read_only or not self.round_name:
            return
        try:
            self.project.remember_round(self.round_name)
        except Exception as exc:  # the ledger is locked or the disk is full: not worth a dialog
            errors.log.warning("could not remember the round: %s", exc)

    # ---- ledger data ---------------------------------------------------------------------------
    def changed(self, source: object = None) -> None:
        self.data_changed.emit(source)

    def show_page(self, title: str) -> None:
        self.navigate.emit(title)

    # ---- recent projects -----------------------------------------------------------------------
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
        self.recent_changed.emit()

    # ---- work ----------------------------------------------------------------------------------
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
        work = project_job(self.project.root, call, read_only=self.read_only)
        return self.run_work(work, text, on_done, panel, retry, ended)

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
        was_busy = self.busy
        self.jobs.append(job)

        def finished() -> None:
            self.jobs.remove(job)
            if ended is not None:
                ended()
            if not self.busy:
                self.busy_changed.emit(False)

        job.ended.connect(finished)
        if panel is not None:
            panel.attach(job, text)
        self.say(text)
        job.start()
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel()

    def wait_all(self, ms: int = 60_000) -> None:
        for job in list(self.jobs):
            job.wait(ms)

    # ---- messages ------------------------------------------------------------------------------
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
            errors.show_error(self.dialog_parent(), exc, retry)
        else:
            errors.log.warning("%s", text)

    def say(self, text: str) -> None:
        self.messages.append(text)
        self.message.emit(text)

    def inform(self, title: str, text: str, details: str = "") -> None:
        if self.interactive:
            errors.inform(self.dialog_parent(), title, text, details)

    def ask(self, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
        """A yes/no question; without a clerk (self-test) the answer is no."""
        if not self.interactive:
            return False
        return errors.ask(self.dialog_parent(), title, text, yes, no)
