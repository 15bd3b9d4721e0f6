"""Patching parts of a written xlsx package where xlsxwriter has no API."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl.workbook.protection import hash_password

from .deflate import LEVEL


class PackageError(ValueError):
    """The package did not have the part or element a patch expects."""


def lock_structure(path: Path, password: str = "") -> None:
    """Add ``<workbookProtection lockStructure="1">`` to ``xl/workbook.xml`` (XlsxWriter has no API
    for it), so sheets cannot be added, deleted, renamed or unhidden in Excel/WPS; ``password`` is
    stored as Excel's legacy hash (openpyxl's :func:`hash_password`)."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    attrs = 'lockStructure="1"' + (f' workbookPassword="{hash_password(password)}"' if password else "")
    out = path.with_name(path.name + ".lock")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/workbook.xml":
                xml = data.decode("utf-8")
                xml, n = re.subn(r"(<workbookPr\b[^>]*/>)", rf"\1<workbookProtection {attrs}/>", xml, count=1)
                if n != 1:
                    raise PackageError("无法设置工作簿结构保护")
                data = xml.encode("utf-8")
            z.writestr(info, data, compresslevel=LEVEL)
    out.replace(path)
