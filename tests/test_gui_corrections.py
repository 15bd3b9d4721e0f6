"""The clerk's corrections on the 回收 page: 指定部门…, 确认无误…, 撤回…, 改用此文件…, each asking
for a note, and all of it still there after a restart. Offscreen, through the real window."""

# ruff: noqa: F811 - the fixtures of tests/test_gui.py are imported and then used by name
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog

from ecodesk.demo import set_saved_time
from ecodesk.messages import msg
from ecodesk.project import Project
from tests.test_attribution import _bare
from tests.test_gui import (  # noqa: F401 - fixtures used by name
    Boxes,
    _test_paths,
    add_round,
    boxes,
    cells,
    column,
    create_project,
    drop,
    generate,
    opened,
    results,
    settings,
    wait,
    window,
)
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _row(page: Any, name: str) -> int:
    return column(page.results, "文件").index(name)


def _click(qtbot: Any, page: Any, name: str, button: Any) -> None:
    page.view.selectRow(_row(page, name))
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_assign_confirm_withdraw_reinstate_in_the_app_survive_a_restart(
    qtbot: Any, window: MainWindow, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    root = tmp_path / "项目"
    create_project(qtbot, w, root, monkeypatch)
    add_round(qtbot, w)
    forms = generate(qtbot, w)
    inbox = tmp_path / "报回"
    inbox.mkdir()
    nameless = _bare(forms["组织部"], inbox / "报表.xlsx", 15, title=False)
    w.go(w.collect_page)
    page = w.collect_page
    drop(w, [nameless])
    wait(qtbot, w)
    assert cells(page.results, _row(page, nameless.name))[1] == "非填报表"

    notes = iter(["电话确认为组织部", "已逐项核对", "误收了另存的表", "以指定的表为准"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(notes), True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("组织部", True))
    _click(qtbot, page, nameless.name, page.assign_button)
    row = results(page.results, _row(page, nameless.name))
    assert row[1:3] == ["已接收", "组织部"] and row[3].startswith("已按您的指定记为组织部的报送")

    saved_as = _bare(forms["组织部"], inbox / "另存为.xlsx", 16)  # title kept: matched by name
    # saved after the first (two files saved in the same second are a tie the clerk decides)
    set_saved_time(saved_as, dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5))
    drop(w, [saved_as])
    wait(qtbot, w)
    assert page.selected().needs_confirmation
    _click(qtbot, page, saved_as.name, page.confirm_button)
    assert results(page.results, _row(page, saved_as.name))[3] == msg("accepted.confirmed", department="组织部")
    _click(qtbot, page, saved_as.name, page.withdraw_button)
    assert results(page.results, _row(page, saved_as.name))[1] == "已撤回"
    _click(qtbot, page, nameless.name, page.adopt_button)
    assert results(page.results, _row(page, nameless.name))[1:] == [
        "已接收",
        "组织部",
        msg("accepted.reinstated", department="组织部"),
    ]
    before = [cells(page.results, i) for i in range(len(page.results.rows))]
    w.close()

    w2 = MainWindow(settings=settings)
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitUntil(lambda: w2.project is not None)
    w2.go(w2.collect_page)
    page2 = w2.collect_page
    assert [cells(page2.results, i) for i in range(len(page2.results.rows))] == before
    w2.close()
    with Project.open(root) as p:
        done = [
            (e["action"], e["detail"]["note"])
            for e in p.ledger.audit_events()
            if e["action"].startswith("correct.")
        ]
    assert done == [
        ("correct.assign", "电话确认为组织部"),
        ("correct.confirm", "已逐项核对"),
        ("correct.withdraw", "误收了另存的表"),
        ("correct.reinstate", "以指定的表为准"),
    ]


def test_a_note_is_required(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    create_project(qtbot, w, tmp_path / "项目", monkeypatch)
    add_round(qtbot, w)
    forms = generate(qtbot, w)
    f = _bare(forms["组织部"], tmp_path / "报表.xlsx", 15, title=False)
    w.go(w.collect_page)
    page = w.collect_page
    drop(w, [f])
    wait(qtbot, w)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("组织部", True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  ", True))
    _click(qtbot, page, f.name, page.assign_button)
    assert cells(page.results, _row(page, f.name))[1] == "非填报表"
