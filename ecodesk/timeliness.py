"""Timeliness (a DHIS2 habit): per department and round, was the form sent back on time, late, not
at all — or is it not yet due — and how complete was it. Plain Python (no pandas), so the 报送情况
page can show a department's record without loading the history frames.

A return is late when the department saved it after the round's deadline (the clerk may collect it
days later); a file that records no save time counts by when it was received — the same rule as
:mod:`ecodesk.status`. A department is due in a round when a form was issued to it (or it sent one
back without); completeness is the indicators it filled ÷ those on its (latest) issued form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from .ledger import across_rounds
from .project import Project
from .times import local_date

TIMELINESS = {"on_time": "按时", "late": "逾期", "missing": "未报送", "pending": "未到期"}
TIMELINESS_COLUMNS = (
    "round_id",
    "round",
    "period",
    "deadline",
    "department",
    "issued",
    "submitted",
    "received_at",
    "saved_at",
    "files",
    "timeliness",
    "timeliness_label",
    "indicators",
    "filled",
    "completeness",
)


class _RoundLike(Protocol):
    id: int
    name: str
    deadline: str


def timeliness_rows(
    project: Project, rounds: Sequence[_RoundLike] | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """One row per round (in the order given; by default the ledger's) and due department, with
    the fields of :data:`TIMELINESS_COLUMNS`."""
    today = today or date.today()
    rounds = list(rounds) if rounds is not None else project.rounds()
    conn = project.ledger.conn
    cat = project.catalogue()
    inds_of, _ = cat.by_department()
    issued: dict[tuple[int, str], int] = {}
    for rid, dept, count in across_rounds.issued_counts(conn):
        issued[(rid, dept)] = count  # the latest version's count
    current: dict[tuple[int, str], Any] = {}
    files: dict[tuple[int, str], int] = {}
    for r in across_rounds.all_submissions(conn):
        k = (r[1], r[2])
        files[k] = files.get(k, 0) + 1
        if r[3]:
            current[k] = (r[6], r[7])  # received_at, content_time
    filled = across_rounds.filled_counts(conn)
    order = {d: n for n, d in enumerate(cat.department_names())}
    due: dict[int, set[str]] = {}
    for rid, d in [*issued, *current]:
        due.setdefault(rid, set()).add(d)
    rows = []
    for rnd in rounds:
        deadline = date.fromisoformat(rnd.deadline)
        for d in sorted(due.get(rnd.id, set()), key=lambda d: (order.get(d, len(order)), d)):
            k = (rnd.id, d)
            expected = issued.get(k, len(inds_of.get(d, [])))
            cur = current.get(k)
            if cur is not None:
                day = local_date(cur[1]) or local_date(cur[0])
                state = "late" if day and day > deadline else "on_time"
            else:
                state = "pending" if today <= deadline else "missing"
            n = int(filled.get(k, 0))
            rows.append(
                {
                    "round_id": rnd.id,
                    "round": rnd.name,
                    "period": getattr(rnd, "period_label", "") or getattr(rnd, "period", "") or rnd.name,
                    "deadline": rnd.deadline,
                    "department": d,
                    "issued": k in issued,
                    "submitted": cur is not None,
                    "received_at": cur[0] if cur is not None else "",
                    "saved_at": cur[1] if cur is not None else "",
                    "files": files.get(k, 0),
                    "timeliness": state,
                    "timeliness_label": TIMELINESS[state],
                    "indicators": expected,
                    "filled": n,
                    "completeness": (min(n, expected) / expected) if expected else None,
                }
            )
    return rows


def record(rows: Sequence[dict[str, Any]], department: str, upto_round_id: int | None = None) -> str:
    """A department's record over the rounds in ``rows`` (up to and including one round): e.g.
    "按时 3，逾期 1，未报送 1"; "" where it was due in none."""
    ids: list[int] = []
    for r in rows:
        if r["round_id"] not in ids:
            ids.append(r["round_id"])
    if upto_round_id in ids:
        ids = ids[: ids.index(upto_round_id) + 1]
    allowed = set(ids)
    counts = dict.fromkeys(TIMELINESS, 0)
    for r in rows:
        if r["department"] == department and r["round_id"] in allowed:
            counts[r["timeliness"]] += 1
    return "，".join(f"{TIMELINESS[k]} {n}" for k, n in counts.items() if n)
