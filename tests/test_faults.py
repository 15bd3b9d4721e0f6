"""Faults: a collect or report killed at random points leaves the ledger consistent and re-runs
cleanly; a full disk fails with a message, not a traceback, and loses nothing."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ecodesk.catalogue.builtin import load_builtin
from ecodesk.demo import department_values, fill_form
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import LEDGER_NAME, Project

R1 = "2025年第一轮"
TRIALS = 20


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A project with a round issued, and every department's filled return in a folder."""
    root = tmp_path_factory.mktemp("faults")
    project = Project.create(root / "base", load_builtin(), region="east")
    project.add_round(R1, "2025-06-30")
    returns = root / "returns"
    returns.mkdir()
    for f in generate_round(project, R1).forms:
        fill_form(Path(f.path), returns / Path(f.path).name, department_values(project, f.department, set()))
    project.close()
    return root / "base", returns


def check_consistent(root: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(root / LEDGER_NAME)
    conn.row_factory = sqlite3.Row
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for r in conn.execute(
        "SELECT round_id, department, COUNT(*) n FROM submissions WHERE is_current = 1 "
        "GROUP BY round_id, department"
    ):
        assert r["n"] == 1, dict(r)
    for s in conn.execute("SELECT * FROM submissions WHERE status = 'accepted'"):
        n = conn.execute(
            "SELECT COUNT(*) FROM indicator_values WHERE submission_id = ?", (s["id"],)
        ).fetchone()[0]
        t = conn.execute("SELECT COUNT(*) FROM task_reports WHERE submission_id = ?", (s["id"],)).fetchone()[
            0
        ]
        assert n + t > 0, dict(s)  # a submission is never recorded without its values
        assert (root / s["archived_path"]).is_file()
    return conn


COLLECT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ecodesk.intake.collect import collect
    from ecodesk.project import Project
    with Project.open(sys.argv[1]) as p:
        collect(p, sys.argv[2], [Path(sys.argv[3])], workers=1, commit_window=float(sys.argv[4]),
                progress=lambda i, n, t: print(i, flush=True))
""")


def test_collect_killed_at_random_points(base, tmp_path):
    src, returns = base
    rng = random.Random(20251123)
    files = len(list(returns.iterdir()))
    killed_mid = 0
    for trial in range(TRIALS):
        root = tmp_path / f"t{trial}"
        shutil.copytree(src, root)
        window = "0" if trial % 2 == 0 else "0.5"  # every file committed alone, or grouped as by default
        proc = subprocess.Popen(
            [sys.executable, "-c", COLLECT, str(root), R1, str(returns), window],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        # wait until it has started work, then kill it after a random number of files
        target = rng.randint(0, files - 1)
        assert proc.stdout is not None
        for line in proc.stdout:
            if int(line.split()[0]) >= target:
                time.sleep(rng.random() * 0.05)
                break
        proc.kill()
        proc.wait()
        proc.stdout.close()
        conn = check_consistent(root)
        done = conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        killed_mid += window == "0" and 0 < done < files
        conn.close()
        with Project.open(root) as p:  # the re-run completes and takes every file exactly once
            result = collect(p, R1, [returns], workers=1)
            counts = result.counts()
            assert counts["accepted"] + counts["duplicate"] == files
            assert counts["accepted"] == files - done
        check_consistent(root).close()
    assert killed_mid >= TRIALS // 4  # most per-file trials were really killed in the middle of the run


REPORT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ecodesk.project import Project
    from ecodesk.report import write_report
    with Project.open(sys.argv[1]) as p:
        print("start", flush=True)
        write_report(p, sys.argv[2], Path(sys.argv[3]))
""")


def test_report_killed_leaves_no_half_file(base, tmp_path):
    src, returns = base
    root = tmp_path / "p"
    shutil.copytree(src, root)
    with Project.open(root) as p:
        collect(p, R1, [returns])
    out = tmp_path / "汇总.xlsx"
    rng = random.Random(7)
    for _ in range(TRIALS):
        proc = subprocess.Popen(
            [sys.executable, "-c", REPORT, str(root), R1, str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.random() * 0.4)
        proc.kill()
        proc.wait()
        proc.stdout.close()
        if out.exists():  # either the previous complete report or a complete new one
            import openpyxl

            assert openpyxl.load_workbook(out).sheetnames[0] == "简报"
        check_consistent(root).close()
    with Project.open(root) as p:
        from ecodesk.report import write_report

        write_report(p, R1, out)
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".part.xlsx")] == []


FULL_DISK = textwrap.dedent("""
    import resource, signal, sys, json
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the limit: writes fail with EFBIG, like a full disk
    from ecodesk.messages import EcoDeskError
    from ecodesk.project import Project
    limit = int(sys.argv[4])
    with Project.open(sys.argv[1]) as p:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        try:
            if sys.argv[2] == "report":
                from ecodesk.report import write_report
                write_report(p, "2025年第一轮", Path(sys.argv[3]))
            else:
                from ecodesk.intake.collect import collect
                collect(p, "2025年第一轮", [Path(sys.argv[3])], workers=1)
            print(json.dumps({"ok": True}))
        except EcoDeskError as e:
            print(json.dumps({"code": e.code, "message": str(e)}, ensure_ascii=False))
""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="RLIMIT_FSIZE is POSIX only")
def test_full_disk_fails_cleanly(base, tmp_path):
    src, returns = base
    root = tmp_path / "p"
    shutil.copytree(src, root)
    ledger_size = (root / LEDGER_NAME).stat().st_size
    # collect: archive copies and ledger growth hit the limit
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(root), "collect", str(returns), str(ledger_size + 8_000)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == "project.not_writable", result
    assert "磁盘空间" in result["message"]
    check_consistent(root).close()
    with Project.open(root) as p:  # with space again, the re-run completes
        counts = collect(p, R1, [returns]).counts()
        assert counts["accepted"] + counts["duplicate"] == len(list(returns.iterdir()))
    # report: a 50 KB limit cannot hold the workbook
    target = tmp_path / "汇总.xlsx"
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(root), "report", str(target), "20000"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip(), out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == "report.write_failed", result
    assert not target.exists()
    assert [x.name for x in tmp_path.iterdir() if ".part" in x.name] == []
