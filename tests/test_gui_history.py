"""The 历年趋势 page: a project with three rounds (two years and a half-year), opened in the real
window; the clerk picks an indicator and sees its series, verdicts and sources, the chart, and
exports the history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import Project
from ecodesk.verdicts import override_verdict
from ui.main_window import MainWindow

from .filling import fill

ROUNDS = [
    ("2024年度", "2025-01-31", 30.0),
    ("2025年上半年", "2025-07-15", 29.0),
    ("2025年度", "2026-01-31", 28.5),
]
PM = "PM2.5浓度"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    from ecodesk.catalogue.builtin import load_builtin

    root = tmp_path / "项目"
    with Project.create(root, load_builtin(), region="east") as p:
        for n, (name, deadline, pm) in enumerate(ROUNDS):
            p.add_round(name, deadline)
            form = Path(generate_round(p, name, ["生态环境分局"]).forms[0].path)
            saved = dt.datetime.combine(dt.date.fromisoformat(deadline), dt.time(9)) - dt.timedelta(days=3)
            env = {PM: {"current": pm, "assigned": 35}, "突发环境事件应急管理机制": {"current": "已建立"}}
            collect(p, name, [fill(form, tmp_path / f"{n}.xlsx", env, saved_at=saved)])
        key = next(i.key for i in p.catalogue().indicators if i.name == PM)
        override_verdict(p, "2025年上半年", key, "达标", "按省通报认定")
    return root


def test_history_page_shows_an_indicators_path(
    qtbot: Any, tmp_path: Path, project_dir: Path, monkeypatch
) -> None:
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), reopen_last=False)
    qtbot.addWidget(w)
    w.show()
    assert w.open_project(project_dir)
    page = w.history_page
    w.go(page)
    qtbot.waitUntil(lambda: page.history is not None, timeout=30_000)
    assert "共 3 期：2024年度、2025年上半年、2025年度" in page.summary.text()
    page.indicator.setCurrentIndex(
        next(i for i in range(page.indicator.count()) if PM in page.indicator.itemText(i))
    )
    model = page.series
    col = {c.header: n for n, c in enumerate(model.columns)}
    rows = [[model.text(r, c) for c in range(len(model.columns))] for r in range(len(model.rows))]
    assert [r[col["期别"]] for r in rows] == [n for n, _, _ in ROUNDS]
    assert [r[col["全县数值"]] for r in rows] == ["30", "29", "28.5"]
    assert rows[1][col["达标情况"]] == "达标" and rows[1][col["人工判定"]] == "按省通报认定"
    assert all(r[col["来源"]].startswith("生态环境分局，") and "指标填报!" in r[col["来源"]] for r in rows)
    assert page.chart.numbers() == [30.0, 29.0, 28.5]
    assert page.chart.title.startswith("4 PM2.5浓度")
    page.chart.grab().save(str(tmp_path / "chart.png"))  # paints without error

    # a status indicator has no numbers: the chart says so, the table still lists each period
    page.indicator.setCurrentIndex(
        next(
            i
            for i in range(page.indicator.count())
            if "突发环境事件应急管理机制" in page.indicator.itemText(i)
        )
    )
    assert page.chart.numbers() == [] and "无数值" in page.chart.empty_text
    assert [model.text(r, col["全县数值"]) for r in range(len(model.rows))] == ["已建立"] * 3

    # 报送情况 shows each department's record over the rounds so far
    w.go(w.status_page)
    status = w.status_page.statuses
    c = [col.header for col in status.columns].index("历次报送")
    d = [col.header for col in status.columns].index("部门")
    by_dept = {status.text(r, d): status.text(r, c) for r in range(len(status.rows))}
    assert by_dept["生态环境分局"] == "按时 3"

    w.go(page)  # reloads: the export button waits for it
    assert not page.export_button.isEnabled() or not page.busy
    qtbot.waitUntil(lambda: not w.busy, timeout=30_000)
    out = tmp_path / "导出" / "历年.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.export_button.click()
    qtbot.waitUntil(lambda: not w.busy, timeout=30_000)
    assert out.is_file()
    assert openpyxl.load_workbook(out).sheetnames[0] == "指标历年值"
