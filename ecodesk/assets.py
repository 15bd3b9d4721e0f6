"""Find bundled files (resources/, templates/xlsx/) both from a source checkout and inside a
PyInstaller bundle, through one function."""

from __future__ import annotations

import sys
from pathlib import Path


def base_dir() -> Path:
    """The folder that holds ``resources/`` and ``templates/``.

    Frozen (PyInstaller) builds unpack data files under ``sys._MEIPASS``; from a checkout they
    sit next to the ``ecodesk`` package.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def get_asset(*parts: str) -> Path:
    """Path of a bundled file, e.g. ``get_asset("resources", "aliases.json")``."""
    path = base_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"缺少程序自带文件：{path}，请重新安装 EcoDesk")
    return path
