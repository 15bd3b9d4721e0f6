"""Done when: a GUI test drops 1,500 files through the real window, then 500 more while busy, and
the process exits cleanly (tests/gui_long_session.py, in its own process so that an abort in the
binding or at exit is seen as the clerk would see it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.gui


def test_two_thousand_files_through_the_window_and_a_clean_exit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"), PYTHONFAULTHANDLER="1")
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui_long_session", str(tmp_path), "1500", "500"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        env=env,
        cwd=REPO,
    )
    facts = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Fatal Python error" not in done.stderr
    assert facts["busy_after_first_drop"] == "True"
    assert (facts["queued_batches"], facts["waiting_rows"]) == ("1", "500")  # the second drop waited
    assert facts["queue_label"] == "等待回收：1 批，共 500 项（当前这批处理完后自动开始）"
    assert facts["finished"] == "True" and facts["rows"] == "2000"
    # three genuine forms, every other file a copy of one of them: nothing lost, nothing dropped
    assert facts["statuses"] == "accepted:3,duplicate:1997"
    assert facts["errors"] == "0" and facts["closed"] == "True" and facts["exit"] == "clean"
