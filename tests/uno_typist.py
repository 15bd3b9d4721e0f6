#!/usr/bin/python3
"""Type values into a workbook the way a clerk would, through a real LibreOffice.

Runs under the *system* python (the one with ``uno``), not the project venv::

    /usr/bin/python3 tests/uno_typist.py '{"src": "a.xlsx", "dst": "b.xlsx",
        "edits": [{"sheet": "指标填报", "cell": "G5", "text": "96.5"}]}'

(or the JSON on stdin; a JSON *list* of jobs runs them all in one LibreOffice and prints a list).

For each edit it activates the sheet, dispatches ``.uno:GoToCell`` (ToPoint) and ``.uno:EnterString``
(StringName) — the same code path as typing into the cell and pressing Enter, so sheet protection
and data validation are enforced by LibreOffice itself — then reads the cell back. Prints
``{"applied": [...], "refused": [...]}``: each edit echoed with ``formula``/``value`` read back and,
when LibreOffice showed a message box, its ``dialog`` text; refused ones carry a ``reason``.

Why not ``--headless``: LibreOffice 7.4 in headless mode *crashes* (SIGSEGV in
Dialog::ImplStartExecute) when Calc shows the "Protected cells can not be modified" box, and a
visible document in headless mode crashes in the scheduler. So soffice runs on the headless VCL
backend (``SAL_USE_VCLPLUGIN=svp``) *without* ``--headless``: message boxes really open (nothing is
drawn anywhere), and a watcher clicks their button through the accessibility API, like a user
pressing OK. Every LibreOffice call is bounded by a watchdog that kills soffice, so nothing hangs.

The source file is copied into a throwaway directory first and only that copy is opened: the
source is never modified and no lock file appears next to it.
"""

from __future__ import annotations

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
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".xls": "MS Excel 97", ".ods": "calc8"}

# Always recalculate on load (xlsxwriter writes formulas with a cached 0), and use a Chinese locale
# so numbers and dates are recognised as a clerk's LibreOffice would.
XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

ROLE = "com.sun.star.accessibility.AccessibleRole."
R_PUSH_BUTTON = uno.getConstantByName(ROLE + "PUSH_BUTTON")
R_LABEL = uno.getConstantByName(ROLE + "LABEL")
R_ALERT = uno.getConstantByName(ROLE + "ALERT")
R_DIALOG = uno.getConstantByName(ROLE + "DIALOG")
# Buttons to press, best first: dismissing means "do not take the value", like Esc would.
PREFERRED_BUTTONS = ("cancel", "取消", "no", "否", "ok", "确定", "close", "关闭")


DEBUG = bool(os.environ.get("ECODESK_TYPIST_DEBUG"))


def debug(*args: object) -> None:
    if DEBUG:
        print("[typist]", *args, file=sys.stderr, flush=True)


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
    """One private soffice process with a throwaway profile, reached over a private pipe."""

    def __init__(self, timeout: float, locale: str = "zh-CN") -> None:
        self.timeout = timeout
        self.tmp = Path(tempfile.mkdtemp(prefix="ecodesk-typist-"))
        profile = self.tmp / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(XCU.format(locale=locale), "utf-8")
        self.pipe = "ecodesk_typist_" + uuid.uuid4().hex
        self.log = (self.tmp / "soffice.log").open("wb")
        env = dict(os.environ, SAL_USE_VCLPLUGIN="svp")
        self.proc = subprocess.Popen(
            [
                soffice_path(),
                f"-env:UserInstallation={profile.as_uri()}",
                *([] if os.environ.get("NOINV") else ["--invisible"]),
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={self.pipe};urp;",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # own process group: oosplash + soffice.bin die together
        )
        self.killed = False
        self.watchdog = threading.Timer(timeout, self.kill)
        self.watchdog.daemon = True
        self.watchdog.start()
        self.ctx = self._connect()
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatcher = self.smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)
        self.toolkit = self.smgr.createInstanceWithContext("com.sun.star.awt.Toolkit", self.ctx)

    def _connect(self):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + min(self.timeout, 60)
        while True:
            try:
                return resolver.resolve(url)
            except Exception as exc:
                # oosplash restarts soffice.bin once on a fresh profile; keep trying until the deadline
                if self.killed or time.monotonic() > deadline:
                    raise TypistError(f"cannot connect to soffice: {exc}; log: {self.log_tail()}") from exc
                time.sleep(0.1)

    def log_tail(self) -> str:
        self.log.flush()
        text = (self.tmp / "soffice.log").read_text("utf-8", "replace")
        if DEBUG:
            print(text, file=sys.stderr)
        lines = [ln for ln in text.splitlines() if ln.strip() and "javaldx" not in ln and "/lib" not in ln]
        return " | ".join(lines[-5:])

    def kill(self) -> None:
        self.killed = True
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        self.watchdog.cancel()
        if self.proc.poll() is None and not self.killed:
            try:
                self.desktop.terminate()
            except Exception:
                pass  # the bridge goes away while terminate() returns
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                pass
        self.kill()
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- message boxes -------------------------------------------------------------------------

    def dismiss_dialogs(self, frame_window) -> list[str]:
        """Click away every open message box / dialog; return their texts."""
        texts: list[str] = []
        for i in range(self.toolkit.getTopWindowCount()):
            win = self.toolkit.getTopWindow(i)
            if win is None or frame_window is not None and uno_equal(win, frame_window):
                continue
            try:
                ctx = win.getAccessibleContext()
                role = ctx.getAccessibleRole()
            except Exception:
                continue
            if role not in (R_ALERT, R_DIALOG):
                continue  # document frames, VCL's default window
            # (message boxes report isVisible() == False under --invisible, yet they are "open")
            labels: list[str] = []
            buttons: list[tuple[str, object]] = []
            collect(ctx, labels, buttons, depth=0)
            debug("dialog", role, ctx.getAccessibleName(), labels, [b[0] for b in buttons])
            texts.append(" ".join(t for t in labels if t) or ctx.getAccessibleName())
            press(buttons)
        return texts


def uno_equal(a, b) -> bool:
    try:
        return a == b
    except Exception:
        return False


def collect(ctx, labels: list[str], buttons: list, depth: int) -> None:
    if depth > 8:
        return
    for i in range(ctx.getAccessibleChildCount()):
        child = ctx.getAccessibleChild(i).getAccessibleContext()
        role = child.getAccessibleRole()
        if role == R_PUSH_BUTTON:
            buttons.append((child.getAccessibleName(), child))
        elif role == R_LABEL:
            labels.append(child.getAccessibleName())
        collect(child, labels, buttons, depth + 1)


def press(buttons: list) -> None:
    def rank(item) -> int:
        name = item[0].replace("~", "").strip().lower()
        return PREFERRED_BUTTONS.index(name) if name in PREFERRED_BUTTONS else len(PREFERRED_BUTTONS)

    for _name, ctx in sorted(buttons, key=rank):
        try:
            ctx.doAccessibleAction(0)  # XAccessibleAction: "press"
            return
        except Exception:
            continue


def snapshot(cell) -> tuple[str, str]:
    return cell.getFormula(), cell.getString()


def is_protected(sheet, cell) -> bool:
    return bool(sheet.isProtected() and cell.CellProtection.IsLocked)


def run_job(office: Office, job: dict) -> dict:
    src = Path(job["src"]).resolve()
    dst = Path(job["dst"]).resolve()
    suffix = dst.suffix.lower()
    if suffix not in FILTERS:
        raise TypistError(f"unsupported output type {suffix!r}; use one of {sorted(FILTERS)}")
    work = office.tmp / uuid.uuid4().hex
    work.mkdir()
    copy = work / src.name
    shutil.copyfile(src, copy)  # open a private copy: src stays byte-identical, no lock file beside it

    doc = office.desktop.loadComponentFromURL(copy.as_uri(), "_blank", 0, (pv("Hidden", True),))
    if doc is None:
        raise TypistError(f"LibreOffice could not open {src}")
    applied: list[dict] = []
    refused: list[dict] = []
    try:
        ctrl = doc.getCurrentController()
        frame = ctrl.getFrame()
        frame_window = frame.getContainerWindow()
        office.dismiss_dialogs(frame_window)
        sheets = doc.getSheets()
        for edit in job.get("edits", []):
            result = dict(edit)
            name, ref, text = edit["sheet"], edit["cell"], str(edit["text"])
            if not sheets.hasByName(name):
                result["reason"] = f"no sheet named {name!r}"
                refused.append(result)
                continue
            sheet = sheets.getByName(name)
            try:
                cell = sheet.getCellRangeByName(ref)
            except Exception:
                result["reason"] = f"bad cell reference {ref!r}"
                refused.append(result)
                continue
            ctrl.setActiveSheet(sheet)
            before = snapshot(cell)
            debug("edit", name, ref, text, before)
            dialogs = type_text(office, frame, frame_window, ref, text)
            after = snapshot(cell)
            result.update(formula=after[0], value=after[1])
            if dialogs:
                result["dialog"] = " / ".join(dialogs)
            if after != before:
                applied.append(result)
            elif dialogs:
                result["reason"] = "LibreOffice refused the input: " + result["dialog"]
                refused.append(result)
            elif is_protected(sheet, cell):
                result["reason"] = "cell is locked on a protected sheet; content unchanged"
                refused.append(result)
            else:
                applied.append(result)  # retyped the value the cell already had
        doc.storeToURL(dst.as_uri(), (pv("FilterName", FILTERS[suffix]), pv("Overwrite", True)))
    finally:
        try:
            doc.close(True)
        except Exception:
            pass
        shutil.rmtree(work, ignore_errors=True)
    return {"applied": applied, "refused": refused}


def type_text(office: Office, frame, frame_window, ref: str, text: str) -> list[str]:
    """GoToCell + EnterString in a worker thread while this thread clicks away message boxes."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            office.dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (pv("ToPoint", ref),))
            office.dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (pv("StringName", text),))
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    dialogs: list[str] = []
    deadline = time.monotonic() + 30
    while True:
        worker.join(0.05)
        # Synchronous boxes block the dispatch until dismissed; asynchronous ones (the protection
        # box in 7.x) stay open after it returns and would crash LibreOffice on the next one.
        dialogs += office.dismiss_dialogs(frame_window)
        if not worker.is_alive():
            break
        if time.monotonic() > deadline:
            office.kill()
            raise TypistError(f"typing {text!r} into {ref} did not finish in 30 s (stuck dialog?)")
    if errors:
        raise errors[0]
    for _ in range(3):  # boxes opened late by the main loop
        more = office.dismiss_dialogs(frame_window)
        if not more:
            break
        dialogs += more
    return dialogs


def main(argv: list[str]) -> int:
    raw = argv[1] if len(argv) > 1 else sys.stdin.read()
    job = json.loads(raw)
    jobs = job if isinstance(job, list) else [job]
    timeout = float(max((j.get("timeout", 120) for j in jobs), default=120))
    try:
        office = Office(timeout, locale=jobs[0].get("locale", "zh-CN") if jobs else "zh-CN")
    except Exception as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2

    def on_term(signum, frame):  # the wrapper gave up: take soffice down with us
        office.kill()
        raise SystemExit(3)

    signal.signal(signal.SIGTERM, on_term)
    try:
        results = [run_job(office, j) for j in jobs]
    except Exception as exc:
        detail = "killed by watchdog after %ss" % timeout if office.killed else str(exc)
        print(json.dumps({"error": f"{type(exc).__name__}: {detail}; log: {office.log_tail()}"}))
        return 1
    finally:
        office.close()
    print(json.dumps(results if isinstance(job, list) else results[0], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
