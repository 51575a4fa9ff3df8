"""What a person sees of issue 14's values: the import wizard's choice of date order, the
accession form's warning on a missing storage type, and the worklist of accessions lacking
FAO reporting data. Each window is saved as a PNG in /tmp for a person to look at."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import worklists
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.test_import_wizard import next_page
from tests.ui.waiting import settled
from ui.dialogs.accession_editor import AccessionEditor
from ui.main_window import MainWindow
from ui.views.attention_view import AttentionView


def mission_sheet(path: Path) -> Path:
    """A collecting mission's sheet in French, dates day first as a French Excel writes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Mission 1998"
    sheet.append(["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "COLLDATE", "STORAGE"])
    sheet.append(["KAZ001", "M98-1", "Hordeum", "vulgare", "12/03/1998", "13"])
    sheet.append(["KAZ001", "M98-2", "Hordeum", "vulgare", "25/03/1998", "13"])
    book.save(path)
    return path


def test_the_wizard_reads_day_first_dates_once_told(qtbot: QtBot, window: MainWindow,
                                                     tmp_path: Path) -> None:
    """12/03/1998 is refused as ambiguous until the mapping page says "day first"; going
    back and choosing it checks the rows again."""
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(mission_sheet(tmp_path / "mission.xlsx")))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: len(mapping.combos) == 6, timeout=10000)
    assert mapping.dates_combo.currentData() is None
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    first, second = wizard.preview.rows
    assert [p.code for p in first.problems] == ["date_order_ambiguous"]
    assert second.values["COLLDATE"] == "19980325"

    wizard.back()
    mapping.dates_combo.setCurrentIndex(mapping.dates_combo.findData("dmy"))
    wizard.resize(960, 640)
    mapping.grab().save("/tmp/values-import-dates.png")
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert [r.values["COLLDATE"] for r in wizard.preview.rows] == ["19980312", "19980325"]
    assert all(r.status.value == "warning" for r in wizard.preview.rows)  # "read as" notes
    wizard.done(0)


def test_the_form_warns_that_no_storage_type_is_not_counted(qtbot: QtBot,
                                                           collection: db.Database) -> None:
    """A new accession without a storage type can be saved, with a warning by the field
    that it is not counted for SDG 2.5.1."""
    editor = AccessionEditor(collection.session_factory,
                             initial_values={"INSTCODE": "KAZ001", "ACCENUMB": "NEW-1",
                                             "GENUS": "Triticum", "SPECIES": "aestivum"})
    qtbot.addWidget(editor)
    editor.show()
    label = editor.messages["STORAGE"]
    editor.check()
    assert "not counted for SDG 2.5.1" in label.text()
    assert not any(p.severity == "error" for p in editor.problems)
    assert "can be saved" in editor.summary.text()
    editor.tabs.setCurrentIndex(editor._tab_of["STORAGE"])
    editor.grab().save("/tmp/values-form-storage.png")


def test_the_worklist_lists_accessions_missing_fao_reporting_data(
        qtbot: QtBot, window: MainWindow, collection: db.Database) -> None:
    """"Missing data for FAO reporting" lists the accessions without a storage type or a
    biological status, each with what it lacks."""
    with collection.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(
            ACCENUMB="GEN-1", STORAGE=None, SAMPSTAT=None))
        accessions.create_accession(session, values=passport_values(
            ACCENUMB="GEN-2", SAMPSTAT=None))
    view = AttentionView(collection.session_factory)
    qtbot.addWidget(view)
    view.show()
    view.lists.setCurrentRow([w.id for w in worklists.WORKLISTS].index(
        worklists.MISSING_FAO_DATA))
    settled(qtbot)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10000)
    assert [(view.model.item(r).accenumb, view.model.data(view.model.index(r, 5)))
            for r in range(2)] == [
        ("GEN-1", "no storage type (not counted for SDG 2.5.1) and no biological status"),
        ("GEN-2", "no biological status (SAMPSTAT)")]
    assert view.table.isColumnHidden(2)  # a list of accessions: no lot column
    assert "(2)" in view.lists.currentItem().text()
    view.grab().save("/tmp/values-worklist.png")
