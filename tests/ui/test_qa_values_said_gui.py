"""QA findings 3 and 4 on the check page, as a technician meets them: vavilov3's decimal
degrees under LATITUDE/LONGITUDE and a Genesys CSV whose fullTaxa holds a subspecies the
genus/species columns lack are each said once for their column, above the rows."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from genebank import db
from tests.genebank.test_genesys_downloads import api_csv
from tests.ui.test_import_wizard import next_page
from ui.dialogs.import_wizard import ImportWizard
from ui.settings import Settings

WORLD = Path(__file__).parents[1] / "files" / "world"


def checked_in_wizard(qtbot: QtBot, database: db.Database, settings: Settings,
                      path: Path) -> ImportWizard:
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: bool(wizard.mapping_page.combos), timeout=10000)
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=20000)
    return wizard


def test_vavilov3_decimal_degrees_point_to_the_decimal_fields(
        qtbot: QtBot, sqlite_database: db.Database, settings: Settings) -> None:
    wizard = checked_in_wizard(qtbot, sqlite_database, settings,
                               WORLD / "passport-crf-tomato-vavilov3.xlsx")
    shown = wizard.check_page.sheet_problems.text()
    assert "column R (LATITUDE) holds decimal degrees on all its 38 row(s)" in shown
    assert "match the column to DECLONGITUDE on the columns page" in shown
    wizard.grab().save("/tmp/qafix-vavilov3-check.png")
    wizard.done(0)


def test_genesys_full_taxa_beyond_genus_and_species_is_said(
        qtbot: QtBot, sqlite_database: db.Database, settings: Settings,
        tmp_path: Path) -> None:
    path = api_csv(tmp_path / "genesys.csv", headings=[
        "instCode", "acceNumb", "genus", "species", "fullTaxa", "historic", "origCty",
        "sampStat", "storage"], rows=[
        ["KAZ001", "KZ-0001", "Triticum", "aestivum", "Triticum aestivum", "false", "KAZ",
         "300", "13"],
        ["KAZ001", "KZ-0002", "Hordeum", "vulgare",
         "Hordeum vulgare subsp. spontaneum (K. Koch) Thell.", "false", "KAZ", "100",
         "13;20"]])
    wizard = checked_in_wizard(qtbot, sqlite_database, settings, path)
    shown = wizard.check_page.sheet_problems.text()
    assert "column E (fullTaxa) holds parts of the name" in shown
    assert "To keep them, match columns to SUBTAXA, SUBTAUTHOR" in shown
    wizard.grab().save("/tmp/qafix-genesys-check.png")
    wizard.done(0)
