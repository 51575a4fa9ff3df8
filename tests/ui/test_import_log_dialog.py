"""File > Import log shows, for each import, how many existing accessions it left
unchanged, in its own column between Updated and Skipped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.models import ImportLog
from genebank.passport.passport_import import OnExisting
from tests.genebank.test_import_log import corrections_xlsx, import_file, store_three
from tests.ui.waiting import settled
from ui.dialogs.import_log import ImportLogDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views import shown_numbers
from ui.views.history_words import local_time


def test_the_import_log_shows_the_unchanged_column(
        qtbot: QtBot, tmp_path: Path, sqlite_database: db.Database, settings: Settings) -> None:
    """An update import's 2 unchanged show under "Unchanged"; an entry from before the
    count was kept shows 0; Down moves to it and its details."""
    with sqlite_database.session_factory.begin() as session:
        session.add(ImportLog(kind="passport", file_name="Passeport 2025 (corrigé).xlsx",
                              sheet="Feuil1", finished_at=dt.datetime(2025, 6, 3, 9, 41),
                              created_count=1250, skipped_count=3,
                              details="1,250 created, 0 updated, 3 skipped"))
    store_three(sqlite_database)
    import_file(sqlite_database, corrections_xlsx(tmp_path / "corrections.xlsx"),
                OnExisting.UPDATE)
    window = MainWindow(sqlite_database, settings)
    qtbot.addWidget(window)
    window.show()
    window.import_log_action.trigger()  # File > Import log
    dialog = window.findChild(ImportLogDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    table = dialog.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["When", "Who", "File", "Sheet", "Created", "Updated",
                       "Unchanged", "Skipped", "Undone"]
    # when, in the person's local time and regional format (the log keeps UTC)
    assert [table.item(row, 0).text() for row in range(table.rowCount())] == [
        local_time(entry.finished_at) for entry in dialog.entries]
    counts = [[table.item(row, c).text() for c in range(2, 8)]
              for row in range(table.rowCount())]
    assert counts == [["corrections.xlsx", "Corrections ORIGCTY", "0", "1", "2", "1"],
                      ["Passeport 2025 (corrigé).xlsx", "Feuil1", shown_numbers.count(1250),
                       "0", "0", "3"]]
    assert dialog.details.toPlainText().splitlines()[0] == \
        "0 created, 1 updated, 2 unchanged, 1 skipped"
    unchanged = table.horizontalHeader().sectionSize(6)
    assert unchanged >= table.horizontalHeader().fontMetrics().horizontalAdvance("Unchanged")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert dialog.details.toPlainText() == "1,250 created, 0 updated, 3 skipped"
    qtbot.keyClick(table, Qt.Key.Key_Up)
    dialog.grab().save("/tmp/mig7_import_log.png")
    settled(qtbot)  # the main window's first reads, behind the log
