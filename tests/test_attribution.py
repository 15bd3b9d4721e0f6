"""Who sent it, for which round: a file goes to its own round, the round in use is remembered,
and every automatic decision can be corrected by the clerk (through the core and the CLI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecodesk.cli import main
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.ledger.values import current_values
from ecodesk.messages import msg
from ecodesk.project import Project
from ecodesk.verdicts import judge_round

from .filling import fill

R1, R2 = "2025年第一轮", "2025年第二轮"
T0 = dt.datetime(2025, 6, 1, 9, 0)


@pytest.fixture
def two_rounds(project):
    project.add_round(R1, "2025-06-30")
    forms1 = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    project.add_round(R2, "2025-12-31")
    forms2 = {f.department: Path(f.path) for f in generate_round(project, R2).forms}
    return project, forms1, forms2


def _values(project, round_name):
    rid = project.round(round_name).id
    return {(v.department, v.indicator_key): v for v in current_values(project.ledger.conn, rid)}


def _key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _verdict(project, round_name, name):
    return next(v for v in judge_round(project, round_name).verdicts if v.name == name)


def test_a_late_return_of_round_1_goes_to_round_1_while_round_2_is_current(two_rounds, tmp_path):
    project, forms1, forms2 = two_rounds
    late = fill(
        forms1["水利局"], tmp_path / "水利局（一季度，迟报）.xlsx", {"河湖岸线保护率": {"current": 96}}
    )
    before = _verdict(project, R1, "河湖岸线保护率")
    assert before.verdict == "缺报"
    result = collect(project, R2, [late])
    [r] = result.results
    assert (r.status, r.code, r.department, r.round) == ("accepted", "accepted.new", "水利局", R1)
    prefix = msg("routed.other_round", form_round=R1, round=R2)
    assert r.message.startswith(prefix) and f"已接收水利局的{R1}填报表" in r.message
    key = _key(project, "河湖岸线保护率")
    assert _values(project, R1)[("水利局", key)].current_number == 96
    assert not _values(project, R2)  # round 2 untouched
    assert _verdict(project, R1, "河湖岸线保护率").verdict != "缺报"  # round 1's verdict updated
    assert _verdict(project, R2, "河湖岸线保护率").verdict == "缺报"
    event = [e for e in project.ledger.audit_events() if e["action"] == "collect.accepted"][-1]
    assert event["detail"]["round"] == R1 and event["detail"]["routed_from"] == R2
    # a round-2 return in the same drop stays in round 2
    now = fill(forms2["水利局"], tmp_path / "水利局二季度.xlsx", {"河湖岸线保护率": {"current": 97}})
    again = fill(late, tmp_path / "水利局（再次转发）.xlsx")
    rs = collect(project, R2, [now, again]).results
    assert [(r.status, r.round) for r in rs] == [("accepted", R2), ("duplicate", R1)]
    assert _values(project, R2)[("水利局", key)].current_number == 97


def test_forcing_a_file_into_another_round_is_explicit_and_audited(two_rounds, tmp_path):
    project, forms1, _ = two_rounds
    f = fill(forms1["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 96}})
    [r] = collect(project, R2, [f], force=True).results
    assert (r.status, r.code, r.round) == ("accepted", "accepted.forced_round", R2)
    assert r.message == msg("accepted.forced_round", form_round=R1, round=R2, department="水利局")
    assert not _values(project, R1)
    event = [e for e in project.ledger.audit_events() if e["action"] == "collect.accepted"][-1]
    assert event["detail"]["forced_from"] == R1 and event["detail"]["round"] == R2


def test_the_round_in_use_is_remembered_per_project(two_rounds, tmp_path, capsys):
    project, forms1, _ = two_rounds
    root = project.root
    assert project.last_round() == R2  # nothing chosen yet: the latest
    project.remember_round(R1)
    project.close()
    with Project.open(root) as p:
        assert p.last_round() == R1
    f = fill(forms1["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 96}})
    assert main(["collect", str(root), str(f), "--json"]) == 0  # no --round: the one used last
    data = json.loads(capsys.readouterr().out)
    assert data["round"] == R1 and data["results"][0]["round"] == R1
    assert main(["validate", str(root), "--round", R2, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["round"] == R2
    with Project.open(root) as p:
        assert p.last_round() == R2  # --round is remembered too


def test_no_round_yet_says_how_to_add_one(project, capsys):
    root = str(project.root)
    assert main(["validate", root]) == 2
    assert msg("round.none") in capsys.readouterr().err
