"""Ticking 'clear blank cells' in the import wizard: the filtered list follows the rows'
new judgement, and the rows are judged into a new preview while the table shows the old."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank import db
from tests.ui.test_import_update_wizard import add
from tests.ui.test_import_wizard import next_page
from ui.main_window import MainWindow
from ui.views.shown_values import plain


def _listed(page: object) -> list[tuple[str, str]]:
    model = page.model  # type: ignore[attr-defined]
    return [(plain(model.data(model.index(r, 2))), model.data(model.index(r, 1)))
            for r in range(model.rowCount())]


def test_the_filtered_list_follows_clear_blank(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path) -> None:
    """Showing 'the file holds as stored', ticking clear-blank moves KZ-2 (its blank
    collecting number would now be cleared) out of that list and into 'would change'."""
    add(collection, ACCENUMB="KZ-1", COLLNUMB="C-1", ORIGCTY="KAZ")
    add(collection, ACCENUMB="KZ-2", COLLNUMB="C-2", ORIGCTY="KAZ")
    path = tmp_path / "corrections.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Institute code", "Accession number", "Country of origin",
                  "Collecting number"])
    sheet.append(["KAZ001", "KZ-1", "UZB", "C-1"])
    sheet.append(["KAZ001", "KZ-2", "KAZ", None])
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
    qtbot.waitUntil(lambda: wizard.preview is not None and page.rejudge.isEnabled(),
                    timeout=10000)
    page.filter.setFocus()
    page.filter.setCurrentIndex(page.filter.findData("unchanged"))
    assert _listed(page) == [("KZ-2", "ready, unchanged")]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Home)
    assert plain(page.details.toPlainText()).startswith("Row 3: exists, and the file holds it")
    shown = wizard.preview
    assert shown is not None
    marks_before = [(r.changes, r.problems) for r in shown.rows]

    qtbot.mouseClick(page.rejudge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.preview.clear_blank and not page.judging,  # type: ignore[union-attr]
                    timeout=10000)
    assert _listed(page) == []  # KZ-2 would now change: no longer listed as unchanged
    assert plain(page.details.toPlainText()) == ""  # nothing highlighted, nothing described
    assert wizard.preview is not shown  # judged into a new preview, swapped in here
    assert [(r.changes, r.problems) for r in shown.rows] == marks_before
    page.filter.setCurrentIndex(page.filter.findData("changing"))
    assert _listed(page) == [("KZ-1", "ready, 1 change"), ("KZ-2", "ready, 1 change")]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Home)
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    assert "  COLLNUMB: C-2  →  (empty)" in plain(page.details.toPlainText()).splitlines()
    wizard.grab().save("/tmp/impfix_rejudge_changing.png")

    qtbot.mouseClick(page.rejudge, Qt.MouseButton.LeftButton)  # unticked again
    qtbot.waitUntil(lambda: not wizard.preview.clear_blank and not page.judging,  # type: ignore[union-attr]
                    timeout=10000)
    assert _listed(page) == [("KZ-1", "ready, 1 change")]
    assert page.view.currentIndex().row() == 0  # KZ-2 left the list: the first is highlighted
    assert plain(page.details.toPlainText()).splitlines()[:2] == [
        "Row 2: exists; an update changes:", "  ORIGCTY: KAZ  →  UZB"]
    wizard.grab().save("/tmp/impfix_rejudge_unticked.png")
    wizard.done(0)
