"""The main window works the same on SQLite and on a PostgreSQL server."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.waiting import done, settled
from ui.main_window import MainWindow
from ui.settings import Settings


def test_search_edit_and_save_on_each_database(qtbot: QtBot, database: db.Database,
                                               settings: Settings) -> None:
    """Count, search and an edit saved through the form, on either database."""
    with database.session_factory.begin() as session:
        for number, genus in (("KZ-1", "Triticum"), ("KZ-2", "Hordeum"), ("UZ-3", "Triticum")):
            accessions.create_accession(session, values=passport_values(ACCENUMB=number,
                                                                        GENUS=genus))
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.count_label.text() == "3 accessions")
    qtbot.keyClicks(window.filter_bar.search, "hordeum")
    qtbot.waitUntil(lambda: window.count_label.text() == "1 of 3 accessions match")
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    editor.editors["COLLSITE"].setText("Ili valley")
    assert done(qtbot, editor.save())
    with database.session_factory() as session:
        accession_id = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-2")
        assert accessions.get_passport(session, accession_id).values["COLLSITE"] == "Ili valley"
    settled(qtbot)  # the window rereads what the save changed
