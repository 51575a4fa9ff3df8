"""On a set-up server the window connects as the person from the first connection: the
connection dialog takes their Genebank name (and password), the database is opened as
their login role, and the sign-in that follows does not ask again, so a server whose
pg_hba.conf asks every connection for a SCRAM password is answered once. Sign-out closes
the former person's connections before the next person signs in.

CI's server trusts local connections: these tests check who each connection is (the
server's ``session_user``), not passwords.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from genebank import db, server_roles
from genebank.connection_urls import with_password
from genebank.passport import accessions
from genebank.users import accounts
from genebank.users.actor import attach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values, postgres_server_url
from tests.server_team import DBA, set_up_server
from tests.ui import shots
from ui import signing_in
from ui.dialogs import connection_dialog
from ui.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def team() -> Iterator[tuple[str, str]]:
    """A set-up server database (its URL, as the DBA, and its role prefix) with its
    administrator Айгерим and the curator Olivier."""
    with set_up_server("gb_pgfix_gui", administrator=("Айгерим", "ақ бидай 2026"),
                       people={"Olivier": (Role.CURATOR, "blé dur 2026")}) as made:
        with made.database.session_factory.begin() as session:
            work_as(session, DBA)
            accessions.create_accession(session, values=passport_values())
        made.database.close()
        yield made.url, made.prefix


def _never_asked(url: str, message: str) -> tuple[str, str] | None:
    raise AssertionError(f"asked again for a password: {message}")


def _connections_of(url: str, login: str) -> int:
    """How many server connections ``login`` has to ``url``'s database (seen by the DBA)."""
    engine = create_engine(postgres_server_url())  # type: ignore[arg-type]
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = :u AND datname = :d"),
                {"u": login, "d": make_url(url).database}).scalar_one())
    finally:
        engine.dispose()


def test_the_connection_dialog_connects_as_the_person_who_is_not_asked_again(
        qtbot: QtBot, team: tuple[str, str], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    url, prefix = team
    typed = make_url(url)
    dialog = connection_dialog.ConnectionDialog(None, message="")
    qtbot.addWidget(dialog)
    dialog.host.setText(typed.host or "")
    dialog.port.setValue(typed.port or 5432)
    dialog.database.setText(typed.database or "")
    dialog.person.setText("OLIVIER")
    dialog.password.setText("blé dur 2026")
    assert not dialog.user.isEnabled()  # the name replaces the server user
    shots.shot(dialog, "connect-as-person", under="server_connect_as_person")
    address = dialog.url()
    assert make_url(address).username == f"{prefix}olivier"
    assert "blé" not in address  # the password is never in the address kept
    # the address kept (recent databases) shows the person again when it is reopened
    again = connection_dialog.ConnectionDialog(None, url=address)
    qtbot.addWidget(again)
    assert again.person.text() == "olivier"

    database = connection_dialog.open_signed_in(
        with_password(address, dialog.typed_password()), _never_asked)
    assert database is not None
    try:
        def no_second_question(*_: object) -> int:
            raise AssertionError("the sign-in dialog was shown after the connection")

        monkeypatch.setattr(signing_in.SignInDialog, "exec", no_second_question)
        assert signing_in.sign_in(None, database, settings)
        actor = signing_in.signed_in(database)
        assert actor is not None and actor.name == "Olivier" and actor.roles == {Role.CURATOR}
        assert settings.last_user_name == "Olivier"
        with database.session_factory.begin() as session:  # writes as the curator
            assert session.execute(text("SELECT session_user")).scalar() == \
                f"{prefix}olivier"
            accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0002"))
    finally:
        database.close()


def test_a_dba_connection_still_asks_who_signs_in(
        qtbot: QtBot, team: tuple[str, str], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened with the address's own user (not a person's login role): the sign-in dialog
    is shown as before."""
    url, _prefix = team
    database = db.open_database(url, user="dba")
    shown: list[bool] = []

    def cancelled(*_: object) -> int:
        shown.append(True)
        return 0

    monkeypatch.setattr(signing_in.SignInDialog, "exec", cancelled)
    try:
        assert not signing_in.sign_in(None, database, settings)
        assert shown == [True]
    finally:
        database.close()


def test_sign_out_closes_the_former_persons_connections(team: tuple[str, str]) -> None:
    url, prefix = team
    database = db.open_database(url, user="dba")
    try:
        actor = server_roles.sign_in_on_server(database, "Olivier", "blé dur 2026")
        attach(database.session_factory, actor)
        with database.session_factory() as session:
            session.execute(text("SELECT count(*) FROM accession")).scalar()
        olivier = f"{prefix}olivier"
        assert _connections_of(url, olivier) >= 1  # the pool keeps it open
        signing_in.sign_out(database)
        assert signing_in.signed_in(database) is None
        assert database.engine.url.password is None  # their password forgotten
        for _ in range(50):  # a backend ends a moment after its client closes
            if _connections_of(url, olivier) == 0:
                break
            time.sleep(0.1)
        assert _connections_of(url, olivier) == 0
        # the next person signs in on the same window's database
        attach(database.session_factory,
               server_roles.sign_in_on_server(database, "Айгерим", "ақ бидай 2026"))
        with database.session_factory() as session:
            assert session.execute(text("SELECT session_user")).scalar() == \
                server_roles.login_role(prefix, accounts.name_key("Айгерим"))
    finally:
        database.close()


def test_a_renamed_database_keeps_its_prefix_and_the_full_login_still_signs_in(
        team: tuple[str, str], settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """After ALTER DATABASE … RENAME the roles keep the prefix of the set-up (it is a
    constant of the owner's function): a person who types their full login role as the
    server user (gb_<old name>_<name>) is signed in as before, and not asked again; the
    Genebank-name field, which builds the login from the new name, would not find them."""
    url, prefix = team
    renamed = f"{make_url(url).database}_r"
    engine = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
    with engine.connect() as connection:
        connection.execute(text(
            f'ALTER DATABASE "{make_url(url).database}" RENAME TO "{renamed}"'))
    engine.dispose()
    moved = make_url(url).set(database=renamed)
    try:
        assert server_roles.default_prefix(renamed) != prefix
        login = moved.set(username=f"{prefix}olivier").render_as_string(hide_password=False)
        database = db.open_database(login, user="olivier")
        try:
            with database.engine.connect() as connection:
                assert server_roles.role_prefix(connection) == prefix  # kept
            monkeypatch.setattr(signing_in.SignInDialog, "exec", lambda *_: 0)
            assert signing_in.sign_in(None, database, settings)
            actor = signing_in.signed_in(database)
            assert actor is not None and actor.name == "Olivier"
        finally:
            database.close()
    finally:
        engine = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
        with engine.connect() as connection:
            connection.execute(text(
                f'ALTER DATABASE "{renamed}" RENAME TO "{make_url(url).database}"'))
        engine.dispose()
