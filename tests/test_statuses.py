"""Verdicts and statuses are enums whose values are what the ledger stores; words are display only."""

from __future__ import annotations

import json

from ecodesk.forms import layout as L
from ecodesk.intake.collect import STATUSES
from ecodesk.intake.statuses import TASK_STATUS_OPTIONS, FileStatus, TaskStatus
from ecodesk.messages import STATUS_LABELS
from ecodesk.verdicts import PASS, SHOWN, VERDICT_LABELS, VERDICTS, Outcome


def test_verdicts_are_an_enum_with_the_stored_words():
    assert PASS is Outcome.PASS and PASS == "达标" and json.dumps(PASS, ensure_ascii=False) == '"达标"'
    assert set(SHOWN) == set(Outcome) and Outcome.PENDING not in VERDICTS
    assert Outcome("未达标") is Outcome.FAIL
    assert set(VERDICT_LABELS) == set(Outcome)


def test_file_statuses_are_an_enum_and_each_has_a_label():
    assert tuple(FileStatus) == STATUSES
    assert set(STATUS_LABELS) == {s.value for s in FileStatus}
    assert FileStatus("accepted") is FileStatus.ACCEPTED


def test_the_forms_task_dropdown_is_the_task_status_enum():
    assert tuple(L.TASK_STATUSES) == TASK_STATUS_OPTIONS
    assert TaskStatus.NOT_REPORTED not in TASK_STATUS_OPTIONS


def test_a_round_judged_in_the_ledger_keeps_its_stored_words(project):
    from ecodesk.forms.issue import generate_round
    from ecodesk.verdicts import judge_round, override_verdict

    project.add_round("R", "2025-06-30")
    generate_round(project, "R")
    v = judge_round(project, "R").verdicts[0]
    override_verdict(project, "R", v.key, "达标", note="核实")
    stored = project.ledger.conn.execute(
        "SELECT verdict FROM overrides WHERE indicator_key = ?", (v.key,)
    ).fetchone()
    assert stored["verdict"] == "达标"
    again = next(x for x in judge_round(project, "R").verdicts if x.key == v.key)
    assert again.verdict is Outcome.PASS
