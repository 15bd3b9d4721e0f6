"""The 佐证材料 page (pytest-qt, offscreen): lists per indicator, opens a file, assigns, confirms,
removes with a note, and 导出台账 with progress builds the archive; all through the core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog

from ecodesk.archive import INDEX_NAME
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.intake.evidence_desk import round_evidence
from ecodesk.project import Project
from ui.main_window import MainWindow
from ui.pages import evidence as page_module

from .test_evidence import ALIEN, BIO, R1, _drop

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _test_paths():
    QStandardPaths.setTestModeEnabled(True)
    yield
    QStandardPaths.setTestModeEnabled(False)


@pytest.fixture
def prepared(tmp_path: Path) -> Path:
    root = tmp_path / "项目"
    project = Project.create(root, load_builtin(), region="east")
    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    _, inbox, _ = _drop((project, forms), tmp_path)
    collect(project, R1, [inbox])
    project.close()
    return root


def test_evidence_page(qtbot: Any, tmp_path: Path, prepared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), reopen_last=False)
    qtbot.addWidget(w)
    w.show()
    assert w.state.open_project(prepared)
    w.state.set_round(R1)
    page = w.evidence_page
    w.nav.setCurrentRow(w.pages.index(page))
    page.activate(force=True)
    rows = {r.name: r for r in page.indicators.rows}
    assert rows[BIO].state == "齐全" and len(rows[BIO].files) == 2
    assert rows[ALIEN].state == "待确认"
    assert rows["党政领导干部生态环境损害责任追究制度"].state == "缺少"
    assert "培训照片.png" in page.indicators.text(
        page.indicators.rows.index(rows["党政领导干部生态环境损害责任追究制度"]), 5
    )
    un = page.indicators.rows[0]
    assert un.name == page_module.UNASSIGNED and {f.name for _, f in un.files} == {
        "工作简报.pdf",
        "物种统计表.xlsx",
    }

    # open the selected file: the archived copy
    page.indicator_view.selectRow(0)
    page.file_view.selectRow(0)
    chosen = page.selected_file().file
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened[-1] == str(prepared / chosen.archived_path)

    # assign it to 外来物种入侵防控 through the dialog (a note kept)
    alien_key = rows[ALIEN].key

    def accept_assign(dialog: QDialog) -> int:
        dialog.indicator.setCurrentIndex(dialog.indicator.findData(alien_key))
        dialog.note.setPlainText("记载防控工作")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(page_module.NoteDialog, "exec", accept_assign)
    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    rows = {r.name: r for r in page.indicators.rows}
    assert chosen.name in {f.name for _, f in rows[ALIEN].files}

    # confirm the close match
    page.indicator_view.selectRow(page.indicators.rows.index(rows[ALIEN]))
    close = next(i for i, r in enumerate(page.files.rows) if r.link.matched_by == "close")
    page.file_view.selectRow(close)
    assert page.confirm_button.isEnabled()
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    rows = {r.name: r for r in page.indicators.rows}
    assert rows[ALIEN].state == "齐全"

    # remove the other unassigned file: the note is required
    page.indicator_view.selectRow(0)
    page.file_view.selectRow(0)

    def empty_note(dialog: QDialog) -> int:
        dialog._accept()
        assert dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
        dialog.note.setPlainText("与指标无关")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(page_module.NoteDialog, "exec", empty_note)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.indicators.rows[0].files == []

    # 导出台账: progress panel, then the archive and its index opened
    out = tmp_path / "台账"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.progress.isVisible() or (out / INDEX_NAME).exists()
    qtbot.waitUntil(lambda: not w.busy, timeout=30_000)
    assert (out / INDEX_NAME).is_file() and opened[-1] == str(out.resolve() / INDEX_NAME)
    assert "台账已导出" in w.statusBar().currentMessage()

    # everything went through the core and survives a restart
    w.state.close_project()
    with Project.open(prepared) as project:
        ev = round_evidence(project, R1)
        assert ev.unassigned() == [] and all(ln.confirmed for ln in ev.links)
        actions = [e["action"] for e in project.ledger.audit_events()]
    assert {"evidence.assign", "evidence.confirm", "evidence.remove", "archive.build"} <= set(actions)
