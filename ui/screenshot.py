"""Save a PNG of the window on each page with a demo project — the pictures of the user guide
(ui/help/img) and a way to look at the layout:

    QT_QPA_PLATFORM=offscreen python -m ui.screenshot OUTDIR

The demo runs through the pages' own actions (see :mod:`ui.demo`), with most departments
reporting, before the round's deadline. The window has its default size (it fits a 1366×768
screen). Exits 1, with the reason on stderr, when a step fails; never waits for a dialog.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

#: the pictures, in the order they are taken (the guide refers to them by these names)
SHOTS = (
    "开始_无项目",
    "开始",
    "指标与部门",
    "指标与部门_部门",
    "指标与部门_任务",
    "调度轮次",
    "回收",
    "校验",
    "校验_任务",
    "报送情况",
    "佐证材料",
    "历年趋势",
    "导出",
    "改判对话框",
    "错误对话框",
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("用法：python -m ui.screenshot 输出文件夹", file=sys.stderr)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        saved = _shoot(out)
    except Exception as exc:  # a failed step: say which, exit 1 (never a dialog nobody can close)
        print(f"截图失败：{exc}\n{traceback.format_exc()}", file=sys.stderr)
        return 1
    for path in saved:
        print(path)
    return 0


def _shoot(out: Path) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .app import create_app
    from .demo import CycleError, cycle_steps, wait_idle
    from .dialogs import OverrideDialog
    from .errors import ErrorDialog, report_text
    from .main_window import DEFAULT_SIZE, MainWindow

    create_app(["ecodesk-gui"])
    saved: list[Path] = []

    def grab(widget: object, name: str) -> None:
        assert name in SHOTS, name
        QApplication.processEvents()
        path = out / f"{name}.png"
        if not widget.grab().save(str(path)):  # type: ignore[attr-defined]
            raise CycleError(f"无法保存截图『{path}』")
        saved.append(path)

    with tempfile.TemporaryDirectory(prefix="ecodesk-shots-") as tmp:
        folder = Path(tmp)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, reopen_last=False, interactive=False)
        window.resize(DEFAULT_SIZE)  # as on a 1366×768 laptop (the offscreen screen is smaller)
        window.show()
        grab(window, "开始_无项目")
        for name, step in cycle_steps(window, folder, full=True):
            print(f"{name}：{step()}")
        wait_idle(window)
        if window.errors:
            raise CycleError(window.errors[-1])

        window.go(window.start_page)
        grab(window, "开始")
        window.go(window.catalogue_page)
        wait_idle(window)
        window.catalogue_page.indicator_view.selectRow(6)
        grab(window, "指标与部门")
        window.catalogue_page.tabs.setCurrentIndex(1)
        window.catalogue_page.department_view.selectRow(0)
        grab(window, "指标与部门_部门")
        window.catalogue_page.tabs.setCurrentIndex(2)
        window.catalogue_page.task_view.selectRow(0)  # task 1: its 具体要求 still holds "(略)"
        grab(window, "指标与部门_任务")
        window.catalogue_page.tabs.setCurrentIndex(0)
        window.go(window.rounds_page)
        wait_idle(window)
        grab(window, "调度轮次")
        window.go(window.collect_page)
        rows = window.collect_page.results.rows
        window.collect_page.view.selectRow(next((i for i, r in enumerate(rows) if r.problems), 0))
        grab(window, "回收")
        window.go(window.verdicts_page)
        wait_idle(window)
        page = window.verdicts_page
        page.view.selectRow(next((i for i, v in enumerate(page.verdicts.rows) if v.verdict == "未达标"), 0))
        grab(window, "校验")
        page.tabs.setCurrentIndex(1)
        grab(window, "校验_任务")
        page.tabs.setCurrentIndex(0)
        window.go(window.status_page)
        wait_idle(window)
        grab(window, "报送情况")
        window.go(window.evidence_page)
        wait_idle(window)
        grab(window, "佐证材料")
        _earlier_round(window.project, folder)  # a second period, so the history has a path to show
        window.go(window.history_page)
        wait_idle(window)
        history = window.history_page
        at = next(
            (i for i in range(history.indicator.count()) if "PM2.5" in history.indicator.itemText(i)), 0
        )
        history.indicator.setCurrentIndex(at)
        grab(window, "历年趋势")
        window.go(window.export_page)
        window.export_page.write_revisions()
        wait_idle(window)
        grab(window, "导出")

        v = page.verdicts.rows[0]
        dialog = OverrideDialog(v.name, v.computed, v.verdict, window)
        dialog.show()
        grab(dialog, "改判对话框")
        dialog.close()
        try:
            raise RuntimeError("示例：截图用的错误")
        except RuntimeError as exc:
            error = ErrorDialog(report_text(type(exc), exc, exc.__traceback__), window)
        error.show()
        grab(error, "错误对话框")
        error.close()
        window.close()
        if window.errors:
            raise CycleError(window.errors[-1])
    return saved


def _earlier_round(project: object, folder: Path) -> None:
    """The year before the demo round (2024年度): every department but the demo's missing ones
    reports, with a different value of PM2.5, through the core (forms, returns, collect)."""
    import datetime as dt

    from ecodesk.demo import MISSING, simulate_returns
    from ecodesk.forms.issue import generate_round
    from ecodesk.intake.collect import collect

    name = "2024年度"
    project.add_round(name, (dt.date.today() - dt.timedelta(days=300)).isoformat())  # type: ignore[attr-defined]
    forms = {f.department: Path(f.path) for f in generate_round(project, name).forms}  # type: ignore[arg-type]
    returns = folder / "往年回收"
    simulate_returns(project, forms, returns, [d for d in forms if d not in MISSING])  # type: ignore[arg-type]
    collect(project, name, [returns])  # type: ignore[arg-type]


if __name__ == "__main__":
    raise SystemExit(main())
