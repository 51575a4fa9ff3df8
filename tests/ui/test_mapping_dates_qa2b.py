"""QA finding 9: a saved mapping keeps the date order chosen on the columns page ("Day
first" for French sheets), in the database, in its JSON export and import, and chooses it
again when applied; the CLI's --mapping applies it too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QWizard
from pytestqt.qtbot import QtBot

from genebank import db, transactions
from genebank.io import mapping_file
from genebank.services import import_mappings
from tests.sheets import workbook
from tests.ui import shots
from tests.ui.test_saved_mappings_gui import choose
from tests.ui.waiting import settled
from ui.main_window import MainWindow

FRENCH = {"INSTCODE": "INSTCODE", "N° banque": "ACCENUMB", "Genre botanique": "GENUS",
          "Date d'acquisition": "ACQDATE"}


def columns_page(qtbot: QtBot, window: MainWindow, path: Path) -> tuple[Any, Any]:
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled())
    wizard.next()
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: len(page.combos) == 4, timeout=10000)
    return wizard, page


def test_a_saved_mapping_keeps_day_first_and_chooses_it_again(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "fiches.xlsx", {"Fiches": [
        list(FRENCH), ["KAZ001", "FR-1", "Triticum", "12/03/1998"]]})
    wizard, page = columns_page(qtbot, window, path)
    for combo, field in zip(page.combos, FRENCH.values(), strict=True):
        combo.setCurrentIndex(combo.findData(field))
    page.dates_combo.setCurrentIndex(page.dates_combo.findData("dmy"))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Fiches françaises", True))
    page.saved.save()
    settled(qtbot)
    stored = transactions.run_read(collection, lambda s: import_mappings.get_mapping(
        s, kind="passport", name="Fiches françaises"), operation="test")
    assert stored.dates == "dmy" and stored.columns == FRENCH
    wizard.done(0)

    wizard, page = columns_page(qtbot, window, path)  # a new wizard on the same file
    assert page.dates_combo.currentData() is None  # read only when clear, until applied
    choose(page.saved, "Fiches françaises")
    assert page.dates_combo.currentData() == "dmy"
    shots.shot(wizard, "5-mapping-day-first", under="mapping_dates_qa2b")
    wizard.done(0)

    exported = tmp_path / "mappings.json"
    transactions.run_read(collection, lambda s: import_mappings.export_mappings(
        s, exported, kind="passport"), operation="test")
    entry = json.loads(exported.read_text(encoding="utf-8"))["mappings"][0]
    assert entry["dates"] == "dmy"
    assert mapping_file.read_mappings(exported)[0].dates == "dmy"


def test_a_mapping_saved_before_keeps_reading_and_an_unknown_order_is_refused(
        tmp_path: Path) -> None:
    """An older file has no "dates": read as before; "ymd" is refused, naming the mapping."""
    path = tmp_path / "old.json"
    entry = {"name": "Fiches", "kind": "passport", "columns": {"N° banque": "ACCENUMB"}}
    path.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                                "mappings": [entry]}), encoding="utf-8")
    assert mapping_file.read_mappings(path)[0].dates is None
    path.write_text(json.dumps({"format": "genebank-import-mappings", "version": 1,
                                "mappings": [{**entry, "dates": "ymd"}]}), encoding="utf-8")
    with pytest.raises(mapping_file.MappingFileRefused, match="Fiches"):
        mapping_file.read_mappings(path)
