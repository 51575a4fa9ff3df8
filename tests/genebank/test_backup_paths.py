"""One backup of a PostgreSQL database, whatever its schema revision: a SQLite copy at that
revision which this Genebank opens and upgrades like any older file; and backups before an
upgrade that never collide on their name."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text

from genebank import backup, cli, db
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
    revision_of,
)

OLDER = "0006"
ACCESSIONS = 40


@pytest.fixture
def older_server_database() -> Iterator[str]:
    """A server database left at schema 0006 by an earlier Genebank, with taxa, institutes
    and accessions (two of which the identity key of 0008 normalises)."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_backup_older")
    engine = db.create_engine_for(url)
    db.upgrade(engine, OLDER)
    tables = MetaData()
    tables.reflect(engine)
    stamp = dt.datetime(2024, 5, 17, 9, 30, 15, 250000)
    audit = {"created_at": stamp, "created_by": "tech", "updated_at": stamp,
             "updated_by": "tech", "version": 1}
    with engine.begin() as connection:
        connection.execute(tables.tables["institute"].insert(), [
            {"id": n + 1, "code": f"KAZ00{n}", "name": f"Institute {n}", "address": "Almaty",
             **audit} for n in range(3)])
        connection.execute(tables.tables["taxon"].insert(), [
            {"id": 1, "genus": "Triticum", "species": "aestivum", "spauthor": "L.",
             "subtaxa": "", "subtauthor": "", "cropname": "wheat",
             "sort_name": "triticum aestivum", **audit}])
        connection.execute(tables.tables["accession"].insert(), [
            {"id": n + 1, "instcode": "KAZ001", "accenumb": f"KZ-{n:04d}", "taxon_id": 1,
             **audit} for n in range(ACCESSIONS)])
    engine.dispose()
    yield url
    drop_postgres_database(url)


@pytest.mark.postgres
def test_a_backup_of_an_older_server_database_opens_and_upgrades_here(
        older_server_database: str, tmp_path: Path) -> None:
    """`genebank backup` of a server database not upgraded yet writes a SQLite copy at the
    server's revision, through the one checked path (nothing else left in the folder), and
    this Genebank opens that copy like any older file: backed up, upgraded, every row kept."""
    target = tmp_path / "before-upgrade.sqlite"
    assert cli.main(["--database", older_server_database, "backup", str(target)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert revision_of(db.sqlite_url(target)) == OLDER
    assert revision_of(older_server_database) == OLDER

    database = db.open_database(str(target), create=False, backup_dir=tmp_path / "old")
    try:
        assert database.backup_path is not None and database.backup_path.exists()
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
        with database.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT accenumb, created_at, created_by FROM accession ORDER BY id")).all()
            institutes = connection.execute(text(
                "SELECT code FROM institute ORDER BY code")).scalars().all()
    finally:
        database.close()
    assert [r.accenumb for r in rows] == [f"KZ-{n:04d}" for n in range(ACCESSIONS)]
    assert {str(r.created_at) for r in rows} == {"2024-05-17 09:30:15.250000"}
    assert institutes == ["KAZ000", "KAZ001", "KAZ002"]


@pytest.mark.postgres
def test_a_server_column_the_copy_has_no_place_for_stops_the_backup(
        older_server_database: str, tmp_path: Path) -> None:
    """A column someone added on the server would be lost in the copy: the backup stops,
    says which, and leaves nothing."""
    engine = db.create_engine_for(older_server_database)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE accession ADD COLUMN field_notes text"))
    engine.dispose()
    target = tmp_path / "copy.sqlite"
    with pytest.raises(backup.BackupFailed) as failed:
        backup.backup_server(older_server_database, target)
    assert failed.value.code == "check_failed"
    assert "accession.field_notes" in str(failed.value) and "pg_dump" in str(failed.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_backup_of_a_current_server_database_keeps_every_value(
        postgres_url: str, tmp_path: Path) -> None:
    """The same path backs up an upgraded server database: a demo collection copied to
    PostgreSQL and backed up reads back, table by table, value by value, as it was."""
    from genebank.models import Base

    demo = tmp_path / "demo.sqlite"
    assert cli.main(["--database", str(demo), "demo", "--accessions", "60", "--courses", "1",
                     "--participants", "8"]) == 0
    url = create_postgres_database("genebank_backup_values")
    try:
        server = db.open_database(url, user="tester")
        source = db.open_database(str(demo))
        with source.engine.connect() as reader:
            backup.copy_rows(reader, server.engine)
        target = tmp_path / "copy.sqlite"
        backup.backup(server, target)
        server.close()
        copy = db.open_database(str(target), create=False)
        try:
            with source.engine.connect() as before, copy.engine.connect() as after:
                for table in Base.metadata.sorted_tables:
                    order = list(table.primary_key.columns)
                    expected = before.execute(select(table).order_by(*order)).all()
                    assert after.execute(select(table).order_by(*order)).all() == expected, \
                        table.name
        finally:
            copy.close()
            source.close()
    finally:
        drop_postgres_database(url)


def test_two_backups_before_an_upgrade_in_one_second_both_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups named to the second: a second one within that second gets '-2', a third
    '-3', instead of failing with 'already exists'."""
    path = tmp_path / "genebank.sqlite"
    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine, OLDER)
    moment = dt.datetime(2026, 11, 26, 4, 30, 0)
    monkeypatch.setattr(backup, "dt", types.SimpleNamespace(datetime=types.SimpleNamespace(
        now=lambda: moment)))
    try:
        made = [backup.backup_before_upgrade(engine, path, backup_dir=None) for _ in range(3)]
    finally:
        engine.dispose()
    assert [p.name for p in made] == [
        "genebank.backup-20261126-043000.sqlite", "genebank.backup-20261126-043000-2.sqlite",
        "genebank.backup-20261126-043000-3.sqlite"]
    for copy in made:
        with contextlib.closing(sqlite3.connect(copy)) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone() \
                == (OLDER,)
