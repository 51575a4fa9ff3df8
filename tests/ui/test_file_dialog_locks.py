"""A file dialog listing the database's folder keeps the app's SQLite locks (QA finding 1).

Qt's default icon provider opened each listed file to learn its type; closing that
descriptor dropped every POSIX lock of the process on the database, so the next other
process to close it deleted the -wal file the app still wrote into: the app's later writes
reached no one. Linux only: the locks are read from /proc/locks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.models import CollectionSetting
from genebank.passport import own_institutes
from tests.ui import shots
from ui import file_dialogs
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads /proc/locks")
SHOTS = shots.folder("file_dialog_locks")


def held_locks(path: Path) -> list[str]:
    """This process's locks on ``path``, as the kernel lists them."""
    inode = f":{os.stat(path).st_ino} "
    with open("/proc/locks") as locks:
        return [line for line in locks if f" {os.getpid()} " in line and inode in line]


def another_process(path: Path, sql: str) -> str:
    """What a colleague's CLI does: open the database, read, close it."""
    code = ("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
            "print(c.execute(sys.argv[2]).fetchall())\nc.close()")
    return subprocess.run([sys.executable, "-c", code, str(path), sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def test_browsing_the_databases_folder_keeps_the_apps_writes_visible(
        qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "banque de gènes.sqlite"
    database = db.open_database(db.sqlite_url(path), user="technicienne")
    try:
        with database.session_factory.begin() as session:  # the app's connection, kept open
            own_institutes.set_own_instcodes(session, ["FRA001"])
        before = held_locks(path)
        assert before, "the app's open connection holds a lock on the database"
        (tmp_path / "accessions.xlsx").write_bytes(b"PK\x03\x04")  # listed beside it
        wizard = ImportWizard(database.session_factory, None, last_folder=str(tmp_path))
        qtbot.addWidget(wizard)
        seen: dict[str, object] = {}

        def look_then_cancel() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, QFileDialog)
            model = dialog.findChild(QFileSystemModel)
            assert model is not None
            row = model.index(str(path))
            qtbot.waitUntil(lambda: model.data(row.siblingAtColumn(2)) not in (None, ""))
            qtbot.wait(300)  # the icons and types of the whole folder, as a person sees it
            seen["type"] = model.data(row.siblingAtColumn(2))
            seen["xlsx"] = model.data(model.index(str(tmp_path / "accessions.xlsx"), 2))
            seen["locks"] = held_locks(path)
            SHOTS.mkdir(parents=True, exist_ok=True)
            dialog.grab().save(str(SHOTS / "import-browse-database-folder.png"))
            dialog.reject()

        QTimer.singleShot(0, look_then_cancel)
        wizard.file_page.browse()  # what the wizard's Browse… does
        assert seen["locks"], "listing the folder dropped the app's locks on the database"
        assert seen["type"] == "SQLITE File"  # by its name: freedesktop knows *.sqlite3 only
        assert "spreadsheet" in str(seen["xlsx"])  # the suffix still tells a workbook

        another_process(path, "SELECT count(*) FROM sqlite_master")  # opens, then closes
        assert Path(f"{path}-wal").exists(), "another process deleted the app's -wal file"
        with database.session_factory.begin() as session:
            own_institutes.set_own_instcodes(session, ["FRA001", "MAR088"])
        assert held_locks(path)
        stored = another_process(path, f"SELECT value FROM {CollectionSetting.__tablename__} "
                                       f"WHERE key = '{own_institutes.OWN_INSTCODES}'")
        assert "MAR088" in stored, f"the app's write is not in the file: {stored}"
    finally:
        database.close()


def test_opening_the_database_already_open_keeps_its_locks(
        qtbot: QtBot, window: MainWindow, collection: db.Database,
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[str]) -> None:
    """File > Open of the file the window has open: looking at the file before opening it
    (its header, read with open()) must not drop the window's locks on it."""
    path = db.sqlite_path(collection.url)
    assert path is not None and held_locks(path)
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        lambda *_a, **_k: (str(path), ""))
    window.open_database_dialog()
    assert held_locks(path), "opening the same file again dropped the window's locks"
    assert window.database is collection
    assert message_boxes == [f"'{path}' is the database already open."]
