"""Numbers as text, the two ways the core needs them — deliberately different:

- :func:`display_number` for sentences a clerk reads (reasons, issues, the report, the app): float
  noise dropped (12 significant digits, so 0.1 + 0.2 shows as 0.3; every digit of a whole part),
  never an exponent.
- :func:`exact_number` for a value that must read back as itself (the raw text of a number cell
  kept in the ledger): the shortest text that parses to exactly the same float.

Both write a number as a clerk would: no trailing ".0", no exponent, "-0" as "0".
"""

from __future__ import annotations

import math
from decimal import Decimal


def display_number(x: float) -> str:
    """A number for a sentence: 95.0 → "95", 27.30 → "27.3", 0.1 + 0.2 → "0.3", 1.5e16 →
    "15000000000000000", 1e-05 → "0.00001", 1234567890123 → "1234567890123"."""
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 1e12:  # never round the whole part: 1234567890123 stays
        return exact_number(x)
    s = format(Decimal(f"{x:.12g}").normalize(), "f")
    return "0" if s == "-0" else s


def exact_number(x: float) -> str:
    """Shortest text that reads back as exactly ``x``: 95 → "95", 0.1 → "0.1", 1e-05 → "0.00001",
    0.1 + 0.2 → "0.30000000000000004"."""
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    return format(Decimal(repr(float(x))).normalize(), "f")
