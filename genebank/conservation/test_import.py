"""Bringing a laboratory's sheet of germination or moisture tests in, all or nothing.

The preview runs every test through the same services a technician's form uses
(:mod:`genebank.conservation.seed_tests`), each in a savepoint, in date order per lot, and then
rolls everything back: what it reports is exactly what importing would refuse, including
what depends on the tests before (a lot running out of seeds). The import does the same
and commits only if nothing was refused, or, when asked, without the refused tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from genebank import problems
from genebank.conservation import seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.io import headings
from genebank.io.sheet_problem import Severity, SheetProblem
from genebank.io.spreadsheet import Sheet
from genebank.io.test_sheet import GERMINATION, TestRow, read_rows
from genebank.progress import NoProgress, Progress, check
from genebank.services.errors import ServiceError
from genebank.services.refusals import Refused
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

problems.register({
    # ``cause`` is the first problem (a SheetProblem's code and params); ``column`` its
    # letter and field ("C (Date tested)").
    "tests_refused_at_row": "{refused:,} of {tests:,} tests were refused and {unplaced:,} rows "
                            "could not be read (first: row {row}: {cause:problem}); nothing "
                            "was imported",
    "tests_refused_at_cell": "{refused:,} of {tests:,} tests were refused and {unplaced:,} "
                             "rows could not be read (first: row {row}, column {column}: "
                             "{cause:problem}); nothing was imported",
    "no_such_lot_number": "there is no seed lot numbered '{lot}'",
    # A test the services refused (``cause``: their refusal), on its first row; a germination
    # test of several rows names them.
    "test_refused": "{cause:sentence}",
    "test_refused_rows": "{cause:sentence} (rows {first}-{last})",
})


@dataclass(slots=True)
class PlannedTest:
    """One test as read from the sheet (a germination test from its replicate rows)."""

    lot_number: str
    tested_on: dt.date
    rows: list[int]
    values: dict[str, Any]
    replicates: list[Replicate] = field(default_factory=list)


@dataclass(slots=True)
class TestPreview:
    kind: str
    rows: int
    tests: list[PlannedTest]
    problems: list[SheetProblem]
    refused: set[int] = field(default_factory=set)  # indexes into tests
    unreadable: set[int] = field(default_factory=set)  # refused for a cell of the sheet
    unplaced: int = 0  # rows whose lot or date could not be read: part of no test
    file: str = ""  # the file's and the sheet's names, for the problems found applying
    sheet: str = ""
    row_numbers: list[int] = field(default_factory=list)  # every data row read

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.error]

    @property
    def ready(self) -> int:
        return len(self.tests) - len(self.refused)

    @property
    def blocked(self) -> bool:
        """Something in the sheet would not be imported."""
        return bool(self.refused or self.unplaced)

    def summary(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number`` (a screen passes the user's
        regional format)."""
        noun = "germination tests" if self.kind == GERMINATION else "moisture tests"
        text = (f"{number(len(self.tests))} {noun} in {number(self.rows)} rows: "
                f"{number(self.ready)} ready")
        text += f", {number(len(self.refused))} refused" if self.refused else ""
        return text + (f"; {number(self.unplaced)} row{'s' if self.unplaced > 1 else ''} "
                       "without a readable lot number or date" if self.unplaced else "")


@dataclass(frozen=True, slots=True)
class TestImportResult:
    imported: int
    skipped: int

    def line(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number`` (see ImportSummary.line)."""
        def tests(n: int) -> str:
            return f"{number(n)} test" + ("" if n == 1 else "s")

        return f"{tests(self.imported)} imported" + (
            f", {tests(self.skipped)} refused and skipped" if self.skipped else "")


@everyone
def preview_tests(session: Session, sheet: Sheet, mapping: dict[int, str], kind: str, *,
                  header_index: int | None = None, today: dt.date | None = None,
                  progress: Progress | None = None) -> TestPreview:
    """Read and check every test of the sheet (below its headings, by default the row that
    names most fields); the database is left as it was."""
    rows, problems = read_rows(sheet, mapping, kind, header_index=header_index)
    preview = TestPreview(kind, len(rows), [], problems, file=sheet.file.name,
                          sheet=sheet.name, row_numbers=[row.row for row in rows])
    _plan(preview, rows)
    try:
        _record(session, preview, today, progress or NoProgress())
    finally:
        session.rollback()
    return preview


@requires(Right.CHANGE_CONSERVATION)
def import_tests(session: Session, preview: TestPreview, *, skip_refused: bool = False,
                 today: dt.date | None = None, progress: Progress | None = None) \
        -> TestImportResult:
    """Record the previewed tests in the caller's transaction, all or (if asked) all that
    pass; raises ServiceError, with nothing recorded, if any is refused otherwise."""
    preview.refused = set(preview.unreadable)
    preview.problems = [p for p in preview.problems if p.column]  # the rest is re-judged
    _record(session, preview, today, progress or NoProgress())
    if preview.blocked and not skip_refused:
        first = min(preview.errors, key=lambda p: p.row or 0)
        column = f"{first.column} ({headings.table(preview.kind).label(first.field or '')})" \
            if first.column else ""
        raise Refused("tests_refused_at_cell" if first.column else "tests_refused_at_row",
                      refused=len(preview.refused), tests=len(preview.tests),
                      unplaced=preview.unplaced, row=first.row, column=column,
                      **first.cause())
    return TestImportResult(preview.ready, len(preview.refused))


def _plan(preview: TestPreview, rows: list[TestRow]) -> None:
    """Group rows into tests; a row with a cell error refuses its whole test."""
    bad_rows = {p.row for p in preview.errors}
    by_key: dict[tuple[str, dt.date], PlannedTest] = {}
    for row in rows:
        lot, day = row.values.get("LOT"), row.values.get("DATE")
        if not isinstance(lot, str) or not isinstance(day, dt.date):
            preview.unplaced += 1  # already reported as an empty or unreadable cell
            continue
        key = (lot.casefold(), day)
        test = by_key.get(key) if preview.kind == GERMINATION else None
        if test is None:
            test = PlannedTest(lot, day, [], row.values)
            preview.tests.append(test)
            by_key[key] = test
        test.rows.append(row.row)
        if preview.kind == GERMINATION and row.row not in bad_rows:
            v = row.values
            test.replicates.append(Replicate(v.get("SOWN") or 0, v.get("NORMAL") or 0,
                                             v.get("ABNORMAL") or 0, v.get("DEAD") or 0,
                                             v.get("UNGERMINATED") or 0, v.get("HARD") or 0))
    preview.unreadable = {index for index, test in enumerate(preview.tests)
                          if bad_rows.intersection(test.rows)}
    preview.refused = set(preview.unreadable)


def _record(session: Session, preview: TestPreview, today: dt.date | None,
            progress: Progress) -> None:
    """Record each test in a savepoint, in date order per lot; note what is refused."""
    lot_ids: dict[str, int | None] = {}
    order = sorted(range(len(preview.tests)),
                   key=lambda i: (preview.tests[i].lot_number.casefold(),
                                  preview.tests[i].tested_on, i))
    for done, index in enumerate(order, start=1):
        if done % 200 == 0:
            check(progress)
            progress.report(done, len(order), f"Checked {done:,} of {len(order):,} tests")
        if index in preview.refused:
            continue
        test = preview.tests[index]
        key = test.lot_number.casefold()
        if key not in lot_ids:
            lot_ids[key] = seed_lots.find_lot_id(session, test.lot_number)
        lot_id = lot_ids[key]
        try:
            if lot_id is None:
                raise Refused("no_such_lot_number", lot=test.lot_number)
            with session.begin_nested():
                _record_one(session, preview.kind, lot_id, test, today)
        except ServiceError as error:
            preview.refused.add(index)
            first, last = test.rows[0], test.rows[-1]
            preview.problems.append(
                SheetProblem.said(preview.file, preview.sheet, first, None, None,
                                  Severity.ERROR, "test_refused_rows", first=first, last=last,
                                  **problems.cause(error)) if last != first
                else SheetProblem.said(preview.file, preview.sheet, first, None, None,
                                       Severity.ERROR, "test_refused",
                                       **problems.cause(error)))
    progress.report(len(order), len(order), "Checked")


def _record_one(session: Session, kind: str, lot_id: int, test: PlannedTest,
                today: dt.date | None) -> None:
    v = test.values
    text = {k: str(v.get(k) or "") for k in ("METHOD", "TESTER", "NOTES", "PRETREATMENT")}
    if kind == GERMINATION:
        seed_tests.record_germination(
            session, lot_id, tested_on=test.tested_on, replicates=test.replicates,
            method=text["METHOD"], pretreatment=text["PRETREATMENT"], tester=text["TESTER"],
            notes=text["NOTES"], seeds_consumed=v.get("SEEDS_USED"), today=today)
    else:
        seed_tests.record_moisture(
            session, lot_id, tested_on=test.tested_on, moisture_pct=v.get("MOISTURE_PCT"),
            erh_pct=v.get("ERH_PCT"), method=text["METHOD"], tester=text["TESTER"],
            notes=text["NOTES"], today=today)
