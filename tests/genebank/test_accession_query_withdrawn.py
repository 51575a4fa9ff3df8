"""The main table leaves withdrawn accessions out without reading the collection twice.

Measured on the 1,000,000-accession demo (bench/README.md, session 6): withdrawal's first
version counted a single filter's matches twice (its index alone to choose the driver, then
every match again to leave the withdrawn out: STORAGE = 13 took 4.9x the CPU), and checked
every id the table lists against the withdrawn ones even where none is (+40 ms a million
ids). These tests read SQLite's plans of the statements the table runs, not the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from genebank import db
from genebank.demo import demo
from genebank.models import Accession, AccessionStorage, Taxon
from genebank.passport import withdrawals
from genebank.passport.accession_query import (
    AccessionFilter,
    count_matching,
    first_page,
    matching_ids,
)

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def collection(database: db.Database) -> db.Database:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=200, lots=False, today=TODAY)
    return database


def _withdraw(database: db.Database, *keys: int) -> None:
    with database.session_factory.begin() as session:
        for key in keys:
            withdrawals.withdraw_accession(session, key, on=TODAY, reason="dead")


def _plans(database: db.Database, work: Callable[[Session], object]) -> list[list[str]]:
    """SQLite's query plan (its steps' words) of each SELECT ``work`` runs, those run
    through the driver's own cursor (the id list) too: SQLite's trace of the connection."""
    statements: list[str] = []

    def trace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    def untrace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(None)

    event.listen(database.engine, "checkout", trace)
    event.listen(database.engine, "checkin", untrace)
    try:
        with database.session_factory() as session:
            work(session)
    finally:
        event.remove(database.engine, "checkout", trace)
        event.remove(database.engine, "checkin", untrace)
    with database.engine.connect() as connection:
        return [[row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
                for sql in statements if sql.lstrip().upper().startswith("SELECT")]


def _reads(plans: list[list[str]], index: str) -> int:
    """How many statements read ``index``."""
    return sum(any(index in step for step in plan) for plan in plans)


def _expected(session: Session, where: AccessionFilter) -> set[int]:
    """The ids ``where`` matches, worked out without the table's query service."""
    query = select(Accession.id).join(Taxon, Taxon.id == Accession.taxon_id)
    if where.cropname:
        query = query.where(Taxon.cropname == where.cropname)
    if where.origcty:
        query = query.where(Accession.origcty == where.origcty)
    if where.sampstat is not None:
        query = query.where(Accession.sampstat == where.sampstat)
    if where.storage is not None:
        query = query.where(Accession.id.in_(select(AccessionStorage.accession_id).where(
            AccessionStorage.code == where.storage)))
    if not where.include_withdrawn:
        query = query.where(Accession.withdrawn_on.is_(None))
    return set(session.scalars(query))


@pytest.fixture
def filters(collection: db.Database) -> Iterator[list[AccessionFilter]]:
    with collection.session_factory() as session:
        first = session.get(Accession, 1)
        assert first is not None
        crop = session.scalar(select(Taxon.cropname).where(Taxon.id == first.taxon_id))
        yield [AccessionFilter(), AccessionFilter(sampstat=first.sampstat),
               AccessionFilter(storage=13), AccessionFilter(origcty=first.origcty),
               AccessionFilter(cropname=crop),
               AccessionFilter(sampstat=first.sampstat, storage=13),
               AccessionFilter(origcty=first.origcty, cropname=crop)]


def test_counts_and_ids_leave_the_withdrawn_out_on_both_databases(
        collection: db.Database, filters: list[AccessionFilter]) -> None:
    """Each filter alone and combined: the count (a single filter's own count less its
    withdrawn rows), the first page and every id leave the withdrawn out, and put them
    back with Show withdrawn; before any withdrawal as after."""
    for withdrawn in ((), (1, 2, 3, 50, 120)):
        _withdraw(collection, *withdrawn)
        with collection.session_factory() as session:
            assert len(_expected(session, AccessionFilter())) == 200 - len(withdrawn)
            for where in filters:
                for shown in (where, replace(where, include_withdrawn=True)):
                    expected = _expected(session, shown)
                    ids = list(matching_ids(session, shown))
                    assert len(ids) == len(expected) and set(ids) == expected, shown
                    assert count_matching(session, shown) == len(expected), shown
                    page = first_page(session, shown, limit=20)
                    assert page.count == len(expected), shown
                    assert page.ids == ids[:20], shown
                    if not shown.include_withdrawn:
                        assert not set(withdrawn) & set(ids), shown


@pytest.mark.parametrize(("field", "index"), [
    ("sampstat", "ix_accession_sampstat"),
    ("storage", "ix_accession_storage_code"),
    ("origcty", "ix_accession_origcty"),
    ("text", "ix_accession_accenumb"),
])
def test_a_single_filter_reads_its_matches_once(sqlite_database: db.Database, field: str,
                                                 index: str) -> None:
    """With an accession withdrawn, a single filter's count reads the filter's index once
    (its own count) and the withdrawn rows through their partial index: not every match
    twice."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=50, lots=False, today=TODAY)
        first = session.get(Accession, 1)
        assert first is not None
        where = {"sampstat": AccessionFilter(sampstat=first.sampstat),
                 "storage": AccessionFilter(storage=13),
                 "origcty": AccessionFilter(origcty=first.origcty),
                 "text": AccessionFilter(text="DEMO-00000")}[field]  # every one of the 50
    _withdraw(sqlite_database, 7)
    plans = _plans(sqlite_database, lambda session: count_matching(session, where))
    assert _reads(plans, index) == 1, plans
    assert _reads(plans, "ix_accession_withdrawn_on") == 2, plans  # counted, then matched


def test_ids_are_not_checked_against_withdrawals_when_there_are_none(
        sqlite_database: db.Database) -> None:
    """The table's every id, in order: with nothing withdrawn the only statement reading the
    withdrawn accessions' index is the one counting them; once one is withdrawn, it is left
    out (the withdrawn ids are read once, not looked up for each id)."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=30, lots=False, today=TODAY)
    listed: list[list[int]] = []

    def ids(session: Session) -> None:
        listed.append(list(matching_ids(session, AccessionFilter())))

    plans = _plans(sqlite_database, ids)
    assert _reads(plans, "ix_accession_withdrawn_on") == 1, plans
    assert len(listed[0]) == 30
    _withdraw(sqlite_database, 4)
    plans = _plans(sqlite_database, ids)
    assert _reads(plans, "ix_accession_withdrawn_on") == 2, plans
    assert not any("LIST SUBQUERY" in step for plan in plans for step in plan), plans
    assert len(listed[1]) == 29 and 4 not in listed[1]


def test_a_rare_filter_checks_its_few_matches_not_every_withdrawal(
        sqlite_database: db.Database) -> None:
    """A filter matching fewer accessions than are withdrawn counts its withdrawn matches
    from its own index (each match looked up), not from every withdrawn accession."""
    with sqlite_database.session_factory.begin() as session:
        demo.load_demo(session, accessions=50, lots=False, today=TODAY)
    _withdraw(sqlite_database, *range(1, 21))
    where = AccessionFilter(text="DEMO-000002")  # DEMO-0000020 to DEMO-0000029
    plans = _plans(sqlite_database, lambda session: count_matching(session, where))
    assert _reads(plans, "ix_accession_withdrawn_on") == 1, plans  # the withdrawn counted
    with sqlite_database.session_factory() as session:
        assert count_matching(session, where) == 9  # 21..29
        assert len(matching_ids(session, where)) == 9
