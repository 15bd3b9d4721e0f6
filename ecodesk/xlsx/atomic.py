"""One way to write an xlsx file EcoDesk produces (reports, the history workbook): atomically, a
temporary file renamed into place, so a crash or a full disk never leaves half a workbook under the
real name, and with the failures said in Chinese (:mod:`ecodesk.messages` ``report.*``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from ..messages import EcoDeskError, os_reason

__all__ = ["atomic_workbook"]

OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "in_memory": True,
}


@contextmanager
def atomic_workbook(out: Path | str, title: str, company: str) -> Iterator[xlsxwriter.Workbook]:
    """An xlsxwriter workbook that becomes ``out`` when the ``with`` block ends without error.

    A file that is open elsewhere raises ``report.locked``; a full disk or another OS failure
    ``report.write_failed`` with the reason in Chinese. Leftovers of a killed run are removed."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.stem}.*.part.xlsx"):
        stale.unlink(missing_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.part.xlsx")
    try:
        wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
        wb.set_properties({"title": title, "company": company, "comments": "由 EcoDesk 生成"})
        yield wb
        wb.close()
        os.replace(tmp, out)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise EcoDeskError("report.locked", path=out) from exc
    except (OSError, FileCreateError) as exc:  # xlsxwriter wraps the OSError of a full disk
        tmp.unlink(missing_ok=True)
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        raise EcoDeskError(
            "report.write_failed",
            path=out,
            detail=os_reason(cause) if isinstance(cause, BaseException) else cause,
        ) from exc
