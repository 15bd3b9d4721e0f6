"""Where the app finds its bundled files and keeps its own files (log, settings)."""

from __future__ import annotations

from pathlib import Path

from ecodesk.assets import get_asset

APP_NAME = "EcoDesk"
ORG_NAME = "EcoDesk"


def icon_path(name: str = "ecodesk.png") -> Path | None:
    """A bundled icon (resources/icons/NAME), or None when this build has none."""
    try:
        return get_asset("resources", "icons", name)
    except FileNotFoundError:
        return None


def data_dir() -> Path:
    """The user's data folder for EcoDesk (logs); created on first use."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    path = Path(base) if base else Path.home() / ".ecodesk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "ecodesk.log"
