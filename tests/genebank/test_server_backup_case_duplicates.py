"""A server database before 0008 may hold accession numbers (and lot numbers) that differ
only by case, which PostgreSQL's unique constraints allowed; its backup holds them all, and
opening the backup stops at 0008's duplicate check with the list, as the server does."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text

from genebank import backup, db
from genebank.passport.identity_collisions import DuplicateAccessions
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
    revision_of,
)

AT = dt.datetime(2021, 4, 2, 10, 0)
AUDIT = {"created_at": AT, "created_by": "lab", "updated_at": AT, "updated_by": "lab",
         "version": 1}


def store_case_duplicates(url: str) -> None:
    """At schema 0007: KZ-0001 and kz-0001 (one accession to 0008), and two lots L-1 and
    l-1, with their names and the institute and taxon they need."""
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0007")
    tables = MetaData()
    tables.reflect(engine)
    table = tables.tables
    with engine.begin() as connection:
        connection.execute(table["institute"].insert(), [
            {"id": 1, "code": "KAZ001", "name": "Almaty", "address": "", **AUDIT}])
        connection.execute(table["taxon"].insert(), [
            {"id": 1, "genus": "Triticum", "species": "aestivum", "spauthor": "",
             "subtaxa": "", "subtauthor": "", "cropname": "wheat",
             "sort_name": "triticum aestivum", **AUDIT}])
        connection.execute(table["accession"].insert(), [
            {"id": 1, "instcode": "KAZ001", "accenumb": "KZ-0001", "taxon_id": 1, **AUDIT},
            {"id": 2, "instcode": "KAZ001", "accenumb": "kz-0001", "taxon_id": 1,
             **{**AUDIT, "created_at": AT + dt.timedelta(days=400)}}])
        connection.execute(table["accession_name"].insert(), [
            {"accession_id": n, "position": 0, "name": "Almaty 1", **AUDIT} for n in (1, 2)])
        connection.execute(table["seed_lot"].insert(), [
            {"id": n, "accession_id": n, "lot_number": number, "storage_type": "base",
             "stored_on": AT.date(), "container": "jar", "status": "active", "notes": "",
             **AUDIT} for n, number in ((1, "L-1"), (2, "l-1"))])
    engine.dispose()


@pytest.fixture
def server_with_case_duplicates() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_case_duplicates")
    store_case_duplicates(url)
    yield url
    drop_postgres_database(url)


def server_counts(url: str) -> dict[str, int]:
    engine = db.create_engine_for(url)
    try:
        with engine.connect() as connection:
            names = [n for (n,) in connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))]
            return {n: connection.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()
                    for n in names}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_server_backup_holds_numbers_that_differ_only_by_case(
        server_with_case_duplicates: str, tmp_path: Path) -> None:
    target = backup.backup_server(server_with_case_duplicates, tmp_path / "copy.sqlite")
    assert revision_of(db.sqlite_url(target)) == "0007"
    copy = sqlite3.connect(target)
    try:
        assert backup.table_counts(copy) == server_counts(server_with_case_duplicates)
        assert copy.execute("SELECT accenumb FROM accession ORDER BY id").fetchall() == [
            ("KZ-0001",), ("kz-0001",)]
        assert copy.execute("SELECT lot_number FROM seed_lot ORDER BY id").fetchall() == [
            ("L-1",), ("l-1",)]
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        # As on the server, a number stored twice exactly is still refused...
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            copy.execute(
                "INSERT INTO accession (id, instcode, accenumb, taxon_id, created_at, "
                "created_by, updated_at, updated_by, version) VALUES (3, 'KAZ001', "
                "'KZ-0001', 1, '2021-04-02', 'lab', '2021-04-02', 'lab', 1)")
        # ...and a search still finds either spelling (the column stays NOCASE).
        assert copy.execute("SELECT count(*) FROM accession WHERE accenumb = 'kz-0001'"
                            ).fetchone() == (2,)
    finally:
        copy.close()


@pytest.mark.postgres
def test_opening_that_backup_stops_at_the_duplicate_check_with_the_list(
        server_with_case_duplicates: str, tmp_path: Path) -> None:
    target = backup.backup_server(server_with_case_duplicates, tmp_path / "copy.sqlite")
    with pytest.raises(DuplicateAccessions) as stopped:
        db.open_database(db.sqlite_url(target), create=False, backup_dir=tmp_path / "b")
    numbers = [[stored.accenumb for stored in group.accessions]
               for group in stopped.value.groups]
    assert numbers == [["KZ-0001", "kz-0001"]]
    assert revision_of(db.sqlite_url(target)) == "0007"  # nothing changed


def test_the_copy_schema_compares_unique_numbers_as_the_server(tmp_path: Path) -> None:
    """Every UNIQUE constraint over a NOCASE column (made by the migrations, at any
    revision) becomes a case-sensitive unique index of the same name."""
    for revision in ("0007", "head"):
        path = tmp_path / f"{revision}.sqlite"
        engine = db.create_engine_for(db.sqlite_url(path))
        db.upgrade(engine, revision)
        backup.unique_as_on_server(engine)
        engine.dispose()
        copy = sqlite3.connect(path)
        try:
            tables = [n for (n,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")]
            folded = [(table, index) for table in tables
                      for index in backup._folded_unique(copy, table)]
            assert folded == []
            made = dict(copy.execute("SELECT name, sql FROM sqlite_master WHERE name IN "
                                     "('uq_accession_instcode_accenumb', "
                                     "'uq_seed_lot_lot_number')").fetchall())
            assert '"accenumb" COLLATE BINARY' in made["uq_accession_instcode_accenumb"]
            assert '"lot_number" COLLATE BINARY' in made["uq_seed_lot_lot_number"]
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            copy.close()
