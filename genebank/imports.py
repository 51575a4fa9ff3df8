"""Every kind of sheet import, one shape: read -> check into a report -> apply the report.

A kind (:data:`KINDS`: passport, germination, moisture, participants) names its field
table (:mod:`genebank.io.headings`) and two functions the one import wizard and the CLI
call alike:

- ``check(session, sheet, mapping, options, progress) -> CheckReport``: every row read and
  judged (against the database too: accessions that exist, seed lots, people already
  recorded), nothing written. The report gives each row with its status and problems
  (:class:`~genebank.io.sheet_problem.SheetProblem`), the sheet's own problems, and counts.
- ``apply(session, report, options, progress) -> ApplyResult``: the report written in the
  caller's transaction, all or nothing (or, with ``skip_invalid``, all but the refused
  rows); the result gives its counts and a one-line summary.

The kinds' own previews stay what they were (``report.detail``), so the screens that know
one kind (the passport preview's changes, the tests' replicates) keep their detail; what
every kind shares is here. Qt-free: the GUI runs these through ``ui/operations.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from genebank.conservation import test_import
from genebank.io import headings, passport_preview
from genebank.io.headings import FieldTable
from genebank.io.passport_preview import ImportPreview, RowStatus
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import Sheet
from genebank.passport import passport_existing, passport_import
from genebank.passport.passport_import import OnErrors, OnExisting
from genebank.progress import Progress
from genebank.training import participant_import

__all__ = ["KINDS", "ApplyResult", "CheckReport", "ImportKind", "ImportOptions", "ReportRow",
           "RowStatus", "kind"]


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """The choices of one import; each kind reads those that concern it.

    ``header_index``: the row of the headings (index into the sheet's rows; by default the
    row naming most fields). ``skip_invalid``: apply the rows without errors and skip the
    others (else nothing is applied while any row has an error). Passport: ``on_existing``
    (skip, update or stop at accessions that exist) and ``clear_blank`` (an update clears
    what the file leaves blank). Participants: ``add_duplicates`` (likely duplicates added
    as new people) and ``course_id`` (enrol everyone). ``today``: the date checks use."""

    header_index: int | None = None
    skip_invalid: bool = False
    on_existing: OnExisting = OnExisting.SKIP
    clear_blank: bool = False
    add_duplicates: bool = False
    course_id: int | None = None
    today: dt.date | None = None
    dates: str | None = None  # passport: how the file writes 12/03/1998 ("dmy", "mdy")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One data row of the sheet: its spreadsheet number, status and problems, and
    ``label``: the record it names as a person knows it (the accession number, the seed
    lot tested, the person's name), so that a screen or a report can say whose row it is."""

    row: int
    status: RowStatus
    problems: tuple[SheetProblem, ...] = ()
    label: str = ""


def _text(value: object) -> str:
    """A cell's value as a label: 300, not 300.0; blank for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _status(problems: list[SheetProblem] | tuple[SheetProblem, ...]) -> RowStatus:
    if any(p.error for p in problems):
        return RowStatus.ERROR
    return RowStatus.WARNING if problems else RowStatus.OK


@dataclass(slots=True)
class CheckReport:
    """What checking a sheet found. ``detail`` is the kind's own preview (an
    ``ImportPreview``, ``TestPreview`` or ``ParticipantPreview``), which ``apply`` writes."""

    kind: str
    file: str
    sheet: str
    mapping: dict[int, str]
    sheet_problems: list[SheetProblem]
    counts: dict[str, int]
    can_apply: bool  # False when the sheet itself is refused or no row could be applied
    detail: Any
    _rows: Callable[[], list[ReportRow]] = field(repr=False, default=list)

    def rows(self) -> list[ReportRow]:
        """Every data row with its status and problems (built when asked: a passport
        import may hold 500,000 rows)."""
        return self._rows()

    def problems(self) -> list[SheetProblem]:
        return [*self.sheet_problems, *(p for r in self.rows() for p in r.problems)]

    @property
    def errors(self) -> int:
        """Rows with an error."""
        return self.counts.get("error", 0)


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What applying a report wrote: its ``counts``, and the kind's own result in
    ``detail`` (with its ``line()``)."""

    kind: str
    counts: dict[str, int]
    detail: Any

    def line(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number``."""
        return str(self.detail.line(number))


Check = Callable[[Session, Sheet, dict[int, str] | None, ImportOptions, Progress | None],
                 CheckReport]
Apply = Callable[[Session, CheckReport, ImportOptions, Progress | None], ApplyResult]


@dataclass(frozen=True, slots=True)
class ImportKind:
    name: str
    label: str
    table: FieldTable
    check: Check
    apply: Apply

    def suggest_mapping(self, sheet: Sheet, options: ImportOptions = ImportOptions()) \
            -> dict[int, str]:
        """The columns matched from the sheet's headings."""
        top = options.header_index if options.header_index is not None else \
            headings.find_header_row(sheet.rows, self.name)
        return headings.suggest_mapping(sheet.rows[top], self.name) if sheet.rows else {}


# Passport data ----------------------------------------------------------------------------
def _check_passport(session: Session, sheet: Sheet, mapping: dict[int, str] | None,
                    options: ImportOptions, progress: Progress | None) -> CheckReport:
    # Called through their modules, so that a benchmark or a test may wrap them.
    preview = passport_preview.preview_passports(
        sheet, mapping=mapping, header_index=options.header_index, today=options.today,
        dates=options.dates, progress=progress)
    passport_existing.mark_existing(session, preview, clear_blank=options.clear_blank)
    return passport_report(preview)


def passport_report(preview: ImportPreview) -> CheckReport:
    """The report of a passport preview (after ``passport_existing.mark_existing``)."""
    counts = {"rows": len(preview.rows), "ok": preview.count(RowStatus.OK),
              "warning": preview.count(RowStatus.WARNING),
              "error": preview.count(RowStatus.ERROR), "existing": preview.existing,
              "changing": preview.changing, "unchanged": preview.unchanged,
              "cleared": preview.cleared}
    return CheckReport(
        headings.PASSPORT, preview.file_name, preview.sheet, dict(preview.mapping),
        list(preview.sheet_problems), counts,
        preview.can_import and counts["rows"] > counts["error"], preview,
        lambda: [ReportRow(r.row, r.status, tuple(r.problems), _text(r.values.get("ACCENUMB")))
                 for r in preview.rows])


def _apply_passport(session: Session, report: CheckReport, options: ImportOptions,
                    progress: Progress | None) -> ApplyResult:
    summary = passport_import.apply_import(
        session, report.detail, on_existing=options.on_existing,
        on_errors=OnErrors.SKIP_ROWS if options.skip_invalid else OnErrors.IMPORT_NOTHING,
        progress=progress)
    return ApplyResult(headings.PASSPORT, {
        "created": summary.created, "updated": summary.updated, "skipped": summary.skipped,
        "unchanged": summary.unchanged}, summary)


# Germination and moisture tests -----------------------------------------------------------
def _tests_check(kind: str) -> Check:
    def check(session: Session, sheet: Sheet, mapping: dict[int, str] | None,
              options: ImportOptions, progress: Progress | None) -> CheckReport:
        header_index = options.header_index if options.header_index is not None else \
            headings.find_header_row(sheet.rows, kind)
        if mapping is None:
            mapping = headings.suggest_mapping(sheet.rows[header_index], kind) \
                if sheet.rows else {}
        preview = test_import.preview_tests(session, sheet, mapping, kind,
                                            header_index=header_index, today=options.today,
                                            progress=progress)
        return tests_report(preview, mapping)
    return check


def tests_report(preview: test_import.TestPreview, mapping: dict[int, str]) -> CheckReport:
    """The report of a test preview: each row's status from its problems and its test's
    refusal (a germination test's replicates are refused together)."""
    refused_rows = {row for index in preview.refused for row in preview.tests[index].rows}

    def rows() -> list[ReportRow]:
        by_row: dict[int, list[SheetProblem]] = {}
        for problem in preview.problems:
            by_row.setdefault(problem.row or 0, []).append(problem)
        lots = {row: test.lot_number for test in preview.tests for row in test.rows}
        found = []
        for number in preview.row_numbers:
            problems = by_row.get(number, [])
            status = RowStatus.ERROR if number in refused_rows else _status(problems)
            found.append(ReportRow(number, status, tuple(problems), lots.get(number, "")))
        return found

    counts = {"rows": preview.rows, "tests": len(preview.tests), "ready": preview.ready,
              "refused": len(preview.refused), "unplaced": preview.unplaced,
              "error": len({p.row for p in preview.errors} | refused_rows)}
    return CheckReport(preview.kind, preview.file, preview.sheet, dict(mapping), [], counts,
                       preview.ready > 0, preview, rows)


def _apply_tests(session: Session, report: CheckReport, options: ImportOptions,
                 progress: Progress | None) -> ApplyResult:
    result = test_import.import_tests(session, report.detail,
                                      skip_refused=options.skip_invalid, today=options.today,
                                      progress=progress)
    return ApplyResult(report.kind, {"imported": result.imported, "skipped": result.skipped},
                       result)


# Participants ------------------------------------------------------------------------------
def _check_participants(session: Session, sheet: Sheet, mapping: dict[int, str] | None,
                        options: ImportOptions, progress: Progress | None) -> CheckReport:
    header_index = options.header_index if options.header_index is not None else \
        headings.find_header_row(sheet.rows, headings.PARTICIPANTS)
    if mapping is None:
        mapping = headings.suggest_mapping(sheet.rows[header_index], headings.PARTICIPANTS) \
            if sheet.rows else {}
    preview = participant_import.preview_participants(
        session, sheet, mapping, header_index=header_index, progress=progress)
    return participants_report(preview, mapping)


def participants_report(preview: participant_import.ParticipantPreview,
                        mapping: dict[int, str]) -> CheckReport:
    counts = {"rows": len(preview.rows), "ready": len(preview.rows) - preview.errors,
              "error": preview.errors, "duplicates": preview.duplicates}
    return CheckReport(
        headings.PARTICIPANTS, preview.file, preview.sheet, dict(mapping), [], counts,
        counts["ready"] > 0, preview,
        lambda: [ReportRow(r.row, _status(r.problems), tuple(r.problems),
                           _text(r.values.get("full_name")))
                 for r in preview.rows])


def _apply_participants(session: Session, report: CheckReport, options: ImportOptions,
                        progress: Progress | None) -> ApplyResult:
    result = participant_import.import_participants(
        session, report.detail, skip_invalid=options.skip_invalid,
        add_duplicates=options.add_duplicates, course_id=options.course_id)
    return ApplyResult(headings.PARTICIPANTS, {
        "created": result.created, "matched": result.matched, "skipped": result.skipped,
        "enrolled": result.enrolled}, result)


KINDS: dict[str, ImportKind] = {
    headings.PASSPORT: ImportKind(headings.PASSPORT, "Passport data (MCPD)",
                                  headings.table(headings.PASSPORT), _check_passport,
                                  _apply_passport),
    headings.GERMINATION: ImportKind(headings.GERMINATION, "Germination tests",
                                     headings.table(headings.GERMINATION),
                                     _tests_check(headings.GERMINATION), _apply_tests),
    headings.MOISTURE: ImportKind(headings.MOISTURE, "Moisture tests",
                                  headings.table(headings.MOISTURE),
                                  _tests_check(headings.MOISTURE), _apply_tests),
    headings.PARTICIPANTS: ImportKind(headings.PARTICIPANTS, "Participant list",
                                      headings.table(headings.PARTICIPANTS),
                                      _check_participants, _apply_participants),
}


def kind(name: str) -> ImportKind:
    """The import of kind ``name`` (a key of :data:`KINDS`)."""
    return KINDS[name]
