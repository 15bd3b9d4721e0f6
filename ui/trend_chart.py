"""A small line chart painted with QPainter: one indicator's county value per period, each point
coloured by that period's verdict, the value written above it. No chart library needed."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ecodesk.numbers import display_number

#: point colours (darker than the table's cell colours, so they show on white)
POINT_COLOURS = {
    "达标": "#2E7D32",
    "未达标": "#C62828",
    "待核实": "#F9A825",
    "缺报": "#9E9E9E",
    "不适用": "#5B9BD5",
}


def nice_ticks(lo: float, hi: float, intervals: int = 4) -> list[float]:
    """Axis values a reader can take in at a glance: steps of 1, 2, 2.5 or 5 × 10ⁿ covering
    ``lo``…``hi`` in about ``intervals`` steps (92.5, 95, 97.5, not 92.62, 95, 97.38)."""
    span = max(hi - lo, 1e-9)
    raw = span / intervals
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    count = math.ceil(round((hi - first) / step, 9))
    return [round(first + k * step, 10) for k in range(count + 1)]


@dataclass(frozen=True)
class Point:
    label: str  # the period
    value: float | None
    verdict: str


class TrendChart(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.points: list[Point] = []
        self.empty_text = "请选择一项指标"
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_series(self, title: str, points: list[Point], empty_text: str = "") -> None:
        self.title, self.points = title, points
        self.empty_text = empty_text or "该指标各期均无数值（如“已建立”等状态），各期情况见下表"
        self.update()

    def numbers(self) -> list[float]:
        return [p.value for p in self.points if p.value is not None]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        title_font = QFont(font)
        title_font.setBold(True)
        title_font.setPointSizeF(font.pointSizeF() * 1.15)
        p.setFont(title_font)
        p.setPen(QColor("#202020"))
        p.drawText(QRectF(0, 4, self.width(), 24), Qt.AlignmentFlag.AlignCenter, self.title)
        p.setFont(font)
        nums = self.numbers()
        plot = QRectF(56, 40, max(self.width() - 80, 10), max(self.height() - 90, 10))
        if not self.points or not nums:
            p.setPen(QColor("#707070"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            p.end()
            return
        lo, hi = min(nums), max(nums)
        pad = (hi - lo) * 0.15 or max(abs(hi) * 0.05, 1.0)
        ticks = nice_ticks(lo - pad, hi + pad)
        lo, hi = ticks[0], ticks[-1]

        def y(v: float) -> float:
            return plot.bottom() - (v - lo) / (hi - lo) * plot.height()

        n = len(self.points)
        step = plot.width() / n

        def x(i: int) -> float:
            return plot.left() + step * (i + 0.5)

        # grid and y labels
        p.setPen(QPen(QColor("#E0E0E0"), 1))
        for v in ticks:
            p.drawLine(QPointF(plot.left(), y(v)), QPointF(plot.right(), y(v)))
            p.setPen(QColor("#606060"))
            p.drawText(
                QRectF(0, y(v) - 9, plot.left() - 6, 18),
                Qt.AlignmentFlag.AlignRight,
                display_number(v),
            )
            p.setPen(QPen(QColor("#E0E0E0"), 1))
        p.setPen(QPen(QColor("#808080"), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        # x labels
        for i, pt in enumerate(self.points):
            p.setPen(QColor("#404040"))
            p.drawText(
                QRectF(x(i) - step / 2, plot.bottom() + 4, step, 40),
                Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                pt.label,
            )
        # the line, across periods without a number
        path = QPainterPath()
        started = False
        for i, pt in enumerate(self.points):
            if pt.value is None:
                continue
            if started:
                path.lineTo(x(i), y(pt.value))
            else:
                path.moveTo(x(i), y(pt.value))
                started = True
        p.setPen(QPen(QColor("#4472C4"), 2))
        p.drawPath(path)
        for i, pt in enumerate(self.points):
            if pt.value is None:
                continue
            colour = QColor(POINT_COLOURS.get(pt.verdict, "#4472C4"))
            p.setPen(QPen(colour.darker(120), 1))
            p.setBrush(colour)
            p.drawEllipse(QPointF(x(i), y(pt.value)), 5, 5)
            p.setPen(QColor("#202020"))
            p.drawText(
                QRectF(x(i) - step / 2, y(pt.value) - 26, step, 18),
                Qt.AlignmentFlag.AlignHCenter,
                display_number(pt.value),
            )
        p.end()
