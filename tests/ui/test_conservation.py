"""Conservation records as a technician works them: add a lot, record a test, see the flag
in "Needs attention", export the list, open the accession from it, scan a lot label."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QSpinBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank.conservation import conservation_rules as rules
from genebank.conservation import seed_lots
from genebank.conservation import worklists as lists
from genebank.models import GerminationTest, SeedLot
from tests.ui.waiting import done, settled
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.germination_dialogs import CountGerminationDialog, GerminationDialog
from ui.dialogs.lot_dialogs import (
    NewLotDialog,
    QuantityDialog,
)
from ui.main_window import MainWindow
from ui.models.worklist_table import WorklistModel
from ui.views.attention_view import AttentionView


def open_first_accession(qtbot: QtBot, window: MainWindow) -> AccessionEditor:
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None and editor.conservation is not None
    qtbot.addWidget(editor)
    editor.show_conservation()
    return editor


def test_add_a_lot_record_a_test_and_find_the_flag_in_the_worklist(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, message_boxes: list[str]) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    lots_before = tab.lot_table.rowCount()

    new_lot = tab.add_lot()
    assert isinstance(new_lot, NewLotDialog)
    qtbot.keyClicks(new_lot.lot_number, "KZ-LOT-0042")
    new_lot.storage_type.setCurrentIndex(new_lot.storage_type.findData("active"))
    new_lot.stored_on.setDate(QDate.currentDate().addMonths(-2))
    new_lot.seeds.setValue(3000)
    qtbot.keyClick(new_lot.lot_number, Qt.Key.Key_Return)  # Enter saves
    settled(qtbot)
    assert not new_lot.isVisible()
    assert tab.lot_table.rowCount() == lots_before + 1
    assert tab.current_lot() is not None and tab.current_lot().lot_number == "KZ-LOT-0042"

    test = tab.record_germination()
    assert isinstance(test, GerminationDialog)
    test.replicate_count.setValue(2)
    for cells, normal in zip(test.cells, (30, 34), strict=False):
        cells[0].setValue(50)
        cells[1].setValue(normal)
        cells[3].setValue(50 - normal)  # dead: every seed sown is counted
    assert test.result.text().startswith("64%")
    test.save_button.click()
    settled(qtbot)
    assert not test.isVisible()
    lot = tab.current_lot()
    assert lot is not None and lot.seeds_on_hand == 2900
    assert lot.initial_viability_pct == 64.0
    assert any("initial viability 64 % is below 85 %" in flag for flag in lot.flags)
    assert tab.test_table.item(0, 2).text() == "64%"
    editor.show()
    editor.grab().save(str(tmp_path / "conservation-tab.png"))

    view = window.show_attention()
    qtbot.addWidget(view)
    view.lists.setCurrentRow(
        [w.id for w in lists.WORKLISTS].index(rules.REGENERATE_INITIAL))
    settled(qtbot)
    qtbot.keyClicks(view.search, "KZ-LOT-0042")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)  # one match: opens the accession
    settled(qtbot)
    assert view.model.total == 1
    assert view.model.item(0).reason == "initial viability 64 % is below 85 %"
    opened = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, AccessionEditor) and w.isVisible() and w is not editor]
    assert opened and opened[-1].tabs.currentWidget() is opened[-1].conservation
    assert opened[-1].conservation.current_lot().lot_number == "KZ-LOT-0042"

    assert done(qtbot, view.export(tmp_path / "work plan.xlsx"))
    assert message_boxes == []
    sheet = openpyxl.load_workbook(tmp_path / "work plan.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Accession", "Taxon", "Lot", "Storage", "Due", "Reason")
    assert rows[1][2] == "KZ-LOT-0042" and rows[1][5].startswith("initial viability 64 %")


def test_refusals_stay_in_the_dialog_and_save_nothing(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None and tab.current_lot() is not None
    lot = tab.current_lot()
    dialog = tab.change_quantity()
    assert isinstance(dialog, QuantityDialog)
    dialog.seeds.setValue(lot.seeds_on_hand + 1)
    qtbot.keyClicks(dialog.reason, "SMTA 2026-99")
    assert not done(qtbot, dialog.save())
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "cannot be taken from it" in dialog.error.text()
    assert dialog.reason.text() == "SMTA 2026-99"  # the typing stays
    with window.database.session_factory() as session:
        assert seed_lots.get_lot(session, lot.id).seeds_on_hand == lot.seeds_on_hand

    duplicate = tab.add_lot()
    qtbot.keyClicks(duplicate.lot_number, lot.lot_number.lower())
    duplicate.seeds.setValue(10)
    assert not done(qtbot, duplicate.save())
    assert "exists already" in duplicate.error.text()


def test_worklist_model_passes_qt_model_tester(qtmodeltester: ModelTester, qtbot: QtBot,
                                               window: MainWindow) -> None:
    model = WorklistModel(window.database.session_factory)
    model.set_query(lists.WorkQuery(lists.TESTS_DUE, dt.date.today(), order="due"))
    settled(qtbot)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_double_click_in_a_worklist_opens_the_accession_on_its_lot(
        qtbot: QtBot, window: MainWindow) -> None:
    view = window.show_attention()
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    settled(qtbot)  # the list is read in the background
    first = view.model.item(0)
    rect = view.table.visualRect(view.model.index(0, 0))
    assert rect.isValid(), rect
    # a double click arrives after the press and release of its first click
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, AccessionEditor) and w.isVisible()]
    assert opened and opened[-1].conservation.accession_id == first.accession_id
    assert opened[-1].conservation.current_lot_id() == first.lot_id


def test_worklist_sorts_in_the_database_and_fetches_as_it_scrolls(qtbot: QtBot,
                                                                  window: MainWindow) -> None:
    view = AttentionView(window.database.session_factory)
    qtbot.addWidget(view)
    view.lists.setCurrentRow(
        [w.id for w in lists.WORKLISTS].index(lists.WITHOUT_SAFETY_DUPLICATE))
    settled(qtbot)
    assert view.table.isColumnHidden(2)  # a list of accessions has no lot column
    total = view.model.total
    assert total > 200 and view.model.rowCount() == 200
    settled(qtbot)  # the overview's counts, read in the background
    assert f"({total:,})" in view.lists.currentItem().text()
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > 200)
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    settled(qtbot)
    numbers = [view.model.item(row).accenumb for row in range(view.model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)


def test_scanning_a_lot_label_opens_its_accession_on_that_lot(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    with window.database.session_factory() as session:
        lot_id, number = session.execute(select(SeedLot.id, SeedLot.lot_number)
                                         .order_by(SeedLot.id.desc()).limit(1)).one()
    qtbot.keyClicks(window.filter_bar.search, number)
    qtbot.waitUntil(lambda: window.count_label.text().startswith("1 of"))
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    editors = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, AccessionEditor) and w.isVisible()]
    assert editors and editors[-1].tabs.currentWidget() is editors[-1].conservation
    assert editors[-1].conservation.current_lot_id() == lot_id


def test_import_tests_wizard_from_file_to_summary(qtbot: QtBot, window: MainWindow,
                                                  tmp_path: Path) -> None:
    """A lab sheet with one refused test: the preview names it; skipping imports the rest."""
    with window.database.session_factory() as session:
        lot_id, number, stored = session.execute(
            select(SeedLot.id, SeedLot.lot_number, SeedLot.stored_on)
            .order_by(SeedLot.id).limit(1)).one()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Germination 2026"
    sheet.append(["Lot no.", "Date tested", "Rep", "Seeds sown", "Normal seedlings", "Dead"])
    sheet.append([number, QDate.currentDate().toPython(), 1, 50, 44, 6])
    sheet.append([number, QDate.currentDate().toPython(), 2, 50, 46, 4])
    sheet.append(["NO-SUCH-LOT", QDate.currentDate().toPython(), 1, 50, 46, 4])
    book.save(tmp_path / "lab.xlsx")

    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.path_edit.setText(str(tmp_path / "lab.xlsx"))
    page.load_sheets()
    assert page.sheet_combo.currentText() == "Germination 2026"
    wizard.next()  # the sheet is read off the GUI thread, then its columns are shown
    qtbot.waitUntil(lambda: bool(wizard.mapping_page.combos), timeout=10000)
    assert wizard.mapping_page.isComplete()  # every needed column was recognised
    wizard.mapping_page.combos[2].setCurrentIndex(0)  # ignore the replicate numbers
    wizard.mapping_page.grab().save(str(tmp_path / "mapping.png"))
    wizard.next()
    check_page = wizard.check_page
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert check_page.counts.text() == \
        "2 germination tests in 3 rows: 1 ready, 1 refused"
    check_page.filter.setCurrentIndex(check_page.filter.findData("errors"))
    assert check_page.model.data(check_page.model.index(0, 4)) == \
        "There is no seed lot numbered 'NO-SUCH-LOT'"
    wizard.grab().save(str(tmp_path / "preview.png"))
    wizard.next()
    wizard.options_page.errors.buttons()[1].setChecked(True)  # skip the refused test
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.isComplete(), timeout=10000)
    assert wizard.run_page.status.text() == "Done: 1 test imported, 1 test refused and skipped."
    with window.database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        assert lot.last_viability_pct == 90.0 and lot.last_tested_on > stored


def test_the_tests_sheet_is_read_off_the_gui_thread_and_cancel_waits_for_it(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a slow file is read the window answers, Next waits, and Cancel closes the
    wizard once the reading has stopped. A sheet with only headings is refused on the
    columns page (the sheet is read there)."""
    from genebank.io import spreadsheet

    book = openpyxl.Workbook()
    book.active.append(["Lot no.", "Date tested", "Seeds sown", "Normal seedlings"])
    book.save(tmp_path / "empty.xlsx")
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.path_edit.setText(str(tmp_path / "empty.xlsx"))
    page.load_sheets()
    wizard.next()
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: "no rows below its header" in mapping.message.text(),
                    timeout=10000)
    assert not mapping.isComplete()
    wizard.back()

    release = threading.Event()
    read = spreadsheet.read_sheet

    def slow_read(*args: object, **kwargs: object) -> object:
        release.wait(10)
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(spreadsheet, "read_sheet", slow_read)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is mapping and mapping.progress.isVisible()
    assert not mapping.isComplete()  # Next waits for the columns
    wizard.grab().save(str(tmp_path / "reading.png"))
    wizard.reject()
    assert wizard.isVisible()  # the dialog stays until the reading has stopped
    release.set()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)


def test_storage_locations_tree_refuses_a_cycle(qtbot: QtBot, window: MainWindow,
                                                message_boxes: list[str],
                                                tmp_path: Path) -> None:
    dialog = window.show_storage_locations()
    qtbot.addWidget(dialog)
    sites = dialog.tree.topLevelItemCount()  # the demo's two cold stores
    site = dialog.add(top=True)
    qtbot.keyClicks(site.name, "Almaty gene bank")
    assert done(qtbot, site.save())
    assert dialog.tree.topLevelItemCount() == sites + 1
    assert dialog.tree.currentItem().text(0) == "Almaty gene bank"
    room = dialog.add(top=False)
    qtbot.keyClicks(room.name, "Cold room 1")
    room.storage_type.setCurrentIndex(room.storage_type.findData("base"))
    room.temperature.setValue(-18)
    room.humidity.setValue(15)
    assert done(qtbot, room.save())
    assert dialog.tree.currentItem().text(1) == "Base (long-term)"
    assert dialog.tree.currentItem().text(2) == "-18\u00a0°C"  # kept on one line
    room_id = dialog.current_id()
    dialog.tree.setCurrentItem(dialog.tree.currentItem().parent())
    assert not done(qtbot, dialog.move(into=room_id))  # the site into its own room
    assert "which is itself inside it" in message_boxes[-1]
    dialog.grab().save(str(tmp_path / "locations.png"))


def test_safety_duplicate_regeneration_and_harvest_from_the_tab(qtbot: QtBot,
                                                                window: MainWindow,
                                                                tmp_path: Path) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    lot = tab.current_lot()
    assert lot is not None
    duplicate = tab.send_duplicate()
    duplicate.institute.clear()
    qtbot.keyClicks(duplicate.institute, "svalbard")  # found by name in the directory
    qtbot.keyClick(duplicate.institute, Qt.Key.Key_Down)
    qtbot.keyClick(duplicate.institute, Qt.Key.Key_Tab)
    duplicate.seeds.setValue(300)
    qtbot.keyClicks(duplicate.box, "SV-2026-14")
    assert done(qtbot, duplicate.save())
    assert tab.current_lot().seeds_on_hand == lot.seeds_on_hand - 300
    assert "NOR051: 300 seeds, sent" in tab.duplicates.text()
    status = tab.set_duplicate_status()
    assert status.status.currentText() == "confirmed"
    status.grab().save(str(tmp_path / "duplicate-status.png"))
    assert done(qtbot, status.save())
    today = QDate.currentDate().toString("yyyy-MM-dd")
    assert f"NOR051: 300 seeds, confirmed {today} (sent {today})" in tab.duplicates.text()

    plan = tab.plan_regeneration()
    qtbot.keyClicks(plan.site, "Field 3")
    plan.seeds.setValue(100)
    assert done(qtbot, plan.save())
    assert tab.regeneration_table.item(0, 5).text() == "planned"
    assert tab.harvest_action.isEnabled()
    sowing = tab.record_sowing()
    sowing.plants.setValue(60)
    sown_on = QDate.currentDate().addDays(-120)
    sowing.sown_on.setDate(sown_on)
    assert done(qtbot, sowing.save())
    assert tab.regeneration_table.item(0, 5).text() == "in field"
    harvest = tab.record_harvest()
    assert harvest.event.currentText().startswith("Field 3 from lot")
    qtbot.keyClicks(harvest.lot_number, "H-2026-001")
    harvest.seeds.setValue(8000)
    harvest.harvested_on.setDate(sown_on)  # the sowing day typed twice
    assert not done(qtbot, harvest.save())
    assert "is the sowing date: a harvest comes after the sowing" in harvest.error.text()
    harvest.harvested_on.setDate(QDate.currentDate())
    assert done(qtbot, harvest.save())
    assert tab.current_lot().lot_number == "H-2026-001"
    assert tab.regeneration_table.item(0, 6).text() == "H-2026-001"
    with window.database.session_factory() as session:
        new_lot = seed_lots.get_lot(session, tab.current_lot_id())
        assert new_lot.parent_lot_id == lot.id
    assert not tab.failure_action.isEnabled()  # nothing open any more
    second = tab.plan_regeneration()
    qtbot.keyClicks(second.site, "Screenhouse")
    assert done(qtbot, second.save())
    failure = tab.record_failure()
    assert not done(qtbot, failure.save()) and "Say why" in failure.error.text()
    qtbot.keyClicks(failure.notes, "drought")
    failure.grab().save(str(tmp_path / "regeneration-failed.png"))
    assert done(qtbot, failure.save())
    assert tab.regeneration_table.item(0, 5).text() == \
        f"failed {QDate.currentDate().toString('yyyy-MM-dd')}"


def test_rules_dialog_sets_a_crop_number_and_the_worklist_follows(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str], tmp_path: Path) -> None:
    with window.database.session_factory() as session:
        query = lists.WorkQuery(rules.BELOW_MINIMUM, dt.date.today())
        before = lists.count(session, query)
    dialog = window.show_rules()
    qtbot.addWidget(dialog)
    genus_rows = [r.genus for r in dialog.rows]
    assert genus_rows[0] == "*" and "Triticum" in genus_rows
    assert dialog.table.item(0, 0).text() == "10"  # the Standards', inherited (grey)
    row = genus_rows.index("Triticum")
    dialog.table.item(row, 2).setText("many")
    assert dialog.save() is None and "'many' is not a number" in message_boxes[-1]
    dialog.table.item(row, 2).setText("100000")  # every wheat lot is now below it
    assert done(qtbot, dialog.save())
    assert dialog.table.item(row, 2).text() == "100000"
    dialog.grab().save(str(tmp_path / "rules.png"))
    with window.database.session_factory() as session:
        assert lists.count(session, query) > before


def type_count(qtbot: QtBot, box: QSpinBox, value: int) -> None:
    """Select what the box holds and type the number, as a technician does."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, str(value))


def test_a_test_recorded_as_sown_is_counted_later_from_the_worklist(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Sown only: seeds leave the lot, viability stays, the test waits in "Germination tests
    to count"; its count is refused until each replicate adds up, then sets viability."""
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    lot = tab.current_lot()
    assert lot is not None and not tab.count_button.isEnabled()
    sowing = tab.record_germination()
    assert isinstance(sowing, GerminationDialog)
    sowing.sown_only.setFocus()
    qtbot.keyClick(sowing.sown_only, Qt.Key.Key_Space)
    assert sowing.sown_only.isChecked() and not sowing.cells[0][1].isEnabled()
    assert not sowing.counted_on.isEnabled()
    type_count(qtbot, sowing.replicate_count, 2)
    for cells in sowing.cells[:2]:
        type_count(qtbot, cells[0], 25)
    assert sowing.result.text() == "to count later (50 seeds sown)"
    sowing.grab().save(str(tmp_path / "germination-sown-only.png"))
    qtbot.keyClick(sowing.method, Qt.Key.Key_Return)  # Enter saves
    settled(qtbot)
    assert not sowing.isVisible()
    after = tab.current_lot()
    assert after is not None and after.id == lot.id
    assert after.seeds_on_hand == lot.seeds_on_hand - 50
    assert (after.initial_viability_pct, after.last_viability_pct) == \
        (lot.initial_viability_pct, lot.last_viability_pct)
    assert tab.test_table.item(0, 2).text() == "in progress: to count"
    assert tab.count_button.isEnabled()
    tab.details.setCurrentWidget(tab.test_table)
    editor.show()
    editor.grab().save(str(tmp_path / "conservation-tab-to-count.png"))

    view = window.show_attention()
    qtbot.addWidget(view)
    view.lists.setCurrentRow([w.id for w in lists.WORKLISTS].index(lists.TESTS_TO_COUNT))
    settled(qtbot)
    waiting = view.model.total  # the demo's own tests in progress, and this one
    ours = [view.model.item(row) for row in range(waiting)
            if view.model.item(row).lot_number == lot.lot_number]
    assert len(ours) == 1 and ours[0].reason.startswith("germination test sown")
    settled(qtbot)  # the overview's counts, read in the background
    assert view.lists.currentItem().text() == f"Germination tests to count  ({waiting})"
    view.grab().save(str(tmp_path / "worklist-tests-to-count.png"))

    counting = tab.count_germination()
    assert isinstance(counting, CountGerminationDialog)
    assert [cells[0].value() for cells in counting.cells] == [25, 25]
    assert counting.cells[0][0].isReadOnly()
    for cells, (normal, dead) in zip(counting.cells, ((22, 2), (20, 3)), strict=True):
        type_count(qtbot, cells[1], normal)
        type_count(qtbot, cells[3], dead)
    assert [check.text() for check in counting.grid.checks] == ["1 not counted",
                                                               "2 not counted"]
    assert counting.result.text() == "the counts do not add up to the seeds sown yet"
    assert not done(qtbot, counting.save())
    assert counting.isVisible()
    counting.grab().save(str(tmp_path / "germination-count-refused.png"))
    assert "Replicate 1: normal 22 + abnormal 0 + dead 2 + fresh ungerminated 0 + hard 0 = " \
        "24, but 25 seeds were sown" in counting.error.text()
    type_count(qtbot, counting.cells[0][5], 1)  # a hard seed
    type_count(qtbot, counting.cells[1][4], 2)  # two fresh ungerminated
    assert [check.text() for check in counting.grid.checks] == ["✓", "✓"]
    assert counting.result.text().startswith("84% (42 normal seedlings of 50 seeds sown)")
    counting.grab().save(str(tmp_path / "germination-count-complete.png"))
    counting.save_button.click()
    settled(qtbot)
    assert not counting.isVisible()
    counted = tab.current_lot()
    assert counted is not None and counted.last_viability_pct == 84.0
    assert not tab.count_button.isEnabled()
    view.refresh()
    settled(qtbot)
    assert view.model.total == waiting - 1


def test_a_complete_test_whose_counts_do_not_add_up_is_refused_in_the_dialog(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Counted now: the row says how many seeds are missing, Save refuses, nothing saved."""
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    lot = tab.current_lot()
    assert lot is not None
    test = tab.record_germination()
    assert isinstance(test, GerminationDialog)
    assert [test.grid.layout().itemAtPosition(0, c).widget().text() for c in range(1, 7)] == [
        "Sown", "Normal", "Abnormal", "Dead", "Fresh\nungerminated", "Hard"]
    type_count(qtbot, test.replicate_count, 2)
    for cells, counts in zip(test.cells, ((50, 44, 2, 1, 1, 2), (50, 45, 1, 1, 1, 0)),
                             strict=False):
        for cell, value in zip(cells, counts, strict=True):
            type_count(qtbot, cell, value)
    assert [check.text() for check in test.grid.checks[:2]] == ["✓", "2 not counted"]
    test.grab().save(str(tmp_path / "germination-complete.png"))
    assert not done(qtbot, test.save())
    test.grab().save(str(tmp_path / "germination-complete-refused.png"))
    assert "Replicate 2" in test.error.text() and "48, but 50 seeds were sown" in \
        test.error.text()
    with window.database.session_factory() as session:
        assert seed_lots.get_lot(session, lot.id).seeds_on_hand == lot.seeds_on_hand
    type_count(qtbot, test.cells[1][2], 3)
    assert test.result.text().startswith("89% (89 normal seedlings of 100 seeds sown)")
    test.save_button.click()
    settled(qtbot)
    assert not test.isVisible()
    assert tab.current_lot().last_viability_pct == 89.0


def test_an_old_test_short_of_the_sown_is_listed_and_counted_again(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A test from before the counts had to add up is listed as short of the sown; Count a
    test… starts from its recorded counts, and once the missing seeds are entered it is
    complete and leaves the list."""
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    lot = tab.current_lot()
    assert lot is not None
    with window.database.session_factory.begin() as session:
        test = session.scalars(select(GerminationTest).where(GerminationTest.lot_id == lot.id)
                               .order_by(GerminationTest.tested_on.desc())).first()
        assert test is not None
        test.status = "short"  # as migration 0006 marks it: 52 sown, 50 counted
        test.replicates[0].sown += 2
        recorded = [(r.normal, r.abnormal, r.dead, r.ungerminated) for r in test.replicates]
        tested_on = test.tested_on
    tab.reload()
    assert tab.count_button.isEnabled()
    view = window.show_attention()
    qtbot.addWidget(view)
    view.lists.setCurrentRow([w.id for w in lists.WORKLISTS].index(lists.COUNTS_SHORT))
    settled(qtbot)
    assert view.model.total == 1 and view.model.item(0).lot_number == lot.lot_number
    assert view.lists.currentItem().toolTip().startswith("Germination tests recorded before")
    view.grab().save(str(tmp_path / "worklist-counts-short.png"))

    counting = tab.count_germination()
    assert isinstance(counting, CountGerminationDialog)
    assert counting.test.text().startswith(f"{tested_on:%Y-%m-%d}: ")
    assert counting.test.text().endswith(
        "% as recorded, counts short of the seeds sown (52 + 50 seeds)")
    assert [tuple(cell.value() for cell in cells[1:5]) for cells in counting.cells] == recorded
    assert counting.grid.checks[0].text() == "2 not counted"
    counting.grab().save(str(tmp_path / "count-short-test.png"))
    type_count(qtbot, counting.cells[0][5], 2)  # the lab's sheet: two hard seeds
    assert [check.text() for check in counting.grid.checks] == ["✓", "✓"]
    counting.save_button.click()
    settled(qtbot)
    assert not counting.isVisible()
    assert not tab.count_button.isEnabled()
    view.refresh()
    settled(qtbot)
    assert view.model.total == 0


def test_the_flags_panel_lists_a_test_waiting_to_be_counted(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """A lot with nothing to do says so; once a test of it is sown and not counted, its
    Flags panel lists that test instead of "Nothing needs doing"; counted, it is gone."""
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    new_lot = tab.add_lot()
    assert isinstance(new_lot, NewLotDialog)
    qtbot.keyClicks(new_lot.lot_number, "L-2")
    new_lot.storage_type.setCurrentIndex(new_lot.storage_type.findData("active"))
    new_lot.stored_on.setDate(QDate.currentDate().addMonths(-2))
    new_lot.seeds.setValue(5000)
    qtbot.keyClick(new_lot.lot_number, Qt.Key.Key_Return)
    settled(qtbot)
    assert tab.current_lot() is not None and tab.current_lot().lot_number == "L-2"
    assert tab.flags.text() == "Nothing needs doing for lot L-2."

    sowing = tab.record_germination()
    assert isinstance(sowing, GerminationDialog)
    sowing.sown_only.setFocus()
    qtbot.keyClick(sowing.sown_only, Qt.Key.Key_Space)
    type_count(qtbot, sowing.replicate_count, 2)
    for cells in sowing.cells[:2]:
        type_count(qtbot, cells[0], 50)
    qtbot.keyClick(sowing.method, Qt.Key.Key_Return)
    settled(qtbot)
    assert not sowing.isVisible()
    today = dt.date.today()
    assert tab.flags.text() == (
        f"• germination test sown {today:%Y-%m-%d} (100 seeds): not yet counted")
    assert tab.details.tabText(0) == "Flags (1)"
    tab.details.setCurrentWidget(tab.flags)
    editor.show()
    editor.grab().save(str(tmp_path / "flags-test-to-count.png"))
    editor.grab().save("/tmp/demofix_flags_to_count.png")

    counting = tab.count_germination()
    assert isinstance(counting, CountGerminationDialog)
    for cells in counting.cells:
        type_count(qtbot, cells[1], 46)
        type_count(qtbot, cells[3], 4)
    counting.save_button.click()
    settled(qtbot)
    assert not counting.isVisible()
    assert tab.flags.text() == "Nothing needs doing for lot L-2."
