"""What a passport import says once for a column or the sheet, not again on every row.

A file repeats a shape on every row (7 to 14 decimals in every coordinate, an empty column
FAO reporting uses, a name beside its code, a required column it lacks): said once, with
how many rows and the first of them, it is a warning a person can act on; said on every
row it is noise that hides the rest.

One mechanism says them all: each note is a sheet problem located at the heading row (and
the column), with how many rows (and which, ``rows_text``); every note is put in the sheet's
problems by :func:`replace_notes`, which swaps that kind of note for the new count and never
changes the list in place (a copy of the preview shares it), so a note counted from the
rows' judgement is recounted whenever the rows are judged again
(``passport_existing.mark_existing``: absent recommended columns, the missing GENUS
column, repeated warnings, and ``own_institutes.note_not_held``). What the rows keep is
decided by the kind of note:

- a value rounded (``coordinate_rounded``), R's NA read as empty
  (``r_missing_read_empty``): nothing on the rows, there is nothing to correct in them;
- a column empty on every row (``fao_column_empty``): the rows' "empty" warnings are
  dropped, the column is the one place to fill;
- a warning repeated on :data:`MANY` rows or more (:data:`REPEATED`): the rows keep
  theirs. Which rows is what a person correcting the file row by row needs, and the
  problem report's PROBLEMS column is where they look; a row's status stays what its
  problems make it;
- a required column the file lacks (``update_only_columns``): each new row keeps its
  error, which refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from genebank import mcpd
from genebank.io.cell_judging import R_MISSING, Column, as_text, reads_r_missing, short
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
    notes = []
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
        notes.append(SheetProblem.said(
            *preview.place, preview.header_row, column.letter, column.code, Severity.WARNING,
            "coordinate_rounded", column=column.letter, field=column.code, count=count,
            value=short(str(written).strip()), rounded=as_text(stored)))
    replace_notes(preview, ("coordinate_rounded",), notes)


def say_r_missing(preview: ImportPreview, columns: list[Column],
                  data_rows: list[list[object]], row_numbers: Sequence[int]) -> None:
    """A column of numbers, dates, codes or coordinates holding R's NA (its mark for a
    missing value, ``cell_judging.R_MISSING``) is said once (``r_missing_read_empty``: how
    many cells, which rows): those cells are read as empty, which rows say no more of (an
    empty cell is nothing to correct)."""
    notes = []
    for column in columns:
        if not reads_r_missing(column.code) or not any(
                isinstance(key, str) and key.strip() == R_MISSING for key in column.judged):
            continue
        rows = [number for number, cells in zip(row_numbers, data_rows, strict=True)
                if column.index < len(cells) and isinstance(cells[column.index], str)
                and cells[column.index].strip() == R_MISSING]
        notes.append(SheetProblem.said(
            *preview.place, preview.header_row, column.letter, column.code, Severity.WARNING,
            "r_missing_read_empty", column=column.letter, field=column.code,
            count=len(rows), rows=rows_text(rows)))
    replace_notes(preview, ("r_missing_read_empty",), notes)


_DMS_TWINS = {"LATITUDE": "DECLATITUDE", "LONGITUDE": "DECLONGITUDE"}


def say_decimal_in_dms(preview: ImportPreview, columns: list[Column],
                       data_rows: list[list[object]], row_numbers: Sequence[int]) -> None:
    """A LATITUDE or LONGITUDE column whose every value is decimal degrees (vavilov3's
    39.6275, -5.41555555555556) is said once (``dms_column_decimal``), naming the decimal
    field to match it to: the rows keep their refusal (``dms_looks_decimal``), which the
    column's matching, not the rows, corrects."""
    notes = []
    for column in columns:
        if column.code not in _DMS_TWINS or not column.judged or not all(
                error is not None and getattr(error, "code", None) == "dms_looks_decimal"
                for _, error, _ in column.judged.values()):
            continue
        rows = [number for number, cells in zip(row_numbers, data_rows, strict=True)
                if column.index < len(cells) and cells[column.index] not in (None, "")]
        notes.append(SheetProblem.said(
            *preview.place, preview.header_row, column.letter, column.code, Severity.WARNING,
            "dms_column_decimal", column=column.letter, field=column.code,
            decimal_field=_DMS_TWINS[column.code], count=len(rows), rows=rows_text(rows)))
    replace_notes(preview, ("dms_column_decimal",), notes)


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
    replace_notes(preview, ("fao_column_empty",), [SheetProblem.said(
        *preview.place, preview.header_row, column.letter, column.code, Severity.WARNING,
        "fao_column_empty", column=column.letter, field=column.code,
        label=mcpd.BY_CODE[column.code].label) for column in empty])
    if not empty:
        return
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
    the CLI say the same."""
    present = preview.fields
    absent = [code for code in mcpd.RECOMMENDED if code not in present]
    new = sum(1 for row in preview.rows
              if row.existing_id is None and row.status is not RowStatus.ERROR)
    replace_notes(preview, ("new_lack_recommended",), [SheetProblem.said(
        *preview.place, preview.header_row, None, None, Severity.WARNING,
        "new_lack_recommended", codes=", ".join(absent), count=new)] if absent and new else [])


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
    return problems


def replace_notes(preview: ImportPreview, codes: Iterable[str],
                  notes: Iterable[SheetProblem]) -> None:
    """``preview``'s sheet problems with the notes of ``codes`` replaced by ``notes``, in a
    new list: a copy of the preview (``judged_again``) shares the old one."""
    replaced = frozenset(codes)
    preview.sheet_problems = [*(p for p in preview.sheet_problems if p.code not in replaced),
                              *notes]


def note_update_only(preview: ImportPreview) -> None:
    """A required descriptor (GENUS) the file has no column for, said once for the sheet
    with what it means for its rows: how many rows for new accessions are refused (each
    keeps its error, so its status stays right) and how many for accessions that exist can
    still update them. Recounted when the existing accessions are known; none when every
    row is an accession that exists."""
    present = preview.fields
    absent = [code for code in mcpd.REQUIRED if code not in present]
    notes = []
    new = [row.row for row in preview.rows if row.existing_id is None]
    if absent and new and not any(p.error for p in preview.sheet_problems):
        existing = sum(1 for row in preview.rows if row.existing_id is not None
                       and row.status is not RowStatus.ERROR)
        notes.append(SheetProblem.said(*preview.place, preview.header_row, None, absent[0],
                                       Severity.WARNING, "update_only_columns",
                                       codes=", ".join(absent), new=len(new),
                                       rows=rows_text(new), existing=existing))
    replace_notes(preview, ("update_only_columns",), notes)


# Row warnings that say one thing about a column (a name beside its code, an empty cell FAO
# reporting uses, collecting-site data of bred material): on MANY rows or more, said once
# for the column too, by the note's code; fewer stay on their rows alone.
REPEATED = {
    "name_with_code": "name_with_code_rows",
    "collecting_site_for_bred": "collecting_site_for_bred_rows",
    "recommended_empty": "recommended_empty_rows",
    "storage_empty_sdg": "storage_empty_rows",
}
MANY = 10
# Every note said once for a column or the sheet in place of a row's: what the command line
# prints of the sheet's warnings.
NOTES = frozenset({*REPEATED.values(), "fao_column_empty", "coordinate_rounded",
                   "update_only_columns", "r_missing_read_empty", "dms_column_decimal"})


def say_repeated(preview: ImportPreview) -> None:
    """Each warning of :data:`REPEATED` that stands on :data:`MANY` rows or more for one
    field, of the rows that would be imported (a refused row's warnings change nothing),
    said once for its column with how many rows and the first of them; the rows keep
    theirs (see the module's docstring). Recounted whenever the rows are judged."""
    found: dict[tuple[str | None, str], list[SheetProblem]] = {}
    for row in preview.rows:
        if row.status is RowStatus.ERROR:  # refused: nothing of it is imported
            continue
        for problem in row.problems:
            if problem.code in REPEATED:
                found.setdefault((problem.field, problem.code), []).append(problem)
    notes = []
    for (field, code), problems in found.items():
        if len(problems) < MANY or field is None:
            continue
        first = problems[0]
        notes.append(SheetProblem.said(
            *preview.place, preview.header_row, first.column, field, Severity.WARNING,
            REPEATED[code], field=field, count=len(problems),
            rows=rows_text([p.row for p in problems if p.row is not None]),
            **_repeated_params(code, field, first)))
    replace_notes(preview, REPEATED.values(), notes)


def _repeated_params(code: str, field: str, first: SheetProblem) -> dict[str, object]:
    if code == "name_with_code":
        return {"code": str(first.params["code_field"])}
    return {"label": mcpd.BY_CODE[field].label}


def rows_text(numbers: Sequence[int], *, shown: int = 4) -> str:
    """Row numbers as a person reads them: runs joined ("2–2011", "3, 5–9, 12"), the first
    ``shown`` runs and "…" after them."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs[:shown])
    return text + (", …" if len(runs) > shown else "")


