"""Signing in from the window (issue 15): a right and a wrong password, a disabled person,
Cancel, the first administrator asked for by a database with records, sign-in turned off
by its one person, a curator's window (no Tools > Users, no Delete), an administrator's
Users window, and writes carrying the signed-in person. Names in French, Russian and
Arabic, as the people of the gene banks type them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.demo import demo_removal
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import create_postgres_database, drop_postgres_database, passport_values
from tests.ui import shots
from tests.ui.test_database_opening import when_shown
from ui import operations, signing_in
from ui.app import start_database
from ui.dialogs.users_dialog import PersonDialog, UsersDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.signing_in import FirstAdministratorDialog, SignInDialog

PASSWORD = "Жасыл-бидай 2026"


def shot(widget: QWidget, name: str) -> None:
    shots.shot(widget, name, under="sign_in_gui")


@pytest.fixture
def people(tmp_path: Path) -> db.Database:
    """A file with two accessions, its administrator Françoise, the curator Ольга and
    the disabled seed laboratory's عبد الله."""
    database = db.open_database(db.sqlite_url(tmp_path / "équipe.sqlite"), user="labo")
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
        made = accounts.create_first_administrator(session, name="Françoise",
                                                   password=PASSWORD,
                                                   display_name="Françoise Dubois")
        work_as(session, Actor(made.id, made.name, frozenset(made.roles)))
        accounts.add_user(session, name="Ольга", roles=[Role.CURATOR], password=PASSWORD,
                          display_name="Ольга Петрова")
        accounts.add_user(session, name="عبد الله", roles=[Role.SEED_LABORATORY],
                          password=PASSWORD)
        accounts.disable_user(session, "عبد الله")
    yield database  # type: ignore[misc]
    database.close()


def sign_in_as(qtbot: QtBot, name: str, *passwords: str,
               seen: Callable[[SignInDialog], None] | None = None) -> None:
    """Answer the sign-in dialog as a person: each password in turn (the dialog stays
    open after a wrong one), then ``seen`` on the dialog as it stands."""
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.name.setText(name)
        for password in passwords:
            dialog.password.setText(password)
            qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: dialog.attempt is not None and dialog.attempt.finished,
                            timeout=20000)
            if not dialog.isVisible():
                return
        if seen is not None:
            seen(dialog)
        dialog.reject()

    when_shown(qtbot, SignInDialog, act)


def test_a_wrong_password_is_said_then_the_right_one_signs_in(
        qtbot: QtBot, people: db.Database, settings: Settings) -> None:
    said: list[str] = []

    def wrong(dialog: SignInDialog) -> None:
        shot(dialog, "sign-in-wrong.png")
        said.append(dialog.message.text())

    sign_in_as(qtbot, "françoise", "mot de passe", seen=wrong)
    assert not signing_in.sign_in(None, people, settings)  # then Cancel: not opened
    assert said == ["The user name or the password is wrong"]
    assert signing_in.signed_in(people) is None

    sign_in_as(qtbot, "FRANÇOISE", "mot de passe", PASSWORD)
    assert signing_in.sign_in(None, people, settings)
    actor = signing_in.signed_in(people)
    assert actor is not None and (actor.name, actor.roles) == ("Françoise",
                                                               {Role.ADMINISTRATOR})
    assert settings.last_user_name == "Françoise"  # offered next time on this workstation
    dialog = SignInDialog(people, settings)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Françoise" and dialog.password.text() == ""


def test_a_disabled_person_is_told_so_and_cancel_opens_nothing(
        qtbot: QtBot, people: db.Database, settings: Settings, tmp_path: Path) -> None:
    said: list[str] = []
    sign_in_as(qtbot, " عبد الله", PASSWORD, seen=lambda d: said.append(d.message.text()))
    url = people.url
    people.close()
    assert start_database(url, settings) is None  # Cancel: as a refusal to open it
    assert said == ["'عبد الله' is disabled: an administrator can enable them again"]


def test_the_first_administrator_of_a_database_with_records(
        qtbot: QtBot, tmp_path: Path, settings: Settings,
        first_administrator_asked: None) -> None:
    """A database made before sign-in: its records keep their stamps; the administrator
    made in the dialog (Arabic name, more roles) signs in, and the writes name them."""
    database = db.open_database(db.sqlite_url(tmp_path / "old.sqlite"), user="labo")
    with database.session_factory.begin() as session:
        old = accessions.create_accession(session, values=passport_values())
    said: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstAdministratorDialog)
        dialog.name.setText("نور")
        dialog.display_name.setText("نور الهدى")
        dialog.password.setText("كلمة-سر-2026")
        dialog.again.setText("كلمة-سر-2025")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        said.append(dialog.message.text())
        dialog.password.setText("قصيرة")
        dialog.again.setText("قصيرة")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.write is not None and dialog.write.finished)
        said.append(dialog.message.text())
        dialog.roles[Role.TRAINER].setChecked(False)
        dialog.password.setText("كلمة-سر-2026")
        dialog.again.setText("كلمة-سر-2026")
        shot(dialog, "first-administrator.png")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    when_shown(qtbot, FirstAdministratorDialog, answer)
    try:
        assert signing_in.sign_in(None, database, settings)
        assert said == ["The two passwords differ: type the same password twice.",
                        "A password needs at least 8 characters"]
        actor = signing_in.signed_in(database)
        assert actor is not None and actor.name == "نور"
        assert actor.roles == {Role.ADMINISTRATOR, Role.CURATOR, Role.SEED_LABORATORY,
                               Role.DISTRIBUTION_OFFICER}
        write = operations.Write(None, database, lambda session: accessions.create_accession(
            session, values=passport_values(ACCENUMB="KZ-2")), operation="Saving KZ-2",
            changes=operations.Changed(accessions=True)).run()
        qtbot.waitUntil(lambda: write.finished, timeout=20000)
        assert write.ok, write.error_text
        with database.session_factory() as session:
            assert accounts.sign_in_required(session)
            made = accessions.get_passport(session, write.result.id)  # type: ignore[union-attr]
            assert (made.created_by, made.updated_by) == ("نور", "نور")
            assert accessions.get_passport(session, old.id).created_by == "labo"
    finally:
        database.close()


def test_later_opens_as_before_and_only_me_turns_sign_in_off(
        qtbot: QtBot, tmp_path: Path, settings: Settings,
        first_administrator_asked: None) -> None:
    database = db.open_database(db.sqlite_url(tmp_path / "mine.sqlite"), user="labo")
    try:
        when_shown(qtbot, FirstAdministratorDialog, lambda dialog: qtbot.mouseClick(
            dialog.later_button, Qt.MouseButton.LeftButton))
        assert signing_in.sign_in(None, database, settings)  # Later: open, as before
        assert signing_in.signed_in(database) is None
        with database.session_factory() as session:
            assert accounts.needs_first_administrator(session)  # asked again next time

        def only_me(dialog: QWidget) -> None:
            assert isinstance(dialog, FirstAdministratorDialog)
            dialog.name.setText("Moussa")
            dialog.password.setText(PASSWORD)
            dialog.again.setText(PASSWORD)
            dialog.only_me.setChecked(True)
            qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

        when_shown(qtbot, FirstAdministratorDialog, only_me)
        assert signing_in.sign_in(None, database, settings)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
        with database.session_factory() as session:
            assert not accounts.sign_in_required(session)
        assert signing_in.sign_in(None, database, settings)  # asks nothing now
        assert QApplication.activeModalWidget() is None
    finally:
        database.close()


def _window(qtbot: QtBot, database: db.Database, settings: Settings, name: str) -> MainWindow:
    sign_in_as(qtbot, name, PASSWORD)
    assert signing_in.sign_in(None, database, settings)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.model is not None
    qtbot.waitUntil(lambda: window.model.is_complete)
    window.table.selectRow(0)
    return window


def test_a_curator_has_no_users_window_and_no_delete(
        qtbot: QtBot, people: db.Database, settings: Settings) -> None:
    window = _window(qtbot, people, settings, "ольга")
    assert "Ольга" in window.windowTitle()
    assert window.user_label.text() == "Signed in: Ольга (Curator)"
    assert window.selected_accession_id() is not None
    assert window.new_action.isEnabled() and window.duplicate_action.isEnabled()
    assert not window.delete_action.isEnabled()
    assert window.delete_action.toolTip() == ("Ольга may not delete records: that needs the "
                                              "role administrator; an administrator can "
                                              "give it")
    assert not window.users_action.isEnabled()
    assert "may not manage users" in window.users_action.toolTip()
    assert not window.rules_action.isEnabled() and not window.import_tests_action.isEnabled()
    assert not window.remove_demo_action.isEnabled()  # and the core refuses it too:
    with people.session_factory.begin() as session, pytest.raises(Refused) as refused:
        demo_removal.remove_demo_records(session)
    assert (refused.value.code, refused.value.params["right"]) == ("not_allowed",
                                                                   "delete_records")
    assert window.own_password_action.isVisible() and window.own_password_action.isEnabled()
    change = window.change_own_password()
    change.old.setText(PASSWORD)
    change.password.setText("новый пароль 2026")
    change.again.setText("новый пароль 2026")
    shot(change, "change-password.png")
    change.accept()
    written = window.own_password_write
    assert written is not None
    qtbot.waitUntil(lambda: written.finished, timeout=20000)
    assert written.ok, written.error_text
    with people.session_factory() as session:
        assert accounts.sign_in(session, name="Ольга", password="новый пароль 2026")
    window.sign_out()  # nobody works now: nothing may change
    assert window.user_label.text() == "Signed out"
    assert not window.new_action.isEnabled()
    assert window.new_action.toolTip() == "Sign in first (File > Switch user)"


def test_an_administrator_manages_people_in_the_users_window(
        qtbot: QtBot, people: db.Database, settings: Settings) -> None:
    window = _window(qtbot, people, settings, "Françoise")
    assert window.users_action.isEnabled() and window.delete_action.isEnabled()
    assert not window.new_action.isEnabled()  # an administrator alone keeps no passport
    dialog = window.show_users()
    qtbot.addWidget(dialog)
    assert [p.name for p in dialog.people] == ["Françoise", "Ольга", "عبد الله"]

    def done() -> None:
        qtbot.waitUntil(lambda: dialog.last is not None and dialog.last.finished,
                        timeout=20000)

    add = dialog.add_person()
    add.name.setText("Hélène")
    add.display_name.setText("Hélène Martin")
    add.password.setText(PASSWORD)
    add.again.setText(PASSWORD)
    add.roles[Role.TRAINER].setChecked(True)
    shot(add, "add-person.png")
    add.accept()
    done()
    assert dialog.selected() is not None and dialog.selected().name == "Hélène"
    assert [p.name for p in dialog.people] == ["Françoise", "Hélène", "Ольга", "عبد الله"]
    dialog.select("Ольга")
    dialog.roles[Role.SEED_LABORATORY].setChecked(True)
    dialog.save_roles()
    done()
    dialog.select("عبد الله")
    assert dialog.disable_button.text() == "Enable"
    dialog.toggle_disabled()
    done()
    dialog.select("Françoise")  # the last administrator stays
    qtbot.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    done()
    assert dialog.message.text() == ("'Françoise' is the last administrator of this "
                                     "database: make someone else administrator first")
    dialog.select("Françoise")  # her own roles: the window follows at once
    dialog.roles[Role.CURATOR].setChecked(True)
    dialog.save_roles()
    done()
    assert window.new_action.isEnabled()
    assert window.user_label.text() == "Signed in: Françoise (Administrator, Curator)"
    dialog.select("Ольга")
    shot(dialog, "users.png")
    reset = dialog.reset_password()
    assert isinstance(reset, PersonDialog)
    assert reset.password.isVisible() and not reset.name.isVisible()  # no stray field
    shot(reset, "reset-password.png")
    reset.password.setText("nouveau-mot-2026")
    reset.again.setText("nouveau-mot-2026")
    reset.accept()
    done()
    with people.session_factory() as session:
        olga = accounts.sign_in(session, name="Ольга", password="nouveau-mot-2026")
        assert olga.roles == {Role.CURATOR, Role.SEED_LABORATORY}
        assert accounts.sign_in(session, name="عبد الله", password=PASSWORD)
        helene = accounts.sign_in(session, name="hélène", password=PASSWORD)
        assert helene.roles == {Role.TRAINER}


def test_the_users_window_right_to_left(qtbot: QtBot, people: db.Database,
                                        settings: Settings) -> None:
    """In Arabic the window is mirrored and a person is still selected (Qt's selectRow
    selects nothing right to left)."""
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        sign_in_as(qtbot, "Françoise", PASSWORD)
        assert signing_in.sign_in(None, people, settings)
        dialog = UsersDialog(people)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.select("عبد الله")
        shot(dialog, "users-rtl-test.png")
        assert dialog.selected() is not None and dialog.selected().name == "عبد الله"
        assert dialog.roles[Role.SEED_LABORATORY].isChecked()
        assert dialog.disable_button.text() == "Enable"
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_switching_to_a_database_with_people_signs_in_or_keeps_the_old_one(
        qtbot: QtBot, window: MainWindow, people: db.Database) -> None:
    """File > Open: Cancel at the sign-in keeps the window on the database it had; a
    sign-in opens the new one as that person."""
    before = window.database
    url = people.url
    people.close()
    sign_in_as(qtbot, "Ольга", "pas le bon")
    assert not window.switch_database(url)
    assert window.database is before and window.user_label.text() == ""
    sign_in_as(qtbot, "Ольга", PASSWORD)
    assert window.switch_database(url)
    assert window.database is not before
    assert window.user_label.text() == "Signed in: Ольга (Curator)"
    assert window.windowTitle().endswith("– Ольга")
    assert window.switch_user_action.isVisible()
    window.database.close()


@pytest.mark.postgres
def test_a_server_database_asks_for_nobody(qtbot: QtBot, settings: Settings,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """No people on a server until its login roles are set up (genebank server set-up):
    it opens as before, asking nothing. (A database of its own: the session's may be set
    up by another test.)"""
    asked: list[QWidget] = []
    for kind in (FirstAdministratorDialog, SignInDialog):
        monkeypatch.setattr(kind, "exec", lambda dialog: asked.append(dialog) or 0)
    url = create_postgres_database("gb_unset_gui")
    database = db.open_database(url, user="tester")
    try:
        assert signing_in.sign_in(None, database, settings)
        assert signing_in.signed_in(database) is None and asked == []
    finally:
        database.close()
        drop_postgres_database(url)
