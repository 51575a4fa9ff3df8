"""Help > Load demo collection through the operation runner (issue 13): a build that fails
is said in the runner's plain words (never the exception's own English), a cancelled one is
said in the status bar, and either way the user's database stays as it was and no demo file
is left behind."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from genebank import db, demo_database
from tests.ui import shots
from tests.ui.test_demo_gui import table_counts
from ui import operations
from ui.main_window import MainWindow

SHOTS = shots.folder("demo_failure")


def shoot_warnings(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[str, str]]:
    """Record each warning as (title, text), after saving a real box of it as ``name``."""
    shown: list[tuple[str, str]] = []

    def warning(parent: QWidget | None, title: str, text: str,
                *_args: object) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Ok, parent)
        box.show()
        SHOTS.mkdir(exist_ok=True)
        box.grab().save(str(SHOTS / name))
        box.close()
        box.deleteLater()
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def test_a_failing_demo_build_is_worded_and_leaves_the_users_database(
        qtbot: QtBot, window: MainWindow, collection: db.Database,
        own_database_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's file cannot be written (here a folder stands where its unfinished copy
    goes): the box says so in the runner's words, naming what was being done, and the
    window stays on the user's unchanged database with the demo actions usable again."""
    before = table_counts(collection)
    part = demo_database.part_path(db.demo_database_path())
    part.mkdir(parents=True)
    warnings = shoot_warnings(monkeypatch, "demo_build_failed.png")
    job = window.start_demo(50)
    assert isinstance(job, operations.Job) and window._task is job
    assert not window.demo_action.isEnabled()
    with qtbot.waitSignal(job.done, timeout=30000) as finished:
        pass
    assert finished.args == [False]
    assert warnings == [("Demo collection not loaded", operations.message(
        job.error, operation="Loading the demo collection"))]
    text = warnings[0][1]
    assert text.startswith("Loading the demo collection: cannot write or read")
    assert str(part) in text and "Errno" not in text
    assert window.database is collection and table_counts(collection) == before
    assert not db.demo_database_path().exists() and part.is_dir()
    assert window._task is None and window.demo_action.isEnabled()
    assert window.remove_demo_action.isEnabled()


def test_the_demo_builds_under_the_runners_progress_dialog_and_cancel_changes_nothing(
        qtbot: QtBot, window: MainWindow, collection: db.Database,
        own_database_path: Path) -> None:
    """The runner's progress dialog (titled with what is being done) has Cancel; cancelling
    leaves no demo file, says so in the status bar and keeps the user's database open."""
    before = table_counts(collection)
    job = window.start_demo(20000)
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)  # once the work takes a moment
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "demo_progress.png"))
    assert dialog.windowTitle() == "Loading the demo collection"
    assert dialog.labelText().startswith("Creating demo accessions")
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    with qtbot.waitSignal(job.done, timeout=30000) as finished:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert finished.args == [False]
    assert "cancelled; nothing was changed" in window.statusBar().currentMessage()
    assert window.database is collection and table_counts(collection) == before
    demo_file = db.demo_database_path()
    assert not demo_file.exists() and not demo_database.part_path(demo_file).exists()
    assert window._task is None and window.demo_action.isEnabled()


def test_work_that_cannot_stop_half_way_shows_the_runners_dialog_without_cancel(
        qtbot: QtBot, sqlite_database: db.Database) -> None:
    """Removing demo records is one transaction that reports no progress: the runner's
    dialog (``with_progress(cancel=False)``) says it goes on, with no Cancel to press."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    write = operations.Write(parent, sqlite_database,
                             lambda _session, _progress: release.wait(10),
                             operation="Removing demo records", changes=operations.NOTHING)
    write.with_progress("Removing demo records…", cancel=False).run()
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "busy_without_cancel.png"))
    assert dialog.windowTitle() == "Removing demo records"
    assert not [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    with qtbot.waitSignal(write.done, timeout=10000) as finished:
        release.set()
    assert finished.args == [True]
