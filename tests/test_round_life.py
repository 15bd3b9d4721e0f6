# ruff: noqa: F811 - the fixtures of tests/test_gui.py are imported and then used by name
"""A round after it was added: rename (forms issued under the old name still count), re-date,
close (no intake, no generating) and reopen, delete only while nothing was issued or received —
in the core, the CLI and the app; every change audited."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.messages import EcoDeskError, msg
from ecodesk.rounds import close_round, delete_round, edit_round, reopen_round
from tests.filling import fill

RATIO = "生态文明建设工作占党政实绩考核的比例"
SYSTEM = "党政领导干部生态环境损害责任追究制度"
FUTURE = (date.today() + timedelta(days=20)).isoformat()


def filled(form: Path, out: Path) -> Path:
    return fill(form, out, {RATIO: {"current": 22}, SYSTEM: {"current": "已建立"}}, {})


def test_rename_keeps_issued_forms_recognised(project: Any, tmp_path: Path) -> None:
    project.add_round("第一轮", FUTURE)
    forms = generate_round(project, "第一轮", departments=["组织部"])
    renamed = edit_round(project, "第一轮", new_name="2025年上半年")
    assert (renamed.name, renamed.former_names) == ("2025年上半年", ["第一轮"])
    assert [r.name for r in project.rounds()] == ["2025年上半年"]
    back = filled(Path(forms.forms[0].path), tmp_path / "第一轮_组织部_填报表.xlsx")
    result = collect(project, "2025年上半年", [back])
    assert [r.status for r in result.results] == ["accepted"]  # not "stale.round"
    events = [e for e in project.ledger.audit_events() if e["action"] == "round.edit"]
    assert events[-1]["detail"] == {"round": "2025年上半年", "name": ["第一轮", "2025年上半年"]}


def test_edit_deadline_and_note_checks_and_audits(project: Any) -> None:
    project.add_round("第一轮", FUTURE)
    r = edit_round(project, "第一轮", deadline="2030-01-31", note="推迟一个月")
    assert (r.deadline, r.note) == ("2030-01-31", "推迟一个月")
    with pytest.raises(EcoDeskError) as bad:
        edit_round(project, "第一轮", deadline="2030/1/31")
    assert str(bad.value) == msg("round.bad_deadline", value="2030/1/31")
    project.add_round("第二轮", FUTURE)
    with pytest.raises(EcoDeskError) as taken:
        edit_round(project, "第二轮", new_name="第一轮")
    assert taken.value.code == "round.exists"
    with pytest.raises(EcoDeskError) as slash:
        edit_round(project, "第二轮", new_name="二/轮")
    assert slash.value.code == "round.bad_name"
    detail = next(e["detail"] for e in project.ledger.audit_events() if e["action"] == "round.edit")
    assert detail == {"round": "第一轮", "deadline": [FUTURE, "2030-01-31"], "note": ["", "推迟一个月"]}


def test_closed_round_takes_no_files_until_reopened(project: Any, tmp_path: Path) -> None:
    project.add_round("第一轮", FUTURE)
    forms = generate_round(project, "第一轮", departments=["组织部"])
    back = filled(Path(forms.forms[0].path), tmp_path / "回.xlsx")
    closed = close_round(project, "第一轮", note="已汇总上报")
    assert closed.closed_at
    for action in (lambda: collect(project, "第一轮", [back]), lambda: generate_round(project, "第一轮")):
        with pytest.raises(EcoDeskError) as err:
            action()
        assert str(err.value) == msg("round.closed", name="第一轮")
    assert project.ledger.conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0
    assert not reopen_round(project, "第一轮").closed_at
    assert [r.status for r in collect(project, "第一轮", [back]).results] == ["accepted"]
    actions = [e["action"] for e in project.ledger.audit_events()]
    assert actions.count("round.close") == 1 and actions.count("round.reopen") == 1


def test_delete_only_while_nothing_issued(project: Any) -> None:
    project.add_round("误加的轮次", FUTURE)
    delete_round(project, "误加的轮次")
    assert project.rounds() == []
    project.add_round("第一轮", FUTURE)
    generate_round(project, "第一轮", departments=["组织部"])
    with pytest.raises(EcoDeskError) as err:
        delete_round(project, "第一轮")
    assert str(err.value) == msg("round.not_deletable", name="第一轮", issued=1, received=0)
    assert [r.name for r in project.rounds()] == ["第一轮"]
    deleted = [e["detail"] for e in project.ledger.audit_events() if e["action"] == "round.delete"]
    assert deleted == [{"round": "误加的轮次", "deadline": FUTURE}]


def test_cli_round_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ecodesk.cli import main

    d = str(tmp_path / "项目")
    assert main(["init", d]) == 0
    assert main(["round", "add", d, "第一轮", "--deadline", "2020-01-01"]) == 0
    err = capsys.readouterr().err
    assert err.strip() == "注意：" + msg(
        "round.past_deadline", deadline="2020-01-01", today=date.today().isoformat()
    )
    assert main(["round", "rename", d, "第一轮", "上半年"]) == 0
    assert main(["round", "edit", d, "上半年", "--deadline", FUTURE]) == 0
    assert main(["round", "close", d, "上半年", "--note", "已上报"]) == 0
    capsys.readouterr()
    assert main(["round", "list", d, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["name"], listed["deadline"], listed["former_names"]) == ("上半年", FUTURE, ["第一轮"])
    assert listed["closed_at"]
    assert main(["round", "reopen", d, "上半年"]) == 0
    assert main(["round", "delete", d, "上半年"]) == 0
    capsys.readouterr()
    assert main(["round", "delete", d, "上半年"]) == 2
    assert capsys.readouterr().err.strip() == msg("round.not_found", name="上半年", names="（无）")


# ---- the app -----------------------------------------------------------------------------------
pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, Qt  # noqa: E402

from tests.test_gui import (  # noqa: E402, F401 - fixtures used by name
    Boxes,
    _test_paths,
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
from ui.dialogs import RoundDialog  # noqa: E402


@pytest.mark.gui
def test_rounds_page_edit_close_delete(
    qtbot: Any,
    window: Any,
    boxes: Boxes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = window
    create_project(qtbot, w, tmp_path / "项目", monkeypatch)
    page = w.rounds_page
    # a past deadline asks first; 改日期 keeps nothing
    page.name.setText("第一轮")
    page.deadline.setDate(QDate.currentDate().addDays(-3))
    boxes.answer = "改日期"
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    past = QDate.currentDate().addDays(-3).toString("yyyy-MM-dd")
    asked = msg("round.past_deadline", deadline=past, today=date.today().isoformat())
    assert boxes.shown[-1] == ("截止日期已过", f"{asked}。\n仍然使用这个日期吗？", ["仍然使用", "改日期"])
    assert w.project.rounds() == [] and status_bar(w) == f"没有保存：{asked}，请改正截止日期"
    boxes.answer = "仍然使用"
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in w.project.rounds()] == ["第一轮"]
    assert cells(page.rounds, 0)[2] == "已过截止日期 3 天"

    # rename and re-date through the dialog
    future = QDate.currentDate().addDays(10).toString("yyyy-MM-dd")
    monkeypatch.setattr(
        RoundDialog, "ask", classmethod(lambda cls, *a, **k: ("2025年第一轮", future, "", "2025年上半年"))
    )
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert status_bar(w) == (
        "已修改轮次『第一轮』：名称改为『2025年第一轮』（按旧名称下发的填报表报回时仍算本轮），"
        f"截止日期改为 {future}，调度期改为2025年上半年"
    )
    assert w.project.round("2025年第一轮").period == "2025-H1"
    assert cells(page.rounds, 0)[:3] == ["2025年第一轮", future, "进行中（还有 10 天）"]
    assert w.round_combo.currentText() == f"2025年第一轮（截止 {future}）"

    # close: no generating, no collecting; reopen
    boxes.answer = "结束轮次"
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert cells(page.rounds, 0)[2] == "已结束"
    assert not page.generate_button.isEnabled() and page.reopen_button.isVisible()
    assert w.round_combo.currentText() == f"2025年第一轮（截止 {future}，已结束）"
    some = tmp_path / "文件.xlsx"
    some.write_bytes(b"x")
    drop(w, [some])
    assert not w.busy
    assert status_bar(w).startswith("轮次『2025年第一轮』已结束，不能再回收或生成。")
    w.go(page)
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    assert cells(page.rounds, 0)[2] == "进行中（还有 10 天）" and page.generate_button.isEnabled()

    # delete: only while nothing was issued
    assert page.delete_button.isEnabled()
    generate(qtbot, w)
    assert not page.delete_button.isEnabled()
    w.project.add_round("误加", future)
    w.state.refresh_rounds(select="误加")
    assert page.delete_button.isEnabled()
    boxes.answer = "删除"
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert column(page.rounds, "轮次") == ["2025年第一轮"]
    assert status_bar(w) == "已删除轮次『误加』"
