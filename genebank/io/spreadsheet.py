"""Reading a sheet of a spreadsheet file (.xlsx, .xlsm, .csv) safely and fast.

Files from outside are checked before a parser sees them: an encrypted workbook, a zip
bomb (huge expansion) or an XML bomb (a document type declaration anywhere in any part,
which spreadsheets never need) is refused at once, with bounded memory, and the sheet's
cells are measured by a streaming scan (``sheet_extent``) before calamine builds its grid of
them, which a single cell at XFD1048576 would make 550 GB.

Workbooks are read by python-calamine (Rust), about ten times faster than openpyxl's
reader; it returns cached formula values, and the cells that hold formulas are found
separately so that they can be reported. calamine gives no number formats either, so the
cells shown as percentages (Excel shows 6.5 % and stores 0.065) are found from the
workbook's styles: a reader of percentages must not take 0.065.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import python_calamine

from genebank import problems
from genebank.gc_pause import without_gc
from genebank.io import sheet_extent
from genebank.io.sheet_extent import SheetRefused
from genebank.problems import Coded

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
MAX_ROWS = 500_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_CSV_BYTES = 256 * 1024**2  # ten times a 500,000-row MCPD file
MAX_COLUMNS = sheet_extent.MAX_COLUMN
SCAN_CHUNK_BYTES = 1 << 20
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


class UnreadableFile(Coded):
    """The file cannot be read as a spreadsheet: ``code`` (a template registered below) and
    ``params``, naming the file (and the sheet where it applies); ``str(error)`` is the
    English, for the CLI."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=params)


problems.register({
    "encrypted_or_xls": "'{file}' is password-protected or an old Excel 97-2003 (.xls) "
                        "workbook; remove the password or save it as .xlsx, then try again",
    "not_a_workbook": "'{file}' is not an Excel workbook (.xlsx) or it is damaged",
    "duplicate_part": "'{file}' holds the part {part} twice; the file is damaged or was made "
                      "to mislead a reader",
    "zip_bomb": "'{file}' expands to far more data than a spreadsheet holds (a 'zip bomb'); "
                "it was not opened",
    "file_doctype": "'{file}' contains an XML document type declaration ({part}), which "
                    "spreadsheets never need; it was not opened",
    "damaged": "'{file}' is damaged or incomplete (not a valid .xlsx): {detail}",
    "missing": "'{file}' does not exist",
    "folder": "'{file}' is a folder, not a file; choose the spreadsheet inside it",
    "not_a_file": "'{file}' is not a regular file",
    "not_a_spreadsheet": "'{file}' is not a spreadsheet Genebank reads (.xlsx, .xlsm or .csv)",
    "encrypted": "'{file}' is password-protected; remove the password and try again",
    "os_error": "'{file}' cannot be read: {detail}",
    "locked": "'{file}' is open in another program or locked; close it there and try again",
    "no_sheet": "'{file}' has no worksheet",
    "no_such_sheet": "'{file}' has no sheet named '{sheet}' (it has: {names})",
    "sheet_damaged": "sheet '{sheet}' of '{file}' is damaged and cannot be read: {detail}",
    "too_many_rows": "'{file}' has more than {limit:,} rows of data; split it into smaller "
                     "files",
    "too_many_columns": "'{file}', row {row}: {columns:,} columns, more than the {limit:,} a "
                        "spreadsheet can have",
    "csv_too_large": "'{file}' is {megabytes:,.0f} MB, more than the {limit_megabytes:,} MB "
                     "of text Genebank reads at once; split it into smaller files",
    "csv_not_utf8": "'{file}' is not UTF-8 text (byte {byte}); in Excel use 'Save as: CSV "
                    "UTF-8'",
    "not_text": "'{file}' is not a text (CSV) file (it holds NUL characters)",
    "bad_csv": "'{file}' is not a valid CSV file ({detail})",
})


SHEET_REFUSALS = {
    "beyond_grid": "sheet '{sheet}' of '{file}' has a cell at {cell}, past the last cell a "
                   "spreadsheet can have ({last_cell}); the file is damaged or was not "
                   "written by a spreadsheet program. Copy the data into a new workbook",
    "too_many_cells": "sheet '{sheet}' of '{file}' spans {rows:,} rows x {columns:,} "
                      "columns ({first_cell} to {last_cell}), more than the {limit:,} cells "
                      "Genebank reads at once; delete what lies beyond your data (often a "
                      "stray value far down or right) or split the sheet into smaller files",
    "bad_reference": "sheet '{sheet}' of '{file}' has a cell reference '{reference}' that "
                     "is not a cell; the file is damaged",
    "not_utf8": "sheet '{sheet}' of '{file}' is stored as UTF-16 text, which Genebank does "
                "not read; open it in Excel or LibreOffice and save it again as .xlsx",
    "doctype": "sheet '{sheet}' of '{file}' contains an XML document type declaration, "
               "which spreadsheets never need; it was not opened",
}
problems.register(SHEET_REFUSALS)  # one meaning per code, across the core
# The scan's refusal (genebank.io.sheet_extent) -> the file's, naming the file and sheet.
_SHEET_CODES = {"cell_beyond_grid": "beyond_grid", "sheet_too_large": "too_many_cells",
                "bad_cell_reference": "bad_reference", "sheet_utf16": "not_utf8",
                "sheet_doctype": "doctype"}


def _sheet_refused(path: Path, sheet: str, refusal: SheetRefused) -> UnreadableFile:
    params = {"file": path.name, "sheet": sheet, **refusal.params}
    return UnreadableFile(_SHEET_CODES[refusal.code], **params)


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    visible: bool


@dataclass(slots=True)
class Sheet:
    """The cells of one sheet: ``rows[i]`` is spreadsheet row ``row_numbers[i]`` (1-based)."""

    file: Path
    name: str
    rows: list[list[object]]
    row_numbers: list[int]
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # number format "0.0%"
    complete: bool = True  # False when only the first rows were read (``first_rows``)

    def __len__(self) -> int:
        return len(self.rows)


def column_letter(column: int) -> str:
    """Spreadsheet column name of a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


WORKSHEET_FOLDER = "xl/worksheets/"  # scanned by ``sheet_extent`` when a sheet is read


def _check_workbook_container(path: Path) -> None:
    with path.open("rb") as handle:
        start = handle.read(8)
    if start == OLE_MAGIC:
        raise UnreadableFile("encrypted_or_xls", file=path.name)
    if not zipfile.is_zipfile(path):
        raise UnreadableFile("not_a_workbook", file=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            names: set[str] = set()
            for info in archive.infolist():
                if info.filename in names:
                    raise UnreadableFile("duplicate_part", file=path.name,
                                         part=info.filename)
                names.add(info.filename)
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 10_000_000
                                                      and ratio > MAX_COMPRESSION_RATIO):
                    raise UnreadableFile("zip_bomb", file=path.name)
            for info in archive.infolist():
                if not info.filename.startswith(WORKSHEET_FOLDER) \
                        and _declares_doctype(archive, info):
                    raise UnreadableFile("file_doctype", file=path.name, part=info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error,
            NotImplementedError, ValueError) as error:
        raise _damaged(path, error) from None


def _damaged(path: Path, error: BaseException | str) -> UnreadableFile:
    return UnreadableFile("damaged", file=path.name, detail=_one_line(error))


def _one_line(error: BaseException | str) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _declares_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a DOCTYPE or ENTITY declaration appears anywhere in the part (read a megabyte
    at a time, with an overlap so that one cut in two is found)."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(SCAN_CHUNK_BYTES):
            data = tail + chunk
            if b"!" in data and _DOCTYPE.search(data):
                return True
            tail = data[-16:]
    return False


def _member_chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            yield chunk


def sheet_parts(archive: zipfile.ZipFile, sheet: str) -> list[str]:
    """Every part of the archive a reader could take for the sheet named ``sheet``: the
    relationship's target as written, with and without ``xl/`` and a leading ``/``, in any
    letter case. Usually one; the scan measures them all, so that no reading of the path
    by calamine escapes it."""
    try:
        workbook = _parse_xml(archive.read("xl/workbook.xml"))
        rels = _parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    if workbook is None or rels is None:
        return []
    ids = {value for element in workbook.iter() if _local(element.tag) == "sheet"
           and element.get("name") == sheet
           for key, value in element.attrib.items() if _local(key) == "id"}
    targets = [element.get("Target", "") for element in rels.iter()
               if _local(element.tag) == "Relationship" and element.get("Id") in ids]
    candidates = set()
    for target in targets:
        target = target.replace("\\", "/")
        bare = target.lstrip("/")
        for name in (target, bare, f"xl/{bare}", posixpath.normpath(f"xl/{bare}"),
                     posixpath.normpath(bare)):
            candidates.add(name.lower())
    return [name for name in archive.namelist() if name.lower() in candidates]


def _measure_sheet(path: Path, archive: zipfile.ZipFile, sheet: str) -> list[str]:
    """Scan every part that may be the sheet; refuse it past the limits. Returns the parts."""
    parts = sheet_parts(archive, sheet)
    if not parts:
        raise _damaged(path, f"no part holds sheet '{sheet}'")
    for part in parts:
        try:
            sheet_extent.sheet_extent(lambda part=part: _member_chunks(archive, part))
        except SheetRefused as refusal:
            raise _sheet_refused(path, sheet, refusal) from None
    return parts


def list_sheets(path: Path) -> list[SheetInfo]:
    """The sheets of a workbook (a CSV file has one, named after the file)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        _check_is_file(path)
        return [SheetInfo(path.stem, True)]
    workbook = _open_workbook(path)
    try:
        return _sheet_infos(workbook)
    finally:
        workbook.close()


def _sheet_infos(workbook: python_calamine.CalamineWorkbook) -> list[SheetInfo]:
    return [SheetInfo(m.name, m.visible == python_calamine.SheetVisibleEnum.Visible)
            for m in workbook.sheets_metadata
            if m.typ == python_calamine.SheetTypeEnum.WorkSheet]


def _check_is_file(path: Path) -> None:
    if not path.exists():
        raise UnreadableFile("missing", file=str(path))
    if path.is_dir():
        raise UnreadableFile("folder", file=str(path))
    if not path.is_file():
        raise UnreadableFile("not_a_file", file=str(path))


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    _check_is_file(path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UnreadableFile("not_a_spreadsheet", file=path.name)
    try:
        _check_workbook_container(path)
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except PermissionError:
        raise _locked(path) from None
    except python_calamine.PasswordError:
        raise UnreadableFile("encrypted", file=path.name) from None
    except OSError as error:
        raise UnreadableFile("os_error", file=path.name,
                             detail=str(error.strerror or error)) from None
    except _CALAMINE_ERRORS as error:
        raise _damaged(path, error) from None
    except BaseException as error:
        if _is_panic(error):
            raise _damaged(path, error) from None
        raise


# What calamine raises on a damaged file (a Rust panic arrives as pyo3's PanicException,
# which derives from BaseException).
_CALAMINE_ERRORS = (python_calamine.CalamineError, ValueError, TypeError, OverflowError,
                    UnicodeError, IndexError, KeyError)


def _is_panic(error: BaseException) -> bool:
    return type(error).__name__ == "PanicException"


def _locked(path: Path) -> UnreadableFile:
    return UnreadableFile("locked", file=path.name)


@without_gc
def read_sheet(path: Path, sheet: str | None = None, *, first_rows: int | None = None) \
        -> Sheet:
    """All non-empty rows of ``sheet`` (the first visible one by default).

    With ``first_rows``, only about that many rows from the top, at once even for a
    100,000-row workbook (for a preview while the whole sheet is read); ``Sheet.complete``
    says whether that was all of it. Whatever the file holds, the result is a sheet or an
    :class:`UnreadableFile` naming the file (and sheet): the sheet's cells are measured
    before calamine reads them.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, first_rows)
    workbook = _open_workbook(path)
    name = sheet or ""
    try:
        sheets = _sheet_infos(workbook)
        if not sheets:
            raise UnreadableFile("no_sheet", file=path.name)
        name = sheet or next((s.name for s in sheets if s.visible), sheets[0].name)
        if name not in {s.name for s in sheets}:
            raise UnreadableFile("no_such_sheet", file=path.name, sheet=name,
                                 names=", ".join(s.name for s in sheets),
                                 sheets=[s.name for s in sheets])
        with zipfile.ZipFile(path) as archive:
            if first_rows is not None:
                parts = sheet_parts(archive, name)
                top = _top_of_workbook(archive, parts[0], first_rows) \
                    if len(parts) == 1 else None
                if top is not None:
                    try:
                        sheet_extent.sheet_extent(lambda: [top[1]])
                    except SheetRefused as refusal:
                        raise _sheet_refused(path, name, refusal) from None
                    return _read_top(path, name, top)
            part = _measure_sheet(path, archive, name)[0]
        # calamine parses without holding the GIL: the formula scan runs meanwhile.
        with ThreadPoolExecutor(max_workers=1) as pool:
            formulas = pool.submit(_formula_and_percent_cells, path, part)
            rows, numbers = _sheet_rows(workbook.get_sheet_by_name(name), path.name)
            formula_cells, percent_cells = formulas.result()
    except PermissionError:
        raise _locked(path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise _damaged(path, error) from None
    except _CALAMINE_ERRORS as error:
        raise _sheet_damaged(path, name, error) from None
    except UnreadableFile:
        raise
    except BaseException as error:
        if _is_panic(error):
            raise _sheet_damaged(path, name, error) from None
        raise
    finally:
        workbook.close()
    return Sheet(path, name, rows, numbers, formula_cells, percent_cells)


def _sheet_damaged(path: Path, sheet: str, error: BaseException) -> UnreadableFile:
    return UnreadableFile("sheet_damaged", file=path.name, sheet=sheet,
                          detail=_one_line(error))


def _formula_and_percent_cells(path: Path, part: str) \
        -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The cells holding formulas, and those shown as percentages (none to look for when
    the workbook has no percentage format, as most have not)."""
    formulas = _formula_cells(path, part)
    styles = _percent_styles(path)
    return formulas, (_styled_cells(path, part, styles) if styles else set())


def _top_of_workbook(archive: zipfile.ZipFile, part: str, rows: int) \
        -> tuple[bytes, bytes] | None:
    """A copy of the workbook whose sheet in ``part`` ends after ``rows`` rows, and that
    sheet's cut XML; None when the sheet is no longer than that.

    calamine always parses a whole sheet (4 s for 100,000 rows), so the preview's first
    rows come from this copy, read by the same reader with the same types and dates.
    """
    data = bytearray()
    prefix = None
    found, searched = 0, 0
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(SCAN_CHUNK_BYTES // 16)
            if not chunk or len(data) > 64 * SCAN_CHUNK_BYTES:
                return None  # a short sheet (or huge rows): read it as it is
            data += chunk
            if prefix is None:
                prefix = re.search(rb"<(\w+:)?sheetData\b", data)
                if prefix is None:
                    continue
                closing = b"</" + (prefix.group(1) or b"") + b"row>"
            end = _nth_end(data, closing, rows - found, searched)
            if isinstance(end, int):
                break
            found, searched = found + end[0], end[1]
    tag = prefix.group(1) or b""
    sheet_xml = bytes(data[:end]) + b"</" + tag + b"sheetData></" + tag + b"worksheet>"
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as target:
        for info in archive.infolist():
            target.writestr(info.filename,
                            sheet_xml if info.filename == part else archive.read(info))
    return copy.getvalue(), sheet_xml


def _nth_end(data: bytearray, closing: bytes, n: int, start: int) -> int | tuple[int, int]:
    """The offset just after the n-th ``closing`` tag in ``data`` from ``start``, if there
    are n; else how many there are and where to search on from."""
    end = start
    for count in range(n):
        position = data.find(closing, end)
        if position < 0:
            return count, end
        end = position + len(closing)
    return end


def _read_top(path: Path, name: str, top: tuple[bytes, bytes]) -> Sheet:
    workbook_bytes, sheet_xml = top
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(workbook_bytes))
    try:
        rows, numbers = _sheet_rows(workbook.get_sheet_by_name(name), path.name)
    finally:
        workbook.close()
    formula_cells: set[tuple[int, int]] = set()
    _add_formula_cells(formula_cells, sheet_xml, len(sheet_xml))
    percent_cells: set[tuple[int, int]] = set()
    styles = _percent_styles(path)
    if styles:
        _add_styled_cells(percent_cells, sheet_xml, styles)
    return Sheet(path, name, rows, numbers, formula_cells, percent_cells, complete=False)


def _sheet_rows(sheet: python_calamine.CalamineSheet, file_name: str) \
        -> tuple[list[list[object]], list[int]]:
    """calamine's rows start at row 1 but at the first column that holds data: put the empty
    columns back, so that column B is reported as column B."""
    empty_columns = sheet.start[1] if sheet.start else 0
    return _non_empty(sheet.iter_rows(), file_name, empty_columns=empty_columns)


def _non_empty(source: Iterator[list[object]], file_name: str, limit: int | None = None,
               *, empty_columns: int = 0) -> tuple[list[list[object]], list[int]]:
    rows: list[list[object]] = []
    numbers: list[int] = []
    # One object per distinct cell value: a catalogue repeats its institute, genus, country
    # and codes on every row, and 100,000 rows x 26 cells would otherwise be 2.6 million.
    shared: dict[object, object] = {}
    for number, row in enumerate(source, start=1):
        if not any(v not in ("", None) for v in row):
            continue
        row = [shared.setdefault(v, v) if isinstance(v, str) and len(v) < 64 else v
               for v in row]
        if len(rows) > MAX_ROWS:
            raise UnreadableFile("too_many_rows", file=file_name, limit=MAX_ROWS)
        if len(row) > MAX_COLUMNS:
            raise UnreadableFile("too_many_columns", file=file_name, row=number,
                                 columns=len(row), limit=MAX_COLUMNS)
        last = len(row)
        while last and row[last - 1] in ("", None):
            last -= 1
        rows.append([None] * empty_columns + row[:last] if empty_columns else row[:last])
        numbers.append(number)
        if len(rows) == limit:
            break
    return rows, numbers


_CELL_REFERENCE = re.compile(rb'<c r="([A-Z]+)(\d+)"')


def _formula_cells(path: Path, part: str) -> set[tuple[int, int]]:
    """Cells of the sheet in ``part`` that hold a formula (calamine gives only their cached
    values)."""
    cells: set[tuple[int, int]] = set()
    for data in _cell_chunks(path, part):
        _add_formula_cells(cells, data, len(data))
    return cells


def _cell_chunks(path: Path, part: str) -> Iterator[bytes]:
    """The sheet's XML in pieces of whole cells (each cut before a ``<c `` and the
    cut-off cell carried into the next piece), read a megabyte at a time so memory stays
    small however large the sheet."""
    with zipfile.ZipFile(path) as archive:
        tail = b""
        with archive.open(part) as stream:
            while chunk := stream.read(SCAN_CHUNK_BYTES):
                data = tail + chunk
                cut = data.rfind(b"<c ")
                if cut <= 0:
                    tail = data
                    continue
                yield data[:cut]
                tail = data[cut:]
        yield tail


def _column_number(letters: bytes) -> int:
    """1 for column A, 27 for AA."""
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column


def _add_formula_cells(cells: set[tuple[int, int]], data: bytes, end: int) -> None:
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
                cells.add((int(cell.group(2)), _column_number(cell.group(1))))
        position = data.find(b"<f", position + 2, end)


PERCENT_FORMAT_IDS = frozenset({9, 10})  # Excel's built-in "0%" and "0.00%"
_CELL_TAG = re.compile(rb"<c\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(r|s)="([^"]*)"')
_REFERENCE = re.compile(rb"([A-Z]+)(\d+)")


def _percent_styles(path: Path) -> frozenset[int]:
    """The cell style numbers (a cell's ``s``) whose number format shows a percentage."""
    try:
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml")
    except KeyError:
        return frozenset()
    root = _parse_xml(styles)  # no DTD: refused before parsing
    if root is None:
        return frozenset()
    percent_ids = set(PERCENT_FORMAT_IDS)
    for element in root.iter():
        if _local(element.tag) == "numFmt" and _is_percent_format(
                element.get("formatCode", "")):
            percent_ids.add(_number(element.get("numFmtId")))
    cell_formats = next((e for e in root.iter() if _local(e.tag) == "cellXfs"), None)
    if cell_formats is None:
        return frozenset()
    return frozenset(number for number, xf in enumerate(
        e for e in cell_formats if _local(e.tag) == "xf")
        if _number(xf.get("numFmtId")) in percent_ids)


def _number(text: str | None) -> int:
    """A style's number attribute; -1 when it is missing or no number."""
    return int(text) if text is not None and text.isascii() and text.isdigit() else -1


def _parse_xml(data: bytes) -> ElementTree.Element | None:
    """A small XML part (DOCTYPE refused before): None when it does not parse, in any of
    the ways a damaged part fails (bad syntax, an unknown encoding)."""
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, LookupError, ValueError, UnicodeError):
        return None


def _local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _is_percent_format(code: str) -> bool:
    """True when a number format multiplies by 100 and shows '%' ("0.0%", "#,##0.00 %"):
    a '%' outside quoted text, escapes and [colour] brackets."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def _styled_cells(path: Path, part: str, styles: frozenset[int]) -> set[tuple[int, int]]:
    """The cells of the sheet in ``part`` with one of ``styles``."""
    cells: set[tuple[int, int]] = set()
    for data in _cell_chunks(path, part):
        _add_styled_cells(cells, data, styles)
    return cells


def _add_styled_cells(cells: set[tuple[int, int]], data: bytes,
                      styles: frozenset[int]) -> None:
    for tag in _CELL_TAG.finditer(data):
        attributes = dict(_ATTRIBUTE.findall(tag.group(1)))
        style, reference = attributes.get(b"s"), attributes.get(b"r")
        if style is None or reference is None or not style.isdigit() \
                or int(style) not in styles:
            continue
        cell = _REFERENCE.fullmatch(reference)
        if cell is not None:
            cells.add((int(cell.group(2)), _column_number(cell.group(1))))


def _read_csv(path: Path, first_rows: int | None = None) -> Sheet:
    _check_is_file(path)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise UnreadableFile("csv_too_large", file=path.name, size=size,
                                 limit=MAX_CSV_BYTES, megabytes=size / 1024**2,
                                 limit_megabytes=MAX_CSV_BYTES // 1024**2)
        raw = path.read_bytes()
    except PermissionError:
        raise _locked(path) from None
    except OSError as error:
        raise UnreadableFile("os_error", file=path.name,
                             detail=str(error.strerror or error)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile("csv_not_utf8", file=path.name, byte=error.start + 1) from None
    del raw
    if "\x00" in text:
        raise UnreadableFile("not_text", file=path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    csv.field_size_limit(MAX_CELL_CHARS * 64)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows, numbers = _non_empty(reader, path.name, first_rows)
        complete = first_rows is None or next(reader, None) is None
    except csv.Error as error:
        raise UnreadableFile("bad_csv", file=path.name, detail=str(error)) from None
    return Sheet(path, path.stem, rows, numbers, complete=complete)
