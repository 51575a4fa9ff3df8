"""A server database that stops on accession numbers differing only by case: its owner,
signed in with a password typed while opening, backs it up and renumbers from the dialog
without being asked again (the signed-in address reaches the backup and the fix-up, never
saved); and the backup, opened in Genebank, stops at the same duplicate check with the list.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, create_engine, text

from genebank import backup, connection_urls, db
from tests.conftest import revision_of
from tests.genebank.test_server_backup_case_duplicates import (
    server_with_case_duplicates,
    store_case_duplicates,
)
from tests.password_server import PasswordServer, no_pg_environment, password_server
from tests.ui import shots
from tests.ui.test_database_opening import when_shown
from ui import database_opening, file_dialogs
from ui.database_opening import ServerUpgradeDialog
from ui.dialogs.connection_dialog import ConnectionDialog
from ui.dialogs.duplicates_dialog import DuplicateAccessionsDialog

__all__ = ["no_pg_environment", "password_server", "server_with_case_duplicates"]

SHOTS = shots.folder("signed_in_fix_up")
SECRET = "cur@tor pw:1/%"  # characters a URL must quote


def curators_database(server: PasswordServer,
                      fill: Callable[[str], None] = store_case_duplicates) -> tuple[str, str]:
    """A new role with a password, owning a new database that ``fill`` makes (by default
    KZ-0001 and kz-0001 at schema 0007); returns its address without and with the
    password."""
    role, name = f"curator_{uuid.uuid4().hex[:8]}", f"genebank_{uuid.uuid4().hex[:10]}"
    admin = create_engine(URL.create("postgresql+psycopg", username=server.user,
                                     password=server.password, host=server.host,
                                     port=server.port, database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        quoted = SECRET.replace("'", "''")
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{quoted}'"))
        connection.execute(text(f'CREATE DATABASE "{name}" OWNER {role}'))
    admin.dispose()
    url = f"postgresql+psycopg://{role}@{server.host}:{server.port}/{name}"
    signed_in = connection_urls.with_password(url, SECRET)
    fill(signed_in)
    return url, signed_in


def answer_every_sign_in(qtbot: QtBot, asked: list[str]) -> list[bool]:
    """Type the password into every sign-in dialog that comes up, noting its message,
    until the returned flag is set (so that a test of asking once fails, rather than hangs,
    when it is asked again; and nothing keeps polling after the test)."""
    stop = [False]

    def poll() -> None:
        if stop[0]:
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConnectionDialog) and dialog.isVisible():
            asked.append(dialog.message.text())
            qtbot.keyClicks(dialog.password, SECRET)
            dialog.connect_button.click()
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return stop


def test_a_password_typed_while_opening_reaches_the_backup_and_the_fix_up(
        qtbot: QtBot, password_server: PasswordServer, no_pg_environment: Path,
        tmp_path: Path, message_boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, _signed_in = curators_database(password_server)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    copy = tmp_path / "before-resolving.sqlite"
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(copy), ""))
    asked: list[str] = []
    listed: list[str] = []

    def back_up_then_renumber(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicateAccessionsDialog)
        tree = dialog.findChild(QTreeWidget, "groups")
        listed.append(tree.topLevelItem(0).text(0))
        when_shown(qtbot, DuplicateAccessionsDialog,  # shown again after the backup
                   lambda again: again.buttons[DuplicateAccessionsDialog.RENAME].click())
        dialog.backup_button.click()

    stop = answer_every_sign_in(qtbot, asked)
    when_shown(qtbot, DuplicateAccessionsDialog, back_up_then_renumber)
    when_shown(qtbot, ServerUpgradeDialog, lambda dialog: dialog.upgrade_button.click())
    try:
        database = database_opening.open_interactively(None, url)
    finally:
        stop[0] = True
    assert database is not None, message_boxes
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT accenumb FROM accession ORDER BY id")
                                      ).scalars().all() == ["KZ-0001", "kz-0001-2"]
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
    finally:
        database.close()
    assert len(asked) == 1 and "asks for the password" in asked[0]  # asked once only
    assert listed == ["2 accessions: KZ-0001, kz-0001"]
    backed_up, renumbered = message_boxes
    assert str(copy) in backed_up and "kz-0001 → kz-0001-2" in renumbered
    for said in message_boxes:
        assert SECRET not in said
    with sqlite3.connect(copy) as made:  # the backup before renumbering holds both
        assert made.execute("SELECT accenumb FROM accession ORDER BY id").fetchall() == [
            ("KZ-0001",), ("kz-0001",)]
    assert revision_of(db.sqlite_url(copy)) == "0007"


def test_the_backup_of_such_a_server_opens_at_the_duplicate_check(
        qtbot: QtBot, server_with_case_duplicates: str, tmp_path: Path,
        message_boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the backup lists the group and offers the way out (here: Cancel, the rows
    unchanged), not a crash nor "UNIQUE constraint failed"."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    target = backup.backup_server(server_with_case_duplicates, tmp_path / "copy.sqlite")
    seen: list[str] = []

    def look_then_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicateAccessionsDialog)
        group = dialog.findChild(QTreeWidget, "groups").topLevelItem(0)
        seen.extend([group.text(0)] + [group.child(n).text(0)
                                       for n in range(group.childCount())])
        SHOTS.mkdir(exist_ok=True)
        dialog.grab().save(str(SHOTS / "backup-case-duplicates.png"))
        dialog.reject()

    when_shown(qtbot, DuplicateAccessionsDialog, look_then_cancel)
    assert database_opening.open_interactively(None, db.sqlite_url(target)) is None
    assert seen[0] == "2 accessions: KZ-0001, kz-0001"
    assert seen[1].startswith("KZ-0001 (oldest)") and seen[2].startswith("kz-0001")
    assert message_boxes == []
    assert revision_of(db.sqlite_url(target)) == "0007"  # nothing was changed
    with sqlite3.connect(target) as kept:
        assert kept.execute("SELECT accenumb FROM accession ORDER BY id").fetchall() == [
            ("KZ-0001",), ("kz-0001",)]


def test_a_password_typed_while_opening_reaches_the_owners_backup_before_upgrading(
        qtbot: QtBot, password_server: PasswordServer, no_pg_environment: Path,
        tmp_path: Path, message_boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An older server database (no duplicates): 'Back up first…' and then 'Upgrade now'
    reach the server signed in, with the password asked once."""
    def at_0006(address: str) -> None:
        engine = db.create_engine_for(address)
        db.upgrade(engine, "0006")
        engine.dispose()

    url, _signed_in = curators_database(password_server, at_0006)
    copy = tmp_path / "before-upgrade.sqlite"
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(copy), ""))
    asked: list[str] = []
    said: list[str] = []

    def back_up_then_upgrade(dialog: QWidget) -> None:
        assert isinstance(dialog, ServerUpgradeDialog)
        if not said:
            said.append(dialog.informativeText())
            when_shown(qtbot, ServerUpgradeDialog, back_up_then_upgrade)
            dialog.backup_button.click()
        else:
            said.append(dialog.informativeText())
            dialog.upgrade_button.click()

    stop = answer_every_sign_in(qtbot, asked)
    when_shown(qtbot, ServerUpgradeDialog, back_up_then_upgrade)
    try:
        database = database_opening.open_interactively(None, url)
    finally:
        stop[0] = True
    assert database is not None, message_boxes
    try:
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
    finally:
        database.close()
    assert len(asked) == 1  # not again for the backup nor for the upgrade
    assert said[1] == f"Backed up to {copy}. Upgrade now?"
    assert message_boxes == []
    assert revision_of(db.sqlite_url(copy)) == "0006"
