"""One unit of work in one transaction, run the same way by the GUI, the CLI and scripts.

Why a module of its own: several workstations write to one database. On SQLite a transaction
that reads first and writes later cannot wait for the write lock (SQLite refuses at once with
"database is locked", whatever the busy timeout), so a transaction that will write takes the
lock at its start (``BEGIN IMMEDIATE``) and waits its turn there; read-only work stays deferred
so that the table's background reads never queue behind an import. On PostgreSQL two writers
can meet in a deadlock or a serialization failure. Either way the whole unit of work is run
again from the start, a bounded number of times, then reported plainly as
:class:`DatabaseBusy`, with a code and its parameters for the GUI to word.

``work`` must be safe to run again: it gets a fresh session each time and must not keep
anything from a failed attempt.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from genebank import driver_errors, problems
from genebank.db import BUSY_TIMEOUT_MS, Database, DatabaseError

T = TypeVar("T")

WRITE_OPTION = "genebank_write"
ATTEMPTS = 4
CHECKPOINT_WAIT_MS = 200  # giving back a failed bulk write's log space: see give_back_wal_space


problems.register({
    # A server database is shared by the workstations: one of them is writing.
    "database_busy": "{operation}: the database stayed busy with another workstation's work "
                     "for {seconds} s ({attempts} attempts); nothing was changed. Try again "
                     "in a moment; if it goes on, ask whoever is importing or backing up to "
                     "finish first",
    # A SQLite file is mostly one person's: the other writer is another Genebank window or
    # program on the same computer (or, on a shared folder, a colleague's).
    "database_file_busy": "{operation}: another program or Genebank window using this file "
                          "kept the database busy for {seconds} s ({attempts} attempts); "
                          "nothing was changed. Try again in a moment; if it goes on, close "
                          "that window or program, or let its import or backup finish first",
    # A short read bounded on a server (ui's read_now) that did not end in time.
    "read_timed_out": "{operation}: the database did not answer within {seconds} s (the "
                      "server may be slow, or busy with another workstation's work); nothing "
                      "was changed. Try again in a moment",
})


class DatabaseBusy(DatabaseError):
    """Another writer kept the database busy through every attempt: on a server another
    workstation (``database_busy``); on a SQLite file another program or Genebank window
    using the file (``database_file_busy``), as a file is rarely shared by workstations."""

    code = "database_busy"

    def __init__(self, *, operation: str, attempts: int, seconds: float,
                 sqlite: bool = False) -> None:
        super().__init__(code="database_file_busy" if sqlite else "database_busy",
                         params={"operation": operation, "attempts": attempts,
                                 "seconds": round(seconds)})


class ReadTimedOut(DatabaseError):
    """A bounded read (see :func:`read_session`) that the server did not finish in time."""

    code = "read_timed_out"

    def __init__(self, *, operation: str, seconds: float) -> None:
        super().__init__(params={"operation": operation, "seconds": round(seconds, 1)})


is_contention = driver_errors.is_contention
_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement_timeout


@contextmanager
def write_session(database: Database) -> Iterator[Session]:
    """A session whose transaction will write: on SQLite it holds the write lock from its
    first statement. Commits on success, rolls back on any error."""
    with database.session_factory(
            bind=database.engine.execution_options(**{WRITE_OPTION: True})) as session, \
            session.begin():
        if session.get_bind().dialect.name == "postgresql":
            # A row another workstation holds (an import's, or a colleague's session left
            # open) is waited for as long as SQLite's busy timeout, then retried, then
            # reported: never an endless wait behind a greyed-out form.
            session.execute(text(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}"))
        yield session


@contextmanager
def read_session(database: Database, *, timeout_ms: int | None = None) -> Iterator[Session]:
    """A session for reading only; its transaction (deferred on SQLite) is rolled back.

    ``timeout_ms`` bounds it on PostgreSQL, where a read can wait: for a table another
    workstation has locked whole (an upgrade, a TRUNCATE), or for a server that is slow to
    answer. A statement still running past it (waiting for a lock included) is cancelled
    by the server: :class:`ReadTimedOut`. (On SQLite in WAL mode a read never waits for a
    writer.)"""
    with database.session_factory() as session:
        if timeout_ms is not None and session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"SET LOCAL statement_timeout = {int(timeout_ms)}"))
        yield session


def one_at_a_time(session: Session, name: str) -> None:
    """Make this write transaction the only one called ``name`` running on the database
    until it ends: a second one (on any workstation) waits here. On PostgreSQL an advisory
    lock held to the end of the transaction; on SQLite the write transaction's lock already
    admits one writer at a time. Two imports of the same file then run one after the other,
    and the second finds what the first made."""
    if session.get_bind().dialect.name == "postgresql":
        # The other import may take minutes: wait for it whatever write_session's lock
        # timeout, then keep that timeout for the rows this transaction goes on to lock.
        session.execute(text("SET LOCAL lock_timeout = 0"))
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                        {"name": f"genebank:{name}"})
        session.execute(text(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}"))


def run_write(database: Database, work: Callable[[Session], T], *, operation: str,
              attempts: int = ATTEMPTS, bulk: bool = False) -> T:
    """Run ``work(session)`` in one write transaction, again from the start on contention.

    ``bulk``: an import or the demo writing many rows; a SQLite file is first checked whole,
    once per opened database, and a damaged one refused before anything is written."""
    if bulk:
        from genebank.sqlite_opening import refuse_damage_before_bulk_write

        refuse_damage_before_bulk_write(database)
    try:
        return _run(lambda: _in_write(database, work), operation=operation,
                    attempts=attempts, sqlite=database.is_sqlite)
    except BaseException:
        if bulk and database.is_sqlite:
            give_back_wal_space(database)
        raise


def give_back_wal_space(database: Database) -> None:
    """Shrink a SQLite file's write-ahead log after a bulk write failed and was rolled back.

    The rolled-back pages stay in the ``-wal`` file (megabytes for an import) until the last
    connection closes, so a disk that filled up during the import would stay full while the
    window is open, although nothing was written: "free some space, then try again" would
    have the user free space that Genebank itself holds. ``wal_checkpoint(TRUNCATE)`` empties
    the log (the rolled-back frames are never copied into the file). Best effort: it cannot
    truncate while another reader still uses the log, and any failure here must never hide
    the write's own error, which the caller raises."""
    try:
        # The driver's own connection, in autocommit: outside any transaction, which would
        # keep the log in use.
        pooled = database.engine.raw_connection()
        driver = pooled.driver_connection
        try:
            # TRUNCATE waits for readers still using the log: briefly, not the busy timeout,
            # so that the user hears about the failure at once.
            driver.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")  # type: ignore[union-attr]
            try:
                driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
            finally:
                driver.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]
        finally:
            pooled.close()
    except Exception:  # best effort: the write's own error is the one to report
        pass


def run_read(database: Database, work: Callable[[Session], T], *, operation: str,
             attempts: int = ATTEMPTS, timeout_ms: int | None = None) -> T:
    """Run ``work(session)`` read-only, again from the start on contention; each attempt
    bounded by ``timeout_ms`` on PostgreSQL (see :func:`read_session`)."""
    return _run(lambda: _in_read(database, work, operation=operation, timeout_ms=timeout_ms),
                operation=operation, attempts=attempts, sqlite=database.is_sqlite)


def _in_write(database: Database, work: Callable[[Session], T]) -> T:
    with write_session(database) as session:
        return work(session)


def _in_read(database: Database, work: Callable[[Session], T], *, operation: str,
             timeout_ms: int | None) -> T:
    try:
        with read_session(database, timeout_ms=timeout_ms) as session:
            return work(session)
    except DBAPIError as error:
        state = getattr(getattr(error, "orig", None), "sqlstate", None)
        if timeout_ms is not None and state == _QUERY_CANCELED:
            raise ReadTimedOut(operation=operation, seconds=timeout_ms / 1000) from error
        raise


def _run(attempt: Callable[[], T], *, operation: str, attempts: int, sqlite: bool) -> T:
    started = time.monotonic()
    for number in range(1, attempts + 1):
        try:
            return attempt()
        except DBAPIError as error:
            if not is_contention(error):
                raise
            if number == attempts:
                raise DatabaseBusy(operation=operation, attempts=attempts,
                                   seconds=time.monotonic() - started,
                                   sqlite=sqlite) from error
            # Back off a little, differently on each workstation, so they do not meet again.
            time.sleep(random.uniform(0.05, 0.2) * 2 ** (number - 1))
    raise AssertionError("unreachable")
