"""Lists with a panel or with buttons, outside training: seed lots and their records, the
worklists, storage locations and the import log. The panel shows the highlighted record
after a sort, a search, a new record or a deselection, and the buttons act on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank import db
from genebank.conservation import seed_lots, seed_tests, storage_locations
from genebank.conservation import worklists as lists
from genebank.demo import demo
from genebank.models import ImportLog, MoistureTest
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.waiting import done, settled
from ui.dialogs.import_log import ImportLogDialog
from ui.dialogs.storage_locations import StorageLocationsDialog
from ui.main_window import MainWindow
from ui.models.accession_table import AccessionTableModel
from ui.settings import Settings
from ui.views.attention_view import AttentionView
from ui.views.conservation_tab import ConservationTab

TODAY = dt.date.today()


def highlighted_row(view: QAbstractItemView) -> int | None:
    """The row the user sees highlighted (None: none is)."""
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def ctrl_click(qtbot: QtBot, view: QAbstractItemView, row: int) -> None:
    """Ctrl+click on a row: on a highlighted row, this takes the highlight off."""
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, rect.center())


@pytest.fixture
def database(tmp_path: Path) -> Iterator[db.Database]:
    database = db.open_database(db.sqlite_url(tmp_path / "md.sqlite"), user="technician")
    yield database
    database.close()


@pytest.fixture
def lots_tab(qtbot: QtBot, database: db.Database) -> ConservationTab:
    """An accession with two lots; the second has a moisture test of 5.8 %."""
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        for number in ("KZ-LOT-0001", "KZ-LOT-0002"):
            lot = seed_lots.create_lot(session, accession_id=accession, lot_number=number,
                                       storage_type="active", seeds=2000,
                                       stored_on=TODAY - dt.timedelta(days=60))
        seed_tests.record_moisture(session, lot, tested_on=TODAY - dt.timedelta(days=5),
                                   moisture_pct=5.8, method="oven 103 °C 17 h")
    tab = ConservationTab(database.session_factory, accession)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    return tab


def lot_id(tab: ConservationTab, row: int) -> int | None:
    """The id of the lot whose number is shown in ``row``."""
    with tab.session_factory() as session:
        return seed_lots.find_lot_id(session, tab.lot_table.item(row, 0).text())


def test_the_lot_records_follow_the_highlighted_lot(qtbot: QtBot,
                                                    lots_tab: ConservationTab) -> None:
    """Down arrow moves the highlight to the next lot, and its tests come with it."""
    tab = lots_tab
    assert highlighted_row(tab.lot_table) == 0 and tab.test_table.rowCount() == 0
    tab.lot_table.setFocus()
    qtbot.keyClick(tab.lot_table, Qt.Key.Key_Down)
    assert highlighted_row(tab.lot_table) == 1
    assert tab.current_lot_id() == lot_id(tab, 1)
    assert tab.test_table.rowCount() == 1 and "5.8" in tab.test_table.item(0, 2).text()


def test_a_new_lot_is_highlighted_and_a_test_lands_on_it(
        qtbot: QtBot, lots_tab: ConservationTab, database: db.Database) -> None:
    """A lot just added is highlighted; Moisture test records on it, not on the one before."""
    tab = lots_tab
    tab.lot_table.selectRow(1)
    dialog = tab.add_lot()
    qtbot.keyClicks(dialog.lot_number, "KZ-LOT-0003")
    dialog.storage_type.setCurrentIndex(dialog.storage_type.findData("active"))
    dialog.stored_on.setDate(QDate.currentDate().addDays(-7))
    dialog.seeds.setValue(1500)
    qtbot.keyClick(dialog.lot_number, Qt.Key.Key_Return)
    settled(qtbot)
    assert not dialog.isVisible()
    row = highlighted_row(tab.lot_table)
    assert row is not None and tab.lot_table.item(row, 0).text() == "KZ-LOT-0003"
    assert tab.current_lot_id() == dialog.saved_id == lot_id(tab, row)
    test = tab.record_moisture()
    assert test is not None
    test.moisture.setValue(6.1)
    test.save_button.click()
    settled(qtbot)
    with database.session_factory() as session:
        assert session.scalars(select(MoistureTest.lot_id)
                               .where(MoistureTest.moisture_pct == 6.1)).all() \
            == [dialog.saved_id]


def test_with_no_lot_highlighted_the_records_and_buttons_are_off(
        qtbot: QtBot, lots_tab: ConservationTab, tmp_path: Path) -> None:
    """Ctrl+click takes the highlight off a lot: its records go, its buttons are disabled."""
    tab = lots_tab
    tab.lot_table.selectRow(1)
    assert tab.test_table.rowCount() == 1
    ctrl_click(qtbot, tab.lot_table, 1)
    assert highlighted_row(tab.lot_table) is None
    assert tab.current_lot() is None and tab.test_table.rowCount() == 0
    assert not tab.germination_button.isEnabled() and not tab.moisture_button.isEnabled()
    assert tab.record_moisture() is None and not tab.discard()
    assert tab.flags.text() == "Choose a lot above."
    tab.grab().save(str(tmp_path / "no-lot-highlighted.png"))


def test_a_discarded_lot_stays_highlighted_with_its_records_and_no_buttons(
        qtbot: QtBot, lots_tab: ConservationTab, monkeypatch: pytest.MonkeyPatch) -> None:
    """A discarded lot moves below the active one with the highlight; its buttons are off."""
    tab = lots_tab
    tab.lot_table.selectRow(0)
    discarded = tab.current_lot_id()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("mould in the jar", True))
    assert done(qtbot, tab.discard())
    assert lot_id(tab, 1) == discarded  # active lots first
    assert highlighted_row(tab.lot_table) == 1 and tab.current_lot_id() == discarded
    assert tab.current_lot().status == "discarded"
    assert tab.test_table.rowCount() == 0  # the moisture test is the other lot's
    assert tab.ledger_table.rowCount() == 2  # stored, then discarded
    assert not tab.moisture_button.isEnabled() and not tab.discard_action.isEnabled()


# Worklists ---------------------------------------------------------------------------------
@pytest.fixture
def attention(qtbot: QtBot, database: db.Database) -> AttentionView:
    """The worklists of a small demo collection, on "No safety duplicate"."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=40)
    view = AttentionView(database.session_factory)
    qtbot.addWidget(view)
    view.show()
    view.lists.setCurrentRow(
        [w.id for w in lists.WORKLISTS].index(lists.WITHOUT_SAFETY_DUPLICATE))
    settled(qtbot)
    assert view.model.total >= 3
    return view


def accession_at(view: AttentionView, row: int | None) -> int | None:
    return None if row is None else view.model.item(row).accession_id


def test_a_sort_keeps_the_highlighted_row_and_enter_opens_it(
        qtbot: QtBot, attention: AttentionView) -> None:
    """Clicking a column header re-sorts; the same accession stays highlighted and opens."""
    view = attention
    view.table.selectRow(1)
    chosen = accession_at(view, 1)
    header = view.table.horizontalHeader()
    before = header.sortIndicatorSection()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2))
    settled(qtbot)  # the list read again in its new order (before, it was still the old)
    assert before != 0 and header.sortIndicatorSection() == 0
    assert accession_at(view, highlighted_row(view.table)) == chosen
    opened: list[int] = []
    view.open_accession.connect(lambda accession, _lot: opened.append(accession))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [chosen]


def test_a_sort_finds_the_highlighted_row_beyond_the_first_page(
        qtbot: QtBot, collection: db.Database) -> None:
    """A re-sort keeps the highlighted row even when it moves past the loaded first page."""
    view = AttentionView(collection.session_factory)
    qtbot.addWidget(view)
    view.show()
    view.lists.setCurrentRow(
        [w.id for w in lists.WORKLISTS].index(lists.WITHOUT_SAFETY_DUPLICATE))
    settled(qtbot)
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    settled(qtbot)
    total = view.model.total
    assert total > 210 and view.model.rowCount() == 200
    view.table.selectRow(3)
    chosen = accession_at(view, 3)
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    settled(qtbot)
    assert highlighted_row(view.table) == total - 4
    assert accession_at(view, highlighted_row(view.table)) == chosen


def test_a_search_highlights_the_first_match(qtbot: QtBot, attention: AttentionView,
                                             tmp_path: Path) -> None:
    """Typing a number hides the highlighted row: the first match is highlighted."""
    view = attention
    view.table.selectRow(0)
    wanted = view.model.item(2)
    qtbot.keyClicks(view.search, wanted.accenumb)
    qtbot.waitUntil(lambda: not view._search_timer.isActive())
    settled(qtbot)  # the search is read in the background
    assert accession_at(view, highlighted_row(view.table)) == view.model.item(0).accession_id
    assert view.model.item(0).accenumb.startswith(wanted.accenumb)
    view.grab().save(str(tmp_path / "worklist-after-search.png"))


def test_with_no_worklist_highlighted_the_table_is_empty(
        qtbot: QtBot, attention: AttentionView) -> None:
    """Ctrl+click takes the highlight off the list: no rows, nothing to export."""
    view = attention
    ctrl_click(qtbot, view.lists, view.lists.currentRow())
    assert view.current_list() is None
    assert view.model.rowCount() == 0 and not view.export_button.isEnabled()
    assert view.export() is None


# Storage locations -------------------------------------------------------------------------
@pytest.fixture
def places(qtbot: QtBot, database: db.Database) -> StorageLocationsDialog:
    with database.session_factory.begin() as session:
        site = storage_locations.add_location(session, "Almaty gene bank")
        storage_locations.add_location(session, "Cold room 1", parent_id=site,
                                       storage_type="base")
        storage_locations.add_location(session, "Field station Taraz")
    dialog = StorageLocationsDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_add_inside_puts_the_new_place_in_the_highlighted_one(
        qtbot: QtBot, places: StorageLocationsDialog, database: db.Database) -> None:
    """Add inside adds into the highlighted place, then highlights the new place."""
    dialog = places
    assert dialog.tree.selectedItems()[0].text(0) == "Almaty gene bank"
    room = dialog.tree.topLevelItem(0).child(0)
    dialog.tree.setCurrentItem(room)
    room_id = room.data(0, Qt.ItemDataRole.UserRole)
    add = dialog.add(top=False)
    assert add is not None
    qtbot.keyClicks(add.name, "Freezer 2")
    assert done(qtbot, add.save())
    assert dialog.tree.selectedItems()[0].text(0) == "Freezer 2"
    with database.session_factory() as session:
        assert storage_locations.path(session, add.saved_id) \
            == storage_locations.path(session, room_id) + " > Freezer 2"


def test_with_no_place_highlighted_add_inside_and_move_are_off(
        qtbot: QtBot, places: StorageLocationsDialog, tmp_path: Path) -> None:
    """Ctrl+click takes the highlight off: nothing to add into or move, buttons disabled."""
    dialog = places
    dialog.tree.selectionModel().setCurrentIndex(
        dialog.tree.model().index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    ctrl_click(qtbot, dialog.tree, 0)
    assert not dialog.tree.selectedItems()
    assert not any(button.isEnabled() for button in dialog.on_place)
    assert dialog.add(top=False) is None and not dialog.move(into=None)
    dialog.grab().save(str(tmp_path / "locations-none-highlighted.png"))


# Import log --------------------------------------------------------------------------------
def test_the_import_log_details_follow_the_highlighted_import(
        qtbot: QtBot, database: db.Database) -> None:
    """Newest import highlighted with its skipped rows; Down shows the next; none: empty."""
    with database.session_factory.begin() as session:
        for name, details in (("march.xlsx", "row 12: skipped, exists already"),
                              ("april.xlsx", "row 3: ACCENUMB is missing")):
            session.add(ImportLog(kind="passport", file_name=name, sheet="Sheet1",
                                  finished_at=dt.datetime(2026, 4, 1), created_count=5,
                                  skipped_count=1, details=details))
    dialog = ImportLogDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    assert highlighted_row(dialog.table) == 0
    assert dialog.details.toPlainText() == "row 3: ACCENUMB is missing"
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.details.toPlainText() == "row 12: skipped, exists already"
    ctrl_click(qtbot, dialog.table, 1)
    assert highlighted_row(dialog.table) is None and dialog.details.toPlainText() == ""


# The accession table ----------------------------------------------------------------------
def test_deleting_an_accession_highlights_the_next_and_actions_need_a_highlight(
        qtbot: QtBot, database: db.Database, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Delete highlights the next accession; with none highlighted, Edit and Delete are off."""
    with database.session_factory.begin() as session:
        for number in ("KZ-0001", "KZ-0002", "KZ-0003"):
            accessions.create_accession(session, values=passport_values(ACCENUMB=number))
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model is not None and window.model.is_complete)
    column = [c.key for c in AccessionTableModel.COLUMNS].index("ACCENUMB")

    def number_at(row: int | None) -> str | None:
        return None if row is None else window.model.index(row, column).data()

    assert [number_at(row) for row in range(3)] == ["KZ-0001", "KZ-0002", "KZ-0003"]
    window.table.selectRow(1)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.delete_selected()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert number_at(highlighted_row(window.table)) == "KZ-0003"
    assert window.delete_action.isEnabled()
    ctrl_click(qtbot, window.table, 1)
    assert highlighted_row(window.table) is None
    assert not window.edit_action.isEnabled() and window.edit_selected() is None
