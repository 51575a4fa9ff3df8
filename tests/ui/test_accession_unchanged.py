"""Enter on an accession opened and left untouched saves nothing (no version, no "last
changed") and says "No changes to save"; a real change through the same form still saves and
says "Saved"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions
from tests.ui.test_main_window import open_editor
from tests.ui.waiting import settled
from ui.main_window import MainWindow


def test_enter_on_an_untouched_accession_changes_nothing(qtbot: QtBot, window: MainWindow,
                                                         collection: db.Database) -> None:
    """Open with Enter, press Enter again: the accession keeps its version and stamp."""
    window.table.setFocus()
    window.table.selectRow(4)
    accession_id = window.model.accession_id(4)  # type: ignore[union-attr]
    with collection.session_factory() as session:
        before = accessions.get_passport(session, accession_id)  # type: ignore[arg-type]
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    editor = open_editor(qtbot)
    editor.grab().save("/tmp/accession_untouched.png")
    qtbot.keyClick(editor.editors["ACCENUMB"], Qt.Key.Key_Return)
    settled(qtbot)
    qtbot.waitUntil(lambda: not editor.isVisible())
    with collection.session_factory() as session:
        after = accessions.get_passport(session, accession_id)  # type: ignore[arg-type]
    assert (after.version, after.updated_at, after.updated_by) == \
        (before.version, before.updated_at, before.updated_by)
    assert after.values == before.values
    assert window.statusBar().currentMessage() == "No changes to save"  # not "Saved"
    window.grab().save("/tmp/demofix_no_changes.png")

    window.table.setFocus()
    window.table.selectRow(4)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    editor = open_editor(qtbot)
    qtbot.keyClicks(editor.editors["COLLNUMB"], "-B")
    qtbot.keyClick(editor.editors["ACCENUMB"], Qt.Key.Key_Return)
    settled(qtbot)
    qtbot.waitUntil(lambda: not editor.isVisible())
    with collection.session_factory() as session:
        changed = accessions.get_passport(session, accession_id)  # type: ignore[arg-type]
    assert changed.version == before.version + 1
    assert window.statusBar().currentMessage() == "Saved"
    assert changed.values["COLLNUMB"] == before.values.get("COLLNUMB", "") + "-B"
