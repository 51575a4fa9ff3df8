"""A failed bulk write of any kind leaves the database exactly as before: a full SQLite
database, a full disk, an error in the insert thread, SQLite giving the transaction up, a
failure at commit; on SQLite and PostgreSQL, through the command line and the service."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text

from genebank import backup, cli, db, transactions
from genebank.io import passport_preview, spreadsheet
from genebank.models import Accession, Base, ImportLog
from genebank.models.base import utcnow
from genebank.passport import passport_existing, passport_import
from genebank.services import bulk, staged_inserts
from tests.genebank.mcpd_files import write_mcpd_csv


def counts(database: db.Database) -> dict[str, int]:
    """Rows in every table: equal before and after means nothing was left behind."""
    with database.engine.connect() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables}


def import_cli(database: db.Database, path: Path) -> int:
    return cli.main(["--database", database.url, "import-mcpd", str(path)])


def prepared(database: db.Database, tmp_path: Path) -> dict[str, int]:
    """A database already holding the file's taxa and institutes (as a real collection
    does), so that rows of an abandoned transaction would not fail on a missing taxon."""
    assert import_cli(database, write_mcpd_csv(tmp_path / "earlier.csv", 8, prefix="E")) == 0
    return counts(database)


def assert_imports_whole_after(database: db.Database, before: dict[str, int], path: Path,
                               rows: int) -> None:
    """Nothing was kept of the failed import; the same file then imports every row."""
    assert counts(database) == before
    assert import_cli(database, path) == 0
    after = counts(database)
    assert after["accession"] == before["accession"] + rows
    assert after["import_log"] == before["import_log"] + 1
    assert after["accession_storage"] == before["accession_storage"] + rows * 3 // 2


@contextlib.contextmanager
def page_limit(pages: int) -> Iterator[None]:
    """Every SQLite connection opened meanwhile can grow its database to ``pages`` pages
    (SQLite's max_page_count: a full database on any system, without root)."""
    def limit(connection: Any, _record: object) -> None:
        if isinstance(connection, sqlite3.Connection):
            connection.execute(f"PRAGMA max_page_count = {pages}")
    event.listen(Engine, "connect", limit)
    try:
        yield
    finally:
        event.remove(Engine, "connect", limit)


def test_a_full_database_during_an_import_keeps_nothing_of_it(
        sqlite_database: db.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) \
        -> None:
    """SQLite fills up (max_page_count) during a 3,000-row import from the command line:
    one plain line says so, nothing of the import is kept, no import log; once there is
    room the same file imports whole."""
    before = prepared(sqlite_database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 3000)
    with sqlite_database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    capsys.readouterr()
    with page_limit(pages + 60):
        assert import_cli(sqlite_database, path) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("genebank: Importing passport data: the disk holding")
    assert "is full; nothing was changed" in error
    assert_imports_whole_after(sqlite_database, before, path, 3000)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system (tmpfs), where the machine lets the tests mount one."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = shutil.which("mount") and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("cannot mount a tmpfs here (needs Linux and root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_during_an_import_keeps_nothing_of_it(
        small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The disk holding the database fills up (a 2 MB tmpfs) during an 8,000-row import:
    SQLite gives the transaction up, and the accessions still queued are not committed one
    by one (as they were: thousands of accessions without their storage codes or
    remarks); the same file imports whole onto a disk with room."""
    database = db.open_database(db.sqlite_url(small_disk / "genebank.sqlite"), user="tester")
    try:
        before = prepared(database, tmp_path)
        path = write_mcpd_csv(tmp_path / "big.csv", 8000)
        capsys.readouterr()
        assert import_cli(database, path) == 1
        assert "is full; nothing was changed" in capsys.readouterr().err
        assert counts(database) == before
    finally:
        database.close()
    moved = tmp_path / "roomy.sqlite"
    backup.backup_sqlite(db.create_engine_for(db.sqlite_url(small_disk / "genebank.sqlite")),
                     moved)
    roomy = db.open_database(db.sqlite_url(moved), user="tester")
    try:
        assert_imports_whole_after(roomy, before, path, 8000)
    finally:
        roomy.close()


def preview_of(database: db.Database, path: Path) -> passport_preview.ImportPreview:
    preview = passport_preview.preview_passports(spreadsheet.read_sheet(path, None))
    with database.session_factory() as session:
        passport_existing.mark_existing(session, preview)
    return preview


def apply(database: db.Database, preview: passport_preview.ImportPreview) -> None:
    transactions.run_write(database, lambda session: passport_import.apply_import(
        session, preview, on_errors=passport_import.OnErrors.SKIP_ROWS),
        operation="Importing passport data")


def failing_insert(monkeypatch: pytest.MonkeyPatch, *, fail_at: int,
                   action: Callable[[Any], None]) -> list[str]:
    """Bulk inserts run as usual but the ``fail_at``-th (from 1) does ``action`` instead;
    returns the tables of the inserts that ran after it. (On PostgreSQL an import's rows
    are COPYed into staging tables on the insert thread: those writes count too.)"""
    real, real_copy = bulk._insert, staged_inserts.Staging.copy
    calls: list[str] = []
    after: list[str] = []

    def insert(connection: Any, table: Any, *args: Any, write: Any = real) -> None:
        calls.append(table.name)
        if len(calls) == fail_at:
            action(connection)
            return
        if len(calls) > fail_at:
            after.append(table.name)
        write(connection, table, *args)

    def copy(staging: Any, connection: Any, table: Any, *args: Any) -> None:
        insert(connection, table, *args,
               write=lambda *given: real_copy(staging, *given))  # type: ignore[misc]

    monkeypatch.setattr(bulk, "_insert", insert)
    monkeypatch.setattr(staged_inserts.Staging, "copy", copy)
    return after


def test_an_error_in_the_insert_thread_cancels_the_queued_inserts(
        database: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The third bulk insert fails on the insert thread: no queued insert runs after it,
    the error reaches the caller, and nothing is kept."""
    before = prepared(database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 3000)
    preview = preview_of(database, path)
    monkeypatch.setattr(passport_import, "BATCH", 500)  # six batches: many inserts queued

    def fail(_connection: Any) -> None:
        raise RuntimeError("injected failure")

    after = failing_insert(monkeypatch, fail_at=3, action=fail)
    with pytest.raises(RuntimeError, match="injected failure"):
        apply(database, preview)
    assert after == []
    assert counts(database) == before
    monkeypatch.undo()
    assert_imports_whole_after(database, before, path, 3000)


def test_no_bulk_insert_runs_after_sqlite_gave_the_transaction_up(
        sqlite_database: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) \
        -> None:
    """SQLite ends the transaction by itself (as on SQLITE_FULL or an I/O error) without
    the insert noticing: the next bulk insert refuses to run in autocommit, so the import
    fails whole instead of committing the rest row by row."""
    before = prepared(sqlite_database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 3000)
    preview = preview_of(sqlite_database, path)
    monkeypatch.setattr(passport_import, "BATCH", 500)

    def abandon(connection: Any) -> None:
        connection.connection.driver_connection.execute("ROLLBACK")

    failing_insert(monkeypatch, fail_at=2, action=abandon)
    with pytest.raises(db.TransactionLost, match="nothing of it was saved"):
        apply(sqlite_database, preview)
    assert counts(sqlite_database) == before
    monkeypatch.undo()
    assert_imports_whole_after(sqlite_database, before, path, 3000)


def test_no_statement_runs_after_sqlite_gave_the_transaction_up(
        sqlite_database: db.Database) -> None:
    """The engine itself refuses a statement of a transaction SQLite has ended: it would
    otherwise be committed on its own."""
    with pytest.raises(db.TransactionLost) as refused, \
            transactions.write_session(sqlite_database) as session:
        session.add(ImportLog(kind="passport", file_name="a.csv", sheet="", details="",
                              finished_at=utcnow()))
        session.flush()
        session.connection().connection.driver_connection.execute("ROLLBACK")
        session.add(ImportLog(kind="passport", file_name="b.csv", sheet="", details="",
                              finished_at=utcnow()))
        session.flush()
    assert refused.value.code == "transaction_lost"
    assert counts(sqlite_database)["import_log"] == 0


def test_a_failure_at_commit_keeps_nothing(database: db.Database, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit itself fails (the disk, the server): the import is not kept."""
    before = prepared(database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 2000)
    preview = preview_of(database, path)
    error = (sqlite3.OperationalError("disk I/O error") if database.is_sqlite else
             __import__("psycopg").OperationalError("server closed the connection"))

    def commit(_connection: Any) -> None:
        raise error

    monkeypatch.setattr(database.engine.dialect, "do_commit", commit)
    with pytest.raises(Exception, match=r"disk I/O error|server closed"):
        apply(database, preview)
    monkeypatch.undo()
    database.engine.dispose()  # the connection whose commit failed is not trusted again
    assert counts(database) == before
    assert_imports_whole_after(database, before, path, 2000)


def test_ids_of_an_import_come_from_the_database(
        database: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A form saves an accession on another connection while an import runs: both keep
    their rows (PostgreSQL: the import takes its ids from the sequence, not max(id) + 1,
    which collided with the form's)."""
    if database.is_sqlite:
        pytest.skip("SQLite admits one writer at a time: the form waits for the import")
    from genebank.passport.accessions import create_accession
    from tests.conftest import passport_values

    before = prepared(database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 60)
    preview = preview_of(database, path)
    monkeypatch.setattr(passport_import, "BATCH", 20)
    saved: list[int] = []

    class FormSavesMeanwhile:
        def report(self, done: int, total: int, _text: str = "") -> None:
            if done == 20 and not saved:  # the first batch is in, the others to come
                def save() -> None:
                    with database.session_factory.begin() as session:
                        session.execute(text("SET LOCAL lock_timeout = '3s'"))
                        saved.append(create_accession(session, values=passport_values(
                            ACCENUMB="FORM-1")).id)
                thread = threading.Thread(target=save)
                thread.start()
                thread.join()

        def cancelled(self) -> bool:
            return False

    summary = transactions.run_write(database, lambda session: passport_import.apply_import(
        session, preview, progress=FormSavesMeanwhile()), operation="Importing")
    assert summary.created == 60 and len(saved) == 1
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == \
            before["accession"] + 61
