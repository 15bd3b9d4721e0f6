"""What the cells of a legacy .xls (BIFF8) workbook showed, beyond calamine's values: each number
cell's number format (a typed ``95.2%`` is 0.952 with a percent format), formula cells and error
values (``#DIV/0!`` reads as blank in calamine).

The OLE2 container is opened with olefile (installed with msoffcrypto-tool; when it is missing,
the formats are simply not known and a bare fraction still goes to 待核实). Only the few BIFF
records that carry formats and cells are read: FORMAT, XF, BOUNDSHEET8 in the workbook globals and
NUMBER, RK, MULRK, FORMULA, BOOLERR in each wanted sheet.
"""

from __future__ import annotations

import io
import struct
from datetime import datetime
from typing import Any

from .cells import CellInfo

_BUILTIN_FORMATS = {9: "0%", 10: "0.00%"}
_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
FORMAT, XF, BOUNDSHEET, EOF, BOF = 0x041E, 0x00E0, 0x0085, 0x000A, 0x0809
NUMBER, RK, MULRK, FORMULA, BOOLERR = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0205
FILEPASS = 0x002F  # the workbook globals are encrypted: the file has a password to open it


def _records(data: bytes, pos: int = 0):
    n = len(data)
    while pos + 4 <= n:
        rtype, size = struct.unpack_from("<HH", data, pos)
        yield rtype, data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if rtype == EOF:
            return


def _unicode(body: bytes, at: int, count_bytes: int) -> str:
    cch = body[at] if count_bytes == 1 else struct.unpack_from("<H", body, at)[0]
    flags = body[at + count_bytes]
    start = at + count_bytes + 1
    if flags & 0x08:  # rich text runs
        start += 2
    if flags & 0x04:  # far-east data
        start += 4
    if flags & 0x01:
        return body[start : start + 2 * cch].decode("utf-16-le", "replace")
    return body[start : start + cch].decode("latin-1")


def _open(data: bytes) -> tuple[bytes | None, str | None]:
    """(the workbook stream, the last save time) of an .xls, from one open of its OLE container."""
    try:
        import olefile
    except ImportError:  # pragma: no cover - olefile comes with msoffcrypto-tool
        return None, None
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = next((ole.openstream(n).read() for n in ("Workbook", "Book") if ole.exists(n)), None)
        return stream, _saved_time(ole)


def _stream(data: bytes) -> bytes | None:
    return _open(data)[0]


def _saved_time(ole: Any) -> str | None:
    """When an .xls was last saved, as UTC ISO (``…Z``): its SummaryInformation's LastSaveTime, a
    FILETIME, which is UTC — Excel writes it so, and so does LibreOffice for a file it changed
    (measured: a save at 21:12:57 UTC under Asia/Shanghai wrote 21:12:57). None when the file records
    none, or its property set cannot be read (the time is a help: it never fails the file)."""
    try:
        if not ole.exists("\x05SummaryInformation"):
            return None
        t = ole.get_metadata().last_saved_time
    except Exception:  # olefile raises many kinds of error on a damaged property set
        return None
    if not isinstance(t, datetime) or t.year < 1990:  # unset (1601) or no plausible save
        return None
    return t.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%SZ")


def saved_time(data: bytes) -> str | None:
    """:func:`_saved_time` of an .xls's bytes (None where it is no OLE file)."""
    try:
        return _open(data)[1]
    except OSError:
        return None


def encrypted(data: bytes) -> bool:
    """Whether an .xls has a password to open it (a FILEPASS record in its workbook globals)."""
    stream = _stream(data)
    return stream is not None and any(rtype == FILEPASS for rtype, _ in _records(stream))


def xls_info(data: bytes, sheets: list[str]) -> dict[str, dict[tuple[int, int], CellInfo]]:
    """For each of ``sheets``: (row, col) → info of the percent-formatted, formula and error cells."""
    return read_xls(data, sheets)[0]


def read_xls(data: bytes, sheets: list[str]) -> tuple[dict[str, dict[tuple[int, int], CellInfo]], str | None]:
    """(:func:`xls_info`, :func:`saved_time`) from one open of the file."""
    stream, saved = _open(data)
    try:
        return (_cell_info(stream, sheets) if stream is not None else {}), saved
    except (struct.error, ValueError, IndexError, KeyError):  # formats are a help; the time still stands
        return {}, saved


def _cell_info(stream: bytes, sheets: list[str]) -> dict[str, dict[tuple[int, int], CellInfo]]:
    formats: dict[int, str] = dict(_BUILTIN_FORMATS)
    xfs: list[int] = []
    where: dict[str, int] = {}
    for rtype, body in _records(stream):
        if rtype == FORMAT and len(body) >= 5:
            formats[struct.unpack_from("<H", body)[0]] = _unicode(body, 2, 2)
        elif rtype == XF and len(body) >= 4:
            xfs.append(struct.unpack_from("<H", body, 2)[0])
        elif rtype == BOUNDSHEET and len(body) >= 8:
            where[_unicode(body, 6, 1).strip()] = struct.unpack_from("<I", body)[0]
    percent = {i for i, f in enumerate(xfs) if CellInfo(fmt=formats.get(f, "")).percent}
    out: dict[str, dict[tuple[int, int], CellInfo]] = {}
    for name in sheets:
        if name not in where:
            continue
        cells: dict[tuple[int, int], CellInfo] = {}
        for rtype, body in _records(stream, where[name]):
            if rtype in (NUMBER, RK) and len(body) >= 6:
                r, c, xf = struct.unpack_from("<HHH", body)
                if xf in percent:
                    cells[(r, c)] = CellInfo(fmt=formats[xfs[xf]])
            elif rtype == MULRK and len(body) >= 6:
                r, c = struct.unpack_from("<HH", body)
                for k in range((len(body) - 6) // 6):
                    xf = struct.unpack_from("<H", body, 4 + 6 * k)[0]
                    if xf in percent:
                        cells[(r, c + k)] = CellInfo(fmt=formats[xfs[xf]])
            elif rtype == FORMULA and len(body) >= 14:
                r, c, xf = struct.unpack_from("<HHH", body)
                result = body[6:14]
                error = (
                    _ERRORS.get(result[2], "#VALUE!") if result[6:8] == b"\xff\xff" and result[0] == 2 else ""
                )
                fmt = formats[xfs[xf]] if xf in percent else ""
                cells[(r, c)] = CellInfo(fmt=fmt, formula="（公式）", error=error)
            elif rtype == BOOLERR and len(body) >= 8:
                r, c, xf = struct.unpack_from("<HHH", body)
                if body[7] == 1:
                    cells[(r, c)] = CellInfo(error=_ERRORS.get(body[6], "#VALUE!"))
        out[name] = cells
    return out
