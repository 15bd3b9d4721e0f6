# ruff: noqa: F811 - the fixtures of tests/test_gui.py are imported and then used by name
"""The window on a 1366×768 laptop, next-step guidance on each page, the round's desk on 开始,
the user guide behind 帮助, and the screenshot tool that makes the guide's pictures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from tests.filling import fill
from tests.test_gui import (  # noqa: F401 - fixtures used by name
    RATIO,
    SYSTEM,
    Boxes,
    _test_paths,
    add_round,
    boxes,
    column,
    create_project,
    drop,
    generate,
    opened,
    settings,
    status_bar,
    wait,
    window,
)
from ui.guide import GuideDialog
from ui.main_window import DEFAULT_SIZE, MainWindow
from ui.paths import GUIDE_PAGES, guide_dir
from ui.screenshot import SHOTS

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parent.parent
TASKBAR, TITLE_BAR = 40, 32


def test_window_fits_a_laptop_and_remembers_its_size(
    qtbot: Any, window: MainWindow, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert DEFAULT_SIZE.width() <= 1366 - 16 and DEFAULT_SIZE.height() <= 768 - TASKBAR - TITLE_BAR
    create_project(qtbot, window, tmp_path / "项目", monkeypatch)
    add_round(qtbot, window)
    window.resize(DEFAULT_SIZE)
    for page in window.pages:  # no page forces the window past the laptop's screen
        window.go(page)
        wait(qtbot, window)
        hint = window.minimumSizeHint()
        assert hint.width() <= DEFAULT_SIZE.width() and hint.height() <= DEFAULT_SIZE.height(), page.title
    window.go(window.collect_page)
    qtbot.waitUntil(lambda: window.collect_page.view.viewport().height() > 0)
    rows = window.collect_page.view.viewport().height() // 26
    assert rows >= 12  # the table gets the space
    window.resize(QSize(900, 720))  # within the offscreen screen (800×800; the width is the minimum)
    window.close()
    again = MainWindow(settings=settings, reopen_last=False)
    qtbot.addWidget(again)
    assert again.size() == QSize(900, 720)


def test_each_page_says_what_to_do_next_and_the_desk_leads_there(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    create_project(qtbot, w, tmp_path / "项目", monkeypatch)
    w.go(w.start_page)
    sp = w.start_page
    assert sp.desk_box.isVisible() and sp.desk_title.text() == "还没有调度轮次"
    assert sp.next_label.text() == "下一步：添加本轮调度轮次，填写截止日期"
    w.go(w.collect_page)
    assert status_bar(w) == ""  # messages do not linger on another page
    w.go(w.start_page)
    qtbot.mouseClick(sp.next_button, Qt.MouseButton.LeftButton)
    assert w.current_page() is w.rounds_page
    assert w.rounds_page.guide.text() == "下一步：在下方填写轮次名称和截止日期，点击“添加轮次”"
    add_round(qtbot, w)
    assert w.rounds_page.guide.text() == "下一步：点击“生成本轮填报表”"
    forms = generate(qtbot, w)
    w.go(w.start_page)
    assert (
        sp.desk_title.text().startswith("『2025年第一轮』　截止 ")
        and "距截止日期还有 30 天" in sp.desk_title.text()
    )
    assert sp.tiles["issued"].text() == f"已下发\n{len(forms)} / {len(forms)} 个部门"
    assert sp.tiles["returned"].text() == "已报回\n0 个部门"
    assert sp.tiles["missing"].text() == f"待报\n{len(forms)} 个部门"
    assert sp.next_button.text() == "去回收"
    returned = tmp_path / "报回"
    returned.mkdir()
    fill(
        forms["组织部"],
        returned / forms["组织部"].name,
        {RATIO: {"current": "十五"}, SYSTEM: {"current": "已建立"}},
        {},
    )
    drop(w, [returned])
    wait(qtbot, w)
    w.go(w.start_page)
    assert sp.tiles["returned"].text() == "已报回\n1 个部门"
    assert sp.tiles["problems"].text() == "有问题\n1 个部门" and sp.tiles["problems"].toolTip() == "组织部"
    assert sp.next_button.text() == "去看问题"
    qtbot.mouseClick(sp.next_button, Qt.MouseButton.LeftButton)  # where the problems are listed
    assert w.current_page() is w.export_page
    assert column(w.export_page.revisions, "部门") == ["组织部"]
    assert column(w.export_page.revisions, "说明")[0].startswith("待生成：点击“生成退回修改稿”")
    w.go(w.start_page)
    qtbot.mouseClick(sp.tiles["missing"], Qt.MouseButton.LeftButton)
    assert w.current_page() is w.status_page
    for page in w.pages:
        w.go(page)
        wait(qtbot, w)
        assert page.guide.text().startswith("下一步："), page.title


def guide_pages() -> list[Path]:
    return sorted(guide_dir().glob("*.html"))


def test_guide_pages_pictures_and_buttons_exist(qtbot: Any, window: MainWindow) -> None:
    pages = {p.name for p in guide_pages()}
    assert set(GUIDE_PAGES.values()) | {"index.html", "faq.html"} <= pages
    buttons = {b.text() for b in window.findChildren(QPushButton)}
    from ui.dialogs import RoundDialog

    dialog = RoundDialog("一轮", "2030-01-01", "")
    qtbot.addWidget(dialog)
    buttons |= {b.text() for b in dialog.findChildren(QPushButton)}
    for path in guide_pages():
        text = path.read_text(encoding="utf-8")
        for src in re.findall(r'src="([^"]+)"', text):
            assert (path.parent / src).is_file(), f"{path.name}: {src}"
            assert Path(src).stem in SHOTS, f"{path.name}: {src} is not made by ui.screenshot"
        for href in re.findall(r'href="([^"]+)"', text):
            assert href in pages, f"{path.name}: {href}"
        for name in re.findall(r"点击“([^”]+)”", text):  # only buttons that exist
            assert name in buttons, f"{path.name}: 点击“{name}”"
        assert not re.search(
            r"[A-Za-z]{4,}", re.sub(r"<[^>]+>|\.(html|png|xlsx|zip|pdf)|EcoDesk|LibreOffice|Excel", "", text)
        )


def test_help_opens_the_guide_at_the_current_page(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    create_project(qtbot, window, tmp_path / "项目", monkeypatch)
    window.go(window.collect_page)
    window.guide_action.trigger()
    dialog = window.guide_dialog
    qtbot.addWidget(dialog)
    assert isinstance(dialog, GuideDialog) and dialog.isVisible()
    assert dialog.browser.source().fileName() == "collect.html"
    assert dialog.browser.toPlainText().startswith("← 目录\n4. 回收：把报回的表格拖进窗口")
    assert window.guide_action.shortcut().toString() == "F1"


def test_screenshot_tool_makes_the_guide_pictures(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-m", "ui.screenshot", str(tmp_path / "img")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=env,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in SHOTS:
        image = QImage(str(tmp_path / "img" / f"{name}.png"))
        assert not image.isNull(), name
        if not name.endswith("对话框"):
            assert (image.width(), image.height()) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height()), name
    assert sorted(p.stem for p in (guide_dir() / "img").glob("*.png")) == sorted(SHOTS)
