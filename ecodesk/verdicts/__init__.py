"""Verdicts (校验): 达标 / 未达标 / 待核实 / 缺报 / 待报 / 不适用 for every indicator of a round, each
with one Chinese sentence that quotes the numbers and where they came from, plus task progress
and the clerk's overrides.

The room holds ``model`` (the :class:`Outcome` enum and the verdict records), ``local`` (a
本地目标's own verdict), ``judge`` (one indicator, and a whole round: :func:`judge_loaded` from the
round loaded once as :class:`ecodesk.round_data.RoundData`), ``tasks`` (task progress), ``evidence``
(a qualitative 达标 needs its 佐证材料) and ``overrides`` (the clerk's word). It may use the round's
loaded data, the catalogue, the rules, the ledger, periods, local targets and the message catalogue —
intake's status enum, but never intake's readers, the report or the app (they use it).
"""

from __future__ import annotations

from .judge import judge_indicator, judge_loaded, judge_round
from .model import (
    FAIL,
    MISSING,
    NA,
    PASS,
    PENDING,
    REVIEW,
    SHOWN,
    VERDICT_LABELS,
    VERDICTS,
    Outcome,
    RoundVerdicts,
    TaskProgress,
    Verdict,
)
from .overrides import clear_override, override_verdict
from .tasks import task_progress

__all__ = [
    "FAIL", "MISSING", "NA", "PASS", "PENDING", "REVIEW", "SHOWN", "VERDICTS", "VERDICT_LABELS",
    "Outcome", "RoundVerdicts", "TaskProgress", "Verdict",
    "clear_override", "judge_indicator", "judge_loaded", "judge_round", "override_verdict", "task_progress",
]  # fmt: skip
