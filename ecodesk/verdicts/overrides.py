"""The clerk's word on a verdict: accept or override it with a note (and a corrected 本期值),
or take the override back; kept in the ledger, audited, printed in the report."""

from __future__ import annotations

from ..ledger.overrides import delete_override, put_override
from ..ledger.store import current_user, now_iso
from ..messages import EcoDeskError
from ..project import Project
from .judge import judge_round
from .model import VERDICTS


def override_verdict(
    project: Project, round_name: str, key: str, verdict: str, note: str = "", value: str = ""
) -> None:
    """Accept (same verdict) or override a verdict, optionally with the corrected 本期值 (``value``,
    e.g. the department's misread "九十五" as 95); kept in the ledger and printed in the report."""
    if verdict not in VERDICTS:
        raise EcoDeskError("verdict.bad", value=verdict)
    value = (value or "").strip()
    rnd = project.round(round_name)
    cat = project.catalogue()
    try:
        ind = cat.indicator(key)
    except KeyError as exc:
        raise EcoDeskError("verdict.unknown_indicator", key=key) from exc
    current = next(v for v in judge_round(project, round_name).verdicts if v.key == key)
    if (verdict != current.computed or value) and not note.strip():
        raise EcoDeskError("verdict.note_required")
    with project.ledger.transaction() as c:
        put_override(c, rnd.id, key, verdict, current.computed, note.strip(), now_iso(), current_user(), value)
        project.ledger.audit(
            c,
            "verdict.override",
            round=rnd.name,
            indicator=ind.name,
            verdict=verdict,
            original=current.computed,
            note=note,
            value=value,
        )


def clear_override(project: Project, round_name: str, key: str) -> None:
    rnd = project.round(round_name)
    with project.ledger.transaction() as c:
        delete_override(c, rnd.id, key)
        project.ledger.audit(c, "verdict.clear_override", round=rnd.name, indicator=key)
