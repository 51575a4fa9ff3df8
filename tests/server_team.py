"""A set-up server database for the PostgreSQL tests: a new database on the test server,
``genebank server set-up`` run on it by the DBA (the test server's superuser), its first
administrator and the people a test needs; on leaving, the database and every role of its
prefix are dropped, whether the test passed, failed or the set-up itself failed halfway.

Login roles are cluster-wide and other test runs share the server, so a role left behind
would outlive the run: the prefix is known (``server_roles.default_prefix`` of the new
database's name) before anything is made, and its roles are dropped even when dropping
the database fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from genebank import db, server_roles
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url

DBA = Actor(None, "dba", frozenset(Role), unrestricted=True)
"""The DBA as an actor: writes records after people exist, bound by no Genebank role."""


@dataclass(frozen=True, slots=True)
class SetUpServer:
    url: str  # the DBA's address of the database
    prefix: str  # its login roles' prefix
    database: db.Database  # opened as the DBA; closed on leaving
    administrator: Actor  # the first administrator, who added everyone else


def prefix_of(url: str) -> str:
    """The prefix ``genebank server set-up`` gives the roles of ``url``'s database."""
    return server_roles.default_prefix(make_url(url).database or "")


def drop_prefixed_roles(prefix: str) -> None:
    """Every role whose name begins with ``prefix`` dropped, as the test server's
    superuser (what they own in its maintenance database too)."""
    engine = create_engine(postgres_server_url(),  # type: ignore[arg-type]
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            server_roles.drop_roles(connection, prefix)
    finally:
        engine.dispose()


@contextmanager
def server_database(name: str) -> Iterator[str]:
    """A new empty database on the test server (its URL, as the DBA); on leaving, the
    database and the roles of its prefix are dropped. Skips without a test server."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database(name)
    try:
        yield url
    finally:
        try:
            drop_postgres_database(url)
        finally:
            drop_prefixed_roles(prefix_of(url))


@contextmanager
def set_up_server(name: str, *, administrator: tuple[str, str],
                  people: Mapping[str, tuple[Role, str]] | None = None,
                  ) -> Iterator[SetUpServer]:
    """A new server database at the newest revision, set up by the DBA, with its first
    administrator (name, password) and, added by them, each of ``people`` (name: (role,
    password)). The database is opened as the DBA; everything is dropped on leaving."""
    with server_database(name) as url:
        database = db.open_database(url, user="dba")
        try:
            with database.engine.begin() as connection:
                prefix = server_roles.set_up(connection).prefix
            assert prefix == prefix_of(url), prefix  # the one dropped on leaving
            with database.session_factory.begin() as session:
                first = accounts.create_first_administrator(
                    session, name=administrator[0], password=administrator[1])
            admin = Actor(first.id, first.name, frozenset(first.roles))
            if people:
                with database.session_factory.begin() as session:
                    work_as(session, admin)
                    for person, (role, password) in people.items():
                        accounts.add_user(session, name=person, roles=[role],
                                          password=password)
            yield SetUpServer(url, prefix, database, admin)
        finally:
            database.close()
