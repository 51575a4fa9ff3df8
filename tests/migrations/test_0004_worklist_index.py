"""Migration 0004: a safety duplicate recorded before it learns its accession from its lot."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, text

from genebank import db
from genebank.models import Base
from tests.migrations.older_rows import insert_accession, insert_institutes_and_taxon


def test_0004_gives_recorded_safety_duplicates_their_accession(empty_engine: Engine) -> None:
    """Duplicates recorded before 0004 learn their accession from their lot."""
    db.upgrade(empty_engine, "0003")
    tables = Base.metadata.tables  # Core inserts fill the audit columns' defaults
    with empty_engine.begin() as connection:
        insert_institutes_and_taxon(connection, "NOR051", "KAZ001")
        insert_accession(connection, 7, "KAZ001", "KZ-7")
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base",
            stored_on=dt.date(2025, 1, 1)))
        connection.execute(tables["safety_duplicate"].insert().values(
            id=1, lot_id=3, institute_code="NOR051", status="sent"))
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT accession_id FROM safety_duplicate")).all() \
            == [(7,)]
