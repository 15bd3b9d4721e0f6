"""A qualitative indicator's 达标 (建立/开展…) stands on its 佐证材料: without any file it is 待核实.
The round's evidence is read by :func:`ecodesk.intake.evidence_desk.round_evidence`."""

from __future__ import annotations

from typing import Any

from ..messages import msg
from ..rules.evidence import is_qualitative
from .model import PASS, REVIEW, Verdict


def require_evidence(v: Verdict, ind: Any, evidence: Any) -> None:
    """Change ``v`` in place to 待核实 when it is a qualitative 达标 and ``evidence`` (a
    :class:`ecodesk.intake.evidence_desk.RoundEvidence`) holds no file for the indicator."""
    if v.computed == PASS and is_qualitative(ind) and not evidence.has_evidence(ind.key):
        missing = msg("evidence.missing_none")
        v.issues.append(missing)
        v.verdict = v.computed = REVIEW
        v.reason = f"{missing}（未收到任何佐证材料文件，请部门随填报表发送）；{v.reason}"
        v.short = f"{missing}（{v.short}）" if v.short else missing
