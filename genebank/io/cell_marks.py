"""The cells of a sheet that hold formulas, and those shown as percentages.

python-calamine returns a formula's cached value and no number formats, so both are found
from the sheet's XML: formulas so that an import can say "its last calculated value was
used", percentages because Excel shows 6.5 % and stores 0.065, and a reader of percentages
must not take 0.065. :class:`CellMarks` reads the XML as the sheet scan
(:mod:`genebank.io.sheet_extent`) streams it past, so the sheet is inflated once before
calamine reads it, not once for the scan and again for this.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from genebank.io.workbook_container import local, parse_xml

PERCENT_FORMAT_IDS = frozenset({9, 10})  # Excel's built-in "0%" and "0.00%"
_CELL_REFERENCE = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_CELL_TAG = re.compile(rb"<c\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(r|s)="([^"]*)"')
_REFERENCE = re.compile(rb"([A-Z]+)(\d+)")


class CellMarks:
    """Formula and percentage cells of one sheet, (row, column) 1-based, found from its XML
    fed in order in pieces of any size (:meth:`feed`), then :meth:`finish`.

    The XML is cut before the last ``<c `` seen and the cut-off cell carried into the next
    piece, so a cell is always seen whole, wherever the pieces end."""

    def __init__(self, percent_styles: frozenset[int] = frozenset()) -> None:
        self.formulas: set[tuple[int, int]] = set()
        self.percents: set[tuple[int, int]] = set()
        self._styles = percent_styles
        self._tail = b""

    def restart(self) -> None:
        """Forget what was read: the scan reads the sheet again from its start."""
        self.formulas, self.percents, self._tail = set(), set(), b""

    def feed(self, piece: bytes) -> None:
        data = self._tail + piece if self._tail else piece
        cut = data.rfind(b"<c ")
        if cut <= 0:
            self._tail = data
            return
        self._add(data, cut)
        self._tail = data[cut:]

    def finish(self) -> None:
        self._add(self._tail, len(self._tail))
        self._tail = b""

    def _add(self, data: bytes, end: int) -> None:
        add_formula_cells(self.formulas, data, end)
        if self._styles:
            add_styled_cells(self.percents, data, self._styles, end)


def column_number(letters: bytes) -> int:
    """1 for column A, 27 for AA."""
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column


def add_formula_cells(cells: set[tuple[int, int]], data: bytes, end: int) -> None:
    """Add the cells of ``data[:end]`` that hold a formula (an ``<f>`` element).

    Found by searching for ``<f`` rather than matching every cell: most sheets have no
    formulas, and a plain search runs through 100 MB of sheet in a few milliseconds.
    """
    position = data.find(b"<f", 0, end)
    while position >= 0:
        if data[position + 2:position + 3] in (b">", b" ", b"/"):
            start = data.rfind(b"<c ", 0, position)
            cell = _CELL_REFERENCE.match(data, start) if start >= 0 else None
            if cell is not None:
                cells.add((int(cell.group(2)), column_number(cell.group(1))))
        position = data.find(b"<f", position + 2, end)


def percent_styles(path: Path) -> frozenset[int]:
    """The cell style numbers (a cell's ``s``) whose number format shows a percentage (none
    in most workbooks, and then no cell is looked at)."""
    try:
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml")
    except KeyError:
        return frozenset()
    root = parse_xml(styles)  # no DTD: refused before parsing
    if root is None:
        return frozenset()
    percent_ids = set(PERCENT_FORMAT_IDS)
    for element in root.iter():
        if local(element.tag) == "numFmt" and _is_percent_format(
                element.get("formatCode", "")):
            percent_ids.add(_number(element.get("numFmtId")))
    cell_formats = next((e for e in root.iter() if local(e.tag) == "cellXfs"), None)
    if cell_formats is None:
        return frozenset()
    return frozenset(number for number, xf in enumerate(
        e for e in cell_formats if local(e.tag) == "xf")
        if _number(xf.get("numFmtId")) in percent_ids)


def _number(text: str | None) -> int:
    """A style's number attribute; -1 when it is missing or no number."""
    return int(text) if text is not None and text.isascii() and text.isdigit() else -1


def _is_percent_format(code: str) -> bool:
    """True when a number format multiplies by 100 and shows '%' ("0.0%", "#,##0.00 %"):
    a '%' outside quoted text, escapes and [colour] brackets."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def add_styled_cells(cells: set[tuple[int, int]], data: bytes, styles: frozenset[int],
                     end: int | None = None) -> None:
    """Add the cells of ``data[:end]`` with one of ``styles``."""
    for tag in _CELL_TAG.finditer(data, 0, len(data) if end is None else end):
        attributes = dict(_ATTRIBUTE.findall(tag.group(1)))
        style, reference = attributes.get(b"s"), attributes.get(b"r")
        if style is None or reference is None or not style.isdigit() \
                or int(style) not in styles:
            continue
        cell = _REFERENCE.fullmatch(reference)
        if cell is not None:
            cells.add((int(cell.group(2)), column_number(cell.group(1))))
