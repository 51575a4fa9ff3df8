"""Participant lists as organisers really keep them: the cells of each person, read.

This module only reads the sheet (no database): the columns matched from their headings
(:mod:`genebank.io.headings`, title rows above the headings skipped), each cell as text
(a phone typed as a number without its '.0'), a split first and last name joined into the
full name. Checking the people by the participant form's rules and against those already
recorded, and writing them, is :mod:`genebank.training.participant_import`.
"""

from __future__ import annotations

from dataclasses import dataclass

from genebank.io import headings
from genebank.io.spreadsheet import Sheet, column_letter

NAME_PARTS = ("first_name", "last_name")


@dataclass(frozen=True, slots=True)
class PersonCells:
    """One row of the list: ``values`` each field's text (``full_name`` joined from a first
    and a last name when the sheet splits them), by field code."""

    row: int  # the spreadsheet's row number
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class PeopleSheet:
    """The people of one sheet, with where each field's cells are: ``columns`` field code ->
    column letter(s) (the name's two letters "B, C" when split)."""

    file: str
    sheet: str
    header_row: int
    rows: list[PersonCells]
    columns: dict[str, str]


def read_people(sheet: Sheet, mapping: dict[int, str], *,
                header_index: int | None = None) -> PeopleSheet:
    """Every row below the headings (by default the row that names most fields: title rows
    above it are skipped) as text, by field."""
    if header_index is None:
        header_index = headings.find_header_row(sheet.rows, headings.PARTICIPANTS)
    columns = {name: column_letter(index + 1) for index, name in mapping.items()}
    if "full_name" not in columns and any(part in columns for part in NAME_PARTS):
        columns["full_name"] = ", ".join(sorted(columns[part] for part in NAME_PARTS
                                                if part in columns))
    rows = [PersonCells(number, _values(cells, mapping))
            for cells, number in zip(sheet.rows[header_index + 1:],
                                     sheet.row_numbers[header_index + 1:], strict=True)]
    header_row = sheet.row_numbers[header_index] if sheet.rows else 1
    return PeopleSheet(sheet.file.name, sheet.name, header_row, rows, columns)


def _values(cells: list[object], mapping: dict[int, str]) -> dict[str, str]:
    text = {name: cell_text(cells[index] if index < len(cells) else None)
            for index, name in mapping.items()}
    if not text.get("full_name"):
        text["full_name"] = " ".join(p for p in (text.get("first_name", ""),
                                                 text.get("last_name", "")) if p)
    for part in NAME_PARTS:
        text.pop(part, None)
    return text


def cell_text(value: object) -> str:
    """A cell as text; a whole number cell (a phone number typed as a number) without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
