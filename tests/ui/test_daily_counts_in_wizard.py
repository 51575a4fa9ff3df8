"""The wizard's columns page says why a sheet of daily germination counts cannot be
imported and where to go, as the command line does, rather than "Still needed" alone."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io import headings
from tests.sheets import workbook
from tests.ui.test_one_import_wizard import shot
from tests.ui.test_wizard_summary_buttons import NEXT, click
from ui.dialogs.import_wizard import ImportWizard


def test_a_sheet_of_daily_counts_is_told_on_the_columns_page(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """A French trial sheet (Génotype, Rép, J3, J5, J7) matches no test column: the page
    names the columns still needed, says it is a sheet of daily counts and names the
    template, and Next stays disabled."""
    path = workbook(tmp_path / "essai.xlsx", {"Essai": [["Génotype", "Rép", "J3", "J5", "J7"],
                                               ["KZ-1", 1, 4, 11, 17],
                                               ["KZ-2", 1, 2, 9, 15]]})
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.GERMINATION,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    click(qtbot, wizard, NEXT)
    page = wizard.mapping_page
    qtbot.waitUntil(lambda: wizard.currentPage() is page and bool(page.message.text()),
                    timeout=20000)
    said = page.message.text()
    shot(wizard, "daily-counts-columns")
    assert "Still needed" in said
    assert "column per day (J3, J5, J7" in said and "template" in said
    assert not page.isComplete()
