"""Reading a sheet of a spreadsheet file safely and fast: .xlsx, .xlsm, .xls (Excel
97-2003), .ods (LibreOffice), and text tables (.csv, .tsv, .txt).

A workbook passes the container checks of its kind first (:mod:`genebank.io.
workbook_container` for .xlsx: zip and XML bombs, encryption, a sheet measured before
calamine builds its grid of cells; :mod:`genebank.io.xls_container` for .xls, the OLE
compound file and its BIFF records; :mod:`genebank.io.ods_container` for .ods, its zip and
content.xml); the same pass finds the cells that hold formulas and those shown as
percentages (:mod:`genebank.io.cell_marks` for .xlsx). A file is read as what its bytes
are, whatever its name says: an .xls that is really an .xlsx (or a text table) is read as
one, and one that is really a web page is refused as such. Text tables are read by
:mod:`genebank.io.text_sheet` (encoding and delimiter).

Workbooks are read by python-calamine (Rust), about ten times faster than openpyxl's
reader; it returns cached formula values, and the cells that hold formulas are found
separately so that they can be reported. calamine gives no number formats either, so the
cells shown as percentages (Excel shows 6.5 % and stores 0.065) are found from the
workbook's styles: a reader of percentages must not take 0.065.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from genebank import problems
from genebank.gc_pause import without_gc
from genebank.io import ods_container, sheet_extent, text_sheet, workbook_container, xls_container
from genebank.io.cell_marks import CellMarks, percent_styles
from genebank.io.unreadable import UnreadableFile, damaged, one_line
from genebank.io.workbook_container import SCAN_CHUNK_BYTES
from genebank.io.xls_container import OLE_MAGIC

__all__ = ["OLE_MAGIC", "SUFFIXES", "Sheet", "SheetInfo", "UnreadableFile", "column_letter",
           "is_text_file", "list_sheets", "read_sheet"]

MAX_ROWS = 500_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_CSV_BYTES = 256 * 1024**2  # ten times a 500,000-row MCPD file
MAX_COLUMNS = sheet_extent.MAX_COLUMN
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
# Every suffix Genebank reads, in the order a file dialog offers them.
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")


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
    encoding: str | None = None  # a text file's encoding (Python's name: utf-8, cp1251...)
    delimiter: str | None = None  # a text file's delimiter: ",", ";", "\t" or "|"

    def __len__(self) -> int:
        return len(self.rows)


def column_letter(column: int) -> str:
    """Spreadsheet column name of a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_text_file(path: Path) -> bool:
    """Whether ``path`` is read as a text table (.csv, .tsv, .txt): one sheet, an encoding
    and a delimiter."""
    return Path(path).suffix.lower() in text_sheet.TEXT_SUFFIXES


def list_sheets(path: Path, *, encoding: str | None = None) -> list[SheetInfo]:
    """The sheets of a workbook (a text file has one, named after the file; its encoding is
    checked, so that a file needing one is refused here with the candidates). An .xls or
    .ods is listed from its records or tags, at once: calamine would parse every cell."""
    path = Path(path)
    kind = _kind(path)
    if kind == "text":
        text_shape(path, encoding=encoding)
        return [SheetInfo(path.stem, True)]
    if kind == "xls":  # from the workbook's records: calamine would parse every sheet
        return [SheetInfo(s.name, s.visible)
                for s in xls_container.inspect_xls(path, measure=False) if s.worksheet]
    if kind == "ods":
        return [SheetInfo(name, visible) for name, visible in ods_container.list_ods(path)]
    workbook, _marks = _open_workbook(path, kind)
    try:
        return _sheet_infos(workbook)
    finally:
        workbook.close()


def text_shape(path: Path, *, encoding: str | None = None) -> tuple[str, str]:
    """The encoding and the delimiter a text file is read with; refused with the candidate
    encodings (``text_encoding_unknown``) when its bytes do not make the encoding certain."""
    decoded = text_sheet.decode(path, _text_bytes(path), encoding)
    return decoded.encoding, decoded.delimiter


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


def _kind(path: Path) -> str:
    """What the file is, from its bytes where its name may lie: "xlsx", "xls", "ods" or
    "text"; refused when it is a web page or XML saved as a workbook, or none of these."""
    _check_is_file(path)
    suffix = path.suffix.lower()
    if suffix in text_sheet.TEXT_SUFFIXES:
        return "text"
    if suffix not in WORKBOOK_SUFFIXES | {".xls", ".ods"}:
        raise UnreadableFile("not_a_spreadsheet", file=path.name)
    try:
        with path.open("rb") as handle:
            start = handle.read(1024)
    except PermissionError:
        raise _locked(path) from None
    except OSError as error:
        raise UnreadableFile("os_error", file=path.name,
                             detail=str(error.strerror or error)) from None
    if start.startswith(OLE_MAGIC):
        return "xls"
    if start.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            names = set()
        if "content.xml" in names and "xl/workbook.xml" not in names:
            return "ods"
        return "xlsx"
    if suffix == ".xls":
        head = start.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower().replace(
            b"\x00", b"")
        if b"urn:schemas-microsoft-com:office:spreadsheet" in start.replace(b"\x00", b""):
            raise UnreadableFile("xls_is_xml", file=path.name)
        if head.startswith(b"<") and (b"<html" in head or b"<table" in head
                                       or b"<!doctype html" in head):
            raise UnreadableFile("xls_is_html", file=path.name)
        if head.startswith(b"<"):
            raise UnreadableFile("xls_is_xml", file=path.name)
        return "text"  # a tab-separated export named .xls: read as the text it is
    return "ods" if suffix == ".ods" else "xlsx"


problems.register({
    "xls_is_html": "'{file}' is a web page (HTML) named .xls, not an Excel workbook, as some "
                   "systems export 'Excel' files; open it in Excel or LibreOffice and save "
                   "it as .xlsx, or export it again as CSV",
    "xls_is_xml": "'{file}' is an XML file (such as Excel 2003 XML) named .xls, not an "
                  "Excel workbook; open it in Excel or LibreOffice and save it as .xlsx",
})

_Marks = dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]]]]
_SUFFIXES_OF = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}


def _open_workbook(path: Path, kind: str, sheet: str | None = None) \
        -> tuple[python_calamine.CalamineWorkbook, _Marks]:
    """calamine's workbook, once the container of its kind has passed; for .xls and .ods,
    whose every sheet is measured before calamine opens them, the formula and percentage
    cells by sheet name (for an .ods, of ``sheet`` only, or its first sheet)."""
    marks: _Marks = {}
    try:
        if kind == "xls":
            for found in xls_container.inspect_xls(path):
                marks.setdefault(found.name, (found.formulas, found.percents))
        elif kind == "ods":
            for found in ods_container.inspect_ods(path, sheet):
                if found.marked:
                    marks.setdefault(found.name, (found.formulas, found.percents))
        else:
            workbook_container.check_workbook_container(path)
        if path.suffix.lower() in _SUFFIXES_OF[kind]:
            return python_calamine.CalamineWorkbook.from_path(str(path)), marks
        with path.open("rb") as handle:  # calamine goes by the name, else by the bytes
            return python_calamine.CalamineWorkbook.from_filelike(handle), marks
    except PermissionError:
        raise _locked(path) from None
    except python_calamine.PasswordError:
        raise UnreadableFile("encrypted", file=path.name) from None
    except OSError as error:
        raise UnreadableFile("os_error", file=path.name,
                             detail=str(error.strerror or error)) from None
    except _CALAMINE_ERRORS as error:
        raise damaged(path, error) from None
    except BaseException as error:
        if _is_panic(error):
            raise damaged(path, error) from None
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
def read_sheet(path: Path, sheet: str | None = None, *, first_rows: int | None = None,
               encoding: str | None = None) -> Sheet:
    """All non-empty rows of ``sheet`` (the first visible one by default).

    With ``first_rows``, only about that many rows from the top, at once even for a
    100,000-row workbook (for a preview while the whole sheet is read); ``Sheet.complete``
    says whether that was all of it. Whatever the file holds, the result is a sheet or an
    :class:`UnreadableFile` naming the file (and sheet): the sheet's cells are measured
    before calamine reads them. An .xls file is read whole (calamine parses every sheet
    when it opens one: 65,536 rows at most), whatever ``first_rows`` says; an .ods's first
    rows are read from a copy holding only them.

    ``encoding`` is a text file's, for one that was refused with the candidates
    (``text_encoding_unknown``); a text file's encoding and delimiter are on the sheet.
    """
    path = Path(path)
    kind = _kind(path)
    if kind == "text":
        return _read_text(path, first_rows, encoding)
    if kind == "ods" and first_rows is not None:
        top = _top_of_ods(path, sheet, first_rows)
        if top is not None:
            return top
    workbook, marked = _open_workbook(path, kind, sheet)
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
        if kind != "xlsx":
            if kind == "ods" and sheet is None and name not in marked:
                workbook.close()  # the first visible sheet is not the first: mark its cells
                workbook, marked = _open_workbook(path, kind, name)
            rows, numbers = _sheet_rows(workbook.get_sheet_by_name(name), path.name)
            formulas, percents = marked.get(name, (set(), set()))
            return Sheet(path, name, rows, numbers, formulas, percents)
        with zipfile.ZipFile(path) as archive:
            if first_rows is not None:
                parts = workbook_container.sheet_parts(archive, name)
                top = _top_of_workbook(archive, parts[0], first_rows) \
                    if len(parts) == 1 else None
                if top is not None:
                    workbook_container.measure_piece(path, name, top[1])
                    return _read_top(path, name, top)
            # one pass over the sheet's XML measures it and finds formulas and percentages
            marks = CellMarks(percent_styles(path))
            workbook_container.measure_sheet(path, archive, name, marks)
        rows, numbers = _sheet_rows(workbook.get_sheet_by_name(name), path.name)
    except PermissionError:
        raise _locked(path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise damaged(path, error) from None
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
    return Sheet(path, name, rows, numbers, marks.formulas, marks.percents)


def _top_of_ods(path: Path, sheet: str | None, first_rows: int) -> Sheet | None:
    """The first rows of an .ods's sheet (the first visible one by default), from a copy
    holding only them; None when the sheet is no longer, or the file is to be refused by
    the whole read, with its reason."""
    try:
        if sheet is None:
            sheet = next((name for name, visible in
                          ods_container.list_ods(path, first_visible=True) if visible), None)
            if sheet is None:
                return None
        top = ods_container.top_of_ods(path, sheet, first_rows)
        if top is None:
            return None
        copy, measured = top
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(copy))
        try:
            rows, numbers = _sheet_rows(workbook.get_sheet_by_name(sheet), path.name)
        finally:
            workbook.close()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, *_CALAMINE_ERRORS):
        return None  # the whole read says what is wrong
    except BaseException as error:
        if _is_panic(error):
            return None
        raise
    return Sheet(path, sheet, rows, numbers, measured.formulas, measured.percents,
                 complete=False)


def _sheet_damaged(path: Path, sheet: str, error: BaseException) -> UnreadableFile:
    return UnreadableFile("sheet_damaged", file=path.name, sheet=sheet,
                          detail=one_line(error))


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
    marks = CellMarks(percent_styles(path))
    marks.feed(sheet_xml)
    marks.finish()
    return Sheet(path, name, rows, numbers, marks.formulas, marks.percents, complete=False)


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


def _text_bytes(path: Path) -> bytes:
    _check_is_file(path)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise UnreadableFile("csv_too_large", file=path.name, size=size,
                                 limit=MAX_CSV_BYTES, megabytes=size / 1024**2,
                                 limit_megabytes=MAX_CSV_BYTES // 1024**2)
        return path.read_bytes()
    except PermissionError:
        raise _locked(path) from None
    except OSError as error:
        raise UnreadableFile("os_error", file=path.name,
                             detail=str(error.strerror or error)) from None


def _read_text(path: Path, first_rows: int | None = None, encoding: str | None = None) \
        -> Sheet:
    decoded = text_sheet.decode(path, _text_bytes(path), encoding)
    csv.field_size_limit(MAX_CELL_CHARS * 64)
    try:
        reader = csv.reader(io.StringIO(decoded.text, newline=""),
                            delimiter=decoded.delimiter)
        rows, numbers = _non_empty(reader, path.name, first_rows)
        complete = first_rows is None or next(reader, None) is None
    except csv.Error as error:
        raise UnreadableFile("bad_csv", file=path.name, detail=str(error)) from None
    return Sheet(path, path.stem, rows, numbers, complete=complete,
                 encoding=decoded.encoding, delimiter=decoded.delimiter)
