"""Count a test… counts the test the technician points at: the one highlighted in the lot's
Tests, or the row chosen in "Germination tests to count", never simply the oldest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank.conservation import seed_tests
from genebank.conservation import worklists as lists
from genebank.models import GerminationTest
from tests.ui.waiting import settled
from ui import operations
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.germination_dialogs import CountGerminationDialog, GerminationDialog
from ui.main_window import MainWindow
from ui.views import shown_numbers
from ui.views.conservation_tab import ConservationTab
from ui.views.number_box import NumberBox

TODAY = dt.date.today()
OLDER, NEWER = TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=2)


def two_tests_to_count(qtbot: QtBot, window: MainWindow) -> tuple[AccessionEditor, int, int]:
    """The first accession open on its lot, which has two tests sown (25 + 25 seeds each,
    nine and two days ago) besides its counted ones; returns the editor and the two ids."""
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None and editor.conservation is not None
    qtbot.addWidget(editor)
    editor.show_conservation()
    lot = editor.conservation.current_lot()
    assert lot is not None
    with window.database.session_factory.begin() as session:
        older, newer = (seed_tests.start_germination(session, lot.id, tested_on=day,
                                                     sown=[25, 25], tester="Aigerim")
                        for day in (OLDER, NEWER))
    editor.conservation.reload()
    return editor, older, newer


def statuses(window: MainWindow, *ids: int) -> list[str]:
    with window.database.session_factory() as session:
        return [session.scalars(select(GerminationTest.status)
                                .where(GerminationTest.id == test_id)).one() for test_id in ids]


def click_row(qtbot: QtBot, table: QAbstractItemView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def show_tests(qtbot: QtBot, tab: ConservationTab) -> None:
    """Click the Tests tab below the lots."""
    bar = tab.details.tabBar()
    index = tab.details.indexOf(tab.test_table)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tab.details.currentWidget() is tab.test_table


def row_dated(tab: ConservationTab, day: dt.date) -> int:
    rows = [row for row in range(tab.test_table.rowCount())
            if tab.test_table.item(row, 0).text() == f"{day:%Y-%m-%d}"]
    assert len(rows) == 1
    return rows[0]


def open_count_dialog(qtbot: QtBot, tab: ConservationTab) -> CountGerminationDialog:
    qtbot.mouseClick(tab.count_button, Qt.MouseButton.LeftButton)
    return shown_count_dialog()


def shown_count_dialog() -> CountGerminationDialog:
    shown = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, CountGerminationDialog) and w.isVisible()]
    assert len(shown) == 1
    return shown[0]


def names_test_of(dialog: QWidget, day: dt.date) -> bool:
    return any(label.text().startswith(f"{day:%Y-%m-%d}: sown, not yet counted")
               for label in dialog.findChildren(QLabel))


def count(qtbot: QtBot, dialog: CountGerminationDialog) -> None:
    """Type 21 normal and 4 dead seedlings in each replicate, as from the lab's sheet."""
    for cells in dialog.cells:
        for box, value in ((cells[1], 21), (cells[3], 4)):
            assert isinstance(box, NumberBox)
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(box, str(value))


def test_count_a_test_counts_the_highlighted_test(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Of two tests sown alike, the newer one highlighted is the one counted; a counted test
    highlighted leaves Count a test… disabled."""
    editor, older, newer = two_tests_to_count(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    show_tests(qtbot, tab)
    counted_rows = [row for row in range(tab.test_table.rowCount())
                    if tab.test_table.item(row, 1).text() == "germination"
                    and not tab.test_table.item(row, 2).text().startswith("in progress")]
    assert counted_rows
    click_row(qtbot, tab.test_table, counted_rows[0])
    assert not tab.count_button.isEnabled()
    click_row(qtbot, tab.test_table, row_dated(tab, NEWER))
    assert tab.count_button.isEnabled()
    editor.grab().save(str(tmp_path / "tests-newer-highlighted.png"))
    dialog = open_count_dialog(qtbot, tab)
    assert names_test_of(dialog, NEWER)
    count(qtbot, dialog)
    dialog.grab().save(str(tmp_path / "count-newer-test.png"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert not dialog.isVisible()
    assert statuses(window, older, newer) == ["in_progress", "complete"]
    # the counted test stays highlighted, now with its result, and is not to count again
    assert tab.highlighted_test() is not None and tab.highlighted_test().test_id == newer
    assert tab.test_table.item(row_dated(tab, NEWER), 2).text() == shown_numbers.percent(84)
    assert not tab.count_button.isEnabled()
    click_row(qtbot, tab.test_table, row_dated(tab, OLDER))
    assert tab.count_button.isEnabled()
    again = open_count_dialog(qtbot, tab)
    assert names_test_of(again, OLDER)
    again.reject()
    qtbot.keyClick(tab.test_table, Qt.Key.Key_Return)  # Enter on a test to count counts it
    assert names_test_of(shown_count_dialog(), OLDER)


def test_enter_on_a_test_to_count_opens_its_form_and_saves_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Enter on a test still to count opens its count form, blank, and does nothing more:
    the Enter stops at the Tests table. Passed on to the accession form (a dialog), it
    pressed the default button of the form just opened, its Save, before anything was
    typed (found by the GUI tests' guard: a save running when the test ended)."""
    editor, older, newer = two_tests_to_count(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    show_tests(qtbot, tab)
    click_row(qtbot, tab.test_table, row_dated(tab, OLDER))
    qtbot.keyClick(tab.test_table, Qt.Key.Key_Return)
    dialog = shown_count_dialog()
    assert names_test_of(dialog, OLDER)
    assert dialog.operation is None and not operations.pending()  # no save started
    settled(qtbot)
    dialog.grab().save(str(tmp_path / "count-opened-by-enter.png"))
    assert dialog.isVisible() and dialog.error.isHidden() and dialog.busy.isHidden()
    assert statuses(window, older, newer) == ["in_progress", "in_progress"]
    dialog.reject()


def test_enter_on_a_lot_opens_a_blank_germination_form_and_saves_nothing(
        qtbot: QtBot, window: MainWindow) -> None:
    """Enter on a lot opens its new germination test form, and no save with it (as above)."""
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None and editor.conservation is not None
    qtbot.addWidget(editor)
    editor.show_conservation()
    tab = editor.conservation
    tab.lot_table.setFocus()
    tab.lot_table.setCurrentCell(0, 0)
    qtbot.keyClick(tab.lot_table, Qt.Key.Key_Return)
    [dialog] = [d for d in tab.findChildren(GerminationDialog)
                if type(d) is GerminationDialog and d.isVisible()]
    assert dialog.operation is None and not operations.pending()  # no save started
    settled(qtbot)
    assert dialog.isVisible() and dialog.error.isHidden() and dialog.busy.isHidden()
    dialog.reject()


def test_the_row_chosen_in_the_worklist_is_the_test_counted(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Enter on the newer of two rows of "Germination tests to count" opens the lot with that
    test highlighted, and Count a test… counts it."""
    editor, older, newer = two_tests_to_count(qtbot, window)
    lot = editor.conservation.current_lot()  # type: ignore[union-attr]
    assert lot is not None
    editor.close()
    view = window.show_attention()
    qtbot.addWidget(view)
    view.lists.setCurrentRow([w.id for w in lists.WORKLISTS].index(lists.TESTS_TO_COUNT))
    settled(qtbot)
    waiting = view.model.total  # the demo's own tests in progress, and these two

    def ours(day: dt.date) -> list[int]:
        return [row for row in range(view.model.rowCount())
                if view.model.item(row).lot_number == lot.lot_number
                and f"sown {day:%Y-%m-%d}" in view.model.item(row).reason]

    rows = ours(NEWER)
    assert len(rows) == 1 and len(ours(OLDER)) == 1
    click_row(qtbot, view.table, rows[0])
    view.grab().save(str(tmp_path / "worklist-two-tests-to-count.png"))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    opened = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, AccessionEditor) and w.isVisible() and w is not editor]
    assert len(opened) == 1
    qtbot.addWidget(opened[0])
    tab = opened[0].conservation
    assert tab is not None and tab.details.currentWidget() is tab.test_table
    assert tab.count_button.isEnabled()
    opened[0].grab().save(str(tmp_path / "opened-on-the-chosen-test.png"))
    dialog = open_count_dialog(qtbot, tab)
    assert names_test_of(dialog, NEWER)
    count(qtbot, dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert not dialog.isVisible()
    assert statuses(window, older, newer) == ["in_progress", "complete"]
    view.refresh()
    settled(qtbot)
    assert view.model.total == waiting - 1 and ours(NEWER) == [] and len(ours(OLDER)) == 1
