"""What a passport import says once for a column or the sheet, not again on every row.

A file repeats a shape on every row (7 to 14 decimals in every coordinate, an empty column
FAO reporting uses, a required column it lacks): said once, with how many rows, it is a
warning a person can act on; said on every row it is noise that hides the rest.
"""

from __future__ import annotations

import re

from genebank import mcpd
from genebank.io.cell_judging import Column, as_text, short
from genebank.io.import_preview import IDENTITY, ImportPreview, Place, RowStatus
from genebank.io.sheet_problem import SheetProblem
from genebank.mcpd import Severity

# Decimal degrees are kept to 6 decimals (about 0.1 m: genebank.mcpd.values); more in a cell
# is rounded, which the house rule says aloud. A text's decimals, not a DMS text's (44°41'51"
# is converted, said per cell as "read as").
_DECIMAL_COORDINATES = ("DECLATITUDE", "DECLONGITUDE")
_MANY_DECIMALS = re.compile(r"^\s*[-+−]?\d*[.,]\d{7,}\s*[NSEW]?\s*$", re.IGNORECASE)


def say_rounded_coordinates(preview: ImportPreview, columns: list[Column],
                            data_rows: list[list[object]]) -> None:
    """A decimal coordinate column whose cells have more than 6 decimals is said once for
    the sheet (``coordinate_rounded``: how many rows, and one value as stored), not on every
    row: Germinate and vavilov3 write 7 to 14 decimals on every row."""
    for column in columns:
        if column.code not in _DECIMAL_COORDINATES:
            continue
        rounded = {key: canonical for key, (canonical, _, _) in column.judged.items()
                   if canonical is not None and _more_than_six(key)}
        if not rounded:
            continue
        count = 0
        for cells in data_rows:
            value = cells[column.index] if column.index < len(cells) else None
            if value is not None and (value if type(value) is str
                                      else (type(value), value)) in rounded:
                count += 1
        key, stored = next(iter(rounded.items()))
        written = key if isinstance(key, str) else key[1]
        preview.sheet_problems.append(SheetProblem.said(
            *preview.place, preview.header_row, column.letter, column.code, Severity.WARNING,
            "coordinate_rounded", column=column.letter, field=column.code, count=count,
            value=short(str(written).strip()), rounded=as_text(stored)))


def _more_than_six(key: object) -> bool:
    """Whether a judged cell (text, or (type, number)) had more than 6 decimals."""
    if isinstance(key, str):
        return _MANY_DECIMALS.match(key) is not None
    number = key[1] if isinstance(key, tuple) else key
    return isinstance(number, float) and round(number, 6) != number


def say_empty_columns(preview: ImportPreview, columns: list[Column]) -> None:
    """A column FAO reporting uses (``mcpd.RECOMMENDED``) that the file has but leaves
    empty throughout is said once for the sheet (``fao_column_empty``), not on every row:
    its rows' "empty" warnings are dropped, and the column is no place to locate them in
    when the rows are judged again (``ImportPreview.empty_columns``)."""
    empty = [column for column in columns if column.code in mcpd.RECOMMENDED
             and all(canonical is None and error is None
                     for canonical, error, _ in column.judged.values())]
    if not empty:
        return
    for column in empty:
        preview.sheet_problems.append(SheetProblem.said(
            *preview.place, preview.header_row, column.letter, column.code, Severity.WARNING,
            "fao_column_empty", column=column.letter, field=column.code,
            label=mcpd.BY_CODE[column.code].label))
    preview.empty_columns = frozenset(column.code for column in empty)
    codes = {code: mcpd.EMPTY_CODES[code] for code in preview.empty_columns}
    for row in preview.rows:
        if any(codes.get(p.field) == p.code for p in row.problems):
            kept = [p for p in row.problems if codes.get(p.field) != p.code]
            row.set_record_problems([p for p in kept if p not in row.cell_problems])


def note_absent_recommended(preview: ImportPreview) -> None:
    """Warn about the recommended columns the file lacks only when the file creates
    accessions, naming how many: an update keeps the stored values, so a file of existing
    accessions lacks nothing. Called here (every row judged as new) and again by
    ``passport_existing.mark_existing`` once the existing rows are known, so the wizard and
    the CLI say the same. ``sheet_problems`` is replaced, never changed in place: a copy of
    the preview (``judged_again``) shares the list."""
    kept = [p for p in preview.sheet_problems if p is not preview.absent_note]
    present = preview.fields
    absent = [code for code in mcpd.RECOMMENDED if code not in present]
    new = sum(1 for row in preview.rows
              if row.existing_id is None and row.status is not RowStatus.ERROR)
    note = None
    if absent and new:
        note = SheetProblem.said(*preview.place, preview.header_row, None, None,
                                 Severity.WARNING, "new_lack_recommended",
                                 codes=", ".join(absent), count=new)
        kept.append(note)
    preview.sheet_problems, preview.absent_note = kept, note


def column_problems(place: Place, header_row: int, present: set[str]) -> list[SheetProblem]:
    """What the file's columns allow: INSTCODE and ACCENUMB find an accession, so a file
    without them cannot be imported; without a column for another required descriptor the
    file can still update accessions that exist (each new accession is refused by row)."""
    problems = []
    for code in IDENTITY:
        if code not in present:
            problems.append(SheetProblem.said(*place, header_row, None, code, Severity.ERROR,
                                              "no_identity_column",
                                              label=mcpd.BY_CODE[code].label.lower(),
                                              code=code))
    if problems:
        return problems
    if not present - set(IDENTITY):
        return [SheetProblem.said(*place, header_row, None, None, Severity.ERROR,
                                  "nothing_but_identity")]
    absent = [code for code in mcpd.REQUIRED if code not in present]
    if absent:
        problems.append(SheetProblem.said(*place, header_row, None, absent[0],
                                          Severity.WARNING, "update_only_columns",
                                          codes=", ".join(absent)))
    return problems


