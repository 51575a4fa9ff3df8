"""GUI fixtures: real widgets (offscreen), a private settings file, a small collection."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.demo import demo
from ui import messages
from ui.main_window import MainWindow
from ui.settings import Settings

DRAIN_TIMEOUT_MS = 30000


def _in_flight() -> list[str]:
    """The work whose function still runs on a worker: the operations (by what they do)
    and the other tasks (by their function)."""
    from ui import operations, tasks

    said: list[str] = []
    of_operations = set()
    for operation in operations.pending():
        if operation.task is not None:
            of_operations.add(operation.task)
            if operation.task.working:
                said.append(f"operation {operation.operation!r} ({type(operation).__name__})")
    said += [f"task {task.name}" for task in tasks.running()
             if task.working and task not in of_operations]
    return said


def _drain() -> bool:
    """Let every started task and operation end, its end delivered (an event loop, not a
    Python loop around processEvents: see ui.tasks). False if some did not in time."""
    from ui import operations, tasks

    if QCoreApplication.instance() is None:
        return True

    def drained() -> bool:
        # an operation whose task was deleted while it ran never ends: not waited for
        return not tasks.running() and not any(
            operation.task is not None and shiboken6.isValid(operation.task)
            for operation in operations.pending())

    loop = QEventLoop()
    waited = [0]

    def check() -> None:
        waited[0] += 10
        if drained() or waited[0] > DRAIN_TIMEOUT_MS:
            loop.quit()
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)
    loop.exec()
    return drained()


class LeftRunning(pytest.PytestWarning):
    """A GUI test ended with work still running on a worker (see pytest_runtest_call)."""


STRICT_ENV = "GENEBANK_TEST_STRICT_WORKERS"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[Any]:
    """Every GUI test ends with no work left on a worker, or fails, naming the work: a task
    still running when the test returned is waited for, before the fixtures close its
    database and its windows (a worker that outlived its test once connected to a database
    being dropped, and its widgets were deleted off the GUI thread during the next test:
    the CI segfault of session 6), then the test fails if the work never ended, or when
    GENEBANK_TEST_STRICT_WORKERS is set (every GUI module passes so, run alone); otherwise
    the test is named in a ``LeftRunning`` warning: once drained the work harms nothing, and
    a loaded machine can stretch a read past a test's end. Wait in the test for what it
    starts (tests/ui/waiting.py: ``settled``, ``done``). A test that failed anyway is
    drained the same way and keeps its own failure."""
    try:
        result = yield
    except BaseException:
        _drain()
        raise
    left = _in_flight()
    drained = _drain()
    if left:
        said = (f"{item.nodeid} ended with work still running on a worker (wait for it in "
                "the test: tests/ui/waiting.py)"
                + ("" if drained else f", not ended {DRAIN_TIMEOUT_MS} ms later")
                + ": " + "; ".join(left))
        if not drained or os.environ.get(STRICT_ENV):
            raise AssertionError(said)
        warnings.warn(LeftRunning(said), stacklevel=1)
    return result


@pytest.fixture(autouse=True)
def own_database_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's default database (and so the demo's file beside it) in a test folder:
    no GUI test writes to the real user data folder."""
    path = tmp_path / "user-data" / "genebank.sqlite"
    monkeypatch.setattr(db, "default_database_path", lambda: path)
    return path


@pytest.fixture(autouse=True)
def dialog_waits_end_with_their_test() -> Iterator[None]:
    """A test's pending ``when_shown`` waits stop when it ends (see there)."""
    from tests.ui.test_database_opening import TEST_GENERATION

    yield
    TEST_GENERATION[0] += 1


@pytest.fixture(autouse=True)
def administrator_later(request: pytest.FixtureRequest,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A database with nobody yet asks for its administrator when it opens: a test of
    something else answers "Later" (the database opens as before sign-in). Tests of that
    dialog ask for ``first_administrator_asked`` and answer it themselves."""
    if "first_administrator_asked" in request.fixturenames:
        return
    from PySide6.QtWidgets import QDialog

    from ui.signing_in import FirstAdministratorDialog

    monkeypatch.setattr(FirstAdministratorDialog, "exec",
                        lambda _self: QDialog.DialogCode.Rejected)


@pytest.fixture
def first_administrator_asked() -> None:
    """The first-administrator dialog shows for real (see administrator_later)."""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[db.Database]:
    """A database with 450 demo accessions (more than one page of the table)."""
    database = db.open_database(db.sqlite_url(tmp_path / "gui.sqlite"), user="technician")
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=450)
    yield database
    database.close()


@pytest.fixture
def window(qtbot: QtBot, collection: db.Database, settings: Settings) -> MainWindow:
    window = MainWindow(collection, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.model is not None
    qtbot.waitUntil(lambda: window.model.is_complete)
    return window


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes never block a test: questions answer Discard, others are recorded."""
    shown: list[str] = []

    def record(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        shown.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Discard

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, record)
    return shown


class French(QTranslator):
    """A translation of a few of the "Messages" texts, as a .qm file would give."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.texts = texts

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return self.texts.get(source) if context == messages.CONTEXT else None

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def french(qapp: QCoreApplication) -> Iterator[dict[str, str]]:
    """A French translation installed for the test: source text -> its words, filled by it."""
    texts: dict[str, str] = {}
    translator = French(texts)
    QCoreApplication.installTranslator(translator)
    yield texts
    QCoreApplication.removeTranslator(translator)
