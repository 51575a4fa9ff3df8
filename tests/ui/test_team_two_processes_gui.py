"""What the tester of issue 15 did, on two workstations sharing one SQLite file: a window
signed in, and the command line run as another process by the administrator (disabling the
person, changing their roles, adding the first people to a database opened with "Later").
The window refuses what the person may no longer do, plainly and never "try Save again"
when trying again cannot help; a form the person may not change opens read-only saying why;
a viewer opens the training programme with counts and no names; a save refused for want of
a sign-in offers one over the form, whose typing is kept."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from genebank import db
from genebank.models import Accession
from genebank.passport import accessions
from genebank.training import courses, enrolments, participants
from genebank.users import accounts
from genebank.users.actor import Actor, attach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.ui.test_database_opening import when_shown
from tests.ui.test_sign_in_gui import sign_in_as
from tests.ui.waiting import settled
from ui.dialogs.accession_editor import AccessionEditor
from ui.main_window import MainWindow
from ui.settings import Settings

PASSWORD = "Жасыл-бидай 2026"
GENEBANK = Path(sys.executable).parent / "genebank"


def cli(path: Path, *args: str, user: str | None = "Françoise") -> str:
    """The command line, another process on the same file (the second workstation)."""
    env = dict(os.environ, GENEBANK_PASSWORD=PASSWORD, GENEBANK_NEW_PASSWORD=PASSWORD)
    command = [str(GENEBANK), "--database", str(path)]
    if user is not None:
        command += ["--user", user]
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Path, db.Database, dict[str, Actor]]]:
    """A file with an accession and a course with Aigerim Nurlanova enrolled; its
    administrator Françoise, the curator Ольга, the trainer leila and the viewer vera."""
    path = tmp_path / "équipe.sqlite"
    database = db.open_database(db.sqlite_url(path), user="labo")
    people: dict[str, Actor] = {}
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
        admin = accounts.create_first_administrator(session, name="Françoise",
                                                    password=PASSWORD)
        people["Françoise"] = Actor(admin.id, admin.name, frozenset(admin.roles))
        work_as(session, people["Françoise"])
        for name, role in (("Ольга", Role.CURATOR), ("leila", Role.TRAINER),
                           ("vera", Role.VIEWER)):
            made = accounts.add_user(session, name=name, roles=[role], password=PASSWORD)
            people[name] = Actor(made.id, made.name, frozenset(made.roles))
        work_as(session, people["leila"])
        programme = courses.add_programme(session, name="Gene banks")
        course = courses.save_course(
            session, programme_id=programme, title="Gene Bank Management",
            start_on=dt.date(2026, 5, 11), end_on=dt.date(2026, 5, 15), venue_city="Almaty",
            venue_country="KAZ", host_name="Kazakh gene bank", trainers="Dr A. Abugalieva")
        person = participants.save_participant(
            session, full_name="Aigerim Nurlanova", gender="female", country="KAZ")
        enrolments.enrol(session, course_id=course, participant_id=person)
    yield path, database, people
    database.close()


def _window(qtbot: QtBot, database: db.Database, settings: Settings,
            actor: Actor | None) -> MainWindow:
    if actor is not None:
        attach(database.session_factory, actor)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.model is not None
    qtbot.waitUntil(lambda: window.model.is_complete and window.model.rowCount() > 0)
    window.table.selectRow(0)
    return window


def _type_and_save(qtbot: QtBot, editor: AccessionEditor, name: str) -> None:
    editor.editors["ACCENAME"].set_value([name])
    write = editor.save()
    assert write is not None
    qtbot.waitUntil(lambda: write.finished, timeout=20000)


def _stored_name(database: db.Database) -> object:
    with database.session_factory() as session:
        return accessions.get_passport(session, 1).values.get("ACCENAME")


def test_a_person_disabled_on_the_command_line_saves_nothing_and_is_not_told_to_retry(
        qtbot: QtBot, team: tuple[Path, db.Database, dict[str, Actor]], settings: Settings,
        message_boxes: list[str]) -> None:
    path, database, people = team
    window = _window(qtbot, database, settings, people["Ольга"])
    editor = window.edit_selected()
    assert editor is not None and editor.save_button.isEnabled()  # a curator may
    assert "Ольга is disabled" in cli(path, "users", "disable", "Ольга")
    _type_and_save(qtbot, editor, "Kazakhstanskaya 10 (désactivé)")
    assert editor.isVisible()  # the typing is kept
    assert len(message_boxes) == 1, message_boxes
    said = message_boxes[0]
    assert said.startswith("Ольга has been disabled by an administrator"), said
    assert "try Save again" not in said
    assert _stored_name(database) == ["Kazakhstanskaya 10"]
    # Their own password neither (the tester's step 5)
    change = window.change_own_password()
    change.old.setText(PASSWORD)
    change.password.setText("новый пароль 2026")
    change.again.setText("новый пароль 2026")
    change.accept()
    written = window.own_password_write
    assert written is not None
    qtbot.waitUntil(lambda: written.finished, timeout=20000)
    assert not written.ok and "disabled" in (written.error_text or "")


def test_a_curator_made_viewer_on_the_command_line_opens_the_form_read_only(
        qtbot: QtBot, team: tuple[Path, db.Database, dict[str, Actor]], settings: Settings,
        message_boxes: list[str]) -> None:
    path, database, people = team
    window = _window(qtbot, database, settings, people["Ольга"])
    opened = window.edit_selected()
    assert opened is not None
    cli(path, "users", "set-roles", "Ольга", "viewer")
    # The form opened before the change: its save is refused, and never "try again"
    _type_and_save(qtbot, opened, "Kazakhstanskaya 10 bis")
    assert message_boxes and message_boxes[-1].startswith("Ольга may not change passport "
                                                          "data"), message_boxes
    assert "try Save again" not in message_boxes[-1]
    opened.editors["ACCENAME"].set_value(["Kazakhstanskaya 10"])
    opened.reject()
    window.refresh()  # the window reads the person's roles again
    editor = window.edit_selected()
    assert editor is not None
    assert not editor.save_button.isEnabled()
    assert not editor.rights_label.isHidden()
    assert editor.rights_label.text().startswith("Read-only: Ольга may not change passport")
    assert "curator" in editor.rights_label.text()
    name = editor.editors["ACCENAME"]
    assert name.isReadOnly()  # type: ignore[union-attr]
    assert editor.save() is None
    assert _stored_name(database) == ["Kazakhstanskaya 10"]


def test_a_viewer_opens_the_form_read_only_and_a_curator_editable(
        qtbot: QtBot, team: tuple[Path, db.Database, dict[str, Actor]],
        settings: Settings) -> None:
    _path, database, people = team
    window = _window(qtbot, database, settings, people["vera"])
    editor = window.edit_selected()
    assert editor is not None and not editor.save_button.isEnabled()
    assert "vera may not change passport data" in editor.rights_label.text()
    assert "Ready to save" not in editor.summary.text() or editor.summary.isHidden()
    editor.resize(820, 640)
    editor.grab().save("/tmp/qafix-gui-viewer-form.png")
    editor.reject()
    attach(database.session_factory, people["Ольга"])
    window.refresh()
    editor = window.edit_selected()
    assert editor is not None and editor.save_button.isEnabled()
    assert editor.rights_label.isHidden()


def test_a_trainer_made_viewer_on_the_command_line_sees_counts_not_names(
        qtbot: QtBot, team: tuple[Path, db.Database, dict[str, Actor]], settings: Settings,
        message_boxes: list[str]) -> None:
    path, database, people = team
    window = _window(qtbot, database, settings, people["leila"])
    training = window.show_training()
    assert training.participants_tab.table.rowCount() == 1  # a trainer sees who
    cli(path, "users", "set-roles", "leila", "viewer")
    training = window.show_training()  # Ctrl+T again, with no refresh between
    tab = training.participants_tab
    assert tab.table.rowCount() == 0 and tab.count.text() == "1 people"
    assert not tab.note.isHidden() and "leila may not read personal data" in tab.note.text()
    view = training.courses_tab.course_view
    assert view.table.rowCount() == 0 and view.roster == []
    assert "Viewer" in window.user_label.text()
    assert message_boxes == []
    training.resize(1000, 560)
    training.grab().save("/tmp/qafix-gui-training-demoted.png")


def test_a_viewer_opens_training_with_no_error(
        qtbot: QtBot, team: tuple[Path, db.Database, dict[str, Actor]], settings: Settings,
        message_boxes: list[str]) -> None:
    _path, database, people = team
    window = _window(qtbot, database, settings, people["vera"])
    training = window.show_training()
    qtbot.waitExposed(training)
    assert training.isVisible() and training.participants_tab.count.text() == "1 people"
    assert "distribution officer" in training.participants_tab.note.text()
    assert "distribution_officer" not in training.participants_tab.note.text()
    settled(qtbot)  # the Reports tab's read: a viewer may read the totals, no error either
    assert message_boxes == []


def test_a_later_session_offers_a_sign_in_over_the_form_once_people_exist(
        qtbot: QtBot, tmp_path: Path, settings: Settings, message_boxes: list[str]) -> None:
    path = tmp_path / "ancienne.sqlite"
    database = db.open_database(db.sqlite_url(path), user="labo")
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
    try:
        window = _window(qtbot, database, settings, None)  # "Later": nobody signs in
        assert not window.switch_user_action.isVisible()
        cli(path, "users", "add", "hala", "--roles", "administrator,curator", user=None)
        editor = window.edit_selected()
        assert editor is not None and editor.save_button.isEnabled()
        asked: list[str] = []

        def answer(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            asked.append(box.text())
            box.grab().save("/tmp/qafix-gui-later-sign-in.png")
            sign_in_as(qtbot, "hala", PASSWORD)
            box.button(QMessageBox.StandardButton.Cancel)  # there, and not chosen:
            [sign_in] = [button for button in box.buttons()
                         if button.text() == "Sign in…"]
            sign_in.click()

        when_shown(qtbot, QMessageBox, answer)
        editor.editors["ACCENAME"].set_value(["Kazakhstanskaya 11"])
        editor.save()
        qtbot.waitUntil(lambda: _stored_name(database) == ["Kazakhstanskaya 11"],
                        timeout=20000)
        assert len(asked) == 1 and "requires signing in" in asked[0]
        assert "try Save again" not in asked[0]
        assert "Your typing is still in this form" in asked[0]
        assert window.signed_in() is not None and window.signed_in().name == "hala"
        assert window.switch_user_action.isVisible()
        assert message_boxes == []
        with database.session_factory() as session:
            assert accessions.get_passport(session, 1).updated_by == "hala"
    finally:
        database.close()


def test_the_file_menu_shows_switch_user_once_people_were_added_elsewhere(
        qtbot: QtBot, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "ancienne.sqlite"
    database = db.open_database(db.sqlite_url(path), user="labo")
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
    try:
        window = _window(qtbot, database, settings, None)
        assert not window.switch_user_action.isVisible()
        cli(path, "users", "add", "hala", "--roles", "administrator", user=None)
        [file_menu] = [menu for menu in window.findChildren(QMenu)
                       if window.switch_user_action in menu.actions()]
        file_menu.aboutToShow.emit()  # the person opens File
        assert window.switch_user_action.isVisible()
    finally:
        database.close()


def test_an_import_by_a_person_disabled_meanwhile_offers_no_try_again(
        qtbot: QtBot, team: tuple[Path, db.Database, dict[str, Actor]], settings: Settings,
        tmp_path: Path) -> None:
    """The tester's step 4: the wizard was open when the administrator disabled them."""
    from tests.genebank.mcpd_files import write_mcpd_csv
    from tests.ui.test_import_retry import BACK, CANCEL, TRY_AGAIN, shown, to_the_import
    from tests.ui.test_wizard_summary_buttons import NEXT, click
    from ui.dialogs.import_wizard import ImportWizard

    path, database, people = team
    attach(database.session_factory, people["Ольга"])
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    to_the_import(qtbot, wizard, write_mcpd_csv(tmp_path / "nouveau.csv", 2, prefix="N"))
    cli(path, "users", "disable", "Ольга")
    click(qtbot, wizard, NEXT)
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.done, timeout=60000)
    status = run.status.text()
    assert status.startswith("Nothing was imported: Ольга has been disabled"), status
    assert "Try again" not in status
    assert not shown(wizard, TRY_AGAIN) and not shown(wizard, BACK) and shown(wizard, CANCEL)
    wizard.grab().save("/tmp/qafix-gui-import-disabled.png")
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == 1
