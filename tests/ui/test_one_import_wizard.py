"""The one import wizard (issue 14): the same wizard opens from the three menus, and each
kind goes through it end to end with files shaped as people have them (a Genesys download,
a French laboratory sheet with a title row, a Russian participant list saved as Excel 97);
tests and participants show each cell's problem and save them as a copy of the file that
imports back once corrected; the first rows are shown before the whole sheet is read; and
Cancel while checking or importing leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from genebank import db
from genebank.conservation import test_import
from genebank.io import headings, spreadsheet
from genebank.models import GerminationTest, Participant, SeedLot
from genebank.passport import own_institutes
from genebank.progress import Progress, check
from genebank.training import participant_import
from tests.genebank.test_genesys_downloads import API_HEADINGS, api_csv
from tests.ui import shots
from tests.ui.test_wizard_summary_buttons import CANCEL, FINISH, NEXT, click, type_path
from ui import file_dialogs
from ui.dialogs.import_wizard import FIRST_ROWS, ImportWizard
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views.shown_values import plain

TODAY = dt.date.today()


def shot(widget: Any, name: str) -> None:
    shots.shot(widget, name, under="one_import_wizard")


def rows_shown(wizard: ImportWizard) -> list[list[str]]:
    """The check page's rows as shown: row, status, record, about it, problems."""
    model = wizard.check_page.model
    return [[plain(str(model.data(model.index(r, c)) or "")) for c in range(5)]
            for r in range(model.rowCount())]


def lot_numbers(database: db.Database, count: int) -> list[str]:
    with database.session_factory() as session:
        return list(session.scalars(select(SeedLot.lot_number).order_by(SeedLot.id)
                                    .limit(count)))


def count(database: db.Database, model: type) -> int:
    with database.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def go_to(qtbot: QtBot, wizard: ImportWizard, page: Any) -> None:
    """Click Next until ``page`` is shown (each page's work done first)."""
    while wizard.currentPage() is not page:
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda: wizard.task is None, timeout=20000)


def open_file(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    """Choose ``path`` (pasted: QTest types ASCII only) and wait for its columns."""
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page.load_sheets()
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=20000)


def checked(qtbot: QtBot, wizard: ImportWizard) -> None:
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=20000)


def imported(qtbot: QtBot, wizard: ImportWizard, *, skip_errors: bool = False) -> str:
    click(qtbot, wizard, NEXT)
    assert wizard.currentPage() is wizard.options_page
    wizard.options_page.errors.buttons()[int(skip_errors)].setChecked(True)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.run_page.done, timeout=20000)  # done, failed or cancelled
    return str(wizard.run_page.status.text())


def save_report(wizard: ImportWizard, path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Click "Save problems as a copy of my file…", the file dialog answering ``path``."""
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(path), ""))
    page = wizard.check_page
    assert page.save_button.isEnabled()
    page.save_button.click()
    assert path.exists()
    return path


def french_lab_sheet(path: Path, lots: list[str]) -> Path:
    """A French laboratory's germination sheet: a title row, French headings, the second
    test's seeds not all counted (45 of 50)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Germination"
    sheet.append(["Laboratoire de semences : essais de germination, novembre 2026"])
    sheet.append(["Numéro de lot", "Date", "Graines semées", "Plantules normales",
                  "Graines mortes"])
    sheet.append([lots[0], TODAY, 50, 44, 6])
    sheet.append([lots[1], TODAY, 50, 40, 5])
    book.save(path)
    return path


def russian_list(path: Path) -> Path:
    """A course organiser's list saved as Excel 97 (.xls): a title row, Russian headings,
    one e-mail address cut short."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Участники")
    rows = [["Семинар «Национальные генбанки», Алматы, 2026"],
            ["Фамилия", "Имя", "Страна", "Организация", "Электронная почта"],
            ["Иванов", "Пётр", "KAZ", "НИИ земледелия", "petr@example.kz"],
            ["Садыкова", "Айгуль", "KAZ", "КазНИИЗиР", "aigul@"]]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def corrected(report: Path, path: Path, column: int, row: int, value: object) -> Path:
    """The person's correction of the problem report: one cell, saved as a new file."""
    book = openpyxl.load_workbook(report)
    book.worksheets[0].cell(row, column, value)
    book.save(path)
    return path


def problems_column(report: Path) -> dict[int, str]:
    """The PROBLEMS column of a saved report, by spreadsheet row."""
    sheet = openpyxl.load_workbook(report).worksheets[0]
    header = next(c.column for row in sheet.iter_rows() for c in row if c.value == "PROBLEMS")
    return {r: str(sheet.cell(r, header).value) for r in range(1, sheet.max_row + 1)
            if sheet.cell(r, header).value not in (None, "PROBLEMS")}


def test_the_same_wizard_opens_from_all_three_menus(qtbot: QtBot, window: MainWindow) -> None:
    """File > Import accessions, Conservation > Import tests and the training window's
    Import participant list open the same wizard, for passport data, tests (germination or
    moisture, chosen on the first page) and participants."""
    def opened() -> ImportWizard:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, ImportWizard) and w.isVisible()]
        assert len(found) == 1
        qtbot.addWidget(found[0])
        return found[0]

    window.import_action.trigger()
    passport = opened()
    assert passport.kinds == (headings.PASSPORT,)
    passport.reject()
    window.import_tests_action.trigger()
    tests = opened()
    assert tests.kinds == (headings.GERMINATION, headings.MOISTURE)
    assert tests.file_page.kind_combo.isVisibleTo(tests.file_page)
    tests.reject()
    window.training_action.trigger()
    training = window.training
    assert training is not None
    button = next(b for b in training.courses_tab.findChildren(QPushButton)
                  if b.text() == "&Import participant list…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    participants = opened()
    assert participants.kinds == (headings.PARTICIPANTS,)
    assert not participants.file_page.kind_combo.isVisibleTo(participants.file_page)
    assert type(passport) is type(tests) is type(participants) is ImportWizard
    participants.reject()


def test_a_genesys_download_goes_through_the_wizard(
        qtbot: QtBot, sqlite_database: db.Database, settings: Settings,
        tmp_path: Path) -> None:
    """The API's camelCase CSV: its columns matched (the Genesys extras too), checked,
    imported, all but the historic rows (no longer held)."""
    with sqlite_database.session_factory.begin() as session:
        own_institutes.set_own_instcodes(session, ["KAZ001"])
    wizard = ImportWizard(sqlite_database.session_factory, settings)
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    open_file(qtbot, wizard, api_csv(tmp_path / "genesys-wheat.csv"))
    mapping = wizard.mapping_page
    chosen = dict(zip(API_HEADINGS, (c.currentData() for c in mapping.combos), strict=True))
    assert chosen == {"instCode": "INSTCODE", "acceNumb": "ACCENUMB", "doi": "PUID",
                      "historic": "HISTORIC", "available": "AVAILABLE",
                      "fullTaxa": "FULLTAXA", "cropName": "CROPNAME", "sampStat": "SAMPSTAT",
                      "origCty": "ORIGCTY", "acqDate": "ACQDATE", "storage": "STORAGE"}
    assert mapping.message.text() == ""  # fullTaxa gives the genus of new accessions
    shots.docs_shot(wizard, "import-genesys-columns")
    shot(wizard, "passport-columns")
    checked(qtbot, wizard)
    shown = rows_shown(wizard)
    assert [r[2] for r in shown] == ["KZ-1", "KZ-2", "UZ-7", "UZ-9"]
    assert shown[0][3] == "Triticum aestivum"
    shot(wizard, "passport-check")
    status = imported(qtbot, wizard, skip_errors=True)
    shot(wizard, "passport-summary")
    assert status == ("Done: 4 created, 0 updated, 0 unchanged, 0 skipped, 2 historic not "
                      "imported. This summary is kept in File > Import log.")


def test_a_french_laboratory_sheet_shows_each_cells_problem_and_imports_back_corrected(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A germination sheet with a title row and French headings: the test whose seeds are
    not all counted is refused at its cell (row, column letter, field); the problems are
    saved as a copy of the sheet, which imports once the cell is corrected."""
    database = window.database
    lots = lot_numbers(database, 2)
    before = count(database, GerminationTest)
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    path = french_lab_sheet(tmp_path / "essais.xlsx", lots)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, path)
    assert wizard.file_page.kind_combo.currentData() == headings.GERMINATION  # the sheet's name
    shot(wizard, "tests-file")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=20000)
    assert wizard.top is not None and wizard.top.row_numbers[wizard.header_index] == 2
    assert wizard.mapping_page.current_mapping() == {0: "LOT", 1: "DATE", 2: "SOWN",
                                                     3: "NORMAL", 4: "DEAD"}
    assert not wizard.mapping_page.dates_row.isVisibleTo(wizard.mapping_page)  # passport only
    shot(wizard, "tests-columns")
    checked(qtbot, wizard)
    shown = rows_shown(wizard)
    assert shown[0][:4] == ["3", "ready", lots[0], TODAY.isoformat()]
    assert shown[1][:3] == ["4", "error", lots[1]]
    assert shown[1][4] == ("Seeds sown (C): normal seedlings 40 + dead seeds 5 = 45, but 50 "
                           "seeds were sown: every seed sown is counted in one category")
    page = wizard.check_page
    page.view.setCurrentIndex(page.model.index(1, 0))
    assert "Seed lot" in page.details.toPlainText()
    assert "Error Seeds sown (C)" in page.details.toPlainText()
    shots.docs_shot(wizard, "import-french-check")
    shot(wizard, "tests-check")
    report = save_report(wizard, tmp_path / "essais-problems.xlsx", monkeypatch)
    assert list(problems_column(report)) == [4]
    assert problems_column(report)[4].startswith("ERROR C (")  # the column, then the field
    assert "Nothing was imported" in imported(qtbot, wizard)  # import nothing: refused
    assert count(database, GerminationTest) == before
    wizard.reject()

    again = window.import_tests()
    qtbot.addWidget(again)
    open_file(qtbot, again, corrected(report, tmp_path / "essais-corrigé.xlsx", 4, 4, 45))
    checked(qtbot, again)
    assert [r[1] for r in rows_shown(again)] == ["ready", "ready"]
    assert imported(qtbot, again) == "Done: 2 tests imported."
    shot(again, "tests-summary")
    assert count(database, GerminationTest) == before + 2


def test_a_russian_participant_list_shows_each_cells_problem_and_imports_back_corrected(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An Excel 97 list with a Russian title and headings: the cut e-mail address is shown
    at its cell, the report is saved, and the corrected copy imports both people."""
    from ui.views.training_window import TrainingWindow

    training = TrainingWindow(sqlite_database.session_factory, str(tmp_path))
    qtbot.addWidget(training)
    wizard = training.courses_tab.import_list()
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    open_file(qtbot, wizard, russian_list(tmp_path / "участники.xls"))
    assert wizard.mapping_page.current_mapping() == {0: "last_name", 1: "first_name",
                                                     2: "country", 3: "institution",
                                                     4: "email"}
    shot(wizard, "participants-columns")
    checked(qtbot, wizard)
    shown = rows_shown(wizard)
    assert [r[:3] for r in shown] == [["3", "ready", "Пётр Иванов"],
                                      ["4", "error", "Айгуль Садыкова"]]
    assert shown[1][4].startswith("E-mail (E): "), shown[1][4]
    shot(wizard, "participants-check")
    report = save_report(wizard, tmp_path / "участники-problems.xlsx", monkeypatch)
    assert list(problems_column(report)) == [4]
    click(qtbot, wizard, NEXT)
    shot(wizard, "participants-options")
    wizard.reject()
    assert count(sqlite_database, Participant) == 0

    again = training.courses_tab.import_list()
    qtbot.addWidget(again)
    open_file(qtbot, again, corrected(report, tmp_path / "участники-исправлено.xlsx", 5, 4,
                                      "aigul@example.kz"))
    checked(qtbot, again)
    assert [r[1] for r in rows_shown(again)] == ["ready", "ready"]
    assert imported(qtbot, again) == "Done: 2 participants added."
    shot(again, "participants-summary")
    assert count(sqlite_database, Participant) == 2


@pytest.mark.parametrize("first_rows", [True, False])
def test_the_first_rows_option_shows_the_columns_before_the_whole_sheet_is_read(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        first_rows: bool) -> None:
    """A laboratory sheet of 400 rows: with the option, the columns page is ready while the
    rest is read (and the first rows are checked at once); without it, the page waits."""
    lot = lot_numbers(window.database, 1)[0]
    book = openpyxl.Workbook()
    book.active.title = "Germination"
    book.active.append(["Lot no.", "Date tested", "Seeds sown", "Normal seedlings", "Dead"])
    for day in range(400):
        book.active.append([lot, TODAY - dt.timedelta(days=day + 1), 50, 44, 6])
    book.save(tmp_path / "lab.xlsx")
    release = threading.Event()
    real = spreadsheet.read_sheet

    def slow_whole_read(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("first_rows") is None:
            release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(spreadsheet, "read_sheet", slow_whole_read)
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, tmp_path / "lab.xlsx")
    wizard.file_page.first_rows.setChecked(first_rows)
    click(qtbot, wizard, NEXT)
    mapping = wizard.mapping_page
    if first_rows:
        qtbot.waitUntil(mapping.isComplete, timeout=10000)
        assert wizard.sheet is None  # the whole sheet is still being read
        assert "reading the rest of the sheet" in mapping.header_label.text()
        click(qtbot, wizard, NEXT)
        assert wizard.check_page.model.rowCount() == FIRST_ROWS - 1  # the headings are one
        assert wizard.report is None
    else:
        qtbot.wait(300)
        assert not mapping.isComplete() and not mapping.combos
    release.set()
    if not first_rows:
        qtbot.waitUntil(mapping.isComplete, timeout=10000)
        click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=20000)
    assert wizard.check_page.model.rowCount() == 400
    wizard.reject()


def test_cancel_while_checking_leaves_the_database_as_it_was(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel while the participant list is checked: the check stops, nothing is written,
    and the wizard says so."""
    started = threading.Event()
    real = participant_import.preview_participants

    def slow_check(*args: Any, progress: Progress, **kwargs: Any) -> Any:
        started.set()
        for _ in range(1000):  # ten seconds at most
            if progress.cancelled():
                break
            threading.Event().wait(0.01)
        check(progress)
        return real(*args, progress=progress, **kwargs)

    monkeypatch.setattr(participant_import, "preview_participants", slow_check)
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.file_page.first_rows.setChecked(False)
    open_file(qtbot, wizard, russian_list(tmp_path / "list.xls"))
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(started.is_set, timeout=10000)
    click(qtbot, wizard, CANCEL)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=10000)
    assert wizard.isVisible() and wizard.report is None
    assert wizard.check_page.counts.text().startswith("Checking stopped: no row was checked")
    assert not wizard.button(NEXT).isEnabled()
    assert count(sqlite_database, Participant) == 0
    click(qtbot, wizard, CANCEL)
    assert not wizard.isVisible()


def test_cancel_while_importing_tests_leaves_the_database_as_it_was(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel while the tests are written (after the first is written, not committed):
    nothing is kept; then Finish closes."""
    database = window.database
    before = count(database, GerminationTest)
    started, release = threading.Event(), threading.Event()
    real = test_import.import_tests

    def slow_import(session: Any, preview: Any, *, progress: Progress, **options: Any) -> Any:
        result = real(session, preview, progress=progress, **options)  # written
        started.set()
        release.wait(10)
        check(progress)
        return result

    monkeypatch.setattr(test_import, "import_tests", slow_import)
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    lots = lot_numbers(database, 2)
    open_file(qtbot, wizard, french_lab_sheet(tmp_path / "essais.xlsx", lots))
    checked(qtbot, wizard)
    click(qtbot, wizard, NEXT)
    wizard.options_page.errors.buttons()[1].setChecked(True)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(started.is_set, timeout=10000)
    click(qtbot, wizard, CANCEL)
    release.set()
    qtbot.waitUntil(lambda: wizard.run_page.done, timeout=10000)
    assert wizard.run_page.status.text().startswith("Cancelled. Nothing was imported")
    assert count(database, GerminationTest) == before
    click(qtbot, wizard, FINISH)
    assert wizard.result() == QWizard.DialogCode.Accepted


@pytest.fixture
def right_to_left() -> Any:
    """An Arabic-style window: right to left, as the app sets itself in ar_JO."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_an_arabic_list_goes_through_every_page_right_to_left(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path,
        right_to_left: None) -> None:
    """An Arabic participant list with a title row, in a right-to-left window: its
    headings matched, the unknown country shown at its cell, the valid person imported
    (each page saved for a person to look at)."""
    book = openpyxl.Workbook()
    book.active.title = "المشاركون"
    for row in (["ورشة عمل حول بنوك الجينات، عمّان ٢٠٢٦"],
                ["الاسم الكامل", "البلد", "البريد الإلكتروني", "الهاتف"],
                ["فاطمة حداد", "LBN", "fatima@example.org", "+961 3 123 456"],
                ["يوسف العلي", "أتلانتس", "yousef@example.org", "+962 7 9876 543"]):
        book.active.append(row)
    book.save(tmp_path / "قائمة.xlsx")
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    wizard.show()
    wizard.file_page.path_edit.setText(str(tmp_path / "قائمة.xlsx"))
    wizard.file_page.load_sheets()
    assert wizard.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shot(wizard, "ar-file")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=20000)
    assert wizard.mapping_page.current_mapping() == {0: "full_name", 1: "country", 2: "email",
                                                     3: "phone"}
    shot(wizard, "ar-columns")
    checked(qtbot, wizard)
    shown = rows_shown(wizard)
    assert [r[:3] for r in shown] == [["3", "ready", "فاطمة حداد"], ["4", "error", "يوسف العلي"]]
    assert shown[1][4].startswith("Country (B): "), shown[1][4]
    wizard.check_page.view.setCurrentIndex(wizard.check_page.model.index(1, 0))
    shot(wizard, "ar-check")
    assert imported(qtbot, wizard, skip_errors=True) == \
        "Done: 1 participant added, 1 row with errors skipped."
    shot(wizard, "ar-summary")
    assert count(sqlite_database, Participant) == 1
