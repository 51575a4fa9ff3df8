"""People, roles and sign-in (issue 15): names in any script and form, wrong passwords,
disabled people, the last administrator, and what a session without a sign-in may do."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from genebank import db
from genebank.models import CollectionSetting, UserAccount
from genebank.passport import accessions, own_institutes
from genebank.services.refusals import Refused
from genebank.users import accounts, passwords
from genebank.users.actor import Actor, actor_of, work_as
from genebank.users.roles import Right, Role
from tests.conftest import passport_values

pytestmark = pytest.mark.usefixtures("server_accounts")  # people on both databases (conftest)
PASSWORD = "Жасыл-бидай 2026"  # a Kazakh lab's password, Cyrillic with a space


def _first(database: db.Database, name: str = "Aïgerim") -> Actor:
    """The first administrator, signed in (on a server, whose sign-in is the server's
    password check, as the account the connection would be)."""
    with database.session_factory.begin() as session:
        made = accounts.create_first_administrator(session, name=name, password=PASSWORD)
    return _signed_in(database, made, name)


def _signed_in(database: db.Database, made: accounts.UserSummary, typed: str) -> Actor:
    if not database.is_sqlite:
        return Actor(made.id, made.name, frozenset(made.roles))
    with database.session_factory() as session:
        return accounts.sign_in(session, name=typed, password=PASSWORD)


@contextlib.contextmanager
def _as(database: db.Database, actor: Actor) -> Iterator[Session]:
    """One transaction working for ``actor``."""
    with database.session_factory.begin() as session:
        yield work_as(session, actor)


def _refusal(error: pytest.ExceptionInfo[Refused]) -> tuple[str, dict[str, object]]:
    return error.value.code, error.value.params


def test_a_new_database_asks_for_its_administrator_and_then_requires_sign_in(
        database: db.Database) -> None:
    """Before anyone exists the session works as before sign-in (the login name, every
    right); once the administrator exists, a session nobody signed in to is refused."""
    with database.session_factory.begin() as session:
        assert accounts.needs_first_administrator(session)
        assert accounts.sign_in_began(session) is None
        before = actor_of(session)
        assert before.unrestricted and before.user_id is None and before.name == "tester"
        old = accessions.create_accession(session, values=passport_values())
    admin = _first(database)
    with database.session_factory() as session:  # its stamp predates sign-in: "(before..."
        began = accounts.sign_in_began(session)
        passport = accessions.get_passport(session, old.id)
        assert began is not None and passport.created_by == "tester"
        assert passport.created_at < began
    assert admin.roles == {Role.ADMINISTRATOR} and admin.user_id is not None
    with database.session_factory.begin() as session:
        assert not accounts.needs_first_administrator(session)
        assert accounts.sign_in_required(session)
        with pytest.raises(Refused) as refused:
            accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-2"))
        assert refused.value.code == "sign_in_required"
        with pytest.raises(Refused) as again:
            accounts.create_first_administrator(session, name="Other", password=PASSWORD)
        assert again.value.code == "first_administrator_exists"
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(UserAccount)) == 1
        assert accessions.find_accession_id(session, instcode="KAZ001",
                                            accenumb="KZ-2") is None


def test_the_first_user_must_be_an_administrator(database: db.Database) -> None:
    with database.session_factory.begin() as session, pytest.raises(Refused) as refused:
        accounts.create_first_administrator(session, name="Moussa", password=PASSWORD,
                                            roles=[Role.CURATOR])
    assert _refusal(refused) == ("first_user_is_administrator", {"name": "Moussa"})


@pytest.mark.parametrize(("stored", "typed"), [
    ("Françoise", "FRANÇOISE"),                                  # French, case
    ("Françoise", unicodedata.normalize("NFD", "françoise")),    # as a Mac keyboard may send
    ("Айгерим", "АЙГЕРИМ"),                                      # Russian/Kazakh Cyrillic
    ("Ёлкин", unicodedata.normalize("NFD", "ёлкин")),            # Ё decomposed
    ("عبد الله", " عبد الله "),                                   # Arabic, spaces around
])
def test_names_are_one_person_whatever_their_case_or_unicode_form(
        sqlite_database: db.Database, stored: str, typed: str) -> None:
    """A name signs in however it is typed, and cannot be added a second time so."""
    _first(sqlite_database, "admin")
    with sqlite_database.session_factory() as session:
        admin = accounts.sign_in(session, name="ADMIN", password=PASSWORD)
    with _as(sqlite_database, admin) as session:
        made = accounts.add_user(session, name=unicodedata.normalize("NFD", stored),
                                 roles=[Role.CURATOR], password=PASSWORD)
        assert made.name == stored  # stored in NFC
    with sqlite_database.session_factory() as session:
        actor = accounts.sign_in(session, name=typed, password=PASSWORD)
        assert actor.name == stored and actor.roles == {Role.CURATOR}
    with _as(sqlite_database, admin) as session, pytest.raises(Refused) as refused:
        accounts.add_user(session, name=typed, roles=[Role.VIEWER], password=PASSWORD)
    assert refused.value.code == "user_exists"


def test_a_password_typed_decomposed_is_the_same_password(sqlite_database: db.Database) -> None:
    """'é' as one character or as e + accent is one password (NFC before hashing)."""
    with sqlite_database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="Hélène", password="clé-secrète")
    with sqlite_database.session_factory() as session:
        assert accounts.sign_in(session, name="hélène",
                                password=unicodedata.normalize("NFD", "clé-secrète"))


def test_a_wrong_password_and_an_unknown_name_are_refused_alike(
        sqlite_database: db.Database) -> None:
    """The refusal does not tell which names exist."""
    _first(sqlite_database)
    with sqlite_database.session_factory() as session:
        for name, password in (("Aïgerim", PASSWORD + "x"), ("Aigerim", PASSWORD),
                               ("nobody", PASSWORD), ("Aïgerim", "")):
            with pytest.raises(Refused) as refused:
                accounts.sign_in(session, name=name, password=password)
            assert _refusal(refused) == ("sign_in_failed", {})


def test_passwords_are_argon2id_hashes_never_the_password(sqlite_database: db.Database) -> None:
    _first(sqlite_database)
    with sqlite_database.session_factory() as session:
        stored = session.scalars(select(UserAccount.password_hash)).one()
    assert stored is not None and stored.startswith("$argon2id$")
    assert f"m={passwords.MEMORY_KIB},t={passwords.TIME_COST}" in stored
    assert PASSWORD not in stored and not passwords.needs_rehash(stored)
    with sqlite_database.session_factory.begin() as session, pytest.raises(Refused) as short:
        accounts.change_own_password(
            work_as(session, accounts.sign_in(session, name="Aïgerim", password=PASSWORD)),
            old=PASSWORD, new="short")
    assert _refusal(short) == ("password_too_short", {"minimum": 8})


def test_a_disabled_person_cannot_sign_in_and_keeps_their_records(
        sqlite_database: db.Database) -> None:
    admin = _first(sqlite_database)
    with _as(sqlite_database, admin) as session:
        accounts.add_user(session, name="Moussa", roles=[Role.CURATOR], password=PASSWORD)
    with sqlite_database.session_factory() as session:
        moussa = accounts.sign_in(session, name="moussa", password=PASSWORD)
    with _as(sqlite_database, moussa) as session:
        made = accessions.create_accession(session, values=passport_values())
    with _as(sqlite_database, admin) as session:
        assert accounts.disable_user(session, "MOUSSA").disabled
    with sqlite_database.session_factory() as session:
        with pytest.raises(Refused) as refused:
            accounts.sign_in(session, name="Moussa", password=PASSWORD)
        assert _refusal(refused) == ("user_disabled", {"name": "Moussa"})
        assert accessions.get_passport(session, made.id).values["ACCENUMB"] \
            == "KZ-0001"
        assert session.scalar(select(func.count()).select_from(UserAccount)) == 2
    with _as(sqlite_database, admin) as session:
        accounts.enable_user(session, "Moussa")
    with sqlite_database.session_factory() as session:
        assert accounts.sign_in(session, name="Moussa", password=PASSWORD).user_id \
            == moussa.user_id


def test_the_last_administrator_can_be_neither_disabled_nor_demoted(
        database: db.Database) -> None:
    """Two administrators: either may go; the one left stays administrator."""
    admin = _first(database)
    with _as(database, admin) as session:
        for change in (lambda: accounts.disable_user(session, "aïgerim"),
                       lambda: accounts.set_roles(session, "Aïgerim", [Role.CURATOR])):
            with pytest.raises(Refused) as refused:
                change()
            assert _refusal(refused) == ("last_administrator", {"name": "Aïgerim"})
    with _as(database, admin) as session:
        made = accounts.add_user(session, name="Ольга",
                                 roles=[Role.ADMINISTRATOR, Role.TRAINER], password=PASSWORD)
        summary = accounts.set_roles(session, "Aïgerim", [Role.CURATOR, Role.VIEWER])
        assert summary.roles == (Role.CURATOR, Role.VIEWER)
    olga = _signed_in(database, made, "ольга")
    with _as(database, olga) as session, pytest.raises(Refused) as refused:
        accounts.disable_user(session, "Ольга")
    assert refused.value.code == "last_administrator"
    with database.session_factory() as session:
        listed = accounts.list_users(work_as(session, olga))
        assert [(u.name, u.roles, u.disabled) for u in listed] == [
            ("Aïgerim", (Role.CURATOR, Role.VIEWER), False),
            ("Ольга", (Role.ADMINISTRATOR, Role.TRAINER), False)]


def test_only_an_administrator_manages_people(sqlite_database: db.Database) -> None:
    admin = _first(sqlite_database)
    with _as(sqlite_database, admin) as session:
        accounts.add_user(session, name="Moussa", roles=[Role.CURATOR, Role.SEED_LABORATORY,
                                                         Role.TRAINER], password=PASSWORD)
    with sqlite_database.session_factory() as session:
        moussa = accounts.sign_in(session, name="Moussa", password=PASSWORD)
    with _as(sqlite_database, moussa) as session:
        for change in (lambda: accounts.add_user(session, name="X", roles=[Role.VIEWER],
                                                 password=PASSWORD),
                       lambda: accounts.set_roles(session, "Moussa", [Role.ADMINISTRATOR]),
                       lambda: accounts.reset_password(session, "Aïgerim", "new-password"),
                       lambda: accounts.disable_user(session, "Aïgerim")):
            with pytest.raises(Refused) as refused:
                change()
            assert _refusal(refused) == ("not_allowed", {
                "user": "Moussa", "right": "manage_users", "roles": ["administrator"]})
    with _as(sqlite_database, admin) as session:
        accounts.reset_password(session, "Moussa", "new-password")
    with sqlite_database.session_factory() as session:
        assert accounts.sign_in(session, name="Moussa", password="new-password")


def test_changing_ones_own_password_needs_the_old_one(sqlite_database: db.Database) -> None:
    admin = _first(sqlite_database)
    with _as(sqlite_database, admin) as session, pytest.raises(Refused) as refused:
        accounts.change_own_password(session, old="not it", new="another-one")
    assert refused.value.code == "sign_in_failed"
    with _as(sqlite_database, admin) as session:
        accounts.change_own_password(session, old=PASSWORD, new="another-one")
    with sqlite_database.session_factory() as session:
        assert accounts.sign_in(session, name="Aïgerim", password="another-one")


def test_sign_in_off_records_the_one_person(sqlite_database: db.Database) -> None:
    """A one-person file may turn sign-in off: records then name that person, not the
    login name, and a second person cannot be added until sign-in is on again."""
    admin = _first(sqlite_database)
    with _as(sqlite_database, admin) as session:
        accounts.set_sign_in_required(session, False)
    with sqlite_database.session_factory.begin() as session:
        assert not accounts.sign_in_required(session)
        one = actor_of(session)
        assert (one.user_id, one.name, one.unrestricted) == (admin.user_id, "Aïgerim", True)
        made = accessions.create_accession(session, values=passport_values())
        with pytest.raises(Refused) as refused:
            accounts.add_user(session, name="Moussa", roles=[Role.VIEWER], password=PASSWORD)
        assert refused.value.code == "sign_in_off_no_new_user"
    with sqlite_database.session_factory() as session:
        assert accessions.get_passport(session, made.id).created_by == "Aïgerim"
    with _as(sqlite_database, admin) as session:
        accounts.set_sign_in_required(session, True)
    with sqlite_database.session_factory.begin() as session, pytest.raises(Refused) as again:
        own_institutes.set_own_instcodes(session, ["KAZ001"])
    assert again.value.code == "sign_in_required"


def test_sign_in_stays_on_with_two_people_or_on_a_server(database: db.Database) -> None:
    admin = _first(database)
    with _as(database, admin) as session:
        if database.is_sqlite:
            accounts.add_user(session, name="Moussa", roles=[Role.VIEWER], password=PASSWORD)
        with pytest.raises(Refused) as refused:
            accounts.set_sign_in_required(session, False)
    assert refused.value.code == ("sign_in_off_one_person" if database.is_sqlite
                                  else "sign_in_off_file_only")
    with database.session_factory() as session:
        assert session.get(CollectionSetting, "sign_in") is None


def test_a_server_database_stores_no_password(database: db.Database) -> None:
    """On PostgreSQL the server checks passwords: the account keeps no hash, and a reset
    password reaches the person's login role as a SCRAM verifier made on the workstation
    (never the password itself). A SQLite file keeps its own, so a person without one is
    refused there."""
    with database.session_factory.begin() as session:
        if database.is_sqlite:
            with pytest.raises(Refused) as refused:
                accounts.create_first_administrator(session, name="Aïgerim", password=None)
            assert _refusal(refused) == ("password_needed", {"name": "Aïgerim"})
            return
        made = accounts.create_first_administrator(session, name="Aïgerim", password=None)
    with database.session_factory() as session:
        assert session.scalars(select(UserAccount.password_hash)).one() is None
    admin = Actor(made.id, made.name, frozenset(made.roles))
    with _as(database, admin) as session:
        accounts.reset_password(session, "Aïgerim", "a-new-password")
    with database.session_factory() as session:
        assert session.scalars(select(UserAccount.password_hash)).one() is None
        stored = session.execute(text(
            "SELECT rolpassword FROM pg_authid WHERE rolname = genebank_role_prefix() || "
            "'aïgerim'")).scalar_one()
    assert stored.startswith("SCRAM-SHA-256$") and "a-new-password" not in stored


def test_rights_of_a_person_with_several_roles() -> None:
    both = Actor(1, "Moussa", frozenset({Role.CURATOR, Role.SEED_LABORATORY}))
    assert both.may(Right.CHANGE_PASSPORT) and both.may(Right.CHANGE_CONSERVATION)
    assert not both.may(Right.READ_PERSONAL_DATA) and not both.may(Right.MANAGE_USERS)


@pytest.mark.postgres
def test_two_administrators_disabling_each_other_at_once_leave_one(postgres_url: str) -> None:
    """On a server two workstations may act at the same moment: the second waits for the
    first's lock on the administrators, then is refused, so one administrator stays."""
    import threading

    from sqlalchemy import text

    database = db.open_database(postgres_url, user="tester")
    try:
        with database.engine.begin() as connection:  # the session fixture's database
            connection.execute(text("TRUNCATE user_account, user_account_role, "
                                    "collection_setting RESTART IDENTITY CASCADE"))
        first = _first(database, "Olga")
        with _as(database, first) as session:
            made = accounts.add_user(session, name="Nour", roles=[Role.ADMINISTRATOR],
                                     password=PASSWORD)
        second = Actor(made.id, made.name, frozenset(made.roles))
        outcome: list[object] = []
        with database.session_factory.begin() as session:
            accounts.disable_user(work_as(session, first), "Nour")  # holds the locks

            def other_workstation() -> None:
                try:
                    with _as(database, second) as other:
                        accounts.disable_user(other, "Olga")
                    outcome.append("disabled")
                except Refused as refused:
                    outcome.append(refused.code)

            thread = threading.Thread(target=other_workstation)
            thread.start()
            thread.join(timeout=2)
            assert thread.is_alive()  # waiting for the first transaction's locks
        thread.join(timeout=60)
        assert outcome == ["last_administrator"]
        with database.session_factory() as session:
            assert [(u.name, u.disabled) for u in accounts.list_users(
                work_as(session, first))] == [("Nour", True), ("Olga", False)]
    finally:  # the history of these people too: a later module counts its entries
        with database.engine.begin() as connection:
            connection.execute(text("TRUNCATE user_account, user_account_role, "
                                    "collection_setting, change_entry, change_set RESTART "
                                    "IDENTITY "
                                    "CASCADE"))
        database.close()
