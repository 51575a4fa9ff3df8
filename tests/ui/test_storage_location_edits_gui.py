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
from tests.ui import shots
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


def test_edit_says_which_lots_take_a_new_storage_type_and_they_do(
        qtbot: QtBot, sqlite_database: db.Database, message_boxes: list[str]) -> None:
    """Edit… a cool room to base storage: the form says before Save that its 2 lots take the
    new type, and after Save they are base lots tested every 10 years (QA finding 11); a
    place left with only discarded lots is refused saying so (QA finding 12)."""
    database = sqlite_database
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        room = storage_locations.add_location(session, "Demo cool room +4 °C",
                                              storage_type="active", temperature_c=4)
        shelf = storage_locations.add_location(session, "Shelf 09", parent_id=room)
        lots = [seed_lots.create_lot(session, accession_id=accession, lot_number=f"L-{n}",
                                     storage_type="active", stored_on=dt.date(2025, 1, 15),
                                     seeds=900, location_id=shelf, today=TODAY)
                for n in (1, 2)]
        spare = storage_locations.add_location(session, "Shelf 10", parent_id=room)
        gone = seed_lots.create_lot(session, accession_id=accession, lot_number="L-3",
                                    storage_type="active", stored_on=dt.date(2025, 1, 15),
                                    seeds=900, location_id=spare, today=TODAY)
        seed_lots.discard(session, gone, on=TODAY, reason="mouldy", today=TODAY)
    dialog = StorageLocationsDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    _highlight(dialog, "Demo cool room +4 °C")
    edit = dialog.edit()
    assert edit is not None
    assert edit.following.isHidden()
    edit.storage_type.setCurrentIndex(edit.storage_type.findData("base"))
    assert edit.following.isVisible()
    assert edit.following.text() == (
        "2 seed lot(s) kept here take this storage type when you save: their next viability "
        "test dates are worked out again. Discarded lots keep theirs.")
    edit.temperature.setValue(-18.5)
    shots.shot(edit, "edit-location-lots-follow", under="storage_locations")
    assert done(qtbot, edit.save())
    with database.session_factory() as session:
        shown = conservation_view.accession_lots(session, accession, today=TODAY)
    assert {lot.lot_number: lot.storage_type for lot in shown} == {
        "L-1": "base", "L-2": "base", "L-3": "active"}
    assert len(lots) == 2
    _highlight(dialog, "Shelf 10")
    assert dialog.remove() is None  # asked first, which place by its path: not removed
    assert message_boxes[-1] == "Remove 'Demo cool room +4 °C > Shelf 10'?"
    assert not done(qtbot, dialog.remove(confirm=False))
    assert message_boxes[-1] == (
        "'Demo cool room +4 °C > Shelf 10' is where 1 discarded seed lot(s) were kept, which "
        "their records keep: it cannot be removed, but it can be renamed (e.g. 'Shelf 10 "
        "(closed)')")


def test_the_places_are_in_the_order_people_sort_names(
        qtbot: QtBot, sqlite_database: db.Database) -> None:
    """"étagère 09" among the e's, not after "Shelf 10"; "Shelf 9" before "Shelf 10"
    (QA finding 11, the tree's order)."""
    with sqlite_database.session_factory.begin() as session:
        room = storage_locations.add_location(session, "Cool room")
        for name in ("Shelf 10", "étagère 09", "Shelf 9", "Freezer"):
            storage_locations.add_location(session, name, parent_id=room)
    dialog = StorageLocationsDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    room_item = dialog.tree.topLevelItem(0)
    assert [room_item.child(i).text(0) for i in range(room_item.childCount())] == [
        "étagère 09", "Freezer", "Shelf 9", "Shelf 10"]
