"""The training window greys what a person's roles do not allow, as the main window does
(issue 15), the reason as tooltip; a viewer sees how many participants there are, never who
(no names, no roster, no certificate register: not even read); an administrator reads them
but changes nothing; a trainer does all. The real roles' table decides, on a real file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.training import courses, enrolments, participants
from genebank.users import accounts
from genebank.users.actor import Actor, attach, detach, work_as
from genebank.users.roles import Role
from tests.ui.waiting import settled
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views.training_window import TrainingWindow

PASSWORD = "Жасыл-бидай 2026"
SHOTS = Path("/work/brief/shots/house")


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[db.Database, dict[Role, Actor]]]:
    """A course with Aigerim Nurlanova enrolled; a viewer, a trainer and the administrator."""
    database = db.open_database(db.sqlite_url(tmp_path / "formation.sqlite"), user="labo")
    people: dict[Role, Actor] = {}
    with database.session_factory.begin() as session:
        admin = accounts.create_first_administrator(session, name="Françoise",
                                                    password=PASSWORD)
        people[Role.ADMINISTRATOR] = Actor(admin.id, admin.name, frozenset(admin.roles))
        work_as(session, people[Role.ADMINISTRATOR])
        for role, name in ((Role.VIEWER, "Пётр"), (Role.TRAINER, "عائشة")):
            made = accounts.add_user(session, name=name, roles=[role], password=PASSWORD)
            people[role] = Actor(made.id, made.name, frozenset(made.roles))
        work_as(session, people[Role.TRAINER])
        programme = courses.add_programme(session, name="Gene banks")
        course = courses.save_course(
            session, programme_id=programme, title="Gene Bank Management",
            start_on=dt.date(2026, 5, 11), end_on=dt.date(2026, 5, 15), venue_city="Almaty",
            venue_country="KAZ", host_name="Kazakh gene bank", trainers="Dr A. Abugalieva")
        person = participants.save_participant(
            session, full_name="Aigerim Nurlanova", gender="female", country="KAZ",
            email="aigerim.nurlanova@example.org")
        enrolments.enrol(session, course_id=course, participant_id=person)
    yield database, people
    detach(database.session_factory)
    database.close()


def _window(qtbot: QtBot, database: db.Database, actor: Actor) -> TrainingWindow:
    attach(database.session_factory, actor)
    window = TrainingWindow(database.session_factory)
    qtbot.addWidget(window)
    window.show()
    return window


def _buttons(widget: object) -> dict[str, QPushButton]:
    return {button.text().replace("&", ""): button
            for button in widget.findChildren(QPushButton)}  # type: ignore[attr-defined]


def test_a_viewer_sees_how_many_not_who_and_may_change_nothing(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor]]) -> None:
    database, people = team
    window = _window(qtbot, database, people[Role.VIEWER])
    tab = window.participants_tab
    assert tab.table.rowCount() == 0 and tab.count.text() == "1 people"
    assert not tab.note.isHidden() and "Пётр may not read personal data" in tab.note.text()
    buttons = _buttons(tab)
    for text in ("New participant…", "Open…", "Likely duplicates…", "Erase on request…"):
        assert not buttons[text].isEnabled(), text
    assert "Пётр may not" in buttons["New participant…"].toolTip()
    assert "needs the role trainer" in buttons["New participant…"].toolTip()
    courses_tab = window.courses_tab
    assert courses_tab.table.rowCount() == 1  # courses are no one's personal data
    view = courses_tab.course_view
    assert view.course_id is not None and view.table.rowCount() == 0 and view.roster == []
    assert not view.note.isHidden()
    course_buttons = _buttons(view)
    for text in ("Edit course…", "Enrol…", "Attendance sheet…", "Participant list…",
                 "Issue certificates", "Print certificates…"):
        assert not course_buttons[text].isEnabled(), text
    assert not _buttons(courses_tab)["New course…"].isEnabled()
    window.tabs.setCurrentWidget(window.certificates_tab)
    assert not window.certificates_tab.note.isHidden()
    assert not _buttons(window.certificates_tab)["Export register…"].isEnabled()
    window.tabs.setCurrentWidget(window.participants_tab)
    window.resize(1000, 560)
    settled(qtbot)  # the Reports tab's first read
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        window.grab().save(str(SHOTS / "training-viewer.png"))


def test_an_administrator_reads_people_but_changes_no_training_record(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor]]) -> None:
    database, people = team
    window = _window(qtbot, database, people[Role.ADMINISTRATOR])
    tab = window.participants_tab
    assert tab.table.rowCount() == 1 and tab.table.item(0, 0).text() == "Aigerim Nurlanova"
    assert tab.note.isHidden()
    buttons = _buttons(tab)
    assert not buttons["New participant…"].isEnabled()
    assert "Françoise may not" in buttons["New participant…"].toolTip()
    tab.table.selectRow(0)
    assert buttons["Open…"].isEnabled() and not buttons["Erase on request…"].isEnabled()
    view = window.courses_tab.course_view
    assert view.table.rowCount() == 1
    assert not view.table.cellWidget(0, 3).isEnabled()  # the status: read-only
    course_buttons = _buttons(view)
    assert course_buttons["Participant list…"].isEnabled()
    assert not course_buttons["Enrol…"].isEnabled()
    settled(qtbot)  # the Reports tab's first read


def test_a_trainer_does_all(qtbot: QtBot,
                            team: tuple[db.Database, dict[Role, Actor]]) -> None:
    database, people = team
    window = _window(qtbot, database, people[Role.TRAINER])
    tab = window.participants_tab
    assert tab.table.rowCount() == 1
    tab.table.selectRow(0)
    assert all(button.isEnabled() for button in _buttons(tab).values())
    view = window.courses_tab.course_view
    assert view.table.cellWidget(0, 3).isEnabled()
    assert all(button.isEnabled() for button in _buttons(view).values())
    settled(qtbot)  # the Reports tab's first read


def test_the_main_window_opens_it_greyed_for_its_person(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor]],
        settings: Settings) -> None:
    database, people = team
    attach(database.session_factory, people[Role.VIEWER])
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    training = window.show_training()
    assert not training.participants_tab.note.isHidden()
    assert training.participants_tab.table.rowCount() == 0
    settled(qtbot)  # the Reports tab's first read, the window's own
