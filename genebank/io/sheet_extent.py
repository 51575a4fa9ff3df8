"""How far a worksheet's cells really reach, found before any reader allocates the sheet.

python-calamine builds a dense grid of the rectangle from the first to the last cell holding
a value, 32 bytes a cell, before Python sees one row: a workbook of a few hundred bytes with
a single cell at XFD1048576 asks for 550 GB and the allocator aborts the whole process (the
GUI with it, from a worker thread). The ``<dimension>`` a sheet declares can lie, so the cell
references themselves are scanned, streaming (a megabyte at a time, never a tree), and the
rectangle they span is refused past :data:`MAX_SHEET_CELLS`.

The scan is a byte scan built for the files people have: when every cell tag starts
``<c r="A1"`` (as Excel, LibreOffice, openpyxl and XlsxWriter write them) one regular
expression per megabyte asks "is any cell here outside the rectangle seen so far, or written
otherwise?", and only a megabyte that answers yes is read cell by cell (about a third of
calamine's own time for the same sheet). Any other shape (cells without a reference, which
a reader places by counting; namespace prefixes other than Open XML SDK's ``x:``; other
attribute orders or quotes) is scanned tag by tag with an upper bound of where such a reader
can put each cell. Both count too much rather than too little: the rectangle is taken from
A1 (a sheet whose data starts far down or right counts the empty rows and columns before
it), and cells without a value, and text that only looks like a tag (in CDATA or comments),
are counted too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from genebank.problems import Coded, register

MAX_ROW = 1_048_576  # Excel's last row: no spreadsheet program writes beyond it
MAX_COLUMN = 16_384  # Excel's last column, XFD
# The rectangle a sheet's cells span. calamine holds it as 32-byte cells and Genebank keeps
# each row as a Python list besides, so 12 million cells cost about 400 MB at the peak: what
# an old 4 GB laptop spares beside the window. It is 460,000 rows of a 26-column MCPD sheet,
# or 100,000 rows of 120 columns, well past the 500,000 rows of data an import takes
# (``spreadsheet.MAX_ROWS``) for the sheets people have.
MAX_SHEET_CELLS = 12_000_000
CHUNK_BYTES = 1 << 20


class SheetRefused(Coded):
    """The sheet must not be given to a reader. ``code`` is one of ``cell_beyond_grid`` (a
    cell past XFD1048576), ``sheet_too_large``, ``bad_cell_reference`` (a cell reference no
    reader takes), ``sheet_utf16`` (UTF-16 XML, which this scan cannot see into) or
    ``sheet_doctype``; ``params`` holds the values the message needs. The scan does not
    know the file or the sheet: ``genebank.io.spreadsheet`` refuses the file with them."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=params)


# The scan's own English, for a caller that has no file or sheet to name.
register({
    "cell_beyond_grid": "a cell at {cell}, past the last cell a spreadsheet can have "
                        "({last_cell})",
    "sheet_too_large": "{rows:,} rows x {columns:,} columns ({first_cell} to {last_cell}), "
                       "more than the {limit:,} cells Genebank reads at once",
    "bad_cell_reference": "a cell reference '{reference}' that is not a cell",
    "sheet_utf16": "a sheet stored as UTF-16 text",
    "sheet_doctype": "an XML document type declaration in a sheet",
})


@dataclass(slots=True)
class Extent:
    """The rectangle of cells (1-based, inclusive); all 0 when the sheet has no cell."""

    first_row: int = 0
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.last_row else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if self.last_column else 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def add(self, row: int, column: int) -> None:
        if not self.last_row:
            self.first_row = self.last_row = row
            self.first_column = self.last_column = column
            return
        if row < self.first_row:
            self.first_row = row
        elif row > self.last_row:
            self.last_row = row
        if column < self.first_column:
            self.first_column = column
        elif column > self.last_column:
            self.last_column = column


def column_number(letters: bytes) -> int:
    """1 for A, 27 for AA; lower case read as upper case (as readers do)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_extent(extent: Extent) -> None:
    """Raise :class:`SheetRefused` when ``extent`` is past the grid or the cell limit."""
    if extent.last_row > MAX_ROW or extent.last_column > MAX_COLUMN:
        raise SheetRefused("cell_beyond_grid",
                           cell=_reference(extent.last_row, extent.last_column),
                           last_cell=_reference(MAX_ROW, MAX_COLUMN))
    if extent.cells > MAX_SHEET_CELLS:
        raise SheetRefused(
            "sheet_too_large", rows=extent.rows, columns=extent.columns, cells=extent.cells,
            first_cell=_reference(extent.first_row, extent.first_column),
            last_cell=_reference(extent.last_row, extent.last_column),
            limit=MAX_SHEET_CELLS)


def _reference(row: int, column: int) -> str:
    if row > 10 * MAX_ROW or column > 10 * MAX_COLUMN:
        return f"row {row:,}, column {column:,}"
    return f"{column_letters(column)}{row}"


# Fast path -------------------------------------------------------------------------------

_LETTERS, _FIRST_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS, _FIRST_DIGITS = "0123456789", "123456789"
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _at_most(value: str, *, digits: str, first: str, end: str) -> str:
    """A regular expression for the canonical strings (no leading zero) of ``digits`` that
    are at most ``value`` in their order (shorter first, then alphabetical), each followed
    by ``end``. Branches of the full length come first and nothing backtracks: this
    expression is tried at every cell."""
    def chars(allowed: str, below: str) -> str:
        kept = [c for c in allowed if c < below]
        return f"[{kept[0]}-{kept[-1]}]" if len(kept) > 1 else kept[0] if kept else ""

    options = []
    for i, char in enumerate(value):
        lower = chars(first if i == 0 else digits, char)
        if lower:
            rest = len(value) - i - 1
            every = f"[{digits[0]}-{digits[-1]}]"
            options.append(f"{value[:i]}{lower}" + (f"{every}{{{rest}}}" if rest else "") + end)
    options.append(value + end)
    if len(value) > 1:
        options.append(f"[{first[0]}-{first[-1]}][{digits[0]}-{digits[-1]}]"
                       f"{{0,{len(value) - 2}}}+{end}")
    return "|".join(options)


class _Irregular(Exception):
    """The sheet needs the tag-by-tag scan."""


class _FastScan:
    """Cells that all carry a plain ``r="A1"`` as first attribute, and one prefix (none, or
    the ``x:`` of files written with Microsoft's Open XML SDK)."""

    def __init__(self, prefix: bytes = b"") -> None:
        self.extent = Extent()
        self._outside: re.Pattern[bytes] | None = None
        self._bounds = (0, 0)
        tag = b"<" + re.escape(prefix) + b"c"
        self._start = tag + b' r="'
        self._cell = re.compile(tag + rb' r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
        self._cell_tag = re.compile(tag + rb"(?=[\s>/])")
        self._tag = tag
        # a cell tag with another prefix than the sheet's (quick_xml ignores prefixes)
        self._other_prefix = re.compile(
            rb"(?<!<" + re.escape(prefix[:-1]) + rb"):c[\s>/]|<c[\s>/]" if prefix
            else rb":c[\s>/]")

    def _outside_pattern(self) -> re.Pattern[bytes]:
        """A cell tag outside A1 to the extent's last cell, or written otherwise.

        The last row is first rounded up (by less than a sixteenth, never past the grid),
        so that a sheet read top to bottom needs a new expression a few times, not once a
        megabyte; the extent counts the rows up to that bound."""
        extent = self.extent
        row = extent.last_row
        step = 1 << max(row.bit_length() - 5, 0)
        rounded = -(-row // step) * step
        extent.last_row = min(rounded, MAX_ROW) if row <= MAX_ROW else rounded
        bounds = (extent.last_row, extent.last_column)
        if self._outside is None or bounds != self._bounds:
            # The columns need no end of their own: every row branch starts with 1-9. The
            # whitespace after the tag's name is spelt out (bytes' \s), the space apart,
            # rather than looked ahead at: one test less at every cell.
            columns = _at_most(column_letters(bounds[1]), digits=_LETTERS,
                               first=_FIRST_LETTERS, end="")
            rows = _at_most(str(bounds[0]), digits=_DIGITS, first=_FIRST_DIGITS, end='"')
            self._outside = re.compile(
                self._tag + rb'(?:[\t\n\r\x0b\x0c>/]| (?!r="(?:' + columns.encode()
                + rb")(?:" + rows.encode() + rb")))")
            self._bounds = bounds
        return self._outside

    def feed(self, data: bytes) -> None:
        if self._other_prefix.search(data):
            raise _Irregular
        last_start = data.rfind(self._start)
        if last_start < 0:
            if self._cell_tag.search(data):
                raise _Irregular
            return
        extent = self.extent
        for cell in (self._cell.match(data, data.find(self._start)),
                     self._cell.match(data, last_start)):
            if cell is None:
                raise _Irregular
            extent.add(int(cell.group(2)), column_number(cell.group(1)))
        if self._outside_pattern().search(data) is None:
            return
        cells = self._cell.findall(data)  # out of order, or irregular
        if len(cells) != len(self._cell_tag.findall(data)):
            raise _Irregular
        for letters, digits in cells:
            extent.add(int(digits), column_number(letters))

    def finish(self) -> None:
        """The rectangle is taken from A1: only the last row and column are tracked."""
        if self.extent.last_row:
            self.extent.first_row = self.extent.first_column = 1


# Tag-by-tag path ---------------------------------------------------------------------------

def _tag_pattern(prefix: bytes | None) -> re.Pattern[bytes]:
    """Row and cell tags (their attributes, quotes minded) with ``prefix``, or with any
    prefix (None: six times slower, as every tag's name is tried as a prefix)."""
    name = rb"(?:[\w.-]+:)?" if prefix is None else re.escape(prefix)
    return re.compile(rb"<(?:/" + name + rb"row\s*>|" + name + rb"(row|c)(?=[\s/>])"
                      rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>)")

_R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"\s*([A-Za-z]*)([0-9]*)\s*")


class _OtherPrefix(Exception):
    """Row or cell tags with another prefix than the first cell's: scan with any prefix."""


class _TagScan:
    """An upper bound of where a reader that places unreferenced cells by counting puts
    each cell (``<row r>`` sets the row, ``</row>`` moves to the next, a cell without ``r``
    goes right of the previous one). A self-closing ``<row/>`` or ``<c/>`` may be skipped
    or read as an empty element: the higher of the two is kept."""

    def __init__(self, prefix: bytes | None = b"") -> None:
        self.extent = Extent()
        self._tags = _tag_pattern(prefix)
        self._other = None if prefix is None else re.compile(
            (rb"(?<!<" + re.escape(prefix[:-1]) + rb")" if prefix else b"")
            + rb":(?:c|row)[\s/>]" + (rb"|<(?:c|row)[\s/>]" if prefix else b""))
        self._row = 0  # the 0-based row a cell without a reference goes to, at most
        self._column = 0

    def feed(self, data: bytes) -> None:
        if self._other is not None and self._other.search(data):
            raise _OtherPrefix
        extent = self.extent
        row, column = self._row, self._column
        last_row, last_column = extent.last_row, extent.last_column
        for name, attributes in self._tags.findall(data):
            if name == b"c":
                empty = attributes.endswith(b"/") or attributes.rstrip().endswith(b"/")
                value = _attribute(attributes) if b"r" in attributes else None
                if value is None:
                    if not empty:  # placed right of the previous cell
                        last_row = max(last_row, row + 1)
                        last_column = max(last_column, column + 1)
                    column += 1
                    continue
                cell_row, cell_column = _parse(value, need_column=True)
                if not empty:
                    last_row = max(last_row, cell_row)
                    last_column = max(last_column, cell_column)
                column = max(column, cell_column) if empty else cell_column
            elif not name:  # </row>
                row += 1
                column = 0
            else:
                value = _attribute(attributes) if b"r" in attributes else None
                number = None if value is None else _parse(value, need_column=False)[0]
                if attributes.rstrip().endswith(b"/"):
                    row = max(row, number if number is not None else row + 1)
                elif number is not None:
                    row = number - 1
                column = 0
        self._row, self._column = row, column
        if last_row:
            extent.first_row = extent.first_column = 1
            extent.last_row, extent.last_column = last_row, last_column

    def finish(self) -> None:
        if self.extent.last_row:
            self.extent.first_row = self.extent.first_column = 1


def _attribute(attributes: bytes) -> bytes | None:
    found = _R_ATTRIBUTE.findall(attributes)
    if not found:
        return None
    double, single = found[-1]  # a reader keeps the last of repeated attributes
    return double or single


def _parse(value: bytes, *, need_column: bool) -> tuple[int, int]:
    match = _REFERENCE.fullmatch(value)
    if match is None or not match.group(2) or (need_column and not match.group(1)) \
            or len(match.group(1)) > 8 or len(match.group(2)) > 12:
        raise SheetRefused("bad_cell_reference", reference=value.decode("latin-1")[:40])
    return int(match.group(2)), column_number(match.group(1))


# Driving the scan -------------------------------------------------------------------------

def pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The XML in pieces that each end before a cell tag (or, failing one, before a ``<``),
    so that no tag, and no cell's start, is cut in two."""
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        cut = data.rfind(b"<c ")
        if cut <= 0:
            cut = data.rfind(b"<")
        if cut > 0:
            yield data[:cut]
            tail = data[cut:]
        elif cut < 0 or b">" in data:
            yield data
            tail = b""
        else:
            tail = data
    if tail:
        yield tail


def _check_encoding(head: bytes) -> None:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:64]:
        raise SheetRefused("sheet_utf16")


_FIRST_TAG = re.compile(rb"<((?:[\w.-]+:)?)(?:c|row)[\s>/]")  # the first row or cell


class PieceReader(Protocol):
    """Whatever else reads the sheet's XML in the scan's one pass (formula cells)."""

    def restart(self) -> None:
        """The scan starts (again) from the first byte."""

    def feed(self, piece: bytes) -> None:
        """The next piece of the XML, in order (the pieces make the whole part)."""

    def finish(self) -> None:
        """The whole part was fed."""


def sheet_extent(read: Callable[[], Iterable[bytes]],
                 marks: PieceReader | None = None) -> Extent:
    """The rectangle one sheet's cells span, from A1. ``read()`` gives the sheet's XML as
    bytes in order; it is called again when the sheet needs a slower scan. ``marks``, if
    given, is fed every piece of the XML of the pass that gives the result (so that the
    sheet is inflated once for both).

    Raises :class:`SheetRefused` as soon as the cells pass the limits (so a huge sheet is
    refused early), for a DOCTYPE or ENTITY declaration anywhere in the part, and for a
    part no reader should be given."""
    try:
        return _scan(read(), _FastScan, marks)
    except _Irregular:
        pass
    try:
        return _scan(read(), _TagScan, marks)
    except _OtherPrefix:
        return _scan(read(), lambda _prefix: _TagScan(None), marks)


def _scan(chunks: Iterable[bytes], make: Callable[[bytes], _FastScan | _TagScan],
          marks: PieceReader | None = None) -> Extent:
    """Scan with the scanner ``make`` gives for the prefix of the first row or cell tag
    (the pieces before it hold neither)."""
    started = False
    scanner = None
    if marks is not None:
        marks.restart()
    for piece in pieces(chunks):
        if not started:
            _check_encoding(piece)
            started = True
        if b"!" in piece and _DOCTYPE.search(piece):
            raise SheetRefused("sheet_doctype")
        if marks is not None:
            marks.feed(piece)
        if scanner is None:
            first = _FIRST_TAG.search(piece)
            if first is None:
                continue
            prefix = first.group(1)
            if make is _FastScan and prefix and prefix != b"x:":
                raise _Irregular
            scanner = make(prefix)
        scanner.feed(piece)
        scanner.finish()
        check_extent(scanner.extent)
    if marks is not None:
        marks.finish()
    return scanner.extent if scanner is not None else Extent()
