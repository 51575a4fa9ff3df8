"""What a passport import's check found: each row's values and problems, and the sheet's.

The types the check (:mod:`genebank.io.passport_preview`) fills, the judging of existing
accessions (``genebank.passport.passport_existing``) judges again, and the write
(``genebank.passport.passport_import``) applies; kept apart from the checking so that
each reader finds the shapes without the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import column_letter
from genebank.mcpd import Severity
from genebank.mcpd.identity import accession_key

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
        combined.sort(key=errors_first)
        self.problems = combined

    def add_cell_problem(self, problem: SheetProblem) -> None:
        self.cell_problems.append(problem)
        self.problems.append(problem)
        self.problems.sort(key=errors_first)


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



def errors_first(problem: SheetProblem) -> bool:
    """The sort key that puts a row's errors before its warnings."""
    return problem.severity is not Severity.ERROR
