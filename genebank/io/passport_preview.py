"""Phase 1 of a passport import: read every row and judge it, writing nothing.

The result, an :class:`ImportPreview`, says for each spreadsheet row what would be imported
and every problem with its sheet, row, column and field, by the same rules as the form
(``genebank.mcpd.check_passport``). Rows are judged here as new accessions;
``genebank.passport.passport_existing.mark_existing`` then finds the rows whose accession
exists and judges those again on the record an update would store (the stored values
overlaid by the file's). Phase 2 (``genebank.passport.passport_import``) applies a preview in
one transaction.

The preview's types are in :mod:`genebank.io.import_preview`, the judging of one cell in
:mod:`genebank.io.cell_judging`, what is said once for a column in
:mod:`genebank.io.column_notes`; the names callers use are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping

from genebank import mcpd
from genebank.gc_pause import without_gc
from genebank.io import (
    genesys_rows,
    headings,
    passport_messages,  # noqa: F401 (registers the codes said here)
)
from genebank.io.cell_judging import Column, Said, as_text, judge_cell
from genebank.io.cells import written_escaped
from genebank.io.column_notes import (
    column_problems,
    note_absent_recommended,
    note_update_only,
    say_decimal_in_dms,
    say_empty_columns,
    say_r_missing,
    say_repeated,
    say_rounded_coordinates,
)
from genebank.io.import_preview import (
    IDENTITY,
    NEVER_CLEARED,
    FieldChange,
    ImportPreview,
    Place,
    PreviewRow,
    RowStatus,
)
from genebank.io.passport_export import NUMERIC_KINDS
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.mcpd import Severity
from genebank.mcpd.validation import TIDIED, said_stored_as_former
from genebank.progress import NoProgress, Progress, check

# The names callers (the import wizard among them) import from here.
__all__ = [
    "IDENTITY", "NEVER_CLEARED", "FieldChange", "ImportPreview", "Place", "PreviewRow",
    "RowStatus", "Severity", "as_text", "locate_record_problems",
    "note_absent_recommended", "preview_passports", "say_empty_columns",
    "say_rounded_coordinates",
]


@without_gc
def preview_passports(sheet: Sheet, *, mapping: Mapping[int, str] | None = None,
                      header_index: int | None = None, today: dt.date | None = None,
                      dates: str | None = None,
                      progress: Progress | None = None) -> ImportPreview:
    """Judge every data row of ``sheet``; ``mapping`` is column index -> MCPD code;
    ``dates`` how the file writes 12/03/1998 ("dmy" or "mdy"; None: only unambiguous
    dates are read, see ``mcpd.values.parse_date``)."""
    progress = progress or NoProgress()
    problems: list[SheetProblem] = []
    place = Place(sheet.file.name, sheet.name)
    if not sheet.rows:
        problems.append(SheetProblem.said(*place, None, None, None, Severity.ERROR,
                                          "sheet_empty"))
        return ImportPreview(sheet.file.name, sheet.name, 0, {}, [], [], problems)
    if header_index is None:
        header_index = headings.find_header_row(sheet.rows, headings.PASSPORT)
    header_row = sheet.row_numbers[header_index]
    headers = ["" if h is None else str(h).strip() for h in sheet.rows[header_index]]
    chosen = mapping is not None
    mapping = dict(mapping) if mapping is not None else \
        headings.suggest_mapping(headers, headings.PASSPORT)
    # A mapping chosen in the wizard is kept as chosen; one suggested here also takes the
    # Genesys columns (fullTaxa, historic, available) by their headings.
    genesys = genesys_rows.genesys_columns(headers, mapping, by_heading=not chosen)
    derived = genesys.derived()
    if header_row != 1:
        problems.append(SheetProblem.said(*place, header_row, None, None, Severity.WARNING,
                                          "headings_below_top", row=header_row))
    problems.extend(column_problems(place, header_row, {*mapping.values(), *derived}))
    split = genesys_rows.split_note(genesys, headers)
    if split is not None:
        problems.append(_said(place, header_row, split))
    unmatched = [column_letter(i + 1) for i, h in enumerate(headers) if h and i not in mapping]
    if unmatched:
        problems.append(SheetProblem.said(
            *place, header_row, None, None, Severity.WARNING, "columns_not_imported",
            count=len(unmatched), columns=", ".join(unmatched[:10]),
            more="…" if len(unmatched) > 10 else ""))
    rows: list[PreviewRow] = []
    seen: dict[tuple[str, str], int] = {}
    # Each column keeps what its distinct values came to (see judge_cell).
    columns = [Column(code, index, column_letter(index + 1), {})
               for index, code in genesys_rows.only_mcpd(mapping).items()]
    letters = {column.code: column.letter for column in columns} | {
        code: column_letter(index + 1) for code, index in derived.items()}
    historic: list[tuple[int, str]] = []
    taxa_lost: list[tuple[int, list[str], object]] = []
    data_rows = sheet.rows[header_index + 1:]
    total = len(data_rows)
    text_indexes = [column.index for column in columns if column.code in mcpd.BY_CODE
                    and mcpd.BY_CODE[column.code].kind not in NUMERIC_KINDS]

    @functools.cache
    def escaped_file() -> bool:  # asked only if a cell looks escaped: rare, so scan then
        return written_escaped(cells[i] for cells in data_rows for i in text_indexes
                               if i < len(cells))

    for offset, cells in enumerate(data_rows):
        if offset % 2000 == 0:
            check(progress)
            progress.report(offset, total, f"Checking row {offset:,} of {total:,}")
        number = sheet.row_numbers[header_index + 1 + offset]
        if genesys.is_historic(cells):  # no longer held: not imported as held
            historic.append((number, genesys.accession_number(cells)))
            continue
        row = _preview_row(sheet, place, number, cells, columns, letters, today,
                           escaped_file, genesys, dates)
        lost = genesys.not_imported(row.values, cells)
        if lost:
            taxa_lost.append((number, lost, cells[genesys.fulltaxa or 0]))
        key = row.key
        if key is not None:
            if key in seen:
                row.add_cell_problem(SheetProblem.said(
                    *place, number, letters.get("ACCENUMB"), "ACCENUMB",
                    Severity.ERROR, "same_accession_twice", first=seen[key],
                    instcode=row.values["INSTCODE"], accenumb=row.values["ACCENUMB"]))
            else:
                seen[key] = number
        rows.append(row)
    progress.report(total, total, "Checked")
    note = genesys_rows.historic_note(historic)
    if note is not None:
        problems.append(_said(place, header_row, note))
    preview = ImportPreview(sheet.file.name, sheet.name, header_row, mapping, headers, rows,
                            problems, derived=derived, historic=historic)
    genesys_rows.say_full_taxa_not_imported(preview, genesys, taxa_lost)
    say_empty_columns(preview, columns)
    say_rounded_coordinates(preview, columns, data_rows)
    say_r_missing(preview, columns, data_rows, sheet.row_numbers[header_index + 1:])
    say_decimal_in_dms(preview, columns, data_rows, sheet.row_numbers[header_index + 1:])
    note_absent_recommended(preview)
    note_update_only(preview)
    say_repeated(preview)
    return preview


def _preview_row(sheet: Sheet, place: Place, number: int, cells: list[object],
                 columns: list[Column], letters: Mapping[str, str],
                 today: dt.date | None, escaped_file: Callable[[], bool],
                 genesys: genesys_rows.GenesysColumns,
                 dates: str | None = None) -> PreviewRow:
    checked = mcpd.CheckedPassport()
    values = checked.values
    failed: set[str] = set()
    problems: list[SheetProblem] = []
    width = len(cells)
    formulas = sheet.formula_cells
    for code, index, letter, judged in columns:
        value = cells[index] if index < width else None
        if value == "" or value is None:
            if formulas and (number, index + 1) in formulas:
                problems.append(_formula_without_value(place, number, letter, code))
            continue
        # True == 1 == 1.0 as keys, yet they read differently: only text is keyed by value.
        key = value if type(value) is str else (type(value), value)
        outcome = judged.get(key)
        if outcome is None:
            outcome = judged[key] = judge_cell(code, value, today, escaped_file, dates)
        canonical, error, note = outcome
        if canonical is not None:
            values[code] = canonical
        elif isinstance(error, mcpd.InvalidValue) and error.code == "dms_sixty":
            checked.carried[code] = error  # judged with the row's decimal coordinate
        elif error is not None:
            problems.append(_refused(place, number, letter, code, error))
            failed.add(code)
        if formulas and (number, index + 1) in formulas:
            problems.append(SheetProblem.said(*place, number, letter, code,
                                              Severity.WARNING, "formula_value_used"))
        if note is not None:
            problems.append(SheetProblem.said(*place, number, letter, code,
                                              Severity.WARNING, note[0], **note[1]))
    for said in genesys.fill(values, cells, failed):
        problems.append(_said(place, number, said))
    if checked.carried:
        checked.problems.extend(mcpd.settle_carried(checked, failed))
    mcpd.check_record(checked, failed)  # tidies GENUS and SPECIES in ``values``
    row = PreviewRow(number, values, cell_problems=problems,
                     failed=frozenset(failed) if failed else frozenset())
    record = locate_record_problems(place, row, checked.problems, letters)
    _keep_with_cells(row, record)
    row.set_record_problems(record)
    return row


# What a record's check says about a cell's own value, kept with the cell: judged again
# (for an update), the tidied value or the carried coordinate has nothing more to say.
_CELL_CODES = frozenset({*TIDIED, "dms_carried", "dms_sixty"})


def _keep_with_cells(row: PreviewRow, record: list[SheetProblem]) -> None:
    """Move the problems of ``record`` about a cell's own value into the row's cell
    problems (see ``_CELL_CODES``)."""
    if any(problem.code in _CELL_CODES for problem in record):
        row.cell_problems.extend(p for p in record if p.code in _CELL_CODES)
        record[:] = [p for p in record if p.code not in _CELL_CODES]


def _formula_without_value(place: Place, number: int, letter: str, code: str) \
        -> SheetProblem:
    """A formula cell the file keeps no calculated value for (a workbook written by a
    program, never opened and saved in a spreadsheet): read as empty, and said."""
    return SheetProblem.said(*place, number, letter, code, Severity.WARNING,
                             "formula_without_value")


def locate_record_problems(place: Place, row: PreviewRow, found: list[mcpd.Problem],
                           letters: Mapping[str, str]) -> list[SheetProblem]:
    """The record rules' problems placed in the file: a recommended descriptor the file has
    no column for is said once for the sheet; a required one is refused here, for a new
    accession (an update keeps what is stored, so an existing one never lacks it)."""
    located = []
    if any(p.code == "former_country" for p in found) and \
            said_stored_as_former(row.cell_problems):
        found = [p for p in found if p.code != "former_country"]  # said with the cell
    for problem in found:
        letter = letters.get(problem.field)
        if letter is None and problem.field in mcpd.RECOMMENDED:
            continue
        if letter is None and problem.field in mcpd.REQUIRED and row.stored_version is None:
            label = mcpd.BY_CODE[problem.field].label
            accenumb = row.values.get("ACCENUMB")
            located.append(SheetProblem.said(
                *place, row.row, letter, problem.field, problem.severity,
                "new_needs_column" if accenumb else "new_needs_column_unnamed",
                label=label, code=problem.field,
                **({"accenumb": accenumb} if accenumb else {})))
            continue
        located.append(SheetProblem(*place, row.row, letter, problem.field, problem.severity,
                                    problem.code or "", problem.params, problem.message))
    return located


def _refused(place: Place, number: int, letter: str, code: str,
             error: Said | mcpd.InvalidValue) -> SheetProblem:
    """The error of a cell that could not be read: the parser's coded problem, or one said
    here (too long)."""
    if isinstance(error, mcpd.InvalidValue):
        return SheetProblem.of(*place, number, letter, code, error)
    return SheetProblem.said(*place, number, letter, code, Severity.ERROR, error[0],
                             **error[1])


def _said(place: Place, row: int, said: genesys_rows.Said) -> SheetProblem:
    letter, code, severity, message_code, params = said
    return SheetProblem.said(*place, row, letter, code, severity, message_code, **params)


