"""Where a project may live: an empty (or new) folder for a new one, a suggested sub-folder when
the chosen one holds other files, and whether a folder can be written at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

LEDGER_NAME = "ecodesk.sqlite"


def _ignorable(name: str) -> bool:
    """Files the system puts in any folder; they do not make it "not empty"."""
    return name.lower() in ("desktop.ini", "thumbs.db", ".ds_store")


def folder_is_empty(root: Path) -> bool:
    """A new project goes in an empty (or new) folder: never turn a folder of office files into one."""
    root = Path(root)
    return not root.is_dir() or all(_ignorable(p.name) for p in root.iterdir())


def suggest_subfolder(root: Path, county: str | None) -> Path:
    """A new sub-folder of ``root`` for a project (``嵊州市创建项目``, ``…(2)`` when taken)."""
    base = f"{county}创建项目" if county else "EcoDesk项目"
    candidate, n = Path(root) / base, 2
    while candidate.exists() and not folder_is_empty(candidate):
        candidate, n = Path(root) / f"{base}({n})", n + 1
    return candidate


def folder_writable(root: Path) -> bool:
    """Whether files can be created in ``root`` and its ledger written (tried, not guessed: a
    network share or a write-protected stick may claim otherwise)."""
    ledger = root / LEDGER_NAME
    if ledger.exists() and not os.access(ledger, os.W_OK):
        return False
    try:
        with tempfile.TemporaryFile(dir=root, prefix=".ecodesk-probe-"):
            pass
    except OSError:
        return False
    return True
