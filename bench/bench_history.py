"""History at province scale: 20 rounds × 3,000 departments (100 counties × 30) into the history
frame and the history workbook, against querying the ledger row by row.

The ledger is written directly (rounds, issued forms, submissions and their values as collect
stores them: one accepted file per department and round, every 10th department re-submitting, so
a superseded file sits beside the current one), because generating and collecting 60,000 real
files would take most of an hour and is measured by ``bench_collect.py``. Values are plausible for
each rule (``demo.sample_inputs``), drift by round, and some fail.

Measured:

* ``history.load`` the first time (no verdict snapshots yet: every round is judged once; the
  history blocks written);
* ``history.load`` built from the ledger's rows (verdict snapshots valid, no history blocks: what
  every opening cost before the blocks, and the cost of a round whose block a change made stale);
* ``history.load`` again (every round's block valid: this is every later opening) — **target**;
* ``history.load`` after a new file in the last round (that round judged and built again, the
  nineteen before it read from their blocks);
* ``write_xlsx`` of that history (indicator × period table, long table, a chart per numeric
  indicator, timeliness, changes) — **target** together with the reopening: under 3 s;
* the same long table built by querying the ledger row by row (one SELECT per round, department and
  indicator, as a script without the model would), and its ratio to the frame built from the rows
  and to the reopening.

Each step is given as wall time and as CPU time (``time.process_time``) with the load average at
the start and the end: the machine is shared, and the target is wall time on a quiet machine.

    .venv/bin/python bench/bench_history.py [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

from ecodesk import history
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.demo import sample_inputs
from ecodesk.history_export import write_xlsx
from ecodesk.project import Project

TARGET_S = 3.0
FIRST = "history.load, first time (judges every round, writes snapshots and blocks)"
BUILD = "history.load, built from the ledger's rows (snapshots valid, no blocks; best of 3)"
LOAD = "history.load, reopened (every round's block valid; best of 3)"
CHANGED = "history.load after a new file in the last round (that round rebuilt)"
XLSX = "write_xlsx"
ROWS = "long table row by row (one query per cell)"
FULL_COUNTIES, QUICK_COUNTIES = 100, 10
EXTRA_PER_COUNTY = 16  # 14 built-in departments with indicators + 16 = 30 reporting departments a county


def period_of(r: int) -> tuple[str, str]:
    """Round r (0-based): alternating 上半年 and 年度 rounds from 2016; (name, deadline)."""
    year = 2016 + r // 2
    if r % 2 == 0:
        return f"{year}年上半年", f"{year}-07-15"
    return f"{year}年度", f"{year + 1}-01-31"


def build(root: Path, n_counties: int, n_rounds: int) -> tuple[Project, dict[str, Any]]:
    extra = common.EXTRA_DEPARTMENTS[:EXTRA_PER_COUNTY]
    base = common.add_co_departments(load_builtin(), extra)
    cat = common.province_catalogue(base, common.county_names(n_counties), [])
    project = Project.create(root / "省级汇总", cat, region="east")
    cat = project.catalogue()
    # plausible inputs per base indicator (each county asks the same questions)
    per_base = len(base.indicators)
    samples = []
    for ind in cat.indicators[:per_base]:
        samples.append(
            (
                sample_inputs(ind, "pass", "east"),
                sample_inputs(ind, "fail", "east") or sample_inputs(ind, "pass"),
            )
        )
    rng = random.Random(7)
    conn = project.ledger.conn
    inds_of, _ = cat.by_department()
    depts = [d for d in cat.department_names() if inds_of.get(d)]
    sub_id = 0
    rows = 0
    with project.ledger.transaction() as c:
        for r in range(n_rounds):
            name, deadline = period_of(r)
            c.execute(
                "INSERT INTO rounds(name, deadline, created_at, note) VALUES(?, ?, ?, '')",
                (name, deadline, f"{deadline}T00:00:00+08:00"),
            )
            rid = c.execute("SELECT id FROM rounds WHERE name = ?", (name,)).fetchone()[0]
            forms, subs, values = [], [], []
            for n, d in enumerate(depts):
                inds = inds_of[d]
                forms.append((rid, d, 1, f"{name}/{d}.xlsx", "0" * 64, "0" * 64, deadline, len(inds), 0))
                if (n + r) % 97 == 0:  # missing this round
                    continue
                late = (n + r) % 23 == 0
                saved = dt.date.fromisoformat(deadline) + dt.timedelta(days=3 if late else -4)
                versions = 2 if n % 10 == 0 else 1
                for v in range(versions):
                    sub_id += 1
                    current = v == versions - 1
                    subs.append(
                        (sub_id, rid, d, f"{sub_id:064x}", f"{name}_{d}_填报表.xlsx", "/收件", "", f"{saved}T09:00:00",
                         f"{saved}T0{v}:00:00Z", "accepted" if current else "superseded", int(current))
                    )  # fmt: skip
                    for row, ind in enumerate(inds, start=4):
                        j = _base_index(ind, per_base, cat)
                        good, bad = samples[j]
                        inp = bad if rng.random() < 0.08 else good
                        cur = inp.current if inp is not None else 95.0
                        kind, number, status = "text", None, None
                        if isinstance(cur, int | float):
                            kind, number = "number", float(cur) + round(rng.uniform(-2, 2), 1) * (r % 3 != 0)
                        else:
                            kind, status = "status", cur
                        values.append(
                            (sub_id, ind.key, d, "指标填报", row, f"G{row}", str(number if number is not None else cur),
                             kind, number, status, inp.previous if inp else None, "上年",
                             str(inp.assigned) if inp and inp.assigned is not None else "",
                             inp.assigned if inp else None)
                        )  # fmt: skip
            c.executemany(
                "INSERT INTO issued_forms(round_id, department, version, path, sha256, content_hash, generated_at,"
                " indicator_count, task_count) VALUES(?,?,?,?,?,?,?,?,?)",
                forms,
            )
            c.executemany(
                "INSERT INTO submissions(id, round_id, department, sha256, original_name, original_path,"
                " archived_path, received_at, content_time, status, is_current) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                subs,
            )
            c.executemany(
                "INSERT INTO indicator_values(submission_id, indicator_key, department, sheet, row, current_cell,"
                " current_raw, current_kind, current_number, current_status, previous_number, period, target_raw,"
                " target_number) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                values,
            )
            rows += len(values)
    facts = {
        "counties": n_counties,
        "rounds": n_rounds,
        "departments": len(depts),
        "indicators": len(cat.indicators),
        "value rows (all files)": rows,
        "ledger MB": round(project.ledger.path.stat().st_size / 2**20, 1),
    }
    del conn
    return project, facts


_BASE_INDEX: dict[str, int] = {}


def _base_index(ind: Any, per_base: int, cat: Any) -> int:
    if not _BASE_INDEX:
        for i, x in enumerate(cat.indicators):
            _BASE_INDEX[x.key] = i % per_base
    return _BASE_INDEX[ind.key]


def _forget_blocks(project: Project) -> None:
    """No history blocks: the next opening builds every round from the ledger's rows."""
    with project.ledger.transaction() as c:
        c.execute("DELETE FROM history_blocks")


def assert_same(a: Any, b: Any) -> None:
    """The reopened history is the one built from the rows."""
    import pandas as pd

    for name in ("values", "verdicts", "timeliness"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def resend(project: Project) -> None:
    """One department sends its last-round form again, as collect stores it: its file superseded,
    the new one current with the same values but one."""
    with project.ledger.transaction() as c:
        rid = c.execute("SELECT id FROM rounds ORDER BY id DESC LIMIT 1").fetchone()[0]
        old = c.execute(
            "SELECT * FROM submissions WHERE round_id = ? AND is_current = 1 ORDER BY id LIMIT 1", (rid,)
        ).fetchone()
        new_id = c.execute("SELECT max(id) + 1 FROM submissions").fetchone()[0]
        c.execute("UPDATE submissions SET is_current = 0, status = 'superseded' WHERE id = ?", (old["id"],))
        cols = [k for k in old.keys() if k != "id"]  # noqa: SIM118 (a Row iterates over its values)
        c.execute(
            f"INSERT INTO submissions(id, {', '.join(cols)}) VALUES(?, {', '.join('?' * len(cols))})",
            (new_id, *[f"{new_id:064x}" if k in ("sha256", "values_hash") else old[k] for k in cols]),
        )
        vcols = [
            r[1]
            for r in c.execute("PRAGMA table_info(indicator_values)")
            if r[1] not in ("id", "submission_id")
        ]
        c.execute(
            f"INSERT INTO indicator_values(submission_id, {', '.join(vcols)}) SELECT ?, {', '.join(vcols)}"
            " FROM indicator_values WHERE submission_id = ?",
            (new_id, old["id"]),
        )
        c.execute(
            "UPDATE indicator_values SET current_number = current_number + 1 WHERE rowid ="
            " (SELECT min(rowid) FROM indicator_values WHERE submission_id = ? AND current_number IS NOT NULL)",
            (new_id,),
        )


def row_by_row(project: Project) -> list[dict[str, Any]]:
    """The long table the way a script without the model gets it: one query per cell."""
    conn = project.ledger.conn
    cat = project.catalogue()
    out = []
    for rnd in project.rounds():
        for ind in cat.indicators:
            for d in ind.departments:
                sub = conn.execute(
                    "SELECT id, original_name, sha256, received_at, content_time FROM submissions"
                    " WHERE round_id = ? AND department = ? AND is_current = 1",
                    (rnd.id, d),
                ).fetchone()
                if sub is None:
                    continue
                v = conn.execute(
                    "SELECT * FROM indicator_values WHERE submission_id = ? AND indicator_key = ?",
                    (sub[0], ind.key),
                ).fetchone()
                if v is None or (v["current_kind"] == "empty" and not v["not_applicable"]):
                    continue
                out.append(
                    {"round": rnd.name, "indicator": ind.key, "department": d, **dict(v), "file": sub[1]}
                )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help=f"{QUICK_COUNTIES} counties instead of {FULL_COUNTIES}"
    )
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args(argv)
    mode = "quick" if args.quick else "full"
    common.banner("bench_history: 20 rounds of a province into the history frame and workbook", mode)
    tmp = Path(tempfile.mkdtemp(prefix="ecodesk-bench-history-"))
    try:
        t = time.perf_counter()
        project, facts = build(tmp, QUICK_COUNTIES if args.quick else FULL_COUNTIES, args.rounds)
        facts["build the ledger (s)"] = round(time.perf_counter() - t, 1)
        common.table(["data", "value"], list(facts.items()), "Data")
        import pandas  # noqa: F401  (imported once, as the app or CLI would before its first history)

        times: dict[str, float] = {}
        cpu: dict[str, float] = {}

        def timed(step: str, fn: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            out = fn()
            times[step], cpu[step] = time.perf_counter() - t, time.process_time() - c
            return out

        timed(FIRST, lambda: history.load(project))

        def best_of_3(step: str, before: Any = None) -> Any:
            runs = []
            for _ in range(3):
                if before:
                    before()
                out = timed(step, lambda: history.load(project))
                runs.append((times[step], cpu[step]))
            times[step], cpu[step] = min(runs)
            return out

        built = best_of_3(BUILD, lambda: _forget_blocks(project))
        h = best_of_3(LOAD)
        assert_same(h, built)
        resend(project)
        timed(CHANGED, lambda: history.load(project))
        out = tmp / "历年.xlsx"
        timed(XLSX, lambda: write_xlsx(h, out, "省级汇总"))
        rows = timed(ROWS, lambda: row_by_row(project))
        assert len(rows) == len(h.values), (len(rows), len(h.values))
        charts = sum(1 for k in h.numeric_table().notna().any(axis=1) if k)
        total, total_cpu = times[LOAD] + times[XLSX], cpu[LOAD] + cpu[XLSX]
        ratio, ratio_built = times[ROWS] / times[LOAD], times[ROWS] / times[BUILD]
        common.table(
            ["step", "wall s", "CPU s"],
            [[k, round(v, 2), round(cpu[k], 2)] for k, v in times.items()],
            f"Times (frame: {len(h.values):,} rows; workbook: {out.stat().st_size / 2**20:.1f} MB, {charts:,} charts)",
        )
        met = total < TARGET_S
        common.table(
            ["figure", "wall", "CPU", "target", ""],
            [
                [
                    "frame (reopened) + xlsx (s)",
                    round(total, 2),
                    round(total_cpu, 2),
                    f"< {TARGET_S:.0f} (wall, quiet machine)",
                    common.verdict(met),
                ],
                [
                    "frame (built from the rows) + xlsx (s)",
                    round(times[BUILD] + times[XLSX], 2),
                    round(cpu[BUILD] + cpu[XLSX], 2),
                    "—",
                    "",
                ],
                ["row by row ÷ frame (reopened)", f"{ratio:.1f}x", f"{cpu[ROWS] / cpu[LOAD]:.1f}x", "—", ""],
                [
                    "row by row ÷ frame (built)",
                    f"{ratio_built:.1f}x",
                    f"{cpu[ROWS] / cpu[BUILD]:.1f}x",
                    "—",
                    "",
                ],
            ],
            "Summary",
        )
        print(f"Load:    {common.load_average()} (1/5/15 min) at the end")
        print(
            json.dumps(
                {
                    "times": times,
                    "cpu": cpu,
                    "facts": facts,
                    "ratio_row_by_row": ratio,
                    "ratio_row_by_row_built": ratio_built,
                    "load": common.load_average(),
                },
                ensure_ascii=False,
            )
        )
        project.close()
        return 0 if met else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
