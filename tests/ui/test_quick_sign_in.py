"""The sign-in dialog comes first (issue 15, start-up): a database that asked who signs in
last time shows its sign-in dialog before the database is even open, while the rest of the
app loads behind it; a Sign in clicked meanwhile waits for the database, then checks. A
database that no longer asks (sign-in turned off meanwhile) opens as it would have, the
dialog gone; Cancel opens nothing."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.ui.test_database_opening import when_shown
from ui import app, signing_in
from ui.app import start
from ui.background_imports import BackgroundImports
from ui.settings import Settings
from ui.sign_in_dialog import SignInDialog

PASSWORD = "Жасыл-бидай 2026"


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    """A file whose people sign in: the administrator Françoise."""
    path = tmp_path / "équipe.sqlite"
    database = db.open_database(db.sqlite_url(path), user="labo")
    with database.session_factory.begin() as session:
        made = accounts.create_first_administrator(session, name="Françoise",
                                                   password=PASSWORD)
        work_as(session, Actor(made.id, made.name, frozenset(made.roles)))
        accounts.add_user(session, name="Ольга", roles=[Role.CURATOR], password=PASSWORD)
    database.close()
    return path


def test_the_first_start_remembers_that_the_database_asks_who_signs_in(
        qtbot: QtBot, team_file: Path, settings: Settings) -> None:
    seen: list[object] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        seen.append(dialog.database)
        dialog.name.setText("Ольга")
        dialog.password.setText(PASSWORD)
        dialog.try_sign_in()

    when_shown(qtbot, SignInDialog, answer)
    database = start(str(team_file), settings)
    assert database is not None
    try:
        assert seen and seen[0] is not None  # no hint yet: opened first, as before
        assert settings.sign_in_hint(str(team_file)) == database.display_name
    finally:
        database.close()


class HeldImports(BackgroundImports):
    """The loading behind the dialog, held until the test lets it go: a person quicker
    than the machine."""

    held: ClassVar[list[BackgroundImports]] = []

    def start(self) -> None:
        HeldImports.held.append(self)


def test_the_dialog_shows_before_the_database_opens_and_a_quick_sign_in_waits(
        qtbot: QtBot, team_file: Path, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings.set_sign_in_hint(str(team_file), str(team_file))
    monkeypatch.setattr(app, "BackgroundImports", HeldImports)
    HeldImports.held.clear()
    seen: list[object] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        seen.append(dialog.database)
        dialog.name.setText("ольга")
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.opening.isVisible() and not dialog.sign_in_button.isEnabled())
        qtbot.waitUntil(lambda: bool(HeldImports.held), timeout=10000)  # painted
        BackgroundImports.start(HeldImports.held[0])  # now the rest loads, the file opens

    when_shown(qtbot, SignInDialog, answer)
    database = start(str(team_file), settings)
    assert database is not None
    try:
        assert seen == [None, True]  # shown before the database was open; Sign in waited
        actor = signing_in.signed_in(database)
        assert actor is not None and (actor.name, actor.roles) == ("Ольга", {Role.CURATOR})
        assert settings.last_user_name == "Ольга"
    finally:
        database.close()


def test_a_wrong_password_given_early_is_said_once_the_database_is_open(
        qtbot: QtBot, team_file: Path, settings: Settings) -> None:
    settings.set_sign_in_hint(str(team_file), str(team_file))
    said: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.name.setText("Ольга")
        dialog.password.setText("not the password")
        dialog.try_sign_in()
        qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=30000)
        said.append(dialog.message.text())
        dialog.reject()

    when_shown(qtbot, SignInDialog, answer)
    assert start(str(team_file), settings) is None  # asked for by name: Cancel opens nothing
    assert said == ["The user name or the password is wrong"]


def test_a_database_that_no_longer_asks_opens_without_the_dialog(
        qtbot: QtBot, team_file: Path, settings: Settings) -> None:
    database = db.open_database(db.sqlite_url(team_file), user="labo")
    with database.session_factory.begin() as session:
        admin = accounts.sign_in(session, name="Françoise", password=PASSWORD)
        accounts.disable_user(work_as(session, admin), "Ольга")  # one person: may turn it off
        accounts.set_sign_in_required(session, False)
    database.close()
    settings.set_sign_in_hint(str(team_file), str(team_file))
    database = start(str(team_file), settings)
    assert database is not None
    try:
        assert signing_in.signed_in(database) is None
        assert settings.sign_in_hint(str(team_file)) is None  # not shown next time
    finally:
        database.close()


def test_no_hint_is_kept_for_an_address_with_a_password(settings: Settings) -> None:
    settings.set_sign_in_hint("postgresql://ana:secret@server/bank", "server/bank")
    assert settings.sign_in_hint("postgresql://ana:secret@server/bank") is None
    settings.set_sign_in_hint("postgresql://ana@server/bank", "server/bank")
    assert settings.sign_in_hint("postgresql://ana@server/bank") == "server/bank"
