"""A small demo cycle driven through the window's own page actions: new project → round →
generate → two departments fill their forms (openpyxl) → collect → judge → 报送情况 → report.

Used by ``ecodesk-gui --selftest`` and ``python -m ui.screenshot``; needs nothing from tests/.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .main_window import MainWindow

DEMO_COUNTY = "示例县"
DEMO_ROUND = "2025年第一轮"
#: two weeks ahead: the sample cycle runs before its deadline, as a clerk's does
DEMO_DEADLINE = (dt.date.today() + dt.timedelta(days=14)).isoformat()
#: the two departments that report in the short cycle (first two with indicators if absent)
DEMO_DEPARTMENTS = ("组织部", "审计局")


class CycleError(RuntimeError):
    """A step of the cycle did not do what it should; the message says which and why."""


def fill_returns(project: Any, forms: dict[str, Path], out: Path, full: bool = False) -> list[str]:
    """Departments fill their forms (the core's sample scenario); return who reported. Short
    cycle: two departments, the first one's first indicator failing; full: the whole scenario."""
    from ecodesk.demo import simulate_returns

    if full:
        return simulate_returns(project, forms, out)
    inds_of, _tasks = project.catalogue().by_department()
    with_indicators = [d for d in forms if inds_of.get(d)]
    chosen = [d for d in DEMO_DEPARTMENTS if d in with_indicators] or with_indicators[:2]
    return simulate_returns(project, forms, out, chosen)


def wait_idle(window: MainWindow, timeout: float = 180.0) -> None:
    """Process events until the window's background jobs have finished."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    end = time.monotonic() + timeout
    while True:
        app.processEvents()  # type: ignore[union-attr]
        if not window.busy:
            app.processEvents()  # type: ignore[union-attr]
            return
        if time.monotonic() > end:
            raise CycleError(f"等待超过 {timeout:.0f} 秒仍未完成")
        time.sleep(0.01)


Step = tuple[str, Callable[[], str]]


def cycle_steps(window: MainWindow, folder: Path, full: bool = False) -> list[Step]:
    """The steps of the cycle; each returns a one-line result or raises :class:`CycleError`.
    ``full``: most departments report (for screenshots), else two."""
    state: dict[str, Any] = {}

    def check_errors(before: int) -> None:
        if len(window.errors) > before:
            raise CycleError(window.errors[-1])

    def new_project() -> str:
        before = len(window.errors)
        page = window.start_page
        page.county.setText(DEMO_COUNTY)
        page.region.setCurrentIndex(page.region.findData("east"))
        page.create_project(folder / "项目")
        wait_idle(window)
        check_errors(before)
        if window.project is None:
            raise CycleError("项目没有打开")
        cat = window.project.catalogue()
        return f"{DEMO_COUNTY}，指标 {len(cat.indicators)} 行，重点任务 {len(cat.tasks)} 项，部门 {len(cat.departments)} 个"

    def add_round() -> str:
        before = len(window.errors)
        window.go(window.rounds_page)
        window.rounds_page.add_round(DEMO_ROUND, DEMO_DEADLINE)
        check_errors(before)
        if window.current_round() != DEMO_ROUND:
            raise CycleError(f"当前轮次是 {window.current_round()}，应为 {DEMO_ROUND}")
        return f"{DEMO_ROUND}，截止 {DEMO_DEADLINE}"

    def generate() -> str:
        before = len(window.errors)
        window.rounds_page.generate()
        wait_idle(window)
        check_errors(before)
        forms = [r for r in window.rounds_page.forms.rows if r["path"]]
        if not forms or not all(Path(r["path"]).is_file() for r in forms):
            raise CycleError("没有生成填报表文件")
        state["forms"] = {r["department"]: Path(r["path"]) for r in forms}
        return f"{len(forms)} 份填报表"

    def fill() -> str:
        assert window.project is not None
        chosen = fill_returns(window.project, state["forms"], folder / "报回", full)
        state["returned"], state["reported"] = folder / "报回", chosen
        return "、".join(chosen) if len(chosen) <= 3 else f"{len(chosen)} 个部门"

    def collect() -> str:
        before = len(window.errors)
        window.go(window.collect_page)
        window.collect_page.collect_paths([state["returned"]])
        wait_idle(window)
        check_errors(before)
        rows = window.collect_page.results.rows
        accepted = [r for r in rows if r.status == "accepted"]
        if {r.department for r in accepted} != set(state["reported"]):
            raise CycleError("应接收 2 个文件，实际：" + "；".join(f"{r.path}：{r.message}" for r in rows))
        return (
            f"已接收 {len(accepted)} 个文件（"
            + "、".join(r.department for r in accepted[:3])
            + ("等）" if len(accepted) > 3 else "）")
        )

    def judge() -> str:
        before = len(window.errors)
        window.go(window.verdicts_page)
        wait_idle(window)
        check_errors(before)
        result = window.verdicts_page.result
        if result is None or not result.verdicts:
            raise CycleError("没有校验结果")
        counts = result.counts()
        if not counts.get("未达标"):
            raise CycleError("填写的不达标数值没有判为未达标")
        return "，".join(f"{k} {n}" for k, n in counts.items() if n)

    def status() -> str:
        before = len(window.errors)
        window.go(window.status_page)
        wait_idle(window)
        check_errors(before)
        rows = window.status_page.statuses.rows
        reported = sum(1 for s in rows if s.reported)
        if reported != len(state["reported"]) or not window.status_page.reminder.toPlainText():
            raise CycleError(f"报送情况不对：已报送 {reported} 个部门")
        return f"已报送 {reported}/{len(rows)} 个部门，催报通知 {len(window.status_page.reminder.toPlainText())} 字"

    def report() -> str:
        page = window.export_page
        window.go(page)
        before = len(window.errors)
        page.write_report()
        wait_idle(window)
        check_errors(before)
        if not page.report_path or not Path(page.report_path).is_file():
            raise CycleError("没有生成汇总表")
        return Path(page.report_path).name

    return [
        ("新建项目", new_project),
        ("添加轮次", add_round),
        ("生成填报表", generate),
        ("填写两份填报表" if not full else "模拟各部门填报", fill),
        ("回收", collect),
        ("校验", judge),
        ("报送情况", status),
        ("生成汇总表", report),
    ]
