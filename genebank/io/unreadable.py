"""What Genebank says when a spreadsheet file cannot be read: one coded error type, used by
the container checks (:mod:`genebank.io.workbook_container`) and the reader
(:mod:`genebank.io.spreadsheet`) alike."""

from __future__ import annotations

from pathlib import Path

from genebank import problems
from genebank.io.sheet_extent import SheetRefused
from genebank.problems import Coded


class UnreadableFile(Coded):
    """The file cannot be read as a spreadsheet: ``code`` (a template registered below) and
    ``params``, naming the file (and the sheet where it applies); ``str(error)`` is the
    English, for the CLI."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=params)


problems.register({
    "not_a_workbook": "'{file}' is not an Excel workbook (.xlsx, .xls) or LibreOffice "
                      "spreadsheet (.ods), or it is damaged",
    "duplicate_part": "'{file}' holds the part {part} twice; the file is damaged or was made "
                      "to mislead a reader",
    "zip_bomb": "'{file}' expands to far more data than a spreadsheet holds (a 'zip bomb'); "
                "it was not opened",
    "file_doctype": "'{file}' contains an XML document type declaration ({part}), which "
                    "spreadsheets never need; it was not opened",
    "damaged": "'{file}' is damaged or incomplete (not a valid workbook): {detail}",
    "missing": "'{file}' does not exist",
    "folder": "'{file}' is a folder, not a file; choose the spreadsheet inside it",
    "not_a_file": "'{file}' is not a regular file",
    "not_a_spreadsheet": "'{file}' is not a spreadsheet Genebank reads (.xlsx, .xlsm, .xls, "
                         ".ods, .csv, .tsv or .txt)",
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
    "workbook_too_many_cells": "the sheets of '{file}' hold {cells:,} cells in all, more "
                               "than the {limit:,} Genebank reads at once; delete the sheets "
                               "you do not import, or split the workbook",
    "workbook_too_large": "'{file}' is {megabytes:,.0f} MB, more than the "
                          "{limit_megabytes:,} MB of Excel 97-2003 workbook Genebank reads "
                          "at once; save it as .xlsx",
    "xls_too_old": "'{file}' is an Excel workbook older than Excel 5 (1993); open it in "
                   "Excel or LibreOffice and save it as .xlsx",
    "csv_too_large": "'{file}' is {megabytes:,.0f} MB, more than the {limit_megabytes:,} MB "
                     "of text Genebank reads at once; split it into smaller files",
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


def sheet_refused(path: Path, sheet: str, refusal: SheetRefused) -> UnreadableFile:
    params = {"file": path.name, "sheet": sheet, **refusal.params}
    return UnreadableFile(_SHEET_CODES[refusal.code], **params)


def damaged(path: Path, error: BaseException | str) -> UnreadableFile:
    return UnreadableFile("damaged", file=path.name, detail=one_line(error))


def one_line(error: BaseException | str) -> str:
    """The first line of an error's text, at most 200 characters (a Rust panic's message
    can run to pages)."""
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]
