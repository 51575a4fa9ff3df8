"""Migrations: one head, upgrade from empty, round trip, and models equal to the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from genebank import db
from genebank.models import Base
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = db.create_engine_for(db.sqlite_url(tmp_path / "m.sqlite"))
        yield engine
        engine.dispose()
        return
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_migration")
    engine = db.create_engine_for(url)
    yield engine
    engine.dispose()
    drop_postgres_database(url)


def test_there_is_one_head_and_the_app_knows_it() -> None:
    """The migration history never forks, and db.SCHEMA_REVISION names its head."""
    heads = ScriptDirectory.from_config(db.alembic_config()).get_heads()
    assert heads == [db.SCHEMA_REVISION]


def test_upgrade_from_empty_matches_the_models(empty_engine: Engine) -> None:
    """Migrating an empty database gives exactly the schema the models describe."""
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_round_trip(empty_engine: Engine) -> None:
    """Every migration can be undone and redone."""
    db.upgrade(empty_engine)
    db.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(empty_engine)
    assert {"accession", "taxon", "institute"} <= set(inspect(empty_engine).get_table_names())


def test_0004_gives_recorded_safety_duplicates_their_accession(empty_engine: Engine) -> None:
    """Duplicates recorded before 0004 learn their accession from their lot."""
    db.upgrade(empty_engine, "0003")
    tables = Base.metadata.tables  # Core inserts fill the audit columns' defaults
    with empty_engine.begin() as connection:
        for code in ("NOR051", "KAZ001"):
            connection.execute(tables["institute"].insert().values(code=code, name=""))
        connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                           sort_name="triticum"))
        connection.execute(tables["accession"].insert().values(id=7, instcode="KAZ001",
                                                               accenumb="KZ-7", taxon_id=1))
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base",
            stored_on=dt.date(2025, 1, 1)))
        connection.execute(tables["safety_duplicate"].insert().values(
            id=1, lot_id=3, institute_code="NOR051", status="sent"))
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT accession_id FROM safety_duplicate")).all() \
            == [(7,)]
