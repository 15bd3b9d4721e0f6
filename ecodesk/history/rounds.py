"""The rounds of a project as periods (:mod:`ecodesk.periods`): label, kind, year, place in time,
and the round each compares with by default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..project import Project

if TYPE_CHECKING:
    from ..periods import Period


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    deadline: str
    period: str  # 2025年度 / 2025年上半年 / … or the round's name where it has no period
    kind: str  # 年度 / 上半年 / 下半年 / 第N季度 / N月 / "" (no period)
    year: int | None
    order: int  # chronological position (0-based)
    start: str  # first day of the period, for ordering; the deadline where there is no period
    comparable: str = ""  # the round of the same period a year earlier (ecodesk.periods), if any

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.name, "period": self.period}


def _start(p: Period) -> str:
    month = {"year": 1, "half": 6 * (p.index - 1) + 1, "quarter": 3 * (p.index - 1) + 1, "month": p.index}[
        p.kind
    ]
    return f"{p.year}-{month:02d}-01"


def round_infos(project: Project) -> list[RoundInfo]:
    """Every round with its period, in the order of time (period start, then deadline), and the
    round it compares with by default (the same period a year earlier; for a round without a
    period, the round before it)."""
    from ..periods import comparison_for, round_period

    rounds = project.rounds()
    raw = []
    for r in rounds:
        p = round_period(r)
        label = p.label if p else r.name
        kind = ("年度" if p.kind == "year" else label[len(f"{p.year}年") :]) if p else ""
        raw.append((_start(p) if p else r.deadline, r.deadline, r.id, r, label, kind, p.year if p else None))
    raw.sort(key=lambda t: (t[0], t[1], t[2]))
    return [
        RoundInfo(r.id, r.name, r.deadline, label, kind, year, i, start, comparison_for(rounds, r.name).round)
        for i, (start, _, _, r, label, kind, year) in enumerate(raw)
    ]
