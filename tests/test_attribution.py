"""Who sent it, for which round: a file goes to its own round, the round in use is remembered,
and every automatic decision can be corrected by the clerk (through the core and the CLI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecodesk.cli import main
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect, list_submissions
from ecodesk.ledger.values import current_values
from ecodesk.messages import EcoDeskError, msg
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
    project, forms1, forms2 = two_rounds
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
    assert main(["validate", str(root), "--round", R2, "--json"]) == 0  # reading does not change it
    assert json.loads(capsys.readouterr().out)["round"] == R2
    with Project.open(root) as p:
        assert p.last_round() == R1
    assert main(["submissions", str(root), "--round", R2, "--json"]) == 0  # a reader too
    assert json.loads(capsys.readouterr().out) == []
    with Project.open(root) as p:
        assert p.last_round() == R1
    g = fill(forms2["水利局"], tmp_path / "b.xlsx", {"河湖岸线保护率": {"current": 97}})
    assert main(["collect", str(root), "--round", R2, str(g), "--json"]) == 0
    capsys.readouterr()
    with Project.open(root) as p:
        assert p.last_round() == R2  # --round of a command that writes is remembered


def test_no_round_yet_says_how_to_add_one(project, capsys):
    root = str(project.root)
    assert main(["validate", root]) == 2
    assert msg("round.none") in capsys.readouterr().err


# ---- the clerk's corrections -------------------------------------------------------------------
def _bare(src: Path, dst: Path, current: float, title: bool = True) -> Path:
    """A form saved without its hidden provenance (and, unless ``title``, without its title)."""
    import openpyxl

    from ecodesk.forms import layout as L

    wb = openpyxl.load_workbook(src)
    del wb["_ecodesk"]
    for sheet in (L.SHEET_INDICATORS, L.SHEET_TASKS):
        ws = wb[sheet]
        ws.protection.sheet = False
        if not title:
            for row in ws.iter_rows(min_row=1, max_row=3):
                for c in row:
                    if isinstance(c.value, str) and "（" in c.value:
                        c.value = None
    ws = wb[L.SHEET_INDICATORS]
    for r in range(L.FIRST_DATA_ROW + 1, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, 1 + [c.id for c in L.INDICATOR_COLUMNS].index("current")).value = current
    wb.save(dst)
    return dst


def _events(project, action):
    return [e["detail"] for e in project.ledger.audit_events() if e["action"] == action]


def test_assign_a_file_without_department_survives_a_restart(two_rounds, tmp_path, capsys):
    project, forms1, _ = two_rounds
    root = project.root
    f = _bare(forms1["水利局"], tmp_path / "报表.xlsx", 95, title=False)
    [r] = collect(project, R1, [f]).results
    assert (r.status, r.code) == ("not_template", "not_template.no_department")
    project.close()
    code = main(
        [
            "assign",
            str(root),
            "--round",
            R1,
            str(f),
            "--department",
            "水利局",
            "--note",
            "电话确认为水利局",
            "--json",
        ]
    )
    assert code == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    assert (out["status"], out["code"], out["department"], out["submission_id"]) == (
        "accepted",
        "accepted.assigned",
        "水利局",
        r.submission_id,
    )
    with Project.open(root) as p:  # after a restart
        values = _values(p, R1)
        assert values[("水利局", _key(p, "河湖岸线保护率"))].current_number == 95
        [event] = _events(p, "correct.assign")
        assert event["note"] == "电话确认为水利局" and event["was"] == "not_template"
        subs = {s.submission_id: s for s in list_submissions(p, R1)}
        assert subs[r.submission_id].status == "accepted"


def test_assign_takes_only_the_rows_of_the_department(two_rounds, tmp_path):
    from ecodesk.intake.corrections import assign

    project, forms1, _ = two_rounds
    f = _bare(forms1["住建局"], tmp_path / "报表.xlsx", 95, title=False)
    [r] = collect(project, R1, [f]).results
    cat = project.catalogue()
    own = {i.key for i in cat.indicators_for("水投集团")}
    zj = {i.key for i in cat.indicators_for("住建局")}
    assert own & zj and zj - own  # 水投集团 shares some of 住建局's rows
    res = assign(project, R1, f"#{r.submission_id}", "水投集团", "住建局转来的，由水投集团填写")
    assert res.department == "水投集团" and "未采用" in res.message
    got = {k for (d, k) in _values(project, R1) if d == "水投集团"}
    assert got == own & zj
    with pytest.raises(EcoDeskError) as e:
        assign(project, R1, f"#{r.submission_id}", "统计局", "试试")
    assert e.value.code == "correct.no_rows"
    with pytest.raises(EcoDeskError) as e:
        assign(project, R1, f"#{r.submission_id}", "没有这个局", "试试")
    assert e.value.code == "correct.unknown_department"
    with pytest.raises(EcoDeskError) as e:
        assign(project, R1, f"#{r.submission_id}", "水投集团", "  ")
    assert e.value.code == "correct.no_note"


def test_confirm_reinstate_withdraw_through_the_cli_survive_a_restart(two_rounds, tmp_path, capsys):
    project, forms1, _ = two_rounds
    root = str(project.root)
    key = _key(project, "河湖岸线保护率")
    old = fill(forms1["水利局"], tmp_path / "旧.xlsx", {"河湖岸线保护率": {"current": 80}}, saved_at=T0)
    new = fill(
        forms1["水利局"],
        tmp_path / "新.xlsx",
        {"河湖岸线保护率": {"current": 96}},
        saved_at=T0 + dt.timedelta(days=2),
    )
    collect(project, R1, [old])
    collect(project, R1, [new])
    bare = _bare(forms1["水利局"], tmp_path / "另存为.xlsx", 91)  # saved now: the newest
    [b] = collect(project, R1, [bare]).results
    assert (b.code, b.needs_confirmation) == ("accepted.confirm", True)
    project.close()

    def run(*argv):
        code = main([*argv, "--json"])
        cap = capsys.readouterr()
        assert code == 0, cap.err
        return json.loads(cap.out)

    listed = run("submissions", root, "--round", R1)
    assert [s["status"] for s in listed] == ["superseded", "superseded", "accepted"]
    assert listed[-1]["needs_confirmation"] and not listed[0]["needs_confirmation"]
    r = run("reinstate", root, "--round", R1, str(old), "--note", "部门来电：以旧表为准")
    assert (r["status"], r["code"]) == ("accepted", "accepted.reinstated")
    with Project.open(root) as p:
        assert _values(p, R1)[("水利局", key)].current_number == 80
    r = run("withdraw", root, "--round", R1, "旧.xlsx", "--note", "误收")
    assert r["status"] == "withdrawn" and r["message"] == msg("withdrawn.by_clerk", department="水利局")
    with Project.open(root) as p:
        assert ("水利局", key) not in _values(p, R1)
    r = run("reinstate", root, "--round", R1, f"#{b.submission_id}", "--note", "以另存的表为准")
    assert r["needs_confirmation"] is False and r["status"] == "accepted"
    r = run("confirm", root, "--round", R1, f"#{b.submission_id}", "--note", "已电话核对")
    assert r["message"] == msg("accepted.confirmed", department="水利局")
    with Project.open(root) as p:
        assert _values(p, R1)[("水利局", key)].current_number == 91
        notes = [
            (e["action"], e["detail"]["note"])
            for e in p.ledger.audit_events()
            if e["action"].startswith("correct.")
        ]
        assert notes == [
            ("correct.reinstate", "部门来电：以旧表为准"),
            ("correct.withdraw", "误收"),
            ("correct.reinstate", "以另存的表为准"),
            ("correct.confirm", "已电话核对"),
        ]
    assert main(["confirm", root, "--round", R1, "没有这个.xlsx", "--note", "x"]) == 2
    assert "ecodesk submissions" in capsys.readouterr().err
