"""One round loaded once (ecodesk.round_data): the verdicts and the report made from one RoundData
are the ones made afresh; data a write has made stale is never printed from; the catalogue
and the rules read once are never a stale or shared copy; the helpers the speed work added
(parse memo, collector pause, one-line fast path) answer as before."""

from __future__ import annotations

import datetime as dt
import gc
import math
import zipfile

from hypothesis import given
from hypothesis import strategies as st

import ecodesk.ledger.catalogue_tables as catalogue_tables
import ecodesk.verdicts.judge as judge_mod
from ecodesk.collector import collector_paused
from ecodesk.ledger.current import filled_keys
from ecodesk.project import Project
from ecodesk.report import write_report
from ecodesk.report.data import revision_problems
from ecodesk.report.revision import write_revisions
from ecodesk.round_data import load_round
from ecodesk.rules.parse import parse_rule
from ecodesk.status import round_status
from ecodesk.verdicts import judge_loaded, judge_round, override_verdict
from ecodesk.xlsx.text import _units, lines_for, row_lines

from .test_report import MISSING, R1, cycle  # noqa: F401  (the fixture: a round with every rule kind)

AFTER = dt.date(2025, 7, 5)  # after the round's deadline (2025-06-30)
BEFORE = dt.date(2025, 6, 25)


def _parts(path):
    """The workbook's parts, but for the one that records when it was written."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _verdicts(rv):
    return [v.to_dict() for v in rv.verdicts], [t.__dict__ for t in rv.tasks]


def _count(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def spy(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_the_report_from_one_round_data_is_the_report_made_afresh(cycle, tmp_path, monkeypatch):  # noqa: F811
    project = cycle[0]
    fresh_report = write_report(project, R1, tmp_path / "afresh.xlsx", as_of=AFTER)
    fresh_verdicts = _verdicts(judge_round(project, R1, AFTER))
    judged = _count(monkeypatch, judge_mod, "_judge_round")
    loads = _count(monkeypatch, catalogue_tables.CatalogueTables, "load_catalogue")
    rd = load_round(project, R1)
    rv = judge_round(project, R1, AFTER, data=rd)  # what `ecodesk validate` prints …
    shared = write_report(project, R1, tmp_path / "shared.xlsx", as_of=AFTER, data=rd)  # … and reports
    assert (len(judged), len(loads)) == (1, 1)  # one load of the catalogue, one judging
    assert shared.data.verdicts is rv
    assert _verdicts(rv) == fresh_verdicts
    assert _parts(shared.path) == _parts(fresh_report.path)
    assert [p.__dict__ for p in shared.data.problems] == [p.__dict__ for p in fresh_report.data.problems]
    # the 退回修改 copies made from the report's data list what a fresh gather lists
    by_dept = revision_problems(project, R1, AFTER)
    reused = write_revisions(project, R1, tmp_path / "rev", report=shared.data)
    assert {r.department for r in reused} == set(by_dept)
    assert {r.department: r.problems for r in reused} == {
        r.department: r.problems for r in write_revisions(project, R1, tmp_path / "rev2", today=AFTER)
    }


def test_the_status_from_loaded_data_is_the_status_read_afresh(cycle):  # noqa: F811
    project = cycle[0]
    rd = load_round(project, R1)
    for day in (BEFORE, AFTER):
        got = [s.to_dict() for s in round_status(project, R1, day, data=rd)]
        assert got == [s.to_dict() for s in round_status(project, R1, day)]
    assert {s["department"] for s in got if not s["reported"]} == set(MISSING)
    assert rd.filled() == filled_keys(project.ledger.conn, rd.round.id)


def test_loaded_data_a_write_made_stale_is_loaded_again(cycle, tmp_path):  # noqa: F811
    project = cycle[0]
    rd = load_round(project, R1)
    assert rd.is_current()
    before = {v.key: v.verdict for v in judge_loaded(rd, AFTER).verdicts}
    key = next(k for k, v in before.items() if v == "未达标")
    override_verdict(project, R1, key, "达标", "现场核验已达标")
    assert not rd.is_current()
    got = {v.key: v for v in judge_round(project, R1, AFTER, data=rd).verdicts}  # stale: loaded again
    assert got[key].verdict == "达标" and got[key].overridden
    assert {v.key: v.verdict for v in judge_loaded(rd, AFTER).verdicts} == before  # rd itself unchanged
    report = write_report(project, R1, tmp_path / "r.xlsx", as_of=AFTER, data=rd)
    assert report.data.round_data is not rd
    assert next(v for v in report.data.verdicts.verdicts if v.key == key).verdict == "达标"
    # another window's write (another connection) makes it stale too
    rd = load_round(project, R1)
    with Project.open(project.root) as other:
        other.update_settings(office_contact="创建办 张三 0575-1234567")
    assert not rd.is_current()
    assert load_round(project, R1).settings["office_contact"] == "创建办 张三 0575-1234567"


def test_a_round_is_judged_once_a_day_asked(cycle, monkeypatch):  # noqa: F811
    project = cycle[0]
    rd = load_round(project, R1)
    judged = _count(monkeypatch, judge_mod, "_judge_round")
    after = judge_loaded(rd, AFTER)
    assert judge_loaded(rd, AFTER) is after and len(judged) == 1
    before = judge_loaded(rd, BEFORE)  # another day: judged again (待报 and 缺报 depend on it)
    assert before is not after and judge_loaded(rd, BEFORE) is before and len(judged) == 2
    assert _verdicts(before) == _verdicts(judge_round(project, R1, BEFORE))


def test_an_edit_of_the_catalogue_is_seen_by_the_next_load(cycle):  # noqa: F811
    """The catalogue and the rule are read afresh after ``edit_indicator`` (nothing keeps an old
    copy), and what a caller does to a rule's warnings spoils nobody else's."""
    project = cycle[0]
    rd = load_round(project, R1)
    v = next(v for v in judge_loaded(rd, AFTER).verdicts if v.verdict == "达标" and v.value_number is not None)
    text = rd.catalogue.indicator(v.key).target_text
    rd.catalogue.indicator(v.key).target_text = "≥1000000"  # a caller's own copy: changes nothing
    assert project.catalogue().indicator(v.key).target_text == text != "≥1000000"
    project.edit_indicator(v.key, "按上级新要求", target_text="≥1000000")
    again = load_round(project, R1)
    assert again.catalogue.indicator(v.key).target_text == "≥1000000"
    assert next(x for x in judge_loaded(again, AFTER).verdicts if x.key == v.key).verdict == "未达标"
    cat = project.catalogue()  # an import replaces the whole catalogue: seen by the next load too
    cat.indicator(v.key).name = "改过名称的指标"
    project.replace_catalogue(cat, reason="重新导入附件1")
    assert project.catalogue().indicator(v.key).name == "改过名称的指标"
    assert load_round(project, R1).catalogue.indicator(v.key).name == "改过名称的指标"
    first = parse_rule("≥60", "%")
    first.warnings.append("a caller's note")
    first.findings.clear()
    assert parse_rule("≥60", "%").warnings == [] and parse_rule("≥60", "%").rule == first.rule
    assert parse_rule("保持稳定", "%").warnings == parse_rule("保持稳定", "%").warnings != []


def test_the_collector_pause_nests_and_restores():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # the caller's choice stays
    finally:
        gc.enable()


def _lines_slow(text, width, size=10):
    width = width * 10 / size
    return sum(max(1, math.ceil(_units(part) / max(width - 1.5, 1))) for part in text.split("\n"))


def _row_lines_slow(blocks):
    lines = {}
    for r1, r2, need in blocks:
        if r1 == r2:
            lines[r1] = max(lines.get(r1, 1), need)
    for r1, r2, need in blocks:
        if r1 != r2:
            have = sum(lines.get(r, 1) for r in range(r1, r2 + 1))
            if need > have:
                lines[r2] = lines.get(r2, 1) + need - have
    return lines


@given(
    st.text(alphabet=st.sampled_from("ab1 .生态环境局\n"), max_size=60),
    st.floats(min_value=2, max_value=60),
    st.sampled_from([9, 10, 11, 14]),
)
def test_the_one_line_shortcut_counts_as_the_full_count(text, width, size):
    assert lines_for(text, width, size) == _lines_slow(text, width, size)


@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 3), st.integers(1, 6)).map(lambda t: (t[0], t[0] + t[1], t[2])),
        max_size=30,
    )
)
def test_row_lines_as_before(blocks):
    got, want = row_lines(blocks), _row_lines_slow(blocks)
    assert {r: got.get(r, 1) for r in range(20)} == {r: want.get(r, 1) for r in range(20)}


def test_report_with_revisions_on_the_command_line_judges_once(cycle, tmp_path, capsys, monkeypatch):  # noqa: F811
    import json

    from ecodesk.cli import main

    project = cycle[0]
    expected = revision_problems(project, R1)
    judged = _count(monkeypatch, judge_mod, "_judge_round")
    out = tmp_path / "汇总表.xlsx"
    assert main(["report", str(project.root), "--round", R1, "--out", str(out), "--revisions", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert len(judged) == 1  # the 退回修改 copies reuse the report's data
    assert got["path"] == str(out) and out.is_file()
    with_file = set(load_round(project, R1).files)
    made = {r["department"] for r in got["revisions"] if r["path"]}
    assert made == {d for d in expected if d in with_file} != set()
