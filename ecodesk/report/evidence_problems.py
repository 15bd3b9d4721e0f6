"""佐证材料 in the 问题清单 and the 退回修改 copies: a file named in a department's form but not
received is a problem on its 佐证材料 cell; a qualitative 达标 that lacks only its evidence asks
for the evidence there (not for the value, which is fine)."""

from __future__ import annotations

from typing import Any

from ..forms import layout as L
from ..messages import msg

_COLUMN = L.col_letter(next(i for i, c in enumerate(L.INDICATOR_COLUMNS) if c.id == "evidence"))


def evidence_cell(cell: str) -> str:
    """The 佐证材料 cell on the row of ``cell`` (e.g. G5 → M5)."""
    row = "".join(ch for ch in cell if ch.isdigit())
    return f"{_COLUMN}{row}" if row else cell


def ask_for_evidence(v: Any, found: list[Any]) -> None:
    """When the only issue of verdict ``v`` is its missing evidence, its problems ask for it on
    the 佐证材料 cell."""
    if v.issues != [msg("evidence.missing_none")]:
        return
    for p in found:
        p.ask, p.cell = msg("evidence.ask_none"), evidence_cell(p.cell)
        p.cells = [(p.sheet, p.cell)] if p.sheet and p.cell else []


def missing_named(project: Any, data: Any, problem: type) -> list[Any]:
    """佐证材料 named in a department's form but not received: one ``problem`` each, on its cell."""
    from ..intake.evidence_desk import round_evidence

    names = {i.key: f"{i.number} {i.name}" for i in data.catalogue.indicators}
    rd = getattr(data, "round_data", None)  # the round's evidence as the verdicts read it
    evidence = rd.evidence if rd is not None else round_evidence(project, data.round)
    return [
        problem(
            m.department,
            names.get(m.indicator_key, m.indicator_key),
            msg("evidence.missing_named", named=m.named),
            msg("evidence.ask_named"),
            m.sheet,
            f"{_COLUMN}{m.row}" if m.row else "",
            m.indicator_key,
        )
        for m in evidence.missing
        if m.named
    ]
