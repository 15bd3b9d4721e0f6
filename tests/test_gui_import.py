"""The 开始 page's new project from a county's annexes: the import findings shown to the clerk
are the catalogue's messages for the codes the ledger holds. Offscreen, through the real window."""

# ruff: noqa: F811 - the fixtures of tests/test_gui.py are imported and then used by name
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QMessageBox

from ecodesk.messages import msg
from tests.test_gui import (  # noqa: F401 - fixtures used by name
    Boxes,
    boxes,
    create_project,
    opened,
    settings,
    window,
)
from tests.xlsx_tables import save_table
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ANNEX1 = """
| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
| 1 | 农膜回收率 | % | ≥85 | |
| 2 | 森林覆盖率 | % | 保持稳定或持续改善 | 自然资源局 |
"""


def test_new_project_from_an_annex_shows_its_import_findings(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append((box.windowTitle(), box.text(), box.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    window.start_page.annex1.edit.setText(str(save_table(tmp_path / "县附件1.xlsx", ANNEX1)))
    create_project(qtbot, window, tmp_path / "项目", monkeypatch)
    assert window.project is not None
    held = window.project.settings()["import_warnings"]
    assert [(h["code"], h.get("sheet"), h.get("row"), h.get("cell")) for h in held] == [
        ("import.no_department", "附件1", 2, "E2"),
        ("import.no_annex2", None, None, None),
    ]
    at = {"file": "县附件1.xlsx", "sheet": "附件1", "row": 2, "cell": "E2"}
    details = "\n".join([msg("import.no_department", **at, name="农膜回收率"), msg("import.no_annex2")])
    assert shown == [("导入附件时的提示", "项目已新建，导入附件时有 2 条提示，请核对指标表：", details)]
