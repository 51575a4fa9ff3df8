"""Once an import is over, its summary page offers Finish only: there is nothing to cancel."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank.models import SeedLot
from genebank.passport import passport_import
from genebank.progress import Progress, check
from ui.main_window import MainWindow

NEXT, CANCEL, FINISH = (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton,
                        QWizard.WizardButton.FinishButton)


def click(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    """Click a wizard button as a person does, once it can be clicked."""
    button = wizard.button(which)
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=10000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_path(qtbot: QtBot, wizard: QWizard, edit: QLineEdit, path: Path) -> None:
    """Type the file's path; Next is then the first step (Return would press it too)."""
    qtbot.keyClicks(edit, str(path))
    wizard.file_page.load_sheets()  # type: ignore[attr-defined]  # what leaving the field does


def mission(path: Path) -> Path:
    """A collecting mission's sheet with one new accession."""
    book = openpyxl.Workbook()
    book.active.append(["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "STORAGE"])
    book.active.append(["KAZ001", "M26-1", "Hordeum", "vulgare", "13"])
    book.save(path)
    return path


def test_the_passport_import_summary_has_finish_and_no_cancel(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Cancel is there through the steps and gone on the summary; Finish closes."""
    mission(tmp_path / "mission.xlsx")
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, tmp_path / "mission.xlsx")
    for page in (wizard.mapping_page, wizard.check_page, wizard.options_page):
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=10000)
        assert wizard.button(CANCEL).isVisible()
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.run_page.done, timeout=10000)
    assert wizard.run_page.status.text().startswith("Done: 1 created")
    qtbot.waitUntil(lambda: not wizard.button(CANCEL).isVisible())
    assert wizard.button(FINISH).isVisible() and wizard.button(FINISH).isEnabled()
    wizard.grab().save("/tmp/passport-summary.png")
    click(qtbot, wizard, FINISH)
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_the_sheet_import_summary_has_finish_and_no_cancel(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The shared sheet wizard (here the lab's germination sheet) likewise."""
    with window.database.session_factory() as session:
        number = session.execute(select(SeedLot.lot_number).order_by(SeedLot.id).limit(1)
                                 ).scalar_one()
    book = openpyxl.Workbook()
    book.active.append(["Lot no.", "Date tested", "Seeds sown", "Normal seedlings", "Dead"])
    book.active.append([number, QDate.currentDate().toPython(), 50, 44, 6])
    book.save(tmp_path / "lab.xlsx")
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, tmp_path / "lab.xlsx")
    for page in (wizard.mapping_page, wizard.check_page):
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=10000)
        assert wizard.button(CANCEL).isVisible()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    click(qtbot, wizard, NEXT)  # the choices
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(wizard.run_page.isComplete, timeout=10000)
    assert wizard.run_page.status.text() == "Done: 1 test imported."
    qtbot.waitUntil(lambda: not wizard.button(CANCEL).isVisible())
    assert wizard.button(FINISH).isVisible() and wizard.button(FINISH).isEnabled()
    wizard.grab().save("/tmp/sheet-summary.png")
    click(qtbot, wizard, FINISH)
    assert not wizard.isVisible() and wizard.outcome.line() == "1 test imported"


def test_a_cancelled_passport_import_leaves_finish_only(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel clicked while importing stops it; then Cancel goes and Finish closes."""
    started, release = threading.Event(), threading.Event()
    real_apply = passport_import.apply_import

    def slow_apply(session: Any, preview: Any, *, progress: Progress, **options: Any) -> Any:
        started.set()
        release.wait(10)
        check(progress)
        return real_apply(session, preview, progress=progress, **options)

    monkeypatch.setattr(passport_import, "apply_import", slow_apply)
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, mission(tmp_path / "mission.xlsx"))
    for page in (wizard.mapping_page, wizard.check_page, wizard.options_page):
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=10000)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(started.is_set, timeout=10000)
    click(qtbot, wizard, CANCEL)
    release.set()
    qtbot.waitUntil(lambda: wizard.run_page.done, timeout=10000)
    assert wizard.run_page.status.text().startswith("Cancelled. Nothing was imported")
    assert wizard.isVisible() and not wizard.button(CANCEL).isVisible()
    wizard.grab().save("/tmp/passport-cancelled.png")
    click(qtbot, wizard, FINISH)
    assert not wizard.isVisible()
