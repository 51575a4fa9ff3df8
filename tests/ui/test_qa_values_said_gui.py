"""QA findings 2, 3 and 4 in the wizard, as a technician meets them: vavilov3's decimal
degrees under LATITUDE/LONGITUDE and a Genesys CSV whose fullTaxa holds a subspecies the
genus/species columns lack are each said once for their column, above the rows; a French
participant list's "Nom" beside "Prénom" is the last name."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io import headings
from tests.genebank.test_genesys_downloads import api_csv
from tests.ui.test_import_wizard import next_page
from tests.ui.test_sheet_wizards_title_rows import _workbook, shown_rows
from tests.ui.test_wizard_summary_buttons import NEXT, click, type_path
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


def test_participant_wizard_takes_nom_beside_prenom_as_the_last_name(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """QA finding 2: "Nom" was matched as the full name and "Prénom" then dropped."""
    path = _workbook(tmp_path / "participants-fr.xlsx", "Participants", [
        ["Liste des participants — atelier de Dakar, mai 2026"],
        [],
        ["Nom", "Prénom", "Sexe", "Organisation", "Pays", "Courriel"],
        ["Dupont", "Hélène", "F", "INRAE", "France", "helene.dupont@example.org"],
        ["Нурланов", "Айгерим", "Ж", "Генбанк", "Казахстан", ""],
    ])
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, path)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: bool(wizard.mapping_page.combos), timeout=10000)
    assert wizard.mapping_page.mapping() == {0: "last_name", 1: "first_name", 2: "gender",
                                             3: "institution", 4: "country", 5: "email"}
    wizard.grab().save("/tmp/qafix-participants-columns.png")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert [row[:3] for row in shown_rows(wizard.check_page.model)] == [
        ["4", "ready", "Hélène Dupont"], ["5", "ready", "Айгерим Нурланов"]]
    wizard.grab().save("/tmp/qafix-participants-check.png")
    wizard.done(0)
