"""Migration 0010: accessions say whether they are available for distribution; the
collection's settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from genebank import db
from genebank.models import Base
from genebank.passport import own_institutes
from tests.migrations.older_rows import every_row, records_of_0006


def test_0010_adds_availability_and_the_collection_settings(empty_engine: Engine) -> None:
    """Upgrading 0008 with data: every accession's availability is unknown (NULL), the
    settings table is there and empty (a database has no own institute codes until
    someone sets them), and no record is lost or changed; back to 0008 both go, in place,
    and every record (an accession's names and seed lots included) stays."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        records_of_0006(connection)
        before = every_row(connection)
    db.upgrade(empty_engine, "0010")
    with empty_engine.begin() as connection:
        assert every_row(connection) == before
        assert connection.execute(text(
            "SELECT id, available_for_distribution FROM accession")).all() == [(7, None)]
        assert connection.execute(text("SELECT count(*) FROM collection_setting")).scalar() == 0
        connection.execute(text(
            "UPDATE accession SET available_for_distribution = :yes"), {"yes": True})
        connection.execute(Base.metadata.tables["collection_setting"].insert().values(
            key="own_instcodes", value="KAZ001", created_at=dt.datetime(2026, 11, 26),
            created_by="lab", updated_at=dt.datetime(2026, 11, 26), updated_by="lab",
            version=1))
    with Session(empty_engine) as session:
        assert own_institutes.own_instcodes(session) == ("KAZ001",)
    db.downgrade(empty_engine, "0008")
    assert "collection_setting" not in inspect(empty_engine).get_table_names()
    assert "available_for_distribution" not in {
        c["name"] for c in inspect(empty_engine).get_columns("accession")}
    with empty_engine.connect() as connection:
        assert every_row(connection) == before
