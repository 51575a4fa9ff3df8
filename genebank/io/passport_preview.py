"""Phase 1 of a passport import: read every row and judge it, writing nothing.

The result, an :class:`ImportPreview`, says for each spreadsheet row what would be imported
and every problem with its sheet, row, column and field, by the same rules as the form
(``genebank.mcpd.check_passport``). Phase 2 (``genebank.services.passport_import``) applies
a preview in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from genebank import mcpd
from genebank.gc_pause import without_gc
from genebank.io.column_mapping import find_header_row, suggest_mapping
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.mcpd import Severity
from genebank.models import Accession
from genebank.progress import NoProgress, Progress, check

# Longest value each descriptor may hold (the database columns' sizes).
MAX_LENGTHS: dict[str, int] = {
    **{code: 200 for code in mcpd.BY_CODE},
    "INSTCODE": 16, "DONORCODE": 16, "ACCENUMB": 100, "COLLNUMB": 100, "COLLMISSID": 100,
    "GENUS": 100, "SPECIES": 100, "DONORNAME": 300, "DONORNUMB": 100, "COORDDATUM": 50,
    "GEOREFMETH": 100, "COLLSITE": 2000, "ANCEST": 2000, "REMARKS": 4000, "COLLNAME": 2000,
    "COLLINSTADDRESS": 2000, "BREDNAME": 2000, "DUPLINSTNAME": 2000, "ACCENAME": 2000,
    "OTHERNUMB": 2000,
}
ESCAPED_PREFIXES = ("=", "+", "-", "@", "'")  # what an export escapes with an apostrophe


class RowStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A problem located in the file; ``row`` and ``column`` are None for the whole sheet."""

    sheet: str
    row: int | None
    column: str | None
    field: str | None
    severity: Severity
    message: str

    def where(self) -> str:
        place = f"sheet '{self.sheet}'"
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column}"
        if self.field:
            place += f" ({self.field})"
        return place


@dataclass(slots=True)
class PreviewRow:
    row: int  # the spreadsheet's row number
    values: dict[str, Any]  # canonical, by MCPD code (only readable fields)
    problems: list[CellProblem] = field(default_factory=list)
    existing_id: int | None = None

    @property
    def status(self) -> RowStatus:
        severities = {p.severity for p in self.problems}
        if Severity.ERROR in severities:
            return RowStatus.ERROR
        return RowStatus.WARNING if severities else RowStatus.OK

    @property
    def key(self) -> tuple[str, str] | None:
        if "INSTCODE" in self.values and "ACCENUMB" in self.values:
            return self.values["INSTCODE"], self.values["ACCENUMB"].casefold()
        return None


@dataclass(slots=True)
class ImportPreview:
    file_name: str
    sheet: str
    header_row: int
    mapping: dict[int, str]
    headers: list[str]
    rows: list[PreviewRow]
    sheet_problems: list[CellProblem]

    @property
    def can_import(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.sheet_problems)

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def existing(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is not None)

    def problems(self) -> list[CellProblem]:
        return [*self.sheet_problems, *(p for r in self.rows for p in r.problems)]


@without_gc
def preview_passports(sheet: Sheet, *, mapping: Mapping[int, str] | None = None,
                      header_index: int | None = None, today: dt.date | None = None,
                      progress: Progress | None = None) -> ImportPreview:
    """Judge every data row of ``sheet``; ``mapping`` is column index -> MCPD code."""
    progress = progress or NoProgress()
    problems: list[CellProblem] = []
    if not sheet.rows:
        problems.append(CellProblem(sheet.name, None, None, None, Severity.ERROR,
                                    "the sheet is empty"))
        return ImportPreview(sheet.file.name, sheet.name, 0, {}, [], [], problems)
    if header_index is None:
        header_index = find_header_row(sheet.rows)
    header_row = sheet.row_numbers[header_index]
    headers = ["" if h is None else str(h).strip() for h in sheet.rows[header_index]]
    mapping = dict(mapping) if mapping is not None else suggest_mapping(headers)
    if header_row != 1:
        problems.append(CellProblem(sheet.name, header_row, None, None, Severity.WARNING,
                                    f"the column headings are on row {header_row}; the rows "
                                    "above it are not imported"))
    for code in mcpd.REQUIRED:
        if code not in mapping.values():
            label = mcpd.BY_CODE[code].label.lower()
            problems.append(CellProblem(sheet.name, header_row, None, code, Severity.ERROR,
                                        f"no column holds the {label} ({code}), which every "
                                        "accession needs; choose that column or add it"))
    unmatched = [column_letter(i + 1) for i, h in enumerate(headers) if h and i not in mapping]
    if unmatched:
        problems.append(CellProblem(
            sheet.name, header_row, None, None, Severity.WARNING,
            f"{len(unmatched)} column(s) are not imported: {', '.join(unmatched[:10])}"
            + ("…" if len(unmatched) > 10 else "")))
    absent = [code for code in mcpd.RECOMMENDED if code not in mapping.values()]
    if absent:
        problems.append(CellProblem(
            sheet.name, header_row, None, None, Severity.WARNING,
            f"no column for {', '.join(absent)}; FAO WIEWS reporting uses them"))
    rows: list[PreviewRow] = []
    seen: dict[tuple[str, str], int] = {}
    # Each column keeps what its distinct values came to (see _judge_cell).
    columns = [_Column(code, index, column_letter(index + 1), {})
               for index, code in mapping.items()]
    letters = {column.code: column.letter for column in columns}
    data_rows = sheet.rows[header_index + 1:]
    total = len(data_rows)
    for offset, cells in enumerate(data_rows):
        if offset % 2000 == 0:
            check(progress)
            progress.report(offset, total, f"Checking row {offset:,} of {total:,}")
        number = sheet.row_numbers[header_index + 1 + offset]
        row = _preview_row(sheet, number, cells, columns, letters, today)
        key = row.key
        if key is not None:
            if key in seen:
                row.problems.append(CellProblem(
                    sheet.name, number, letters.get("ACCENUMB"), "ACCENUMB",
                    Severity.ERROR, f"the same accession as row {seen[key]} "
                    f"({row.values['INSTCODE']} {row.values['ACCENUMB']})"))
            else:
                seen[key] = number
        rows.append(row)
    progress.report(total, total, "Checked")
    return ImportPreview(sheet.file.name, sheet.name, header_row, mapping, headers, rows,
                         problems)


# What one cell value of one descriptor comes to: (canonical value or None, error, note).
_Judged = tuple[Any, str | None, str | None]


class _Column(NamedTuple):
    code: str
    index: int
    letter: str
    judged: dict[object, _Judged]  # by value; by (type, value) for all but text


def _judge_cell(code: str, value: object, today: dt.date | None) -> _Judged:
    """Judged once per distinct (descriptor, value) of an import: a catalogue repeats its
    institute, genus, country, codes and dates on thousands of rows."""
    if isinstance(value, str):
        if len(value) > MAX_LENGTHS[code]:
            return None, (f"too long: {len(value):,} characters "
                          f"(at most {MAX_LENGTHS[code]:,})"), None
        if value[:1] == "'" and value[1:2] and value[1:2] in ESCAPED_PREFIXES:
            value = value[1:]  # written escaped by an export, so no spreadsheet runs it
    try:
        canonical = mcpd.parse_field(code, value, today=today)
    except mcpd.InvalidValue as problem:
        return None, str(problem), None
    if canonical is None or canonical == []:
        return None, None, None
    if isinstance(value, int | float):
        return canonical, None, None
    return canonical, None, _normalisation_note(value, canonical)


def _preview_row(sheet: Sheet, number: int, cells: list[object], columns: list[_Column],
                 letters: Mapping[str, str], today: dt.date | None) -> PreviewRow:
    checked = mcpd.CheckedPassport()
    values = checked.values
    failed: set[str] = set()
    problems: list[CellProblem] = []
    width = len(cells)
    formulas = sheet.formula_cells
    for code, index, letter, judged in columns:
        if index >= width:
            continue
        value = cells[index]
        if value == "" or value is None:
            continue
        # True == 1 == 1.0 as keys, yet they read differently: only text is keyed by value.
        key = value if type(value) is str else (type(value), value)
        outcome = judged.get(key)
        if outcome is None:
            outcome = judged[key] = _judge_cell(code, value, today)
        canonical, error, note = outcome
        if canonical is not None:
            values[code] = canonical
        elif error is not None:
            problems.append(CellProblem(sheet.name, number, letter, code, Severity.ERROR,
                                        error))
            failed.add(code)
        if formulas and (number, index + 1) in formulas:
            problems.append(CellProblem(sheet.name, number, letter, code, Severity.WARNING,
                                        "a formula: its last calculated value was used"))
        if note is not None:
            problems.append(CellProblem(sheet.name, number, letter, code, Severity.WARNING,
                                        note))
    mcpd.check_record(checked, failed)
    for problem in checked.problems:
        letter = letters.get(problem.field)
        if letter is None and (problem.field in mcpd.RECOMMENDED
                               or problem.field in mcpd.REQUIRED):
            continue  # said once for the sheet: the file has no such column
        problems.append(CellProblem(sheet.name, number, letter, problem.field,
                                    problem.severity, problem.message))
    problems.sort(key=_errors_first)
    return PreviewRow(number, values, problems)


def _errors_first(problem: CellProblem) -> bool:
    return problem.severity is not Severity.ERROR


def _normalisation_note(value: object, canonical: Any) -> str | None:
    """What a reader should know when a cell was tidied into its canonical form."""
    if isinstance(value, dt.date | dt.datetime):
        return f"a spreadsheet date, read as {canonical}"
    if not isinstance(value, str) or canonical == value or canonical == [value]:
        return None
    shown = _as_text(canonical)
    if shown == " ".join(value.split()) or shown.casefold() == value.strip().casefold():
        return None
    return f"'{_short(value)}' read as '{_short(shown)}'"


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def mark_existing(session: Session, preview: ImportPreview, *, chunk: int = 900) -> None:
    """Note which rows are accessions the database already has (by INSTCODE + ACCENUMB).

    One cached statement with an expanding IN on the indexed ACCENUMB (the institute is
    compared here): a tuple IN is compiled anew for every chunk, 2 s per 100,000 rows.
    """
    keyed = [r for r in preview.rows if r.key is not None]
    statement = (select(Accession.id, Accession.instcode, Accession.accenumb)
                 .where(Accession.accenumb.in_(bindparam("numbers", expanding=True))))
    for start in range(0, len(keyed), chunk):
        part = keyed[start:start + chunk]
        numbers = sorted({r.values["ACCENUMB"] for r in part})
        found = {(inst, num.casefold()): accession_id for accession_id, inst, num in
                 session.execute(statement, {"numbers": numbers})}
        for row in part:
            row.existing_id = found.get(row.key)  # type: ignore[arg-type]
