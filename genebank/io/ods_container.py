"""What an OpenDocument spreadsheet (.ods) must pass before calamine parses it.

An .ods file is a zip whose content.xml holds every sheet. calamine parses all of them when
it opens the file and builds each sheet's grid of cells, and a sheet's XML may say "this row
again a million times" and "this cell again 16,384 times" (``table:number-rows-repeated``,
``table:number-columns-repeated``), so a file of a few kilobytes can ask for billions of
cells. The zip is checked as an .xlsx is (:func:`workbook_container.check_zip`: bombs, parts
stored twice, a DOCTYPE anywhere), an encrypted file is refused, and content.xml is read once,
streaming, a row at a time: the rectangle of each sheet's cells, repeats counted, is measured
against the same limits as an .xlsx sheet; the cells of the sheet to be read that hold
formulas (``table:formula``) or percentages (``office:value-type="percentage"``: calamine
gives 0.065 for 6.5 %) are noted on the way.

Like :mod:`genebank.io.sheet_extent`, it counts too much rather than too little: a cell with
content or a value counts wherever it is, and so does every cell before it in its row.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from genebank.io import sheet_extent, workbook_container
from genebank.io.sheet_extent import Extent, SheetRefused
from genebank.io.unreadable import UnreadableFile, damaged, sheet_refused

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CONTENT = "content.xml"
MAX_ROW_BYTES = 64 * 1024**2  # one row's XML: 16,384 cells of 4,000 characters

_TAG = re.compile(rb"<table:table(?=[\s>])([^>]*)>|</table:table>|"
                  rb"<table:table-row(?=[\s>/])([^>]*?)(/?)>")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_MARKUP = re.compile(rb"<!DOCTYPE|<!ENTITY|<!--|<!\[CDATA\[", re.I)
_ROW_END = b"</table:table-row>"
_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s>/])([^>]*?)(/?)>")
_EMPTY_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b[^>]*/>\s*")
_REPEATED = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\'](\d*)')
_NAME = re.compile(rb'table:name\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CHUNK = 1 << 20


@dataclass(slots=True)
class OdsSheet:
    """One sheet of content.xml: its name, the rectangle of its cells (from A1) and, for the
    sheet asked for, its formula and percentage cells, (row, column) 1-based."""

    name: str
    marked: bool = False  # whether its formula and percentage cells were looked for
    extent: Extent = field(default_factory=Extent)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    percents: set[tuple[int, int]] = field(default_factory=set)


def inspect_ods(path: Path, marked: str | None = None) -> list[OdsSheet]:
    """Every sheet of the .ods at ``path``, measured; the formula and percentage cells of
    the sheet named ``marked`` (the first sheet when None). Refused with a coded
    :class:`UnreadableFile` when the file is no spreadsheet, is encrypted, damaged or too
    large."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook_container.check_zip(path, archive, skip=(CONTENT,))
            try:
                mimetype = archive.read("mimetype").strip()
            except KeyError:
                mimetype = b""
            if mimetype and mimetype != MIMETYPE:
                raise UnreadableFile("not_a_workbook", file=path.name)
            if _encrypted(archive):
                raise UnreadableFile("encrypted", file=path.name)
            if CONTENT not in archive.namelist():
                raise damaged(path, "it has no content.xml")
            scan = _Scan(path, marked)
            with archive.open(CONTENT) as stream:
                while chunk := stream.read(_CHUNK):
                    scan.feed(chunk)
            scan.finish()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error,
            NotImplementedError, ValueError) as error:
        raise damaged(path, error) from None
    return scan.sheets


_TABLE_TAG = re.compile(rb"<table:table\s([^>]*)>")
_STYLE_NAME = re.compile(rb'style:name\s*=\s*"([^"]*)"')
_TABLE_STYLE = re.compile(rb'table:style-name\s*=\s*"([^"]*)"')
_HIDDEN_STYLE = re.compile(rb'<style:style\s([^>]*)>\s*<style:table-properties\s[^>]*'
                           rb'table:display\s*=\s*"false"')


def list_ods(path: Path, *, first_visible: bool = False) -> list[tuple[str, bool]]:
    """The sheets of the .ods at ``path`` and whether each is visible, from its tags alone
    (its zip checked, no cell read and calamine unopened): for a file page that lists them
    at once, even for a sheet of 100,000 rows. With ``first_visible``, they end at the
    first visible one."""
    hidden: set[bytes] = set()
    sheets: list[tuple[str, bool]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            workbook_container.check_zip(path, archive, skip=(CONTENT,))
            if _encrypted(archive):
                raise UnreadableFile("encrypted", file=path.name)
            if CONTENT not in archive.namelist():
                raise damaged(path, "it has no content.xml")
            carry, in_body = b"", False
            with archive.open(CONTENT) as stream:
                while chunk := stream.read(_CHUNK):
                    data = carry + chunk
                    if b"<!" in data and _DOCTYPE.search(data):
                        raise UnreadableFile("doctype", file=path.name, sheet=CONTENT)
                    if not in_body:  # the styles come before the sheets
                        for style in _HIDDEN_STYLE.finditer(data):
                            found = _STYLE_NAME.search(style.group(1))
                            if found:
                                hidden.add(found.group(1))
                        in_body = b"<office:body" in data
                    done = 0
                    at = data.find(b"<table:table ")
                    while at >= 0:
                        tag = _TABLE_TAG.match(data, at)
                        if tag is None:
                            break  # cut at the end of this piece: read with the next
                        name = _NAME.search(tag.group(1))
                        style = _TABLE_STYLE.search(tag.group(1))
                        text = (name.group(1) if name and name.group(1) is not None
                                else name.group(2) if name else b"") or b""
                        sheets.append((html.unescape(text.decode("utf-8", "replace")),
                                       not (style and style.group(1) in hidden)))
                        if first_visible and sheets[-1][1]:
                            return sheets
                        done = tag.end()
                        at = data.find(b"<table:table ", done)
                    carry = data[max(done, data.rfind(b"<")):]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error,
            NotImplementedError, ValueError) as error:
        raise damaged(path, error) from None
    return sheets


MAX_PREFIX_BYTES = 64 * 1024**2  # styles and settings before the first sheet


def top_of_ods(path: Path, sheet: str, rows: int) -> tuple[bytes, OdsSheet] | None:
    """A copy of the .ods at ``path`` holding only the first ``rows`` rows of ``sheet``
    (none of its other sheets), measured and its formula and percentage cells found; None
    when that sheet is no longer than that, or is not found (then it is read whole).

    calamine parses every sheet of an .ods when it opens it (5 s for 100,000 rows), so the
    preview's first rows come from this copy, read by the same reader with the same types.
    The file's zip is checked first, as for a whole read."""
    with zipfile.ZipFile(path) as archive:
        workbook_container.check_zip(path, archive, skip=(CONTENT,))
        if _encrypted(archive) or CONTENT not in archive.namelist():
            return None  # refused by the whole read, with its reason
        cut = _cut_content(archive, sheet, rows)
        if cut is None:
            return None
        scan = _Scan(path, sheet)
        scan.feed(cut)
        scan.finish()
        measured = next((s for s in scan.sheets if s.name == sheet), None)
        if measured is None:
            return None
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for info in archive.infolist():
                target.writestr(info.filename,
                                cut if info.filename == CONTENT else archive.read(info))
    return copy.getvalue(), measured


def _cut_content(archive: zipfile.ZipFile, sheet: str, rows: int) -> bytes | None:
    """content.xml up to its first sheet, then ``sheet`` cut after ``rows`` rows, closed."""
    data = b""
    prefix: bytes | None = None
    found_sheet = False
    searched = 0  # where the search for the sheet, then for its rows' ends, goes on
    counted = 0
    with archive.open(CONTENT) as stream:
        while chunk := stream.read(_CHUNK):
            data += chunk
            if prefix is None:
                first = data.find(b"<table:table ")
                if first < 0:
                    if len(data) > MAX_PREFIX_BYTES:
                        return None
                    continue
                prefix, data = data[:first], data[first:]
            while not found_sheet:
                tag = _TABLE_TAG.search(data, searched)
                if tag is None:
                    last = data.rfind(b"<", searched)
                    data, searched = data[max(last, searched):], 0
                    break
                name = _NAME.search(tag.group(1))
                text = (name.group(1) if name and name.group(1) is not None
                        else name.group(2) if name else b"") or b""
                if html.unescape(text.decode("utf-8", "replace")) == sheet:
                    if tag.group(1).rstrip().endswith(b"/"):
                        return None  # an empty sheet: read whole
                    found_sheet, data, searched = True, data[tag.start():], 0
                else:
                    searched = tag.end()
            if not found_sheet:
                continue
            table_end = data.find(b"</table:table>", searched)
            while counted < rows:
                closing = data.find(_ROW_END, searched)
                if closing < 0 or 0 <= table_end < closing:
                    break
                searched, counted = closing + len(_ROW_END), counted + 1
            if counted == rows:
                return (prefix + data[:searched] + b"</table:table></office:spreadsheet>"
                        b"</office:body></office:document-content>")
            if table_end >= 0 or len(data) > MAX_ROW_BYTES + rows * 65_536:
                return None  # the whole sheet is shorter, or its rows are huge: read whole
    return None


def _encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


class _Scan:
    """content.xml read a row at a time: the tables, their rows and their cells."""

    def __init__(self, path: Path, marked: str | None) -> None:
        self.path, self.marked = path, marked
        self.sheets: list[OdsSheet] = []
        self.sheet: OdsSheet | None = None
        self.row = 0  # rows of the current sheet before the next one
        self.data = b""
        self.searched = 0  # where the end of the row being read is searched from
        self.cells = 0
        self.last_row = self.last_column = 0  # of the current sheet's cells
        self.tail = b""  # the end of the last piece: a DOCTYPE cut in two is found
        self.in_body = False  # whether the sheets have begun
        self.tables_inside = self.marks_inside = self.covered_inside = True

    def feed(self, chunk: bytes) -> None:
        joined = self.tail + chunk
        if b"<!" in joined:
            self._markup(joined)
        self.tail = chunk[-16:]
        self.data += chunk
        position = 0
        data = self.data
        # What a row may hold, asked once of the whole piece rather than of every row.
        self.tables_inside = data.find(b"<table:table ") >= 0 or data.find(b"<table:table>") >= 0
        self.marks_inside = data.find(b"formula") >= 0 or data.find(b"percentage") >= 0
        self.covered_inside = data.find(b"<table:covered-table-cell") >= 0
        while True:
            # rows follow rows: an anchored match, not a search through every cell's XML
            tag = _TAG.match(data, position) if data.startswith(b"<table:table-row",
                                                                position) else None
            if tag is None:
                tag = _TAG.search(data, position)
            if tag is None:
                last = data.rfind(b"<", position)  # a tag cut in two stays whole
                position = last if last >= 0 else len(data)
                break
            text = tag.group(0)
            if tag.group(2) is not None and tag.group(3) != b"/":  # a row with cells
                end = data.find(_ROW_END, max(tag.end(), self.searched))
                if end < 0:
                    if len(data) - tag.start() > MAX_ROW_BYTES:
                        raise damaged(self.path, "a row of more than 64 MB")
                    self.searched = max(tag.end(), len(data) - len(_ROW_END))
                    position = tag.start()
                    break
                self._row(tag.group(2), data, tag.end(), end)
                position = end + len(_ROW_END)
                self.searched = 0
            elif tag.group(2) is not None:  # an empty row: <table:table-row .../>
                self.row += _repeats(tag.group(2))
                position = tag.end()
            elif text.startswith(b"</"):
                self._close()
                position = tag.end()
            else:
                self._open(tag.group(1))
                if tag.group(1).rstrip().endswith(b"/"):  # <table:table .../>: no rows
                    self._close()
                position = tag.end()
        self.searched = max(0, self.searched - position)
        self.data = data[position:]

    def finish(self) -> None:
        self._close()

    def _markup(self, data: bytes) -> None:
        """Refuse a DOCTYPE or ENTITY anywhere, and a comment or CDATA section once the
        sheets begin: text a reader skips could hide the end of a row from this scan (no
        spreadsheet program writes either there)."""
        body = data.find(b"<office:body")
        for found in _MARKUP.finditer(data):
            if found.group(0)[:3] in (b"<!D", b"<!d", b"<!E", b"<!e"):
                raise UnreadableFile("doctype", file=self.path.name,
                                     sheet=self.sheet.name if self.sheet else CONTENT)
            if self.in_body or 0 <= body < found.start():
                raise damaged(self.path, "a comment or CDATA section inside the sheets")
        if body >= 0:
            self.in_body = True

    def _open(self, attributes: bytes) -> None:
        if self.sheet is not None:  # a table inside a table's cell: no reader's shape
            raise damaged(self.path, f"a table inside sheet '{self.sheet.name}'")
        name = _NAME.search(attributes)
        text = (name.group(1) if name and name.group(1) is not None
                else name.group(2) if name else b"") or b""
        self.sheet = OdsSheet(html.unescape(text.decode("utf-8", "replace")))
        if self.marked is None and not self.sheets:
            self.marked = self.sheet.name
        self.sheet.marked = self.sheet.name == self.marked
        self.row = self.last_row = self.last_column = 0

    def _close(self) -> None:
        if self.sheet is not None:
            self._measure()
            self.sheets.append(self.sheet)
            self.cells += self.sheet.extent.cells
            if self.cells > sheet_extent.MAX_SHEET_CELLS:
                raise UnreadableFile("workbook_too_many_cells", file=self.path.name,
                                     cells=self.cells, limit=sheet_extent.MAX_SHEET_CELLS)
        self.sheet = None

    def _row(self, attributes: bytes, data: bytes, start: int, end: int) -> None:
        """One row's XML, ``data[start:end]`` (read in place: a row is not copied)."""
        sheet = self.sheet
        repeats = _repeats(attributes) if b"repeated" in attributes else 1
        first = self.row + 1
        self.row += repeats
        if sheet is None:
            return
        if self.tables_inside and (data.find(b"<table:table ", start, end) >= 0
                                   or data.find(b"<table:table>", start, end) >= 0):
            raise damaged(self.path, f"a table inside sheet '{sheet.name}'")
        end = _content_end(data, start, end)
        if end <= start:
            return
        marking = self.marks_inside and sheet.marked and (
            data.find(b"formula", start, end) >= 0 or data.find(b"percentage", start, end) >= 0)
        if not marking and data.find(b"repeated", start, end) < 0:
            width = data.count(b"<table:table-cell", start, end)
            if self.covered_inside:
                width += data.count(b"<table:covered-table-cell", start, end)
        else:
            width = self._cells(sheet, data[start:end], first, repeats, marking)
            repeats = max(repeats, 2)  # cells repeated: measured now, before any more marks
        if width:
            if self.row > self.last_row:
                self.last_row = self.row
            if width > self.last_column:
                self.last_column = width
            if repeats > 1:
                self._measure()

    def _measure(self) -> None:
        """Refuse the current sheet once its cells reach past the limits."""
        assert self.sheet is not None
        extent = self.sheet.extent
        if self.last_row:
            extent.add(1, 1)
            extent.add(self.last_row, self.last_column)
        try:
            sheet_extent.check_extent(extent)
        except SheetRefused as refusal:
            raise sheet_refused(self.path, self.sheet.name, refusal) from None

    def _cells(self, sheet: OdsSheet, body: bytes, first: int, rows: int,
               marking: bool) -> int:
        """The cells of one row one by one; the row's width."""
        column = 0
        for cell in _CELL.finditer(body):
            attributes = cell.group(1)
            repeats = _repeats(attributes)
            if marking and rows * repeats <= sheet_extent.MAX_SHEET_CELLS:
                marks = (sheet.formulas if b"table:formula" in attributes else None,
                         sheet.percents if b'"percentage"' in attributes else None)
                for found in marks:
                    if found is not None:
                        found.update((row, column + c + 1) for row in range(first, first + rows)
                                     for c in range(repeats))
            column += repeats
            if column > sheet_extent.MAX_COLUMN:
                return column  # refused by the extent check
        return column


def _content_end(data: bytes, start: int, end: int) -> int:
    """Where a row's content ends: before the empty cells at its end (``<table:table-cell
    table:number-columns-repeated="16372"/>`` in every row LibreOffice writes), found from
    the end so that a row is read once."""
    while end > start and data[end - 1] in b" \t\r\n":
        end -= 1
    while end > start and data[end - 2:end] == b"/>":
        cell = data.rfind(b"<table:", start, end)
        if cell < 0:
            break
        found = _EMPTY_CELL.fullmatch(data, cell, end)
        if found is None or b"value" in found.group(0) or b"formula" in found.group(0):
            break
        end = cell
        while end > start and data[end - 1] in b" \t\r\n":
            end -= 1
    return end


def _repeats(attributes: bytes) -> int:
    """A row's or cell's repeat count (1 when it has none or it is not a number; capped
    past the grid, where the extent check refuses it)."""
    found = _REPEATED.search(attributes)
    if found is None or not found.group(1):
        return 1
    digits = found.group(1)[:9]
    return max(1, int(digits))
