"""Run a core call off the UI thread, with progress and a cancel flag.

The project's SQLite connection belongs to the thread that opened it, so a job never touches the
window's :class:`~ecodesk.project.Project`: :func:`project_job` opens the same folder again in the
worker thread and closes it when done.

A :class:`Job` lives on the UI thread; its :class:`_Thread` emits signals that Qt queues to the
job's own slots, so every callback (progress, done, failed) runs on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
Work = Callable[[Progress, Cancel], Any]


class _Thread(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except BaseException as exc:  # every failure reaches the UI as data, never kills the thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class Job(QObject):
    """One background call. Callbacks run on the UI thread after the thread has finished."""

    progressed = Signal(int, int, str)
    ended = Signal()

    def __init__(
        self,
        work: Work,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._on_done, self._on_error = on_done, on_error
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = _Thread(work, self._cancel)
        self._thread.progressed.connect(self._progress)
        self._thread.succeeded.connect(self._succeeded)
        self._thread.failed.connect(self._failed)
        self._thread.finished.connect(self._finished)
        self.running = False

    def start(self) -> Job:
        self.running = True
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread.wait(ms)

    # ---- slots (UI thread) ---------------------------------------------------------------------
    def _progress(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    def _succeeded(self, result: Any) -> None:
        self._result = result

    def _failed(self, exc: BaseException) -> None:
        self._error = exc

    def _finished(self) -> None:
        self._thread.wait()  # run() has returned; let the thread end before anything can delete it
        self.running = False
        try:
            if self._error is not None:
                if self._on_error is not None:
                    self._on_error(self._error)
            elif self._on_done is not None:
                self._on_done(self._result)
        finally:
            self.ended.emit()


def project_job(
    root: Path, call: Callable[[Any, Progress, Cancel], Any], read_only: bool = False
) -> Work:
    """Work that opens the project at ``root`` in the worker thread, runs ``call(project, progress,
    cancel)`` and closes it. The window holds the project's lock, so the worker does not take it."""

    def work(progress: Progress, cancel: Cancel) -> Any:
        from ecodesk.project import Project

        with Project.open(root, read_only=read_only) as project:
            return call(project, progress, cancel)

    return work
