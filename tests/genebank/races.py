"""Two workstations writing to one PostgreSQL database at the same moment, met in a fixed
order rather than by sleeps that hope: the first runs its work in a write transaction and
keeps it open (its locks held, nothing committed); the second runs on a thread of its own
through ``transactions.run_write``, as the window does, until it waits for a lock the
first holds or has ended; then the first commits, and what the second met is returned:
its result, or the exception it raised."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from genebank import db, problems, transactions
from genebank.conservation import seed_lots
from tests.genebank.test_seed_lots import TODAY

WAIT_S = 30.0  # for the second to reach the first's lock, or to end

# Another backend of this database waiting for a lock (a row, a key share, an advisory lock).
_WAITING = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")


@dataclass
class Met:
    """What the first's work returned, and what the second's returned or raised."""

    first: Any
    second: Any


@contextmanager
def workstations(database: db.Database, *names: str) -> Iterator[list[db.Database]]:
    """The database opened once more per name, as a person's workstation (the history and
    the void records name them); closed at the end."""
    opened = [db.open_database(database.url, user=name) for name in names]
    try:
        yield opened
    finally:
        for other in opened:
            other.close()


def server_only(database: db.Database) -> None:
    if database.is_sqlite:
        pytest.skip("on SQLite a write transaction holds the whole file: writers queue")


def race(first: db.Database, first_work: Callable[[Session], Any],
         second: db.Database, second_work: Callable[[Session], Any]) -> Met:
    """``first_work`` done and held open, ``second_work`` run meanwhile; see the module."""
    outcome: list[Any] = []

    def run_second() -> None:
        try:
            outcome.append(transactions.run_write(second, second_work, operation="Saving"))
        except BaseException as error:  # what the second met is what is tested
            outcome.append(error)

    thread = threading.Thread(target=run_second)
    with transactions.write_session(first) as session:
        done = first_work(session)
        session.flush()
        thread.start()
        with first.engine.connect() as watcher:
            deadline = time.monotonic() + WAIT_S
            while thread.is_alive() and not watcher.scalar(_WAITING):
                assert time.monotonic() < deadline, "the second neither waited nor ended"
                time.sleep(0.02)
                watcher.rollback()
    thread.join(WAIT_S)
    assert not thread.is_alive(), "the second still waits after the first committed"
    return Met(done, outcome[0])


def coded(error: object, code: str) -> problems.Coded:
    """``error`` is the coded refusal ``code`` (what the window words), not a driver's."""
    assert problems.is_coded(error), repr(error)
    assert error.code == code, (error.code, str(error))  # type: ignore[union-attr]
    return error  # type: ignore[return-value]


def store_lot(accession_id: int, **options: Any) -> Callable[[Session], Any]:
    """A colleague's new lot 'KZ-L-18' of 1,000 seeds on ``accession_id``."""
    return lambda s: seed_lots.store_lot(
        s, accession_id=accession_id, lot_number="KZ-L-18", storage_type="base",
        stored_on=TODAY, seeds=1000, today=TODAY, **options)

