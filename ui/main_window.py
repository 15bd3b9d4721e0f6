"""The main window. (Foundation stage: shows the version and how to start; pages come later.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from ecodesk import __version__


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"EcoDesk 生态文明建设示范区创建填报助手 {__version__}")
        self.resize(1100, 720)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.welcome = QLabel("欢迎使用 EcoDesk。请新建项目或打开已有项目。")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.welcome)
        self.setCentralWidget(body)
        self.statusBar().showMessage("就绪")
