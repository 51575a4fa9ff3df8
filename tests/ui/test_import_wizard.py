"""The import wizard driven through its pages, and export from the main window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io.spreadsheet import Sheet, read_sheet
from genebank.passport import accessions
from tests.genebank.test_import_edited_meanwhile import add_elsewhere
from tests.genebank.test_import_update import passport, stored, update_sheet
from tests.ui.waiting import done
from ui.dialogs import import_wizard
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views.shown_values import plain


def spreadsheet(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Mission 2025"
    sheet.append(["Institute code", "Accession number", "Genus", "Species", "Country",
                  "Store", "Local name"])
    sheet.append(["KAZ001", "M25-1", "Hordeum", "vulgare", "KAZ", "13", "Ak arpa"])
    sheet.append(["KAZ001", "M25-2", "", "vulgare", "KAZ", "13", "no genus"])
    sheet.append(["KAZ001", "DEMO-0000001", "Triticum", "aestivum", "UZB", "13", "exists"])
    book.save(path)
    return path


def next_page(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(),
                    timeout=10000)
    wizard.next()


def test_import_wizard_from_file_to_summary(qtbot: QtBot, window: MainWindow,
                                            collection: db.Database, tmp_path: Path) -> None:
    """Choose the file, fix a column match, see the problems, skip bad rows, import."""
    path = spreadsheet(tmp_path / "mission.xlsx")
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.path_edit.setText(str(path))
    page.load_sheets()
    assert page.sheet_combo.currentData() == "Mission 2025"
    next_page(qtbot, wizard)

    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: len(mapping.combos) == 7, timeout=10000)
    assert [c.currentData() for c in mapping.combos] == [
        "INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY", None, "ACCENAME"]
    store = mapping.combos[5]
    store.setCurrentIndex(store.findData("STORAGE"))  # "Store" was not recognised
    next_page(qtbot, wizard)

    preview = wizard.check_page
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert preview.counts.text() == \
        "3 rows: 1 ready, 1 with warnings, 1 with errors; 1 exist already " \
        "(1 would change, 0 unchanged)."
    preview.filter.setCurrentIndex(preview.filter.findData("errors"))
    assert preview.model.rowCount() == 1
    assert "Genus is required" in preview.model.data(preview.model.index(0, 4))
    next_page(qtbot, wizard)

    options = wizard.options_page
    options.errors.buttons()[1].setChecked(True)  # skip rows with errors
    assert options.on_existing().value == "skip"
    next_page(qtbot, wizard)

    run = wizard.run_page
    qtbot.waitUntil(lambda: run.done, timeout=10000)
    assert run.status.text().startswith("Done: 1 created, 0 updated, 0 unchanged, 2 skipped")
    assert "row 3: skipped, GENUS: Genus is required" in run.details.toPlainText()
    qtbot.waitUntil(lambda: window.count_label.text() == "451 accessions")
    with collection.session_factory() as session:
        found = accessions.find_accession_id(session, instcode="KAZ001", accenumb="M25-1")
        assert accessions.get_passport(session, found).values["STORAGE"] == [13]  # type: ignore[arg-type]
    log = window.show_import_log()
    qtbot.addWidget(log)
    assert log.table.item(0, 2).text() == "mission.xlsx"
    assert "row 4: skipped, DEMO-0000001 exists already" in log.details.toPlainText()
    wizard.done(0)


def test_unreadable_file_is_explained_on_the_first_page(qtbot: QtBot, window: MainWindow,
                                                        tmp_path: Path) -> None:
    """A file that is not a spreadsheet is named and the wizard does not go on."""
    bad = tmp_path / "notes.xlsx"
    bad.write_text("shopping list")
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(bad))
    wizard.file_page.load_sheets()
    assert "not an Excel workbook" in wizard.file_page.message.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.done(0)


def test_export_the_filtered_accessions(qtbot: QtBot, window: MainWindow,
                                        tmp_path: Path) -> None:
    """Export of the current filter writes exactly the matching accessions, in the background."""
    qtbot.keyClicks(window.filter_bar.search, "DEMO-000001")
    qtbot.waitUntil(lambda: window.count_label.text() == "10 of 450 accessions match")
    assert done(qtbot, window.export_accessions(path=tmp_path / "ten.xlsx", scope="filtered"))
    sheet = read_sheet(tmp_path / "ten.xlsx")
    assert len(sheet.rows) == 11 and sheet.rows[1][2] == "DEMO-0000010"


def test_going_back_to_another_file_checks_that_file(qtbot: QtBot, window: MainWindow,
                                                     tmp_path: Path) -> None:
    """Back to the first page, another file with the same columns: its own rows are shown."""
    first = spreadsheet(tmp_path / "first.xlsx")
    second = tmp_path / "second.xlsx"
    book = Workbook()
    book.active.append(["Institute code", "Accession number", "Genus", "Species", "Country",
                        "Store", "Local name"])
    book.active.append(["KAZ001", "S-1", "Zea", "mays", "KAZ", "13", "Ak"])
    book.save(second)
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    for path, rows in ((first, 3), (second, 1)):
        wizard.file_page.path_edit.setText(str(path))
        wizard.file_page.load_sheets()
        next_page(qtbot, wizard)
        qtbot.waitUntil(lambda: len(wizard.mapping_page.combos) == 7, timeout=10000)
        next_page(qtbot, wizard)
        qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
        assert len(wizard.preview.rows) == rows  # type: ignore[union-attr]
        wizard.back()
        wizard.back()
    wizard.done(0)


def test_first_rows_are_checked_while_the_sheet_is_still_being_read(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long sheet: columns and the first checked rows show before the whole file is read;
    Next waits for every row to be checked."""
    path = tmp_path / "long.xlsx"
    book = Workbook()
    book.active.append(["INSTCODE", "ACCENUMB", "GENUS", "STORAGE"])
    for i in range(600):
        book.active.append(["KAZ001", f"L-{i}", "Zea" if i != 450 else "", "13"])
    book.save(path)
    whole_read = threading.Event()
    real_read = import_wizard.spreadsheet.read_sheet

    def slow_whole_read(path: Path, sheet: str | None = None, *,
                        first_rows: int | None = None, encoding: str | None = None) -> Sheet:
        if first_rows is None:
            whole_read.wait(10)
        return real_read(path, sheet, first_rows=first_rows, encoding=encoding)

    monkeypatch.setattr(import_wizard.spreadsheet, "read_sheet", slow_whole_read)
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: len(mapping.combos) == 4, timeout=10000)
    assert mapping.header_label.text().endswith("reading the rest of the sheet…")
    next_page(qtbot, wizard)

    preview = wizard.check_page
    assert preview.model.rowCount() == import_wizard.FIRST_ROWS - 1  # the headings are one
    assert preview.counts.text().startswith("The first 199 rows are checked")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    whole_read.set()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert preview.model.rowCount() == 600
    assert preview.counts.text() == \
        "600 rows: 599 ready, 0 with warnings, 1 with errors; 0 exist already."
    assert plain(mapping.header_label.text()) == "Headings found on row 1; 600 rows below it."
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.done(0)


def test_the_last_page_names_accessions_edited_after_the_preview(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path) -> None:
    """Someone saves DEMO-0000001 while the wizard shows its preview: the import updates
    DEMO-0000002 only, and its last page names DEMO-0000001 as edited and not updated."""
    book = Workbook()
    book.active.append(["INSTCODE", "ACCENUMB", "ORIGCTY"])
    for number in ("DEMO-0000001", "DEMO-0000002"):
        book.active.append(["KAZ001", number, "MNG"])
    book.save(tmp_path / "corrections.xlsx")
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(tmp_path / "corrections.xlsx"))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    next_page(qtbot, wizard)
    wizard.options_page.existing.buttons()[1].setChecked(True)  # update

    with collection.session_factory.begin() as session:  # another workstation's save
        found = accessions.find_accession_id(session, instcode="KAZ001",
                                             accenumb="DEMO-0000001")
        assert found is not None
        current = accessions.get_passport(session, found)
        accessions.update_accession(session, found, expected_version=current.version,
                                    values={**current.values, "REMARKS": ["seen by Aigerim"]})
    next_page(qtbot, wizard)
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.done, timeout=10000)
    assert run.status.text().startswith("Done: 0 created, 1 updated, 0 unchanged, 1 skipped")
    assert run.edited.isVisible()
    assert run.edited.text() == (
        "1 accession was edited by someone else after the preview and was not updated: "
        "DEMO-0000001. That edit is kept; check the file again to update it.")
    assert "row 2: not updated, DEMO-0000001 was edited" in run.details.toPlainText()
    wizard.grab().save("/tmp/identity-edited-meanwhile.png")
    with collection.session_factory() as session:
        assert accessions.get_passport(session, found).values["ORIGCTY"] != "MNG"
    wizard.done(0)


@pytest.mark.parametrize("update", [True, False], ids=["update", "skip"])
def test_an_accession_added_by_another_process_after_the_preview_is_named_not_overwritten(
        qtbot: QtBot, database: db.Database, settings: Settings, tmp_path: Path,
        update: bool) -> None:
    """The wizard previews KZ-17 (stored), KZ-20 and KZ-21 (new); another process then
    saves KZ-20 through the form's service. Import: KZ-17 is updated (or skipped), KZ-21
    created, KZ-20 keeps the other technician's record, and the last page names it instead
    of "Nothing was imported"."""
    first = stored(database)
    path = update_sheet(tmp_path / "mission.xlsx",
                        ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY", "SAMPSTAT", "STORAGE"],
                        ["KAZ001", "KZ-17", "", "UZB"],
                        ["KAZ001", "KZ-20", "Triticum", "UZB", "300", "13"],
                        ["KAZ001", "KZ-21", "Triticum", "UZB", "300", "13"])
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert [r.existing_id for r in wizard.preview.rows] == [first, None, None]  # type: ignore[union-attr]
    next_page(qtbot, wizard)
    wizard.options_page.existing.buttons()[1 if update else 0].setChecked(True)
    assert wizard.options_page.on_existing().value == ("update" if update else "skip")

    add_elsewhere(database.url, "KZ-20")  # another workstation, its own process

    next_page(qtbot, wizard)
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.done, timeout=20000)
    assert run.status.text().startswith(
        f"Done: 1 created, {1 if update else 0} updated, 0 unchanged, "
        f"{1 if update else 2} skipped"), run.status.text()
    assert run.added.isVisible()
    assert run.added.text() == (
        "1 accession was added by someone else after the preview and was not updated: "
        "KZ-20. That record is kept; check the file again to update it." if update else
        "1 accession was added by someone else after the preview and was skipped as "
        "existing: KZ-20.")
    assert not run.edited.isVisible()
    assert ("row 4: not updated, KZ-20 was added by someone else" if update else
            "row 4: skipped, KZ-20 exists already (added by someone else") \
        in run.details.toPlainText()
    wizard.grab().save(f"/tmp/importseam-added-meanwhile-{'update' if update else 'skip'}"
                       f"-{database.engine.dialect.name}.png")
    with database.session_factory() as session:
        newcomer = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-20")
        made = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-21")
    assert newcomer is not None and made is not None
    kept = passport(database, newcomer)
    assert (kept.values["ORIGCTY"], kept.values["COLLSITE"], kept.updated_by, kept.version) \
        == ("KAZ", "Aralsk harbour", "baurzhan", 1)
    assert passport(database, made).values["ORIGCTY"] == "UZB"
    assert passport(database, first).values["ORIGCTY"] == ("UZB" if update else "KAZ")
    wizard.done(0)
