"""A failed import is not a dead end: the wizard says what went wrong and that nothing was
kept, then Try again writes the same rows with the same choices (judged again as they are
written) and Back returns to the choices; neither means choosing the file again."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from genebank import db, transactions
from genebank.conservation import test_import
from genebank.training import courses, participant_import
from tests.genebank.mcpd_files import write_mcpd_csv
from tests.genebank.test_atomic_writes import counts, page_limit, prepared
from tests.ui import shots
from tests.ui.test_wizard_summary_buttons import NEXT, click, type_path
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views.training_window import TrainingWindow

BACK, CANCEL, FINISH, TRY_AGAIN = (
    QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton,
    QWizard.WizardButton.FinishButton, QWizard.WizardButton.CustomButton1)
SHOTS = shots.folder("import_retry")
START = dt.date(2026, 5, 11)


def shown(wizard: QWizard, which: QWizard.WizardButton) -> bool:
    button = wizard.button(which)
    return button.isVisible() and button.isEnabled()


def to_the_import(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    """Choose ``path`` and go through the pages as a person does, up to the choices."""
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, path)
    for page in (wizard.mapping_page, wizard.check_page, wizard.options_page):
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=20000)


def failed_page(qtbot: QtBot, wizard: QWizard, shot: str) -> str:
    """Wait for the import to fail; check the page offers Try again, Back and Cancel (not
    Finish); save a screenshot; return the page's words."""
    run = wizard.run_page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: run.done, timeout=60000)
    qtbot.waitUntil(lambda: shown(wizard, TRY_AGAIN) and shown(wizard, BACK), timeout=2000)
    assert wizard.button(TRY_AGAIN).text() == "&Try again"
    assert shown(wizard, CANCEL) and not shown(wizard, FINISH)
    SHOTS.mkdir(exist_ok=True)
    wizard.grab().save(str(SHOTS / f"{shot}.png"))
    return str(run.status.text())


def succeeded(qtbot: QtBot, wizard: QWizard) -> None:
    """Wait for the import to end well: Finish only, no Try again, Back or Cancel."""
    run = wizard.run_page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: run.isComplete(), timeout=60000)
    qtbot.waitUntil(lambda: shown(wizard, FINISH))
    assert not any(wizard.button(b).isVisible() for b in (TRY_AGAIN, BACK, CANCEL))


@contextmanager
def another_workstation_writing(database: db.Database) -> Iterator[None]:
    """Another connection holds the accessions (PostgreSQL) or the write lock (SQLite)
    until the block ends, as a colleague's long import does."""
    if database.engine.dialect.name == "sqlite":
        other = sqlite3.connect(database.engine.url.database or "", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with database.engine.connect() as connection:
        connection.exec_driver_sql("LOCK TABLE accession IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            connection.rollback()


def test_try_again_after_the_database_stayed_busy_imports_every_row_once(
        qtbot: QtBot, database: db.Database, settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another workstation keeps the database busy through every attempt of the import:
    the page says so and that nothing was imported, with Try again and Back; once the
    other work is over, Try again imports every row exactly once, with no further choice."""
    before = prepared(database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 300, prefix="M")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)  # SQLite: each attempt waits 0.1 s
    monkeypatch.setattr(transactions, "BUSY_TIMEOUT_MS", 100)  # PostgreSQL: likewise
    database.engine.dispose()  # the wizard's connections open with the short wait
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    to_the_import(qtbot, wizard, path)
    with another_workstation_writing(database):
        click(qtbot, wizard, NEXT)
        status = failed_page(qtbot, wizard, f"busy-{database.engine.dialect.name}")
    busy = ("another program or Genebank window using this file kept the database busy"
            if database.is_sqlite else "the database stayed busy with another workstation's work")
    assert status.startswith(f"Nothing was imported: {busy}"), status
    assert status.endswith("\n\nTry again to import the same rows with the same choices "
                           "(each row is checked again as it is written), or go Back to "
                           "change your choices."), status
    assert counts(database) == before

    click(qtbot, wizard, TRY_AGAIN)
    succeeded(qtbot, wizard)
    assert wizard.run_page.status.text().startswith("Done: 300 created, 0 updated"), \
        wizard.run_page.status.text()
    after = counts(database)
    assert after["accession"] == before["accession"] + 300
    assert after["import_log"] == before["import_log"] + 1
    assert after["accession_remark"] == before["accession_remark"] + 300
    wizard.grab().save(str(SHOTS / f"busy-then-done-{database.engine.dialect.name}.png"))
    click(qtbot, wizard, FINISH)
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_try_again_after_a_full_disk_imports_every_row_once(
        qtbot: QtBot, sqlite_database: db.Database, settings: Settings,
        tmp_path: Path) -> None:
    """The disk fills up during the import (SQLite's max_page_count): the page says so, the
    database holds what it held; with room again, Try again imports the file whole."""
    database = sqlite_database
    before = prepared(database, tmp_path)
    path = write_mcpd_csv(tmp_path / "mission.csv", 3000, prefix="M")
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    to_the_import(qtbot, wizard, path)
    with database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    database.engine.dispose()  # the import's connection opens under the limit
    with page_limit(pages + 60):
        click(qtbot, wizard, NEXT)
        status = failed_page(qtbot, wizard, "disk-full")
    assert status.startswith("Nothing was imported: the disk holding"), status
    assert counts(database) == before

    database.engine.dispose()  # space freed: connections grow the file again
    click(qtbot, wizard, TRY_AGAIN)
    succeeded(qtbot, wizard)
    after = counts(database)
    assert after["accession"] == before["accession"] + 3000
    assert after["import_log"] == before["import_log"] + 1


def test_back_after_a_refused_import_changes_the_choice_and_imports(
        qtbot: QtBot, sqlite_database: db.Database, settings: Settings,
        tmp_path: Path) -> None:
    """"Stop: import nothing" when accessions exist refuses the import: the page says why,
    and Back returns to the choices (nothing read or checked again); skipping them then
    imports the new rows only."""
    database = sqlite_database
    before = prepared(database, tmp_path)  # E-0000000 to E-0000007 are stored
    path = write_mcpd_csv(tmp_path / "more.csv", 20, prefix="E")
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    to_the_import(qtbot, wizard, path)
    checked = wizard.preview
    wizard.options_page.existing.buttons()[2].setChecked(True)  # Stop: import nothing
    click(qtbot, wizard, NEXT)
    status = failed_page(qtbot, wizard, "refused")
    assert status.startswith("Nothing was imported: 8 accession(s) exist already"), status
    assert counts(database) == before

    click(qtbot, wizard, BACK)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.options_page)
    assert wizard.preview is checked and not wizard.button(TRY_AGAIN).isVisible()
    wizard.options_page.existing.buttons()[0].setChecked(True)  # skip them
    click(qtbot, wizard, NEXT)
    succeeded(qtbot, wizard)
    assert wizard.run_page.status.text().startswith("Done: 12 created, 0 updated, "
                                                    "0 unchanged, 8 skipped")
    assert counts(database)["accession"] == before["accession"] + 12


def test_try_again_in_the_participant_import_adds_each_person_once(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The participant list's import fails after writing its people (the transaction is
    then rolled back): the page offers Try again, which adds and enrols each person once."""
    database = db.open_database(db.sqlite_url(tmp_path / "training.sqlite"), user="trainer")
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Development of National Gene Banks",
                                          sponsor="IOFS")
        course = courses.save_course(session, programme_id=programme, title="Seed testing",
                                     start_on=START, end_on=START + dt.timedelta(days=2))
    before = counts(database)
    training = TrainingWindow(database.session_factory, str(tmp_path))
    qtbot.addWidget(training)
    training.show()
    training.courses_tab.select_course(course)
    book = openpyxl.Workbook()
    for row in (["Surname", "First name", "Sex", "Country", "Organisation", "E-mail"],
                ["Diallo", "Moussa", "M", "Senegal", "ISRA", "moussa@example.org"],
                ["Haddad", "Fatima", "F", "Lebanon", "LARI", "fatima@example.org"]):
        book.active.append(row)
    book.save(tmp_path / "list.xlsx")
    real = participant_import.import_participants
    calls: list[int] = []

    def busy_the_first_time(session: Any, preview: Any, **options: Any) -> Any:
        result = real(session, preview, **options)  # written, but not committed
        calls.append(1)
        if len(calls) == 1:
            raise transactions.DatabaseBusy(operation="Import participant list", attempts=4,
                                            seconds=21)
        return result

    monkeypatch.setattr(participant_import, "import_participants", busy_the_first_time)
    wizard = training.courses_tab.import_list()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, tmp_path / "list.xlsx")
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10000)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    click(qtbot, wizard, NEXT)
    assert wizard.currentPage() is wizard.options_page and wizard.view.enrol.isChecked()
    click(qtbot, wizard, NEXT)
    status = failed_page(qtbot, wizard, "participants-busy")
    assert status.startswith("Nothing was imported: the database stayed busy with another "
                             "workstation's work for 21 s (4 attempts)"), status
    assert status.endswith("\n\nTry again to import the same rows with the same choices, or "
                           "go Back to change your choices."), status
    assert counts(database) == before

    click(qtbot, wizard, TRY_AGAIN)
    succeeded(qtbot, wizard)
    assert wizard.outcome.line() == "2 participants added; 2 enrolled in the course"
    after = counts(database)
    assert after["participant"] == before["participant"] + 2
    assert after["enrolment"] == before["enrolment"] + 2
    assert len(calls) == 2
    training.close()
    database.close()



def test_cancel_after_a_failed_import_closes_the_wizard_with_nothing_imported(
        qtbot: QtBot, sqlite_database: db.Database, settings: Settings,
        tmp_path: Path) -> None:
    """After a failure, Cancel closes the wizard (Finish would claim an import that did
    not happen), and the database holds what it held."""
    database = sqlite_database
    before = prepared(database, tmp_path)
    wizard = ImportWizard(database.session_factory, settings)
    qtbot.addWidget(wizard)
    to_the_import(qtbot, wizard, write_mcpd_csv(tmp_path / "more.csv", 20, prefix="E"))
    wizard.options_page.existing.buttons()[2].setChecked(True)  # Stop: import nothing
    click(qtbot, wizard, NEXT)
    failed_page(qtbot, wizard, "refused-then-cancel")
    click(qtbot, wizard, CANCEL)
    assert not wizard.isVisible() and wizard.result() == QWizard.DialogCode.Rejected
    assert counts(database) == before


def test_back_then_next_after_a_failed_test_import_imports_each_test_once(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The laboratory's germination sheet fails to import once (after its tests were
    written, then rolled back): Back returns to the choices (the checked rows kept), Next
    imports again, and the test is recorded once."""
    with window.database.engine.connect() as connection:
        lot = connection.exec_driver_sql(
            "SELECT lot_number FROM seed_lot ORDER BY id LIMIT 1").scalar_one()
    book = openpyxl.Workbook()
    book.active.append(["Lot no.", "Date tested", "Seeds sown", "Normal seedlings", "Dead"])
    book.active.append([lot, QDate.currentDate().toPython(), 50, 44, 6])
    book.save(tmp_path / "lab.xlsx")
    before = counts(window.database)
    real = test_import.import_tests
    calls: list[int] = []

    def busy_the_first_time(session: Any, preview: Any, **options: Any) -> Any:
        result = real(session, preview, **options)
        calls.append(1)
        if len(calls) == 1:
            raise transactions.DatabaseBusy(operation="Import tests", attempts=4, seconds=9)
        return result

    monkeypatch.setattr(test_import, "import_tests", busy_the_first_time)
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    wizard.show()
    type_path(qtbot, wizard, wizard.file_page.path_edit, tmp_path / "lab.xlsx")
    for page in (wizard.mapping_page, wizard.check_page):
        click(qtbot, wizard, NEXT)
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=10000)
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    checked = wizard.preview
    click(qtbot, wizard, NEXT)  # the choices
    click(qtbot, wizard, NEXT)
    status = failed_page(qtbot, wizard, "tests-busy")
    assert status.startswith("Nothing was imported: the database stayed busy"), status
    assert counts(window.database) == before

    click(qtbot, wizard, BACK)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.options_page)
    assert wizard.preview is checked
    click(qtbot, wizard, NEXT)
    succeeded(qtbot, wizard)
    assert wizard.run_page.status.text() == "Done: 1 test imported."
    after = counts(window.database)
    assert after["germination_test"] == before["germination_test"] + 1
    assert len(calls) == 2
