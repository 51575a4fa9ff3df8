"""The window's save dialogs ask "Replace?" themselves: once the user said yes, the export
and the templates replace the existing file (the command line's refusal of an existing
file, unless --replace, is not the window's)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from tests.ui.waiting import done
from ui import file_dialogs
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
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(target), ""))
    getattr(window, action)()
    assert message_boxes == []
    assert openpyxl.load_workbook(target).sheetnames


def test_the_problems_are_never_saved_over_the_workbook_being_imported(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str]) -> None:
    """Save problems… onto the workbook being imported (the save dialog's Replace? answered
    yes) is refused and the workbook kept; another existing file is replaced."""
    import hashlib

    from tests.ui.test_import_wizard import next_page, spreadsheet

    path = spreadsheet(tmp_path / "mission.xlsx")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    chosen = [path]
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(chosen[-1]), ""))
    wizard.check_page.save_problems()
    assert "is the file being read" in message_boxes[-1], message_boxes
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert openpyxl.load_workbook(path).sheetnames == ["Mission 2025"]
    other = tmp_path / "problems.xlsx"
    other.write_bytes(b"an older report")
    chosen.append(other)
    wizard.check_page.save_problems()
    assert len(message_boxes) == 1
    copy = openpyxl.load_workbook(other)  # the report: a copy of the sheet, with PROBLEMS
    assert copy.sheetnames[0] == "Mission 2025"
    assert "PROBLEMS" in next(copy.worksheets[0].iter_rows(values_only=True))
    wizard.done(0)
