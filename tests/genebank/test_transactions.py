"""genebank.transactions: write transactions take SQLite's write lock at their start, reads
stay deferred, contention is retried a bounded number of times and then reported plainly."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from genebank import db, transactions
from genebank.models import Institute
from genebank.passport.accessions import ensure_institute


def other_writer(database: db.Database, *, timeout: float = 0.1) -> sqlite3.Connection:
    """A second program's connection to the same SQLite file, waiting ``timeout`` s."""
    path = db.sqlite_path(database.url)
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def test_a_write_session_holds_the_write_lock_from_its_start(
        sqlite_database: db.Database) -> None:
    """Before it has written anything, a write session keeps other writers out (so it can
    never be refused half way for reading first); a read session does not."""
    writer = other_writer(sqlite_database)
    with transactions.read_session(sqlite_database) as session:
        session.scalar(select(func.count()).select_from(Institute))
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("ROLLBACK")
    with transactions.write_session(sqlite_database) as session:
        session.scalar(select(func.count()).select_from(Institute))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            writer.execute("BEGIN IMMEDIATE")
    writer.close()


def test_reads_go_on_while_another_transaction_writes(sqlite_database: db.Database) -> None:
    """The table's background reads never queue behind an import: a read session reads
    the last committed state while a write session is open."""
    with transactions.write_session(sqlite_database) as writing:
        ensure_institute(writing, "KAZ001")
        writing.flush()
        count = transactions.run_read(sqlite_database, lambda session: session.scalar(
            select(func.count()).select_from(Institute)), operation="Counting")
        assert count == 0


def test_overlapping_saves_wait_for_each_other_instead_of_failing(
        sqlite_database: db.Database) -> None:
    """Two saves at once: the second waits for the first's lock and then saves, where a
    transaction that read first used to fail at once with "database is locked"."""
    second_started = threading.Event()
    failures: list[BaseException] = []

    def second() -> None:
        second_started.set()
        try:
            transactions.run_write(sqlite_database, lambda session: ensure_institute(
                session, "UZB001"), operation="Saving")
        except BaseException as error:  # reported below
            failures.append(error)

    with transactions.write_session(sqlite_database) as session:
        session.scalar(select(func.count()).select_from(Institute))  # reads first
        thread = threading.Thread(target=second)
        thread.start()
        second_started.wait(10)
        ensure_institute(session, "KAZ001")
    thread.join(30)
    assert failures == []
    with sqlite_database.session_factory() as session:
        assert set(session.scalars(select(Institute.code))) == {"KAZ001", "UZB001"}


def locked() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(
        "database is locked"))


def test_contention_is_retried_then_the_work_is_done(sqlite_database: db.Database) -> None:
    """A busy database on the first two attempts: the third does the work, once."""
    attempts: list[int] = []

    def work(session: object) -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise locked()
        return "saved"

    assert transactions.run_write(sqlite_database, work, operation="Saving") == "saved"
    assert len(attempts) == 3


def test_lasting_contention_is_reported_with_the_operation_and_what_to_do(
        sqlite_database: db.Database) -> None:
    """Busy through every attempt: DatabaseBusy names the operation, says nothing was
    changed and what to do, and carries a code and parameters for the GUI."""
    def work(_session: object) -> None:
        raise locked()

    with pytest.raises(transactions.DatabaseBusy) as busy:
        transactions.run_write(sqlite_database, work, operation="Saving KZ-0001", attempts=2)
    assert busy.value.code == "database_file_busy"  # a SQLite file: not "a workstation"
    assert busy.value.params["operation"] == "Saving KZ-0001"
    assert busy.value.params["attempts"] == 2
    assert str(busy.value).startswith("Saving KZ-0001: another program or Genebank window "
                                      "using this file kept the database busy")
    assert "nothing was changed" in str(busy.value)


def test_other_errors_are_not_retried(sqlite_database: db.Database) -> None:
    """A broken rule is no contention: one attempt, the error as it is."""
    attempts: list[int] = []

    def work(_session: object) -> None:
        attempts.append(1)
        raise IntegrityError("INSERT", None, sqlite3.IntegrityError("UNIQUE constraint"))

    with pytest.raises(IntegrityError):
        transactions.run_write(sqlite_database, work, operation="Saving")
    assert attempts == [1]


@pytest.mark.parametrize(("sqlstate", "retried"), [("40001", True), ("40P01", True),
                                                    ("55P03", True), ("23505", False)])
def test_postgresql_contention_codes(sqlstate: str, retried: bool) -> None:
    """Serialization failures, deadlocks and lock timeouts are retried; a duplicate not."""
    class Driver(Exception):
        pass

    original = Driver("error")
    original.sqlstate = sqlstate  # type: ignore[attr-defined]
    assert transactions.is_contention(DBAPIError("SELECT 1", None, original)) is retried


def test_the_locked_message_says_what_was_being_done_and_claims_no_wait(
        tmp_path: Path) -> None:
    """A locked database is reported with the operation and what to do; it does not blame
    "a lock held 5 s", which SQLite may report at once."""
    message = db.describe_driver_error(
        db.sqlite_url(tmp_path / "x.sqlite"), sqlite3.OperationalError("database is locked"),
        operation="Saving KZ-0001")
    assert message.startswith("Saving KZ-0001: ")
    assert "5 s" not in message and "nothing was changed" in message
    assert "Try again" in message


def test_a_full_disk_is_reported_as_such(tmp_path: Path) -> None:
    """SQLite's "database or disk is full" says the disk is full and nothing was saved."""
    message = db.describe_driver_error(
        db.sqlite_url(tmp_path / "x.sqlite"),
        sqlite3.OperationalError("database or disk is full"), operation="Importing")
    assert message.startswith("Importing: the disk holding")
    assert "is full; nothing was changed. Free some space" in message


def test_one_at_a_time_makes_a_second_transaction_wait(database: db.Database) -> None:
    """Two write transactions of the same name run one after the other on PostgreSQL (an
    advisory lock), as SQLite's single writer does anyway."""
    if database.is_sqlite:
        pytest.skip("SQLite's write transactions are one at a time already")
    with transactions.write_session(database) as session:
        transactions.one_at_a_time(session, "passport import")
        with database.engine.connect() as other:
            assert other.scalar(text(
                "SELECT pg_try_advisory_xact_lock(hashtext('genebank:passport import'))")) \
                is False
            assert other.scalar(text(
                "SELECT pg_try_advisory_xact_lock(hashtext('genebank:demo'))")) is True
            other.rollback()


def test_a_refusal_by_the_server_is_not_called_unreachable(database: db.Database) -> None:
    """A duplicate key on PostgreSQL is reported as what it is, not as "cannot reach the
    server" (which the command line said of any PostgreSQL error)."""
    if database.is_sqlite:
        pytest.skip("PostgreSQL's wording")
    with pytest.raises(IntegrityError) as duplicate, database.engine.begin() as connection:
        for _ in range(2):
            connection.execute(text("INSERT INTO institute (code, name, address, created_at, "
                                    "created_by, updated_at, updated_by, version) VALUES "
                                    "('DUP001', '', '', now(), 't', now(), 't', 1)"))
    message = db.describe_engine_error(database.engine, duplicate.value, operation="Saving")
    assert "cannot reach" not in message and "duplicate key" in message
    assert message.startswith("Saving: the database ")


def test_a_row_held_by_another_workstation_is_waited_for_then_reported(
        database: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a colleague's session holds a row (left open, or an import's lock); a
    save waits the busy timeout at each attempt and then says so (DatabaseBusy), instead of
    waiting for ever behind a greyed-out form."""
    if database.is_sqlite:
        pytest.skip("SQLite's busy timeout already bounds every wait")
    with database.session_factory.begin() as session:
        ensure_institute(session, "KAZ001")
    monkeypatch.setattr(transactions, "BUSY_TIMEOUT_MS", 300)
    holder = database.engine.connect()
    holder.begin()
    holder.execute(text("SELECT * FROM institute WHERE code = 'KAZ001' FOR UPDATE"))
    outcome: list[BaseException | str] = []

    def save() -> None:
        try:
            transactions.run_write(database, lambda session: session.execute(text(
                "UPDATE institute SET name = 'Almaty' WHERE code = 'KAZ001'")),
                operation="Saving KAZ001", attempts=2)
            outcome.append("saved")
        except BaseException as error:  # the outcome is what is tested
            outcome.append(error)

    saver = threading.Thread(target=save)
    saver.start()
    saver.join(timeout=20)
    still_waiting = saver.is_alive()
    holder.rollback()
    holder.close()
    saver.join()
    assert not still_waiting, "the save waited for as long as the row was held"
    assert isinstance(outcome[0], transactions.DatabaseBusy), outcome
    assert outcome[0].params["operation"] == "Saving KAZ001"
