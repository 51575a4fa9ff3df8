"""What every migration test module shares: an empty database on each engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from genebank import db
from tests.server_team import server_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = db.create_engine_for(db.sqlite_url(tmp_path / "m.sqlite"))
        yield engine
        engine.dispose()
        return
    with server_database("genebank_migration") as url:  # and the roles a test set up
        engine = db.create_engine_for(url)
        try:
            yield engine
        finally:
            engine.dispose()
