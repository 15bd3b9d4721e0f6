"""A long day through the real window, in its own process (run by tests/test_gui_long_session.py):
1,500 returned files dropped on the window, 500 more dropped while the first collect runs, then
the window is closed and the process must exit cleanly — the PySide6 6.12.0 leak aborted such a
session after ~1,000 files (``Fatal Python error: bool_dealloc``) and on exit.

    python -m tests.gui_long_session WORKDIR [FIRST] [SECOND]

Prints one ``key=value`` line per fact it checked; exits 0 when all held.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    work = Path(argv[0])
    first = int(argv[1]) if len(argv) > 1 else 1500
    second = int(argv[2]) if len(argv) > 2 else 500

    from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from ecodesk.demo import department_values, fill_form
    from ecodesk.forms.issue import generate_round
    from ecodesk.project import init_project
    from ui.app import create_app
    from ui.main_window import MainWindow

    app = create_app(["ecodesk-gui"])
    root = work / "项目"
    with init_project(root, county="测试县", region="east") as project:
        project.add_round("2025年第一轮", "2030-06-30")
        forms = generate_round(project, "2025年第一轮").forms
        originals = []
        for f in forms[:3]:  # a few genuinely filled forms of different departments
            out = work / "填好" / Path(f.path).name
            out.parent.mkdir(parents=True, exist_ok=True)
            fill_form(Path(f.path), out, department_values(project, f.department, set()))
            originals.append(out)

    def copies(folder: Path, n: int) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n):
            src = originals[i % len(originals)]
            dst = folder / f"{src.stem}({i + 1}){src.suffix}"
            shutil.copyfile(src, dst)
            paths.append(dst)
        return paths

    batch1, batch2 = copies(work / "邮箱导出1", first), copies(work / "邮箱导出2", second)

    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, reopen_last=False, interactive=False)
    window.show()
    assert window.open_project(root)

    def drop(paths: list[Path]) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        enter = QDragEnterEvent(
            QPoint(300, 300),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, enter)
        event = QDropEvent(
            QPointF(300, 300),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, event)

    def wait_until(check, timeout: float = 300.0) -> bool:
        end = time.monotonic() + timeout
        while not check():
            app.processEvents()
            if time.monotonic() > end:
                return False
            time.sleep(0.005)
        return True

    t0 = time.monotonic()
    drop(batch1)
    print(f"busy_after_first_drop={window.busy}", flush=True)
    page = window.collect_page
    wait_until(lambda: page.progress.bar.value() > 0 or not window.busy, 60)  # the collect is under way
    drop(batch2)
    waiting_rows = sum(1 for r in page.results.rows if r.status == "waiting")
    print(f"queued_batches={len(page.waiting)}", flush=True)
    print(f"waiting_rows={waiting_rows}", flush=True)
    print(f"queue_label={page.queue_label.text()}", flush=True)
    done = wait_until(lambda: not window.busy and not page.waiting)
    print(f"finished={done}", flush=True)
    print(f"seconds={time.monotonic() - t0:.1f}", flush=True)
    statuses: dict[str, int] = {}
    for r in page.results.rows:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(f"rows={len(page.results.rows)}", flush=True)
    print("statuses=" + ",".join(f"{k}:{v}" for k, v in sorted(statuses.items())), flush=True)
    print(f"errors={len(window.errors)}", flush=True)
    window.close()
    print(f"closed={not window.isVisible()}", flush=True)
    app.processEvents()
    app.quit()
    print("exit=clean", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
