"""Intake at province scale: collect 3,000 returned files in one run, against a plain openpyxl
loop and against the raw floor, then judge and report the round.

(a) EcoDesk ``collect`` of every file of the corpus (``bench/corpus.py``) into a fresh copy of the
    project's ledger: sniff, hash, read (calamine, in worker processes), match, normalise, decide,
    archive, one ledger transaction per file. Wall time, files/s, CPU time, peak memory of the
    process tree (summed RSS and PSS sampled from /proc, and ``ru_maxrss``).
(b) The plain approach: ``openpyxl.load_workbook(path, data_only=True)`` and the 指标填报 sheet's
    values, in a loop over the .xlsx files (openpyxl cannot read .xls or .ods). Full runs time a
    sample and extrapolate; ``--plain-all`` times every file.
(c) The raw floor: for the same .xlsx files, ``zipfile`` + the indicator sheet's part + the shared
    strings part (when present) + a regex over ``<c>`` elements: the least work that gets the values
    out (no validation, no ledger, no archive, one process).
(d) ``judge_round`` and ``write_report`` for the collected round, as ``ecodesk report`` runs them:
    the round loaded once (``round_data.load_round``), judged once, the report made from the same
    data. Wall and CPU time, and the load average around it.

    .venv/bin/python bench/bench_collect.py [--quick] [--plain-all] [--serial] [--profile] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import sys
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common
import corpus as corpus_mod

import ecodesk.intake.collect as collect_mod
import ecodesk.report.writer as writer_mod
from ecodesk.forms import layout as L
from ecodesk.project import Project
from ecodesk.report import write_report
from ecodesk.round_data import load_round
from ecodesk.verdicts import judge_round

SAMPLE_EVERY = 0.1  # s between two samples of the process tree's memory
TARGETS = {"vs_plain": 10.0, "vs_floor": 2.0, "total_s": 30.0, "memory_mb": 300.0, "judge_report_s": 5.0}


def cpu_split() -> tuple[float, float]:
    """(this process, its children that have been waited for): CPU seconds."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime, c.ru_utime + c.ru_stime


def _wrap(owner: Any, name: str, parts: dict[str, float], label: str) -> Callable[[], None]:
    """Time every call of ``owner.name`` into ``parts[label]``; returns the undo. A name the core
    no longer has is skipped (its time then shows up in the remainder)."""
    original = getattr(owner, name, None)
    if original is None:
        return lambda: None

    def wrapper(*a: Any, **k: Any) -> Any:
        with common.timed(parts, label):
            return original(*a, **k)

    setattr(owner, name, wrapper)
    return lambda: setattr(owner, name, original)


# ---- (a) EcoDesk --------------------------------------------------------------------------------
def run_collect(c: corpus_mod.Corpus, dest: Path, workers: int | None = None) -> dict[str, Any]:
    project_dir = c.fresh_project(dest)
    parts: dict[str, float] = {}
    undo = [
        _wrap(collect_mod, "build_context", parts, "build_context (catalogue index, rules)"),
        _wrap(collect_mod, "discover", parts, "discover (list the folder)"),
        _wrap(collect_mod._Decider, "decide", parts, "decide + ledger + archive (main process)"),
    ]
    main0, children0 = cpu_split()
    try:
        # every 0.1 s: reading smaps_rollup of three processes every 50 ms took ~9% of a core from collect
        with Project.open(project_dir) as project, common.MemorySampler(SAMPLE_EVERY) as mem:
            t = time.perf_counter()
            result = collect_mod.collect(project, c.manifest["round"], [c.returns], workers=workers)
            elapsed = time.perf_counter() - t
    finally:
        for u in undo:
            u()
    parts["rest (mostly waiting for the workers reading files)"] = elapsed - sum(parts.values())
    main1, children1 = cpu_split()
    return {
        "seconds": elapsed,
        "cpu": main1 - main0 + children1 - children0,
        "cpu_main": main1 - main0,
        "cpu_workers": children1 - children0,
        "result": result,
        "parts": parts,
        "memory": mem.peak,
        "project": project_dir,
        "ledger_bytes": (project_dir / "ecodesk.sqlite").stat().st_size,
        "archive_files": sum(1 for p in project.archive_dir.rglob("*") if p.is_file()),
    }


def status_by_kind(c: corpus_mod.Corpus, result: collect_mod.CollectResult) -> list[list[Any]]:
    kinds = c.manifest["file_kinds"]
    seen: Counter[tuple[str, str]] = Counter()
    for r in result.results:
        seen[(kinds.get(Path(r.path).name, "?"), f"{r.status} ({r.code})")] += 1
    return [[k, s, n] for (k, s), n in sorted(seen.items())]


# ---- (b) plain openpyxl -------------------------------------------------------------------------
def plain_read(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[L.SHEET_INDICATORS]
    rows = [r for r in ws.iter_rows(min_row=L.FIRST_DATA_ROW + 1, values_only=True) if r and r[0]]
    wb.close()
    return rows


def run_plain(files: list[Path]) -> dict[str, Any]:
    failed: Counter[str] = Counter()
    values = 0
    t = time.perf_counter()
    for p in files:
        try:
            values += len(plain_read(p))
        except Exception as exc:  # what a plain script meets: every kind of error
            failed[type(exc).__name__] += 1
    return {"seconds": time.perf_counter() - t, "files": len(files), "failed": failed, "rows": values}


# ---- (c) the raw floor --------------------------------------------------------------------------
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_T = re.compile(rb"<t[^>]*>(.*?)</t>", re.S)
_SI = re.compile(rb"<si>(.*?)</si>", re.S)


def indicator_part(path: Path) -> str:
    """Which part holds 指标填报 (checked once on a sample, through workbook.xml and its rels)."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{L.SHEET_INDICATORS}"[^>]*r:id="([^"]+)"', wb)
    assert rid, "no 指标填报 sheet"
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels) or re.search(
        rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels
    )
    assert target
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def floor_read(path: Path, part: str) -> dict[tuple[str, int], str]:
    with zipfile.ZipFile(path) as z:
        sheet = z.read(part)
        try:
            shared = [b"".join(_T.findall(si)) for si in _SI.findall(z.read("xl/sharedStrings.xml"))]
        except KeyError:
            shared = []
    cells: dict[tuple[str, int], str] = {}
    for col, row, attrs, body in _CELL.findall(sheet):
        r = int(row)
        if r <= L.FIRST_DATA_ROW or not body:
            continue
        if b't="inlineStr"' in attrs:
            text = b"".join(_T.findall(body))
        else:
            v = _V.search(body)
            if v is None:
                continue
            text = shared[int(v.group(1))] if b't="s"' in attrs else v.group(1)
        cells[(col.decode(), r)] = text.decode()
    return cells


def run_floor_duties(files: list[Path], part: str, folder: Path, commit_every: int) -> dict[str, Any]:
    """The floor plus the duties EcoDesk has per file whatever its code: hash the file, copy it
    into a content-addressed archive, store its values in SQLite (synchronous=FULL, rollback
    journal, like the ledger) — committing after every file, or every ``commit_every`` files."""
    import hashlib
    import sqlite3

    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "floor.sqlite", isolation_level=None)
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE v (file TEXT, cell TEXT, value TEXT)")
    t = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for n, p in enumerate(files, start=1):
        data = p.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        target = folder / digest[:2] / f"{digest}.xlsx"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(p, target)
        cells = floor_read(p, part)
        db.executemany(
            "INSERT INTO v VALUES (?, ?, ?)", [(digest, f"{c}{r}", v) for (c, r), v in cells.items()]
        )
        if n % commit_every == 0:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
    db.execute("COMMIT")
    elapsed = time.perf_counter() - t
    db.close()
    return {"seconds": elapsed, "files": len(files)}


def run_floor(files: list[Path], part: str) -> dict[str, Any]:
    values = 0
    t = time.perf_counter()
    for p in files:
        values += len(floor_read(p, part))
    return {"seconds": time.perf_counter() - t, "files": len(files), "cells": values}


# ---- (d) verdicts and report --------------------------------------------------------------------
def run_verdicts_report(project_dir: Path, round_name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with Project.open(project_dir) as project:
        load_before = os.getloadavg()[0]
        t, cpu = time.perf_counter(), time.process_time()
        data = load_round(project, round_name)
        verdicts = judge_round(project, round_name, data=data)
        out["judge_round"] = time.perf_counter() - t
        out["  judge_round CPU s"] = time.process_time() - cpu
        parts: dict[str, float] = {}
        undo = [
            _wrap(writer_mod, "gather", parts, "  gather (报送情况, 催报, problems, 历年趋势)"),
            _wrap(writer_mod, "layouts", parts, "  layouts (the printed pages of every sheet)"),
            _wrap(writer_mod, "write_workbook", parts, "  write_workbook (6 sheets as blocks, 历年趋势 cell by cell)"),
        ]
        try:
            t, cpu = time.perf_counter(), time.process_time()
            report = write_report(project, round_name, data=data)
            out["write_report"] = time.perf_counter() - t
            out["  write_report CPU s"] = time.process_time() - cpu
        finally:
            for u in undo:
                u()
        out.update(parts)
        out["load average before → after"] = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
        out["verdicts"] = len(verdicts.verdicts)
        out["task rows"] = len(verdicts.tasks)
        out["report KB"] = report.path.stat().st_size / 1024
    return out


def profile_collect(c: corpus_mod.Corpus, dest: Path, limit: int = 35) -> None:
    """cProfile of a serial collect (workers=1, so the reading shows up) of the first 600 files."""
    project_dir = c.fresh_project(dest)
    sample = dest.parent / "sample"
    sample.mkdir()
    files = c.files[:600]
    for p in files:
        shutil.copyfile(p, sample / p.name)
    pr = cProfile.Profile()
    with Project.open(project_dir) as project:
        pr.enable()
        collect_mod.collect(project, c.manifest["round"], [sample], workers=1)
        pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(limit)
    print(f"cProfile, serial collect of the first {len(files)} files (cumulative):")
    print(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="the 10-county corpus (300 files)")
    ap.add_argument("--plain-all", action="store_true", help="time openpyxl on every .xlsx (slow)")
    ap.add_argument("--serial", action="store_true", help="also collect with workers=1")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of a serial collect")
    ap.add_argument(
        "--corpus",
        type=Path,
        help="use the corpus in this folder (one built before, e.g. /tmp/ecodesk-bench/<version>/full, "
        "when only code that does not change the files has changed since)",
    )
    args = ap.parse_args(argv)
    mode = "quick" if args.quick else "full"
    common.banner("bench_collect: intake of a province's returns", mode)

    t = time.perf_counter()
    if args.corpus:
        root = args.corpus
        c = corpus_mod.Corpus(root, root / "project", root / "returns", json.loads((root / "manifest.json").read_text()))
        built_here, how = False, f"given, version {root.parent.name} (this code: {corpus_mod.version()})"
    else:
        built_here = corpus_mod.load(args.quick) is None
        c = corpus_mod.ensure(args.quick, log=lambda s: print("  corpus:", s))
        how = "built now" if built_here else "cached"
    print(f"corpus ready in {time.perf_counter() - t:.1f} s ({how}: {c.root})")
    corpus_mod.describe(c)
    files = c.files
    n = len(files)
    xlsx = [p for p in files if p.suffix.lower() == ".xlsx"]
    good_xlsx = [p for p in xlsx if c.manifest["file_kinds"][p.name] == "xlsx"]

    work = Path(tempfile.mkdtemp(prefix="ecodesk-bench-collect-"))
    try:
        # (a)
        a = run_collect(c, work / "project")
        res: collect_mod.CollectResult = a["result"]
        mem: common.MemoryPeak = a["memory"]
        common.table(
            ["file kind", "status (code)", "files"],
            status_by_kind(c, res),
            title="(a) what collect made of each kind of file",
        )
        common.table(
            ["part of collect", "s", "share"],
            [[k, v, f"{v / a['seconds'] * 100:.0f}%"] for k, v in a["parts"].items()],
        )
        serial = run_collect(c, work / "serial", workers=1) if args.serial else None

        # (b), (c)
        sample = xlsx if (args.quick or args.plain_all) else xlsx[:: max(1, len(xlsx) // 400)]
        plain = run_plain(sample)
        plain_per_file = plain["seconds"] / max(1, plain["files"])
        part = indicator_part(good_xlsx[0])
        floor = run_floor(good_xlsx, part)
        floor_per_file = floor["seconds"] / max(1, floor["files"])
        duties = {
            every: run_floor_duties(good_xlsx, part, work / f"duties-{every}", every) for every in (1, 200)
        }

        # (d)
        vr = run_verdicts_report(a["project"], c.manifest["round"])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ecodesk_s = a["seconds"]
    plain_total = plain_per_file * n  # as if openpyxl could read every file at its .xlsx speed
    floor_total = floor_per_file * n
    unreadable_by_plain = (n - len(xlsx)) + round(sum(plain["failed"].values()) * len(xlsx) / len(sample))
    kind_counts = Counter(c.manifest["file_kinds"][p.name] for p in files)
    rows: list[list[Any]] = [
        ["EcoDesk collect, 2 workers", n, ecodesk_s, n / ecodesk_s, ecodesk_s / n * 1000, a["cpu"]],
    ]
    if serial:
        rows.append(
            [
                "EcoDesk collect, workers=1",
                n,
                serial["seconds"],
                n / serial["seconds"],
                serial["seconds"] / n * 1000,
                serial["cpu"],
            ]
        )
    rows += [
        [
            f"plain openpyxl loop ({plain['files']} .xlsx{' sampled' if len(sample) < len(xlsx) else ''})",
            plain["files"],
            plain["seconds"],
            plain["files"] / plain["seconds"],
            plain_per_file * 1000,
            "-",
        ],
        [f"  extrapolated to {n} files", n, plain_total, n / plain_total, plain_per_file * 1000, "-"],
        [
            f"raw floor: zipfile + {part} + regex ({floor['files']} .xlsx)",
            floor["files"],
            floor["seconds"],
            floor["files"] / floor["seconds"],
            floor_per_file * 1000,
            "-",
        ],
        [f"  extrapolated to {n} files", n, floor_total, n / floor_total, floor_per_file * 1000, "-"],
        *[
            [
                f"floor + hash, archive copy, SQLite, commit every {'file' if every == 1 else f'{every} files'}",
                d["files"],
                d["seconds"],
                d["files"] / d["seconds"],
                d["seconds"] / d["files"] * 1000,
                "-",
            ]
            for every, d in duties.items()
        ],
    ]
    common.table(
        ["approach", "files", "s", "files/s", "ms/file", "CPU s"], rows, title="(a)–(c) reading the returns"
    )
    common.table(
        ["figure", "value"],
        [
            ["files in corpus", n],
            *[[f"  {k}", v] for k, v in kind_counts.most_common()],
            ["accepted by EcoDesk", res.counts()["accepted"]],
            [
                "collect CPU s: main process / workers (ms per file)",
                f"{a['cpu_main']:.2f} / {a['cpu_workers']:.2f} ({a['cpu_main'] / n * 1000:.2f} / "
                f"{a['cpu_workers'] / n * 1000:.2f})",
            ],
            ["not readable by the plain loop (xls/ods + broken .xlsx)", unreadable_by_plain],
            ["  plain loop errors in its sample", dict(plain["failed"])],
            ["indicator rows read by plain / cells read by floor", f"{plain['rows']:,} / {floor['cells']:,}"],
            ["ledger after collect (MB)", common.mb(a["ledger_bytes"])],
            ["files archived", a["archive_files"]],
            ["peak memory, tree RSS sum (MB)", common.mb(mem.rss)],
            ["peak memory, tree PSS sum (MB)", common.mb(mem.pss)],
            ["most processes at once", mem.processes],
            [
                "ru_maxrss self / largest child (MB)"
                + (" (children include the corpus build)" if built_here else ""),
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} / "
                f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}",
            ],
        ],
        title="details",
    )
    common.table(
        ["(d) verdicts and report", "value"],
        [[k, v] for k, v in vr.items()],
    )
    judge_report = vr["judge_round"] + vr["write_report"]
    vs_plain = plain_total / ecodesk_s
    vs_floor = ecodesk_s / floor_total
    mem_mb = common.mb(mem.pss)
    met = {
        "total_s": ecodesk_s < TARGETS["total_s"],
        "vs_plain": vs_plain >= TARGETS["vs_plain"],
        "vs_floor": vs_floor <= TARGETS["vs_floor"],
        "memory_mb": mem_mb < TARGETS["memory_mb"],
        "judge_report_s": judge_report < TARGETS["judge_report_s"],
    }
    common.table(
        ["figure", "value", "target", "status"],
        [
            [
                "collect total (s)",
                ecodesk_s,
                f"< {TARGETS['total_s']:.0f}",
                common.verdict(met["total_s"]),
            ],
            ["collect files/s", n / ecodesk_s, "", ""],
            [
                "EcoDesk vs plain openpyxl (× faster)",
                f"{vs_plain:.1f}x",
                f">= {TARGETS['vs_plain']:.0f}x",
                common.verdict(met["vs_plain"]),
            ],
            [
                "EcoDesk vs raw floor (× slower)",
                f"{vs_floor:.1f}x",
                f"<= {TARGETS['vs_floor']:.0f}x",
                common.verdict(met["vs_floor"]),
            ],
            ["  floor spread over 2 cores (× slower)", f"{ecodesk_s / (floor_total / 2):.1f}x", "", ""],
            [
                "  vs floor + duties, commit every file (× slower)",
                f"{ecodesk_s / (duties[1]['seconds'] / duties[1]['files'] * n):.1f}x",
                "",
                "",
            ],
            [
                "peak memory, process tree PSS (MB)",
                mem_mb,
                f"< {TARGETS['memory_mb']:.0f}",
                common.verdict(met["memory_mb"]),
            ],
            [
                "judge_round + write_report (s)",
                judge_report,
                f"< {TARGETS['judge_report_s']:.0f}",
                common.verdict(met["judge_report_s"]),
            ],
        ],
        title=f"Summary ({n} files; machine load now {common.load_average()})",
    )
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="ecodesk-bench-prof-") as tmp:
            profile_collect(c, Path(tmp) / "p")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
