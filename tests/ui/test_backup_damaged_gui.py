"""File > Back up database of a database damaged since it was opened: the window says the
database is damaged and what to do (latest backup; keep the file; .recover), not "choose
another folder"; and a backup before an upgrade that finds the disk full says the database
needs upgrading and was not changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from genebank import db
from tests.genebank.test_atomic_files import fill, small_disk
from tests.genebank.test_opening import damage_a_page, digest, older_database
from tests.ui import shots
from ui import database_opening, file_dialogs
from ui.main_window import MainWindow

SHOTS = shots.folder("backup_damaged_gui")


def shot(qtbot: QtBot, title: str, text: str, name: str) -> None:
    """The warning as the window shows it, saved to look at."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text)
    qtbot.addWidget(box)
    box.show()
    SHOTS.mkdir(parents=True, exist_ok=True)
    box.grab().save(str(SHOTS / name))
    box.close()


def test_backing_up_a_damaged_database_says_the_database_is_damaged(
        qtbot: QtBot, window: MainWindow, collection: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[str]) -> None:
    path = Path(collection.engine.url.database or "")
    with collection.engine.connect() as connection:  # the pages in the file, not the WAL
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    damage_a_page(path, "accession")
    collection.engine.dispose()  # no connection remembers the pages as they were
    before = digest(path)
    target = tmp_path / "backups" / "copy.sqlite"
    target.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(target), ""))
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    said = message_boxes[-1]
    shot(qtbot, "Backup failed", said, "backup-damaged.png")
    assert str(path) in said and "is damaged" in said
    assert "latest backup" in said and ".recover" in said
    assert "choose another folder" not in said and "did not check out" not in said
    assert list(target.parent.iterdir()) == [] and digest(path) == before


def test_an_upgrade_whose_backup_finds_the_disk_full_says_what_to_do(
        qtbot: QtBot, tmp_path: Path, message_boxes: list[str]) -> None:
    """An older file on a nearly full disk: the window says it needs upgrading, that a
    backup must be made first beside it, how much room that needs, and that the file was
    not changed, with what to do (free space, or move the file); no folder to choose."""
    with small_disk(tmp_path / "stick", "2m") as stick:
        path = stick / "old.sqlite"
        older_database(path, "0007", rows=1500)
        fill(stick, leave=64 * 1024)
        before = digest(path)
        assert database_opening.open_interactively(None, db.sqlite_url(path)) is None
        said = message_boxes[-1]
        shot(qtbot, "Cannot open the database", said, "upgrade-backup-disk-full.png")
        assert digest(path) == before
        assert sorted(p.name for p in stick.iterdir() if p.name != "ballast") == [
            "old.sqlite", "old.sqlite.lock"] or sorted(
            p.name for p in stick.iterdir() if p.name != "ballast") == ["old.sqlite"]
    assert "needs upgrading" in said and "backup of it must be made first" in said
    assert "disk there is full" in said and "needed" in said
    assert "was not changed" in said and "move the database" in said
    assert "choose another folder" not in said
