"""Move lot…: the place chosen is removed by a colleague while the dialog is open (QA
finding 24). Save says so in the dialog, in words (not "Something went wrong", nor the
database's foreign-key refusal), keeps the typing, and the lot stays where it was."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import conservation_view, seed_lots, storage_locations
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.shots import shot
from tests.ui.waiting import done
from ui.dialogs.lot_dialogs import MoveLotDialog, NewLotDialog

TODAY = dt.date(2026, 11, 23)


def test_a_move_to_a_place_removed_meanwhile_is_refused_in_words(
        qtbot: QtBot, database: db.Database) -> None:
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        shelf = storage_locations.add_location(session, "Shelf 1", storage_type="base")
        box = storage_locations.add_location(session, "Box 9", storage_type="base")
        seed_lots.create_lot(session, accession_id=accession, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2025, 1, 15), seeds=900,
                             location_id=shelf, today=TODAY)
    with database.session_factory() as session:
        [lot] = conservation_view.accession_lots(session, accession, today=TODAY)
    dialog = MoveLotDialog(database.session_factory, lot)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.location.setCurrentIndex(dialog.location.findText("Box 9"))
    qtbot.keyClicks(dialog.reason, "cold room emptied")
    with database.session_factory.begin() as session:  # a colleague, meanwhile
        storage_locations.remove_location(session, box)

    assert not done(qtbot, dialog.save())
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == (
        "The storage location chosen no longer exists: someone removed it after the list "
        "of places was read. Choose another; nothing was saved.")
    assert dialog.reason.text() == "cold room emptied"
    shot(dialog, "move-to-a-removed-place", under="place_removed_meanwhile")
    with database.session_factory() as session:
        [after] = conservation_view.accession_lots(session, accession, today=TODAY)
    assert after.location == "Shelf 1"


def _lot_and_places(database: db.Database) -> tuple[int, conservation_view.LotSummary, int]:
    """Lot L-1 on 'Shelf 1'; 'Box 9' and 'Cold room 2' empty: the accession, the lot and
    Box 9's id."""
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        shelf = storage_locations.add_location(session, "Shelf 1", storage_type="base")
        box = storage_locations.add_location(session, "Box 9", storage_type="base")
        storage_locations.add_location(session, "Cold room 2", storage_type="base")
        seed_lots.create_lot(session, accession_id=accession, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2025, 1, 15), seeds=900,
                             location_id=shelf, today=TODAY)
    with database.session_factory() as session:
        [lot] = conservation_view.accession_lots(session, accession, today=TODAY)
    return accession, lot, box


def _listed(combo: QComboBox) -> list[str]:
    return [combo.itemText(index) for index in range(combo.count())]


def test_after_a_place_removed_meanwhile_the_move_lists_the_places_again(
        qtbot: QtBot, database: db.Database) -> None:
    """After the refusal the Move to list is read again: Box 9 is gone from it, and no
    place is chosen (Save says to choose one, rather than moving the lot into a place
    Genebank picked); the person chooses Cold room 2 and the lot moves there."""
    accession, lot, box = _lot_and_places(database)
    dialog = MoveLotDialog(database.session_factory, lot)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _listed(dialog.location) == ["Box 9", "Cold room 2"]
    dialog.location.setCurrentIndex(dialog.location.findText("Box 9"))
    qtbot.keyClicks(dialog.reason, "cold room emptied")
    with database.session_factory.begin() as session:  # a colleague, meanwhile
        storage_locations.remove_location(session, box)

    assert not done(qtbot, dialog.save())
    assert _listed(dialog.location) == ["Cold room 2"]
    assert dialog.location.currentIndex() == -1 and dialog.location.currentText() == ""
    assert dialog.location.placeholderText() == "choose another place"
    assert dialog.error.text().startswith("The storage location chosen no longer exists")
    shot(dialog, "move-places-read-again", under="place_removed_meanwhile")

    assert dialog.save() is None  # nothing chosen: said at once, nothing started
    assert dialog.error.text() == "Choose where the lot goes. Nothing was saved."
    dialog.location.setCurrentIndex(dialog.location.findText("Cold room 2"))
    assert done(qtbot, dialog.save())
    with database.session_factory() as session:
        [after] = conservation_view.accession_lots(session, accession, today=TODAY)
    assert after.location == "Cold room 2"


def test_after_a_place_removed_meanwhile_a_new_lot_lists_the_places_again(
        qtbot: QtBot, database: db.Database) -> None:
    """The same in New seed lot: the place chosen is removed before Save; the refusal is
    said, the list read again without it and no place chosen (not "(not placed yet)",
    which would store the lot nowhere without being asked); Cold room 2 chosen, it is
    stored there."""
    accession, _lot, box = _lot_and_places(database)
    dialog = NewLotDialog(database.session_factory, accession)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _listed(dialog.location) == ["(not placed yet)", "Box 9", "Cold room 2", "Shelf 1"]
    qtbot.keyClicks(dialog.lot_number, "L-2")
    qtbot.keyClicks(dialog.seeds, "600")
    dialog.location.setCurrentIndex(dialog.location.findText("Box 9"))
    with database.session_factory.begin() as session:  # a colleague, meanwhile
        storage_locations.remove_location(session, box)

    assert not done(qtbot, dialog.save())
    assert dialog.error.text().startswith("The storage location chosen no longer exists")
    assert _listed(dialog.location) == ["(not placed yet)", "Cold room 2", "Shelf 1"]
    assert dialog.location.currentIndex() == -1 and dialog.lot_number.text() == "L-2"
    shot(dialog, "new-lot-places-read-again", under="place_removed_meanwhile")
    assert dialog.save() is None
    assert dialog.error.text() == ("Choose the lot's location (or '(not placed yet)'). "
                                   "Nothing was saved.")
    dialog.location.setCurrentIndex(dialog.location.findText("Cold room 2"))
    assert done(qtbot, dialog.save()), dialog.error.text()
    with database.session_factory() as session:
        lots = conservation_view.accession_lots(session, accession, today=TODAY)
    assert {(lot.lot_number, lot.location) for lot in lots} == {
        ("L-1", "Shelf 1"), ("L-2", "Cold room 2")}
