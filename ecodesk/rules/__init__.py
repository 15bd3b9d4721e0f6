"""Rules: target texts (指标值) parsed into typed rules, evaluated and explained.

``model`` (the rule types) → ``parse`` (text → rule) → ``evaluate`` (values → outcome) and
``explain`` (rule → one Chinese sentence); ``evidence`` (which indicators need 佐证材料).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue import Indicator
    from .parse import ParseResult


def indicator_rule(ind: Indicator) -> ParseResult:
    """The rule of an indicator's 指标值 text, read with its unit and better direction."""
    from .parse import parse_rule

    return parse_rule(ind.target_text, unit=ind.unit, better=ind.better)
