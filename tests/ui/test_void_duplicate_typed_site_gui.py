"""Void… of a lot's only safety duplicate at a site the passport types in DUPLSITE: the lot's
tab says DUPLSITE still names it and where to change that (QA finding 3)."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from genebank.conservation import regenerations, seed_lots
from genebank.passport import accessions
from tests.ui import shots
from tests.ui.test_conservation import open_first_accession
from tests.ui.waiting import settled
from ui.dialogs.correction_dialogs import VoidDialog
from ui.main_window import MainWindow
from ui.views import correction_actions


def test_voiding_the_only_duplicate_at_a_typed_site_says_duplsite_still_names_it(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    today = dt.date.today()
    with window.database.session_factory.begin() as session:
        passport = accessions.get_passport(session, tab.accession_id)
        accessions.update_accession(session, tab.accession_id,
                                    expected_version=passport.version,
                                    values={**passport.values, "DUPLSITE": "NOR051"})
        lot_id = seed_lots.create_lot(session, accession_id=tab.accession_id,
                                      lot_number="KZ-LOT-DUP", storage_type="base",
                                      stored_on=today - dt.timedelta(days=200), seeds=3000)
        regenerations.send_safety_duplicate(session, lot_id=lot_id, institute_code="NOR051",
                                            sent_on=today - dt.timedelta(days=5), seeds=500,
                                            box_reference="BOX-003")
    tab.reload(select_lot=lot_id)
    voiding = correction_actions.void_duplicate(tab)
    assert isinstance(voiding, VoidDialog)
    qtbot.keyClicks(voiding.reason, "sent under the wrong lot")
    voiding.save_button.click()
    settled(qtbot)
    assert not voiding.isVisible() and message_boxes == []
    assert tab.note.isVisible()
    assert tab.note.text() == (
        "DUPLSITE still names NOR051: the accession's passport gives it as a safety-duplicate "
        "site, and a void does not change the passport. If no safety duplicate is kept at "
        "NOR051, remove it from DUPLSITE in the Conservation tab.")
    assert tab.duplicates.text().splitlines()[0].startswith("void: NOR051")
    shots.shot(tab, "void-duplicate-typed-site", under="corrections")
