"""What Genebank says when a spreadsheet file cannot be read: one coded error type, used by
the container checks (:mod:`genebank.io.workbook_container`) and the reader
(:mod:`genebank.io.spreadsheet`) alike."""

from __future__ import annotations

from pathlib import Path

from genebank import problems
from genebank.io.sheet_extent import SheetRefused
from genebank.problems import Coded


class UnreadableFile(Coded):
    """The file cannot be read as a spreadsheet; ``str(error)`` says why, for the user,
    naming the file (and the sheet where it applies). ``code`` and ``params`` say the same
    for the GUI to word."""

    def __init__(self, message: str, *, code: str = "unreadable", **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(message)


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


def sheet_refused(path: Path, sheet: str, refusal: SheetRefused) -> UnreadableFile:
    params = {"file": path.name, "sheet": sheet, **refusal.params}
    return UnreadableFile(SHEET_REFUSALS[refusal.code].format(**params), code=refusal.code,
                          **params)


def damaged(path: Path, error: BaseException | str) -> UnreadableFile:
    return UnreadableFile(f"'{path.name}' is damaged or incomplete (not a valid .xlsx): "
                          f"{one_line(error)}", code="damaged", file=path.name,
                          detail=one_line(error))


def one_line(error: BaseException | str) -> str:
    """The first line of an error's text, at most 200 characters (a Rust panic's message
    can run to pages)."""
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]
