"""File > Back up database runs off the GUI thread with progress and Cancel; a file the save
dialog's "Replace?" confirmed is replaced whole, and only once the new copy is checked."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from genebank import backup
from tests.ui import shots
from tests.ui.waiting import done
from ui import file_dialogs
from ui.main_window import MainWindow

SHOTS = shots.folder("backup_gui")


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(path), ""))


def _accessions(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return int(connection.execute("SELECT count(*) FROM accession").fetchone()[0])
    finally:
        connection.close()


def _held_backup(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """A slow backup: its first step waits until the test releases it."""
    reached, release = threading.Event(), threading.Event()

    def held(_status: int, _remaining: int, _total: int) -> None:
        if not reached.is_set():
            reached.set()
            release.wait(20)

    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "_on_step", held)
    return reached, release


def test_the_window_stays_alive_while_a_slow_backup_runs(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While the backup is held mid-copy the event loop keeps running (a timer fires), a
    progress dialog shows, the menu's action is greyed out; then the file is a whole,
    checked copy of the collection."""
    target = tmp_path / "backups" / "monday.sqlite"
    target.parent.mkdir()
    _choose(monkeypatch, target)
    reached, release = _held_backup(monkeypatch)
    ticks: list[bool] = []
    shown: list[str] = []

    def tick() -> None:
        ticks.append(reached.is_set())
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.isVisible()]
        if dialogs and not shown and ticks.count(True) >= 5:
            dialogs[0].grab().save(str(SHOTS / "backup-progress.png"))
            shown.append(dialogs[0].labelText())
            release.set()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    try:
        operation = window.backup_database()
        assert operation is not None
        assert not window.backup_action.isEnabled()
        assert done(qtbot, operation)
    finally:
        timer.stop()
        release.set()
    assert ticks.count(True) >= 5, "the window froze while the backup ran"
    assert shown and str(target) in shown[0]
    assert window.backup_action.isEnabled()
    assert _accessions(target) == 450
    assert str(target) in window.statusBar().currentMessage()


def test_a_cancelled_backup_leaves_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "cancelled.sqlite"
    _choose(monkeypatch, target)
    reached, release = _held_backup(monkeypatch)
    operation = window.backup_database()
    assert operation is not None
    qtbot.waitUntil(reached.is_set)
    operation.cancel()
    release.set()
    assert not done(qtbot, operation)
    assert list(tmp_path.glob("cancelled*")) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_confirmed_replace_replaces_the_old_backup_whole(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[str]) -> None:
    """The save dialog asked "Replace?" and the person said yes: the old file is replaced
    by a checked copy (before, the core refused it as existing)."""
    target = tmp_path / "weekly.sqlite"
    target.write_bytes(b"last week's backup")
    _choose(monkeypatch, target)
    assert done(qtbot, window.backup_database())
    assert message_boxes == []
    assert _accessions(target) == 450


def test_a_replace_that_fails_keeps_the_old_backup(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[str]) -> None:
    """The new copy breaks midway: the old backup is still there, byte for byte, and the
    person is told why."""
    target = tmp_path / "weekly.sqlite"
    target.write_bytes(b"last week's backup")

    def broken(_status: int, remaining: int, _total: int) -> None:
        if remaining < 20:
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    monkeypatch.setattr(backup, "_on_step", broken)
    _choose(monkeypatch, target)
    assert not done(qtbot, window.backup_database())
    assert target.read_bytes() == b"last week's backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("weekly")] == \
        ["weekly.sqlite"]
    [shown] = message_boxes
    assert "disk I/O error" in shown


def test_the_database_itself_is_never_its_own_backup(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str]) -> None:
    own = Path(window.database.engine.url.database or "")
    before = own.stat().st_size
    _choose(monkeypatch, own)
    assert window.backup_database() is None
    [shown] = message_boxes
    assert "is the database itself" in shown
    assert own.stat().st_size == before and _accessions(own) == 450
