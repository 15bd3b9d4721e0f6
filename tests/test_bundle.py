"""The double-click build: PyInstaller makes the one-folder bundle from build.spec, and the bundled
app passes its own self-test (window, init → generate → collect → report) with no source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.gui]


@pytest.mark.skipif(
    shutil.which("pyinstaller") is None and not (Path(sys.executable).parent / "pyinstaller").exists(),
    reason="PyInstaller 未安装（pip install -e .[build]）",
)
def test_one_folder_bundle_runs_its_selftest(tmp_path):
    pytest.importorskip("PySide6")
    pyinstaller = shutil.which("pyinstaller") or str(Path(sys.executable).parent / "pyinstaller")
    build = subprocess.run(
        [
            pyinstaller,
            "--noconfirm",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(REPO / "build.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    exe = tmp_path / "dist" / "EcoDesk" / ("EcoDesk.exe" if os.name == "nt" else "EcoDesk")
    assert exe.is_file()
    assert (
        tmp_path / "dist" / "EcoDesk" / "_internal" / "ecodesk" / "resources" / "catalogues" / "shengzhou-2024.json"
    ).is_file()
    assert (tmp_path / "dist" / "EcoDesk" / "_internal" / "ui" / "help" / "index.html").is_file()  # 用户指南
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [str(exe), "--selftest"], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "自检" in run.stdout and "[失败]" not in run.stdout
