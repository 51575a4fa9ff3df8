"""Migration 0007: the import log counts "unchanged"; every foreign-key column has an index."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.orm import Session

from genebank import db
from genebank.models import Base
from genebank.passport import import_logs
from tests.migrations.older_rows import every_row, indexed_columns, records_of_0006

REFERENCES_0007 = {
    ("seed_lot", "parent_lot_id"), ("lot_transaction", "from_location_id"),
    ("lot_transaction", "to_location_id"), ("germination_test", "transaction_id"),
    ("regeneration", "source_lot_id"), ("regeneration", "harvested_lot_id"),
    ("safety_duplicate", "accession_id"), ("safety_duplicate", "transaction_id"),
    ("course", "host_code"),
}
OLD_IMPORTS = [  # (details, created, updated, skipped) as imports before 0007 wrote them
    ("0 created, 12 updated, 1,204 unchanged, 3 skipped\nrow 7: skipped, KZ-7 exists already\n"
     "row 9: KZ-9 updated: ORIGCTY 'KAZ' -> 'UZB'", 0, 12, 3),
    ("25 created, 0 updated, 2 skipped\nrow 4: skipped, ACCENUMB: is missing", 25, 0, 2),
    ("row 3: ACCENUMB is missing", 5, 0, 1),
    ("0 created, 4 updated, 9 unchanged, 0 skipped", 0, 5, 0),  # not this entry's own line
]


def _old_import_log(connection: Connection, entry_id: int, details: str, created: int,
                    updated: int, skipped: int) -> None:
    connection.execute(text(
        "INSERT INTO import_log (id, kind, file_name, sheet, finished_at, created_count, "
        "updated_count, skipped_count, details, created_at, created_by, updated_at, "
        "updated_by, version) VALUES (:id, 'passport', 'Passeport 2025 (corrigé).xlsx', "
        "'Feuil1', :at, :created, :updated, :skipped, :details, :at, 'amina', :at, 'amina', "
        "1)"), {"id": entry_id, "at": dt.datetime(2025, 6, 3, 9, 41), "created": created,
                "updated": updated, "skipped": skipped, "details": details})


def test_0007_counts_unchanged_keeps_every_record_and_indexes_the_references(
        empty_engine: Engine) -> None:
    """Upgrading 0006 with data: the import log gets its unchanged count back from the
    counts line its entries wrote (else 0), no record is lost or changed, and every
    reference column gets its index."""
    db.upgrade(empty_engine, "0006")
    with empty_engine.begin() as connection:
        records_of_0006(connection)
        for entry_id, (details, created, updated, skipped) in enumerate(OLD_IMPORTS, 1):
            _old_import_log(connection, entry_id, details, created, updated, skipped)
    with empty_engine.connect() as connection:
        before = every_row(connection)
    assert all(before[table] for table in {t for t, _ in REFERENCES_0007}
               | {"accession_name", "germination_replicate", "storage_location"})
    assert not any(column in indexed_columns(empty_engine, table)
                   for table, column in REFERENCES_0007)

    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert every_row(connection) == before
        assert connection.execute(text(
            "SELECT id, created_count, updated_count, unchanged_count, skipped_count, details "
            "FROM import_log ORDER BY id")).all() == [
            (entry_id, created, updated, unchanged, skipped, details)
            for entry_id, ((details, created, updated, skipped), unchanged)
            in enumerate(zip(OLD_IMPORTS, (1204, 0, 0, 0), strict=True), 1)]
    for table, column in REFERENCES_0007:
        assert indexed_columns(empty_engine, table).get(column) == f"ix_{table}_{column}"
    with Session(empty_engine) as session:
        assert [(e.id, e.unchanged) for e in import_logs.recent_imports(session)] == [
            (4, 0), (3, 0), (2, 0), (1, 1204)]


def test_0007_downgrade_keeps_the_unchanged_count_in_the_details(empty_engine: Engine) -> None:
    """Back to 0006 the column and the indexes go; each entry's details still say how
    many were unchanged, and upgrading again reads the count back."""
    db.upgrade(empty_engine)
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        records_of_0006(connection)
        connection.execute(tables["import_log"].insert().values(
            id=1, kind="passport", file_name="export.xlsx", sheet="Passport",
            finished_at=dt.datetime(2026, 11, 26, 8, 0), created_count=0, updated_count=1,
            unchanged_count=1203, skipped_count=0,
            details="0 created, 1 updated, 1,203 unchanged, 0 skipped"))
        before = every_row(connection)
    db.downgrade(empty_engine, "0006")
    assert "unchanged_count" not in {c["name"] for c in inspect(empty_engine).get_columns(
        "import_log")}
    assert not any(column in indexed_columns(empty_engine, table)
                   for table, column in REFERENCES_0007)
    with empty_engine.connect() as connection:
        assert every_row(connection) == before
        assert connection.execute(text("SELECT details FROM import_log")).scalar_one() \
            == "0 created, 1 updated, 1,203 unchanged, 0 skipped"
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT unchanged_count FROM import_log")).scalar_one() \
            == 1203
