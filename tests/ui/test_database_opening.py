"""Opening databases from the window: the first start's choices, a vanished file refused
(not recreated empty), the network-share warning shown once, and a server upgrade its owner
confirms after the backup the dialog offers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from genebank import db, network_share
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
    revision_of,
)
from ui import database_opening, file_dialogs
from ui.app import start_database
from ui.database_opening import FirstStartDialog, ServerUpgradeDialog
from ui.dialogs import connection_dialog
from ui.main_window import MainWindow
from ui.settings import Settings

# Bumped after every GUI test (tests/ui/conftest.py): a wait for a dialog that never came
# must not act on a later test's dialog.
TEST_GENERATION = [0]


def when_shown(qtbot: QtBot, kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Once a modal ``kind`` is up (it blocks the caller in exec()), ``act`` on it as a
    person would; it stops waiting when the test ends."""
    generation = TEST_GENERATION[0]

    def attempt() -> None:
        if TEST_GENERATION[0] != generation:
            return  # the test that asked is over
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            act(widget)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def choose(qtbot: QtBot, choice: str, screenshot: str | None = None) -> None:
    def click(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstStartDialog)
        if screenshot:
            dialog.grab().save(screenshot)
        qtbot.mouseClick(dialog.buttons[choice], Qt.MouseButton.LeftButton)

    when_shown(qtbot, FirstStartDialog, click)


def close_first_start(qtbot: QtBot) -> None:
    when_shown(qtbot, FirstStartDialog, lambda dialog: dialog.reject())


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENEBANK_DATABASE_URL", raising=False)


def test_first_start_creates_my_database_only_when_chosen(
        qtbot: QtBot, settings: Settings, own_database_path: Path) -> None:
    """With no database yet, the window offers four ways to start; 'Create my database'
    creates the user's own file."""
    choose(qtbot, FirstStartDialog.CREATE, "/tmp/opening-first-start.png")
    database = start_database(None, settings)
    assert database is not None
    database.close()
    assert own_database_path.exists()
    assert Path(database.display_name) == own_database_path


def test_a_vanished_last_database_is_refused_not_recreated(
        qtbot: QtBot, settings: Settings, tmp_path: Path, own_database_path: Path,
        message_boxes: list[str]) -> None:
    """The last used file is gone (a USB stick not plugged in): the user is told, the first
    start is offered, and closing it creates nothing anywhere."""
    gone = tmp_path / "usb" / "collection.sqlite"
    settings.add_recent_database(db.sqlite_url(gone))
    close_first_start(qtbot)
    assert start_database(None, settings) is None
    assert "does not exist; nothing was created" in message_boxes[0]
    assert str(gone) in message_boxes[0]
    assert not gone.parent.exists() and not own_database_path.exists()


def test_first_start_open_a_file_refuses_an_empty_one(
        qtbot: QtBot, settings: Settings, tmp_path: Path, own_database_path: Path,
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[str]) -> None:
    """'Open a database file' on a zero-byte file says it is empty, leaves it, and offers
    the choices again."""
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        lambda *_args, **_kwargs: (str(empty), ""))
    choose(qtbot, FirstStartDialog.OPEN_FILE)

    def then_close() -> None:
        if message_boxes:
            close_first_start(qtbot)
        else:
            QTimer.singleShot(20, then_close)

    QTimer.singleShot(0, then_close)
    assert start_database(None, settings) is None
    assert "is empty: it is not a Genebank database" in message_boxes[0]
    assert empty.stat().st_size == 0 and not own_database_path.exists()


def test_first_start_try_the_demo_makes_only_the_demo_file(
        qtbot: QtBot, settings: Settings, own_database_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """'Try the demo' builds the demo's own file in the background and opens it; the
    user's own database is not created."""
    monkeypatch.setattr(database_opening, "FIRST_START_DEMO", 30)
    choose(qtbot, FirstStartDialog.DEMO)
    database = start_database(None, settings)
    assert database is not None
    database.close()
    assert Path(database.display_name) == db.demo_database_path()
    assert not own_database_path.exists()


def test_open_and_open_recent_refuse_a_missing_file_and_keep_the_open_one(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, message_boxes: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A recent database deleted since, or a name typed into File > Open that does not
    exist, is refused by name; nothing is created."""
    gone = tmp_path / "old-copy.sqlite"
    db.open_database(str(gone)).close()
    window.settings.add_recent_database(db.sqlite_url(gone))
    gone.unlink()
    window._fill_recent_menu()
    entry = next(a for a in window.recent_menu.actions() if a.text() == str(gone))
    entry.trigger()
    assert "does not exist; nothing was created" in message_boxes[-1]
    assert not gone.exists()
    typed = tmp_path / "new folder" / "colection.sqlite"
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        lambda *_args, **_kwargs: (str(typed), ""))
    window.open_database_action.trigger()
    assert str(typed) in message_boxes[-1] and "File > New database" in message_boxes[-1]
    assert not typed.parent.exists()
    assert window.count_label.text() == "450 accessions"


def test_a_database_on_a_network_share_is_warned_about_once(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str]) -> None:
    """Opening a file on a share shows one warning, then the database is used."""
    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setattr(network_share, "_mount_table",
                        lambda _platform: f"/dev/sda1 / ext4 rw 0 0\n"
                                          f"//srv/gb {share} cifs rw 0 0\n")
    db.open_database(str(share / "g.sqlite")).close()
    before = len(message_boxes)
    assert window.switch_database(db.sqlite_url(share / "g.sqlite"))
    qtbot.waitUntil(lambda: window.count_label.text() == "0 accessions")
    warnings = message_boxes[before:]
    assert len(warnings) == 1
    assert "network share (cifs)" in warnings[0] and "PostgreSQL server, not a file" in \
        warnings[0]


@pytest.mark.postgres
def test_first_start_connects_to_a_new_server_database(
        qtbot: QtBot, settings: Settings, own_database_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """'Connect to a server' with an empty server database makes it a Genebank database;
    no file is created on this computer."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_gui_first")
    try:
        monkeypatch.setattr(connection_dialog, "ask_with_dialog",
                            lambda _parent: lambda _url, _message: (url, ""))
        choose(qtbot, FirstStartDialog.SERVER)
        database = start_database(None, settings)
        assert database is not None and not database.is_sqlite
        database.close()
        assert revision_of(url) == db.SCHEMA_REVISION
        assert not own_database_path.parent.exists()
    finally:
        drop_postgres_database(url)


@pytest.fixture
def older_server_database() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_gui_upgrade")
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0006")
    engine.dispose()
    yield url
    drop_postgres_database(url)


@pytest.mark.postgres
def test_the_owner_backs_up_then_upgrades_a_server_database(
        qtbot: QtBot, older_server_database: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening an older server database as its owner asks first: 'Back up first…' writes a
    copy (over an older backup the save dialog confirmed replacing), then 'Upgrade now'
    upgrades and opens it."""
    target = tmp_path / "before-upgrade.sqlite"
    target.write_bytes(b"last month's backup")
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(target), ""))
    steps: list[str] = []

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, ServerUpgradeDialog)
        if not steps:
            dialog.grab().save("/tmp/opening-server-upgrade.png")
            steps.append("backup")
            dialog.backup_button.click()
            when_shown(qtbot, ServerUpgradeDialog, act)
        else:
            assert "Backed up to" in dialog.informativeText()
            dialog.grab().save("/tmp/opening-server-upgrade-backed-up.png")
            steps.append("upgrade")
            dialog.upgrade_button.click()

    when_shown(qtbot, ServerUpgradeDialog, act)
    database = database_opening.open_interactively(None, older_server_database)
    assert database is not None
    database.close()
    assert steps == ["backup", "upgrade"]
    assert revision_of(db.sqlite_url(target)) == "0006"
    assert revision_of(older_server_database) == db.SCHEMA_REVISION


@pytest.mark.postgres
def test_cancelling_the_server_upgrade_changes_nothing(
        qtbot: QtBot, older_server_database: str) -> None:
    """Cancel leaves the server database as it was and opens nothing."""
    when_shown(qtbot, ServerUpgradeDialog, lambda dialog: dialog.reject())
    assert database_opening.open_interactively(None, older_server_database) is None
    assert revision_of(older_server_database) == "0006"


def test_another_role_is_told_who_upgrades() -> None:
    """A workstation not owning the server database is told who must upgrade it."""
    needed = db.NeedsUpgrade(code="needs_upgrade_by_owner", params={  # as the core raises it
        "database": "postgresql+psycopg://clerk@server/gb", "owner": "genebank_admin",
        "user": "clerk", "is_owner": False, "revision": "0006", "newest": "0007"})
    words = database_opening.describe(needed)
    assert "needs upgrading by genebank_admin" in words and "signed in as clerk" in words


def test_opening_an_older_file_keeps_the_window_alive_while_it_is_backed_up(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older file's integrity check, backup and upgrade run off the GUI thread: while the
    backup is held mid-copy, the window's timers keep firing and a progress dialog says what
    is happening; then the file opens, backed up and upgraded."""
    import threading

    from genebank import backup

    path = tmp_path / "older.sqlite"
    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine, "0006")
    engine.dispose()
    reached, release = threading.Event(), threading.Event()

    def held_step(_status: int, _remaining: int, _total: int) -> None:
        if not reached.is_set():  # the first step waits until the window shows it is alive
            reached.set()
            release.wait(10)

    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "_on_step", held_step)
    ticks: list[bool] = []
    seen: list[str] = []

    def tick() -> None:
        ticks.append(reached.is_set())
        progress = [w for w in QApplication.topLevelWidgets()
                    if w.objectName() == "database_progress" and w.isVisible()]
        if progress and not seen and ticks.count(True) >= 5:
            progress[0].grab().save("/tmp/opening-progress.png")
            seen.append(progress[0].findChild(QLabel).text())
            release.set()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    try:
        database = database_opening.open_interactively(None, db.sqlite_url(path))
    finally:
        timer.stop()
        release.set()
    assert database is not None
    try:
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
        assert database.backup_path is not None and database.backup_path.exists()
    finally:
        database.close()
    assert ticks.count(True) >= 5, "the window froze while the backup ran"
    assert seen and str(path) in seen[0] and "backed up and upgraded first" in seen[0]
