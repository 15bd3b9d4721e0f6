"""Helpers for tests that drive a real LibreOffice: typing like a clerk (via ``uno_typist.py`` under
the system python, which has ``uno``), and looking at PDFs with poppler-utils."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
TYPIST = Path(__file__).resolve().parent / "uno_typist.py"


@functools.cache
def have_uno() -> bool:
    """True when the system python can ``import uno`` and soffice is on PATH."""
    if not Path(SYSTEM_PYTHON).is_file() or shutil.which("soffice") is None:
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, env=_clean_env(), timeout=60, check=False
    )
    return probe.returncode == 0


def type_into(src: Path, dst: Path, edits: list[dict], timeout: float = 120, password: str = "") -> dict:
    """Type ``edits`` ([{"sheet", "cell", "text"}, ...]) into a copy of ``src`` with LibreOffice,
    save the result at ``dst`` (xlsx/xls/ods by extension; with ``password`` to open it, if given);
    return {"applied": [...], "refused": [...]}.
    """
    job = {"src": str(src), "dst": str(dst), "edits": edits, "timeout": timeout, "password": password}
    return _run_typist(job, timeout)


def type_many(jobs: list[dict], timeout: float = 180) -> list[dict]:
    """Several type_into jobs ({"src", "dst", "edits"}) in one LibreOffice start."""
    payload = [{**job, "src": str(job["src"]), "dst": str(job["dst"]), "timeout": timeout} for job in jobs]
    return _run_typist(payload, timeout)


# soffice itself (Debian's nogui build) now and then aborts mid-session on a loaded machine
# ("Fatal exception: Signal 6", the UNO bridge then disposed); that is LibreOffice's crash, not a
# result of what was typed, so such a run is repeated once from scratch before it counts as failed.
_SOFFICE_CRASHED = ("Fatal exception: Signal", "Binary URP bridge already disposed")


def _run_typist(payload: dict | list, timeout: float):
    try:
        return _run_typist_once(payload, timeout)
    except RuntimeError as error:
        if not any(sign in str(error) for sign in _SOFFICE_CRASHED):
            raise
        return _run_typist_once(payload, timeout)


def _run_typist_once(payload: dict | list, timeout: float):
    proc = subprocess.Popen(
        [SYSTEM_PYTHON, str(TYPIST)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_clean_env(),
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(
            json.dumps(payload, ensure_ascii=False).encode("utf-8"), timeout=timeout + 30
        )
    except subprocess.TimeoutExpired:
        # the typist's own watchdog should have fired; take down its whole process group
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        raise RuntimeError(f"uno_typist did not finish within {timeout + 30:.0f} s") from None
    text = out.decode("utf-8", "replace").strip()
    try:
        answer = json.loads(text.splitlines()[-1]) if text else None
    except json.JSONDecodeError:
        answer = None
    if proc.returncode != 0 or answer is None or (isinstance(answer, dict) and "error" in answer):
        raise RuntimeError(
            f"uno_typist failed (exit {proc.returncode}): {text}\n{err.decode('utf-8', 'replace')[-2000:]}"
        )
    return answer


def _clean_env() -> dict[str, str]:
    """The environment for the system python: without the venv's python settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    venv_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def pdf_page_count(pdf: Path) -> int:
    """Number of pages, from ``pdfinfo``."""
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split(":", 1)[1])
    raise ValueError(f"pdfinfo printed no page count for {pdf}")


def pdf_to_png(pdf: Path, out_prefix: Path, first: int = 1, last: int = 1) -> list[Path]:
    """Render pages ``first``..``last`` at 80 dpi with ``pdftoppm``; return the PNG files."""
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-f", str(first), "-l", str(last), "-png", str(pdf), str(out_prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    # pdftoppm names pages <prefix>-<n>.png, <n> zero-padded to the width of the page count
    pages = []
    for png in out_prefix.parent.glob(f"{out_prefix.name}-*.png"):
        number = png.stem[len(out_prefix.name) + 1 :]
        if number.isdigit() and first <= int(number) <= last:
            pages.append((int(number), png))
    return [png for _, png in sorted(pages)]
