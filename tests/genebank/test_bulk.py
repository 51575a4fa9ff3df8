"""Bulk writes (imports, demo data) and the collector pause around them."""

from __future__ import annotations

import gc
import threading

import pytest
from sqlalchemy import func, select

from genebank import db, gc_pause
from genebank.gc_pause import paused_gc
from genebank.models import Institute
from genebank.services import bulk

COLUMNS = ("code", "name", "address", "country")


def institutes(count: int, start: int = 0) -> list[tuple[object, ...]]:
    return [(f"TST{i:05d}", f"Institute {i}", "", None) for i in range(start, start + count)]


def test_many_rows_over_several_statements_all_get_the_audit_values(
        database: db.Database) -> None:
    """2,345 rows need three statements on SQLite; every row is written once, in order."""
    with database.session_factory.begin() as session:
        audit = bulk.audit_row(session)
        bulk.insert_rows(session, Institute.__table__, COLUMNS, institutes(2345), audit)
    with database.session_factory() as session:
        rows = session.execute(select(Institute).order_by(Institute.id)).scalars().all()
    assert [r.code for r in rows] == [f"TST{i:05d}" for i in range(2345)]
    assert {(r.created_by, r.updated_by, r.version) for r in rows} == {("tester", "tester", 1)}
    assert len({r.created_at for r in rows}) == 1


def test_a_failing_background_insert_stops_the_writer_and_keeps_nothing(
        database: db.Database) -> None:
    """The second insert breaks a unique constraint on the writer's thread: the error
    reaches the caller and the whole transaction rolls back."""
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), \
            database.session_factory.begin() as session:
        audit = bulk.audit_row(session)
        with bulk.BackgroundInserts(session) as inserts:
            for batch in (institutes(50), institutes(1, start=10), institutes(50, start=100)):
                inserts.insert(Institute.__table__, COLUMNS, batch, audit)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Institute)
                              .where(Institute.code.like("TST%"))) == 0


def test_the_collector_is_paused_until_the_outermost_pause_ends() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
        inner_done = threading.Event()

        def pause_in_another_thread() -> None:
            with paused_gc():
                pass
            inner_done.set()

        other = threading.Thread(target=pause_in_another_thread)
        other.start()
        other.join()
        assert inner_done.is_set()
        assert not gc.isenabled()  # the other thread's pause ended, ours has not
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_pause_taken_on_one_thread_is_given_back_on_another() -> None:
    """A task pauses the collector on the GUI thread and its worker resumes it."""
    owned = gc_pause.pause()
    assert owned and not gc.isenabled()
    with paused_gc():  # a bulk step inside the task nests
        assert not gc.isenabled()
    assert not gc.isenabled()
    worker = threading.Thread(target=gc_pause.resume, args=(owned,))
    worker.start()
    worker.join()
    assert gc.isenabled()
