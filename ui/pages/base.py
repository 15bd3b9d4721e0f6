"""What every page shares: a link to the window (project, current round, jobs, messages) and a
refresh that runs only when the page is shown and its data is out of date."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ecodesk.project import Project

    from ..main_window import MainWindow
    from ..widgets import ProgressPanel
    from ..workers import Cancel, Job, Progress


class Page(QWidget):
    title: ClassVar[str] = ""
    needs_project: ClassVar[bool] = True

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.job: Job | None = None
        self._stale = True
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(self.title)
        heading.setStyleSheet("font-size: 16pt; font-weight: bold; margin-bottom: 4px;")
        self.layout_.addWidget(heading)

    # ---- shared state --------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self.main.project

    @property
    def round_name(self) -> str | None:
        return self.main.current_round()

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    # ---- refresh when shown --------------------------------------------------------------------
    def invalidate(self) -> None:
        """The project or round changed: refresh now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.activate()

    def activate(self) -> None:
        if not self._stale or (self.needs_project and self.project is None):
            return
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        """Reload what the page shows from the project."""

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
            self.main.say("上一个操作还在进行，请等它完成或点击“取消”")
            return None
        self.job = self.main.run_job(
            call, text=text, on_done=on_done, panel=panel, retry=retry, ended=self._job_ended
        )
        self.set_busy(True)
        return self.job

    def _job_ended(self) -> None:
        self.set_busy(self.busy)  # a retry may already have started the next job

    def set_busy(self, busy: bool) -> None:
        """Enable or disable the page's action buttons while its job runs."""

    def need_round(self) -> str | None:
        """The current round, or None after telling the clerk to choose one."""
        name = self.round_name
        if not name:
            self.main.say("请先在“调度轮次”页添加一个轮次，再在窗口上方选择它")
        return name
