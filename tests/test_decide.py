"""The accept/reject policy walked row by row: the table in ``ecodesk/intake/decide.py``'s
docstring is parsed, and every row has a case here that must be decided by exactly that row."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ecodesk.intake import decide as D
from ecodesk.intake.decide import Current, FileFacts, LedgerView, decide

LED = LedgerView(
    round="R2",
    project_id="P",
    departments=frozenset({"住建局", "水利局"}),
    rows_of={"住建局": frozenset({"i1", "t1"}), "水利局": frozenset({"i2"})},
    latest={"住建局": (1, "h1")},
    rounds=frozenset({"R1", "R2"}),
)
GOOD = FileFacts(
    sha256="s1",
    provenance=D.SIGNED,
    template_project="P",
    template_department="住建局",
    template_round="R2",
    template_version=1,
    template_content_hash="h1",
    has_layout=True,
    rows=(("i1", "指标填报第5行"), ("t1", "任务进展第5行")),
    content_time="2025-06-02T09:00:00",
    values_hash="v1",
)
BARE = replace(  # a form whose hidden provenance sheet was lost: found by title and row names
    GOOD,
    provenance=D.NO_PROVENANCE,
    template_project="",
    template_department=None,
    template_round=None,
    template_version=None,
    title_department="住建局",
    title_round="R2",
)
HALF = replace(LED, current={"住建局": Current(7, "v0", "2025-06-01T09:00:00", "s7", frozenset({"i1"}))})
ROWS3 = (("i1", "指标填报第5行"), ("i2", "指标填报第6行"), ("t1", "任务进展第5行"))
HAS_CURRENT = replace(LED, current={"住建局": Current(7, "v0", "2025-06-01T09:00:00", "s7")})

CASES: dict[int, tuple[FileFacts, LedgerView]] = {
    1: (GOOD, replace(LED, seen={"s1": "2025-06-03T10:00:00+08:00"})),
    2: (FileFacts(sha256="s1", unreadable="unreadable.corrupt", detail="坏了"), LED),
    3: (replace(GOOD, provenance=D.BROKEN), LED),
    4: (replace(GOOD, has_layout=False), LED),
    5: (replace(GOOD, template_project="Q"), LED),
    6: (replace(GOOD, provenance=D.BAD_SIGNATURE), LED),
    7: (replace(GOOD, template_department="财政局"), LED),
    8: (replace(BARE, rows=()), LED),
    9: (replace(BARE, title_department=None), LED),
    10: (replace(GOOD, filename_department="水利局", rows=ROWS3, filled=frozenset({"i2"})), LED),
    11: (replace(GOOD, filename_department="水利局", rows=ROWS3, filled=frozenset({"i1", "i2"})), LED),
    12: (replace(GOOD, rows=(("i1", "指标填报第5行"), ("i2", "指标填报第6行"))), LED),
    13: (replace(GOOD, template_round="R1"), LED),
    14: (replace(GOOD, template_round="R0"), LED),
    15: (GOOD, replace(LED, latest={"住建局": (2, "h2")})),
    16: (replace(GOOD, values_hash="v0"), HAS_CURRENT),
    17: (replace(GOOD, filled=frozenset({"t1"})), HALF),
    18: (replace(GOOD, content_time="2025-06-01T09:00:00", sha256="s9"), HAS_CURRENT),
    19: (replace(GOOD, content_time=""), HAS_CURRENT),  # "s1" < "s7"
    20: (replace(GOOD, content_time="2025-05-01T09:00:00"), HAS_CURRENT),
    21: (replace(GOOD, template_round="R1"), replace(LED, force=True)),
    22: (BARE, LED),
    23: (GOOD, HAS_CURRENT),
    24: (GOOD, LED),
}


def policy_table() -> list[tuple[int, str, str, str, bool]]:
    """(row, condition, status, code, values) of the docstring's table."""
    lines = (D.__doc__ or "").splitlines()
    rows = []
    for line in lines[next(i for i, line in enumerate(lines) if line.startswith("===")) :]:
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0].isdigit():
            rows.append((int(cells[0]), cells[1], cells[2], cells[3], cells[4] == "yes"))
    return rows


def test_the_table_is_complete_and_in_order():
    rows = policy_table()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert set(CASES) == {r[0] for r in rows}


@pytest.mark.parametrize("row", policy_table(), ids=lambda r: f"row{r[0]}-{r[3]}")
def test_each_row_decides_its_case(row):
    number, _condition, status, code, values = row
    f, led = CASES[number]
    d = decide(f, led)
    assert d.rule == number
    assert d.status == status
    if code.startswith("unreadable.*"):
        assert d.code == f.unreadable
    else:
        assert d.code == code
    assert d.keep_values == values


def test_accepting_supersedes_the_current_file_and_needs_confirmation_only_without_provenance():
    assert decide(GOOD, HAS_CURRENT).replaces == 7
    assert decide(GOOD, LED).replaces is None
    assert decide(BARE, LED).confirm and not decide(GOOD, LED).confirm
    d = decide(*CASES[12])
    assert d.fields["rows"] == "指标填报第6行"  # only the foreign rows are named
    assert decide(*CASES[13]).fields == {"form_round": "R1", "round": "R2"}
    # only a signed template goes to its own round; a bare form naming another round waits
    d = decide(replace(BARE, title_round="R1"), LED)
    assert (d.status, d.code) == ("stale", "stale.round")


def test_the_file_name_gives_a_department_and_round_when_the_sheet_has_none():
    by_name = replace(
        BARE, title_department=None, title_round=None, filename_department="住建局", filename_round="R1"
    )
    d = decide(by_name, LED)
    assert (d.status, d.code, d.department) == ("stale", "stale.round", "住建局")


def test_ties_do_not_depend_on_the_order_files_arrive_in():
    a = replace(GOOD, sha256="s3", values_hash="va", content_time="2025-06-01T09:00:00")
    b = replace(GOOD, sha256="s8", values_hash="vb", content_time="2025-06-01T09:00:00")

    def current_after(first, second):
        d1 = decide(first, LED)
        led = replace(
            LED, current={"住建局": Current(1, first.values_hash, first.content_time, first.sha256)}
        )
        d2 = decide(second, led)
        assert d1.code == "accepted.new"
        winner = second if d2.accepted else first
        flagged = d2.confirm if d2.accepted else d2.confirm_current
        return winner.sha256, flagged

    assert current_after(a, b) == current_after(b, a) == ("s8", True)
    for unknown in ("", None):  # a missing (or implausible, made "") time cannot order files either
        c = replace(a, content_time=unknown or "")
        assert decide(c, HAS_CURRENT).code == "superseded.tie"


def test_a_department_on_another_departments_template_is_recorded_as_itself():
    d = decide(*CASES[10])
    assert (d.department, d.fields["template_of"], d.take_rows) == ("水利局", "住建局", frozenset({"i2"}))
    # and the rows after row 10 still apply to it as 水利局's file
    f = CASES[10][0]
    led = replace(LED, current={"水利局": Current(3, "v0", "2025-07-01T00:00:00", "s0")})
    assert decide(f, led).code == "superseded.older"
    # nothing filled: no evidence of who sent it
    assert decide(replace(f, filled=frozenset()), LED).code == "wrong_department.renamed"


def test_two_half_forms_merge_and_overlapping_ones_ask():
    d = decide(*CASES[17])
    assert (d.code, d.merge_from, d.replaces) == ("accepted.merged", 7, 7)
    both = replace(
        LED, current={"住建局": Current(7, "v0", "2025-06-01T09:00:00", "s7", frozenset({"i1", "x"}))}
    )
    newer = replace(GOOD, filled=frozenset({"i1", "t1"}))  # overlaps on i1, each has a row the other lacks
    d = decide(newer, both)
    assert (d.code, d.confirm) == ("accepted.changed", True)
    older = replace(newer, content_time="2025-05-01T00:00:00")
    d = decide(older, both)
    assert (d.code, d.confirm_current) == ("superseded.older", True)
    covering = replace(GOOD, filled=frozenset({"i1", "x", "t1"}))  # a full re-submission: no question
    assert not decide(covering, both).confirm
