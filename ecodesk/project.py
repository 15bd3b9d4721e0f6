"""A project is a folder the clerk picks: the ledger plus folders for issued templates, archived
returns and reports. It can be copied to another computer and opened there."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, Indicator, Task
from .indicator_settings import (
    INDICATOR_FIELDS,
    TASK_FIELDS,
    check_region,
    check_terrain,
    edit_indicator,
    edit_task,
    find_indicator,
    find_task,
)
from .ledger import rounds_table
from .ledger.store import NO_PERIOD, Ledger, Round, current_user, now_iso
from .lock import ProjectLock, read_holder
from .messages import EcoDeskError, msg, os_reason
from .project_folders import LEDGER_NAME, folder_is_empty, folder_writable, suggest_subfolder

# the indicator settings and the folder rules live in their own modules; these names stay importable
# from here, where callers have always found them
__all__ = [
    "ARCHIVE_DIR",
    "INDICATOR_FIELDS",
    "ISSUED_DIR",
    "LEDGER_NAME",
    "REPORTS_DIR",
    "TASK_FIELDS",
    "Project",
    "ProjectInfo",
    "check_region",
    "check_round_name",
    "check_terrain",
    "folder_is_empty",
    "folder_writable",
    "init_project",
    "parse_deadline",
    "suggest_subfolder",
]

ISSUED_DIR = "下发模板"
ARCHIVE_DIR = "回收归档"
REPORTS_DIR = "汇总报告"
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class ProjectInfo:
    county: str
    region: str | None
    terrain: str | None
    project_id: str
    indicator_set: str


class Project:
    """An open project folder. Use :meth:`create` or :meth:`open`; close with :meth:`close`
    (or use it as a context manager)."""

    def __init__(self, root: Path, ledger: Ledger, lock: ProjectLock | None = None) -> None:
        self.root = Path(root)
        self.ledger = ledger
        self._lock = lock
        #: opened for reading only; every write raises ``project.read_only``
        self.read_only = ledger.read_only
        #: why, in Chinese: the folder cannot be written, or another window writes the project
        self.read_only_reason = ""
        self._catalogue: Catalogue | None = None  # the one of :meth:`one_catalogue`, while it runs

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        root: Path | str,
        catalogue: Catalogue,
        county: str | None = None,
        region: str | None = None,
        terrain: str | None = None,
    ) -> Project:
        root = Path(root)
        if (root / LEDGER_NAME).exists():
            raise EcoDeskError("project.exists", path=root)
        if not folder_is_empty(root):
            raise EcoDeskError(
                "project.folder_not_empty", path=root, suggest=suggest_subfolder(root, county)
            )
        check_region(region)
        check_terrain(terrain)
        try:
            root.mkdir(parents=True, exist_ok=True)
            for sub in (ISSUED_DIR, ARCHIVE_DIR, REPORTS_DIR):
                (root / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise EcoDeskError("project.not_writable", path=root, detail=os_reason(exc)) from exc
        if county:
            catalogue.county = county
        ledger = Ledger(root / LEDGER_NAME)
        with ledger.transaction() as c:
            ledger.save_catalogue(catalogue, c)
            ledger.set_settings(
                {
                    "project_id": uuid.uuid4().hex,
                    "secret": secrets.token_hex(
                        32
                    ),  # HMAC key for template provenance; never leaves the ledger
                    "region": region,
                    "terrain": terrain,
                    "created_at": now_iso(),
                    "office_contact": "",
                    "protection_password": "",
                },
                c,
            )
            ledger.audit(
                c,
                "project.create",
                county=catalogue.county,
                source=catalogue.source,
                indicators=len(catalogue.indicators),
                tasks=len(catalogue.tasks),
            )
        return cls(root, ledger)

    @classmethod
    def open(cls, root: Path | str, lock: bool = False, read_only: bool = False) -> Project:
        """Open the project at ``root``.

        ``lock``: become its one writer (the app's window, the CLI's commands that write); raises
        ``project.in_use`` (saying who and where) when another window or computer holds it.
        ``read_only``: open for reading only. A folder that cannot be written raises
        ``project.folder_read_only`` unless ``read_only`` is asked for."""
        root = Path(root)
        if not root.is_dir():
            raise EcoDeskError("project.not_found", path=root)
        if not (root / LEDGER_NAME).is_file():
            raise EcoDeskError("project.not_project", path=root, ledger=LEDGER_NAME)
        writable = folder_writable(root)
        if not read_only and not writable:
            raise EcoDeskError("project.folder_read_only", path=root)
        held: ProjectLock | None = None
        if lock and not read_only:
            held = ProjectLock(root)
            if not held.acquire(current_user(), now_iso()):
                raise EcoDeskError("project.in_use", path=root, holder=read_holder(root).describe())
        try:
            ledger = Ledger(root / LEDGER_NAME, read_only=read_only)
            if not read_only:
                for sub in (ISSUED_DIR, ARCHIVE_DIR, REPORTS_DIR):
                    (root / sub).mkdir(exist_ok=True)
        except BaseException:
            if held is not None:
                held.release()
            raise
        project = cls(root, ledger, held)
        if read_only:
            code = "project.read_only" if writable else "project.folder_read_only"
            project.read_only_reason = msg(code, path=root)
        return project

    def close(self) -> None:
        self.ledger.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- folders ---------------------------------------------------------------------------
    @property
    def issued_dir(self) -> Path:
        return self.root / ISSUED_DIR

    @property
    def archive_dir(self) -> Path:
        return self.root / ARCHIVE_DIR

    @property
    def reports_dir(self) -> Path:
        return self.root / REPORTS_DIR

    # ---- settings --------------------------------------------------------------------------
    def info(self) -> ProjectInfo:
        s = self.ledger.settings()
        return ProjectInfo(
            s.get("county", ""),
            s.get("region"),
            s.get("terrain"),
            s.get("project_id", ""),
            s.get("indicator_set", "2024"),
        )

    def settings(self) -> dict[str, Any]:
        return self.ledger.settings()

    def update_settings(self, note: str = "", **values: Any) -> None:
        """Change project settings (region, terrain, office_contact …); audited with ``note``."""
        if "region" in values:
            check_region(values["region"])
        if "terrain" in values:
            check_terrain(values["terrain"])
        if "secret" in values or "project_id" in values:
            raise ValueError("project identity cannot be changed")
        with self.ledger.transaction() as c:
            self.ledger.set_settings(values, c)
            self.ledger.audit(
                c,
                "settings.update",
                **{k: v for k, v in values.items() if k != "protection_password"},
                **({"note": note} if note else {}),
            )

    # ---- catalogue -------------------------------------------------------------------------
    def catalogue(self) -> Catalogue:
        """The catalogue as the ledger holds it (within :meth:`one_catalogue`, the one loaded there)."""
        return self._catalogue if self._catalogue is not None else self.ledger.load_catalogue()

    @contextmanager
    def one_catalogue(self, catalogue: Catalogue | None = None) -> Iterator[Catalogue]:
        """Load the catalogue once for a run that reads it in many rooms (a report: the verdicts, the
        报送情况, the history …): inside the block every :meth:`catalogue` is that one (``catalogue``:
        one the caller has just loaded from this ledger, :class:`ecodesk.round_data.RoundData`'s).
        Nothing may change the catalogue meanwhile (:meth:`replace_catalogue` and
        :meth:`edit_indicator` refuse)."""
        if self._catalogue is not None:  # nested: the outer run's
            yield self._catalogue
            return
        self._catalogue = catalogue if catalogue is not None else self.ledger.load_catalogue()
        try:
            yield self._catalogue
        finally:
            self._catalogue = None

    def _changing_catalogue(self) -> None:
        if self._catalogue is not None:
            raise RuntimeError("the catalogue cannot change inside one_catalogue()")

    def find_indicator(self, ref: str) -> Indicator:
        """An indicator by key (ind-…), by name, or by 序号 when that number has one indicator."""
        return find_indicator(self.catalogue(), ref)

    def edit_indicator(self, ref: str, note: str = "", **values: Any) -> Indicator:
        """Change what the plan leaves open for one indicator; see
        :func:`ecodesk.indicator_settings.edit_indicator`."""
        self._changing_catalogue()
        return edit_indicator(self.ledger, ref, note, **values)

    def find_task(self, ref: str) -> Task:
        """A task by key (task-…), by its 主要任务, or by 序号 when that number has one task."""
        return find_task(self.catalogue(), ref)

    def edit_task(self, ref: str, note: str = "", **values: Any) -> Task:
        """Change a task's 主要任务 or 具体要求; see :func:`ecodesk.indicator_settings.edit_task`."""
        self._changing_catalogue()
        return edit_task(self.ledger, ref, note, **values)

    def replace_catalogue(self, catalogue: Catalogue, reason: str = "") -> None:
        self._changing_catalogue()
        with self.ledger.transaction() as c:
            self.ledger.save_catalogue(catalogue, c)
            self.ledger.audit(c, "catalogue.replace", source=catalogue.source, reason=reason)

    def resolve_department(self, name: str) -> str:
        """The roster name for ``name`` (the same, a recorded alias, or an alias-table equivalent)."""
        from .catalogue.departments import AliasTable

        cat = self.catalogue()
        return AliasTable.default().resolve(
            name, cat.department_names(), {d.name: d.aliases for d in cat.departments}
        )

    # ---- rounds ----------------------------------------------------------------------------
    def rounds(self) -> list[Round]:
        return self.ledger.rounds()

    def round(self, name: str) -> Round:
        for r in self.rounds():
            if r.name == name:
                return r
        raise EcoDeskError(
            "round.not_found", name=name, names="、".join(r.name for r in self.rounds()) or "（无）"
        )

    def last_round(self) -> str | None:
        """The round the clerk used last in this project (app or command line), else the latest."""
        names = [r.name for r in self.rounds()]
        last = self.ledger.get_setting("last_round")
        if last in names:
            return last
        return names[-1] if names else None

    def remember_round(self, name: str) -> None:
        """Remember ``name`` as the round in use (a setting in the ledger, so it survives a restart
        and travels with the project folder)."""
        self.round(name)  # must exist
        if self.ledger.get_setting("last_round") != name:
            self.ledger.set_settings({"last_round": name})

    def add_round(self, name: str, deadline: str, note: str = "", period: str | None = None) -> Round:
        """Add a round. ``period`` ("2025年度", "2025-H1", "none" for no period) defaults to the
        period the name states (``2025年上半年``); a name that states none leaves it unset."""
        name = check_round_name(name)
        deadline = parse_deadline(deadline)
        if any(r.name == name for r in self.rounds()):
            raise EcoDeskError("round.exists", name=name)
        stored = _period_code(name, period)
        with self.ledger.transaction() as c:
            rounds_table.insert_round(c, name, deadline, note, stored)
            self.ledger.audit(c, "round.add", name=name, deadline=deadline, period=stored)
        return self.round(name)

    def set_round_period(self, name: str, period: str | None, note: str = "") -> Round:
        """Correct a round's period ("2025年度", "2025-H1" …; "none"/"" for a round without one)."""
        rnd = self.round(name)
        stored = _period_code(rnd.name, period if period not in (None, "") else NO_PERIOD)
        with self.ledger.transaction() as c:
            rounds_table.update_round(c, rnd.id, period=stored)
            self.ledger.audit(
                c, "round.period", name=rnd.name, old=rnd.period, new="" if stored == NO_PERIOD else stored,
                note=note,
            )  # fmt: skip
        return self.round(rnd.name)


def _period_code(name: str, period: str | None) -> str:
    """What to store in rounds.period: a period code, NO_PERIOD, or the name's inferred period."""
    from .periods import infer_period, parse_period

    if period is None:
        p = infer_period(name)
        return p.code if p else ""
    if str(period).strip().lower() in (NO_PERIOD, "无", "不分期"):
        return NO_PERIOD
    p = parse_period(period)
    if p is None:
        raise EcoDeskError("round.bad_period", value=period)
    return p.code


def check_round_name(name: str) -> str:
    """The round's name, stripped; raises ``round.bad_name`` (it is used in file names)."""
    name = (name or "").strip()
    if not name or _BAD_NAME.search(name) or len(name) > 60:
        raise EcoDeskError("round.bad_name", name=name)
    return name


def parse_deadline(deadline: str) -> str:
    """YYYY-MM-DD; raises ``round.bad_deadline``."""
    try:
        return date.fromisoformat(deadline.strip()).isoformat()
    except (ValueError, AttributeError) as exc:
        raise EcoDeskError("round.bad_deadline", value=deadline) from exc


BUILTIN_REGION = "east"


def init_project(
    root: Path,
    annex1: str | Path | None = None,
    annex2: str | Path | None = None,
    county: str | None = None,
    region: str | None = None,
    terrain: str | None = None,
) -> Project:
    """Create a project from the county's own Annex 1/2 workbooks, or from the built-in catalogue.

    Nothing is written when an annex cannot be read: the import finishes before the folder is made.
    """
    from .catalogue.builtin import load_builtin

    findings: list[dict[str, Any]] = []  # what the import says the clerk should check, as stored
    if annex1 or annex2:
        from .catalogue.import_annex import import_annexes  # its CatalogueImportError is an EcoDeskError

        if not annex1:
            base = load_builtin()
            annex1_path = None
        else:
            annex1_path = Path(annex1)
            base = None
        result = import_annexes(annex1_path, Path(annex2) if annex2 else None, base=base)
        catalogue, findings = result.catalogue, [f.to_dict() for f in result.findings]
        if not catalogue.indicators:
            raise EcoDeskError("catalog.no_indicators")
    else:
        catalogue = load_builtin()
        if region is None:  # the built-in table is 嵊州's, a county of 浙江: 东部地区
            region = BUILTIN_REGION
    project = Project.create(root, catalogue, county=county, region=region, terrain=terrain)
    if findings:
        project.update_settings(import_warnings=findings)
    return project
