"""A server database has no people until its login roles are set up (``genebank server
set-up``, tests/genebank/test_server_roles.py): adding one before is refused in plain
words, by the core and so by the command line, and nothing is written, so no workstation
is locked out by a sign-in nobody could make."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from genebank import db
from genebank.models import UserAccount
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.actor import actor_of
from genebank.users.roles import Role
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    passport_values,
    postgres_server_url,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def unset_url() -> Iterator[str]:
    """A server database of its own, never set up (the session's may be)."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("gb_unset")
    db.open_database(url, user="tester").close()  # a Genebank database, at its newest
    yield url
    drop_postgres_database(url)


@pytest.fixture
def server(unset_url: str) -> Iterator[db.Database]:
    database = db.open_database(unset_url, user="tester")
    yield database
    database.close()


def test_a_server_database_refuses_its_first_person_and_works_as_before(
        server: db.Database) -> None:
    with server.session_factory.begin() as session:
        assert not accounts.people_kept_here(session)
        for add in (lambda: accounts.create_first_administrator(
                        session, name="Françoise", password=None),
                    lambda: accounts.add_user(session, name="Ольга", password=None,
                                              roles=[Role.CURATOR])):
            with pytest.raises(Refused) as refused:
                add()
            assert refused.value.code == "server_roles_missing"
            assert "genebank server set-up" in str(refused.value)
            assert "not added" in str(refused.value)
    with server.session_factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(UserAccount)) == 0
        assert actor_of(session).unrestricted  # as before sign-in: the login name
        from genebank.passport import accessions

        made = accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-9"))
        assert made.id is not None
        accessions.delete_accession(session, made.id, expected_version=1)


def test_the_command_line_says_why_on_a_server(unset_url: str) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GENEBANK_")}
    environment["PYTHONIOENCODING"] = "utf-8"
    result = subprocess.run(
        [sys.executable, "-m", "genebank.cli", "--database", unset_url, "users", "add",
         "عبد الله", "--roles", "administrator"], capture_output=True, text=True,
        timeout=120, stdin=subprocess.DEVNULL, env=environment, encoding="utf-8")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "genebank server set-up" in result.stderr
    assert "'عبد الله' was not added" in result.stderr
    assert "Traceback" not in result.stderr
