"""File > Import log > Undo this import…: the preview says what is removed, put back, left
(with who changed it) and kept (with what depends on it); "Undo import" does it, and the
log then shows the import as undone, its button off."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import seed_lots
from genebank.passport import accessions
from genebank.passport.passport_import import OnExisting
from genebank.users.actor import Actor, attach
from genebank.users.roles import Role
from tests.genebank.test_import_undo import TODAY, as_user, import_file, passport, with_data
from ui.dialogs.import_log import ImportLogDialog
from ui.dialogs.import_undo import UndoImportDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views import shown_numbers
from ui.views.shown_values import plain


def _texts(dialog: UndoImportDialog) -> dict[str, list[tuple[str, str]]]:
    """Each section's title and its rows (accession, what happens)."""
    tree = dialog.tree
    found = {}
    for index in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(index)
        found[top.text(0)] = [(top.child(i).text(0), top.child(i).text(1))
                              for i in range(top.childCount())]
    return found


def test_undo_from_the_import_log(qtbot: QtBot, sqlite_database: db.Database,
                                  settings: Settings) -> None:
    database = sqlite_database
    ids = with_data(database)
    log_id = import_file(database, OnExisting.UPDATE)
    assert log_id == 1
    with database.session_factory() as session:
        edited = accessions.find_accession_id(session, instcode="GBR251",
                                              accenumb="CACTUAR-2003")
        with_lot = accessions.find_accession_id(session, instcode="GBR251",
                                                accenumb="CACTUAR-2010")
    assert edited is not None and with_lot is not None
    with as_user(database, "maria") as session, session.begin():
        stored = accessions.get_passport(session, edited)
        accessions.update_accession(session, edited, expected_version=stored.version,
                                    values={**stored.values, "ORIGCTY": "ESP"})
        seed_lots.create_lot(session, accession_id=with_lot, lot_number="JHI-L-10",
                             storage_type="base", stored_on=dt.date(2026, 11, 1), seeds=800,
                             today=TODAY)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    window.import_log_action.trigger()  # File > Import log
    log = window.findChild(ImportLogDialog)
    assert log is not None
    qtbot.waitExposed(log)
    assert log.undo_button.isEnabled()
    log.undo_button.click()
    dialog = log.undo_dialog
    qtbot.waitExposed(dialog)
    assert not dialog.confirm.isEnabled()  # until the preview is read
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    sections = _texts(dialog)
    titles = list(sections)
    assert titles == ["Left: changed after the import (1)",
                      "Kept: other records depend on them (1)",
                      "Put back: updated by the import (2)",
                      f"Removed: created by the import ({shown_numbers.count(1996)})",
                      "Also removed: crop names and institutes only the import used (0)"]
    [left] = sections[titles[0]]
    assert left[0] == "GBR251:CACTUAR-2003" and left[1].startswith("changed by maria on ")
    assert sections[titles[1]] == [("GBR251:CACTUAR-2010", "1 seed lot(s)")]
    put_back = dialog.tree.topLevelItem(2).child(0)
    assert put_back.text(0) == "GBR251:CACTUAR-2001"
    fields = {put_back.child(i).text(0): put_back.child(i).text(1)
              for i in range(put_back.childCount())}
    assert fields["ORIGCTY"] == "IND → GBR" and fields["GENUS"] == "Hordeum → Triticum"
    assert f"removes {shown_numbers.count(1996)} accession(s)" in plain(dialog.heading.text())
    dialog.grab().save("/tmp/undo-preview.png")
    assert dialog.confirm.isEnabled()
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.write is not None and dialog.write.finished, timeout=30000)
    assert dialog.write.ok, dialog.write.error_text
    assert dialog.windowTitle() == f"Undo import {log_id}"
    qtbot.waitUntil(lambda: log.table.item(0, 8).text() != "")
    assert log.table.item(0, 8).text().endswith(", tester")
    assert not log.undo_button.isEnabled()
    assert log.details.toPlainText().startswith("Undone on ")
    log.grab().save("/tmp/undo-log.png")
    assert passport(database, ids["CACTUAR-2001"]).values["ORIGCTY"] == "GBR"
    assert passport(database, edited).values["ORIGCTY"] == "ESP"


def test_a_person_who_may_not_change_passport_data_sees_why_undo_is_off(
        qtbot: QtBot, sqlite_database: db.Database) -> None:
    """A seed laboratory's technician reads the log; "Undo this import…" is greyed with
    the reason, worded as every refusal."""
    with_data(sqlite_database)
    import_file(sqlite_database)
    attach(sqlite_database.session_factory,
           Actor(7, "aigul", frozenset({Role.SEED_LABORATORY})))
    log = ImportLogDialog(sqlite_database.session_factory)
    qtbot.addWidget(log)
    log.show()
    assert not log.undo_button.isEnabled()
    assert log.undo_button.toolTip().startswith("aigul may not change passport data")
    assert "curator" in log.undo_button.toolTip()


def test_a_refused_undo_is_said_in_the_dialog(qtbot: QtBot, sqlite_database: db.Database) -> None:
    """An import undone meanwhile (on another workstation): the preview says so, in the
    core's words, and offers nothing to confirm."""
    with_data(sqlite_database)
    log_id = import_file(sqlite_database)
    dialog = UndoImportDialog(sqlite_database.session_factory, log_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.write is not None and dialog.write.finished, timeout=30000)
    again = UndoImportDialog(sqlite_database.session_factory, log_id)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.read.finished, timeout=30000)
    assert f"import {log_id} was undone already, by tester" in again.heading.text().lower()
    assert not again.confirm.isEnabled() and again.preview is None
