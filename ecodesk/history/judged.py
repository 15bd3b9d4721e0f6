"""Each round's verdicts, as :func:`ecodesk.verdicts.judge_round` gives them (the lead
department's value unless the clerk chose otherwise, overrides applied), kept as columns.

Judging twenty rounds of a province takes seconds, so each round's verdicts are kept in the ledger
(``verdict_snapshots``) under a fingerprint of everything that can change them (see
:mod:`ecodesk.ledger.snapshots`); a round is judged afresh only when its fingerprint changed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..project import Project
from ..verdicts.model import Outcome
from .rounds import RoundInfo, round_infos

if TYPE_CHECKING:
    from ..verdicts import Verdict

#: What the history keeps of each verdict (one column each in a round's snapshot).
VERDICT_FIELDS = ("indicator_key", "number", "name", "unit", "value", "value_number", "previous",
                  "previous_from", "target", "verdict", "computed", "overridden", "override_note",
                  "department", "source", "reason")  # fmt: skip

Columns = dict[str, list[Any]]


def columns(verdicts: list[Verdict]) -> Columns:
    """A judged round as columns; the county's value is the chosen department's (the lead's unless
    it left the cell empty), or the clerk's corrected value where the override carries one."""
    cols: Columns = {f: [] for f in VERDICT_FIELDS}
    for v in verdicts:
        src = v.sources[0] if v.sources and v.verdict != Outcome.MISSING else None
        corrected = getattr(v, "corrected_value", None)
        if corrected not in (None, ""):
            value = str(corrected)
            number = float(corrected) if isinstance(corrected, int | float) else v.value_number
        else:
            value, number = v.value, v.value_number
        row = {
            "indicator_key": v.key,
            "number": v.number,
            "name": v.name,
            "unit": v.unit,
            "value": value,
            "value_number": number,
            "previous": v.previous,
            "previous_from": v.previous_from,
            "target": v.assigned,
            "verdict": v.verdict,
            "computed": v.computed,
            "overridden": v.overridden,
            "override_note": v.override_note,
            "department": src["department"] if src else "",
            "source": f"{src['department']}，{src['file']}，{src['sheet']}!{src['cell']}" if src else "",
            "reason": v.reason,
        }
        for k in VERDICT_FIELDS:
            x = row[k]
            # a verdict is an Outcome (a StrEnum): kept as its plain word, as a snapshot reads back
            cols[k].append(str.__str__(x) if isinstance(x, str) and type(x) is not str else x)
    return cols


def round_verdicts(
    project: Project, rounds: list[RoundInfo] | None = None, today: date | None = None, store: bool = True
) -> dict[int, Columns]:
    """The verdicts of every round as columns (:data:`VERDICT_FIELDS`), from the ledger's snapshot
    where it is still valid, judged where anything changed (and, with ``store``, the snapshot
    renewed)."""
    out, fresh = judged_rounds(project, rounds if rounds is not None else round_infos(project), today)
    if store:
        from ..ledger import snapshots

        snapshots.write(project.ledger, fresh)
    return out


def judged_rounds(
    project: Project,
    rounds: list[RoundInfo],
    today: date | None,
    judged: dict[str, list[Verdict]] | None = None,
    keep_judged: bool = True,
    prints: dict[int, str] | None = None,
    reuse: bool = True,
) -> tuple[dict[int, Columns], dict[int, tuple[str, Columns]]]:
    """(columns of every round in ``rounds``, the ones judged now with their fingerprints — for the
    caller to store once its reads are done). ``judged``: rounds the caller has just judged, by
    name; kept as snapshots only with ``keep_judged`` (they were judged as of today). ``prints``:
    the fingerprints of all the project's rounds, where the caller has them (``rounds`` may then be
    some of them). ``reuse=False``: every round judged again, whatever its snapshot."""
    from ..ledger import snapshots
    from ..verdicts import judge_round

    conn = project.ledger.conn
    if prints is None:
        prints = snapshots.fingerprints(
            conn, [(r.id, r.order, r.deadline) for r in rounds], today or date.today()
        )
    out = snapshots.read(conn, {r.id: prints[r.id] for r in rounds}) if reuse else {}
    fresh = {}
    for info in rounds:
        if info.name in (judged or {}):  # just judged by the caller, from the same ledger
            out[info.id] = columns(judged[info.name])  # type: ignore[index]
            if keep_judged:
                fresh[info.id] = (prints[info.id], out[info.id])
        elif info.id not in out:
            out[info.id] = columns(judge_round(project, info.name).verdicts)
            fresh[info.id] = (prints[info.id], out[info.id])
    return {r.id: out[r.id] for r in rounds}, fresh
