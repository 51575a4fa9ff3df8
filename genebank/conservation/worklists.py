"""The "Needs attention" lists and the counts behind them.

Each list is one query on columns the services keep (``seed_lot.next_test_due``,
``lot_flag``), served from an index, so it stays quick over a million accessions. Lists can
be searched by accession or lot number (as a scanner types them) and sorted by any shown
column; pages are fetched as the user scrolls.

Withdrawn accessions and their lots are on no list (:mod:`genebank.passport.withdrawals`):
their lots are kept as they are, and come back on the lists when the accession is
reinstated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, Select, case, exists, func, literal, null, or_, select
from sqlalchemy.orm import Session, aliased

from genebank import problems
from genebank.conservation import conservation_rules as rules
from genebank.conservation import regenerations
from genebank.io import worklist_export
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionStorage,
    GerminationTest,
    LotFlag,
    SafetyDuplicate,
    SeedLot,
    Taxon,
)
from genebank.models.base import live
from genebank.numbers import canonical
from genebank.passport.withdrawals import in_collection, withdrawn_ids
from genebank.progress import NoProgress, Progress, check
from genebank.services import text_match
from genebank.services.refusals import Refused
from genebank.users.actor import everyone

problems.register({
    "no_such_worklist": "there is no worklist '{worklist}'",
    "worklist_order_unknown": "a worklist cannot be sorted by '{order}'",
})

TESTS_DUE = "tests_due"
TESTS_TO_COUNT = "tests_to_count"  # germination tests sown, not yet counted
COUNTS_SHORT = "counts_short"  # tests from before 0006 whose counts fall short of the sown
TEST_LISTS = {TESTS_TO_COUNT: "in_progress", COUNTS_SHORT: "short"}  # list -> test status
WITHOUT_BASE_LOT = "without_base_lot"
WITHOUT_SAFETY_DUPLICATE = "without_safety_duplicate"
MISSING_FAO_DATA = "missing_fao_data"  # no STORAGE or no SAMPSTAT: FAO reporting lacks them


@dataclass(frozen=True, slots=True)
class Worklist:
    id: str
    title: str
    per_lot: bool  # a row per lot (else per accession)
    help: str = ""  # what the list holds and what to do, where the title cannot say it


WORKLISTS = (
    Worklist(TESTS_DUE, "Viability tests due", True),
    Worklist(TESTS_TO_COUNT, "Germination tests to count", True,
             "Germination tests recorded as sown and not counted yet: they set no viability "
             "until counted (Count a test… on the lot)"),
    Worklist(COUNTS_SHORT, "Counts short of seeds sown", True,
             "Germination tests recorded before counts had to add up, whose counts fall "
             "short of the seeds sown in some replicate. Their percentage is kept as it was "
             "recorded; check them against the lab's sheet and, if it has the missing "
             "seeds (hard, dormant...), count the test again (Count a test… on the lot)"),
    Worklist(rules.REGENERATE_VIABILITY, "Regenerate: viability fell", True),
    Worklist(rules.REGENERATE_INITIAL, "Regenerate: low initial viability", True),
    Worklist(rules.BELOW_MINIMUM, "Below minimum quantity", True),
    Worklist(rules.MOISTURE, "Moisture out of range", True),
    Worklist(WITHOUT_BASE_LOT, "No base-collection lot", False),
    Worklist(WITHOUT_SAFETY_DUPLICATE, "No safety duplicate", False),
    Worklist(MISSING_FAO_DATA, "Missing data for FAO reporting", False,
             "Accessions without a storage type (STORAGE) or a biological status "
             "(SAMPSTAT): FAO's SDG 2.5.1 report does not count an accession without a "
             "storage type. Fill them in on the accession's passport"),
)
# Why an accession is on the list of missing FAO reporting data, by what it lacks.
MISSING_FAO_REASONS = {
    "both": "no storage type (not counted for SDG 2.5.1) and no biological status",
    "storage": "no storage type (not counted for SDG 2.5.1)",
    "sampstat": "no biological status (SAMPSTAT)",
}
BY_ID = {w.id: w for w in WORKLISTS}
DUPLICATE_KEPT = ("sent", "confirmed")  # a duplicate that is (or is on its way) elsewhere
SORT_KEYS = ("accession", "taxon", "lot", "storage", "due", "reason")


@dataclass(frozen=True, slots=True)
class WorkItem:
    accession_id: int
    accenumb: str
    taxon: str
    lot_id: int | None
    lot_number: str | None
    storage_type: str | None
    due: dt.date | None
    reason: str  # in words, its numbers canonical: what an export writes
    # the reason with a {} field for each of its numbers, and those numbers, for a screen to show
    # them in the user's regional format
    reason_template: str = ""
    reason_numbers: tuple[int | float, ...] = ()
    test_id: int | None = None  # in the lists of tests: the test the row is about


@dataclass(frozen=True, slots=True)
class WorkQuery:
    """Which list, as of which day, narrowed by a search and sorted by a shown column."""

    list_id: str
    today: dt.date
    search: str = ""
    order: str = "accession"
    descending: bool = False


@everyone
def count(session: Session, query: WorkQuery) -> int:
    if query.search.strip():
        statement = _filtered(session, query, counting=True)
        return session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    return session.scalar(_whole_count(query)) or 0


def _whole_count(query: WorkQuery) -> Select[tuple[int]]:
    """The size of a whole list from one index, without the joins its rows need."""
    if query.list_id == TESTS_DUE:
        return select(func.count()).select_from(SeedLot).where(
            SeedLot.status == "active", SeedLot.next_test_due <= query.today,
            in_collection(SeedLot.accession_id))
    if query.list_id in TEST_LISTS:
        return select(func.count()).select_from(GerminationTest).where(
            GerminationTest.status == TEST_LISTS[query.list_id], live(GerminationTest),
            GerminationTest.lot_id.not_in(_withdrawn_lots()))
    if query.list_id in (WITHOUT_BASE_LOT, WITHOUT_SAFETY_DUPLICATE):
        # all accessions less those that have one: two index scans, not a million probes
        having = (select(SeedLot.accession_id).where(SeedLot.storage_type == "base",
                                                     SeedLot.status == "active",
                                                     in_collection(SeedLot.accession_id))
                  .distinct() if query.list_id == WITHOUT_BASE_LOT else
                  regenerations.duplicated_accessions())  # the sites the export names
        having_ids = having.subquery()
        return select(select(func.count()).select_from(Accession).scalar_subquery()
                      - select(func.count()).select_from(withdrawn_ids().subquery())
                      .scalar_subquery()
                      - select(func.count()).select_from(having_ids)
                      .where(in_collection(having_ids.c.accession_id)).scalar_subquery())
    if query.list_id == MISSING_FAO_DATA:
        return select(func.count()).select_from(Accession).where(_lacks_fao_data(),
                                                                 in_collection())
    if query.list_id in BY_ID:
        return select(func.count()).select_from(LotFlag).where(
            LotFlag.rule == query.list_id, LotFlag.lot_id.not_in(_withdrawn_lots()))
    raise Refused("no_such_worklist", worklist=query.list_id)


@everyone
def page(session: Session, query: WorkQuery, *, limit: int = 200, offset: int = 0) \
        -> list[WorkItem]:
    if query.order == "taxon" and not BY_ID[query.list_id].per_lot:
        return _page_by_taxon(session, query, limit, offset)
    statement = _ordered(session, query).limit(limit).offset(offset)
    return [_item(query, row) for row in session.execute(statement)]


def _page_by_taxon(session: Session, query: WorkQuery, limit: int, offset: int) \
        -> list[WorkItem]:
    """A page of a list of accessions in taxon order, walked taxon by taxon.

    Sorting half a million accessions by taxon takes seconds; a gene bank holds a few
    hundred taxa, and each taxon's accessions come from the taxon index in milliseconds.
    """
    direction = (lambda c: c.desc()) if query.descending else (lambda c: c)
    taxa = session.scalars(select(Taxon.id).order_by(
        *(direction(c) for c in (Taxon.genus, Taxon.species, Taxon.id))))
    statement = _filtered(session, query)
    rows: list[tuple] = []  # type: ignore[type-arg]
    for taxon_id in taxa:
        rows += session.execute(statement.where(Accession.taxon_id == taxon_id)
                                .order_by(direction(Accession.accenumb),
                                          direction(Accession.id))
                                .limit(offset + limit - len(rows)))
        if len(rows) >= offset + limit:
            break
    return [_item(query, row) for row in rows[offset:]]


@everyone
def all_items(session: Session, query: WorkQuery, *, chunk: int = 5000) -> Iterator[WorkItem]:
    """Every item of the list in order (for export), streamed in chunks."""
    for partition in session.execute(_ordered(session, query)
                                     .execution_options(yield_per=chunk)).partitions():
        yield from (_item(query, row) for row in partition)


@dataclass(frozen=True, slots=True)
class WorklistRows:
    """Every item of a list as plain rows, for a file: values in ``headings`` order."""

    title: str
    headings: tuple[str, ...]
    rows: list[tuple[object, ...]]


@everyone
def worklist_rows(session: Session, query: WorkQuery, *,
                  progress: Progress | None = None) -> WorklistRows:
    """Every item of the list ``query`` asks, as filtered and sorted on screen."""
    progress = progress or NoProgress()
    worklist = BY_ID[query.list_id]
    total = count(session, query)
    headings = worklist_export.HEADINGS
    if not worklist.per_lot:
        headings = (*headings[:2], headings[-1])  # no lot, storage or due date
    rows: list[tuple[object, ...]] = []
    for item in all_items(session, query):
        values = {"Accession": item.accenumb, "Taxon": item.taxon, "Lot": item.lot_number,
                  "Storage": item.storage_type,
                  "Due": f"{item.due:%Y-%m-%d}" if item.due else "", "Reason": item.reason}
        rows.append(tuple(values[heading] for heading in headings))
        if len(rows) % 5000 == 0:
            check(progress)
            progress.report(len(rows), total, f"Read {len(rows):,} of {total:,}")
    return WorklistRows(worklist.title, headings, rows)


@everyone
def export_worklist(session: Session, query: WorkQuery, path: Path, *,
                    progress: Progress | None = None) -> int:
    """Write every item of the list to ``path`` (.xlsx); returns how many were written."""
    progress = progress or NoProgress()
    listed = worklist_rows(session, query, progress=progress)
    worklist_export.write_worklist(path, title=listed.title, headings=listed.headings,
                                   rows=listed.rows)
    progress.report(len(listed.rows), len(listed.rows), f"Wrote {len(listed.rows):,} rows")
    return len(listed.rows)


@everyone
def overview(session: Session, *, today: dt.date) -> dict[str, int]:
    """The counts behind each list, for the collection overview."""
    return {w.id: count(session, WorkQuery(w.id, today)) for w in WORKLISTS}


@everyone
def collection_totals(session: Session) -> dict[str, int]:
    """Accessions and lots by status: the denominators of the overview (the collection's:
    withdrawn accessions and their lots left out)."""
    totals = {"accessions": session.scalar(select(func.count()).select_from(Accession)
                                           .where(in_collection())) or 0}
    for status, number in session.execute(select(SeedLot.status, func.count())
                                          .where(in_collection(SeedLot.accession_id))
                                          .group_by(SeedLot.status)):
        totals[f"{status}_lots"] = number
    return totals


# Queries ---------------------------------------------------------------------------------
def _filtered(session: Session, query: WorkQuery, *, counting: bool = False) -> Select:
    if query.list_id not in BY_ID:
        raise Refused("no_such_worklist", worklist=query.list_id)
    worklist = BY_ID[query.list_id]
    if query.list_id in TEST_LISTS:
        # a row per test: the columns of a lot's row, the test's date and percentage in the
        # places of the lot's next test and flag message
        statement = (select(Accession.id, Accession.accenumb, SeedLot.id, SeedLot.lot_number,
                            SeedLot.storage_type, GerminationTest.tested_on,
                            GerminationTest.seeds_consumed, SeedLot.stored_on,
                            GerminationTest.germination_pct)
                     .select_from(GerminationTest)
                     .join(SeedLot, SeedLot.id == GerminationTest.lot_id)
                     .join(Accession, Accession.id == SeedLot.accession_id)
                     .where(GerminationTest.status == TEST_LISTS[query.list_id],
                            live(GerminationTest)))
    elif worklist.per_lot:
        statement = (select(Accession.id, Accession.accenumb, SeedLot.id, SeedLot.lot_number,
                            SeedLot.storage_type, SeedLot.next_test_due,
                            SeedLot.last_tested_on, SeedLot.stored_on)
                     .join(Accession, Accession.id == SeedLot.accession_id))
        if query.list_id == TESTS_DUE:
            statement = statement.add_columns(null()).where(
                SeedLot.status == "active", SeedLot.next_test_due <= query.today)
        else:
            statement = (statement.join(LotFlag, LotFlag.lot_id == SeedLot.id)
                         .add_columns(LotFlag.message).where(LotFlag.rule == query.list_id))
    elif query.list_id == MISSING_FAO_DATA:
        stored = _has_storage()
        lacking = case((~stored & Accession.sampstat.is_(None), "both"),
                       (~stored, "storage"), else_="sampstat")
        statement = select(Accession.id, Accession.accenumb, *(null() for _ in range(6)),
                           lacking).where(_lacks_fao_data())
    else:
        missing = _has_base_lot() if query.list_id == WITHOUT_BASE_LOT else _has_duplicate()
        statement = select(Accession.id, Accession.accenumb, *(null() for _ in range(6)),
                           literal("")).where(~missing)
    statement = statement.where(in_collection(Accession.id))
    if query.search.strip():
        # as IN lists on the driving table, so each side is served by its own index
        term = query.search.strip()
        accession_ids = select(Accession.id).where(
            text_match.starts_with(session, Accession.accenumb, term))
        if worklist.per_lot:
            scanned = aliased(SeedLot)
            lot_ids = select(scanned.id).where(
                text_match.starts_with(session, scanned.lot_number, term))
            statement = statement.where(or_(SeedLot.accession_id.in_(accession_ids),
                                            SeedLot.id.in_(lot_ids)))
        else:
            statement = statement.where(Accession.id.in_(accession_ids))
    if not counting:
        statement = statement.outerjoin(Taxon, Taxon.id == Accession.taxon_id).add_columns(
            Taxon.genus, Taxon.species)
        if query.list_id in TEST_LISTS:  # a lot may have several: the row is about this one
            statement = statement.add_columns(GerminationTest.id)
    return statement


def _ordered(session: Session, query: WorkQuery) -> Select:
    if query.order not in SORT_KEYS:
        raise Refused("worklist_order_unknown", order=query.order)
    statement = _filtered(session, query)
    per_lot = BY_ID[query.list_id].per_lot
    if query.list_id in TEST_LISTS:
        return statement.order_by(*(c.desc() if query.descending else c
                                    for c in _test_keys(query.order)))
    keys: dict[str, list[ColumnElement[object]]] = {
        "accession": [Accession.accenumb],
        "taxon": [Taxon.genus, Taxon.species, Accession.accenumb],
        "lot": [SeedLot.lot_number] if per_lot else [Accession.accenumb],
        "storage": [SeedLot.storage_type, Accession.accenumb] if per_lot
        else [Accession.accenumb],
        "due": [SeedLot.next_test_due, Accession.accenumb] if per_lot else [Accession.accenumb],
        "reason": ([LotFlag.message] if per_lot and query.list_id != TESTS_DUE
                   else [SeedLot.next_test_due] if per_lot else []) + [Accession.accenumb],
    }
    columns = keys[query.order] + ([SeedLot.id] if per_lot else [Accession.id])
    return statement.order_by(*(c.desc() if query.descending else c for c in columns))


def _test_keys(order: str) -> list[ColumnElement[object]]:
    """The sort of a list of tests: its dates stand in for "due" and "reason"."""
    by_date: list[ColumnElement[object]] = [GerminationTest.tested_on, Accession.accenumb]
    keys: dict[str, list[ColumnElement[object]]] = {
        "accession": [Accession.accenumb], "taxon": [Taxon.genus, Taxon.species,
                                                     Accession.accenumb],
        "lot": [SeedLot.lot_number], "storage": [SeedLot.storage_type, Accession.accenumb],
        "due": by_date, "reason": by_date}
    return [*keys[order], GerminationTest.id]


def _item(query: WorkQuery, row: tuple) -> WorkItem:  # type: ignore[type-arg]
    (accession_id, accenumb, lot_id, lot_number, storage_type, due, last_tested, stored_on,
     message, genus, species, *test) = row
    numbers: tuple[int | float, ...] = ()
    if query.list_id == TESTS_TO_COUNT:
        days = (query.today - due).days
        ago = "today" if days == 0 else "1 day ago" if days == 1 else "{} days ago"
        template = (f"germination test sown {due:%Y-%m-%d} ({ago}, {{}} seeds): "
                    "not yet counted")
        numbers = ((days,) if days > 1 else ()) + (last_tested,)
    elif query.list_id == COUNTS_SHORT:
        template = (f"germination test of {due:%Y-%m-%d} ({{}} %): counts short of the "
                    "seeds sown")
        numbers = (message,)
    elif query.list_id == TESTS_DUE:
        template, numbers = _when(due, query.today)
        template = (f"viability test due {template}"
                    + (f"; last test {last_tested:%Y-%m-%d}" if last_tested
                       else f"; first test (stored {stored_on:%Y-%m-%d})"))
    elif query.list_id == WITHOUT_BASE_LOT:
        template = "no active base-collection lot"
    elif query.list_id == WITHOUT_SAFETY_DUPLICATE:
        template = "no safety duplicate sent"
    elif query.list_id == MISSING_FAO_DATA:
        template = MISSING_FAO_REASONS[message]
    else:
        template = message.replace("{", "{{").replace("}", "}}")
    taxon = " ".join(part for part in (genus, species) if part)
    return WorkItem(accession_id, accenumb, taxon, lot_id, lot_number, storage_type,
                    due if query.list_id == TESTS_DUE else None,
                    template.format(*(f"{n:,}" if isinstance(n, int) else canonical(n)
                                      for n in numbers)), template, numbers,
                    test_id=test[0] if test else None)


def _when(due: dt.date, today: dt.date) -> tuple[str, tuple[int, ...]]:
    """When a test fell due, with its number of days overdue as a {} field."""
    days = (today - due).days
    if days == 0:
        return f"today ({due:%Y-%m-%d})", ()
    return f"since {due:%Y-%m-%d} ({{}} days overdue)", (days,)


def _withdrawn_lots() -> Select[tuple[int]]:
    """The lots of withdrawn accessions (few: read through the withdrawn accessions)."""
    return select(SeedLot.id).where(SeedLot.accession_id.in_(withdrawn_ids()))


def _has_base_lot() -> exists:
    return exists().where(SeedLot.accession_id == Accession.id,
                          SeedLot.storage_type == "base", SeedLot.status == "active")


def _has_storage() -> exists:
    return exists().where(AccessionStorage.accession_id == Accession.id)


def _lacks_fao_data() -> ColumnElement[bool]:
    """An accession FAO reporting cannot use in full: no storage type (SDG 2.5.1 counts
    only accessions with one) or no biological status (SAMPSTAT)."""
    return or_(Accession.sampstat.is_(None), ~_has_storage())


def _has_duplicate() -> ColumnElement[bool]:
    """A safety-duplicate site in the MCPD export: typed in DUPLSITE, or an institute
    holding a sent or confirmed duplicate (:func:`regenerations.duplicated_accessions`)."""
    return or_(exists().where(SafetyDuplicate.accession_id == Accession.id,
                              SafetyDuplicate.status.in_(DUPLICATE_KEPT),
                              live(SafetyDuplicate)),
               exists().where(AccessionInstitute.accession_id == Accession.id,
                              AccessionInstitute.role == "DUPLSITE"))
