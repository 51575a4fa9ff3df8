"""Shared fixtures: a fresh database per test, on SQLite always and on PostgreSQL when
GENEBANK_TEST_POSTGRES_URL names a server (``.ci/run`` sets it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from genebank import db
from genebank.models import Base

POSTGRES_ENV = "GENEBANK_TEST_POSTGRES_URL"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def postgres_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def create_postgres_database(prefix: str = "genebank_test") -> str:
    """A new empty database on the test server; returns its URL."""
    server = make_url(postgres_server_url())  # type: ignore[arg-type]
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    server = make_url(postgres_server_url())  # type: ignore[arg-type]
    name = make_url(url).database
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()



def revision_of(url: str) -> str:
    """The Alembic revision a database is at (read directly, without opening it)."""
    engine = db.create_engine_for(url)
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    return str(revision)

@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. "
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[db.Database]:
    """An open, migrated, empty Genebank database: SQLite, then PostgreSQL if configured."""
    if request.param == "sqlite":
        database = db.open_database(db.sqlite_url(tmp_path / "test.sqlite"), user="tester")
        yield database
        database.close()
        return
    url = request.getfixturevalue("postgres_url")
    database = db.open_database(url, user="tester")
    yield database
    with database.engine.begin() as connection:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    database.close()


@pytest.fixture(scope="session")
def postgres_roles(postgres_url: str) -> Iterator[str]:
    """The session's server database with its login roles set up (``genebank server
    set-up``); yields the role prefix. The roles are cluster-wide and other test runs
    share the server: they are dropped at the end."""
    from genebank import server_roles

    database = db.open_database(postgres_url, user="tester")
    try:
        with database.engine.begin() as connection:
            prefix = server_roles.set_up(connection).prefix
        yield prefix
    finally:
        with database.engine.begin() as connection:
            server_roles.drop_roles(connection, server_roles.role_prefix(connection)
                                    or server_roles.default_prefix(make_url(
                                        postgres_url).database or ""))
        database.close()


@pytest.fixture
def server_accounts(request: pytest.FixtureRequest) -> None:
    """People on a server database too: the session's server database gets its login
    roles (without them a server database refuses people, ``server_roles_missing``)."""
    if postgres_server_url():
        request.getfixturevalue("postgres_roles")


@pytest.fixture
def sqlite_database(tmp_path: Any) -> Iterator[db.Database]:
    database = db.open_database(db.sqlite_url(tmp_path / "test.sqlite"), user="tester")
    yield database
    database.close()


def passport_values(**overrides: object) -> dict[str, object]:
    """Raw form values for a valid accession, as a person would type them."""
    values: dict[str, object] = {
        "INSTCODE": "KAZ001", "ACCENUMB": "KZ-0001", "GENUS": "Triticum",
        "SPECIES": "aestivum", "SPAUTHOR": "L.", "CROPNAME": "bread wheat",
        "ACCENAME": "Kazakhstanskaya 10", "ACQDATE": "19750612", "ORIGCTY": "KAZ",
        "SAMPSTAT": "300", "STORAGE": "13", "MLSSTAT": "1",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}
