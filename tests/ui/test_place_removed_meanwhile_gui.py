"""Move lot…: the place chosen is removed by a colleague while the dialog is open (QA
finding 24). Save says so in the dialog, in words (not "Something went wrong", nor the
database's foreign-key refusal), keeps the typing, and the lot stays where it was."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import conservation_view, seed_lots, storage_locations
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.shots import shot
from tests.ui.waiting import done
from ui.dialogs.lot_dialogs import MoveLotDialog

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
