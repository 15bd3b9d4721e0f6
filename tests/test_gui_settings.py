"""The 指标与部门 page's indicator editor: completing the publisher's "(略)", a local target with its
base-year figure or its value, the comparison period of 上期值, the national target text — each
saved with a note through the core call `ecodesk settings` makes, audited in the ledger, and
judged as the clerk set it. Offscreen, through the real window."""

# ruff: noqa: F811 - the fixtures of tests/test_gui.py are imported and then used by name
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.messages import msg
from ecodesk.project import init_project
from ecodesk.verdicts import judge_round
from tests.filling import fill
from tests.test_gui import (  # noqa: F401 - fixtures used by name
    Boxes,
    boxes,
    column,
    opened,
    settings,
    status_bar,
    window,
)
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui

Y25 = "2025年度"
FOREST, SOIL, FILM = "森林覆盖率", "耕地土壤有机质含量", "农膜回收率"
ELIDED = "(略)建成区黑臭水体消除率"
#: the built-in Annex 2 was published with "(略)" in these tasks' 具体要求
ELIDED_TASKS = msg("catalog.elided_tasks_app", count=11, numbers="1、4、5、6、8、11、12、13、15、16、21")


def _project(tmp_path: Path) -> Path:
    """The built-in 嵊州 table with three annual rounds: 森林覆盖率 60 (2020) → 66 (2024) → 64 (2025),
    the 2025 forms' pre-filled 上期值 cleared, so the ledger's comparison period decides."""
    root = tmp_path / "项目"
    forest = {"2020年度": {FOREST: {"current": 60}}, "2024年度": {FOREST: {"current": 66}},
              Y25: {FOREST: {"current": 64, "previous": None}}}  # fmt: skip
    farm = {"2024年度": {SOIL: {"current": 21}}, Y25: {SOIL: {"current": 22, "previous": None}, FILM: {"current": 86}}}
    with init_project(root) as project:
        for name in forest:
            project.add_round(name, f"{name[:4]}-12-31")
            forms = {f.department: Path(f.path) for f in generate_round(project, name, ["自然资源局", "农业农村局"]).forms}
            files = [fill(forms["自然资源局"], tmp_path / f"z{name}.xlsx", forest[name])]
            if name in farm:
                files.append(fill(forms["农业农村局"], tmp_path / f"n{name}.xlsx", farm[name]))
            assert {r.status for r in collect(project, name, files).results} == {"accepted"}
        project.remember_round(Y25)
    return root


def _verdict(w: MainWindow, name: str) -> Any:
    assert w.project is not None
    return next(v for v in judge_round(w.project, Y25).verdicts if v.name == name)


def _edits(w: MainWindow) -> list[dict[str, Any]]:
    assert w.project is not None
    return [e["detail"] for e in w.project.ledger.audit_events() if e["action"] == "indicator.edit"]


def _select(page: Any, name: str) -> None:
    names = column(page.indicators, "指标名称")
    page.indicator_view.selectRow(next(i for i, n in enumerate(names) if n.split("：")[-1].rstrip("*") == name))


def _save(qtbot: Any, page: Any, note: str) -> None:
    page.editor.note.setText(note)
    qtbot.mouseClick(page.save_indicator_button, Qt.MouseButton.LeftButton)


def test_indicator_settings_in_the_app_are_noted_audited_and_judged(
    qtbot: Any, window: MainWindow, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = window
    root = _project(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(root))
    qtbot.mouseClick(w.start_page.open_button, Qt.MouseButton.LeftButton)
    assert w.project is not None

    # -- 开始 says which indicators still hold "(略)", and leads to the page that completes them
    w.go(w.start_page)
    sp = w.start_page
    prompt = msg("catalog.elided_app", count=2, names=f"5 {ELIDED}、20 农村生活污水治理(管控)率") + "\n" + ELIDED_TASKS
    assert sp.elision.isVisible() and sp.elision.text() == prompt
    qtbot.mouseClick(sp.elision_button, Qt.MouseButton.LeftButton)
    page = w.catalogue_page
    assert w.current_page() is page and page.elision.text() == prompt
    assert "指标与部门" in prompt and page.save_indicator_button.text() in prompt  # names what exists

    # -- completing the name: nothing is saved without a note
    _select(page, ELIDED)
    assert page.editor.name.text() == ELIDED
    page.editor.name.setText("县级城市建成区黑臭水体消除率")
    _save(qtbot, page, "")
    assert status_bar(w).startswith("请在“修改依据”中写明为什么修改") and _edits(w) == []
    _save(qtbot, page, "据原文补全")
    assert status_bar(w) == (
        f"已保存『{ELIDED}』的指标名称（依据：据原文补全）。重新生成填报表后，各部门会看到新内容"
    )
    [edit] = _edits(w)
    assert (edit["changes"], edit["note"]) == (
        {"name": {"old": ELIDED, "new": "县级城市建成区黑臭水体消除率"}},
        "据原文补全",
    )
    assert page.elision.text() == msg("catalog.elided_app", count=1, names="20 农村生活污水治理(管控)率") + (
        "\n" + ELIDED_TASKS
    )

    # -- the comparison period: against 上年 (66) 64 fails, against 基准年2020 (60) it passes
    before = _verdict(w, FOREST)
    assert (before.verdict, before.comparison, before.previous) == ("未达标", "上年", "66")
    _select(page, FOREST)
    assert page.editor.comparison.currentText() == "上年同期（默认）"
    assert not page.editor.comparison_year.isEnabled()
    page.editor.comparison.setCurrentIndex(page.editor.comparison.findText("基准年"))
    assert page.editor.comparison_year.isEnabled()
    page.editor.comparison_year.setValue(2020)
    _save(qtbot, page, "规划以2020年为基准年")
    assert w.project.find_indicator(FOREST).comparison == "base:2020"
    assert _edits(w)[-1]["changes"] == {"comparison": {"old": "", "new": "base:2020"}}
    assert column(page.indicators, "比较期")[page.indicator_view.currentIndex().row()] == "基准年2020"
    v = _verdict(w, FOREST)
    assert (v.verdict, v.comparison, v.comparison_period, v.previous) == ("达标", "基准年", "2020年度", "60")
    assert "创建办修改了本项设置：上期值比较期原为『上年同期（默认）』（依据：规划以2020年为基准年）" in v.reason
    assert v.setting_change == "创建办修改了上期值比较期，按原设置为未达标"  # printed in the 说明

    # -- a local target from a base year: the base-year figure works out its value; the national verdict stays
    _select(page, SOIL)
    page.editor.local_target.setText("到2025年比2020年提高5%")
    page.editor.local_base.setText("20")
    _save(qtbot, page, "县规划")
    assert status_bar(w).startswith(f"已保存『{SOIL}』的本地目标、基准年数值（依据：县规划）")
    assert page.editor.base_year.text() == "（2020年，取自本地目标）"
    v = _verdict(w, SOIL)
    assert v.verdict == "达标" and v.local is not None
    assert (v.local.verdict, v.local.target) == ("达标", "21")  # 20 × 1.05
    page.editor.local_value.setText("八")  # not a number: the core's message, nothing saved
    _save(qtbot, page, "市里下达")
    assert status_bar(w) == msg("indicator.bad_number", field="本地目标值", value="八")
    assert w.project.find_indicator(SOIL).local_target_value is None
    page.editor.local_value.setText("23")
    _save(qtbot, page, "市里下达")
    assert w.project.find_indicator(SOIL).local_target_value == 23
    v = _verdict(w, SOIL)
    assert (v.verdict, v.local.verdict, v.local.target) == ("达标", "未达标", "23")

    # -- the national target text: the verdict changes and says why
    _select(page, FILM)
    page.editor.target.setText("≥90")
    _save(qtbot, page, "市里下达的更高要求")
    v = _verdict(w, FILM)
    assert v.verdict == "未达标"
    assert "创建办修改了本项设置：指标值原为『≥85』（依据：市里下达的更高要求）；按原设置判定为达标" in v.reason
    assert [e["note"] for e in _edits(w)] == ["据原文补全", "规划以2020年为基准年", "县规划", "市里下达", "市里下达的更高要求"]

    # a tolerance set on the command line with more decimals than the box shows is kept
    w.project.edit_indicator(FILM, "命令行设置", tolerance=0.333)
    page.refresh()
    _select(page, FILM)
    page.editor.target.setText("≥88")
    _save(qtbot, page, "市里再次调整")
    assert _edits(w)[-1]["changes"] == {"target_text": {"old": "≥90", "new": "≥88"}}
    assert w.project.find_indicator(FILM).tolerance == 0.333


def test_a_task_completed_in_the_app_is_noted_audited_and_printed_on_the_next_form(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Annex 2 was published with "(略)" in 11 tasks' 具体要求: the 重点任务 tab completes one, with a
    note, through ``Project.edit_task`` (the call ``ecodesk settings --task`` makes); the prompt
    drops it and the next generated form prints the completed text."""
    import openpyxl

    from ecodesk.forms import layout as L

    w = window
    root = _project(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(root))
    qtbot.mouseClick(w.start_page.open_button, Qt.MouseButton.LeftButton)
    assert w.project is not None
    w.go(w.catalogue_page)
    page = w.catalogue_page
    assert page.save_task_button.text() in ELIDED_TASKS and "重点任务" in ELIDED_TASKS  # names what exists
    row = column(page.tasks, "序号").index("1")
    page.task_view.selectRow(row)
    elided = page.task_requirements.toPlainText()
    assert "(略)" in elided and page.task_title.text() == "提高生态文明建设工作占党政实绩考核的比例"
    done = elided.replace("(略)", "对")

    def events() -> list[dict[str, Any]]:
        assert w.project is not None
        return [e["detail"] for e in w.project.ledger.audit_events() if e["action"] == "task.edit"]

    # nothing changed: nothing saved, and the status bar says what to do
    qtbot.mouseClick(page.save_task_button, Qt.MouseButton.LeftButton)
    assert status_bar(w).startswith("任务 1 没有修改") and events() == []
    # no note: nothing saved
    page.task_requirements.setPlainText(done)
    qtbot.mouseClick(page.save_task_button, Qt.MouseButton.LeftButton)
    assert status_bar(w).startswith("请在“修改依据”中写明为什么修改") and events() == []
    page.task_note.setText("据原文补全")
    qtbot.mouseClick(page.save_task_button, Qt.MouseButton.LeftButton)
    assert status_bar(w) == "已保存任务 1 的具体要求（依据：据原文补全）。重新生成填报表后，各部门会看到新内容"
    [edit] = events()
    assert edit["changes"] == {"requirements": {"old": elided, "new": done}} and edit["note"] == "据原文补全"
    assert page.task_view.currentIndex().row() == row and page.task_requirements.toPlainText() == done
    assert page.elision.text().endswith(
        msg("catalog.elided_tasks_app", count=10, numbers="4、5、6、8、11、12、13、15、16、21")
    )

    # the next form a department of task 1 gets prints the completed text
    project = w.project
    project.add_round("2026年上半年", "2026-07-15")
    [form] = generate_round(project, "2026年上半年", ["组织部"]).forms
    ws = openpyxl.load_workbook(form.path)[L.SHEET_TASKS]
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert done in texts and elided not in texts
