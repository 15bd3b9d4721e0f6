"""A clerk's whole working day in the app: restart loses nothing on screen, drops while busy wait
their turn, closing while busy asks, a second window gets a read-only view, a read-only folder
opens read-only with a banner. Offscreen, through the real window."""

# ruff: noqa: F811 - the fixtures of tests/test_gui.py are imported and then used by name
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt

from ecodesk.lock import read_holder
from ecodesk.messages import msg
from tests.filling import fill
from tests.test_gui import (  # noqa: F401 - fixtures used by name
    RATIO,
    ROUND,
    SYSTEM,
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
    settings,
    status_bar,
    wait,
    window,
)
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

TASKS = {"提高生态文明建设工作占党政实绩考核的比例": {"status": "推进中", "progress": "已修订考核办法"}}


def project_with_forms(qtbot: Any, w: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "项目"
    create_project(qtbot, w, root, monkeypatch)
    add_round(qtbot, w)
    return root, generate(qtbot, w)


def filled_org(forms: dict[str, Path], folder: Path, current: float = 15) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return fill(
        forms["组织部"],
        folder / forms["组织部"].name,
        {RATIO: {"current": current}, SYSTEM: {"current": "已建立"}},
        TASKS,
    )


def copies(src: Path, folder: Path, n: int) -> Path:
    """``n`` copies of one filled form under different names (each after the first a duplicate)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        shutil.copyfile(src, folder / f"{ROUND}_组织部_填报表({i + 1}).xlsx")
    return folder


def submissions(root: Path) -> int:
    with sqlite3.connect(root / "ecodesk.sqlite") as c:
        return c.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]


# ---- restart -----------------------------------------------------------------------------------
def test_restart_rebuilds_collect_and_export(
    qtbot: Any, window: MainWindow, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    root, forms = project_with_forms(qtbot, w, tmp_path, monkeypatch)
    org = filled_org(forms, tmp_path / "报回")
    junk = tmp_path / "报回" / "会议通知.docx"
    junk.write_bytes(b"PK\x03\x04 not really a document")
    drop(w, [tmp_path / "报回"])
    wait(qtbot, w)
    page = w.collect_page
    before = [cells(page.results, i) for i in range(len(page.results.rows))]
    assert sorted(r[1] for r in before) == ["已接收", "无法读取"]

    w.go(w.export_page)
    for _ in range(2):
        qtbot.mouseClick(w.export_page.report_button, Qt.MouseButton.LeftButton)
        wait(qtbot, w)
    v1, v2 = root / "汇总报告" / f"{ROUND}_汇总表.xlsx", root / "汇总报告" / f"{ROUND}_汇总表_v2.xlsx"
    assert v1.is_file() and v2.is_file()  # the second export did not overwrite the first
    assert w.export_page.report_label.text() == f"已生成汇总表：{v2}"
    w.close()

    w2 = MainWindow(settings=settings)
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitUntil(lambda: w2.project is not None)
    w2.go(w2.collect_page)
    page2 = w2.collect_page
    assert [cells(page2.results, i) for i in range(len(page2.results.rows))] == before
    assert org.name in column(page2.results, "文件")[0] or org.name in column(page2.results, "文件")[1]
    w2.go(w2.export_page)
    ep = w2.export_page
    assert column(ep.outputs, "文件") == [v2.name, v1.name]
    assert column(ep.outputs, "版本") == ["第 2 版", "第 1 版"]
    assert all(t.startswith("20") and len(t) == 16 for t in column(ep.outputs, "生成时间"))
    assert ep.report_label.text().startswith(f"最新的汇总表：{v2}（")
    assert ep.open_file_button.isEnabled()


# ---- drops while busy, closing while busy ------------------------------------------------------
def test_drops_while_busy_wait_their_turn(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    root, forms = project_with_forms(qtbot, w, tmp_path, monkeypatch)
    org = filled_org(forms, tmp_path / "原件")
    many = copies(org, tmp_path / "一批", 60)
    later = fill(
        forms["审计局"],
        tmp_path / forms["审计局"].name,
        {"领导干部自然资源资产离任审计": {"current": "已开展"}},
        {},
    )
    drop(w, [many])
    assert w.busy
    drop(w, [later])
    page = w.collect_page
    assert page.queue_label.isVisible()
    assert page.queue_label.text() == "等待回收：1 批，共 1 项（当前这批处理完后自动开始）"
    assert cells(page.results, len(page.results.rows) - 1)[:2] == [later.name, "等待回收"]
    assert status_bar(w) == "已加入等待：1 项，前面的文件处理完后自动回收"
    qtbot.waitUntil(lambda: not w.busy and not page.waiting, timeout=60_000)
    statuses = dict(zip(column(page.results, "文件"), column(page.results, "状态"), strict=True))
    assert statuses[later.name] == "已接收"
    assert sorted(statuses.values()).count("已接收") == 2
    assert "等待回收" not in statuses.values()
    assert len(statuses) == 61
    assert not page.queue_label.isVisible()
    assert submissions(root) == 61


def test_a_drop_during_other_work_waits_for_it(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    root, forms = project_with_forms(qtbot, w, tmp_path, monkeypatch)
    org = filled_org(forms, tmp_path / "报回")
    qtbot.mouseClick(w.rounds_page.generate_button, Qt.MouseButton.LeftButton)  # regenerating: busy
    assert w.busy
    drop(w, [org])
    page = w.collect_page
    assert page.waiting and cells(page.results, len(page.results.rows) - 1)[1] == "等待回收"
    qtbot.waitUntil(lambda: not w.busy and not page.waiting, timeout=60_000)
    assert column(page.results, "状态") == ["已接收"]
    assert submissions(root) == 1


@pytest.mark.parametrize("answer", ["取消剩下的并关闭", "等完成后关闭", "不关闭"])
def test_close_while_busy_asks(
    qtbot: Any, window: MainWindow, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    from ecodesk.project import Project

    w = window
    root, forms = project_with_forms(qtbot, w, tmp_path, monkeypatch)
    many = copies(filled_org(forms, tmp_path / "原件"), tmp_path / "一批", 300)
    drop(w, [many])
    drop(w, [tmp_path / "原件"])  # waits
    assert w.busy
    boxes.answer = answer
    w.close()
    title, text, buttons = boxes.shown[-1]
    assert title == "正在处理"
    assert text.startswith("还有工作没有完成：正在回收文件，还有 1 项等待回收。")
    assert buttons == ["等完成后关闭", "取消剩下的并关闭", "不关闭"]
    if answer == "不关闭":
        assert w.isVisible()
        wait(qtbot, w)
        qtbot.waitUntil(lambda: not w.collect_page.waiting and not w.busy, timeout=60_000)
        assert submissions(root) == 301
        return
    if answer == "等完成后关闭":
        assert w.isVisible()
        assert status_bar(w) == "正在完成剩下的工作，完成后窗口会自动关闭"
        qtbot.waitUntil(lambda: not w.isVisible(), timeout=60_000)
        assert submissions(root) == 301  # the waiting drop was collected too
    else:
        assert not w.isVisible()
        assert submissions(root) < 301  # the waiting drop was not started
    assert w.project is None and not w.collect_page.waiting
    with Project.open(root, lock=True) as again:  # the lock went with the window
        assert again.rounds()[0].name == ROUND


# ---- two windows on one project ----------------------------------------------------------------
def test_second_window_gets_a_read_only_view(
    qtbot: Any, window: MainWindow, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w1 = window
    root, forms = project_with_forms(qtbot, w1, tmp_path, monkeypatch)
    w2 = MainWindow(
        settings=QSettings(str(tmp_path / "s2.ini"), QSettings.Format.IniFormat), reopen_last=False
    )
    qtbot.addWidget(w2)
    w2.show()

    boxes.answer = "取消"
    assert not w2.open_project(root)
    holder = read_holder(root)
    in_use = msg("project.in_use", path=root, holder=holder.describe())
    title, text, buttons = boxes.shown[-1]
    assert title == "项目正在别处使用"
    assert text.startswith(in_use) and buttons == ["以只读方式打开", "取消"]
    assert "本机的另一个 EcoDesk 窗口或命令" in text and holder.user in text
    assert w2.project is None and status_bar(w2) == f"没有打开项目：{in_use}"

    boxes.answer = "以只读方式打开"
    assert w2.open_project(root)
    assert w2.state.read_only
    assert w2.banner.isVisible() and w2.banner.text() == f"只读：{in_use}"
    assert w2.project_label.text().endswith("（只读）")

    # the writer adds a round; the reader sees it when it opens a page
    add_round(qtbot, w1, "2025年第二轮")
    w2.go(w2.rounds_page)
    assert column(w2.rounds_page.rounds, "轮次") == [ROUND, "2025年第二轮"]
    assert not w2.rounds_page.add_button.isEnabled() and not w2.rounds_page.generate_button.isEnabled()

    # the reader cannot collect; nothing is written, and it says why and what to do
    org = filled_org(forms, tmp_path / "报回")
    drop(w2, [org])
    assert not w2.busy and submissions(root) == 0
    assert status_bar(w2) == f"项目是以只读方式打开的，不能修改。{in_use}"
    before = len(boxes.shown)
    w2.close()
    assert len(boxes.shown) == before  # nothing to ask
    w1.collect_page.collect_paths([org])
    wait(qtbot, w1)
    assert submissions(root) == 1


# ---- a read-only folder ------------------------------------------------------------------------
def make_read_only(folder: Path) -> list[Path]:
    """Make ``folder`` unwritable the way a write-protected stick is; returns what to undo."""
    targets = [folder, *folder.iterdir()]
    if os.geteuid() == 0:  # root writes through permissions: use the immutable attribute
        if shutil.which("chattr") is None:
            pytest.skip("以 root 运行且没有 chattr，无法模拟只读文件夹")
        done = subprocess.run(["chattr", "+i", *map(str, targets)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr 不可用：{done.stderr.decode(errors='replace')}")
    else:
        for t in targets:
            t.chmod(0o555 if t.is_dir() else 0o444)
    return targets


def undo_read_only(targets: list[Path]) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", *map(str, targets)], check=False)
    else:
        for t in targets:
            t.chmod(0o755 if t.is_dir() else 0o644)


def test_read_only_folder_opens_read_only_with_a_banner(
    qtbot: Any, window: MainWindow, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecodesk.cli import main as cli

    w = window
    root, forms = project_with_forms(qtbot, w, tmp_path, monkeypatch)
    org = filled_org(forms, tmp_path / "报回")
    w.collect_page.collect_paths([org])
    wait(qtbot, w)
    w.close_project()
    undo = make_read_only(root)
    try:
        assert w.open_project(root)
        shown = len(boxes.shown)
        reason = msg("project.folder_read_only", path=root)
        assert w.state.read_only and w.banner.text() == f"只读：{reason}"
        assert "复制" in reason and root.name in reason
        w.go(w.collect_page)
        assert column(w.collect_page.results, "状态") == ["已接收"]  # what is there can be seen
        drop(w, [org])
        assert not w.busy
        assert status_bar(w) == f"项目是以只读方式打开的，不能修改。{reason}"
        w.go(w.export_page)
        assert not w.export_page.report_button.isEnabled()
        w.go(w.verdicts_page)
        wait(qtbot, w)
        assert w.verdicts_page.result is not None  # judging only reads
        assert len(boxes.shown) == shown  # no error box at all
        w.close_project()

        # the command line says the same, in Chinese, and reading still works
        assert cli(["round", "list", str(root)]) == 0
        assert cli(["round", "add", str(root), "第二轮", "--deadline", "2030-01-01"]) == 2
    finally:
        undo_read_only(undo)


def test_cli_error_for_read_only_folder_is_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ecodesk.cli import main as cli
    from ecodesk.project import init_project

    root = tmp_path / "项目"
    init_project(root).close()
    undo = make_read_only(root)
    try:
        assert cli(["round", "add", str(root), "第二轮", "--deadline", "2030-01-01"]) == 2
        err = capsys.readouterr().err
        assert err.strip() == msg("project.folder_read_only", path=root)
        assert not any(word in err for word in ("Read-only", "readonly", "attempt to write"))
    finally:
        undo_read_only(undo)


def test_new_project_needs_an_empty_folder(
    qtbot: Any, window: MainWindow, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "办公文件"
    folder.mkdir()
    (folder / "通知.docx").write_bytes(b"x")
    boxes.answer = "在其中新建子文件夹"
    create_project(qtbot, window, folder, monkeypatch)
    _title, text, buttons = boxes.shown[-1]
    sub = folder / "测试县创建项目"
    assert text == msg("project.folder_not_empty", path=folder, suggest=sub) + "。\n要在其中新建子文件夹吗？"
    assert buttons == ["在其中新建子文件夹", "取消"]
    assert window.project is not None and window.project.root == sub
    assert sorted(p.name for p in folder.iterdir()) == sorted(["通知.docx", "测试县创建项目"])
