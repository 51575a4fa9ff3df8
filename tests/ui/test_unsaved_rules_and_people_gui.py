"""The two forms left out of "every form asks before typing is lost" (forms report): the
Conservation > Rules window asks before typed numbers are lost, and its Save there saves and
closes; Tools > Users > Add a person asks when a name or roles were typed, its question never
showing the password, while a new password alone closes at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import crop_rules
from genebank.users import accounts
from genebank.users.actor import Actor, attach
from genebank.users.roles import Role
from tests.ui import shots
from tests.ui.test_number_fields import type_in_cell
from tests.ui.test_unsaved_forms_gui import ASKED, Answers
from ui.dialogs.rules_dialog import RulesDialog
from ui.dialogs.users_dialog import PersonDialog, UsersDialog

SECRET = "Жасыл-бидай 2026"
ACTIVE = 1  # the column "Active collection: test every (years)"


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers(QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "question", answers)
    return answers


@pytest.fixture
def admin_database(tmp_path: Path) -> Iterator[db.Database]:
    database = db.open_database(db.sqlite_url(tmp_path / "regles.sqlite"), user="labo")
    with database.session_factory.begin() as session:
        admin = accounts.create_first_administrator(session, name="Françoise",
                                                    password=SECRET)
    attach(database.session_factory, Actor(admin.id, admin.name, frozenset(admin.roles)))
    yield database
    database.close()


def _set_rule(database: db.Database) -> object:
    with database.session_factory() as session:
        return crop_rules.rules_table(session)[0].set["active_test_interval_years"]


def _rules(qtbot: QtBot, database: db.Database) -> RulesDialog:
    dialog = RulesDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _close_button(dialog: RulesDialog) -> QWidget:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Close)


def test_the_rules_ask_before_typed_numbers_are_lost_and_save_then_close(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    dialog = _rules(qtbot, admin_database)
    type_in_cell(qtbot, dialog.table, 0, ACTIVE, "7")
    for close in (lambda: qtbot.mouseClick(_close_button(dialog), Qt.MouseButton.LeftButton),
                  lambda: qtbot.keyClick(dialog, Qt.Key.Key_Escape), dialog.close):
        before = len(answers.asked)
        close()
        assert answers.asked[before:] == [("Unsaved changes", ASKED)]
        assert dialog.isVisible() and dialog.table.item(0, ACTIVE).text() == "7"
    assert _set_rule(admin_database) is None
    answers.answer = QMessageBox.StandardButton.Save
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert _set_rule(admin_database) == 7


def test_a_number_still_being_typed_in_a_cell_counts_and_discard_drops_it(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    """The close button pressed while the cell's editor is still open: the number in it
    is asked about too; Discard closes and nothing is stored."""
    dialog = _rules(qtbot, admin_database)
    dialog.table.setCurrentCell(0, ACTIVE)
    dialog.table.editItem(dialog.table.item(0, ACTIVE))
    editor = dialog.table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.setText("9")  # typed, the cell not left
    answers.answer = QMessageBox.StandardButton.Discard
    dialog.close()
    assert answers.asked == [("Unsaved changes", ASKED)]
    assert not dialog.isVisible() and _set_rule(admin_database) is None


def test_the_rules_close_at_once_with_nothing_typed_or_after_their_own_save(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    dialog = _rules(qtbot, admin_database)
    type_in_cell(qtbot, dialog.table, 0, ACTIVE, "6")
    operation = dialog.save()  # the window's own Save: re-judges and stays open
    assert operation is not None
    qtbot.waitUntil(lambda: operation.finished, timeout=10000)
    assert dialog.isVisible() and _set_rule(admin_database) == 6
    qtbot.mouseClick(_close_button(dialog), Qt.MouseButton.LeftButton)
    assert answers.asked == [] and not dialog.isVisible()


def _add_person(qtbot: QtBot, database: db.Database) -> tuple[UsersDialog, PersonDialog]:
    users = UsersDialog(database)
    qtbot.addWidget(users)
    users.show()
    dialog = users.add_person()
    qtbot.waitExposed(dialog)
    return users, dialog


def test_add_a_person_asks_when_a_name_or_roles_were_typed_never_showing_the_password(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    users, dialog = _add_person(qtbot, admin_database)
    qtbot.keyClicks(dialog.name, "saule")
    dialog.roles[Role.SEED_LABORATORY].setChecked(True)
    dialog.password.setText(SECRET)
    dialog.again.setText(SECRET)
    for close in (lambda: qtbot.keyClick(dialog, Qt.Key.Key_Escape), dialog.close):
        close()
        assert dialog.isVisible()
    assert answers.asked == [("Unsaved changes", "saule is not added yet. Add this person?")] * 2
    assert all(SECRET not in text for _title, text in answers.asked)
    answers.answer = QMessageBox.StandardButton.Save
    dialog.reject()
    qtbot.waitUntil(lambda: "saule" in [person.name for person in users.people], timeout=10000)
    assert not dialog.isVisible()
    saule = next(person for person in users.people if person.name == "saule")
    assert set(saule.roles) == {Role.SEED_LABORATORY}


def test_only_roles_ticked_ask_too_and_discard_adds_no_one(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    users, dialog = _add_person(qtbot, admin_database)
    dialog.roles[Role.CURATOR].setChecked(True)
    answers.answer = QMessageBox.StandardButton.Discard
    dialog.reject()
    assert answers.asked == [("Unsaved changes",
                              "The person you were adding is not added yet. Add this person?")]
    assert not dialog.isVisible()
    assert [person.name for person in users.people] == ["Françoise"]


def test_save_with_too_short_a_password_keeps_the_form_and_says_why(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    """The question's Save (as OK) with no password typed: the core's refusal is said in
    the form, which keeps the name typed; no one is added."""
    users, dialog = _add_person(qtbot, admin_database)
    qtbot.keyClicks(dialog.name, "saule")
    answers.answer = QMessageBox.StandardButton.Save
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.name.text() == "saule"
    assert dialog.message.isVisible() and "8" in dialog.message.text()
    assert [person.name for person in users.people] == ["Françoise"]


def test_a_password_alone_closes_at_once(
        qtbot: QtBot, admin_database: db.Database, answers: Answers) -> None:
    """A new password typed (a reset, or an added person's password alone) is not asked
    about: it is typed again in a moment, and is never put in a question."""
    users, dialog = _add_person(qtbot, admin_database)
    dialog.password.setText(SECRET)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    users.select("Françoise")
    reset = users.reset_password()
    assert reset is not None
    qtbot.waitExposed(reset)
    reset.password.setText(SECRET)
    reset.again.setText(SECRET)
    qtbot.keyClick(reset, Qt.Key.Key_Escape)
    assert not reset.isVisible() and answers.asked == []


def test_screenshots_of_the_two_questions(
        qtbot: QtBot, admin_database: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[QMessageBox, str]] = []

    def question(parent: QWidget, title: str, text: str,
                 buttons: QMessageBox.StandardButton,
                 default: QMessageBox.StandardButton) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, parent)
        box.setDefaultButton(default)
        box.show()
        qtbot.waitExposed(box)
        name = "add-person" if isinstance(parent, PersonDialog) else "rules"
        shots.shot(box, f"{name}-question", under="unsaved_forms")
        shots.shot(parent, f"{name}-typed", under="unsaved_forms")
        seen.append((box, text))
        box.close()
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    rules = _rules(qtbot, admin_database)
    type_in_cell(qtbot, rules.table, 0, ACTIVE, "7")
    qtbot.keyClick(rules, Qt.Key.Key_Escape)
    _users, person = _add_person(qtbot, admin_database)
    qtbot.keyClicks(person.name, "saule")
    person.password.setText(SECRET)
    qtbot.keyClick(person, Qt.Key.Key_Escape)
    assert [text for _box, text in seen] == [ASKED, "saule is not added yet. Add this person?"]
    for box, _text in seen:
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Save)
    assert rules.isVisible() and person.isVisible()
