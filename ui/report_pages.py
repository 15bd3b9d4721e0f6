"""The report pack drawn with Qt from the same :class:`ecodesk.report.layout.SheetLayout` pages the
xlsx (and so LibreOffice's PDF) prints: same sheets, same rows on each page, same labels, marks and
page numbers. Used by the print preview, for printing, and to save a PDF where LibreOffice is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from ecodesk.report.layout import (
    MARGIN_LR,
    MARGIN_TOP,
    STYLES,
    SheetLayout,
    column_points,
)

HEADER_FOOTER = 0.3 * 72  # distance of the page header/footer from the paper's edge, points
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}
_VALIGN = {"top": Qt.AlignmentFlag.AlignTop, "vcenter": Qt.AlignmentFlag.AlignVCenter}


def page_count(layouts: list[SheetLayout]) -> int:
    return sum(len(lay.pages()) for lay in layouts)


def page_texts(layouts: list[SheetLayout]) -> list[str]:
    """The text each printed page carries, in order (what a test compares with the PDF)."""
    out = []
    for lay in layouts:
        for p in range(len(lay.pages())):
            rows = set(lay.page_rows(p))
            out.append(
                "\n".join(
                    lay.text_of(b.value) for b in lay.blocks if b.r1 in rows and b.value not in (None, "")
                )
            )
    return out


def _font(style: dict[str, Any], dpi: float) -> QFont:
    f = QFont(style["font"])
    f.setFamilies(
        [style["font"], "SimSun", "宋体", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei"]
    )
    f.setPointSizeF(style["size"] * 72 / dpi)  # the painter is scaled to points
    f.setBold(bool(style.get("bold")))
    return f


def _page_layout(lay: SheetLayout) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if lay.landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))


def paint(layouts: list[SheetLayout], device: Any) -> int:
    """Draw every page on ``device`` (a QPrinter or QPdfWriter set to A4); return the page count."""
    if layouts:  # before painting starts: Qt applies a page layout to the pages that follow
        device.setPageLayout(_page_layout(layouts[0]))
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始打印（打印机或文件不可用）")
    dpi = device.logicalDpiX()
    pages, total = 0, page_count(layouts)  # numbered through the pack, as the printed workbook is
    try:
        for lay in layouts:
            if pages:
                device.setPageLayout(_page_layout(lay))
            for p in range(len(lay.pages())):
                if pages:
                    device.newPage()
                pages += 1
                _page(painter, lay, p, (pages, total), dpi)
    finally:
        painter.end()
    return pages


def _page(painter: QPainter, lay: SheetLayout, page: int, number: tuple[int, int], dpi: float) -> None:
    pw, ph = lay.page_size()
    painter.resetTransform()
    painter.scale(dpi / 72, dpi / 72)  # world units: points on the paper
    small = _font({"font": "宋体", "size": 9}, dpi)
    painter.setFont(small)
    painter.setPen(QPen(QColor("#000000")))
    painter.drawText(
        QRectF(MARGIN_LR, HEADER_FOOTER - 6, pw - 2 * MARGIN_LR, 14),
        int(Qt.AlignmentFlag.AlignLeft),
        lay.header_left,
    )
    painter.drawText(
        QRectF(MARGIN_LR, HEADER_FOOTER - 6, pw - 2 * MARGIN_LR, 14),
        int(Qt.AlignmentFlag.AlignRight),
        lay.header_right,
    )
    painter.drawText(
        QRectF(0, ph - HEADER_FOOTER - 8, pw, 14),
        int(Qt.AlignmentFlag.AlignHCenter),
        f"第 {number[0]} 页，共 {number[1]} 页",
    )
    k = lay.scale / 100
    xs = [0.0]
    for w in lay.widths:
        xs.append(xs[-1] + column_points(w))
    left = (pw - xs[-1] * k) / 2
    painter.translate(left, MARGIN_TOP)
    painter.scale(k, k)
    rows = lay.page_rows(page)
    ys: dict[int, float] = {}
    y = 0.0
    for r in rows:
        ys[r] = y
        y += lay.height(r)
    for b in lay.blocks:
        if b.r1 not in ys or b.r2 not in ys:
            continue
        style = STYLES[b.style]
        rect = QRectF(xs[b.c1], ys[b.r1], xs[b.c2 + 1] - xs[b.c1], ys[b.r2] + lay.height(b.r2) - ys[b.r1])
        if style.get("fill"):
            painter.fillRect(rect, QBrush(QColor(style["fill"])))
        if style.get("border"):
            painter.setPen(QPen(QColor("#000000"), 0.5))
            painter.drawRect(rect)
        text = lay.text_of(b.value)
        if text:
            painter.setFont(_font(style, dpi))
            painter.setPen(QPen(QColor("#000000")))
            flags = _ALIGN[style.get("align", "left")] | _VALIGN.get(
                style.get("valign", "vcenter"), Qt.AlignmentFlag.AlignVCenter
            )
            if style.get("wrap"):
                flags |= Qt.TextFlag.TextWordWrap
            painter.drawText(rect.adjusted(2, 1, -2, -1), int(flags), text)


def save_pdf(layouts: list[SheetLayout], path: Path) -> Path:
    """The pack as a PDF drawn by Qt (where LibreOffice is not installed): same pages as the xlsx."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(300)
    writer.setTitle(path.stem)
    writer.setCreator("EcoDesk")
    paint(layouts, writer)
    del writer
    tmp.replace(path)
    return path
