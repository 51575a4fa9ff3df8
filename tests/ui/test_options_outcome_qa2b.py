"""QA finding 14: the options page with nothing to choose (no row has errors) showed only
greyed buttons; it says what Next will do instead."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io import headings
from tests.sheets import workbook
from tests.ui.test_check_page_qa2b import shot
from tests.ui.test_one_import_wizard import checked, open_file
from tests.ui.test_wizard_summary_buttons import NEXT, click
from ui.dialogs.import_wizard import ImportWizard


def test_four_new_accessions_and_no_errors_say_what_next_does(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "fiches.xlsx", {"Fiches": [
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES"],
        *[["KAZ001", f"FR-{n}", "Triticum", "aestivum"] for n in range(1, 5)]]})
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PASSPORT,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    open_file(qtbot, wizard, path)
    checked(qtbot, wizard)
    assert wizard.report is not None and wizard.report.errors == 0
    click(qtbot, wizard, NEXT)
    page = wizard.options_page
    assert wizard.currentPage() is page
    shot(wizard, "6-options-nothing-to-choose")
    assert page.outcome.isVisible()
    assert page.outcome.text() == ("4 new accessions will be created; nothing is written "
                                   "until Next.")
    assert not any(b.isVisible() for b in page.errors.buttons())
    assert not any(b.isVisible() for b in page.existing.buttons())  # none exists
