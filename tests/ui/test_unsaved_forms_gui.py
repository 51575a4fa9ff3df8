"""Every form of a record asks before typing is lost, as the accession form does (QA of
issue 15): Cancel, Escape and the window's close button after typing ask "Save them?"; with
nothing typed the form closes at once; a read-only form (a person without the right) never
asks. The participant form first, from the training window as a trainer opens it, then the
training window's other forms and a seed lot's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions
from genebank.training import certificates, courses, enrolments, participants
from genebank.users import accounts
from genebank.users.actor import Actor, attach, detach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.ui import shots
from ui.dialogs.lot_dialogs import NewLotDialog
from ui.dialogs.record_dialog import RecordDialog
from ui.dialogs.training_dialogs import CourseDialog, ParticipantDialog, ProgrammeDialog
from ui.views.certificate_corrections import CorrectCertificateDialog
from ui.views.training_window import TrainingWindow

PASSWORD = "Жасыл-бидай 2026"
ASKED = "This form has changes that are not saved. Save them?"


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[db.Database, dict[Role, Actor], dict[str, int]]]:
    """A course with a participant enrolled and certified; an accession; a trainer, an
    administrator (no trainer role) and a seed laboratory technician."""
    database = db.open_database(db.sqlite_url(tmp_path / "formulaires.sqlite"), user="labo")
    people: dict[Role, Actor] = {}
    ids: dict[str, int] = {}
    with database.session_factory.begin() as session:
        ids["accession"] = accessions.create_accession(session, values=passport_values()).id
        admin = accounts.create_first_administrator(session, name="Françoise",
                                                    password=PASSWORD)
        people[Role.ADMINISTRATOR] = Actor(admin.id, admin.name, frozenset(admin.roles))
        work_as(session, people[Role.ADMINISTRATOR])
        for role, name in ((Role.TRAINER, "عائشة"), (Role.SEED_LABORATORY, "moussa")):
            made = accounts.add_user(session, name=name, roles=[role], password=PASSWORD)
            people[role] = Actor(made.id, made.name, frozenset(made.roles))
        work_as(session, people[Role.TRAINER])
        ids["programme"] = courses.add_programme(session, name="Gene banks")
        ids["course"] = courses.save_course(
            session, programme_id=ids["programme"], title="Gene Bank Management",
            start_on=dt.date(2026, 5, 11), end_on=dt.date(2026, 5, 15), venue_city="Almaty",
            venue_country="KAZ", host_name="Kazakh gene bank")
        ids["person"] = participants.save_participant(
            session, full_name="Aigerim Nurlanova", gender="female", country="KAZ")
        enrolment = enrolments.enrol(session, course_id=ids["course"],
                                     participant_id=ids["person"])
        for day in range(11, 16):
            enrolments.set_attendance(session, enrolment, dt.date(2026, 5, day), True)
        enrolments.set_status(session, enrolment, "completed")
        certificates.issue(session, enrolment, on=dt.date(2026, 5, 16))
    yield database, people, ids
    detach(database.session_factory)
    database.close()


class Answers:
    """QMessageBox.question as a person answers it: each question recorded, the answer
    given by the test."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []

    def __call__(self, _parent: QWidget, title: str, text: str,
                 *_args: object) -> QMessageBox.StandardButton:
        self.asked.append((title, text))
        return self.answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers(QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "question", answers)
    return answers


def _participant_form(qtbot: QtBot, database: db.Database, actor: Actor,
                      person: int | None = None) -> ParticipantDialog:
    """The participant form as the training window opens it (Participants > Open… or
    New participant…) for ``actor``."""
    attach(database.session_factory, actor)
    window = TrainingWindow(database.session_factory)
    qtbot.addWidget(window)
    window.show()
    tab = window.participants_tab
    if person is None:
        dialog = tab.new()
    else:
        tab.reload(person)
        dialog = tab.edit()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _cancel_button(dialog: RecordDialog) -> QWidget:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)


def test_the_participant_form_asks_before_typing_is_lost_by_cancel_escape_or_close(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers) -> None:
    """Cancel, Escape and the close button after typing each ask; answering Cancel keeps
    the form open with the typing."""
    database, people, ids = team
    dialog = _participant_form(qtbot, database, people[Role.TRAINER], ids["person"])
    field = dialog.edits["institution"]
    qtbot.keyClicks(field, "Institut de Montpellier")
    for close in (lambda: qtbot.mouseClick(_cancel_button(dialog), Qt.MouseButton.LeftButton),
                  lambda: qtbot.keyClick(dialog, Qt.Key.Key_Escape),
                  dialog.close):
        before = len(answers.asked)
        close()
        assert len(answers.asked) == before + 1
        assert answers.asked[-1] == ("Unsaved changes", ASKED)
        assert dialog.isVisible() and field.text() == "Institut de Montpellier"
    answers.answer = QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    stored = participants.participant_details
    with database.session_factory() as session:
        assert stored(session, ids["person"]).institution == ""  # discarded: nothing saved


def test_the_participant_form_saves_when_the_answer_is_save(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers) -> None:
    """Answering Save saves the typing (in one transaction) and then closes the form."""
    database, people, _ids = team
    dialog = _participant_form(qtbot, database, people[Role.TRAINER])
    qtbot.keyClicks(dialog.edits["full_name"], "Nurlan Abenov")
    qtbot.waitUntil(lambda: not dialog._timer.isActive())  # looked for the same person
    answers.answer = QMessageBox.StandardButton.Save
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == [("Unsaved changes", ASKED)]
    with database.session_factory() as session:
        found = participants.find_participants(session, text="Nurlan Abenov", limit=5)
    assert [row.full_name for row in found] == ["Nurlan Abenov"]


def test_typing_undone_or_nothing_typed_closes_at_once(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers) -> None:
    """Nothing typed (or the typing taken back): Cancel closes without a question."""
    database, people, ids = team
    dialog = _participant_form(qtbot, database, people[Role.TRAINER], ids["person"])
    qtbot.mouseClick(_cancel_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and answers.asked == []
    dialog = _participant_form(qtbot, database, people[Role.TRAINER], ids["person"])
    qtbot.keyClicks(dialog.edits["phone"], "7")
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Backspace)
    dialog.close()
    assert not dialog.isVisible() and answers.asked == []


def test_a_read_only_participant_form_never_asks(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers) -> None:
    """An administrator without the trainer role reads the form; keys typed change
    nothing, and Escape, Cancel and the close button close it at once."""
    database, people, ids = team
    for close in ("escape", "cancel", "close"):
        dialog = _participant_form(qtbot, database, people[Role.ADMINISTRATOR], ids["person"])
        assert dialog.read_only_reason is not None
        qtbot.keyClicks(dialog.edits["institution"], "typed in vain")
        assert dialog.edits["institution"].text() == ""
        if close == "escape":
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        elif close == "cancel":
            qtbot.mouseClick(_cancel_button(dialog), Qt.MouseButton.LeftButton)
        else:
            dialog.close()
        assert not dialog.isVisible(), close
    assert answers.asked == []


def test_the_discard_question_as_a_person_sees_it(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The real question box over the participant form: its title, words and three
    buttons, Save the default (screenshot)."""
    database, people, ids = team
    dialog = _participant_form(qtbot, database, people[Role.TRAINER], ids["person"])
    qtbot.keyClicks(dialog.edits["position"], "Curator")
    seen: list[QMessageBox] = []

    def question(parent: QWidget, title: str, text: str,
                 buttons: QMessageBox.StandardButton,
                 default: QMessageBox.StandardButton) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, parent)
        box.setDefaultButton(default)
        box.show()
        qtbot.waitExposed(box)
        seen.append(box)
        shots.shot(box, "participant-discard-question", under="unsaved_forms")
        shots.shot(dialog, "participant-form-typed", under="unsaved_forms")
        box.close()
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = seen[0]
    assert box.windowTitle() == "Unsaved changes" and box.text() == ASKED
    names = sorted(button.text().replace("&", "") for button in box.buttons())
    assert names == sorted(["Save", "Discard", "Cancel"])
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Save)
    assert dialog.isVisible()


def _course_form(database: db.Database, ids: dict[str, int]) -> RecordDialog:
    return CourseDialog(database.session_factory, course_id=ids["course"])


def _programme_form(database: db.Database, ids: dict[str, int]) -> RecordDialog:
    return ProgrammeDialog(database.session_factory, ids["programme"])


def _certificate_form(database: db.Database, _ids: dict[str, int]) -> RecordDialog:
    with database.session_factory() as session:
        row = certificates.register(session, limit=1)[0]
    return CorrectCertificateDialog(database.session_factory, row)


def _lot_form(database: db.Database, ids: dict[str, int]) -> RecordDialog:
    return NewLotDialog(database.session_factory, ids["accession"])


@pytest.mark.parametrize(("form", "role", "field"), [
    (_course_form, Role.TRAINER, "topic"),
    (_programme_form, Role.TRAINER, "sponsor"),
    (_certificate_form, Role.TRAINER, "reason"),
    (_lot_form, Role.SEED_LABORATORY, "container"),
])
def test_the_training_windows_other_forms_and_a_lots_ask_too(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers, form: Callable[[db.Database, dict[str, int]], RecordDialog],
        role: Role, field: str) -> None:
    """Course, programme, certificate correction, a new seed lot: Escape after typing
    asks, and without typing closes at once."""
    database, people, ids = team
    attach(database.session_factory, people[role])
    dialog = form(database, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.read_only_reason is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.asked == []
    dialog = form(database, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(getattr(dialog, field), "x")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == [("Unsaved changes", ASKED)] and dialog.isVisible()
    dialog.done(0)


def test_a_choice_or_a_date_changed_counts_as_typing(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers) -> None:
    """A value chosen in a list or a date stepped is typing too; the calendar of a date
    field, opened and closed, is not."""
    database, people, ids = team
    attach(database.session_factory, people[Role.SEED_LABORATORY])
    dialog = _lot_form(database, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog, NewLotDialog)
    assert not dialog.is_modified
    dialog.storage_type.setCurrentIndex(1)
    assert dialog.is_modified
    dialog.storage_type.setCurrentIndex(0)
    assert not dialog.is_modified
    dialog.stored_on.setFocus()
    qtbot.keyClick(dialog.stored_on, Qt.Key.Key_Down)
    assert dialog.is_modified


def test_the_own_institute_codes_ask_too(
        qtbot: QtBot, team: tuple[db.Database, dict[Role, Actor], dict[str, int]],
        answers: Answers) -> None:
    """Accession > Own institute codes (an administrator's): codes typed and not saved ask
    before Escape loses them; none typed, it closes at once."""
    from ui.dialogs.own_institutes_dialog import OwnInstitutesDialog

    database, people, _ids = team
    attach(database.session_factory, people[Role.ADMINISTRATOR])
    dialog = OwnInstitutesDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.asked == []
    dialog.show()
    qtbot.keyClicks(dialog.codes, "KAZ001")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == [("Unsaved changes", ASKED)] and dialog.isVisible()
    answers.answer = QMessageBox.StandardButton.Discard
    dialog.close()
    assert not dialog.isVisible()
