"""Endurance: one ordinary county project (the built-in catalogue) through 20 rounds.

Each round: add the round, generate the forms (上期值 pre-filled from the round before), every
department but one fills its form (values vary by round; three departments send a draft first and
the final file later; one final file arrives twice), collect, judge, write the report. Per round it
prints the ledger's size and rows and the time of each step; at the end it compares the last rounds
with the first: a round's cost must depend on what the round holds, not on how many rounds came
before (ratio ≈ 1; the ledger itself grows linearly, by about the same amount each round).

    .venv/bin/python bench/bench_endurance.py [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import common

from ecodesk.catalogue.builtin import load_builtin
from ecodesk.demo import department_values, fill_form
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import Project
from ecodesk.report import write_report
from ecodesk.verdicts import judge_round

GROWTH_LIMIT = 1.5  # last-window / first-window ratio above which a step "grows" …
NOISE_FLOOR = 0.05  # … unless it grew by less than this many seconds (timer and scheduler noise)
REPEAT = 3  # judge and report are repeated, best time kept


def _fill(job: tuple[str, str, dict[str, Any], dict[str, Any], dt.datetime]) -> str:
    src, dst, values, tasks, saved = job
    fill_form(Path(src), Path(dst), values, tasks, saved)
    return dst


def deadline_of(r: int) -> dt.date:
    """Round r (0-based) closes at the end of month r + 1 from January 2025 (28th, every month has one)."""
    return dt.date(2025 + r // 12, r % 12 + 1, 28)


def round_jobs(project: Project, r: int, issued: dict[str, Path], folder: Path) -> list[tuple]:
    """The files the departments send back in round ``r``."""
    cat = project.catalogue()
    depts = [d for d in cat.department_names() if d in issued]
    keys = [i.key for i in cat.indicators]
    failing = {k for j, k in enumerate(keys) if (j + r) % 10 == 0}
    missing = depts[r % len(depts)]
    drafts = {depts[(r + k) % len(depts)] for k in (3, 7, 11)} - {missing}
    twice = depts[(r + 5) % len(depts)]
    deadline = deadline_of(r)
    jobs = []
    for n, dept in enumerate(depts):
        if dept == missing:
            continue
        values = department_values(project, dept, failing, seed=r + n)
        tasks = {
            t.key: {"status": "推进中" if (r + n) % 3 else "已完成", "progress": f"第{r + 1}轮：按计划推进"}
            for t in cat.tasks_for(dept)
        }
        saved = dt.datetime.combine(deadline - dt.timedelta(days=n % 5), dt.time(10, 0))
        form = issued[dept]
        if dept in drafts:
            draft = {k: {**v, "note": "初稿"} for k, v in values.items()}
            task_draft = {k: {**v, "plan": "初稿"} for k, v in tasks.items()}
            jobs.append(
                (
                    str(form),
                    str(folder / f"{form.stem}(初稿).xlsx"),
                    draft,
                    task_draft,
                    saved - dt.timedelta(days=2),
                )
            )
        jobs.append((str(form), str(folder / form.name), values, tasks, saved))
        if dept == twice:
            jobs.append((str(form), str(folder / f"{form.stem}(1).xlsx"), values, tasks, saved))
    return jobs


def rows(project: Project, table: str) -> int:
    return int(project.ledger.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def window_ratio(xs: list[float], k: int) -> float:
    return statistics.median(xs[-k:]) / statistics.median(xs[:k])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="6 rounds, windows of 2")
    ap.add_argument("--rounds", type=int, default=None, help="rounds (default 20, quick 6)")
    args = ap.parse_args(argv)
    n_rounds = args.rounds or (6 if args.quick else 20)
    k = max(1, min(5, n_rounds // 3))
    common.banner(
        f"bench_endurance: one project through {n_rounds} rounds", "quick" if args.quick else "full"
    )

    tmp = Path(tempfile.mkdtemp(prefix="ecodesk-bench-endurance-"))
    per_round: list[dict[str, Any]] = []
    try:
        project = Project.create(tmp / "项目", load_builtin(), region="east")
        ledger = tmp / "项目" / "ecodesk.sqlite"
        with project, ProcessPoolExecutor(max_workers=2) as pool:
            for r in range(n_rounds):
                name = f"{deadline_of(r):%Y年%m月}调度"
                row: dict[str, Any] = {"round": name}
                project.add_round(name, deadline_of(r).isoformat())
                t = time.perf_counter()
                issued = {f.department: Path(f.path) for f in generate_round(project, name).forms}
                row["generate s"] = time.perf_counter() - t
                folder = tmp / "returns" / name
                folder.mkdir(parents=True)
                jobs = round_jobs(project, r, issued, folder)
                list(pool.map(_fill, jobs, chunksize=4))  # not timed: the departments' work
                t = time.perf_counter()
                res = collect(project, name, [folder])
                row["collect s"] = time.perf_counter() - t
                row["files"] = len(res.results)
                status = dict(
                    project.ledger.conn.execute(
                        "SELECT status, COUNT(*) FROM submissions s JOIN rounds r ON r.id = s.round_id "
                        "WHERE r.name = ? GROUP BY status",
                        (name,),
                    ).fetchall()
                )
                row["current"] = status.get("accepted", 0)
                row["superseded"] = status.get("superseded", 0)
                row["duplicate"] = status.get("duplicate", 0)
                # judging and reporting have no side effect on what the next round sees:
                # best of 3, so a background hiccup does not read as growth
                judge_times, report_times = [], []
                for _ in range(REPEAT):
                    t = time.perf_counter()
                    verdicts = judge_round(project, name)
                    judge_times.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    write_report(project, name)
                    report_times.append(time.perf_counter() - t)
                row["judge s"], row["report s"] = min(judge_times), min(report_times)
                row["verdicts"] = len(verdicts.verdicts)
                row["ledger MB"] = common.mb(ledger.stat().st_size)
                row["submissions"] = rows(project, "submissions")
                row["values"] = rows(project, "indicator_values")
                row["audit"] = rows(project, "audit_events")
                per_round.append(row)
                print(
                    f"  round {r + 1:2d}/{n_rounds} {name}: {row['files']} files, collect {row['collect s']:.2f} s, "
                    f"report {row['report s']:.2f} s, ledger {row['ledger MB']:.2f} MB",
                    flush=True,
                )
        archive_mb = common.mb(
            sum(p.stat().st_size for p in (tmp / "项目" / "回收归档").rglob("*") if p.is_file())
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    headers = [
        "#",
        "round",
        "files",
        "current",
        "superseded",
        "duplicate",
        "generate s",
        "collect s",
        "judge s",
        "report s",
        "ledger MB",
        "submissions",
        "values",
        "audit",
    ]
    common.table(
        headers,
        [[i + 1, *(r[h] for h in headers[1:])] for i, r in enumerate(per_round)],
        title="per round (files collected; the round's submissions by final status in the ledger)",
    )

    growth = [b["ledger MB"] - a["ledger MB"] for a, b in itertools.pairwise(per_round)]
    checks: list[list[Any]] = []
    ok = True
    for step in ("generate s", "collect s", "judge s", "report s"):
        xs = [r[step] for r in per_round]
        ratio = window_ratio(xs, k)
        first, last = statistics.median(xs[:k]), statistics.median(xs[-k:])
        flat = ratio < GROWTH_LIMIT or last - first < NOISE_FLOOR
        ok &= flat
        checks.append([step.replace(" s", " time (s)"), first, last, f"{ratio:.2f}x", common.verdict(flat)])
    if len(growth) >= 2 * k:
        ratio = window_ratio(growth, k)
        ok &= ratio < GROWTH_LIMIT
        checks.append(
            [
                "ledger growth per round (MB)",
                statistics.median(growth[:k]),
                statistics.median(growth[-k:]),
                f"{ratio:.2f}x",
                common.verdict(ratio < GROWTH_LIMIT),
            ]
        )
    common.table(
        ["step", f"median first {k}", f"median last {k}", "last ÷ first", "flat"],
        checks,
        title=f"growth check: flat when last ÷ first < {GROWTH_LIMIT}x or the increase < {NOISE_FLOOR} s"
        f" (machine load now {common.load_average()})",
    )
    last = per_round[-1]
    common.table(
        ["after the last round", "value"],
        [
            ["rounds", len(per_round)],
            ["ledger (MB)", last["ledger MB"]],
            ["archive (MB)", archive_mb],
            [
                "submissions / indicator values / audit events",
                f"{last['submissions']:,} / {last['values']:,} / {last['audit']:,}",
            ],
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
