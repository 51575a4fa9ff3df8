"""GUI fixtures: real widgets (offscreen), a private settings file, a small collection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.demo import demo
from ui import messages
from ui.main_window import MainWindow
from ui.settings import Settings


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
