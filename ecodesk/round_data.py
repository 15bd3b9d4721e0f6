"""What one round's verdicts and report read from the ledger, loaded by one call
(:func:`load_round`): the round, the catalogue, the project settings, the current submissions and
their values, the comparison period's values (and the original period's, where the clerk changed
an indicator's comparison), the clerk's overrides and the round's 佐证材料.

The verdicts (:func:`ecodesk.verdicts.judge_loaded`), the report (:func:`ecodesk.report.data.gather`)
and the command line's ``validate`` and ``report`` read from one :class:`RoundData`, so a report
run loads the catalogue once and judges the round once. A RoundData is a snapshot: it knows the
ledger's state it was read at (:meth:`RoundData.is_current`), and the report reloads one that a
write has made stale rather than print from it.

This room sits between the verdicts/status rooms above and intake below: it may use the project,
the ledger, the catalogue and intake's evidence desk, nothing above them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue
from .ledger.current import current_files, current_task_reports, issued_forms, round_submissions
from .ledger.overrides import round_overrides
from .ledger.store import Round
from .ledger.values import ComparisonValues, StoredValue, current_values
from .project import Project

if TYPE_CHECKING:
    from .intake.evidence_desk import RoundEvidence


@dataclass
class RoundData:
    """One round as the ledger held it when :func:`load_round` read it."""

    project: Project
    round: Round
    catalogue: Catalogue
    settings: dict[str, Any]
    values: list[StoredValue]  # the current files' values, every department
    comparisons: ComparisonValues  # each indicator's comparison period and its figures
    #: the original comparison's figures, for the indicators whose comparison the clerk changed
    originals: ComparisonValues
    overrides: dict[str, Any]  # indicator key → the clerk's verdict row
    evidence: RoundEvidence
    files: dict[str, Any]  # department → its current file's row in ``submissions``
    forms: list[Any]  # the forms issued this round, oldest version first (``issued_forms`` rows)
    submissions: list[Any]  # every file the round received, in the order received
    task_reports: list[Any]  # the current files' task rows, with their file's name and hash
    state: tuple[int, int] = (0, 0)  # the ledger's :meth:`~ecodesk.ledger.store.Ledger.state` when read
    #: verdicts judged from this data, by the day they were judged as of (ecodesk.verdicts.judge_loaded)
    judged: dict[date, Any] = field(default_factory=dict, repr=False)

    @property
    def issued(self) -> set[str]:
        """The departments a form was issued to this round."""
        return {r["department"] for r in self.forms}

    def filled(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """(department → indicators it gave a value or 不适用 for, department → tasks it gave a
        status for), as :func:`ecodesk.ledger.current.filled_keys` counts them."""
        indicators: dict[str, set[str]] = {}
        for v in self.values:
            if v.current_kind != "empty" or v.not_applicable:
                indicators.setdefault(v.department, set()).add(v.indicator_key)
        tasks: dict[str, set[str]] = {}
        for r in self.task_reports:
            if r["status_raw"] != "":
                tasks.setdefault(r["department"], set()).add(r["task_key"])
        return indicators, tasks

    def by_indicator(self) -> dict[str, list[StoredValue]]:
        """Indicator key → the departments' values, in the ledger's order."""
        out: dict[str, list[StoredValue]] = {}
        for x in self.values:
            out.setdefault(x.indicator_key, []).append(x)
        return out

    def is_current(self) -> bool:
        """Nothing was written to the ledger since this was read (this connection or another)."""
        return self.project.ledger.state() == self.state

    def original_comparison(self, key: str) -> tuple[dict[str, StoredValue], Any] | None:
        """The original comparison's figures and period of an indicator whose comparison the clerk
        changed, else None."""
        if key not in self.originals.comparisons:
            return None
        return self.originals.values.get(key, {}), self.originals.comparisons[key]


def load_round(project: Project, round_name: str) -> RoundData:
    """Everything :class:`RoundData` holds, read from the ledger now (the catalogue once)."""
    from .intake.evidence_desk import round_evidence

    conn = project.ledger.conn
    state = project.ledger.state()
    rnd = project.round(round_name)
    cat = project.catalogue()
    comparisons = project.ledger.comparison_values(rnd.name, cat.indicators)
    originals = project.ledger.comparison_values(  # where the clerk changed the comparison period
        rnd.name,
        [dataclasses.replace(i, comparison=i.edits["comparison"].get("original") or "") for i in cat.indicators
         if "comparison" in i.edits],
    )  # fmt: skip
    with project.one_catalogue(cat):  # the evidence desk reads the same catalogue
        evidence = round_evidence(project, rnd.name)
    return RoundData(
        project,
        rnd,
        cat,
        project.settings(),
        current_values(conn, rnd.id),
        comparisons,
        originals,
        round_overrides(conn, rnd.id),
        evidence,
        current_files(conn, rnd.id),
        issued_forms(conn, rnd.id),
        round_submissions(conn, rnd.id),
        current_task_reports(conn, rnd.id),
        state,
    )


def fresh(project: Project, round_name: str, data: RoundData | None) -> RoundData:
    """``data`` when it is this project's round and still current, else the round loaded now."""
    if (
        data is not None
        and data.project is project
        and data.round.name == round_name
        and data.is_current()
    ):
        return data
    return load_round(project, round_name)
