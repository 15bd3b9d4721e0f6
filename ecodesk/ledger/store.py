"""The project ledger: one SQLite file holding the catalogue, settings, rounds and audit trail.

Writes go through :meth:`Ledger.transaction` (``BEGIN IMMEDIATE`` … ``COMMIT``), so a crash
leaves the ledger as it was before the interrupted write. The journal mode stays the SQLite
default (a rollback journal, no ``-wal`` side files) so that a closed project folder can be
copied to another computer as it is.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..catalogue import Indicator
from ..messages import EcoDeskError, os_reason
from .catalogue_tables import CatalogueTables
from .schema import MIGRATIONS, SCHEMA_VERSION

NO_PERIOD = "none"  # stored in rounds.period when the clerk says a round has no period


@dataclass
class Round:
    id: int
    name: str
    deadline: str  # YYYY-MM-DD
    created_at: str
    note: str = ""
    period: str = ""  # a period code ("2025", "2025-H1", "2025-Q3", "2025-M06"); "" = not stated
    closed_at: str = ""  # when the clerk closed the round ("" while it is open)
    former_names: list[str] = field(default_factory=list)  # names before a rename

    @property
    def period_label(self) -> str:
        from ..periods import parse_period

        p = parse_period(self.period)
        return p.label if p else ""

    @property
    def closed(self) -> bool:
        return bool(self.closed_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "deadline": self.deadline,
            "created_at": self.created_at,
            "note": self.note,
            "period": self.period,
            "period_label": self.period_label,
            "closed_at": self.closed_at,
            "former_names": list(self.former_names),
        }


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@functools.cache
def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, some containers)
        return "unknown"


class Ledger(CatalogueTables):
    """``read_only``: the file is opened for reading only (a read-only folder, or a project another
    window is writing); every write raises ``project.read_only``."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        try:
            if read_only:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, timeout=5.0, isolation_level=None, uri=True)
            else:
                self.conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise EcoDeskError("project.corrupt", path=self.path, detail=os_reason(exc)) from exc
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise EcoDeskError("project.newer", found=version, supported=SCHEMA_VERSION)
        if read_only and version < SCHEMA_VERSION:
            self.conn.close()
            raise EcoDeskError("project.old_read_only", path=self.path.parent)
        self._migrate(version)

    # ---- plumbing --------------------------------------------------------------------------
    def _migrate(self, version: int) -> None:
        for i in range(version, SCHEMA_VERSION):
            with self.transaction() as c:
                for stmt in _statements(MIGRATIONS[i]):
                    c.execute(stmt)
                c.execute(f"PRAGMA user_version = {i + 1}")

    def _begin(self) -> None:
        if self.read_only:
            raise EcoDeskError("project.read_only", path=self.path.parent)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise EcoDeskError("project.locked") from exc
            raise

    def _fail(self, exc: BaseException) -> None:
        """Roll back after ``exc``; raise the user-facing error for a full or read-only disk."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and _disk_error(exc):
            raise EcoDeskError("project.not_writable", path=self.path.parent, detail=os_reason(exc)) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._begin()
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._fail(exc)
            raise

    def batch(self, window: float = 0.5) -> GroupCommit:
        return GroupCommit(self, window)

    def close(self) -> None:
        self.conn.close()

    # ---- settings --------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_settings(self, values: dict[str, Any], conn: sqlite3.Connection | None = None) -> None:
        def write(c: sqlite3.Connection) -> None:
            for k, v in values.items():
                c.execute(
                    "INSERT INTO settings(key, value) VALUES(?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (k, json.dumps(v, ensure_ascii=False)),
                )

        if conn is not None:
            write(conn)
        else:
            with self.transaction() as c:
                write(c)

    def settings(self) -> dict[str, Any]:
        return {
            r["key"]: json.loads(r["value"]) for r in self.conn.execute("SELECT key, value FROM settings")
        }

    # ---- audit -----------------------------------------------------------------------------
    def audit(self, conn: sqlite3.Connection, action: str, **detail: Any) -> None:
        conn.execute(
            "INSERT INTO audit_events(at, actor, action, detail) VALUES(?, ?, ?, ?)",
            (now_iso(), current_user(), action, json.dumps(detail, ensure_ascii=False, default=str)),
        )

    def audit_events(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT at, actor, action, detail FROM audit_events ORDER BY id")
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def state(self) -> tuple[int, int]:
        """Changes so far through this connection, and SQLite's ``data_version`` (which moves when
        another connection commits): equal pairs mean nothing in the ledger changed in between."""
        return self.conn.total_changes, self.conn.execute("PRAGMA data_version").fetchone()[0]

    # ---- values ----------------------------------------------------------------------------
    def comparison_values(self, round_name: str, indicators: list[Indicator]) -> Any:
        """Each indicator's comparison period for ``round_name`` and the ledger's figures for it
        (:class:`ecodesk.ledger.values.ComparisonValues`)."""
        from .values import comparison_values

        return comparison_values(self.conn, self.rounds(), round_name, indicators)

    # ---- rounds ----------------------------------------------------------------------------
    def rounds(self) -> list[Round]:
        return [
            Round(
                r["id"],
                r["name"],
                r["deadline"],
                r["created_at"],
                r["note"],
                _period(r["period"], r["name"]),
                r["closed_at"],
                json.loads(r["former_names"] or "[]"),
            )
            for r in self.conn.execute("SELECT * FROM rounds ORDER BY deadline, id")
        ]


class GroupCommit:
    """Many small writes, each all-or-nothing (a SAVEPOINT), committed together at most every
    ``window`` seconds: one fsync per batch instead of per file. A crash or kill loses at most the
    uncommitted batch — the ledger stays as it was at the last commit, and a re-run redoes it."""

    def __init__(self, ledger: Ledger, window: float) -> None:
        self.ledger, self.window, self.started = ledger, window, 0.0

    @contextmanager
    def item(self) -> Iterator[sqlite3.Connection]:
        conn = self.ledger.conn
        if not conn.in_transaction:
            self.ledger._begin()
            self.started = time.monotonic()
        conn.execute("SAVEPOINT item")
        try:
            yield conn
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK TO item")
                conn.execute("RELEASE item")
            if isinstance(exc, sqlite3.OperationalError) and _disk_error(exc):
                self.ledger._fail(exc)
            raise
        conn.execute("RELEASE item")
        if time.monotonic() - self.started >= self.window:
            self.commit()

    def commit(self) -> None:
        if self.ledger.conn.in_transaction:
            try:
                self.ledger.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.ledger._fail(exc)
                raise

    def __enter__(self) -> GroupCommit:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            self.commit()
            return
        try:  # keep what was done before the error; if even that cannot be written, roll back
            self.commit()
        except (sqlite3.Error, EcoDeskError):
            with contextlib.suppress(sqlite3.Error):
                if self.ledger.conn.in_transaction:
                    self.ledger.conn.execute("ROLLBACK")


def _period(stored: str, name: str) -> str:
    """A round's period code: as stored; "none" when the clerk said it has none; inferred from the
    name when nothing is stored (rounds added before periods were recorded)."""
    if stored == NO_PERIOD:
        return ""
    if stored:
        return stored
    from ..periods import infer_period

    p = infer_period(name)
    return p.code if p else ""


def _disk_error(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("disk", "full", "readonly", "read-only", "i/o"))


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
