"""Cells of the files Genebank writes: data never becomes a formula.

A name, remark or title is data. A spreadsheet runs a cell as a formula when it is stored as
one (an ``<f>`` element, which openpyxl writes for any text starting with "=") or, for a CSV
file, when its text starts with "=", "+", "-", "@", a tab or a carriage return (also after
leading spaces, which some programs trim on opening). So:

- workbooks hold every text as a string cell (:func:`put`), exactly as stored; a text that
  would run as a formula if retyped also gets Excel's quote prefix, the style Excel itself
  gives a cell typed with a leading apostrophe, so editing the cell keeps it text;
- a CSV cell has no type, so such a text gets a leading apostrophe (:func:`csv_escaped`),
  which Genebank's own import removes again (:func:`csv_unescaped`). Numbers stay numbers.
"""

from __future__ import annotations

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


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` to a cell of an openpyxl sheet; text is always a string cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error
        if runs_as_formula(value):
            cell.quotePrefix = True
    return cell


def put_row(sheet: Worksheet, row: int, values: list[object] | tuple[object, ...]) -> list[Cell]:
    """:func:`put` each of ``values`` into ``row``, from column A."""
    return [put(sheet, row, column, value) for column, value in enumerate(values, start=1)]
