"""The test-sheet import's preview words each problem from its code and params in the
user's language (issue 5), including a refused test's cause; the CLI's English is the
templates' (tests/genebank/test_coded_test_sheet.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank.models import SeedLot
from tests.ui import shots
from ui.main_window import MainWindow

SHOTS = shots.folder("test_import_wording")


FRENCH = {
    "there is no seed lot numbered '{lot}'": "aucun lot de semences n'a le numéro « {lot} »",
    "{label} is empty": "la case {label} est vide",
    "{parts} = {counted}, but {sown} seeds were sown: every seed sown is counted in one "
    "category": "{parts} = {counted}, mais {sown} graines ont été semées : chaque graine "
                "semée est comptée dans une catégorie"}


def test_the_test_import_preview_words_each_problem_by_its_code(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        french: dict[str, str]) -> None:
    with window.database.session_factory() as session:
        number = session.scalar(select(SeedLot.lot_number).order_by(SeedLot.id).limit(1))
    today = QDate.currentDate().toPython()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Germination"
    sheet.append(["Lot no.", "Date tested", "Seeds sown", "Normal seedlings", "Dead"])
    sheet.append([number, today, 50, 44, 6])
    sheet.append(["NO-SUCH-LOT", today, 50, 46, 4])
    sheet.append([number, today, 50, None, 4])
    sheet.append([number, today, 50, 40, 4])
    book.save(tmp_path / "lab.xlsx")
    french.update(FRENCH)
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(tmp_path / "lab.xlsx"))
    wizard.file_page.load_sheets()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=10000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    model = wizard.check_page.model
    said = {p.split(": ", 1)[-1] for row in range(model.rowCount())
            for p in str(model.data(model.index(row, 4))).split("; ") if p}
    wizard.resize(900, 520)
    SHOTS.mkdir(exist_ok=True)
    wizard.grab().save(str(SHOTS / "test-import-preview-french.png"))
    assert "Aucun lot de semences n'a le numéro « NO-SUCH-LOT »" in said
    assert "la case Normal seedlings est vide" in said
    assert ("normal seedlings 40 + dead seeds 4 = 44, mais 50 graines ont été semées : "
            "chaque graine semée est comptée dans une catégorie") in said
