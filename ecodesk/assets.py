"""Find the files EcoDesk ships (``ecodesk/resources/``, ``ecodesk/templates/xlsx/``) through one
function, wherever the package lives: a source checkout, an installed wheel, a PyInstaller bundle.

The data sits inside the package and is found with :mod:`importlib.resources`, so ``pip install``
of the wheel carries it (``pyproject.toml`` lists it as package data) and PyInstaller collects it
(``build.spec``).
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

__all__ = ["base_dir", "get_asset"]


def base_dir() -> Path:
    """The folder that holds ``resources/`` and ``templates/`` (the ``ecodesk`` package itself).

    Wheels, checkouts and PyInstaller bundles all keep the package as real files on disk; a zipped
    install would be extracted by :func:`importlib.resources.as_file`.
    """
    with as_file(files("ecodesk")) as path:
        return Path(path)


def get_asset(*parts: str) -> Path:
    """Path of a bundled file, e.g. ``get_asset("resources", "aliases.json")``."""
    path = base_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"缺少程序自带文件：{path}，请重新安装 EcoDesk")
    return path
