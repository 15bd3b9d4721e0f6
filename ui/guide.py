"""帮助 → 用户指南: the Chinese guide (ui/help, one page per workflow step with screenshots)
in a window of its own, opened at the page about what the clerk is looking at."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from .paths import GUIDE_PAGES, guide_dir


class GuideDialog(QDialog):
    def __init__(self, page: str = "index.html", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("EcoDesk 使用指南")
        self.resize(860, 620)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        layout.addWidget(self.browser, 1)
        row = QHBoxLayout()
        back = QPushButton("后退")
        back.clicked.connect(self.browser.backward)
        home = QPushButton("目录")
        home.clicked.connect(lambda: self.show_page("index.html"))
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        row.addWidget(back)
        row.addWidget(home)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.show_page(page)

    def show_page(self, page: str) -> None:
        try:
            folder = guide_dir()
        except FileNotFoundError as exc:
            self.browser.setPlainText(str(exc))
            return
        self.browser.setSearchPaths([str(folder)])
        self.browser.setSource(QUrl.fromLocalFile(str(folder / page)))

    @classmethod
    def for_page(cls, title: str, parent: QWidget | None = None) -> GuideDialog:
        """The guide opened at the page about the window's page ``title``."""
        return cls(GUIDE_PAGES.get(title, "index.html"), parent)
