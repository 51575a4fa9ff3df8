"""Participant lists as organisers really keep them: the cells of each person, read.

This module only reads the sheet (no database): the columns matched from their headings
(:mod:`genebank.io.headings`, title rows above the headings skipped), each cell as text
(a phone typed as a number without its '.0'), a split first and last name joined into the
full name. Checking the people by the participant form's rules and against those already
recorded, and writing them, is :mod:`genebank.training.participant_import`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from genebank.io import headings
from genebank.io.spreadsheet import Sheet, column_letter

NAME_PARTS = ("first_name", "last_name")


@dataclass(frozen=True, slots=True)
class PersonCells:
    """One row of the list: ``values`` each field's text (``full_name`` joined from a first
    and a last name when the sheet splits them), by field code."""

    row: int  # the spreadsheet's row number
    values: dict[str, str]
    # A first/last name that the row's full name does not hold: never dropped, said by the
    # check as a problem on the row (which of the two is right, only the user knows).
    disagreeing: dict[str, str] = field(default_factory=dict)


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
    rows = [PersonCells(number, *_values(cells, mapping))
            for cells, number in zip(sheet.rows[header_index + 1:],
                                     sheet.row_numbers[header_index + 1:], strict=True)]
    header_row = sheet.row_numbers[header_index] if sheet.rows else 1
    return PeopleSheet(sheet.file.name, sheet.name, header_row, rows, columns)


def _values(cells: list[object],
            mapping: dict[int, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The row's text by field, the name's parts joined into the full name; and the parts
    that a full name also on the row does not hold (see :attr:`PersonCells.disagreeing`)."""
    text = {name: cell_text(cells[index] if index < len(cells) else None)
            for index, name in mapping.items()}
    parts = {part: text.pop(part, "") for part in NAME_PARTS}
    parts = {part: value for part, value in parts.items() if value}
    if not text.get("full_name"):
        text["full_name"] = " ".join(parts[p] for p in NAME_PARTS if p in parts)
        return text, {}
    words = headings.normalise(text["full_name"]).split()
    return text, {part: value for part, value in parts.items()
                  if not _holds(words, headings.normalise(value).split())}


def _holds(words: list[str], part: list[str]) -> bool:
    """Whether the name's ``words`` hold ``part``'s words, in order and side by side."""
    return any(words[start:start + len(part)] == part
               for start in range(len(words) - len(part) + 1))


def cell_text(value: object) -> str:
    """A cell as text; a whole number cell (a phone number typed as a number) without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
