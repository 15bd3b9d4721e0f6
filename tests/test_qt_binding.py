"""The Qt binding we ship must not leak references on the calls the app makes thousands of times.

PySide6-Essentials 6.12.0 leaked one reference to ``True`` on every ``Signal.emit()`` and one to
``None`` on every Qt call returning nothing; Python 3.11 aborts with ``Fatal Python error:
bool_dealloc`` once the count wraps (the app died after ~1,000 collected files). These tests fail on
such a binding, whatever its version number.
"""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(
        sys.version_info >= (3, 12),
        reason="True/None are immortal from Python 3.12 on: their reference counts do not move",
    ),
]

# The probe runs in its own interpreter: a leaking binding aborts the process once the count wraps,
# and that must fail this test, not kill the test session. The binding of 6.12.0 *drops* a reference
# per call (True starts near 600 references), so 100 calls show it long before the abort.
PROBE = r"""
import json, sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
CALLS = 100

class Emitter(QObject):
    fired = Signal(int)

emitter = Emitter()
received = []
emitter.fired.connect(received.append)
label = QLabel()

def emit(n):
    for i in range(n):
        emitter.fired.emit(i)

def set_text(n):
    for i in range(n):
        label.setText(str(i))  # returns void

def growth(obj, action):
    action(10)  # warm caches (method lookup, the connection) before counting
    before = sys.getrefcount(obj)
    action(CALLS)
    return sys.getrefcount(obj) - before

print(json.dumps({"calls": CALLS, "emit_true": growth(True, emit), "void_none": growth(None, set_text),
                  "received": len(received), "text": label.text()}), flush=True)
import os
os._exit(0)  # skip finalisation: a leaking binding aborts there, after the figures are out
"""
ALLOWED = 20  # interpreter noise; a leaking binding moves the count by one per call


@pytest.fixture(scope="module")
def probe() -> dict:
    import json
    import os
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"the Qt probe died (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(lines[-1])


def test_signal_emit_does_not_leak_true(probe):
    assert probe["received"] == probe["calls"] + 10  # the signal really went through
    assert abs(probe["emit_true"]) < ALLOWED, f"Signal.emit() moved True's reference count by {probe['emit_true']}"


def test_void_qt_calls_do_not_leak_none(probe):
    assert probe["text"] == str(probe["calls"] - 1)
    assert abs(probe["void_none"]) < ALLOWED, f"void Qt calls moved None's reference count by {probe['void_none']}"


def test_installed_versions_are_the_locked_ones():
    """What the tests run on is what constraints.txt says: CI and the build install from it."""
    from importlib.metadata import PackageNotFoundError, version
    from pathlib import Path

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = Path(__file__).resolve().parent.parent
    pins = {}
    for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{line}: the lock pins exact versions"
            pins[canonicalize_name(req.name)] = spec.version
    mismatched = {}
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # an extra not installed here (e.g. the build tools on a machine without them)
        if installed != pinned:
            mismatched[name] = (installed, pinned)
    assert not mismatched, f"installed ≠ constraints.txt: {mismatched}"
    assert pins[canonicalize_name("PySide6-Essentials")] != "6.12.0"


def test_every_dependency_is_locked():
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    lock = {}
    for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            lock[canonicalize_name(req.name)] = next(iter(req.specifier)).version
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in lock, f"{req.name} is a dependency but not in constraints.txt"
        assert req.specifier.contains(lock[name]), f"{req.name}=={lock[name]} violates pyproject's {req}"
    assert not Requirement(next(t for t in wanted if t.lower().startswith("pyside6"))).specifier.contains(
        "6.12.0"
    ), "pyproject must exclude the leaking PySide6 6.12.0"
