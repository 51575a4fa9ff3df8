"""The import wizard does not write into a file whose damage the opening check skipped:
the whole-file check runs in the import's background work and the page says the database
is damaged, with the opening's advice; the file is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from genebank import db
from tests.genebank.mcpd_files import write_mcpd_csv
from tests.genebank.test_damaged_database_backup import demo_file, said_damaged
from tests.genebank.test_import_checks_whole_file import skipped_by_the_open_check
from tests.genebank.test_opening import digest
from tests.ui import shots
from tests.ui.test_import_retry import failed_page, to_the_import
from tests.ui.test_wizard_summary_buttons import NEXT, click
from ui.dialogs.import_wizard import ImportWizard
from ui.settings import Settings

SHOTS = shots.folder("import_damaged_gui")


def test_the_wizard_refuses_to_import_into_a_damaged_file(
        qtbot: QtBot, settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = demo_file(tmp_path / "big.sqlite", accessions=2000)
    skipped_by_the_open_check(monkeypatch, path)
    rows = write_mcpd_csv(tmp_path / "mission.csv", 20, prefix="M")
    before = digest(path)
    database = db.open_database(str(path))
    try:
        wizard = ImportWizard(database.session_factory, settings)
        qtbot.addWidget(wizard)
        to_the_import(qtbot, wizard, rows)
        click(qtbot, wizard, NEXT)
        SHOTS.mkdir(exist_ok=True)
        status = failed_page(qtbot, wizard, "unused")
        wizard.grab().save(str(SHOTS / "import-damaged.png"))
        wizard.close()
    finally:
        database.close()
    assert status.startswith("Nothing was imported:") and "is damaged" in status, status
    said_damaged(status)
    assert "did not open" not in status and "nothing was written into it" in status, status
    assert digest(path) == before


def test_imports_from_windows_sharing_a_database_check_the_file_once(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wizards hold the open database's session factory: two imports in one session
    read the whole file once; another opening of the file is checked again."""
    from genebank import database_file
    from ui import operations

    path = demo_file(tmp_path / "sound.sqlite", accessions=20)
    calls: list[Path] = []
    real = database_file.integrity_problems
    monkeypatch.setattr(database_file, "integrity_problems",
                        lambda checked: calls.append(checked) or real(checked))
    for _ in range(2):
        database = db.open_database(str(path))
        try:
            for _ in range(2):
                write = operations.Write(None, database.session_factory,
                                         lambda session: None, operation="Import",
                                         changes=operations.Changed(), bulk=True)
                with qtbot.waitSignal(write.done, timeout=20000) as finished:
                    write.run()
                assert finished.args == [True]
        finally:
            database.close()
    assert calls == [path, path]
