"""One writer per project: an operating-system lock on ``ecodesk.lock`` in the project folder,
held while a window (or a CLI command that writes) has the project open.

The lock is the OS's, not the file's existence, so a program that crashed or was killed never
leaves a project locked: the system releases the lock with the process. The file also records
who holds it (user, computer, process, since when) so that a second opener can be told.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .times import short_time

LOCK_NAME = "ecodesk.lock"
_REGION = 1 << 20  # the byte locked on Windows, past the holder's text so that it stays readable


@dataclass
class Holder:
    user: str = ""
    host: str = ""
    pid: int = 0
    since: str = ""

    def describe(self) -> str:
        who = self.user or "其他用户"
        where = f"电脑“{self.host}”" if self.host else "另一台电脑"
        if self.host and self.host == socket.gethostname():
            where = "本机的另一个 EcoDesk 窗口或命令"
        since = f"，自 {short_time(self.since)} 起" if self.since else ""
        return f"{who}（{where}{since}）"


def _try_lock(fh: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_REGION)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def read_holder(root: Path) -> Holder:
    try:
        data = json.loads((Path(root) / LOCK_NAME).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return Holder()
    if not isinstance(data, dict):
        return Holder()
    return Holder(
        str(data.get("user", "")),
        str(data.get("host", "")),
        int(data.get("pid") or 0),
        str(data.get("since", "")),
    )


class ProjectLock:
    """The lock on one project folder. :meth:`acquire` returns False when someone else holds it."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / LOCK_NAME
        self._fh: IO[bytes] | None = None

    def acquire(self, user: str, since: str) -> bool:
        fh = open(self.path, "a+b")  # noqa: SIM115 - held open while the project is open
        if not _try_lock(fh):
            fh.close()
            return False
        info: dict[str, Any] = {
            "user": user,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": since,
        }
        with contextlib.suppress(OSError):
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))
            fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is None:
            return
        with contextlib.suppress(OSError):
            self._fh.seek(0)
            self._fh.truncate()
        if sys.platform == "win32":  # Windows releases a lock left at close only "eventually"
            import msvcrt

            with contextlib.suppress(OSError):
                self._fh.seek(_REGION)
                msvcrt.locking(self._fh.fileno(), msvcrt.LK_UNLCK, 1)
        with contextlib.suppress(OSError):
            self._fh.close()  # closing the file releases the OS lock
        self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None
