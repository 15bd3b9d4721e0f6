"""Errors as the clerk sees them: one sentence that says what to do, details on request.

* :func:`describe` turns an exception into that sentence (EcoDeskError text, a locked output
  file, a disk problem, or an unexpected error) plus technical details.
* :func:`show_error` shows it in a message box, with a 重试 button when the action can be retried.
* :func:`install_excepthook` catches everything else: it logs the traceback and shows
  :class:`ErrorDialog` (version, details, 复制).
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import platform
import re
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecodesk import __version__
from ecodesk.messages import EcoDeskError, os_reason

log = logging.getLogger("ecodesk.ui")

UNEXPECTED = (
    "程序遇到意外错误，刚才的操作没有完成。项目中已保存的数据不受影响，请重试；"
    "如果仍然出错，请点击“复制”，把错误信息发给技术支持"
)


def describe(exc: BaseException) -> tuple[str, str]:
    """(sentence for the clerk, technical details)."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, EcoDeskError):
        return str(exc), details
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        folder = str(Path(str(exc.filename)).parent) if exc.filename else "项目文件夹"
        return (
            f"无法写入文件夹『{folder}』：它是只读的（如光盘、写保护的 U 盘或没有写权限的共享文件夹）。"
            "请把整个项目文件夹复制到本机可写的位置（如 D 盘），再打开复制后的文件夹",
            details,
        )
    if isinstance(exc, PermissionError):
        name = re.split(r"[\\/]", str(exc.filename))[-1] if exc.filename else "输出文件"
        return (
            f"无法写入『{name}』，它可能正在 Excel 或 WPS 中打开。请先在 Excel 中关闭该文件，再点击重试",
            details,
        )
    if isinstance(exc, FileNotFoundError):
        name = exc.filename or "所需文件"
        return f"找不到『{name}』，请检查文件是否被移动或删除，然后重试", details
    if isinstance(exc, OSError):
        where = f"『{exc.filename}』" if exc.filename else "文件"
        return (
            f"读写{where}时出错（{os_reason(exc)}），请检查磁盘空间和文件夹权限，然后重试",
            details,
        )
    return UNEXPECTED, details


#: EcoDeskError codes where trying again can succeed once the clerk has done what the message says
RETRYABLE = {
    "report.locked",
    "report.write_failed",
    "project.locked",
    "project.not_writable",
    "unreadable.io",
}


def retryable(exc: BaseException) -> bool:
    if isinstance(exc, EcoDeskError):
        return exc.code in RETRYABLE
    return isinstance(exc, OSError)


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    retry: Callable[[], None] | None = None,
    title: str = "操作没有完成",
) -> None:
    """A message box with the sentence, the details behind “显示详细信息”, and 重试 if possible."""
    text, details = describe(exc)
    log.warning("%s\n%s", text, details)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    if retry is not None and not retryable(exc):
        retry = None
    retry_button = box.addButton("重试", QMessageBox.ButtonRole.AcceptRole) if retry else None
    box.addButton("关闭" if retry is None else "取消", QMessageBox.ButtonRole.RejectRole)
    if not isinstance(exc, EcoDeskError):
        box.setDetailedText(report_text(type(exc), exc, exc.__traceback__))
        # UNEXPECTED tells the clerk to click 复制: the box has one (it does not close the box)
        copy = box.addButton("复制", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(box.detailedText()))
    box.exec()
    if retry is not None and box.clickedButton() is retry_button:
        retry()


def inform(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    if details:
        box.setDetailedText(details)
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def choose(parent: QWidget | None, title: str, text: str, options: list[str]) -> int:
    """Which of ``options`` (button texts) the clerk clicked; the last one is Esc / the close box."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    buttons = [
        box.addButton(
            o, QMessageBox.ButtonRole.RejectRole if i == len(options) - 1 else QMessageBox.ButtonRole.AcceptRole
        )
        for i, o in enumerate(options)
    ]
    box.setDefaultButton(buttons[0])
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, b in enumerate(buttons) if b is clicked), len(options) - 1)


def ask(parent: QWidget | None, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


# ---- uncaught exceptions -----------------------------------------------------------------------
def report_text(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """What the 复制 button copies: version, system, traceback."""
    lines = [
        f"EcoDesk 版本 {__version__}",
        f"系统：{platform.platform()}；Python {platform.python_version()}",
        f"日志文件：{_log_path or '（未写入）'}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


class ErrorDialog(QDialog):
    """Shown for an exception nobody caught: what happened, the version, details, 复制."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("EcoDesk 出错了")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.message = QLabel(UNEXPECTED)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.version = QLabel(f"EcoDesk 版本 {__version__}")
        layout.addWidget(self.version)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("把错误信息复制到剪贴板，可粘贴到微信或邮件中发给技术支持")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("已复制")


#: Qt platforms without a screen (tests, the screenshot tool, CI): errors go to stderr and the log
HEADLESS_PLATFORMS = ("offscreen", "minimal")
_log_path: Path | None = None
_showing = False


def setup_logging() -> Path | None:
    """Log to ``<user data>/logs/ecodesk.log`` (rotated). Returns the file, or None if not writable."""
    global _log_path
    from .paths import log_file

    try:
        path = log_file()
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("ecodesk")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_path = path
    return path


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log the exception and show :class:`ErrorDialog` (on the UI thread, once at a time)."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    text = report_text(exc_type, exc, tb)
    log.error("未处理的异常\n%s", text)
    app = QApplication.instance()
    if (
        app is None
        or _showing
        or threading.current_thread() is not threading.main_thread()
        or QGuiApplication.platformName() in HEADLESS_PLATFORMS  # nobody could close a dialog
    ):
        sys.__excepthook__(exc_type, exc, tb)
        return
    _showing = True
    try:
        ErrorDialog(text, QApplication.activeWindow()).exec()
    except Exception:  # the dialog itself failed: fall back to stderr, never recurse
        sys.__excepthook__(exc_type, exc, tb)
    finally:
        _showing = False


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        log.error("后台线程异常\n%s", report_text(args.exc_type, args.exc_value, args.exc_traceback))


def install_excepthook() -> None:
    sys.excepthook = excepthook
    threading.excepthook = _thread_hook
