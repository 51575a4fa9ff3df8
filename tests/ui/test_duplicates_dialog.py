"""Opening a file whose upgrade stops on duplicate accessions offers the way out in the
window: the groups listed, renumber or remove copies (backed up first), then it opens."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTreeWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from genebank import db
from genebank.models import Base
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
    revision_of,
)
from tests.ui import shots
from tests.ui.test_database_opening import when_shown
from ui import database_opening, file_dialogs
from ui.database_opening import ServerUpgradeDialog
from ui.dialogs.duplicates_dialog import DuplicateAccessionsDialog

SHOTS = shots.folder("duplicates_dialog")


@pytest.fixture
def file_with_duplicates(tmp_path: Path) -> Path:
    """A SQLite file at 0007 holding KZ-0001 (older) and ｋｚ-0001: one accession to 0008.
    (SQLite's NOCASE column kept a plain "kz-0001" out before 0008; full-width lower case,
    typed on an East Asian keyboard, got past it.)"""
    path = tmp_path / "collection.sqlite"
    _store_at_0007(db.sqlite_url(path))
    return path


@pytest.fixture
def server_with_duplicates() -> Iterator[str]:
    """The same on a server (whose backup, a SQLite file at 0007, can hold them)."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_gui_duplicates")
    _store_at_0007(url)
    yield url
    drop_postgres_database(url)


def _store_at_0007(url: str) -> None:
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0007")
    tables = Base.metadata.tables
    with engine.begin() as connection:
        connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
        connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                           sort_name="triticum"))
        for accession_id, number, created in ((1, "KZ-0001", dt.datetime(2019, 5, 1)),
                                              (2, "ｋｚ-0001", dt.datetime(2022, 3, 9))):
            connection.execute(text(
                "INSERT INTO accession (id, instcode, accenumb, taxon_id, origcty, "
                "created_at, created_by, updated_at, updated_by, version) VALUES (:id, "
                "'KAZ001', :number, 1, 'KAZ', :at, 'lab', :at, 'lab', 1)"),
                {"id": accession_id, "number": number, "at": created})
            connection.execute(text(
                "INSERT INTO accession_name (accession_id, position, name, created_at, "
                "created_by, updated_at, updated_by, version) VALUES (:id, 0, 'Almaty 1', "
                ":at, 'lab', :at, 'lab', 1)"), {"id": accession_id, "at": created})
    engine.dispose()


def _choose(qtbot: QtBot, choice: str, seen: list[str], shot: str | None = None) -> None:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicateAccessionsDialog)
        tree = dialog.findChild(QTreeWidget, "groups")
        group = tree.topLevelItem(0)
        seen.append(" | ".join([group.text(0)] + [group.child(n).text(0)
                                                  for n in range(group.childCount())]))
        seen.append(dialog.details.text())
        if shot:
            dialog.grab().save(str(SHOTS / shot))
        if choice == "cancel":
            dialog.reject()
        else:
            dialog.buttons[choice].click()

    when_shown(qtbot, DuplicateAccessionsDialog, act)


def _rows(database: db.Database, sql: str) -> list[tuple[object, ...]]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def test_renumbering_from_the_dialog_backs_up_upgrades_and_opens(
        qtbot: QtBot, file_with_duplicates: Path, message_boxes: list[str]) -> None:
    seen: list[str] = []
    _choose(qtbot, DuplicateAccessionsDialog.RENAME, seen, "duplicates-dialog.png")
    database = database_opening.open_interactively(None, db.sqlite_url(file_with_duplicates))
    assert database is not None
    try:
        assert seen[0] == "2 accessions: KZ-0001, ｋｚ-0001 | KZ-0001 (oldest) | ｋｚ-0001"
        assert "resolve-duplicates --rename" in seen[1]  # the command line's way, too
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
        assert _rows(database, "SELECT id, accenumb FROM accession ORDER BY id") == [
            (1, "KZ-0001"), (2, "ｋｚ-0001-2")]
        assert _rows(database, "SELECT accession_id, instcode, number FROM "
                               "accession_other_number") == [(2, "KAZ001", "ｋｚ-0001")]
    finally:
        database.close()
    [done] = message_boxes
    assert "ｋｚ-0001 → ｋｚ-0001-2" in done
    [before] = file_with_duplicates.parent.glob("collection.before-resolve-duplicates-*")
    assert str(before) in done


def test_a_plain_path_as_people_type_it_reaches_the_dialog(
        qtbot: QtBot, file_with_duplicates: Path, message_boxes: list[str]) -> None:
    """`--database FILE` (or GENEBANK_DATABASE_URL=FILE) gives a path, not a URL: the
    dialog still opens and renumbers, instead of "Something went wrong (ArgumentError)"."""
    seen: list[str] = []
    _choose(qtbot, DuplicateAccessionsDialog.RENAME, seen)
    database = database_opening.open_interactively(None, str(file_with_duplicates))
    assert database is not None
    try:
        assert _rows(database, "SELECT id, accenumb FROM accession ORDER BY id") == [
            (1, "KZ-0001"), (2, "ｋｚ-0001-2")]
    finally:
        database.close()
    assert seen and len(message_boxes) == 1


def test_removing_copies_from_the_dialog_keeps_the_oldest(
        qtbot: QtBot, file_with_duplicates: Path, message_boxes: list[str]) -> None:
    seen: list[str] = []
    _choose(qtbot, DuplicateAccessionsDialog.MERGE, seen)
    database = database_opening.open_interactively(None, db.sqlite_url(file_with_duplicates))
    assert database is not None
    try:
        assert _rows(database, "SELECT id, accenumb FROM accession") == [(1, "KZ-0001")]
    finally:
        database.close()
    [done] = message_boxes
    assert "ｋｚ-0001 (a copy of accession 1)" in done


def test_cancelling_changes_nothing(qtbot: QtBot, file_with_duplicates: Path,
                                    message_boxes: list[str]) -> None:
    before = hashlib.sha256(file_with_duplicates.read_bytes()).hexdigest()
    seen: list[str] = []
    _choose(qtbot, "cancel", seen)
    assert database_opening.open_interactively(
        None, db.sqlite_url(file_with_duplicates)) is None
    assert seen and message_boxes == []
    assert hashlib.sha256(file_with_duplicates.read_bytes()).hexdigest() == before


@pytest.mark.postgres
def test_a_server_owner_backs_up_renumbers_and_opens(
        qtbot: QtBot, server_with_duplicates: str, tmp_path: Path,
        message_boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """On a server the owner confirms the upgrade, is offered a backup first (nothing backs
    a server up on its own), renumbers, and the database opens upgraded."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    copy = tmp_path / "before-resolving.sqlite"
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(copy), ""))
    seen: list[str] = []

    def back_up_then_rename(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicateAccessionsDialog)
        assert dialog.backup_button is not None
        seen.append(dialog.findChild(QTreeWidget, "groups").topLevelItem(0).text(0))
        _choose(qtbot, DuplicateAccessionsDialog.RENAME, seen)  # asked again after it
        dialog.backup_button.click()

    when_shown(qtbot, ServerUpgradeDialog, lambda dialog: dialog.upgrade_button.click())
    when_shown(qtbot, DuplicateAccessionsDialog, back_up_then_rename)
    database = database_opening.open_interactively(None, server_with_duplicates)
    assert database is not None
    try:
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
        assert _rows(database, "SELECT id, accenumb FROM accession ORDER BY id") == [
            (1, "KZ-0001"), (2, "ｋｚ-0001-2")]
    finally:
        database.close()
    assert seen[0] == "2 accessions: KZ-0001, ｋｚ-0001"
    assert revision_of(db.sqlite_url(copy)) == "0007"  # the copy, as it was
    backed_up, renumbered = message_boxes
    assert str(copy) in backed_up and "ｋｚ-0001 → ｋｚ-0001-2" in renumbered
