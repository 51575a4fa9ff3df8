"""A long session keeps up with the administrator (issue 15): a person signed in on one
workstation is refused at their next write once an administrator on another workstation
disabled them or took a role away, and may do what a role given meanwhile allows, because
every write reads the person's roles again in its own transaction. Two workstations are two
opened databases on the same file or server, each with its own session factory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from genebank import db, transactions
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.actor import Actor, attach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values

pytestmark = pytest.mark.usefixtures("server_accounts")  # people on both databases (conftest)
PASSWORD = "Жасыл-бидай 2026"


@pytest.fixture
def two_workstations(database: db.Database) -> Iterator[tuple[db.Database, db.Database]]:
    """The curator's workstation (``database``, Aïgerim signed in as curator) and the
    administrator's (the same database opened again, Hélène signed in)."""
    with database.session_factory.begin() as session:
        admin = accounts.create_first_administrator(session, name="Hélène",
                                                    password=PASSWORD)
        work_as(session, Actor(admin.id, admin.name, frozenset(admin.roles)))
        curator = accounts.add_user(session, name="Aïgerim", roles=[Role.CURATOR],
                                    password=PASSWORD)
    attach(database.session_factory, Actor(curator.id, curator.name, frozenset(curator.roles)))
    other = db.open_database(database.url, user="admin-workstation")
    attach(other.session_factory, Actor(admin.id, admin.name, frozenset(admin.roles)))
    yield database, other
    other.close()


def _catalogue(database: db.Database, number: str) -> None:
    transactions.run_write(database, lambda session: accessions.create_accession(
        session, values=passport_values(ACCENUMB=number)), operation="test")


def test_a_person_disabled_elsewhere_is_refused_at_their_next_write(
        two_workstations: tuple[db.Database, db.Database]) -> None:
    mine, admins = two_workstations
    _catalogue(mine, "A-1")  # signed in hours ago: works
    transactions.run_write(admins, lambda session: accounts.disable_user(session, "Aïgerim"),
                           operation="test")
    with pytest.raises(Refused) as refused:
        _catalogue(mine, "A-2")
    assert refused.value.code == "signed_in_person_disabled"
    assert refused.value.params == {"user": "Aïgerim"}


def test_a_role_taken_away_elsewhere_is_refused_and_a_role_given_is_used(
        two_workstations: tuple[db.Database, db.Database]) -> None:
    mine, admins = two_workstations
    transactions.run_write(admins, lambda session: accounts.set_roles(
        session, "Aïgerim", [Role.VIEWER]), operation="test")
    with pytest.raises(Refused) as refused:
        _catalogue(mine, "A-1")
    assert refused.value.code == "not_allowed"
    assert refused.value.params["user"] == "Aïgerim"
    transactions.run_write(admins, lambda session: accounts.set_roles(
        session, "Aïgerim", [Role.VIEWER, Role.CURATOR]), operation="test")
    _catalogue(mine, "A-1")  # the role given back counts at once, without a new sign-in


def test_roles_are_read_once_per_transaction(
        two_workstations: tuple[db.Database, db.Database]) -> None:
    """Cheap: a second check in the same transaction asks the database nothing more."""
    mine, _admins = two_workstations
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    def work(session: Session) -> None:
        accessions.create_accession(session, values=passport_values(ACCENUMB="A-1"))
        before = len(statements)
        accessions.create_accession(session, values=passport_values(ACCENUMB="A-2"))
        second = [s for s in statements[before:] if "user_account" in s]
        assert second == []

    event.listen(mine.engine, "before_cursor_execute", count)
    try:
        transactions.run_write(mine, work, operation="test")
    finally:
        event.remove(mine.engine, "before_cursor_execute", count)
    assert any("user_account_role" in s for s in statements)
