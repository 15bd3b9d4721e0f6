"""The one reader of ISO times (ecodesk.times) on what the ledger and returned files store."""

from __future__ import annotations

from datetime import date

import pytest

from ecodesk.ledger.store import now_iso
from ecodesk.times import local_date, short_time


@pytest.mark.parametrize(
    ("iso", "short", "with_seconds"),
    [
        ("2025-06-01T09:30:12+08:00", "2025-06-01 09:30", "2025-06-01 09:30:12"),  # the ledger's stamps
        ("2025-06-01T01:30:12Z", "2025-06-01 01:30", "2025-06-01 01:30:12"),  # a file's saved time
        ("2025-06-01T09:30", "2025-06-01 09:30", "2025-06-01 09:30:00"),
        ("2025-06-01", "2025-06-01", "2025-06-01"),  # a bare date stays a date
        ("", "", ""),
        ("昨天下午", "昨天下午", "昨天下午"),  # not a time: shown as it was, never a crash
    ],
)
def test_short_time_shows_the_stored_wall_time(iso, short, with_seconds):
    assert short_time(iso) == short
    assert short_time(iso, seconds=True) == with_seconds


def test_local_date_reads_zones_and_rejects_non_times():
    assert local_date(now_iso()) == date.today()
    assert local_date("2025-06-01T12:00:00") == date(2025, 6, 1)  # no zone: this computer's clock
    assert local_date("") is None
    assert local_date("2025-13-01") is None


@pytest.fixture
def shanghai(monkeypatch):
    """This computer's clock in Beijing time, as the offices' are."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2025-06-30T12:00:00Z", "2025-06-30 20:00"),  # a save time, kept as UTC: 20:00 in Beijing
        ("2025-06-30T16:30:00Z", "2025-07-01 00:30"),  # past midnight in Beijing: the next day
        ("2025-06-30T20:00:00+08:00", "2025-06-30 20:00"),  # the ledger's own stamps
        ("2025-06-30T20:00:00", "2025-06-30 20:00"),  # no zone: local already
        ("2025-06-30", "2025-06-30"),
        ("", ""),
        ("昨天下午", "昨天下午"),
    ],
)
def test_local_time_shows_a_time_on_this_computers_clock(shanghai, iso, shown):
    from ecodesk.times import local_time

    assert local_time(iso) == shown
