"""Migration 0012: an accession's own rows, without audit columns of their own, keyed by
accession and place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, inspect, text

from genebank import db
from tests.migrations.older_rows import (
    insert_accession,
    insert_institutes_and_taxon,
    insert_owned_row,
)

OWNED_BEFORE_0012 = {  # table: rows (id, accession_id, then the table's own columns)
    "accession_name": [(1, 7, 0, "Kazakhstanskaya 10"), (2, 7, 1, "Almaty white"),
                       (3, 8, 3, "Lonely name")],
    "accession_other_number": [(4, 7, 0, "KAZ001", "OLD-7")],
    "accession_storage": [(5, 7, 12), (6, 7, 13)],
    "accession_institute": [(7, 7, "COLLCODE", 0, "KAZ001"), (8, 7, "DUPLSITE", 0, "NOR051"),
                            (9, 7, "DUPLSITE", 1, "TUR001")],
    # Two remarks of accession 7 sharing place 0 (the later id shown second).
    "accession_remark": [(11, 7, 0, "COLLSITE:near the river"), (10, 7, 0, "SAMPSTAT:mixed"),
                         (12, 7, 1, "REMARKS:third")],
}
OWN_COLUMNS_0012 = {"accession_name": ("position", "name"),
                    "accession_other_number": ("position", "instcode", "number"),
                    "accession_storage": ("code",),
                    "accession_institute": ("role", "position", "code"),
                    "accession_remark": ("position", "remark")}


def _collection_of_0008(connection: Connection) -> None:
    insert_institutes_and_taxon(connection)
    insert_accession(connection, 7, "KAZ001", "KZ-7", created=dt.datetime(2024, 3, 1))
    insert_accession(connection, 8, "KAZ001", "KZ-8", created=dt.datetime(2025, 5, 9))
    for table, rows in OWNED_BEFORE_0012.items():
        for row_id, accession_id, *own in rows:
            insert_owned_row(connection, table, id=row_id, accession_id=accession_id,
                             **dict(zip(OWN_COLUMNS_0012[table], own, strict=True)))


def _owned_rows(connection: Connection, table: str) -> list[tuple[object, ...]]:
    columns = ", ".join(("accession_id", *OWN_COLUMNS_0012[table]))
    return [tuple(row) for row in connection.execute(text(
        f"SELECT {columns} FROM {table} ORDER BY {columns}"))]


def test_0012_keeps_every_owned_row_in_its_order_without_audit_columns(
        empty_engine: Engine) -> None:
    """Upgrading 0008 with data: every name, number, storage type, institute and remark
    stays with its accession and its place; two rows sharing a place both stay, numbered
    again in their stored order; the audit columns and ids go; on SQLite the tables are
    WITHOUT ROWID; deleting the accession still deletes them."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        _collection_of_0008(connection)
    db.upgrade(empty_engine)
    schema = inspect(empty_engine)
    with empty_engine.connect() as connection:
        for table in OWNED_BEFORE_0012:
            assert [c["name"] for c in schema.get_columns(table)] == [
                "accession_id", *OWN_COLUMNS_0012[table]]
        assert _owned_rows(connection, "accession_name") == [
            (7, 0, "Kazakhstanskaya 10"), (7, 1, "Almaty white"), (8, 3, "Lonely name")]
        assert _owned_rows(connection, "accession_remark") == [
            (7, 0, "SAMPSTAT:mixed"), (7, 1, "COLLSITE:near the river"),
            (7, 2, "REMARKS:third")]
        assert _owned_rows(connection, "accession_institute") == [
            (7, "COLLCODE", 0, "KAZ001"), (7, "DUPLSITE", 0, "NOR051"),
            (7, "DUPLSITE", 1, "TUR001")]
        assert _owned_rows(connection, "accession_storage") == [(7, 12), (7, 13)]
        assert _owned_rows(connection, "accession_other_number") == [(7, 0, "KAZ001", "OLD-7")]
        if empty_engine.dialect.name == "sqlite":
            assert {name for name, sql in connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
                if sql.rstrip().endswith("WITHOUT ROWID")} == set(OWNED_BEFORE_0012)
    with empty_engine.begin() as connection:
        if empty_engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA foreign_keys = ON"))
        connection.execute(text("DELETE FROM accession WHERE id = 7"))
    with empty_engine.connect() as connection:
        assert {table: len(_owned_rows(connection, table)) for table in OWNED_BEFORE_0012} \
            == {"accession_name": 1, "accession_other_number": 0, "accession_storage": 0,
                "accession_institute": 0, "accession_remark": 0}


def test_0012_downgrade_gives_each_row_an_id_and_its_accessions_stamp(
        empty_engine: Engine) -> None:
    """Back to 0008 each owned row gets an id (in its accession's order) and the stamp of
    its accession, version 1; a row added afterwards gets the next id."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        _collection_of_0008(connection)
    db.upgrade(empty_engine)
    db.downgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        assert [tuple(row) for row in connection.execute(text(
            "SELECT n.id, n.accession_id, n.position, n.name, n.created_by, n.version, "
            "n.created_at = a.created_at AND n.updated_at = a.updated_at "
            "FROM accession_name n JOIN accession a ON a.id = n.accession_id "
            "ORDER BY n.id"))] == [(1, 7, 0, "Kazakhstanskaya 10", "lab", 1, True),
                                   (2, 7, 1, "Almaty white", "lab", 1, True),
                                   (3, 8, 3, "Lonely name", "lab", 1, True)]
        assert connection.execute(text(
            "SELECT id, remark FROM accession_remark ORDER BY id")).all() == [
            (1, "SAMPSTAT:mixed"), (2, "COLLSITE:near the river"), (3, "REMARKS:third")]
        at = dt.datetime(2026, 1, 1)
        connection.execute(text(
            "INSERT INTO accession_name (accession_id, position, name, created_at, created_by, "
            "updated_at, updated_by, version) VALUES (8, 4, 'Added', :at, '', :at, '', 1)"),
            {"at": at})
        assert connection.execute(text(
            "SELECT id FROM accession_name WHERE name = 'Added'")).scalar() == 4
    assert "ix_accession_name_accession_id" in {
        index["name"] for index in inspect(empty_engine).get_indexes("accession_name")}
