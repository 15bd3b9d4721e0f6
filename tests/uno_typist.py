#!/usr/bin/python3
"""Type values into a workbook the way a clerk would, through a real LibreOffice.

Runs under the *system* python (the one with ``uno``), not the project venv::

    /usr/bin/python3 tests/uno_typist.py '{"src": "a.xlsx", "dst": "b.xlsx",
        "edits": [{"sheet": "指标填报", "cell": "G5", "text": "96.5"}]}'

or with the JSON on stdin. A JSON *list* of jobs runs them all in one LibreOffice and prints a list.
Optional job keys: ``timeout`` (seconds for the whole run, default 120), ``locale`` (default zh-CN),
``password`` (save with a password to open, as 文件 → 另存为 → 使用密码保存 does).

For each edit it activates the sheet, dispatches ``.uno:GoToCell`` (ToPoint) and, when LibreOffice
lets the clerk edit that cell, ``.uno:EnterString`` (StringName) — the code path of typing into the
cell and pressing Enter, so numbers and dates are parsed like user input — and reads the cell back.
Prints ``{"applied": [...], "refused": [...]}``: each edit echoed with the ``formula`` and ``value``
read back; refused ones carry a ``reason``. The result is stored at ``dst`` as xlsx, xls or ods
(by extension).

Refusal. Before typing, the cell is checked with LibreOffice's *own* editability test, as the UI
does: the state of ``.uno:ClearContents`` (the Backspace command), which Calc disables exactly when
the cursor cell may not be changed (locked cell on a protected sheet, part of an array formula,
read-only document) — the same ScEditableTester that rejects typed input. A refused cell is never
typed into, because LibreOffice 7.4 (Debian's ``-nogui`` build) cannot survive the rejection:

* in ``--headless`` mode the "Protected cells can not be modified" box is suppressed and the input
  dropped, but about 0.5 s later soffice aborts: the rejection makes the hidden frame build its
  formula bar from ``modules/scalc/ui/posbox.ui``, which the nogui build does not ship, and the
  exception escapes a scheduler task (``std::abort``);
* without ``--headless`` (svp backend) the box does open, and pressing its OK button through the
  accessibility or UITest API aborts soffice the same way; visible documents crash at once.

Applied edits are read back (``unchanged`` is set when the cell already held that content).
``.uno:EnterString`` does not apply data validity (that lives in the input line's Enter handler),
so validation is not exercised here.

Nothing can hang: each dispatch runs in a worker thread with a deadline, and a watchdog kills
soffice (its whole process group) when the job's ``timeout`` runs out. Modal dialogs cannot block
in headless mode (they are cancelled). The source file is copied into a throwaway directory and
only the copy is opened: the source stays byte-identical and no lock file appears beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
import unohelper  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.frame import XStatusListener  # type: ignore[import-not-found]
from com.sun.star.util import URL  # type: ignore[import-not-found]

FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".xls": "MS Excel 97", ".ods": "calc8"}
DISPATCH_TIMEOUT = 30.0

# Recalculate on load (xlsxwriter writes formulas with a cached 0) and use the clerk's locale,
# so typed numbers and dates are recognised as on their machine.
XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">
 <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


class TypistError(Exception):
    pass


def pv(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def soffice_path() -> str:
    exe = os.environ.get("ECODESK_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise TypistError("soffice not found")
    return exe


class Office:
    """One private headless soffice with a throwaway profile, reached over a private pipe."""

    def __init__(self, timeout: float, locale: str = "zh-CN") -> None:
        self.timeout = timeout
        self.killed = False
        self.tmp = Path(tempfile.mkdtemp(prefix="ecodesk-typist-"))
        profile = self.tmp / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(XCU.format(locale=locale), "utf-8")
        self.pipe = "ecodesk_typist_" + uuid.uuid4().hex
        self.log_path = self.tmp / "soffice.log"
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                soffice_path(),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={self.pipe};urp;",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,  # never our stdout: that carries the JSON answer
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: the launcher and soffice.bin die together
        )
        self.watchdog = threading.Timer(timeout, self.kill)
        self.watchdog.daemon = True
        self.watchdog.start()
        try:
            self.ctx = self._connect()
        except BaseException:
            self.kill()
            self.proc.wait()
            self.log.close()
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)
        self.url_parser = smgr.createInstanceWithContext("com.sun.star.util.URLTransformer", self.ctx)

    def _connect(self):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + min(self.timeout, 60)
        while True:
            try:
                return resolver.resolve(url)
            except Exception as exc:  # NoConnectException until soffice listens
                if self.killed or self.proc.poll() is not None or time.monotonic() > deadline:
                    raise TypistError(f"cannot connect to soffice: {exc}; log: {self.log_tail()}") from exc
                time.sleep(0.1)

    def log_tail(self) -> str:
        self.log.flush()
        text = self.log_path.read_text("utf-8", "replace")
        if os.environ.get("ECODESK_TYPIST_DEBUG"):
            print(text, file=sys.stderr)
        lines = [ln for ln in text.splitlines() if ln.strip() and "javaldx" not in ln and ".so" not in ln]
        return " | ".join(lines[-5:])

    def kill(self) -> None:
        """SIGKILL soffice's whole process group (the launcher may be gone while soffice.bin lives)."""
        self.killed = True
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def close(self) -> None:
        self.watchdog.cancel()
        if not self.killed and self.proc.poll() is None:
            with contextlib.suppress(Exception):  # the bridge may go away while terminate() returns
                self.desktop.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(15)
        self.kill()
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def load(self, path: Path):
        doc = self.desktop.loadComponentFromURL(path.as_uri(), "_blank", 0, (pv("Hidden", True),))
        if doc is None:
            raise TypistError(f"LibreOffice could not open {path.name}; log: {self.log_tail()}")
        return doc

    def dispatch(self, frame, command: str, *args: PropertyValue) -> None:
        """Run one dispatch in a worker thread, so a stuck LibreOffice cannot hang us."""
        errors: list[BaseException] = []

        def work() -> None:
            try:
                self.dispatcher.executeDispatch(frame, command, "", 0, args)
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(DISPATCH_TIMEOUT)
        if worker.is_alive():
            self.kill()
            raise TypistError(f"{command} did not return within {DISPATCH_TIMEOUT:.0f} s")
        if errors:
            raise errors[0]


class StateProbe(unohelper.Base, XStatusListener):
    """Receives the (synchronous) initial state of a command: is it enabled right now?"""

    def __init__(self) -> None:
        self.enabled: bool | None = None

    def statusChanged(self, event) -> None:
        self.enabled = bool(event.IsEnabled)

    def disposing(self, source) -> None:
        pass


def command_enabled(office: Office, frame, command: str) -> bool | None:
    """Whether ``command`` is enabled in ``frame`` for the current selection (None: unknown)."""
    url = URL()
    url.Complete = command
    _ok, url = office.url_parser.parseStrict(url)
    dispatch = frame.queryDispatch(url, "", 0)
    if dispatch is None:
        return None
    probe = StateProbe()
    dispatch.addStatusListener(probe, url)
    dispatch.removeStatusListener(probe, url)
    return probe.enabled


class Document:
    """The private working copy of one job's workbook, open in a hidden frame."""

    def __init__(self, office: Office, src: Path) -> None:
        self.work = office.tmp / uuid.uuid4().hex
        self.work.mkdir()
        copy = self.work / src.name
        shutil.copyfile(src, copy)  # src stays byte-identical, no lock file beside it
        self.doc = office.load(copy)

    def store(self, dst: Path, password: str = "") -> None:
        args = (pv("FilterName", FILTERS[dst.suffix.lower()]), pv("Overwrite", True))
        if password:
            args += (pv("Password", password),)
        self.doc.storeToURL(dst.as_uri(), args)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.doc.close(True)
        shutil.rmtree(self.work, ignore_errors=True)


def snapshot(cell) -> tuple[str, str]:
    return cell.getFormula(), cell.getString()


def type_edit(office: Office, document: Document, edit: dict) -> tuple[bool, dict]:
    """Type one edit; return (applied, result)."""
    result = dict(edit)
    name, ref, text = str(edit["sheet"]), str(edit["cell"]), str(edit["text"])
    sheets = document.doc.getSheets()
    if not sheets.hasByName(name):
        result["reason"] = f"no sheet named {name!r}"
        return False, result
    sheet = sheets.getByName(name)
    try:
        cell = sheet.getCellRangeByName(ref)
        address = cell.getCellAddress()
    except Exception:
        result["reason"] = f"bad cell reference {ref!r}"
        return False, result
    ctrl = document.doc.getCurrentController()
    frame = ctrl.getFrame()
    ctrl.setActiveSheet(sheet)
    before = snapshot(cell)
    result.update(formula=before[0], value=before[1])
    office.dispatch(frame, ".uno:GoToCell", pv("ToPoint", ref))
    cursor = ctrl.getSelection().getRangeAddress()
    if (cursor.Sheet, cursor.StartColumn, cursor.StartRow) != (address.Sheet, address.Column, address.Row):
        # e.g. protection without "select locked cells": typing now would hit another cell
        result["reason"] = "LibreOffice did not put the cursor on the cell (not selectable)"
        return False, result
    if command_enabled(office, frame, ".uno:ClearContents") is False:
        result["reason"] = (
            "LibreOffice does not let the cell be edited (locked cell on a protected sheet, "
            "or part of an array formula); nothing typed"
        )
        return False, result
    office.dispatch(frame, ".uno:EnterString", pv("StringName", text))
    after = snapshot(cell)
    result.update(formula=after[0], value=after[1])
    if after == before:
        result["unchanged"] = True  # the cell already held what was typed
    return True, result


def run_job(office: Office, job: dict) -> dict:
    src = Path(job["src"]).resolve()
    dst = Path(job["dst"]).resolve()
    if dst.suffix.lower() not in FILTERS:
        raise TypistError(f"unsupported output type {dst.suffix!r}; use one of {sorted(FILTERS)}")
    document = Document(office, src)
    applied: list[dict] = []
    refused: list[dict] = []
    try:
        for edit in job.get("edits", []):
            ok, result = type_edit(office, document, edit)
            (applied if ok else refused).append(result)
        dst.parent.mkdir(parents=True, exist_ok=True)
        document.store(dst, job.get("password", ""))
    finally:
        document.close()
    return {"applied": applied, "refused": refused}


def main(argv: list[str]) -> int:
    raw = argv[1] if len(argv) > 1 else sys.stdin.read()
    request = json.loads(raw)
    jobs = request if isinstance(request, list) else [request]
    timeout = float(max((j.get("timeout", 120) for j in jobs), default=120))
    locale = str(jobs[0].get("locale", "zh-CN")) if jobs else "zh-CN"
    try:
        office = Office(timeout, locale=locale)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
        return 2

    def on_term(signum, frame):  # the caller gave up: take soffice down with us
        office.kill()
        raise SystemExit(3)

    signal.signal(signal.SIGTERM, on_term)
    try:
        results = [run_job(office, j) for j in jobs]
    except Exception as exc:
        detail = f"killed by the watchdog after {timeout:.0f} s" if office.killed else str(exc)
        tail = office.log_tail()
        print(
            json.dumps({"error": f"{type(exc).__name__}: {detail}; soffice log: {tail}"}, ensure_ascii=False)
        )
        return 1
    finally:
        office.close()
    print(json.dumps(results if isinstance(request, list) else results[0], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
