"""The history of people's accounts (QA3 #2, #5): each role taken away is an entry, and a
password reset or change is an entry that names who did it, never the password or a hash.
Both databases; a person's own change on a server is in test_server_roles (it must run as
their login role)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from genebank import db
from genebank.history import queries
from genebank.models import UserAccount
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.roles import Role
from tests.genebank.test_users import PASSWORD, _as, _first

pytestmark = pytest.mark.usefixtures("server_accounts")  # people on both databases (conftest)


def _story(database: db.Database, name: str) -> list[queries.HistoryEntry]:
    with database.session_factory() as session:
        person = session.scalar(select(UserAccount.id).where(UserAccount.name == name))
        assert person is not None
        return queries.record_history(session, "user_account", person)


def _role(entry: queries.HistoryEntry) -> tuple[object, object]:
    """The old and new role an entry of a person's roles says."""
    return next((f.old, f.new) for f in entry.fields if f.field == "role")


def _all_fields(database: db.Database) -> str:
    with database.engine.connect() as connection:
        return " ".join(connection.execute(text("SELECT fields FROM change_entry")).scalars())


def test_each_role_taken_away_is_an_entry(database: db.Database) -> None:
    admin = _first(database)
    with _as(database, admin) as session:
        accounts.add_user(session, name="leila", roles=[Role.TRAINER, Role.CURATOR],
                          password=PASSWORD)
    with _as(database, admin) as session:
        accounts.set_roles(session, "leila", [Role.VIEWER])
    roles = [(e.action, *_role(e), e.user_name)
             for e in _story(database, "leila") if e.table_name == "user_account_role"]
    assert sorted(roles[:2]) == [("created", None, "curator", "Aïgerim"),
                                 ("created", None, "trainer", "Aïgerim")]
    assert sorted(roles[2:]) == [("created", None, "viewer", "Aïgerim"),
                                 ("deleted", "curator", None, "Aïgerim"),
                                 ("deleted", "trainer", None, "Aïgerim")]
    with _as(database, admin) as session:  # a role kept is no entry; one taken is
        accounts.set_roles(session, "leila", [Role.VIEWER, Role.SEED_LABORATORY])
        accounts.set_roles(session, "leila", [Role.SEED_LABORATORY])
    later = [(e.action, *_role(e))
             for e in _story(database, "leila")
             if e.table_name == "user_account_role"][len(roles):]
    assert later == [("created", None, "seed_laboratory"), ("deleted", "viewer", None)]
    with _as(database, admin) as session:  # and the roles are what the story says
        assert [u.roles for u in accounts.list_users(session) if u.name == "leila"] == [
            (Role.SEED_LABORATORY,)]


def test_a_password_reset_is_an_entry_without_the_password(database: db.Database) -> None:
    admin = _first(database)
    with _as(database, admin) as session:
        accounts.add_user(session, name="leila", roles=[Role.TRAINER], password=PASSWORD)
    with _as(database, admin) as session:
        accounts.reset_password(session, "leila", "Новый пароль 2027")
    reset = [e for e in _story(database, "leila") if e.action == "changed"]
    assert [(e.user_name, e.subject_key, e.table_name, [(f.field, f.old, f.new)
                                                         for f in e.fields])
            for e in reset] == [("Aïgerim", "leila", "user_account",
                                 [("password", None, "reset")])]
    written = _all_fields(database)
    assert "Новый пароль" not in written and PASSWORD not in written
    assert "argon2" not in written and "SCRAM" not in written


def test_changing_ones_own_password_is_an_entry(sqlite_database: db.Database) -> None:
    admin = _first(sqlite_database)
    with _as(sqlite_database, admin) as session:
        accounts.change_own_password(session, old=PASSWORD, new="another-one 2027")
    changed = [e for e in _story(sqlite_database, "Aïgerim") if e.action == "changed"]
    assert [(e.user_name, [(f.field, f.old, f.new) for f in e.fields]) for e in changed] == [
        ("Aïgerim", [("password", None, "changed")])]
    assert "another-one" not in _all_fields(sqlite_database)
    with _as(sqlite_database, admin) as session, pytest.raises(Refused):
        accounts.change_own_password(session, old="not it", new="third-one 2027")
    assert len([e for e in _story(sqlite_database, "Aïgerim") if e.action == "changed"]) == 1
