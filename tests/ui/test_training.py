"""The training window as a trainer uses it: a course, its people, attendance ticked day by
day, completion, certificates printed; a participant list imported; duplicates merged;
a person erased; the reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.training import courses, participants
from tests.ui.waiting import done, settled
from ui.settings import Settings
from ui.views.training_window import TrainingWindow

START = dt.date(2026, 5, 11)


@pytest.fixture
def training(qtbot: QtBot, tmp_path: Path) -> TrainingWindow:
    database = db.open_database(db.sqlite_url(tmp_path / "training.sqlite"), user="trainer")
    with database.session_factory.begin() as session:
        courses.add_programme(session, name="Development of National Gene Banks",
                              sponsor="Islamic Organization for Food Security")
        for name, country, email in (("Aigerim Nurlanova", "KAZ", "aigerim@example.org"),
                                     ("Moussa Diallo", "SEN", "moussa@example.org")):
            participants.save_participant(session, full_name=name, country=country,
                                          email=email, gender="unstated")
    window = TrainingWindow(database.session_factory, str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    yield window
    database.close()


def written(qtbot: QtBot, started: Any) -> Path:
    """The file an export started through ui.operations wrote, once it has."""
    assert done(qtbot, started)
    return started.result


def test_a_course_from_creation_to_printed_certificates(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path,
        message_boxes: list[str], settings: Settings) -> None:
    tab = training.courses_tab
    dialog = tab.new_course()
    qtbot.keyClicks(dialog.title_edit, "Gene Bank Management")
    qtbot.keyClicks(dialog.host_name, "Kazakh gene bank")
    qtbot.keyClicks(dialog.city, "Almaty")
    qtbot.keyClicks(dialog.country, "KAZ")
    dialog.start_on.setDate(QDate(START))
    dialog.end_on.setDate(QDate(START).addDays(-1))
    assert not done(qtbot, dialog.save())
    assert "ends (2026-05-10) before it starts (2026-05-11)" in dialog.error.text()
    dialog.end_on.setDate(QDate(START).addDays(2))  # three days
    assert done(qtbot, dialog.save())
    view = tab.course_view
    assert view.course_id == dialog.saved_id
    assert "Gene Bank Management" in view.heading.text()

    enrol = view.enrol()
    enrol.results.selectAll()
    enrolling = enrol.enrol_selected()
    assert done(qtbot, enrolling) and enrolling.result[0] == 2
    enrol.accept()
    assert view.table.rowCount() == 2
    assert view.table.horizontalHeaderItem(4).text() == "Mon\n11 May"
    first = view.roster[0]
    assert first.full_name == "Aigerim Nurlanova"
    status = view.table.cellWidget(0, 3)
    status.setCurrentIndex(status.findData("completed"))  # no attendance yet: refused
    settled(qtbot)
    assert message_boxes[-1].startswith(  # capitalised where shown
        "Completed needs 80 % of the 3 course days attended; 0 recorded")
    assert view.table.cellWidget(0, 3).currentData() == "nominated"
    for day in range(3):
        view.table.item(0, 4 + day).setCheckState(Qt.CheckState.Checked)
        settled(qtbot)
    view.table.cellWidget(0, 3).setCurrentIndex(
        view.table.cellWidget(0, 3).findData("completed"))
    settled(qtbot)
    assert view.roster[0].status == "completed" and view.roster[0].days_present == 3
    training.grab().save(str(tmp_path / "course-view.png"))

    issuing = view.issue_certificates()
    assert done(qtbot, issuing) and len(issuing.result) == 1
    number = view.roster[0].certificate
    assert number.startswith("GB-")
    task = view.print_certificates(tmp_path / "certificates")
    assert done(qtbot, task)
    pdf = pypdf.PdfReader(tmp_path / "certificates" / f"{number}.pdf")
    assert len(pdf.pages) == 1 and "Aigerim Nurlanova" in pdf.pages[0].extract_text()

    sheet = openpyxl.load_workbook(written(qtbot, view.save_attendance_sheet(
        tmp_path / "attendance.xlsx"))).active
    assert [c.value for c in sheet[5]][:5] == [1, "Aigerim Nurlanova", "Kazakhstan", None, "✓"]
    plain = openpyxl.load_workbook(written(qtbot, view.save_participant_list(
        tmp_path / "list.xlsx"))).active
    assert "E-mail" not in [c.value for c in plain[3]]
    view.contacts.setChecked(True)
    with_contacts = openpyxl.load_workbook(
        written(qtbot, view.save_participant_list(tmp_path / "list2.xlsx"))).active
    assert "E-mail" in [c.value for c in with_contacts[3]]

    programme = tab.edit_programme()
    programme.attendance.setValue(100)
    programme.prefix.setText("IOFS")
    assert done(qtbot, programme.save())
    status = view.table.cellWidget(1, 3)
    view.table.item(1, 4).setCheckState(Qt.CheckState.Checked)
    settled(qtbot)
    view.table.item(1, 5).setCheckState(Qt.CheckState.Checked)
    settled(qtbot)
    status.setCurrentIndex(status.findData("completed"))  # 2 of 3 days: below 100 %
    settled(qtbot)
    assert message_boxes[-1].startswith(
        "Completed needs 100 % of the 3 course days attended; 2 recorded")

    training.tabs.setCurrentWidget(training.certificates_tab)
    assert training.certificates_tab.table.item(0, 0).text() == number
    training.tabs.setCurrentWidget(training.reports_tab)
    reports = training.reports_tab
    reports.start.setDate(QDate(2026, 1, 1))
    reports.end.setDate(QDate(2026, 12, 31))
    settled(qtbot)  # the report is read in the background
    assert "2 people trained, 1 completed (50%)" in reports.totals.text()
    assert reports.table.rowCount() == 2 and reports.chart.bars
    assert reports.institutions.rowCount() == 0  # nobody gave an institution
    workbook = openpyxl.load_workbook(written(qtbot, reports.export(tmp_path / "report.xlsx")))
    assert workbook.sheetnames == ["Summary", "By course", "By country", "By gender",
                                   "By institution", "Institutions per country"]
    training.grab().save(str(tmp_path / "reports.png"))


def test_participants_duplicates_merge_and_erasure(qtbot: QtBot, training: TrainingWindow,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    tab = training.participants_tab
    training.tabs.setCurrentWidget(tab)
    new = tab.new()
    qtbot.keyClicks(new.edits["full_name"], "Nurlanova Aigerim")
    qtbot.keyClicks(new.country, "Kazakhstan")
    new.check_duplicates()
    assert "Looks already recorded: Aigerim Nurlanova (similar name (100 %)" \
        in new.duplicate.text()
    qtbot.keyClicks(new.edits["email"], "not-an-address")
    assert not done(qtbot, new.save()) and "is not a valid address" in new.error.text()
    new.edits["email"].clear()
    assert done(qtbot, new.save())
    assert tab.table.rowCount() == 3

    duplicates = tab.duplicates()
    settled(qtbot)  # every participant compared, in the background
    assert duplicates.table.rowCount() == 1
    duplicates.table.selectRow(0)
    assert done(qtbot, duplicates.merge_selected())
    settled(qtbot)
    assert duplicates.table.rowCount() == 0
    duplicates.accept()
    assert tab.table.rowCount() == 2

    qtbot.keyClicks(tab.search, "moussa")
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    tab.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert done(qtbot, tab.erase())
    assert tab.table.rowCount() == 0  # erased people are not found any more


def test_import_a_participant_list_into_a_course(qtbot: QtBot, training: TrainingWindow,
                                                 tmp_path: Path) -> None:
    with training.session_factory.begin() as session:
        programme = courses.programmes(session)[0][0]
        course = courses.save_course(session, programme_id=programme, title="Seed testing",
                                     start_on=START, end_on=START + dt.timedelta(days=2))
    tab = training.courses_tab
    tab.select_course(course)
    book = openpyxl.Workbook()
    for row in (["Surname", "First name", "Sex", "Country", "Organisation", "E-mail"],
                ["Diallo", "Moussa", "M", "Senegal", "ISRA", "moussa@example.org"],
                ["Haddad", "Fatima", "F", "Lebanon", "LARI", "fatima@example.org"],
                ["Traoré", "Aminata", "F", "Mali", "IER", "aminata@"]):
        book.active.append(row)
    book.save(tmp_path / "list.xlsx")
    wizard = tab.import_list()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(tmp_path / "list.xlsx"))
    wizard.file_page.load_sheets()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=10000)
    wizard.next()
    page = wizard.check_page
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert page.counts.text() == ("3 people: 2 ready, 1 with errors, 1 likely already "
                                  "recorded")
    wizard.next()
    options = wizard.options_page
    assert wizard.currentPage() is options
    options.errors.buttons()[1].setChecked(True)  # skip the rows with errors
    enrol = wizard.view.enrol
    assert enrol.isChecked() and "Seed testing" in enrol.text()
    wizard.grab().save(str(tmp_path / "participant-import.png"))
    wizard.next()
    qtbot.waitUntil(wizard.run_page.isComplete, timeout=10000)
    assert wizard.outcome is not None
    assert wizard.outcome.line() == ("1 participant added, 1 already recorded (not added "
                                    "again), 1 row with errors skipped; 2 enrolled in the "
                                    "course")
    tab.course_view.reload()
    assert sorted(r.full_name for r in tab.course_view.roster) == ["Fatima Haddad",
                                                                  "Moussa Diallo"]


def test_issue_certificates_says_why_before_the_course_s_last_day(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path,
        message_boxes: list[str]) -> None:
    """A course that ends tomorrow: tomorrow's attendance and its certificates are refused,
    each with its reason as a capitalised sentence (certificates from the day after the last
    day), and nothing is issued."""
    today = QDate.currentDate()
    tab = training.courses_tab
    dialog = tab.new_course()
    qtbot.keyClicks(dialog.title_edit, "Seed viability testing")
    qtbot.keyClicks(dialog.host_name, "ISRA gene bank")
    qtbot.keyClicks(dialog.city, "Dakar")
    dialog.start_on.setDate(today.addDays(-4))
    dialog.end_on.setDate(today.addDays(1))  # six days, the last tomorrow
    assert done(qtbot, dialog.save())
    view = tab.course_view
    enrol = view.enrol()
    enrol.results.selectAll()
    enrolling = enrol.enrol_selected()
    assert done(qtbot, enrolling) and enrolling.result[0] == 2
    enrol.accept()
    view.table.item(0, 4 + 5).setCheckState(Qt.CheckState.Checked)  # tomorrow
    settled(qtbot)
    assert message_boxes[-1].startswith(  # a sentence, as the other windows show refusals
        f"The attendance date {today.addDays(1).toString('yyyy-MM-dd')} is after today")
    assert view.roster[0].days_present == 0
    for day in range(5):  # the five days that have come: 83 %
        view.table.item(0, 4 + day).setCheckState(Qt.CheckState.Checked)
        settled(qtbot)
    view.table.cellWidget(0, 3).setCurrentIndex(
        view.table.cellWidget(0, 3).findData("completed"))
    settled(qtbot)
    assert view.roster[0].status == "completed"
    assert not done(qtbot, view.issue_certificates())
    assert message_boxes[-1] == (
        f"'Seed viability testing' ends on {today.addDays(1).toString('yyyy-MM-dd')}: its "
        f"certificates can be issued from {today.addDays(2).toString('yyyy-MM-dd')} (the day "
        f"after its last day) on, not on {today.toString('yyyy-MM-dd')}")
    assert view.roster[0].certificate == ""
