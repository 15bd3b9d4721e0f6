"""The built wheel is a complete product: installed into a clean virtualenv (no checkout beside it),
``ecodesk init`` and ``ecodesk demo`` work, because the shipped data travels inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
         str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (path,) = out.glob("ecodesk-*.whl")
    return path


def test_wheel_carries_the_shipped_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (ROOT / "ecodesk" / "resources").rglob("*"):
        if shipped.is_file():
            assert shipped.relative_to(ROOT).as_posix() in names
    assert "ecodesk/templates/xlsx/附件1_指标责任分解表.xlsx" in names
    for page in (ROOT / "ui" / "help").rglob("*"):  # the guide behind 帮助 → 用户指南
        if page.is_file():
            assert page.relative_to(ROOT).as_posix() in names


def test_installed_wheel_runs_init_and_demo(wheel, tmp_path):
    """A fresh venv holds only the wheel; its dependencies are the locked ones of the test environment,
    reached through a plain path entry (so the checkout's editable install is not on the path)."""
    import site

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    venv_site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip()
    # lines of a .pth file are only appended to sys.path: the .pth files in the test environment's
    # site-packages (the editable finder pointing at this checkout) are not run
    Path(venv_site, "locked-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    work = tmp_path / "work"  # far from the checkout: nothing can be found beside the source tree
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def ecodesk(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(py), "-m", "ecodesk", *args], cwd=work, env=env, capture_output=True,
                              text=True, encoding="utf-8")

    where = subprocess.run([str(py), "-c", "import ecodesk; print(ecodesk.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert str(venv) in where and str(ROOT) not in where
    init = ecodesk("init", str(work / "项目"))
    assert init.returncode == 0, init.stderr
    assert (work / "项目" / "ecodesk.sqlite").exists()
    catalog = ecodesk("catalog", str(work / "项目"), "--json")
    assert catalog.returncode == 0, catalog.stderr
    assert '"indicators"' in catalog.stdout
    demo = ecodesk("demo", str(work / "示例"))
    assert demo.returncode == 0, demo.stderr
    assert any((work / "示例").rglob("*.xlsx"))
    # the app's user guide (帮助 → 用户指南) is found inside the installed package
    guide = subprocess.run([str(py), "-c", "from ui.paths import guide_dir; print(guide_dir())"], cwd=work,
                           env=env, capture_output=True, text=True, encoding="utf-8")
    assert guide.returncode == 0, guide.stderr
    assert str(venv) in guide.stdout and (Path(guide.stdout.strip()) / "index.html").is_file()
