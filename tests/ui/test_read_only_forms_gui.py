"""Forms a person may not change open read-only with a line saying why (QA3 finding 6):
the rights table (:mod:`genebank.users.roles`) decides, as it greys the main window's menus.
A seed-lot form for a curator, a participant's form for an administrator without the
trainer role, the storage locations for a viewer; the same forms editable for the role
that may. And a message never capitalises a person's name (finding 13); Change my password
starts in "Current password" (finding 14)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import storage_locations
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.training import participants
from genebank.users import accounts
from genebank.users.actor import Actor, attach, detach, work_as
from genebank.users.roles import Right, Role, roles_holding
from tests.conftest import passport_values
from ui import messages
from ui.dialogs.lot_dialogs import NewLotDialog
from ui.dialogs.storage_locations import StorageLocationsDialog
from ui.dialogs.training_dialogs import ParticipantDialog
from ui.dialogs.users_dialog import PersonDialog

PASSWORD = "Жасыл-бидай 2026"


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[db.Database, dict[str, Actor], int, int]]:
    database = db.open_database(db.sqlite_url(tmp_path / "équipe.sqlite"), user="labo")
    people: dict[str, Actor] = {}
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        admin = accounts.create_first_administrator(session, name="aigerim",
                                                    password=PASSWORD)
        people["aigerim"] = Actor(admin.id, admin.name, frozenset(admin.roles))
        work_as(session, people["aigerim"])
        for name, role in (("moussa", Role.SEED_LABORATORY), ("nurlan", Role.CURATOR),
                           ("leila", Role.TRAINER), ("vera", Role.VIEWER)):
            made = accounts.add_user(session, name=name, roles=[role], password=PASSWORD)
            people[name] = Actor(made.id, made.name, frozenset(made.roles))
        work_as(session, people["leila"])
        person = participants.save_participant(
            session, full_name="Aigerim Nurlanova", gender="female", country="KAZ",
            phone="+7 701 000 0000")
        work_as(session, people["moussa"])
        storage_locations.add_location(session, "Chambre froide Niamey", storage_type="base",
                                       temperature_c=-18)
    yield database, people, accession, person
    detach(database.session_factory)
    database.close()


def test_a_seed_lot_form_is_read_only_for_a_curator_and_open_to_the_seed_laboratory(
        qtbot: QtBot, team: tuple[db.Database, dict[str, Actor], int, int]) -> None:
    database, people, accession, _person = team
    attach(database.session_factory, people["nurlan"])
    dialog = NewLotDialog(database.session_factory, accession)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled() and dialog.lot_number.isReadOnly()
    assert not dialog.storage_type.isEnabled()
    assert dialog.rights_label.text() == (
        "Read-only: nurlan may not change conservation records: that needs the role "
        "seed laboratory; an administrator can give it")
    assert dialog.save() is None
    dialog.grab().save("/tmp/qafix-gui-lot-curator.png")
    attach(database.session_factory, people["moussa"])
    dialog = NewLotDialog(database.session_factory, accession)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_button.isEnabled() and not dialog.lot_number.isReadOnly()
    assert dialog.rights_label.isHidden()


def test_a_participant_form_is_read_only_for_an_administrator_without_trainer(
        qtbot: QtBot, team: tuple[db.Database, dict[str, Actor], int, int]) -> None:
    database, people, _accession, person = team
    attach(database.session_factory, people["aigerim"])
    dialog = ParticipantDialog(database.session_factory, participant_id=person)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    assert "aigerim may not change training records" in dialog.rights_label.text()
    assert "needs the role trainer" in dialog.rights_label.text()
    fields = [field for field in dialog.findChildren(QLineEdit) if field.isVisibleTo(dialog)]
    assert fields and all(field.isReadOnly() for field in fields)
    assert any(field.text() == "Aigerim Nurlanova" for field in fields)  # still readable
    assert all(not box.isEnabled() for box in dialog.findChildren(QComboBox))
    dialog.grab().save("/tmp/qafix-gui-participant-admin.png")
    attach(database.session_factory, people["leila"])
    dialog = ParticipantDialog(database.session_factory, participant_id=person)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_button.isEnabled() and dialog.rights_label.isHidden()


def test_the_storage_locations_are_read_only_for_a_viewer(
        qtbot: QtBot, team: tuple[db.Database, dict[str, Actor], int, int]) -> None:
    database, people, _accession, _person = team
    for name, may in (("vera", False), ("moussa", True)):
        attach(database.session_factory, people[name])
        dialog = StorageLocationsDialog(database.session_factory)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda dialog=dialog: dialog.tree.topLevelItemCount() == 1)
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
        buttons = {button.text().replace("&", ""): button
                   for button in dialog.findChildren(QPushButton)}
        assert buttons["New site…"].isEnabled() is may and buttons["Edit…"].isEnabled() is may
        assert dialog.rights_label.isHidden() is may
        if not may:
            assert "vera may not change conservation records" in dialog.rights_label.text()
            assert "vera may not" in buttons["New site…"].toolTip()
            dialog.grab().save("/tmp/qafix-gui-locations-viewer.png")


def test_a_message_keeps_a_persons_name_as_spelt_and_words_the_roles() -> None:
    right = Right.MANAGE_DISTRIBUTION
    said = messages.say(Refused("not_allowed", user="moussa", right=right.value,
                                roles=[role.value for role in roles_holding(right)]))
    assert said.startswith("moussa may not manage distribution: that needs the role "), said
    assert "distribution officer" in said and "distribution_officer" not in said
    assert messages.say(Refused("signed_in_person_disabled", user="vera")).startswith(
        "vera has been disabled")
    # A sentence not led by a name is still a sentence
    assert messages.say(Refused("sign_in_required")).startswith("This database requires")
    assert not messages.retry_helps(Refused("not_allowed", user="vera", right="x", roles=[]))
    assert messages.retry_helps(OSError(28, "No space left on device"))


def test_change_my_password_starts_in_the_current_password(qtbot: QtBot) -> None:
    dialog = PersonDialog(None, name="nurlan", own=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is dialog.old
    qtbot.keyClicks(QApplication.focusWidget(), "x")
    assert dialog.old.text() == "x" and dialog.password.text() == ""

