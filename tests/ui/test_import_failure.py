"""An import that fails part way in the wizard says so and leaves the database as it was."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from genebank import cli, db
from genebank.passport import passport_import
from tests.genebank.mcpd_files import write_mcpd_csv
from tests.genebank.test_atomic_files import fill, small_disk
from tests.genebank.test_atomic_writes import counts, failing_insert, page_limit
from tests.ui.test_wizard_summary_buttons import NEXT, click, type_path
from ui.main_window import MainWindow
from ui.settings import Settings


def test_a_transaction_lost_during_a_wizard_import_keeps_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite gives the import's transaction up part way (as on a full disk): the wizard
    says nothing was imported and why, and the database holds exactly what it held (the
    accessions still queued were committed one by one, without their child rows)."""
    database = window.database
    assert cli.main(["--database", database.url, "import-mcpd",
                     str(write_mcpd_csv(tmp_path / "earlier.csv", 8, prefix="E"))]) == 0
    before = counts(database)
    path = write_mcpd_csv(tmp_path / "mission.csv", 1500, prefix="M")
    monkeypatch.setattr(passport_import, "BATCH", 500)

    def abandon(connection: Any) -> None:
        connection.connection.driver_connection.execute("ROLLBACK")

    failing_insert(monkeypatch, fail_at=1, action=abandon)
    status = run_wizard(qtbot, window, path)
    assert status.startswith("Nothing was imported: the database stopped this change"), status
    assert "nothing of it was saved" in status
    assert counts(database) == before


def test_a_full_database_during_a_wizard_import_keeps_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The database fills up during an import in the wizard: the page says the disk is
    full and nothing was saved, in words, and the database holds what it held."""
    database = window.database
    assert cli.main(["--database", database.url, "import-mcpd",
                     str(write_mcpd_csv(tmp_path / "earlier.csv", 8, prefix="E"))]) == 0
    before = counts(database)
    path = write_mcpd_csv(tmp_path / "mission.csv", 3000, prefix="M")
    with database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    database.engine.dispose()  # the import's connection opens under the limit
    with page_limit(pages + 60):
        status = run_wizard(qtbot, window, path)
    assert status.startswith("Nothing was imported: the disk holding"), status
    assert "is full; nothing was changed" in status and "INSERT" not in status
    assert counts(database) == before


def run_wizard(qtbot: QtBot, window: MainWindow, path: Path) -> str:
    """Import ``path`` through File > Import as a person does; the run page's last words."""
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, path)
    for page in (wizard.mapping_page, wizard.check_page, wizard.options_page):
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=20000)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.run_page.done, timeout=30000)
    wizard.grab().save(f"/tmp/writes-{path.stem}-failed.png")
    Path("/tmp/shots-fin4").mkdir(exist_ok=True)
    wizard.grab().save(f"/tmp/shots-fin4/{path.parent.name}-{path.stem}-failed.png")
    return wizard.run_page.status.text()


def test_a_wizard_import_that_fills_the_disk_gives_the_space_back_at_once(
        qtbot: QtBot, tmp_path: Path, settings: Settings) -> None:
    """On a real small disk, with the window open: after "the disk is full; nothing was
    changed", the space the import took is free again (no megabytes of rolled-back pages
    left in the file's -wal until Genebank is closed), so freeing a little and trying again
    can work."""
    with small_disk(tmp_path / "stick", "6m") as stick:
        path = stick / "bank.sqlite"
        assert cli.main(["--database", str(path), "init"]) == 0
        mission = write_mcpd_csv(tmp_path / "mission.csv", 3000, prefix="M")
        fill(stick, leave=1024 * 1024)
        free_before = shutil.disk_usage(stick).free
        database = db.open_database(str(path), user="tester")
        before = counts(database)
        window = MainWindow(database, settings)
        qtbot.addWidget(window)
        window.show()
        try:
            qtbot.waitUntil(lambda: window.model is not None and window.model.is_complete)
            status = run_wizard(qtbot, window, mission)
            assert status.startswith("Nothing was imported: the disk holding"), status
            wal = Path(f"{path}-wal")
            assert not wal.exists() or wal.stat().st_size == 0
            assert shutil.disk_usage(stick).free >= free_before - 64 * 1024
            assert counts(database) == before
        finally:
            window.close()
            database.close()
