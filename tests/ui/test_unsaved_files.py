"""A template the GUI cannot write (missing folder, full disk) is said plainly, not a crash,
and the status bar does not claim it was saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui import file_dialogs
from ui.main_window import MainWindow


@pytest.mark.parametrize("action", ["save_template", "save_tests_template"])
def test_a_template_that_cannot_be_written_is_reported(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str], action: str) -> None:
    """The folder chosen is gone by the time the template is written: one plain warning
    naming the folder, no 'saved' in the status bar, no file."""
    target = tmp_path / "usb-stick" / "template.xlsx"
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(target), "Excel workbook (*.xlsx)"))
    getattr(window, action)()
    assert len(message_boxes) == 1
    assert message_boxes[0].startswith("Cannot write") and "usb-stick" in message_boxes[0]
    assert "saved" not in window.statusBar().currentMessage()
    assert not target.parent.exists()
    window.grab().save(f"/tmp/atomicfiles-{action}.png")
