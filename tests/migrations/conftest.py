"""What every migration test module shares: an empty database on each engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from genebank import db
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
