"""File > New database with a folder name mistyped in the save dialog: refused by name, no
folder made, the open database kept (it used to make the folders and an empty database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui import file_dialogs
from ui.main_window import MainWindow


def test_file_new_database_into_a_missing_folder_is_refused(
        window: MainWindow, tmp_path: Path, message_boxes: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    typed = tmp_path / "Genbank data" / "collection.sqlite"
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(typed), ""))
    before = window.database.url
    window.new_database()
    assert str(typed.parent) in message_boxes[-1]
    assert "does not exist" in message_boxes[-1]
    assert not typed.parent.exists()
    assert window.database.url == before
