"""Saved column mappings in every import wizard: kept in the database (so every
workstation has them), applied, saved, exported and imported from each column page; a
workstation's old mappings move into the database it opens; the file pages preselect the
sheet that holds the import's headings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QWizard
from pytestqt.qtbot import QtBot

from genebank import db, transactions
from genebank.services import import_mappings
from genebank.training import courses
from tests.sheets import workbook
from tests.ui.waiting import settled
from ui import file_dialogs
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views.training_window import TrainingWindow

# Headings of a gene bank's own catalogue that no matcher knows (as a local team words them):
# a saved mapping is what reads them.
FRENCH = {"INSTCODE": "INSTCODE", "N° banque": "ACCENUMB",
          "Genre botanique": "GENUS", "Epithète": "SPECIES", "Conservation": "STORAGE"}


def saved(database: db.Database, kind: str | None = None) -> dict[str, dict[str, str | None]]:
    return {m.name: m.columns for m in transactions.run_read(
        database, lambda s: import_mappings.list_mappings(s, kind=kind), operation="test")}


def choose(bar: object, name: str) -> None:
    """Pick a saved mapping in the row's choice, as a click does."""
    index = bar.combo.findText(name)  # type: ignore[attr-defined]
    assert index > 0
    bar.combo.setCurrentIndex(index)  # type: ignore[attr-defined]
    bar.combo.activated.emit(index)  # type: ignore[attr-defined]


def test_passport_wizard_applies_and_saves_mappings_in_the_database(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The passport sheet behind a read-me is preselected; a mapping saved in the database
    matches its French headings; the changed matching is saved under a new name."""
    transactions.run_write(collection, lambda s: import_mappings.save_mapping(
        s, kind="passport", name="Catalogue français", columns=FRENCH), operation="test")
    path = workbook(tmp_path / "catalogue.xlsx", {
        "Lisez-moi": [["Catalogue national des semences, 2026"]],
        "Passeport": [[*FRENCH, "Appellation du terroir"],
                      ["KAZ001", "FR-1", "Triticum", "aestivum", 13, "Ak bidai"]]})
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    files = wizard.file_page
    files.path_edit.setText(str(path))
    files.load_sheets()
    qtbot.waitUntil(lambda: files.sheet_combo.currentData() == "Passeport", timeout=10000)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled())
    wizard.next()
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: len(page.combos) == 6, timeout=10000)
    assert [c.currentData() for c in page.combos] == ["INSTCODE", *[None] * 5]
    assert page.saved.combo.itemText(1) == "Catalogue français"
    choose(page.saved, "Catalogue français")
    assert [c.currentData() for c in page.combos] == [*FRENCH.values(), None]
    assert page.saved.status.text() == "Applied 'Catalogue français'."
    page.combos[5].setCurrentIndex(page.combos[5].findData("ACCENAME"))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Catalogue 2026", True))
    page.saved.save()
    settled(qtbot)
    assert saved(collection)["Catalogue 2026"] == {**FRENCH, "Appellation du terroir": "ACCENAME"}
    assert page.saved.combo.currentText() == "Catalogue 2026"
    assert page.saved.status.text() == "Saved 'Catalogue 2026'."
    assert page.isComplete()
    wizard.grab().save("/tmp/mappings-passport-page.png")
    wizard.done(0)


RUSSIAN = {"Lot": "LOT", "Дата опыта": "DATE", "Заложено": "SOWN",
           "Нормальные": "NORMAL", "Погибшие": "DEAD"}


def test_tests_wizard_imports_exports_and_applies_mappings(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Russian laboratory sheet: its sheet is preselected; the column page imports a
    file of mappings (a bad one is refused by name, nothing saved), applies the mapping
    and exports this kind's mappings."""
    lab = workbook(tmp_path / "lab.xlsx", {
        "Справка": [["Лаборатория семян, 2026"]],
        "Всхожесть": [list(RUSSIAN), ["L00000001", dt.date.today(), 50, 44, 6]]})
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    files = wizard.file_page
    files.path_edit.setText(str(lab))
    files.load_sheets()
    qtbot.waitUntil(lambda: files.sheet_combo.currentText() == "Всхожесть", timeout=10000)
    wizard.next()
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: bool(page.combos), timeout=10000)
    assert not page.isComplete()  # the Russian headings are not known by themselves
    assert [c.currentData() for c in page.combos] == ["LOT", None, None, None, None]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                               "mappings": [{"name": "x", "kind": "germination",
                                             "columns": {"Дата": "DATUM"}}]}))
    good = tmp_path / "lab-mappings.json"
    good.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                                "mappings": [{"name": "Лаборатория", "kind": "germination",
                                              "columns": RUSSIAN}]}, ensure_ascii=False),
                    encoding="utf-8")
    for path in (bad, good):
        monkeypatch.setattr(file_dialogs, "get_open_file_name",
                            lambda *a, p=path, **k: (str(p), ""))
        page.saved.import_file()
        settled(qtbot)
        if path is bad:
            assert "'DATUM' is not a field of the germination import" in \
                page.saved.status.text()
            assert saved(collection) == {}
    assert page.saved.status.text() == "Imported the mappings: 1 added, 0 replaced."
    choose(page.saved, "Лаборатория")
    assert [c.currentData() for c in page.combos] == list(RUSSIAN.values())
    assert page.isComplete()
    wizard.grab().save("/tmp/mappings-tests-page.png")
    exported = tmp_path / "exported.json"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(exported), ""))
    page.saved.export()
    settled(qtbot)
    assert page.saved.status.text() == "Exported 1 mappings to exported.json."
    assert json.loads(exported.read_text(encoding="utf-8"))["mappings"][0]["columns"] == \
        RUSSIAN
    wizard.done(0)


@pytest.fixture
def training(qtbot: QtBot, tmp_path: Path) -> TrainingWindow:
    database = db.open_database(db.sqlite_url(tmp_path / "training.sqlite"), user="trainer")
    with database.session_factory.begin() as session:
        courses.add_programme(session, name="Development of National Gene Banks",
                              sponsor="Islamic Organization for Food Security")
    window = TrainingWindow(database.session_factory, str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    yield window
    database.close()


def test_participant_wizard_saves_a_mapping_for_participant_lists(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A list headed in Arabic and French: the list sheet is preselected; the matching
    made by hand is saved as a participants mapping, and applies to the next list."""
    path = workbook(tmp_path / "liste.xlsx", {
        "Programme": [["Atelier régional, mai 2026"]],
        "Inscrits": [["اسم المتدرب", "Pays", "Courriel", "Portable"],
                     ["Awa Diop", "SEN", "awa@example.org", "221771234567"]]})
    wizard = training.courses_tab.import_list()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    qtbot.waitUntil(lambda: wizard.file_page.sheet_combo.currentText() == "Inscrits",
                    timeout=10000)
    wizard.next()
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: bool(page.combos), timeout=10000)
    assert not page.isComplete()
    page.combos[0].setCurrentIndex(page.combos[0].findData("full_name"))
    page.combos[3].setCurrentIndex(page.combos[3].findData("phone"))
    assert page.isComplete()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Atelier", True))
    page.saved.save()
    settled(qtbot)
    database = db.open_database(db.sqlite_url(tmp_path / "training.sqlite"), create=False)
    try:
        assert saved(database, "participants") == {"Atelier": {
            "اسم المتدرب": "full_name", "Pays": "country", "Courriel": "email",
            "Portable": "phone"}}
        assert saved(database, "passport") == {}
    finally:
        database.close()
    page.combos[0].setCurrentIndex(0)
    page.combos[3].setCurrentIndex(0)
    choose(page.saved, "Atelier")
    assert [c.currentData() for c in page.combos] == ["full_name", "country", "email", "phone"]
    wizard.grab().save("/tmp/mappings-participants-page.png")
    wizard.done(0)


def test_a_workstations_saved_mappings_move_into_the_database_once(
        qtbot: QtBot, collection: db.Database, tmp_path: Path) -> None:
    """Mappings an older version kept in the settings are in the database once a window
    opens it, and gone from the settings; one it cannot use stays there and is named."""
    store = QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat)
    store.setValue("import/saved_mappings", json.dumps({
        "Catalogue": {"Numéro d'accession": "ACCENUMB", "Genre": "GENUS"},
        "Broken": {"Numéro": "NUMERO"}}))
    store.sync()
    settings = Settings(store)
    window = MainWindow(collection, settings)
    qtbot.addWidget(window)
    settled(qtbot)
    assert saved(collection, "passport") == {
        "Catalogue": {"Numéro d'accession": "ACCENUMB", "Genre": "GENUS"}}
    assert list(Settings(QSettings(str(tmp_path / "old.ini"),
                                   QSettings.Format.IniFormat)).saved_mappings) == ["Broken"]
    assert "Not moved (not a mapping this version can use): Broken" in \
        window.statusBar().currentMessage()
    window.close()
    second = MainWindow(collection, settings)  # the next start: nothing moved twice
    qtbot.addWidget(second)
    settled(qtbot)
    assert list(saved(collection)) == ["Catalogue"]
