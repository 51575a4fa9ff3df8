"""Updating existing accessions through the import wizard: what will change is shown per
row, clearing blank cells is a choice that is judged again, equal rows are unchanged."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.test_import_wizard import next_page
from ui.main_window import MainWindow
from ui.views.shown_values import plain


def add(database: db.Database, **values: object) -> int:
    with database.session_factory.begin() as session:
        return accessions.create_accession(session, values=passport_values(**values)).id


def passport(database: db.Database, accession_id: int) -> accessions.Passport:
    with database.session_factory() as session:
        return accessions.get_passport(session, accession_id)


def test_update_through_the_wizard_shows_changes_and_counts_unchanged(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path) -> None:
    """A few corrected columns with blanks: the details pane lists old -> new, ticking
    'clear' counts the values it clears, and the summary says how many were unchanged."""
    changed = add(collection, ACCENUMB="KZ-1", COLLNUMB="C-1", ORIGCTY="KAZ")
    same = add(collection, ACCENUMB="KZ-2", COLLNUMB="C-2", ORIGCTY="KAZ")
    before_same = passport(collection, same)
    path = tmp_path / "corrections.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Corrections after the 2026 inventory"])
    sheet.append(["Institute code", "Accession number", "Country of origin",
                  "Collecting number"])
    sheet.append(["KAZ001", "KZ-1", "UZB", None])
    sheet.append(["KAZ001", "KZ-2", "KAZ", "C-2"])
    book.save(path)

    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: len(wizard.mapping_page.combos) == 4, timeout=10000)
    next_page(qtbot, wizard)

    page = wizard.check_page
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert page.counts.text() == ("2 rows: 2 ready, 0 with warnings, 0 with errors; "
                                  "2 exist already (1 would change, 1 unchanged).")
    assert [page.model.data(page.model.index(r, 1)) for r in range(2)] == \
        ["ready, 1 change", "ready, unchanged"]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Home)  # the first row, as a person moves there
    assert plain(page.details.toPlainText()).splitlines()[:2] == [
        "Row 3: exists; an update changes:", "  ORIGCTY: KAZ  →  UZB"]
    qtbot.mouseClick(page.rejudge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.preview.clear_blank and not page.judging,  # type: ignore[union-attr]
                    timeout=10000)
    assert page.counts.text().endswith(
        "(1 would change, 1 unchanged); 1 stored value would be cleared.")
    assert "  COLLNUMB: C-1  →  (empty)" in plain(page.details.toPlainText()).splitlines()
    page.filter.setCurrentIndex(page.filter.findData("unchanged"))
    assert page.model.rowCount() == 1 and plain(page.model.data(page.model.index(0, 2))) == "KZ-2"
    assert plain(page.model.data(page.model.index(0, 3))) == "Triticum aestivum"  # as stored
    page.filter.setCurrentIndex(page.filter.findData("changing"))
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Home)
    wizard.grab().save("/tmp/import_update_preview.png")
    next_page(qtbot, wizard)

    options = wizard.options_page
    update = options.existing.buttons()[1]
    assert update.text() == ("Update them with the filled cells, and clear values for blank "
                             "cells (1 to change, 1 unchanged, 1 cleared)")
    qtbot.mouseClick(update, Qt.MouseButton.LeftButton)
    wizard.grab().save("/tmp/import_update_options.png")
    next_page(qtbot, wizard)

    run = wizard.run_page
    qtbot.waitUntil(lambda: run.done, timeout=10000)
    assert run.status.text().startswith("Done: 0 created, 1 updated, 1 unchanged, 0 skipped")
    assert "row 3: KZ-1 updated: COLLNUMB 'C-1' -> (empty); ORIGCTY 'KAZ' -> 'UZB'" in \
        run.details.toPlainText()
    wizard.grab().save("/tmp/import_update_done.png")
    after = passport(collection, changed).values
    assert after["ORIGCTY"] == "UZB" and "COLLNUMB" not in after
    after_same = passport(collection, same)
    assert (after_same.version, after_same.updated_at) == \
        (before_same.version, before_same.updated_at)
    log = window.show_import_log()
    qtbot.addWidget(log)
    assert log.details.toPlainText().splitlines()[0] == \
        "0 created, 1 updated, 1 unchanged, 0 skipped"
    log.grab().save("/tmp/import_update_log.png")
    wizard.done(0)
