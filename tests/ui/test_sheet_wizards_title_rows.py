"""The one import wizard, for tests and participant lists, finds the headings below a title,
matches French headings, and shows each coded problem at its column (issue 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io import headings
from tests.ui import shots
from tests.ui.test_wizard_summary_buttons import NEXT, click, type_path
from ui.dialogs.import_wizard import ImportWizard
from ui.views.shown_values import plain

SHOTS = shots.folder("sheet_wizards_title_rows")


def _workbook(path: Path, title: str, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def shown_rows(model: object) -> list[list[str]]:
    """The check page's rows as shown: row, status, record, about it, problems."""
    return [[plain(str(model.data(model.index(row, column))))  # type: ignore[attr-defined]
             for column in range(5)] for row in range(model.rowCount())]  # type: ignore[attr-defined]


def _shot(wizard: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    wizard.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


def test_participant_wizard_reads_a_french_list_below_its_title(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """Title rows skipped, French headings matched, each problem said at its column."""
    path = _workbook(tmp_path / "liste.xlsx", "Participants", [
        ["Atelier régional, Niamey, mai 2026"],
        [],
        ["Nom de famille", "Prénom", "Sexe", "Pays", "Courriel"],
        ["Diallo", "Moussa", "M", "Sénégal", "moussa@example.org"],
        ["Haddad", "Fatima", "?", "Atlantis", "fatima@example.org"],
    ])
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, path)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: bool(wizard.mapping_page.combos), timeout=10000)
    assert wizard.sheet is not None  # the empty row is not read: the headings are row 3
    assert wizard.sheet.row_numbers[wizard.header_index] == 3
    assert wizard.mapping_page.mapping() == {0: "last_name", 1: "first_name", 2: "gender",
                                             3: "country", 4: "email"}
    assert not wizard.mapping_page.message.text()
    _shot(wizard, "participants-mapping")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    page = wizard.check_page
    assert page.counts.text() == "2 people: 1 ready, 1 with errors, 0 likely already recorded"
    assert shown_rows(page.model) == [
        ["4", "ready", "Moussa Diallo", "", ""],
        ["5", "error", "Fatima Haddad", "",
         "Gender (C): '?' is not a gender this list can read (F, M, female, male, other); "
         "Country (D): 'Atlantis' is not a country (a name or an ISO code such as KAZ, SEN)"]]
    _shot(wizard, "participants-preview")


def test_test_wizard_reads_a_laboratory_sheet_below_its_title(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """A germination sheet with a title: the headings' row found, its columns matched."""
    path = _workbook(tmp_path / "lab.xlsx", "Germination", [
        ["Seed laboratory: germination tests, 2026"],
        ["Numéro de lot", "Date", "Graines semées", "Plantules normales", "Graines mortes"],
        ["L-404", dt.date(2026, 3, 1), 50, 45, 5],
        ["L-404", dt.date(2026, 3, 2), 50, 40, 5],
    ])
    wizard = ImportWizard(sqlite_database.session_factory, None,
                          (headings.GERMINATION, headings.MOISTURE), last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, path)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: bool(wizard.mapping_page.combos), timeout=10000)
    assert wizard.sheet is not None and wizard.sheet.row_numbers[wizard.header_index] == 2
    assert wizard.mapping_page.mapping() == {0: "LOT", 1: "DATE", 2: "SOWN", 3: "NORMAL",
                                             4: "DEAD"}
    _shot(wizard, "tests-mapping")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    page = wizard.check_page
    assert shown_rows(page.model) == [
        ["3", "error", "L-404", "2026-03-01", "There is no seed lot numbered 'L-404'"],
        ["4", "error", "L-404", "2026-03-02",
         "Seeds sown (C): normal seedlings 40 + dead seeds 5 = 45, but 50 seeds were "
         "sown: every seed sown is counted in one category"]]
    _shot(wizard, "tests-preview")
