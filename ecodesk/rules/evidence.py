"""Which indicators need 佐证材料: a qualitative target (建立/开展 …) always stands on its
evidence; a number needs it where the catalogue's ``evidence`` field names what to attach. Used by
the form (it asks for the files), intake (what is missing) and the verdicts (a qualitative 达标
without any file is 待核实)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import indicator_rule
from .model import Qualitative

if TYPE_CHECKING:
    from ..catalogue import Indicator


def is_qualitative(ind: Indicator) -> bool:
    rule = indicator_rule(ind).rule
    return isinstance(rule, Qualitative) or "status" in rule.needs()


def needs_evidence(ind: Indicator) -> bool:
    """Qualitative targets always; numbers where the catalogue names the evidence to attach."""
    return is_qualitative(ind) or bool(ind.evidence.strip())
