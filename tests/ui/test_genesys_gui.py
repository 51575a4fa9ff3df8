"""The accession form's "available for distribution" (yes, no, not known) and the dialog
of the gene bank's own institute codes, driven as a person would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions, own_institutes
from tests.genebank.test_genesys_downloads import API_HEADINGS, api_csv
from tests.ui.test_import_wizard import next_page
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.own_institutes_dialog import OwnInstitutesDialog
from ui.settings import Settings
from ui.views.passport_fields import AvailabilityField


def test_availability_is_a_three_state_box_saved_with_the_accession(
        qtbot: QtBot, sqlite_database: db.Database) -> None:
    """A new accession's availability is not known; clicking says yes, then no...; the
    choice is saved, and the form opens with it again."""
    editor = AccessionEditor(sqlite_database.session_factory, initial_values={
        "INSTCODE": "KAZ001", "ACCENUMB": "KZ-0001", "GENUS": "Triticum",
        "SPECIES": "aestivum", "STORAGE": [13], "SAMPSTAT": 300})
    qtbot.addWidget(editor)
    editor.show()
    box = editor.editors["AVAILABLE"]
    assert isinstance(box, AvailabilityField)
    assert (box.raw_value(), box.text()) == (None, "Not known")
    editor.tabs.setCurrentIndex(editor._tab_of["AVAILABLE"])
    qtbot.waitUntil(box.isVisible)
    editor.grab().save("/tmp/genesys-available-unknown.png")
    # On the box itself: the widget spans the form's width, its box and words the left.
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert (box.raw_value(), box.text()) == (True, "Yes")
    editor.grab().save("/tmp/genesys-available.png")
    assert editor.is_modified
    operation = editor.save()
    assert operation is not None
    with qtbot.waitSignal(operation.done, timeout=10_000):
        pass
    with sqlite_database.session_factory() as session:
        accession_id = accessions.find_accession_id(session, instcode="KAZ001",
                                                    accenumb="KZ-0001")
        assert accession_id is not None
        assert accessions.get_passport(session, accession_id).values["AVAILABLE"] is True

    again = AccessionEditor(sqlite_database.session_factory, accession_id=accession_id)
    qtbot.addWidget(again)
    box = again.editors["AVAILABLE"]
    assert (box.raw_value(), box.text()) == (True, "Yes")
    assert not again.is_modified
    box.set_value(False)
    assert box.text() == "No" and again.is_modified
    box.set_value(None)
    assert box.checkState() == Qt.CheckState.PartiallyChecked


def test_own_institute_codes_are_set_in_their_dialog(
        qtbot: QtBot, sqlite_database: db.Database) -> None:
    """Codes typed as people list them are stored as INSTCODEs; a code that is not one is
    said in the dialog, which stays open with the typing, and nothing changes."""
    dialog = OwnInstitutesDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.codes.text() == ""
    qtbot.keyClicks(dialog.codes, "KAZ001, Almaty")
    operation = dialog.save()
    assert operation is not None
    with qtbot.waitSignal(operation.done, timeout=10_000):
        pass
    assert dialog.isVisible() and not dialog.message.isHidden()
    assert "'Almaty' is not a WIEWS institute code" in dialog.message.text()
    dialog.grab().save("/tmp/genesys-own-codes-refused.png")
    with sqlite_database.session_factory() as session:
        assert own_institutes.own_instcodes(session) == ()

    dialog.codes.setText("kaz001; KAZ002")
    operation = dialog.save()
    assert operation is not None
    with qtbot.waitSignal(operation.done, timeout=10_000):
        pass
    assert not dialog.isVisible()
    with sqlite_database.session_factory() as session:
        assert own_institutes.own_instcodes(session) == ("KAZ001", "KAZ002")
    shown = OwnInstitutesDialog(sqlite_database.session_factory)
    qtbot.addWidget(shown)
    shown.show()
    assert shown.codes.text() == "KAZ001, KAZ002"
    shown.grab().save("/tmp/genesys-own-codes.png")


def test_the_wizard_reads_a_genesys_download(qtbot: QtBot, sqlite_database: db.Database,
                                             settings: Settings, tmp_path: Path) -> None:
    """The API's CSV in the wizard: fullTaxa, historic and available are matched to their
    Genesys fields, the preview says once that the names are split, which historic rows
    are left out and which rows other institutes hold; un-matching `historic` imports
    those rows as held (the person's choice is kept)."""
    with sqlite_database.session_factory.begin() as session:
        own_institutes.set_own_instcodes(session, ["KAZ001"])
    path = api_csv(tmp_path / "genesys-wheat.csv")
    wizard = ImportWizard(sqlite_database.session_factory, settings)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: len(mapping.combos) == len(API_HEADINGS), timeout=10000)
    chosen = dict(zip(API_HEADINGS, (c.currentData() for c in mapping.combos), strict=True))
    assert {h: chosen[h] for h in ("historic", "available", "fullTaxa")} == {
        "historic": "HISTORIC", "available": "AVAILABLE", "fullTaxa": "FULLTAXA"}
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert wizard.preview is not None
    codes = [p.code for p in wizard.preview.sheet_problems]
    assert {"full_taxa_split", "historic_rows_skipped", "rows_not_held"} <= set(codes)
    assert len(wizard.preview.rows) == 4
    wizard.resize(1000, 640)
    wizard.grab().save("/tmp/genesys-wizard-preview.png")

    wizard.back()
    historic = mapping.combos[API_HEADINGS.index("historic")]
    historic.setCurrentIndex(historic.findData(None))  # "(not imported)"
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert wizard.preview is not None and len(wizard.preview.rows) == 6
    assert "historic_rows_skipped" not in [p.code for p in wizard.preview.sheet_problems]
    wizard.done(0)
