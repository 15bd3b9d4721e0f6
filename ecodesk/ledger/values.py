"""Queries over submissions and values: the current file of each department, values with their
source, what a department reported in an indicator's comparison period (上年 / 上年同期 /
上一轮 / 基准年, see :mod:`ecodesk.periods`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..periods import Comparison, comparison_for
from .current import CURRENT


@dataclass
class StoredValue:
    indicator_key: str
    department: str
    current_raw: str
    current_kind: str
    current_number: float | None
    current_status: str | None
    previous_raw: str
    previous_number: float | None
    period: str
    target_raw: str
    target_number: float | None
    not_applicable: bool
    source: str
    note: str
    evidence: str
    flags: list[str]
    sheet: str
    current_cell: str
    previous_cell: str
    target_cell: str
    submission_id: int
    file_name: str
    sha256: str
    received_at: str
    extra: dict[str, Any] = field(default_factory=dict)

    def where(self, cell: str | None = None) -> str:
        return f"{self.department}，{self.file_name}，{self.sheet}!{cell or self.current_cell}"


_SELECT = """
SELECT v.*, o.original_name AS file_name, o.sha256 AS sha256, o.received_at AS received_at
FROM indicator_values v JOIN submissions s ON s.id = v.submission_id
JOIN submissions o ON o.id = COALESCE(v.from_submission, v.submission_id)
"""  # s: the submission holding the value; o: the file it was read from (another when merged)


def _stored(r: sqlite3.Row) -> StoredValue:
    return StoredValue(
        indicator_key=r["indicator_key"],
        department=r["department"],
        current_raw=r["current_raw"],
        current_kind=r["current_kind"],
        current_number=r["current_number"],
        current_status=r["current_status"],
        previous_raw=r["previous_raw"],
        previous_number=r["previous_number"],
        period=r["period"],
        target_raw=r["target_raw"],
        target_number=r["target_number"],
        not_applicable=bool(r["not_applicable"]),
        source=r["source"],
        note=r["note"],
        evidence=r["evidence"],
        flags=json.loads(r["flags"]),
        sheet=r["sheet"],
        current_cell=r["current_cell"],
        previous_cell=r["previous_cell"],
        target_cell=r["target_cell"],
        submission_id=r["submission_id"],
        file_name=r["file_name"],
        sha256=r["sha256"],
        received_at=r["received_at"],
    )


def current_values(conn: sqlite3.Connection, round_id: int) -> list[StoredValue]:
    """Values of every department's current (accepted) file in the round."""
    rows = conn.execute(
        _SELECT + f" WHERE {CURRENT} ORDER BY s.department", (round_id,)
    )
    return [_stored(r) for r in rows]


def submission_values(conn: sqlite3.Connection, submission_id: int) -> dict[str, StoredValue]:
    rows = conn.execute(_SELECT + " WHERE v.submission_id = ?", (submission_id,))
    return {r["indicator_key"]: _stored(r) for r in rows}


def previous_round(conn: sqlite3.Connection, round_name: str) -> sqlite3.Row | None:
    """The round before ``round_name`` by deadline (then creation order)."""
    return conn.execute(
        "SELECT * FROM rounds WHERE (deadline, id) < (SELECT deadline, id FROM rounds WHERE name = ?) "
        "ORDER BY deadline DESC, id DESC LIMIT 1",
        (round_name,),
    ).fetchone()


@dataclass
class ComparisonValues:
    """Each indicator's comparison for one round and the ledger's figures for it.

    ``comparisons[key]`` says which period/round is the 上期 (:class:`ecodesk.periods.Comparison`);
    ``values[key][department]`` is what that department reported in that round (its current file)."""

    comparisons: dict[str, Comparison]
    values: dict[str, dict[str, StoredValue]]

    def value(self, key: str, department: str, fallback: str = "") -> StoredValue | None:
        """The department's figure in the comparison round, else ``fallback``'s (the lead's)."""
        by_dept = self.values.get(key, {})
        return by_dept.get(department) or (by_dept.get(fallback) if fallback else None)

    def prefill(self, key: str, department: str, fallback: str = "") -> tuple[float | str, str] | None:
        """(value, label) to pre-fill 上期值 with, label 上年 / 上年同期 / 上一轮 / 基准年."""
        v = self.value(key, department, fallback)
        if v is None:
            return None
        label = self.comparisons[key].label
        if v.current_number is not None:
            return v.current_number, label
        if v.current_status:
            return v.current_status, label
        return None


def comparison_values(
    conn: sqlite3.Connection, rounds: Sequence[Any], round_name: str, indicators: Iterable[Any]
) -> ComparisonValues:
    """Comparisons of ``round_name`` for ``indicators`` (objects with ``key`` and ``comparison``)
    among ``rounds`` (deadline order), with the ledger's values of the rounds they name."""
    by_name = {r.name: r for r in rounds}
    comparisons: dict[str, Comparison] = {}
    cache: dict[str, dict[str, dict[str, StoredValue]]] = {}
    values: dict[str, dict[str, StoredValue]] = {}
    for ind in indicators:
        comp = comparison_for(rounds, round_name, getattr(ind, "comparison", "") or "")
        comparisons[ind.key] = comp
        if not comp.round or comp.round not in by_name:
            continue
        if comp.round not in cache:
            table: dict[str, dict[str, StoredValue]] = {}
            for v in current_values(conn, by_name[comp.round].id):
                table.setdefault(v.indicator_key, {})[v.department] = v
            cache[comp.round] = table
        values[ind.key] = cache[comp.round].get(ind.key, {})
    return ComparisonValues(comparisons, values)


def filled_rows(conn: sqlite3.Connection, round_id: int) -> dict[int, frozenset[str]]:
    """For each current submission of the round: the keys of the rows it has something in."""
    out: dict[int, set[str]] = {}
    for r in conn.execute(
        "SELECT v.submission_id AS sid, v.indicator_key AS k FROM indicator_values v "
        f"JOIN submissions s ON s.id = v.submission_id WHERE {CURRENT} AND "
        "(v.current_raw != '' OR v.previous_raw != '' OR v.target_raw != '' OR v.source != '' OR v.note != ''"
        " OR v.evidence != '' OR v.period != '') "
        "UNION SELECT t.submission_id, t.task_key FROM task_reports t "
        f"JOIN submissions s ON s.id = t.submission_id WHERE {CURRENT} AND "
        "(t.status_raw != '' OR t.progress != '' OR t.problems != '' OR t.plan != '')",
        (round_id, round_id),
    ):
        out.setdefault(r[0], set()).add(r[1])
    return {k: frozenset(v) for k, v in out.items()}


def carry_rows(c: sqlite3.Connection, old: int, new: int, keys: frozenset[str]) -> None:
    """Copy the rows ``keys`` of submission ``old`` into ``new``, remembering the file they came from."""
    marks = ",".join("?" * len(keys))
    for table, key in (("indicator_values", "indicator_key"), ("task_reports", "task_key")):
        cols = [
            r[1]
            for r in c.execute(f"PRAGMA table_info({table})")
            if r[1] not in ("submission_id", "from_submission")
        ]
        names = ", ".join(cols)
        c.execute(
            f"INSERT INTO {table}(submission_id, from_submission, {names}) "
            f"SELECT ?, COALESCE(from_submission, submission_id), {names} FROM {table} "
            f"WHERE submission_id = ? AND {key} IN ({marks})",
            (new, old, *sorted(keys)),
        )
