"""The window's save dialogs ask "Replace?" themselves: once the user said yes, the export
and the templates replace the existing file (the command line's refusal of an existing
file, unless --replace, is not the window's)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.ui.waiting import done
from ui.main_window import MainWindow


def test_export_replaces_the_file_the_user_confirmed(qtbot: QtBot, window: MainWindow,
                                                     tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"an older export")
    assert done(qtbot, window.export_accessions(path=target, scope="all"))
    sheet = openpyxl.load_workbook(target, read_only=True).active
    assert sheet.max_row == 451  # the heading and the 450 accessions


@pytest.mark.parametrize("action", ["save_template", "save_tests_template"])
def test_a_template_replaces_the_file_the_user_confirmed(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str], action: str) -> None:
    target = tmp_path / "template.xlsx"
    target.write_bytes(b"an older template")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kwargs: (str(target), ""))
    getattr(window, action)()
    assert message_boxes == []
    assert openpyxl.load_workbook(target).sheetnames
