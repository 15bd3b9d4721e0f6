"""``ecodesk-gui --selftest``: open the window and run the demo cycle in a temporary folder through
the pages' own actions, one printed line per step; exit 0 when every step passed, 1 otherwise.

Runs in CI and inside the PyInstaller bundle, so it needs nothing from tests/. Settings go to a
temporary file, so the clerk's recent-project list is not touched.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ecodesk import __version__


def _out(line: str) -> None:
    """Print a line; a windowed build has no console, so the line also goes to the log."""
    from .errors import log

    log.info("自检：%s", line)
    if sys.stdout is not None:
        print(line, flush=True)


def run_selftest() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .demo import CycleError, cycle_steps, wait_idle
    from .main_window import MainWindow

    _out(f"EcoDesk {__version__} 自检开始")
    with tempfile.TemporaryDirectory(prefix="ecodesk-selftest-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, reopen_last=False, interactive=False)
        window.show()
        QApplication.processEvents()
        _out(f"[通过] 打开窗口（{time.perf_counter() - t0:.2f} 秒）")
        failed = False
        for name, step in cycle_steps(window, folder):
            t = time.perf_counter()
            try:
                detail = step()
            except CycleError as exc:
                _out(f"[失败] {name}：{exc}")
                failed = True
                break
            except Exception:
                _out(f"[失败] {name}：程序出错\n{traceback.format_exc()}")
                failed = True
                break
            _out(f"[通过] {name}：{detail}（{time.perf_counter() - t:.2f} 秒）")
        with contextlib.suppress(CycleError):  # a step that failed may leave a job running
            wait_idle(window, timeout=30)
        window.close()
        QApplication.processEvents()
    _out("自检失败" if failed else f"自检通过（共 {time.perf_counter() - t0:.1f} 秒）")
    return 1 if failed else 0
