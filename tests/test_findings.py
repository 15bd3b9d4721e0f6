"""Findings are data: one type (code, fields, location) from intake, rule parsing and verdicts,
stored in the ledger as codes and rendered from the one message catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecodesk import messages
from ecodesk.findings import Finding, render
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect, list_submissions
from ecodesk.intake.normalise import FLAG_TEXT
from ecodesk.messages import MESSAGES, msg, section
from ecodesk.rules.parse import parse_rule
from ecodesk.rules.phrase import MESSAGES as RULE_MESSAGES

from .filling import COL, fill

R1 = "2025年第一轮"


@pytest.fixture
def issued(project):
    project.add_round(R1, "2025-06-30")
    return project, {f.department: Path(f.path) for f in generate_round(project, R1).forms}


def _stored(project, sid: int) -> list[dict]:
    row = project.ledger.conn.execute("SELECT problems FROM submissions WHERE id = ?", (sid,)).fetchone()
    return json.loads(row["problems"])


def test_a_finding_is_a_code_with_fields_and_a_location():
    f = Finding.of(
        "value.not_number", sheet="指标填报", row=7, name="县城污水处理率", field="本期值", raw="九十五"
    )
    code, fields = f  # still a (code, fields) pair
    assert code == "value.not_number" and fields["raw"] == "九十五"
    assert f.location == {"sheet": "指标填报", "row": 7}
    assert f.at(cell="G7", key="ind-1").location == {
        "sheet": "指标填报",
        "row": 7,
        "cell": "G7",
        "key": "ind-1",
    }
    assert f.message == msg("value.not_number", **fields)
    assert Finding.from_dict(f.to_dict()) == f
    with pytest.raises(AssertionError):
        Finding.of("no.such_code")


def test_intake_findings_are_stored_as_codes_with_cell_and_key(issued, tmp_path):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": "九十五"}})
    [r] = collect(project, R1, [src]).results
    [p] = [p for p in _stored(project, r.submission_id) if p["code"] == "value.not_number"]
    key = next(i.key for i in project.catalogue().indicators if i.name == "县城污水处理率")
    assert p["key"] == key and p["sheet"] == L.SHEET_INDICATORS
    assert p["cell"] == f"{L.col_letter(COL['current'] - 1)}{p['row']}"
    assert p["fields"]["raw"] == "九十五" and p["fields"]["field"] == "本期值"
    assert render(p) == msg("value.not_number", **p["fields"]) == p["message"]


def test_stored_findings_are_rendered_from_the_catalogue_when_shown(issued, tmp_path, monkeypatch):
    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": "九十五"}})
    [r] = collect(project, R1, [src]).results
    monkeypatch.setitem(MESSAGES, "value.not_number", "第 {row} 行改过的说法：{raw}")
    [listed] = [s for s in list_submissions(project, R1) if s.submission_id == r.submission_id]
    assert any(text.endswith("改过的说法：九十五") for text in listed.problems)


def test_one_catalogue_holds_rule_flag_and_issue_messages():
    assert section("rule.") == RULE_MESSAGES and RULE_MESSAGES
    assert section("flag.") == FLAG_TEXT and FLAG_TEXT
    result = parse_rule("")
    assert result.warnings == [msg("rule.empty")]
    assert all(code.count(".") >= 1 for code in messages.MESSAGES)


def test_verdict_issues_are_findings_with_the_indicator_and_cell(issued, tmp_path):
    from ecodesk.verdicts import REVIEW, judge_round

    project, forms = issued
    src = fill(forms["住建局"], tmp_path / "a.xlsx", {"县城污水处理率": {"current": 0.952}})
    collect(project, R1, [src])
    v = next(x for x in judge_round(project, R1).verdicts if x.name == "县城污水处理率")
    assert v.verdict == REVIEW
    [f] = [f for f in v.findings if f.code == "issue.fraction"]
    assert f.location == {"cell": v.sources[0]["cell"], "key": v.key}
    assert f.fields["raw"] == "0.952" and f.fields["scaled"] == "95.2"
    assert f.message in v.issues
    assert v.to_dict()["findings"][0]["code"] == "issue.fraction"


def test_rule_parsing_gives_findings_with_codes():
    result = parse_rule("≥90（暂定）", "%", "higher")
    codes = [f.code for f in result.findings]
    assert "rule.note" in codes
    [note] = [f for f in result.findings if f.code == "rule.note"]
    assert note.fields["note"] and note.message in result.warnings
    assert [f.message for f in result.findings] == result.warnings
    assert [f.code for f in parse_rule("").findings] == ["rule.empty"]
