"""The training window's lists and the course panel: the panel shows the highlighted course
after a search, a new course or a search with no match, and enrolment, attendance,
certificates, Open and Erase land on the highlighted record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.training import certificates, courses, enrolments, participants
from tests.ui.waiting import done, settled
from ui.views.training_window import TrainingWindow

START = dt.date(2026, 5, 11)


def highlighted_id(table: QTableWidget) -> int | None:
    """The record id of the row the user sees highlighted (None: none is)."""
    rows = table.selectionModel().selectedRows()
    return table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if rows else None


@pytest.fixture
def training(qtbot: QtBot, tmp_path: Path) -> Iterator[TrainingWindow]:
    """Three past courses (newest first: seed viability, field collecting, gene bank
    management), Aigerim enrolled in each, and a certificate-ready enrolment in the middle."""
    database = db.open_database(db.sqlite_url(tmp_path / "training.sqlite"), user="trainer")
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Development of National Gene Banks")
        people = [participants.save_participant(session, full_name=name, country=country,
                                                gender="unstated")
                  for name, country in (("Aigerim Nurlanova", "KAZ"), ("Amina Haddad", "LBN"),
                                        ("Ahmed Benali", "MAR"), ("Moussa Diallo", "SEN"))]
        for title, start, days in (("Gene bank management", START - dt.timedelta(days=60), 3),
                                   ("Field collecting", START - dt.timedelta(days=30), 1),
                                   ("Seed viability", START, 2)):
            course = courses.save_course(session, programme_id=programme, title=title,
                                         start_on=start,
                                         end_on=start + dt.timedelta(days=days - 1))
            enrolment = enrolments.enrol(session, course_id=course, participant_id=people[0])
            if title == "Field collecting":
                enrolments.set_attendance(session, enrolment, start, True)
                enrolments.set_status(session, enrolment, "completed")
    window = TrainingWindow(database.session_factory, str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    yield window
    database.close()


def course_id(window: TrainingWindow, title: str) -> int:
    with window.session_factory() as session:
        return next(r.id for r in courses.find_courses(session) if r.title == title)


def search(qtbot: QtBot, tab: object, text: str, rows: int) -> None:
    """Type ``text`` into the tab's search box as a person does and wait for the list."""
    tab.search.clear()
    qtbot.keyClicks(tab.search, text)
    qtbot.waitUntil(lambda: tab.table.rowCount() == rows and not tab._timer.isActive())


def test_a_search_hiding_the_highlighted_course_shows_and_acts_on_the_first_match(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path) -> None:
    """Search hides the highlighted course: the match is highlighted, shown and acted on."""
    tab = training.courses_tab
    assert highlighted_id(tab.table) == tab.course_view.course_id == course_id(
        training, "Seed viability")
    search(qtbot, tab, "field", rows=1)
    field = course_id(training, "Field collecting")
    assert highlighted_id(tab.table) == field
    assert tab.course_view.course_id == field
    assert "Field collecting" in tab.course_view.heading.text()
    training.grab().save(str(tmp_path / "training-after-search.png"))

    enrol = tab.course_view.enrol()
    assert enrol.course_id == field
    enrol.reject()
    issuing = tab.course_view.issue_certificates()
    assert done(qtbot, issuing) and len(issuing.result) == 1
    with training.session_factory() as session:
        assert [r.course_title for r in certificates.register(session)] == ["Field collecting"]

    search(qtbot, tab, "management", rows=1)
    management = course_id(training, "Gene bank management")
    assert highlighted_id(tab.table) == tab.course_view.course_id == management
    tab.course_view.table.item(0, 5).setCheckState(Qt.CheckState.Checked)  # the second day
    settled(qtbot)
    with training.session_factory() as session:
        assert list(enrolments.attendance(session, management).values()) == [
            {START - dt.timedelta(days=59)}]


def test_a_new_course_is_highlighted_shown_and_enrolled_in(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path) -> None:
    """A course just created is highlighted and in the panel; Enrol adds people to it."""
    tab = training.courses_tab
    search(qtbot, tab, "field", rows=1)  # row 0 highlighted, as the new course will be
    dialog = tab.new_course()
    qtbot.keyClicks(dialog.title_edit, "Seed health")
    qtbot.keyClicks(dialog.city, "Rabat")
    dialog.start_on.setDate(QDate(START).addDays(10))
    dialog.end_on.setDate(QDate(START).addDays(11))
    assert done(qtbot, dialog.save())
    qtbot.waitUntil(lambda: not tab._timer.isActive())
    assert tab.search.text() == "" and tab.table.rowCount() == 4
    assert highlighted_id(tab.table) == tab.course_view.course_id == dialog.saved_id
    assert "Seed health" in tab.course_view.heading.text()

    enrol = tab.course_view.enrol()
    qtbot.keyClicks(enrol.search, "moussa")
    qtbot.waitUntil(lambda: enrol.results.count() == 1)
    enrol.results.selectAll()
    enrolling = enrol.enrol_selected()
    assert done(qtbot, enrolling) and enrolling.result[0] == 1
    enrol.accept()
    with training.session_factory() as session:
        assert [r.full_name for r in enrolments.course_roster(session, dialog.saved_id)] \
            == ["Moussa Diallo"]
    training.grab().save(str(tmp_path / "training-after-create.png"))


def test_with_no_match_the_panel_is_empty_and_its_actions_are_off(
        qtbot: QtBot, training: TrainingWindow) -> None:
    """No course matches: nothing highlighted, an empty panel, its buttons disabled."""
    tab = training.courses_tab
    search(qtbot, tab, "zzz", rows=0)
    assert highlighted_id(tab.table) is None and tab.course_view.course_id is None
    assert not any(button.isEnabled() for button in tab.course_view.buttons)
    assert not done(qtbot, tab.course_view.issue_certificates())
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 3)
    assert highlighted_id(tab.table) == tab.course_view.course_id == course_id(
        training, "Seed viability")


def test_deselecting_the_course_empties_the_panel(qtbot: QtBot,
                                                   training: TrainingWindow) -> None:
    """Ctrl+click on the highlighted course unhighlights it, and the panel follows."""
    tab = training.courses_tab
    rect = tab.table.visualRect(tab.table.model().index(0, 2))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, rect.center())
    assert highlighted_id(tab.table) is None
    assert tab.course_view.course_id is None
    assert tab.edit_programme() is None


def test_a_new_participant_is_highlighted_and_opened(qtbot: QtBot,
                                                     training: TrainingWindow) -> None:
    """A person just added is the highlighted one, and Open opens them."""
    tab = training.participants_tab
    training.tabs.setCurrentWidget(tab)
    dialog = tab.new()
    qtbot.keyClicks(dialog.edits["full_name"], "Zainab Al-Khatib")
    qtbot.keyClicks(dialog.country, "JOR")
    assert done(qtbot, dialog.save())
    assert highlighted_id(tab.table) == dialog.saved_id
    opened = tab.edit()
    assert opened is not None and opened.participant_id == dialog.saved_id
    opened.reject()


def test_erasing_under_a_search_highlights_the_next_person(
        qtbot: QtBot, training: TrainingWindow, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """An erased person leaves the search's list: the next one is highlighted and opened."""
    tab = training.participants_tab
    training.tabs.setCurrentWidget(tab)
    search(qtbot, tab, "a", rows=3)  # Ahmed, Aigerim, Amina
    names = [tab.table.item(row, 0).text() for row in range(3)]
    assert names == ["Ahmed Benali", "Aigerim Nurlanova", "Amina Haddad"]
    tab.table.selectRow(1)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert done(qtbot, tab.erase())
    assert tab.table.rowCount() == 2
    amina = tab.table.item(1, 0).data(Qt.ItemDataRole.UserRole)
    assert highlighted_id(tab.table) == amina
    training.grab().save(str(tmp_path / "training-after-erase.png"))
    opened = tab.edit()
    assert opened is not None and opened.participant_id == amina
    opened.reject()


def test_the_participant_actions_are_off_when_no_one_is_highlighted(
        qtbot: QtBot, training: TrainingWindow) -> None:
    """With nobody highlighted, Open and Erase are disabled and do nothing."""
    tab = training.participants_tab
    training.tabs.setCurrentWidget(tab)
    search(qtbot, tab, "nobody", rows=0)
    assert not any(button.isEnabled() for button in tab.on_person)
    assert tab.edit() is None and not tab.erase()


def test_a_certificate_search_highlights_the_first_match_and_reprints_it(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path) -> None:
    """Searching the register highlights the first match; Reprint writes that one."""
    with training.session_factory.begin() as session:
        certificates.issue_for_course(session, course_id(training, "Field collecting"))
        number = certificates.register(session)[0].number
    tab = training.certificates_tab
    training.tabs.setCurrentWidget(tab)
    tab.table.selectionModel().clear()
    qtbot.keyClicks(tab.search, number[-3:])
    assert highlighted_id(tab.table) is not None
    assert tab.table.item(tab.table.currentRow(), 0).text() == number
    written = tab.reprint(tmp_path)
    assert [path.name for path in written] == [f"{number}.pdf"]


def test_keyboard_moves_the_panel_with_the_highlight(qtbot: QtBot,
                                                      training: TrainingWindow) -> None:
    """Down arrow in the course list moves the highlight, and the panel with it."""
    tab = training.courses_tab
    tab.table.setFocus()
    tab.table.selectionModel().setCurrentIndex(
        tab.table.model().index(0, 2), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert highlighted_id(tab.table) == tab.course_view.course_id == course_id(
        training, "Field collecting")


def test_merging_a_pair_highlights_the_next_pair_and_merge_acts_on_it(
        qtbot: QtBot, training: TrainingWindow) -> None:
    """After a merge the next likely pair is highlighted; Swap and Merge act on it."""
    with training.session_factory.begin() as session:
        for name, country in (("Nurlanova Aigerim", "KAZ"), ("Diallo Moussa", "SEN")):
            participants.save_participant(session, full_name=name, country=country,
                                          gender="unstated")
    dialog = training.participants_tab.duplicates()
    settled(qtbot)  # every participant compared, in the background
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(0)
    second = dialog.table.item(1, 0).data(Qt.ItemDataRole.UserRole)
    assert done(qtbot, dialog.merge_selected())
    settled(qtbot)
    assert dialog.table.rowCount() == 1
    assert highlighted_id(dialog.table) == second
    dialog.swap()
    keep, merged, _reason = dialog.pairs[0]
    assert done(qtbot, dialog.merge_selected())
    settled(qtbot)
    with training.session_factory() as session:
        remaining = {r.id for r in participants.find_participants(session)}
    assert keep in remaining and merged not in remaining
    assert highlighted_id(dialog.table) is None
    assert not dialog.merge_button.isEnabled() and not dialog.merge_selected()
    dialog.accept()


def test_a_country_filter_highlights_the_first_match_and_open_opens_it(
        qtbot: QtBot, training: TrainingWindow) -> None:
    """A country filter hiding the highlighted person highlights the match; Open opens it."""
    tab = training.participants_tab
    training.tabs.setCurrentWidget(tab)
    tab.table.selectRow(1)
    assert tab.table.item(1, 0).text() == "Aigerim Nurlanova"
    tab.country.setFocus()
    tab.country.setCurrentIndex(tab.country.findData("SEN"))
    assert tab.table.rowCount() == 1 and tab.table.item(0, 0).text() == "Moussa Diallo"
    moussa = tab.table.item(0, 0).data(Qt.ItemDataRole.UserRole)
    assert highlighted_id(tab.table) == moussa
    opened = tab.edit()
    assert opened is not None and opened.participant_id == moussa
    opened.reject()
