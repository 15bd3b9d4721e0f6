"""Rules: target texts (指标值) parsed into typed rules, evaluated and explained.

``model`` (the rule types) → ``phrase`` (one phrase of a 指标值 → a rule) → ``parse`` (text →
rule, memoised on the text: rules are frozen) → ``evaluate`` (values → a :class:`RuleResult` with its
:class:`RuleStatus`, in a :class:`JudgeContext`) and ``explain`` (rule → one Chinese sentence);
``entry`` (how an indicator is entered: one description the form, intake and the verdicts share),
``evidence`` (which indicators need 佐证材料) and ``excel`` (the form's 自查 formula).

It may use the catalogue's model (region and terrain classes), the region schemes, findings, the
message catalogue and the number formatters — never the ledger, intake, verdicts, forms or the
report (they use it).
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
