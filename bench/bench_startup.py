"""Start to an interactive window (target < 1.5 s): the whole process — interpreter, Qt, the
window shown and the event loop idle — timed from outside, median of several runs, against a bare
``import PySide6.QtWidgets`` + empty window as the floor.

    .venv/bin/python bench/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

APP = """
import sys
from PySide6.QtCore import QSettings, QTimer
from ui.app import create_app
app = create_app(['ecodesk-gui'])
from ui.main_window import MainWindow
w = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat), reopen_last=False)
w.show()
QTimer.singleShot(0, app.quit)  # fires once the event loop is idle: the window is interactive
app.exec()
heavy = [m for m in ('openpyxl', 'xlsxwriter', 'python_calamine') if m in sys.modules]
print('heavy=' + ','.join(heavy))
"""

FLOOR = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(code: str, args: list[str], env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    return time.perf_counter() - t, out.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_DATA_HOME"] = tmp
        timed(APP, [f"{tmp}/s.ini"], env)  # warm the file cache once
        app = [timed(APP, [f"{tmp}/s.ini"], env) for _ in range(runs)]
        floor = [timed(FLOOR, [], env)[0] for _ in range(runs)]
    a, f = statistics.median(t for t, _ in app), statistics.median(floor)
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}"
    )
    print(
        f"EcoDesk window interactive : {a:.3f} s (median of {runs}; target < 1.5 s) "
        f"{'OK' if a < 1.5 else 'MISSED'}"
    )
    print(f"bare Qt window (floor)     : {f:.3f} s")
    print(f"ratio to floor             : {a / f:.2f}×")
    print(f"heavy modules at start     : {app[-1][1].removeprefix('heavy=') or 'none'}")


if __name__ == "__main__":
    main()
