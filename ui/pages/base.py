"""What every page shares: the application state (project, current round, jobs, messages), a
next-step line at the top, and a reload from the ledger each time the page is shown.

A page never talks to the main window: it calls :class:`~ui.state.AppState` and listens to its
signals (an import-linter contract forbids ``ui.pages`` from importing ``ui.main_window``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ecodesk.project import Project

    from ..state import AppState
    from ..widgets import ProgressPanel
    from ..workers import Cancel, Job, Progress


class Page(QWidget):
    title: ClassVar[str] = ""
    needs_project: ClassVar[bool] = True

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.job: Job | None = None
        self._stale = True
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 6, 10, 6)
        self.layout_.setSpacing(6)
        top = QHBoxLayout()
        heading = QLabel(self.title)
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        top.addWidget(heading)
        #: what to do next on this page (rewritten by each page's refresh and after each action)
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.guide.setStyleSheet("color: #1F5A36; padding-left: 12px;")
        top.addWidget(self.guide, 1)
        self.layout_.addLayout(top)
        state.project_changed.connect(self.invalidate)
        state.round_changed.connect(lambda _name: self.invalidate())
        state.rounds_changed.connect(self.invalidate)
        state.data_changed.connect(self._data_changed)

    # ---- shared state --------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self.state.project

    @property
    def round_name(self) -> str | None:
        return self.state.round_name if self.state.project is not None else None

    @property
    def read_only(self) -> bool:
        return self.state.read_only

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def say(self, text: str) -> None:
        """A message for the clerk (status bar)."""
        self.state.say(text)

    def set_guide(self, text: str) -> None:
        """The next step, on this page."""
        self.guide.setText(f"下一步：{text}" if text else "")

    # ---- refresh when shown --------------------------------------------------------------------
    def _data_changed(self, source: object) -> None:
        if source is not self:
            self.invalidate()

    def invalidate(self) -> None:
        """The project, round or data changed: reload now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.activate()

    def activate(self, force: bool = False) -> None:
        """Reload from the ledger (``force``: even when nothing is known to have changed — the
        page was just opened, and another window may have changed the project)."""
        if not (self._stale or force) or (self.needs_project and self.project is None):
            if self.needs_project and self.project is None:
                self.set_guide("在“开始”页新建项目，或打开已有的项目文件夹")
            return
        if self.busy:
            return  # the running job's result refreshes the page
        self._stale = False
        self.refresh()
        self.update_actions()

    def refresh(self) -> None:
        """Reload what the page shows from the project."""

    def update_actions(self) -> None:
        """Enable the page's buttons for the current state (busy, read-only, round)."""

    # ---- work ----------------------------------------------------------------------------------
    def run(
        self,
        call: Callable[[Project, Progress, Cancel], Any],
        text: str,
        on_done: Callable[[Any], None],
        panel: ProgressPanel | None = None,
        retry: Callable[[], None] | None = None,
    ) -> Job | None:
        """Run ``call(project, progress, cancel)`` in a worker thread on this page's project."""
        if self.busy:
            self.say("上一个操作还在进行，请等它完成或点击“取消”")
            return None
        self.job = self.state.run_job(
            call, text=text, on_done=on_done, panel=panel, retry=retry, ended=self._job_ended
        )
        self.set_busy(True)
        return self.job

    def _job_ended(self) -> None:
        self.set_busy(self.busy)  # a retry may already have started the next job

    def set_busy(self, busy: bool) -> None:
        """Enable or disable the page's action buttons while its job runs."""
        self.update_actions()

    def need_round(self) -> str | None:
        """The current round, or None after telling the clerk to choose one."""
        name = self.round_name
        if not name:
            self.say("请先在“调度轮次”页添加一个轮次，再在窗口上方选择它")
        return name

    def need_writable_round(self) -> str | None:
        """The current round when it may be changed (project writable, round open), else None
        after saying why."""
        name = self.need_round()
        if not name or not self.state.writable():
            return None
        rnd = self.state.current()
        if rnd is not None and getattr(rnd, "closed_at", ""):
            self.say(f"轮次『{name}』已结束，不能再回收或生成。如需继续，请在“调度轮次”页点击“重新开启”")
            return None
        return name
