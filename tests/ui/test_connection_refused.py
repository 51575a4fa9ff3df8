"""A server that refuses the connection is said in the connection dialog, which comes back
with what was typed (never the password) instead of forgetting it behind a message box."""

from __future__ import annotations

import socket

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.ui import shots
from tests.ui.test_database_opening import when_shown
from ui.dialogs.connection_dialog import ConnectionDialog
from ui.main_window import MainWindow

SHOTS = shots.folder("connection_refused")


def _closed_port() -> int:
    """A port on this computer where nothing listens (a server that is not there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_keeps_the_fields_and_says_why(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    port = _closed_port()
    again: list[dict[str, object]] = []

    def second(dialog: QWidget) -> None:
        assert isinstance(dialog, ConnectionDialog)
        dialog.grab().save(str(SHOTS / "connection-refused.png"))
        again.append({"host": dialog.host.text(), "port": dialog.port.value(),
                      "database": dialog.database.text(), "user": dialog.user.text(),
                      "password": dialog.password.text(), "shown": dialog.message.isVisible(),
                      "message": dialog.message.text()})
        dialog.reject()

    def first(dialog: QWidget) -> None:
        assert isinstance(dialog, ConnectionDialog)
        dialog.host.setText("127.0.0.1")
        dialog.port.setValue(port)
        dialog.database.setText("seeds")
        dialog.user.setText("curator")
        dialog.password.setText("s3cret")
        def the_next(shown: QWidget) -> None:  # the dialog asked again, not this one
            if shown is dialog:
                when_shown(qtbot, ConnectionDialog, the_next)
            else:
                second(shown)

        when_shown(qtbot, ConnectionDialog, the_next)
        dialog.connect_button.click()

    before = window.database.url
    when_shown(qtbot, ConnectionDialog, first)
    assert window.connect_to_server() is False
    [kept] = again
    assert (kept["host"], kept["port"], kept["database"], kept["user"]) == (
        "127.0.0.1", port, "seeds", "curator")
    assert kept["password"] == ""  # never kept
    assert kept["shown"] and str(port) in str(kept["message"])
    assert message_boxes == []  # said in the dialog, not behind it
    assert window.database.url == before
