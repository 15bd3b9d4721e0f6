"""LibreOffice (``soffice``) as a converter: workbook → PDF / xlsx / xls / ods, and formula recalculation.

Every call runs its own headless soffice with a throwaway user profile, so parallel calls and a
clerk's running LibreOffice never collide, and the clerk's settings are never touched. The source
file is copied into a private folder first and only the copy is opened: the source stays
byte-identical and no ``.~lock`` file appears beside it.

The throwaway profile tells Calc to recalculate every formula on load (xlsxwriter stores formulas
with a cached value of 0, and Calc by default trusts cached values in xlsx/ods files). So a PDF
shows real results, and :func:`recalculate` writes a workbook whose cached values can be read back
with python-calamine or ``openpyxl.load_workbook(data_only=True)``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .messages import EcoDeskError

__all__ = ["FILTERS", "OfficeError", "convert", "find_soffice", "recalculate"]

# --convert-to targets: "<extension>:<filter name>"
FILTERS: dict[str, str] = {
    "pdf": "pdf:calc_pdf_Export",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
}

WINDOWS_LOCATIONS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
MAC_LOCATION = "/Applications/LibreOffice.app/Contents/MacOS/soffice"

# Recalculate always (0) on load of OOXML (xlsx) and ODF (ods) files; xls is always recalculated.
PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


class OfficeError(EcoDeskError):
    """LibreOffice is missing or failed. ``str(err)`` is a Chinese message a clerk can act on
    (templates ``office.*`` in :mod:`ecodesk.messages`); ``detail`` is what soffice said."""

    def __init__(self, code: str, soffice_output: str = "", **fields: object) -> None:
        super().__init__(code, **fields)
        self.detail = soffice_output


def find_soffice() -> str | None:
    """Path of the LibreOffice ``soffice`` executable, or None when LibreOffice is not installed.

    ``ECODESK_SOFFICE`` overrides (a portable LibreOffice); then PATH; then the usual install places.
    """
    override = os.environ.get("ECODESK_SOFFICE")
    if override and Path(override).is_file():
        return override
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[str] = []
    if sys.platform == "win32":
        for var in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
            base = os.environ.get(var)
            if base:
                candidates.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
        candidates += WINDOWS_LOCATIONS
    elif sys.platform == "darwin":
        candidates.append(MAC_LOCATION)
    return next((c for c in candidates if Path(c).is_file()), None)


def convert(src: Path, fmt: str, outdir: Path, timeout: float = 180) -> Path:
    """Convert ``src`` to ``fmt`` ("pdf", "xlsx", "xls" or "ods") in ``outdir``; return the new file.

    The output is named like the source with the new extension and replaces an existing file of
    that name. Formulas are recalculated first. Raises :class:`OfficeError`.
    """
    src = Path(src)
    fmt = fmt.lower().lstrip(".")
    if fmt not in FILTERS:
        raise OfficeError("office.bad_format", fmt=fmt, choices="、".join(FILTERS))
    if not src.is_file():
        raise OfficeError("office.src_missing", path=src)
    target = Path(outdir) / f"{src.stem}.{fmt}"
    if target.exists() and target.resolve() == src.resolve():
        raise OfficeError("office.same_file", path=target)
    exe = find_soffice()
    if exe is None:
        raise OfficeError("office.not_found")

    with tempfile.TemporaryDirectory(prefix="ecodesk-office-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_XCU, encoding="utf-8")
        (work / "in").mkdir()
        (work / "out").mkdir()
        copy = work / "in" / src.name
        shutil.copyfile(src, copy)
        args = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            FILTERS[fmt],
            "--outdir",
            str(work / "out"),
            str(copy),
        ]
        returncode, output = _run(args, timeout, src.name)
        produced = work / "out" / f"{copy.stem}.{fmt}"
        if returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = output or f"soffice 退出码 {returncode}，未生成输出文件"
            raise OfficeError("office.failed", detail, name=src.name, fmt=fmt.upper(), detail=detail)
        Path(outdir).mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), target)  # across file systems too; replaces an old output
    return target


def recalculate(src: Path, dst: Path, timeout: float = 180) -> Path:
    """Open ``src`` in LibreOffice, recalculate every formula, save it at ``dst``; return ``dst``.

    ``dst`` is written as xlsx unless its extension says xls or ods. Raises :class:`OfficeError`.
    """
    src, dst = Path(src), Path(dst)
    fmt = dst.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "xls", "ods"):
        fmt = "xlsx"
    with tempfile.TemporaryDirectory(prefix="ecodesk-recalc-") as tmp:
        produced = convert(src, fmt, Path(tmp), timeout=timeout)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), dst)
    return dst


def _run(args: list[str], timeout: float, name: str) -> tuple[int, str]:
    """Run soffice; on timeout kill its whole process tree (the launcher forks soffice.bin)."""
    kwargs: dict = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
    else:
        kwargs["start_new_session"] = True
    try:
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs
        )
    except OSError as exc:  # found but not runnable (deleted meanwhile, no permission)
        raise OfficeError("office.not_found", str(exc)) from exc
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        proc.communicate()
        raise OfficeError("office.timeout", f"{timeout}s", name=name, seconds=timeout) from None
    text = (err + b"\n" + out).decode("utf-8", "replace")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # drop the harmless noise LibreOffice prints on every run
    lines = [ln for ln in lines if "javaldx" not in ln and not ln.startswith("convert ")]
    return proc.returncode, "；".join(lines[-5:])


def _kill_tree(proc: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()
