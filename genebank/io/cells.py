"""Cells of the files Genebank writes: data never becomes a formula.

A name, remark or title is data. A spreadsheet runs a cell as a formula when it is stored as
one (an ``<f>`` element, which openpyxl writes for any text starting with "=") or, for a CSV
file, when its text starts with "=", "+", "-", "@", a tab or a carriage return (also after
leading spaces, which some programs trim on opening). So:

- workbooks hold every text as a string cell (:func:`put`), exactly as stored: a string cell
  is never run, so nothing is added to it (no apostrophe, no quote prefix, which other
  systems would store as part of the value or as a style nobody asked for);
- a CSV file for Genesys or EURISCO is exact too: those systems store what they read;
- a CSV file meant to be opened in a spreadsheet (the explicit "safe" choice) has no cell
  types, so a formula-like text gets a leading apostrophe (:func:`csv_escaped`), which
  Genebank's own import removes again (:func:`csv_unescaped`, only in a file that
  :func:`written_escaped` says was written so). Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported by the writers that use it, not at start
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula when it is typed or read from
    a CSV file (leading spaces trimmed or not)."""
    return text[:1] in FORMULA_START or text.lstrip(" ")[:1] in FORMULA_START


def csv_escaped(text: str) -> str:
    """``text`` as a CSV cell: an apostrophe before a formula-like text, and before a text
    that starts with an apostrophe already (so that the round trip is exact)."""
    return "'" + text if runs_as_formula(text) or text[:1] == "'" else text


def csv_unescaped(text: str) -> str | None:
    """The text :func:`csv_escaped` made ``text`` from, or None if it made no escape."""
    rest = text[1:]
    if text[:1] == "'" and rest and (runs_as_formula(rest) or rest[:1] == "'"):
        return rest
    return None


def written_escaped(texts: Iterable[object]) -> bool:
    """Whether a file whose text cells are ``texts`` may hold :func:`csv_escaped` escapes:
    only if no text in it would run as a formula unescaped. A file that holds one (an
    exact export, or anyone's sheet) is read exactly, so a stored "'=x" comes back as
    "'=x"; one written safe, or by Genebank before exact exports, has every such text
    escaped. Give only the text of columns that are text, not numbers written as text
    ("-12.5" is never escaped)."""
    return not any(type(text) is str and runs_as_formula(text) for text in texts)


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` to a cell of an openpyxl sheet; text is always a string cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error
    return cell


def put_row(sheet: Worksheet, row: int, values: list[object] | tuple[object, ...]) -> list[Cell]:
    """:func:`put` each of ``values`` into ``row``, from column A."""
    return [put(sheet, row, column, value) for column, value in enumerate(values, start=1)]
