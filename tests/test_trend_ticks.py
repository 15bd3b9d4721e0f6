"""The 历年趋势 chart's axis reads in round steps, and covers every value."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from ui.trend_chart import nice_ticks


def test_round_steps_as_a_reader_expects():
    assert nice_ticks(90.25, 99.75) == [90.0, 92.5, 95.0, 97.5, 100.0]
    assert nice_ticks(-3, 17) == [-5, 0, 5, 10, 15, 20]


@given(st.floats(-1e6, 1e6), st.floats(0.01, 1e6))
def test_the_ticks_cover_the_range_in_a_few_even_steps(lo, span):
    ticks = nice_ticks(lo, lo + span)
    slack = 1e-9 * max(1, abs(lo), abs(lo + span))
    assert ticks[0] <= lo + slack and ticks[-1] >= lo + span - slack
    steps = {round(b - a, 6) for a, b in pairwise(ticks)}
    assert len(steps) == 1 and 2 <= len(ticks) - 1 <= 10
