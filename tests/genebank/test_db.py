"""Opening databases: creation, refusal of foreign or newer files, backup before upgrade."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from genebank import backup, db


def test_a_new_file_is_created_and_migrated(tmp_path: Path) -> None:
    """Opening a missing file creates it at the newest schema (in a folder that exists:
    see test_no_folders_made)."""
    path = tmp_path / "new.sqlite"
    database = db.open_database(str(path))
    try:
        assert path.exists()
        assert db.schema_revision(database.engine) == (db.head_revision(), False)
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == db.BUSY_TIMEOUT_MS
    finally:
        database.close()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    """A spreadsheet renamed .sqlite is refused and left exactly as it was."""
    path = tmp_path / "collection.sqlite"
    path.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(db.NotAGenebankDatabase, match="not a Genebank database"):
        db.open_database(str(path))
    assert path.read_bytes() == b"PK\x03\x04 not a database"


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    """A SQLite file with other tables is refused without changes."""
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    with pytest.raises(db.NotAGenebankDatabase, match="holds other tables"):
        db.open_database(str(path))
    with sqlite3.connect(path) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        assert [t[0] for t in tables] == ["things"]


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    """A schema revision this program does not know means a newer Genebank made it."""
    path = tmp_path / "newer.sqlite"
    db.open_database(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(db.DatabaseTooNew, match="newer version of Genebank"):
        db.open_database(str(path))


def test_an_older_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    """Opening an older schema takes a backup first, then upgrades to the newest."""
    path = tmp_path / "old.sqlite"
    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine)
    db.downgrade(engine, "base")  # the oldest Genebank schema: before the first migration
    engine.dispose()
    database = db.open_database(str(path), backup_dir=tmp_path / "backups")
    try:
        assert database.backup_path is not None and database.backup_path.exists()
        assert db.schema_revision(database.engine)[0] == db.head_revision()
    finally:
        database.close()


def test_a_read_only_file_is_refused_with_a_clear_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only database file gets a message saying so, and is not changed."""
    path = tmp_path / "ro.sqlite"
    db.open_database(str(path)).close()
    before = path.read_bytes()
    path.chmod(0o444)
    if os.name != "nt" and os.geteuid() == 0:  # root may write anyway; act as a user would
        monkeypatch.setattr(db.os, "access", lambda p, mode: Path(p) != path)
    with pytest.raises(db.DatabaseUnavailable, match="read-only"):
        db.open_database(str(path))
    assert path.read_bytes() == before


def test_a_locked_database_is_reported_plainly(tmp_path: Path) -> None:
    """A database held by another writer is reported as in use, not as a crash."""
    message = db.describe_driver_error(
        db.sqlite_url(tmp_path / "x.sqlite"), sqlite3.OperationalError("database is locked"))
    assert "in use by another program" in message


def test_an_unreachable_postgresql_server_is_reported(tmp_path: Path) -> None:
    """A PostgreSQL server that does not answer gets a message naming host and port."""
    with pytest.raises(db.DatabaseUnavailable, match=r"cannot reach the PostgreSQL server "
                                                     r"127\.0\.0\.1:1"):
        db.open_database("postgresql+psycopg://nobody@127.0.0.1:1/genebank?connect_timeout=2")


def test_backup_of_a_sqlite_database_is_a_working_copy(sqlite_database: db.Database,
                                                       tmp_path: Path) -> None:
    """A backup opens as a Genebank database; an existing target is never overwritten."""
    target = backup.backup(sqlite_database, tmp_path / "copy.sqlite")
    db.open_database(str(target)).close()
    with pytest.raises(db.DatabaseError, match="already exists"):
        backup.backup(sqlite_database, target)
