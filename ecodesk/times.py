"""Reading the ISO 8601 times the ledger and the files store (``2025-06-01T09:30:12+08:00``, a
file's ``…Z``, a bare date) — one parser for every place that shows or compares them."""

from __future__ import annotations

from datetime import date, datetime


def parse_iso(iso: str | None) -> datetime | None:
    """The time ``iso`` names, or None when it is empty or no ISO time."""
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.strip())
    except ValueError:
        return None


def short_time(iso: str | None, seconds: bool = False) -> str:
    """``2025-06-01T09:30:12+08:00`` → ``2025-06-01 09:30`` (the wall time as stored; with
    ``seconds`` ``…09:30:12``); text that is no ISO time comes back as it was."""
    t = parse_iso(iso)
    if t is None or iso is None:
        return iso or ""
    if len(iso.strip()) == 10:  # a bare date
        return t.strftime("%Y-%m-%d")
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_time(iso: str | None) -> str:
    """``iso`` as ``2025-06-01 09:30`` on this computer's clock: a file's save time is kept as UTC
    (``…Z``), which would read 8 hours early in Beijing time; a time without a zone is local
    already; text that is no ISO time comes back as it was."""
    t = parse_iso(iso)
    if t is None or iso is None or len(iso.strip()) == 10:
        return short_time(iso)
    return (t.astimezone() if t.tzinfo is not None else t).strftime("%Y-%m-%d %H:%M")


def local_date(iso: str | None) -> date | None:
    """The calendar day of ``iso`` on this computer's clock (a time without a zone is local)."""
    t = parse_iso(iso)
    return None if t is None else t.astimezone().date()
