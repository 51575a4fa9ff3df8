"""Phase 1 of a passport import: read every row and judge it, writing nothing.

The result, an :class:`ImportPreview`, says for each spreadsheet row what would be imported
and every problem with its sheet, row, column and field, by the same rules as the form
(``genebank.mcpd.check_passport``). Rows are judged here as new accessions;
``genebank.passport.passport_existing.mark_existing`` then finds the rows whose accession
exists and judges those again on the record an update would store (the stored values
overlaid by the file's). Phase 2 (``genebank.passport.passport_import``) applies a preview in
one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from genebank import mcpd
from genebank.gc_pause import without_gc
from genebank.io import (
    genesys_rows,
    headings,
    passport_messages,  # noqa: F401 (registers the codes said here)
)
from genebank.io.cells import csv_unescaped, written_escaped
from genebank.io.passport_export import NUMERIC_KINDS
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.mcpd import Severity, readings
from genebank.mcpd.identity import accession_key
from genebank.mcpd.validation import TIDIED, said_stored_as_former
from genebank.progress import NoProgress, Progress, check
from genebank.text import long_item, passport_limits, terminal_safe

# Longest value each descriptor may hold: derived from the database columns' sizes.
MAX_LENGTHS: dict[str, int] = passport_limits()
# What finds an accession: an update never changes or clears them.
IDENTITY = ("INSTCODE", "ACCENUMB")
# Never cleared by an update, even when asked to clear blank cells.
NEVER_CLEARED = (*IDENTITY, "GENUS")


class RowStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class Place(NamedTuple):
    """The file (its name) and the sheet a preview's problems are in."""

    file: str
    sheet: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One descriptor an update changes: canonical values, None where there is none."""

    field: str
    old: Any
    new: Any

    @property
    def cleared(self) -> bool:
        return self.new is None


@dataclass(slots=True)
class PreviewRow:
    row: int  # the spreadsheet's row number
    values: dict[str, Any]  # canonical, by MCPD code (only readable, non-blank cells)
    problems: list[SheetProblem] = field(default_factory=list)  # errors first
    existing_id: int | None = None
    # Problems of the cells themselves (unreadable, formula, tidied, a repeated accession),
    # kept apart so that the record can be judged again once the stored values are known.
    cell_problems: list[SheetProblem] = field(default_factory=list)
    failed: frozenset[str] = frozenset()  # descriptors whose cell could not be read
    # For an existing accession (see passport.passport_existing): the version it was
    # judged at, and each descriptor an update would change, in MCPD order.
    stored_version: int | None = None
    changes: tuple[FieldChange, ...] = ()
    taxon: str = ""  # genus and species an update would store, for the preview's rows
    # Sites holding a sent or confirmed safety duplicate when the row was judged: DUPLSITE
    # shows them (as the export does) but an update never stores them.
    duplicate_sites: tuple[str, ...] = ()

    @property
    def status(self) -> RowStatus:
        severities = {p.severity for p in self.problems}
        if Severity.ERROR in severities:
            return RowStatus.ERROR
        return RowStatus.WARNING if severities else RowStatus.OK

    # The key of the INSTCODE and ACCENUMB objects it was computed from: an import asks for
    # it five times a row (preview, finding existing accessions, the write).
    _key: tuple[object, object, str] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str | None:
        """The accession's identity key (genebank.mcpd.identity), when the row names one."""
        values = self.values
        if "INSTCODE" not in values or "ACCENUMB" not in values:
            return None
        instcode, accenumb = values["INSTCODE"], values["ACCENUMB"]
        known = self._key
        if known is None or known[0] is not instcode or known[1] is not accenumb:
            known = self._key = (instcode, accenumb, accession_key(instcode, accenumb))
        return known[2]

    @property
    def unchanged(self) -> bool:
        """An existing accession the file holds exactly as stored: an update writes nothing."""
        return self.stored_version is not None and not self.changes

    @property
    def cleared(self) -> int:
        return sum(1 for change in self.changes if change.cleared)

    def set_record_problems(self, problems: list[SheetProblem]) -> None:
        """The record's problems (judged again for an update), after the cells' own."""
        combined = [*self.cell_problems, *problems]
        combined.sort(key=_errors_first)
        self.problems = combined

    def add_cell_problem(self, problem: SheetProblem) -> None:
        self.cell_problems.append(problem)
        self.problems.append(problem)
        self.problems.sort(key=_errors_first)


@dataclass(slots=True)
class ImportPreview:
    file_name: str
    sheet: str
    header_row: int
    mapping: dict[int, str]
    headers: list[str]
    rows: list[PreviewRow]
    sheet_problems: list[SheetProblem]
    # Whether an update clears the stored value where the file's cell is blank (only for
    # the file's columns, never NEVER_CLEARED); set by passport.passport_existing.
    clear_blank: bool = False
    # The sheet warning about absent recommended columns, if given (note_absent_recommended).
    absent_note: SheetProblem | None = None
    # Recommended descriptors whose column is empty throughout (said once, say_empty_columns).
    empty_columns: frozenset[str] = frozenset()
    # Fields a column other than their own gives (a Genesys full name split into GENUS,
    # SPECIES...), by that column's index: see genesys_rows.
    derived: dict[str, int] = field(default_factory=dict)
    # Rows marked historic (no longer held), left out: (row number, ACCENUMB as written).
    historic: list[tuple[int, str]] = field(default_factory=list)

    @property
    def place(self) -> Place:
        return Place(self.file_name, self.sheet)

    @property
    def can_import(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.sheet_problems)

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def existing(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is not None)

    @property
    def changing(self) -> int:
        """Existing accessions (rows without errors) that an update would change."""
        return sum(1 for r in self.rows if r.changes and r.status is not RowStatus.ERROR)

    @property
    def unchanged(self) -> int:
        """Existing accessions the file holds exactly as stored."""
        return sum(1 for r in self.rows if r.unchanged and r.status is not RowStatus.ERROR)

    @property
    def cleared(self) -> int:
        """Stored values an update would clear (rows without errors)."""
        return sum(r.cleared for r in self.rows if r.status is not RowStatus.ERROR)

    @property
    def letters(self) -> dict[str, str]:
        """The column letter of each descriptor the file has, where a row's problems are
        located (a recommended column empty throughout is said once for the sheet; a derived
        one: the letter of the column it comes from)."""
        return {code: column_letter(index + 1) for index, code in self.mapping.items()
                if code not in self.empty_columns} | {
            code: column_letter(index + 1) for code, index in self.derived.items()}

    @property
    def fields(self) -> set[str]:
        """The descriptors the file gives, from columns of their own or derived."""
        return {*self.mapping.values(), *self.derived}

    def problems(self) -> list[SheetProblem]:
        return [*self.sheet_problems, *(p for r in self.rows for p in r.problems)]


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
    problems.extend(_column_problems(place, header_row, {*mapping.values(), *derived}))
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
    # Each column keeps what its distinct values came to (see _judge_cell).
    columns = [_Column(code, index, column_letter(index + 1), {})
               for index, code in genesys_rows.only_mcpd(mapping).items()]
    letters = {column.code: column.letter for column in columns} | {
        code: column_letter(index + 1) for code, index in derived.items()}
    historic: list[tuple[int, str]] = []
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
    say_empty_columns(preview, columns)
    say_rounded_coordinates(preview, columns, data_rows)
    note_absent_recommended(preview)
    return preview


# Decimal degrees are kept to 6 decimals (about 0.1 m: genebank.mcpd.values); more in a cell
# is rounded, which the house rule says aloud. A text's decimals, not a DMS text's (44°41'51"
# is converted, said per cell as "read as").
_DECIMAL_COORDINATES = ("DECLATITUDE", "DECLONGITUDE")
_MANY_DECIMALS = re.compile(r"^\s*[-+−]?\d*[.,]\d{7,}\s*[NSEW]?\s*$", re.IGNORECASE)


def say_rounded_coordinates(preview: ImportPreview, columns: list[_Column],
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
            value=_short(str(written).strip()), rounded=_as_text(stored)))


def _more_than_six(key: object) -> bool:
    """Whether a judged cell (text, or (type, number)) had more than 6 decimals."""
    if isinstance(key, str):
        return _MANY_DECIMALS.match(key) is not None
    number = key[1] if isinstance(key, tuple) else key
    return isinstance(number, float) and round(number, 6) != number


def say_empty_columns(preview: ImportPreview, columns: list[_Column]) -> None:
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


def _column_problems(place: Place, header_row: int, present: set[str]) -> list[SheetProblem]:
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


# A problem said as its registered code and params.
_Said = tuple[str, dict[str, object]]
# What one cell value of one descriptor comes to: (canonical value or None, why it is
# refused (the parser's problem, or said here), a note on how it was tidied).
_Judged = tuple[Any, _Said | mcpd.InvalidValue | None, _Said | None]


class _Column(NamedTuple):
    code: str
    index: int
    letter: str
    judged: dict[object, _Judged]  # by value; by (type, value) for all but text


def _judge_cell(code: str, value: object, today: dt.date | None,
                escaped_file: Callable[[], bool], dates: str | None = None) -> _Judged:
    """Judged once per distinct (descriptor, value) of an import: a catalogue repeats its
    institute, genus, country, codes and dates on thousands of rows. A leading apostrophe
    is taken as an export's escape only in a file written escaped (``escaped_file``): in an
    exact file "'=x" is the value itself."""
    escaped = False
    if isinstance(value, str):
        if len(value) > MAX_LENGTHS[code]:
            return None, ("value_too_long", {"length": len(value),
                                             "limit": MAX_LENGTHS[code]}), None
        unescaped = csv_unescaped(value) if value[:1] == "'" else None  # the rare case
        if unescaped is not None and escaped_file():  # written so no spreadsheet runs it
            value, escaped = unescaped, True
    try:
        canonical = mcpd.parse_field(code, value, today=today, dates=dates)
    except mcpd.InvalidValue as problem:
        return None, problem, None
    if canonical is None or canonical == []:
        return None, None, None
    if isinstance(canonical, list):  # each item is a row of its own, with its own limit
        too_long = long_item(code, canonical)
        if too_long is not None:
            item, limit = too_long
            return None, ("item_too_long", {"item": _short(item), "length": len(item),
                                            "limit": limit}), None
    if isinstance(value, int | float):
        return canonical, None, None
    if escaped:  # the cell does not hold what is stored: say so, as for any tidying
        return canonical, None, ("escape_removed", {
            "first": value[:1], "value": _short(_as_text(canonical))})
    said = readings.note(code, value, canonical)
    if said is not None:
        return canonical, None, said or None
    return canonical, None, _normalisation_note(value, canonical)


def _preview_row(sheet: Sheet, place: Place, number: int, cells: list[object],
                 columns: list[_Column], letters: Mapping[str, str],
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
            outcome = judged[key] = _judge_cell(code, value, today, escaped_file, dates)
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
             error: _Said | mcpd.InvalidValue) -> SheetProblem:
    """The error of a cell that could not be read: the parser's coded problem, or one said
    here (too long)."""
    if isinstance(error, mcpd.InvalidValue):
        return SheetProblem.of(*place, number, letter, code, error)
    return SheetProblem.said(*place, number, letter, code, Severity.ERROR, error[0],
                             **error[1])


def _said(place: Place, row: int, said: genesys_rows.Said) -> SheetProblem:
    letter, code, severity, message_code, params = said
    return SheetProblem.said(*place, row, letter, code, severity, message_code, **params)


def _errors_first(problem: SheetProblem) -> bool:
    return problem.severity is not Severity.ERROR


def _normalisation_note(value: object, canonical: Any) -> _Said | None:
    """What a reader should know when a cell was tidied into its canonical form."""
    if isinstance(value, dt.date | dt.datetime):
        return "spreadsheet_date_read", {"value": canonical}
    if not isinstance(value, str) or canonical == value or canonical == [value]:
        return None
    number = canonical[0] if isinstance(canonical, list) and len(canonical) == 1 else canonical
    if isinstance(number, float | int) and _same_number(value, number):
        return None  # '528.0' is 528: only how a program wrote the number differs
    shown = _as_text(canonical)
    typed = unicodedata.normalize("NFC", value)  # composing accents changes nothing seen
    if shown == " ".join(typed.split()) or shown.casefold() == typed.strip().casefold():
        return None
    return "value_read_as", {"value": _short(value), "shown": _short(shown)}


def _same_number(text: str, number: float | int) -> bool:
    """Whether ``text`` is ``number`` written plainly (528.0, 528.50, +528): nothing a
    reader must be told about."""
    try:
        return float(text) == number
    except ValueError:
        return False


def as_text(value: Any) -> str:
    """A canonical value as a person reads it in a cell (lists joined by ';')."""
    return _as_text(value)


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _short(text: str, limit: int = 40) -> str:
    """A value for a message: one line, hidden controls written out (\\u202e), cut."""
    text = terminal_safe(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"
