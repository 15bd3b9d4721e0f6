"""Entry point of ``ecodesk-gui``.

Start-up stays fast: only Qt and the light parts of the core are imported here; pages import
openpyxl / xlsxwriter / calamine inside their actions.

``ecodesk-gui --selftest`` runs a small cycle through the window's own actions and exits 0 or 1.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Sequence
from typing import Any

USAGE = """用法：ecodesk-gui [--selftest] [--version]
  --selftest  打开窗口，在临时文件夹中走一遍 新建项目→添加轮次→生成→填写→回收→校验→报送情况→汇总，逐步输出结果
  --version   显示版本"""


def _prepare_process(selftest: bool) -> None:
    multiprocessing.freeze_support()  # intake may use worker processes; needed in a PyInstaller build
    if sys.platform != "win32":
        with contextlib.suppress(RuntimeError):  # never fork a process that runs Qt threads
            multiprocessing.set_start_method("spawn")
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if selftest and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def _load_translations(app: Any) -> None:
    """Qt's own texts (standard buttons, 显示详细信息, the print dialog) in Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def create_app(argv: Sequence[str]) -> Any:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from . import errors
    from .paths import APP_NAME, ORG_NAME, icon_path

    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName("EcoDesk")
    icon = icon_path()
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    _load_translations(app)
    errors.setup_logging()
    errors.install_excepthook()
    return app


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    options = argv[1:]
    if "--help" in options or "-h" in options:
        print(USAGE)
        return 0
    if "--version" in options:
        from ecodesk import __version__

        print(f"EcoDesk {__version__}")
        return 0
    selftest = "--selftest" in options
    _prepare_process(selftest)
    app = create_app(argv[:1])
    if selftest:
        from .selftest import run_selftest

        return run_selftest()
    from .main_window import MainWindow

    window = MainWindow()
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
