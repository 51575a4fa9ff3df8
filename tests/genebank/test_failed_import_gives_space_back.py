"""An import that fails on a full disk gives the disk's space back at once: the rolled-back
pages SQLite wrote to the file's ``-wal`` are not kept (they held the disk at 100 % until the
window was closed, although nothing was imported), and the database is as it was. On a real
small file system (tmpfs, when the tests may mount one), with the database kept open as the
GUI keeps it."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from genebank import cli, db, transactions
from genebank.io import files, passport_preview, spreadsheet
from genebank.passport import passport_existing, passport_import
from tests.genebank.test_atomic_files import digest, fill, small_disk


@pytest.fixture(scope="module")
def mcpd_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MCPD export of 1,500 demo accessions."""
    folder = tmp_path_factory.mktemp("source")
    assert cli.main(["--database", str(folder / "demo.sqlite"), "demo",
                     "--accessions", "1500"]) == 0
    assert cli.main(["--database", str(folder / "demo.sqlite"), "export-mcpd",
                     str(folder / "all.csv")]) == 0
    return folder / "all.csv"


def import_rows(database: db.Database, csv: Path) -> None:
    """The import as the wizard and ``import-mcpd`` run it: checked, then written in one
    bulk write."""
    preview = passport_preview.preview_passports(spreadsheet.read_sheet(csv, None))
    with database.session_factory() as session:
        passport_existing.mark_existing(session, preview, clear_blank=False)

    def write(session: object) -> passport_import.ImportSummary:
        return passport_import.apply_import(session, preview,  # type: ignore[arg-type]
                                            on_errors=passport_import.OnErrors.SKIP_ROWS)

    transactions.run_write(database, write, operation="Importing", bulk=True)


def accessions(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM accession").fetchone()[0]


def test_a_failed_import_on_a_full_disk_leaves_no_wal_behind_while_the_file_is_open(
        mcpd_csv: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "stick", "6m") as stick:
        path = stick / "bank.sqlite"
        assert cli.main(["--database", str(path), "init"]) == 0
        before = digest(path)
        fill(stick, leave=256 * 1024)  # less than the import needs
        free_before = shutil.disk_usage(stick).free
        database = db.open_database(str(path))
        try:
            with pytest.raises(Exception) as failed:
                import_rows(database, mcpd_csv)
            assert files.is_disk_full(failed.value), failed.value  # the import's own error
            wal = path.with_name(path.name + "-wal")
            assert not wal.exists() or wal.stat().st_size == 0
            # The space the import took is back (SQLite's 32 KB -shm may stay).
            assert shutil.disk_usage(stick).free >= free_before - 64 * 1024
        finally:
            database.close()
        assert digest(path) == before and accessions(path) == 0


def test_giving_the_space_back_never_hides_the_writes_own_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clean-up is best effort: when it fails too, the user hears why the write failed."""
    database = db.open_database(str(tmp_path / "bank.sqlite"))
    tried: list[bool] = []

    def no_connection() -> None:
        tried.append(True)
        raise sqlite3.OperationalError("unable to open database file")

    def work(_session: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(database.engine, "raw_connection", no_connection)
    try:
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            transactions.run_write(database, work, operation="Importing", bulk=True)
    finally:
        monkeypatch.undo()
        database.close()
    assert tried == [True]


def test_a_reader_still_using_the_log_delays_the_failure_by_a_moment_only(
        tmp_path: Path) -> None:
    """Another window reading the file keeps the log in use, so it cannot be emptied: the
    write's own error comes at once (not after SQLite's 5 s busy timeout), and later
    writes wait for the lock as long as before."""
    path = tmp_path / "bank.sqlite"
    database = db.open_database(str(path))
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        with database.engine.begin() as connection:  # something in the log to read
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM accession").fetchone()

        def work(session: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            transactions.run_write(database, work, operation="Importing", bulk=True)
        assert time.monotonic() - started < 2
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == \
                db.BUSY_TIMEOUT_MS
    finally:
        reader.close()
        database.close()
