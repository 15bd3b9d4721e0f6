"""Shared helpers for the benchmarks: machine description, tables, timing, memory sampling of a
process tree, LibreOffice batch conversion, and the scaled catalogues the benchmarks use.

Not a test module and not part of the package: the scripts beside it import it as ``common``
(Python puts the script's folder first on ``sys.path``).
"""

from __future__ import annotations

import copy
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from anywhere: the package is importable from the checkout
    sys.path.insert(0, str(ROOT))

from ecodesk import __version__  # noqa: E402
from ecodesk.catalogue import Assignment, Catalogue, Department, assign_keys  # noqa: E402

#: Departments added as co-departments (the built-in catalogue has 24). Realistic county bureaus
#: that are not in the alias table, so none resolves to a built-in name.
EXTRA_DEPARTMENTS = (
    "教育局",
    "公安局",
    "民政局",
    "林业局",
    "气象局",
    "供电公司",
    "科技局",
    "司法局",
    "税务局",
    "人社局",
    "城投集团",
    "团市委",
    "妇联",
    "工商联",
    "档案馆",
    "机关事务局",
)


# ---- machine and printing -----------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_lines() -> list[str]:
    from importlib.metadata import version

    return [
        f"CPU:     {cpu_model()}, {os.cpu_count()} cores",
        f"Python:  {platform.python_version()} ({platform.python_implementation()}), {platform.system()}"
        f" {platform.release()}",
        f"EcoDesk: {__version__}; openpyxl {version('openpyxl')}, xlsxwriter {version('xlsxwriter')},"
        f" python-calamine {version('python-calamine')}; SQLite {sqlite3.sqlite_version}",
        f"Load:    {load_average()} (1/5/15 min) at start; other work on the machine skews timings",
    ]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def banner(title: str, mode: str) -> None:
    print(f"== {title} ({mode}) ==")
    for line in machine_lines():
        print(line)
    print()


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "") -> None:
    """Print an aligned text table (numbers right-aligned, CJK counted double-width)."""
    cells = [[_fmt(v) for v in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(_is_num(r[i]) for r in cells) and bool(cells) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        out = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - _width(v))
            out.append(pad + v if numeric[i] else v + pad)
        return "  ".join(out).rstrip()

    if title:
        print(title)
    print(line(headers))
    print(line(["-" * w for w in widths]))
    for r in cells:
        print(line(r))
    print()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _is_num(s: str) -> bool:
    try:
        float(s.replace(",", "").rstrip("x×%"))
    except ValueError:
        return s in ("", "-", "n/a")
    return True


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def mb(n_bytes: float) -> float:
    return n_bytes / (1024 * 1024)


@contextmanager
def timed(store: dict[str, float], name: str) -> Iterator[None]:
    t = time.perf_counter()
    try:
        yield
    finally:
        store[name] = store.get(name, 0.0) + time.perf_counter() - t


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ---- memory of a process tree --------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out: list[int] = []
    task = Path(f"/proc/{pid}/task")
    try:
        for t in task.iterdir():
            out += [int(x) for x in (t / "children").read_text().split()]
    except OSError:
        pass
    return out


def tree_pids(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(_children(p))
    return pids


def _rss_pss(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes. PSS shares pages between forked workers fairly, so a sum over a
    tree of forked processes does not count the shared interpreter pages once per worker."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return rss, pss


@dataclass
class MemoryPeak:
    rss: int = 0  # peak of the summed RSS of the tree
    pss: int = 0  # peak of the summed PSS of the tree
    processes: int = 0  # most processes seen at once
    samples: int = 0
    per_process_max_rss: dict[int, int] = field(default_factory=dict)


class MemorySampler:
    """Samples the RSS/PSS of this process and all its descendants every ``interval`` seconds."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = MemoryPeak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        pids = tree_pids(os.getpid())
        rss = pss = 0
        for p in pids:
            r, s = _rss_pss(p)
            rss += r
            pss += s
            self.peak.per_process_max_rss[p] = max(self.peak.per_process_max_rss.get(p, 0), r)
        pk = self.peak
        pk.rss, pk.pss = max(pk.rss, rss), max(pk.pss, pss)
        pk.processes = max(pk.processes, len(pids))
        pk.samples += 1

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


# ---- LibreOffice --------------------------------------------------------------------------------
def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(files: Sequence[Path], fmt: str, outdir: Path, batch: int = 150) -> list[Path]:
    """Convert many files with as few LibreOffice start-ups as possible (one per ``batch`` files),
    with a throw-away user profile so a running LibreOffice or a stale lock never interferes.
    Returns the converted paths (``outdir/<stem>.<fmt>``)."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    target = {"xls": "xls:MS Excel 97", "ods": "ods", "xlsx": "xlsx:Calc MS Excel 2007 XML"}.get(fmt, fmt)
    with tempfile.TemporaryDirectory(prefix="ecodesk-bench-lo-") as profile:
        for i in range(0, len(files), batch):
            chunk = [str(f) for f in files[i : i + batch]]
            cmd = [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                *chunk,
            ]
            subprocess.run(cmd, check=True, capture_output=True, timeout=1800)
    out = [outdir / f"{Path(f).stem}.{fmt}" for f in files]
    missing = [p for p in out if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {len(missing)} file(s), e.g. {missing[0]}")
    return out


# ---- catalogues ---------------------------------------------------------------------------------
def add_co_departments(cat: Catalogue, names: Sequence[str]) -> Catalogue:
    """Add ``names`` as co-departments (配合) to a few indicators and tasks each, deterministically
    spread over the catalogue, so each gets a form of 2 indicators and 2 tasks."""
    n_ind, n_task = len(cat.indicators), len(cat.tasks)
    for j, name in enumerate(names):
        for i in {(2 * j) % n_ind, (2 * j + 11) % n_ind}:
            cat.indicators[i].assignments.append(Assignment(name, "co"))
        for t in {(3 * j) % n_task, (3 * j + 7) % n_task}:
            cat.tasks[t].assignments.append(Assignment(name, "co"))
        cat.departments.append(Department(name))
    return cat


def county_names(n: int) -> list[str]:
    """``n`` distinct county names ("一号县" … would alias nothing; these read like real ones)."""
    stems = "安平宁和兴丰永德泰康清明新江山海阳武文华昌瑞嘉长庆东南西北"
    out: list[str] = []
    for a in stems:
        for b in stems:
            if a != b:
                out.append(f"{a}{b}县")
            if len(out) == n:
                return out
    raise ValueError(n)


def province_catalogue(base: Catalogue, counties: Sequence[str], extra: Sequence[str]) -> Catalogue:
    """One catalogue holding ``base`` once per county: county-prefixed departments (the base roster
    plus ``extra`` co-departments) and a county marker in every indicator and task name, so each
    county's rows get their own keys."""
    base = add_co_departments(copy.deepcopy(base), extra)
    cat = Catalogue(county="省级汇总", indicator_set=base.indicator_set, source="bench-province")
    for county in counties:
        c = copy.deepcopy(base)
        for ind in c.indicators:
            ind.key = ""
            ind.name = f"{ind.name}（{county}）"
            for a in ind.assignments:
                a.department = county + a.department
        for t in c.tasks:
            t.key = ""
            t.title = f"{t.title}（{county}）"
            for a in t.assignments:
                a.department = county + a.department
        for d in c.departments:
            d.name, d.aliases = county + d.name, []
        cat.indicators += c.indicators
        cat.tasks += c.tasks
        cat.departments += c.departments
    assign_keys(cat)
    cat.check_keys_unique()
    return cat
