"""The window's sign-in on a set-up server: the person types their Genebank name and
password, the window connects as their login role (the server checks the password: on
CI's trust-authenticated server, any password passes, so this checks who the connection
is, not the password), and every later session of the database is that person's at the
server. A name without a login role is refused in the dialog, which stays open."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session

from genebank import db
from genebank.passport import accessions
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.server_team import DBA, set_up_server
from tests.ui import shots
from tests.ui.test_sign_in_gui import sign_in_as
from ui import signing_in
from ui.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def team() -> Iterator[db.Database]:
    """A set-up server database with its administrator Айгерим and the curator Olivier,
    opened as the DBA (the workstation's connection before anyone signs in)."""
    with set_up_server("gb_gui", administrator=("Айгерим", "ақ бидай 2026"),
                       people={"Olivier": (Role.CURATOR, "blé dur 2026")}) as made:
        with made.database.session_factory.begin() as session:
            work_as(session, DBA)
            accessions.create_accession(session, values=passport_values())
        yield made.database


def test_the_window_signs_in_as_the_persons_login_role(
        qtbot: QtBot, team: db.Database, settings: Settings) -> None:
    refused: list[str] = []

    def wrong(dialog: signing_in.SignInDialog) -> None:
        refused.append(dialog.message.text())
        shots.shot(dialog, "server-sign-in-refused", under="server_sign_in_gui")

    sign_in_as(qtbot, "Nobody", "whatever-1", seen=wrong)
    assert not signing_in.sign_in(None, team, settings)
    assert len(refused) == 1 and "wrong" in refused[0]
    sign_in_as(qtbot, "OLIVIER", "blé dur 2026")
    assert signing_in.sign_in(None, team, settings)
    actor = signing_in.signed_in(team)
    assert actor is not None and actor.name == "Olivier" and actor.roles == {Role.CURATOR}
    with team.session_factory() as session:
        login = session.execute(text("SELECT current_user")).scalar()
        assert login == session.execute(text("SELECT genebank_role_prefix()")).scalar() + \
            "olivier"
        # the person at the server too: a curator reads no participant's name
        assert not session.execute(text(
            "SELECT has_column_privilege('participant', 'full_name', 'SELECT')")).scalar()
    with team.session_factory.begin() as session:  # and writes as a curator
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0002"))


def test_a_server_refusal_names_the_person_signed_in(
        qtbot: QtBot, team: db.Database, settings: Settings) -> None:
    """Olivier signs in on the DBA's connection; the server then refuses his login role a
    read (grants gone wrong): Recent changes says so naming Olivier and his login role,
    not the user the workstation connected as first."""
    from genebank.history import queries
    from ui import operations
    from ui.dialogs.recent_changes import RecentChangesWindow

    dba = team.engine.url.username
    with team.engine.begin() as connection:
        prefix = connection.execute(text("SELECT genebank_role_prefix()")).scalar_one()
        connection.execute(text(f'REVOKE SELECT ON change_set FROM "{prefix}curator"'))
    sign_in_as(qtbot, "OLIVIER", "blé dur 2026")
    assert signing_in.sign_in(None, team, settings)
    window = RecentChangesWindow(team.session_factory)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "may not read" in window.view.status.text())
    said = window.view.status.text()
    assert f"signed in as {dba}" not in said and f"{dba}@" not in said
    assert f"(signed in as Olivier, the server's login role {prefix}olivier: permission " \
           "denied for table change_set)" in said, said
    assert "ask an administrator for a role that may" in said
    shots.shot(window, "refused-names-the-person", under="server_sign_in_gui")
    # A window's operation on the database itself (the main window's) words it the same.
    failed: list[str] = []
    read = operations.Read(None, team, lambda session: queries.recent_changes(
        session, limit=1), operation="Reading the history")
    read.failure(lambda text, _error: failed.append(text))
    with qtbot.waitSignal(read.done, timeout=10_000):
        read.run()
    assert failed and f"{dba}@" not in failed[0] and f"signed in as {dba}" not in failed[0]
    assert f"'postgresql+psycopg://{prefix}olivier@" in failed[0]
    assert f"(signed in as Olivier, the server's login role {prefix}olivier: " in failed[0]


def test_cancel_while_the_server_checks_keeps_the_windows_connection(
        qtbot: QtBot, team: db.Database, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel pressed while the server checks the password: nobody is signed in and the
    window keeps working as before (not as the person's login role, which the worker
    used to put in place whatever the dialog said). The database's engine is replaced on
    the GUI thread only, never by the worker."""
    from PySide6.QtCore import Qt

    from tests.ui import waiting
    from tests.ui.test_database_opening import when_shown

    before = team.engine.url.username
    checking, go_on = threading.Event(), threading.Event()
    sign_in = accounts.sign_in

    def slow_server(session: Session, **kwargs: Any) -> Actor:
        checking.set()
        assert go_on.wait(20)
        return sign_in(session, **kwargs)

    monkeypatch.setattr(accounts, "sign_in", slow_server)

    def cancel_while_checking(dialog: QWidget) -> None:
        assert isinstance(dialog, signing_in.SignInDialog)
        dialog.name.setText("Olivier")
        dialog.password.setText("blé dur 2026")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(checking.is_set, timeout=20000)
        shots.shot(dialog, "server-sign-in-checking", under="server_sign_in_gui")
        dialog.reject()  # Cancel
        go_on.set()

    when_shown(qtbot, signing_in.SignInDialog, cancel_while_checking)
    assert not signing_in.sign_in(None, team, settings)
    waiting.settled(qtbot)
    assert signing_in.signed_in(team) is None
    assert team.engine.url.username == before
    with team.session_factory() as session:
        assert session.execute(text("SELECT session_user")).scalar() == before
