"""The core imports and works with PySide6 unavailable (as on a server, or a CLI-only install)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import importlib, pkgutil, sys, tempfile
    from pathlib import Path

    class NoQt:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith("PySide6.") or name == "ui" or name.startswith("ui."):
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, NoQt())
    import ecodesk
    names = [m.name for m in pkgutil.walk_packages(ecodesk.__path__, "ecodesk.") if m.name != "ecodesk.__main__"]
    for name in names:
        importlib.import_module(name)
    from ecodesk.demo import run_demo
    r = run_demo(Path(tempfile.mkdtemp()) / "demo")
    assert r.report.is_file(), r
    assert not any(m.startswith("PySide6") for m in sys.modules)
    print(len(names), "modules", r.verdicts)
""")


def test_core_imports_and_runs_without_qt():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "modules" in out.stdout
