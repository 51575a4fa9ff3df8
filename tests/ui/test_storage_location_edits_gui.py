"""Conservation > Storage locations…: Edit… renames a place (its lots follow), Remove…
removes an empty one and says why another cannot go, through the real dialogs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import conservation_view, seed_lots, storage_locations
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.waiting import done
from ui.dialogs.storage_locations import StorageLocationsDialog

TODAY = dt.date(2026, 11, 23)


def _highlight(dialog: StorageLocationsDialog, name: str) -> None:
    item = dialog.tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    dialog.tree.setCurrentItem(item)


def test_edit_renames_a_place_its_lots_follow_and_remove_refuses_until_empty(
        qtbot: QtBot, sqlite_database: db.Database, message_boxes: list[str]) -> None:
    database = sqlite_database
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        site = storage_locations.add_location(session, "Almaty gene bank")
        room = storage_locations.add_location(session, "Cold room 1", parent_id=site,
                                              storage_type="base")
        storage_locations.add_location(session, "Empty shelf", parent_id=site)
        seed_lots.create_lot(session, accession_id=accession, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2025, 1, 15), seeds=900,
                             location_id=room, today=TODAY)
    dialog = StorageLocationsDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    _highlight(dialog, "Cold room 1")
    edit = dialog.edit()
    assert edit is not None and edit.windowTitle() == "Edit storage location"
    assert edit.name.text() == "Cold room 1" and edit.storage_type.currentData() == "base"
    edit.name.setText("Cold room North")
    edit.temperature.setValue(-18)
    assert done(qtbot, edit.save())
    assert dialog.tree.selectedItems()[0].text(0) == "Cold room North"
    with database.session_factory() as session:
        [lot] = conservation_view.accession_lots(session, accession, today=TODAY)
    assert lot.location == "Almaty gene bank > Cold room North"

    assert not done(qtbot, dialog.remove(confirm=False))  # it holds the lot
    assert message_boxes[-1] == ("'Almaty gene bank > Cold room North' holds 1 seed lot(s): "
                                 "move them elsewhere before removing it; nothing was removed")
    _highlight(dialog, "Empty shelf")
    assert done(qtbot, dialog.remove(confirm=False))
    assert not dialog.tree.findItems("Empty shelf", Qt.MatchFlag.MatchRecursive)
    assert dialog.tree.findItems("Cold room North", Qt.MatchFlag.MatchRecursive)
