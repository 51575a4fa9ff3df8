"""Export accessions…: the Save dialog offers the workbook and two CSV files, says which
CSV is for what, and the file written is the one chosen (exact, or formulas neutralised)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.waiting import done
from ui.main_window import MainWindow

XLSX = "Excel workbook (*.xlsx)"
EXACT = "CSV for Genesys/EURISCO, exact (*.csv)"
SAFE = "CSV to open in a spreadsheet, formulas neutralised (*.csv)"


def test_the_save_dialog_offers_two_csv_files_and_says_which_is_for_what(
        qtbot: QtBot, window: MainWindow) -> None:
    """Three choices, the line saying when to take which, and the name follows the choice
    (mcpd-export.xlsx becomes mcpd-export.csv)."""
    dialog = window.export_file_dialog()
    qtbot.addWidget(dialog)
    dialog.resize(760, 480)
    dialog.show()
    assert dialog.nameFilters() == [XLSX, EXACT, SAFE]
    said = [label.text() for label in dialog.findChildren(QLabel)
            if "Genesys or EURISCO" in label.text()]
    assert said and "apostrophe" in said[0] and "Excel or LibreOffice" in said[0]
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None and name.text() == "mcpd-export.xlsx"
    dialog.selectNameFilter(SAFE)
    dialog.filterSelected.emit(SAFE)  # as when the person picks it in the list
    assert name.text() == "mcpd-export.csv"
    dialog.grab().save("/tmp/exports-export-dialog.png")
    dialog.filterSelected.emit(XLSX)
    assert name.text() == "mcpd-export.xlsx"
    dialog.reject()


@pytest.mark.parametrize("choice", [EXACT, SAFE])
def test_the_csv_written_is_the_one_chosen(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           choice: str) -> None:
    """Choosing the exact CSV writes '=1+2' as stored; the spreadsheet CSV writes
    "'=1+2"; a name typed with .xlsx under a CSV choice is written as .csv."""
    with window.database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="=1+2"))

    def chosen(dialog: QFileDialog) -> int:  # the person types a name, picks a CSV, saves
        dialog.selectFile(str(tmp_path / "export.xlsx"))
        dialog.selectNameFilter(choice)
        return 1

    monkeypatch.setattr(QFileDialog, "exec", chosen)
    assert done(qtbot, window.export_accessions(scope="all"))
    assert not (tmp_path / "export.xlsx").exists()
    with (tmp_path / "export.csv").open(encoding="utf-8-sig", newline="") as handle:
        numbers = {row["ACCENUMB"] for row in csv.DictReader(handle)}
    assert ("'=1+2" if choice == SAFE else "=1+2") in numbers
    assert ("=1+2" if choice == SAFE else "'=1+2") not in numbers
