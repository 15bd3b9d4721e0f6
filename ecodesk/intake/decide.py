"""The accept/reject policy: what happens to one returned file, given what the file is and what
the ledger holds. Pure: no I/O, no clock, no SQL — :func:`decide` maps (:class:`FileFacts`,
:class:`LedgerView`) to a :class:`Decision`; ``collect.py`` gathers the facts, runs the batch
and records the decision.

The policy, checked top to bottom; the first row whose condition holds decides
(``values`` = the file's values are stored with its record, so the clerk can later adopt it):

===  ====================================================================  ================  =============================  ======
#    condition                                                             status            code                           values
===  ====================================================================  ================  =============================  ======
1    the same bytes were already taken in this round                       duplicate         duplicate.same_file            no
2    the file cannot be read                                               unreadable        unreadable.* (the reader's)    no
3    our provenance sheet is there but cannot be read (tampered)           wrong_department  wrong_department.checksum      no
4    provenance, but no indicator or task sheet with its header            not_template      not_template.foreign           no
5    provenance of another project                                         not_template      not_template.other_project     no
6    provenance whose signature does not verify                            wrong_department  wrong_department.checksum      no
7    provenance naming a department not in the roster                      wrong_department  wrong_department.unknown       no
8    no provenance, and no form layout or no filled-in rows                not_template      not_template.foreign           no
9    no provenance, no department in title, file name or mail sender       not_template      not_template.no_department     no
10   the file name names another department, which fills every filled row  accepted          accepted.other_template        yes
11   the file name names another department than the template              wrong_department  wrong_department.renamed       no
12   rows that belong to another department                                wrong_department  wrong_department.foreign_rows  no
13   a signed form of another round of this project, not forced            other_round       routed.other_round             no
14   a form of another (or unknown) round, not forced                      stale             stale.round                    yes
15   an older issue version of this round's form, not forced               stale             stale.version                  yes
16   the same values as the department's current file                      duplicate         duplicate.same_values          no
17   filled rows do not overlap the current file's: both halves kept       accepted          accepted.merged                yes
18   same saved time as the current file (or unknown), larger SHA          accepted          accepted.tie                   yes
19   same saved time as the current file (or unknown), smaller SHA         superseded        superseded.tie                 yes
20   saved before the department's current file                            superseded        superseded.older               yes
21   a form of another round, forced into this one                         accepted          accepted.forced_round          yes
22   no provenance (rows matched by number and name): confirm              accepted          accepted.confirm               yes
23   the department already has a current file                             accepted          accepted.changed               yes
24   otherwise                                                             accepted          accepted.new                   yes
===  ====================================================================  ================  =============================  ======

Row 10 names the sender: the rows after it still apply to the file as that department's (it is
``accepted.other_template`` only when none of rows 12–20 decides), and only that department's rows
are kept (``Decision.take_rows``).

Row 17: two 科室 each sending part of the form — the new file's values are taken and the rows only
the current file filled are kept with their source (``Decision.merge_from``). When both files
filled rows the other left empty *and* some of the same rows, the newer one wins (rows 18–20, 23)
and the clerk is asked (``confirm`` / ``confirm_current``).

Rows 18–19 keep the result independent of the order files arrive in: when two files of a
department cannot be ordered by their saved times (the same second, or a time that is missing or
implausible), the one with the larger SHA-256 is current and both are marked for the clerk
(``Decision.confirm_current`` flags the file already current).

``other_round``: the file is decided again, and recorded, in the round it was made for (row 13
is never reached there); the clerk sees that it went there and why. Forcing a file into the round
the clerk chose (row 21) is an explicit act, recorded as such.

An accepted file becomes the department's current file and the previous current one (if any)
becomes ``superseded`` (``Decision.replaces``). ``tests/test_decide.py`` walks this table: one
case per row, checked against the row's status and code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..times import local_time

#: provenance states of a file, as :class:`FileFacts` records them
NO_PROVENANCE, BROKEN, SIGNED, BAD_SIGNATURE = "none", "broken", "signed", "bad_signature"


@dataclass(frozen=True)
class FileFacts:
    """What one returned file is, as read (no ledger knowledge)."""

    sha256: str = ""
    unreadable: str = ""  # an unreadable.* code when the file cannot be used
    detail: str = ""
    provenance: str = NO_PROVENANCE  # none | broken | signed | bad_signature
    template_project: str = ""  # from the provenance sheet
    template_department: str | None = None
    template_round: str | None = None
    template_version: int | None = None
    template_content_hash: str = ""
    has_layout: bool = False  # 指标填报 or 任务进展 with its header was found
    title_department: str | None = None  # roster name from the sheet title
    title_round: str | None = None
    filename_department: str | None = None  # roster name from the file name
    filename_round: str | None = None
    mail_department: str | None = None  # the department whose known address sent the mail it came in
    rows: tuple[tuple[str, str], ...] = ()  # (indicator or task key, "指标填报第5行") of every matched row
    filled: frozenset[str] = frozenset()  # keys of the rows something was written in
    content_time: str = ""  # last saved (ISO), "" when unknown
    values_hash: str = ""


@dataclass(frozen=True)
class Current:
    """A department's current file in the round."""

    id: int
    values_hash: str
    content_time: str  # "" when unknown or implausible
    sha256: str = ""
    filled: frozenset[str] = frozenset()  # keys of the rows it has something in


@dataclass(frozen=True)
class LedgerView:
    """What the ledger holds that the decision needs, for one round."""

    round: str
    project_id: str
    departments: frozenset[str]
    rows_of: Mapping[str, frozenset[str]]  # department → the indicator and task keys it fills
    seen: Mapping[str, str] = field(default_factory=dict)  # sha256 taken in this round → received at
    latest: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # dept → (version, content hash)
    current: Mapping[str, Current] = field(default_factory=dict)
    force: bool = False
    rounds: frozenset[str] = frozenset()  # every round of the project


@dataclass(frozen=True)
class Decision:
    status: str
    code: str
    department: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)  # for the message template
    keep_values: bool = False  # store the values with the record (accepted, or adoptable later)
    confirm: bool = False  # the clerk must confirm (needs_confirmation)
    replaces: int | None = None  # the current submission an accepted file supersedes
    confirm_current: bool = False  # the department's current file now needs the clerk too (a tie)
    take_rows: frozenset[str] | None = None  # store only these rows (another department's template)
    merge_from: int | None = None  # keep the rows this (current) file filled: a partial return
    rule: int = 0  # the row of the policy table that decided

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def decide(f: FileFacts, led: LedgerView) -> Decision:
    """Apply the policy table (module docstring) to one file."""
    seen = led.seen.get(f.sha256) if f.sha256 else None
    if seen:
        return Decision("duplicate", "duplicate.same_file", fields={"time": local_time(seen)}, rule=1)
    if f.unreadable:
        return Decision("unreadable", f.unreadable, fields={"detail": f.detail or "未知原因"}, rule=2)
    if f.provenance == BROKEN:
        return Decision("wrong_department", "wrong_department.checksum", rule=3)
    signed = f.provenance in (SIGNED, BAD_SIGNATURE)
    confirm = False
    if signed:
        if not f.has_layout:
            return Decision("not_template", "not_template.foreign", rule=4)
        if f.template_project != led.project_id:
            return Decision("not_template", "not_template.other_project", rule=5)
        if f.provenance == BAD_SIGNATURE:
            return Decision("wrong_department", "wrong_department.checksum", rule=6)
        dept = f.template_department or ""
        if dept not in led.departments:
            return Decision(
                "wrong_department", "wrong_department.unknown", dept, {"department": dept}, rule=7
            )
        form_round = f.template_round
    else:
        if not f.has_layout or not f.rows:
            return Decision("not_template", "not_template.foreign", rule=8)
        dept = f.title_department or f.filename_department or f.mail_department or ""
        if not dept:
            return Decision("not_template", "not_template.no_department", rule=9)
        confirm = True
        form_round = f.title_round
    form_round = form_round or f.filename_round
    named = f.filename_department
    template_of = ""  # the department whose template another department filled in
    if named and named != dept:
        mine = led.rows_of.get(named, frozenset())
        if f.filled and all(key in mine for key in f.filled):
            template_of, dept = dept, named  # the evidence says who sent it: the name and the rows
        else:
            return Decision(
                "wrong_department",
                "wrong_department.renamed",
                dept,
                {"named": named, "department": dept},
                rule=11,
            )
    own = led.rows_of.get(dept, frozenset())
    checked = [(k, w) for k, w in f.rows if k in f.filled] if template_of else f.rows
    foreign = [where for key, where in checked if key not in own]
    if foreign:
        return Decision(
            "wrong_department",
            "wrong_department.foreign_rows",
            dept,
            {"department": dept, "rows": "、".join(foreign)[:120]},
            rule=12,
        )
    other_round = bool(form_round) and form_round != led.round
    if other_round and signed and form_round in led.rounds and not led.force:
        return Decision(
            "other_round",
            "routed.other_round",
            dept,
            {"form_round": form_round, "round": led.round},
            rule=13,
        )
    if other_round and not led.force:
        return Decision(
            "stale",
            "stale.round",
            dept,
            {"form_round": form_round, "round": led.round},
            keep_values=True,
            rule=14,
        )
    if signed and not led.force and not template_of:
        latest = led.latest.get(dept)
        version = f.template_version or 0
        if latest and latest[0] > version and latest[1] != f.template_content_hash:
            return Decision(
                "stale",
                "stale.version",
                dept,
                {"old": version, "new": latest[0], "department": dept},
                keep_values=True,
                rule=15,
            )
    current = led.current.get(dept)
    if current is not None and current.values_hash == f.values_hash:
        return Decision("duplicate", "duplicate.same_values", dept, {"department": dept}, rule=16)
    if current is not None and f.filled and current.filled and not (f.filled & current.filled):
        return Decision(
            "accepted",
            "accepted.merged",
            dept,
            {"department": dept, "round": led.round},
            keep_values=True,
            replaces=current.id,
            merge_from=current.id,
            take_rows=(led.rows_of.get(dept, frozenset()) if template_of else None),
            rule=17,
        )
    overlap = bool(
        current is not None
        and f.filled
        and current.filled
        and (current.filled - f.filled)
        and (f.filled - current.filled)
    )
    if current is not None and (
        not f.content_time or not current.content_time or f.content_time == current.content_time
    ):
        fields = {"department": dept}
        if f.sha256 > current.sha256:
            return Decision(
                "accepted",
                "accepted.tie",
                dept,
                fields,
                keep_values=True,
                confirm=True,
                replaces=current.id,
                rule=18,
            )
        return Decision(
            "superseded", "superseded.tie", dept, fields, keep_values=True, confirm_current=True, rule=19
        )
    if current is not None and f.content_time < current.content_time:
        return Decision(
            "superseded",
            "superseded.older",
            dept,
            {"department": dept, "time": local_time(f.content_time)},
            keep_values=True,
            confirm_current=overlap,
            rule=20,
        )
    if template_of:
        code, rule = "accepted.other_template", 10
    elif other_round:  # and forced
        code, rule = "accepted.forced_round", 21
    elif confirm:
        code, rule = "accepted.confirm", 22
    elif current is not None:
        code, rule = "accepted.changed", 23
    else:
        code, rule = "accepted.new", 24
    return Decision(
        "accepted",
        code,
        dept,
        {
            "department": dept,
            "round": led.round,
            "form_round": form_round or led.round,
            "template_of": template_of,
        },
        keep_values=True,
        confirm=confirm or overlap,
        replaces=current.id if current is not None else None,
        take_rows=led.rows_of.get(dept, frozenset()) if template_of else None,
        rule=rule,
    )
