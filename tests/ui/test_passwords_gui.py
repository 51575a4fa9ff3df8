"""The GUI never shows or stores a database password: settings, the recent menu, the title;
the connection dialog hides what is typed and asks again after a wrong password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.password_server import PasswordServer, no_pg_environment, password_server
from tests.ui.waiting import settled
from ui.dialogs.connection_dialog import ConnectionDialog
from ui.main_window import MainWindow
from ui.settings import Settings

__all__ = ["no_pg_environment", "password_server"]  # fixtures used below

SECRET = "s3cret-Pa55"
SERVER = f"postgresql+psycopg://curator:{SECRET}@db.example.org:5433/genebank"
KEPT = "postgresql+psycopg://curator@db.example.org:5433/genebank"


def test_settings_of_an_older_version_lose_their_passwords(tmp_path: Path) -> None:
    """A settings file that holds a server password in clear no longer does once loaded;
    the address stays in the recent list."""
    path = tmp_path / "settings.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)
    old.setValue("settings_version", 1)
    old.setValue("recent_databases", [SERVER, "sqlite:////data/genebank.sqlite"])
    old.sync()
    assert SECRET in path.read_text(encoding="utf-8")
    settings = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    assert settings.recent_databases == [KEPT, "sqlite:////data/genebank.sqlite"]
    settings.add_recent_database(f"postgresql+psycopg://x:{SECRET}@h/db?password={SECRET}")
    settings.sync()
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and KEPT in text and "postgresql+psycopg://x@h/db" in text


def test_the_recent_menu_and_the_title_show_no_password(qtbot: QtBot, window: MainWindow,
                                                        settings: Settings) -> None:
    """File > Open recent lists a server by its address without password or mask."""
    settings.add_recent_database(SERVER)
    window.recent_menu.aboutToShow.emit()
    labels = [action.text() for action in window.recent_menu.actions()]
    assert KEPT in labels
    assert not any(SECRET in label or "***" in label for label in labels)
    assert SECRET not in window.windowTitle()


def test_the_connection_dialog_never_echoes_the_password(qtbot: QtBot) -> None:
    """The password field shows dots; the address it gives back holds no password."""
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    for field, text in ((dialog.host, "genebank.local"), (dialog.database, "genebank"),
                        (dialog.password, SECRET)):
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.user.clear()
    qtbot.keyClicks(dialog.user, "curator")
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert SECRET not in dialog.password.displayText()
    assert dialog.typed_password() == SECRET
    assert dialog.url() == "postgresql+psycopg://curator@genebank.local:5432/genebank"
    dialog.grab().save("/tmp/security-connection-dialog.png")


def test_signing_in_asks_again_after_a_wrong_password(
        qtbot: QtBot, window: MainWindow, settings: Settings, tmp_path: Path,
        password_server: PasswordServer, no_pg_environment: Path) -> None:
    """Opening a server that wants a password asks for it, says when it was refused, and
    opens with the right one; nothing shows or keeps it."""
    url = password_server.new_database()
    typed = ["wrong-one", password_server.password]
    messages: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectionDialog):
            QTimer.singleShot(10, answer)  # the dialog is not up yet
            return
        messages.append(dialog.message.text())
        dialog.grab().save(f"/tmp/security-sign-in-{len(messages)}.png")
        qtbot.keyClicks(dialog.password, typed.pop(0))
        if typed:
            QTimer.singleShot(0, answer)
        dialog.connect_button.click()

    QTimer.singleShot(0, answer)
    assert window.switch_database(url, create=True)  # a new, empty server database
    assert len(messages) == 2 and "asks for the password of postgres" in messages[0]
    assert "did not accept this password" in messages[1]
    assert window.database.display_name == url
    shown = [window.windowTitle(), window.database_label.text(),
             window.database_label.toolTip()]
    settings.sync()
    for text in (*shown, *(Path(tmp_path / "settings.ini").read_text(encoding="utf-8"),)):
        assert password_server.password not in text and "wrong-one" not in text
    assert settings.recent_databases[0] == url
    settled(qtbot)  # the server database's first reads


def test_file_connect_to_a_server_opens_it_with_the_typed_password(
        qtbot: QtBot, window: MainWindow, settings: Settings,
        password_server: PasswordServer, no_pg_environment: Path) -> None:
    """File > Connect to a server…: the address and password typed as a person would."""
    url = password_server.new_database()
    database = url.rsplit("/", 1)[1]

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectionDialog):
            QTimer.singleShot(10, answer)
            return
        for field, text in ((dialog.host, password_server.host), (dialog.database, database),
                            (dialog.user, password_server.user),
                            (dialog.password, password_server.password)):
            field.clear()
            qtbot.keyClicks(field, text)
        dialog.port.setValue(password_server.port)
        dialog.connect_button.click()

    assert window.connect_action in window.menuBar().actions()[0].menu().actions()
    QTimer.singleShot(0, answer)
    window.connect_action.trigger()
    qtbot.waitUntil(lambda: window.database.display_name == url)
    settings.sync()
    assert settings.recent_databases[0] == url
    assert password_server.password not in window.windowTitle()
    settled(qtbot)  # the server database's first reads
