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


#: the user guide's page for each page of the window (ui/help/)
GUIDE_PAGES = {
    "开始": "start.html",
    "指标与部门": "catalogue.html",
    "调度轮次": "rounds.html",
    "回收": "collect.html",
    "校验": "verdicts.html",
    "报送情况": "status.html",
    "佐证材料": "evidence.html",
    "历年趋势": "history.html",
    "导出": "export.html",
}


def guide_dir() -> Path:
    """The Chinese user guide shipped with the app, inside the ``ui`` package (``ui/help``): in a
    checkout, an installed wheel (package data) and a PyInstaller bundle (``build.spec`` copies it
    to the same place beside the frozen ``ui``)."""
    folder = Path(__file__).resolve().parent / "help"
    if (folder / "index.html").is_file():
        return folder
    raise FileNotFoundError("找不到用户指南（ui/help），请重新安装 EcoDesk")
