"""How a sheet meant for people prints: the page's orientation, the rows and columns
repeated on every page, page numbers, and a scale that keeps the text readable.

A sheet is fitted to the page width only when that prints it at :data:`MIN_SCALE` or more
(a 19-day attendance sheet fitted to one page printed at 4.7 pt): a wider sheet keeps its
size and continues on further pages, with the columns that name each row repeated on
every page. The paper size is left to the printer (A4 or Letter), so the widths are
measured against the narrower of the two. Data exports for machines (MCPD) need none of
this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported by the writers that use it, not at start
    from openpyxl.worksheet.worksheet import Worksheet

MIN_SCALE = 0.7  # below this, 11 pt text prints under 8 pt: hard to read, harder to sign
DEFAULT_WIDTH = 8.43  # a column's width in characters when none is set (Excel's default)
FOOTER = "Page &P of &N"
# The printable width in pixels at 96 dpi with Excel's default margins (0.7 in each
# side), on the narrower of A4 (8.27 x 11.69 in) and Letter (8.5 x 11 in).
PORTRAIT_PIXELS = (8.27 - 1.4) * 96
LANDSCAPE_PIXELS = (11.0 - 1.4) * 96


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """The print settings of one sheet; rows and columns are 1-based, ``None`` for none."""

    landscape: bool
    fit_width: bool  # scaled to one page wide (at MIN_SCALE or more); else at 100 %
    title_rows: tuple[int, int] | None  # the heading rows, repeated on every page
    title_columns: tuple[int, int] | None  # the columns naming each row, when it runs on


def column_pixels(width: float) -> float:
    """A column's width on screen and paper (pixels at 96 dpi) from its width in
    characters, as Excel converts it for its default font (7 px a digit, 5 px padding)."""
    return width * 7 + 5


def layout_for(widths: Sequence[float | None], *, title_rows: tuple[int, int] | None,
               title_columns: tuple[int, int] | None = None) -> PrintLayout:
    """The layout of a sheet whose columns are ``widths`` characters wide (None: the
    default). Portrait when it fits a portrait page; otherwise landscape, fitted to the
    page width when that keeps :data:`MIN_SCALE`, else continued on further pages with
    ``title_columns`` (the columns that name the row) repeated."""
    pixels = sum(column_pixels(DEFAULT_WIDTH if w is None else w) for w in widths)
    if pixels <= PORTRAIT_PIXELS:
        return PrintLayout(False, True, title_rows, None)
    fits = LANDSCAPE_PIXELS / pixels >= MIN_SCALE
    return PrintLayout(True, fits, title_rows, None if fits else title_columns)


def apply(sheet: Worksheet, layout: PrintLayout) -> None:
    """Set ``layout`` on an openpyxl sheet, with page numbers in the footer."""
    from openpyxl.utils import get_column_letter

    sheet.page_setup.orientation = "landscape" if layout.landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = layout.fit_width
    if layout.fit_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    else:
        sheet.page_setup.scale = 100
    if layout.title_rows:
        sheet.print_title_rows = f"{layout.title_rows[0]}:{layout.title_rows[1]}"
    if layout.title_columns:
        first, last = layout.title_columns
        sheet.print_title_cols = f"{get_column_letter(first)}:{get_column_letter(last)}"
    sheet.oddFooter.center.text = FOOTER


def page_setup(layout: PrintLayout) -> dict[str, Any]:
    """``layout`` as the xlsx writer's (rustpy_xlsxwriter) ``page_setup``."""
    setup: dict[str, Any] = {"landscape": layout.landscape, "footer": "&C" + FOOTER}
    if layout.fit_width:
        setup["fit_to_pages"] = (1, 0)
    if layout.title_rows:
        setup["repeat_rows"] = (layout.title_rows[0] - 1, layout.title_rows[1] - 1)
    if layout.title_columns:
        setup["repeat_columns"] = (layout.title_columns[0] - 1, layout.title_columns[1] - 1)
    return setup
