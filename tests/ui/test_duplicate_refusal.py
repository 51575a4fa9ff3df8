"""The window started from a read-only folder (Program Files) on a server database that
holds duplicate accessions says why it cannot upgrade instead of failing at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.migrations.test_identity_listing import (  # noqa: F401 (fixtures)
    read_only_folder,
    server_with_duplicates,
)
from tests.ui.test_database_opening import when_shown
from ui import database_opening
from ui.database_opening import ServerUpgradeDialog
from ui.dialogs.duplicates_dialog import DuplicateAccessionsDialog


@pytest.mark.postgres
def test_duplicates_refusal_is_shown_when_no_folder_takes_the_list(
        qtbot: QtBot, server_with_duplicates: str, read_only_folder: Path,  # noqa: F811
        message_boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The owner confirms the upgrade; the duplicates stop it, and the dialog that offers
    the way out (not a crash) says that the list could not be written and how to resolve
    them from the command line too."""
    monkeypatch.chdir(read_only_folder)
    monkeypatch.setenv("XDG_DATA_HOME", str(read_only_folder / "data"))
    monkeypatch.setenv("HOME", str(read_only_folder))

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, ServerUpgradeDialog)
        dialog.upgrade_button.click()

    shown: list[str] = []

    def offered(dialog: QWidget) -> None:
        assert isinstance(dialog, DuplicateAccessionsDialog)
        assert dialog.backup_button is not None  # a server: its owner backs it up first
        shown.append(dialog.details.text())
        dialog.reject()

    when_shown(qtbot, ServerUpgradeDialog, confirm)
    when_shown(qtbot, DuplicateAccessionsDialog, offered)
    assert database_opening.open_interactively(None, server_with_duplicates) is None
    assert message_boxes == []
    assert "could not be written" in shown[0] and "resolve-duplicates --rename" in shown[0]
    assert list(read_only_folder.iterdir()) == []
