"""The one print set-up of every workbook EcoDesk writes: A4, landscape unless asked otherwise, one
page wide (or the caller's fixed scale), centred, the header rows repeated on every page, page
numbers in the footer — for xlsxwriter worksheets and, for the revision copy, openpyxl ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

A4_PAPER = 9  # the paper code of A4 in SpreadsheetML
A4_LONG, A4_SHORT = 841.89, 595.28  # points
MARGIN_LR, MARGIN_TOP, MARGIN_BOTTOM = 0.4, 0.7, 0.6  # inches; the top leaves room for a header
HEADER_FOOTER_MARGIN = 0.3  # inches from the paper's edge
PAGE_NUMBERS = "第 &P 页，共 &N 页"


def _hf(text: str) -> str:
    """Escape & in page header/footer text."""
    return text.replace("&", "&&")


@dataclass
class Page:
    """How a sheet prints. Rows are 0-based; ``repeat`` is (first, last) row printed on every page;
    ``scale`` None fits the sheet one page wide; ``header`` is (left, centre, right)."""

    landscape: bool = True
    repeat: tuple[int, int] | None = None
    scale: int | None = None
    header: tuple[str, str, str] = ("", "", "")
    footer: str = ""  # printed before the page numbers
    breaks: Sequence[int] = field(default_factory=tuple)  # first row of each page after the first
    freeze: tuple[int, int] | None = None  # (rows, columns) frozen on screen

    def header_text(self) -> str:
        return "".join(f"&{k}{_hf(t)}" for k, t in zip("LCR", self.header, strict=True) if t)[:255]

    def footer_text(self) -> str:
        return f"{_hf(self.footer)}{'　' if self.footer else ''}{PAGE_NUMBERS}"


def print_a4(ws: Any, page: Page) -> None:
    """Apply ``page`` to an xlsxwriter worksheet."""
    if page.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(A4_PAPER)
    if page.scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(page.scale)
    if page.repeat is not None:
        ws.repeat_rows(*page.repeat)
    ws.set_margins(left=MARGIN_LR, right=MARGIN_LR, top=MARGIN_TOP, bottom=MARGIN_BOTTOM)
    ws.center_horizontally()
    if any(page.header):
        ws.set_header(page.header_text())
    ws.set_footer(f"&C{page.footer_text()}")
    if page.breaks:
        ws.set_h_pagebreaks(list(page.breaks))
    if page.freeze is not None:
        ws.freeze_panes(*page.freeze)


def print_a4_openpyxl(ws: Any, page: Page) -> None:
    """Apply ``page`` to an openpyxl worksheet (a workbook EcoDesk edits rather than writes)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.paperSize = A4_PAPER
    if page.scale is None:
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = page.scale
    if page.repeat is not None:
        ws.print_title_rows = f"{page.repeat[0] + 1}:{page.repeat[1] + 1}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    # header and footer sit 0.3 in from the edge, as xlsxwriter puts them (openpyxl's 0.5 leaves the
    # footer 0.1 in under a 0.6 in margin: LibreOffice cut its page numbers in half)
    ws.page_margins.header = ws.page_margins.footer = HEADER_FOOTER_MARGIN
    for part, text in zip(
        (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right), page.header, strict=True
    ):
        if text:
            part.text = _hf(text)
    ws.oddFooter.center.text = page.footer_text()
    for b in page.breaks:
        ws.row_breaks.append(Break(id=b))
    if page.freeze is not None:
        rows, cols = page.freeze
        ws.freeze_panes = f"{get_column_letter(cols + 1)}{rows + 1}"
