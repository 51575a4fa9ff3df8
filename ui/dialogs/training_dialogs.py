"""Forms of the training module: a course, a participant (with a warning when the person
looks already recorded), enrolling people in a course, and merging likely duplicates."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank import countries
from genebank.country_search import Scope
from genebank.history import queries
from genebank.services.errors import ServiceError
from genebank.training import courses, enrolments, participants
from genebank.training.courses import COURSE_STATUSES
from genebank.training.participants import GENDERS
from ui import messages, operations
from ui.dialogs.record_dialog import RecordDialog, amount_box, count_box, date_edit, date_of
from ui.operations import Changed
from ui.views import shown_numbers
from ui.views.highlighted_record import HighlightedRecord
from ui.views.history_view import HistoryView
from ui.views.picker import picked
from ui.views.pickers import CountryPicker, InstitutePicker

WARNING_STYLE = "color: #8a5a00;"


def country_box(parent: QWidget, code: str | None) -> CountryPicker:
    """A current country (a person's, a venue's), showing ``code``."""
    picker = CountryPicker(Scope.CURRENT, parent)
    picker.set_value(code)
    return picker


class CourseDialog(RecordDialog):
    changes = Changed(training=True)

    def __init__(self, session_factory: sessionmaker[Session], *, course_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Course") if course_id else
                         self.tr("New course"), parent)
        self.course_id = course_id
        self.programme = QComboBox(self)
        programmes, course = operations.read_now(
            session_factory, lambda session: (
                courses.programmes(session),
                courses.course_details(session, course_id) if course_id else None),
            operation=self.tr("Reading the course"))
        for programme_id, name in programmes:
            self.programme.addItem(name, programme_id)
        self.new_programme = QLineEdit(self)
        self.new_programme.setPlaceholderText(self.tr("or a new programme's name"))
        self.title_edit = QLineEdit(course.title if course else "", self)
        self.topic = QLineEdit(course.topic if course else "", self)
        self.host_name = QLineEdit(course.host_name if course else "", self)
        self.host_code = InstitutePicker(session_factory, self)
        self.host_code.set_value(course.host_code if course else None)
        self.host_code.setPlaceholderText(self.tr("FAO WIEWS code or name, if it has one"))
        self.host_code.chosen.connect(self._name_host)
        self.city = QLineEdit(course.venue_city if course else "", self)
        self.country = country_box(self, course.venue_country if course else None)
        self.start_on = date_edit(self, course.start_on if course else None)
        self.end_on = date_edit(self, course.end_on if course else None)
        for edit in (self.start_on, self.end_on):
            edit.setMaximumDate(QDate.currentDate().addYears(5))
        self.languages = QLineEdit(course.languages if course else "en", self)
        self.trainers = QLineEdit(course.trainers if course else "", self)
        self.capacity = count_box(self, 10_000, blank=self.tr("no limit"))
        self.capacity.setValue(course.capacity if course else None)
        self.hours = amount_box(self, " h", 2000.0, 1, blank=self.tr("6 a day"))
        self.hours.setValue(course.hours if course else None)
        self.status = QComboBox(self)
        for status in COURSE_STATUSES:
            self.status.addItem(status, status)
        self.status.setCurrentIndex(self.status.findData(course.status if course else "planned"))
        if course is not None:
            self.programme.setCurrentIndex(self.programme.findData(course.programme_id))
        for label, widget in (
                (self.tr("&Programme"), self.programme), ("", self.new_programme),
                (self.tr("&Title*"), self.title_edit), (self.tr("T&opic"), self.topic),
                (self.tr("&Host institution"), self.host_name),
                (self.tr("Host &WIEWS code"), self.host_code), (self.tr("&City"), self.city),
                (self.tr("C&ountry"), self.country), (self.tr("&Starts"), self.start_on),
                (self.tr("&Ends"), self.end_on), (self.tr("&Languages"), self.languages),
                (self.tr("T&rainers"), self.trainers), (self.tr("C&apacity"), self.capacity),
                (self.tr("Ho&urs"), self.hours), (self.tr("Stat&us"), self.status)):
            self.form.addRow(label, widget)

    def _name_host(self, code: str) -> None:
        """A host chosen from the directory brings its name, if the name is still empty."""
        name = self.host_code.names.get(code, "")
        if name and not self.host_name.text().strip():
            self.host_name.setText(name)

    def work(self) -> Callable[[Session], int]:
        chosen, new_programme = self.programme.currentData(), self.new_programme.text()
        if chosen is None and not new_programme.strip():
            raise ServiceError(self.tr("name the programme the course belongs to"))
        course = dict(
            course_id=self.course_id, title=self.title_edit.text(), topic=self.topic.text(),
            host_name=self.host_name.text(),
            host_code=picked(self.host_code, "host_code_invalid"),
            venue_city=self.city.text(),
            venue_country=picked(self.country, "venue_country_invalid"),
            start_on=date_of(self.start_on), end_on=date_of(self.end_on),
            languages=self.languages.text(), trainers=self.trainers.text(),
            capacity=self.capacity.optional_value(), hours=self.hours.optional_value(),
            status=self.status.currentData())

        def save(session: Session) -> int:
            programme_id = (courses.add_programme(session, name=new_programme)
                            if new_programme.strip() else chosen)
            return courses.save_course(session, programme_id=programme_id,
                                       **course)  # type: ignore[arg-type]
        return save


class ProgrammeDialog(RecordDialog):
    changes = Changed(training=True)

    def __init__(self, session_factory: sessionmaker[Session], programme_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Programme"), parent)
        self.programme_id = programme_id
        def read(session: Session) -> tuple[Any, ...]:
            programme = courses.get_programme(session, programme_id)
            return (programme.name, programme.sponsor, programme.description,
                    programme.min_attendance_pct, programme.certificate_prefix)

        values = operations.read_now(session_factory, read,
                                     operation=self.tr("Reading the programme"))
        self.name = QLineEdit(values[0], self)
        self.sponsor = QLineEdit(values[1], self)
        self.description = QPlainTextEdit(values[2], self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.attendance = amount_box(self, " %", 100.0, 0)
        self.attendance.setValue(values[3])
        self.prefix = QLineEdit(values[4], self)
        for label, widget in ((self.tr("&Name*"), self.name), (self.tr("&Sponsor"), self.sponsor),
                              (self.tr("&Description"), self.description),
                              (self.tr("&Attendance for completion"), self.attendance),
                              (self.tr("Certificate number &prefix"), self.prefix)):
            self.form.addRow(label, widget)

    def work(self) -> Callable[[Session], int]:
        programme_id = self.programme_id
        values = dict(name=self.name.text(), sponsor=self.sponsor.text(),
                      description=self.description.toPlainText(),
                      min_attendance_pct=self.attendance.value(),
                      certificate_prefix=self.prefix.text())

        def save(session: Session) -> int:
            courses.save_programme(session, programme_id, **values)  # type: ignore[arg-type]
            return programme_id
        return save


class ParticipantDialog(RecordDialog):
    """A person's record; as the name, country or e-mail is typed, a person who looks
    already recorded is named, so that nobody is entered twice by mistake."""

    changes = Changed(training=True)

    def __init__(self, session_factory: sessionmaker[Session], *,
                 participant_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Participant") if participant_id
                         else self.tr("New participant"), parent)
        self.participant_id = participant_id
        self.history: HistoryView | None = None
        values: dict[str, object] = {}
        if participant_id is not None:
            self._add_history_tab(participant_id)
            values = operations.read_now(session_factory, lambda session: {
                name: getattr(participants.participant_details(session, participant_id), name)
                for name in participants.PERSON_FIELDS},
                operation=self.tr("Reading the participant"))
        self.edits: dict[str, QLineEdit] = {}
        for name, label in (("full_name", self.tr("&Full name (Latin script)*")),
                            ("original_name", self.tr("Name in &original script"))):
            self.edits[name] = QLineEdit(str(values.get(name) or ""), self)
            self.form.addRow(label, self.edits[name])
        self.gender = QComboBox(self)
        for gender in GENDERS:
            self.gender.addItem(gender, gender)
        self.gender.setCurrentIndex(self.gender.findData(values.get("gender") or "unstated"))
        self.form.addRow(self.tr("&Gender"), self.gender)
        self.country = country_box(self, values.get("country"))  # type: ignore[arg-type]
        self.form.addRow(self.tr("&Country"), self.country)
        for name, label in (("institution", self.tr("&Institution")),
                            ("position", self.tr("&Position")), ("email", self.tr("&E-mail")),
                            ("phone", self.tr("P&hone")), ("languages", self.tr("&Languages"))):
            self.edits[name] = QLineEdit(str(values.get(name) or ""), self)
            self.form.addRow(label, self.edits[name])
        self.notes = QPlainTextEdit(str(values.get("notes") or ""), self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        self.form.addRow(self.tr("&Notes"), self.notes)
        self.duplicate = QLabel(self)
        self.duplicate.setWordWrap(True)
        self.duplicate.setStyleSheet(WARNING_STYLE)
        self.form.addRow(self.duplicate)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.check_duplicates)
        for name in ("full_name", "email"):
            self.edits[name].textChanged.connect(self._timer.start)
        self.country.changed.connect(self._timer.start)

    def _add_history_tab(self, participant_id: int) -> None:
        """The form's fields on a Details tab, the person's story on a History tab (read
        only by people who may read personal data: the core refuses others)."""
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeItem(self.form)
        self.tabs = QTabWidget(self)
        details = QWidget(self.tabs)
        details.setLayout(self.form)
        self.tabs.addTab(details, self.tr("&Details"))
        self.history = HistoryView(self.session_factory, parent=self.tabs)
        self.history.setObjectName("participant_history")
        self.history.set_reader(lambda session, limit: queries.readable_participant_history(
            session, participant_id, limit=limit))
        self.tabs.addTab(self.history, self.tr("&History"))
        outer.insertWidget(0, self.tabs, 1)
        self.resize(820, 560)  # room for the history's old and new values

    def show_history(self) -> None:
        if self.history is not None:
            self.tabs.setCurrentWidget(self.history)

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {name: edit.text() for name, edit in self.edits.items()}
        values.update(gender=self.gender.currentData(), country=self.country.value(),
                      notes=self.notes.toPlainText())
        return values

    def check_duplicates(self) -> None:
        values, exclude = self.values(), self.participant_id

        def read(session: Session) -> tuple[list[Any], dict[int, str]]:
            found = participants.duplicates_of(session, values, exclude_id=exclude)
            return found, {
                d.second_id: participants.participant_details(session, d.second_id).full_name
                for d in found}

        found, names = operations.read_now(self.session_factory, read,
                                           operation=self.tr("Looking for the same person"))
        self.duplicate.setText("\n".join(
            self.tr("Looks already recorded: {0} ({1})").format(names[d.second_id], d.reason)
            for d in found[:3]))

    def work(self) -> Callable[[Session], int]:
        picked(self.country, "participant_country_invalid")
        return partial(participants.save_participant, participant_id=self.participant_id,
                       **self.values())


class EnrolDialog(QDialog):
    """Find people and enrol them in a course; each refusal is said, the others enrolled."""

    def __init__(self, session_factory: sessionmaker[Session], course_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.course_id = course_id
        self.enrolled = 0
        self.setWindowTitle(self.tr("Enrol participants"))
        self.resize(560, 480)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Name, e-mail or institution"))
        layout.addWidget(self.search)
        self.results = QListWidget(self)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.results, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.enrol_button = buttons.addButton(self.tr("&Enrol selected"),
                                              QDialogButtonBox.ButtonRole.ApplyRole)
        self.enrol_button.clicked.connect(self.enrol_selected)
        self.enrol_button.setDefault(True)  # Enter enrols the chosen; it never closes
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.find)
        self.search.textChanged.connect(self._timer.start)
        self.find()

    def find(self) -> None:
        self.results.clear()
        text = self.search.text()
        rows = operations.read_now(
            self.session_factory,
            lambda session: participants.find_participants(session, text=text, limit=100),
            operation=self.tr("Finding participants"))
        for row in rows:
            item = QListWidgetItem(f"{row.full_name}  ·  {countries.country_name(row.country)}"
                                   f"  ·  {row.institution}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, row.id)

    def enrol_selected(self) -> operations.Write[tuple[int, list[ServiceError]]] | None:
        """Enrol the people chosen, each on their own: a refusal is said, the others are
        enrolled. The running operation (``result``: how many, the refusals), or None."""
        chosen = [item.data(Qt.ItemDataRole.UserRole) for item in self.results.selectedItems()]
        if not chosen:
            return None
        course_id = self.course_id

        def enrol(session: Session) -> tuple[int, list[ServiceError]]:
            count, refused = 0, []
            for participant_id in chosen:
                try:
                    with session.begin_nested():  # a refusal undoes only its own person
                        enrolments.enrol(session, course_id=course_id,
                                         participant_id=participant_id)
                    count += 1
                except ServiceError as error:
                    refused.append(error)  # worded on the GUI thread
            return count, refused

        def enrolled(result: tuple[int, list[ServiceError]]) -> None:
            count, refused = result
            self.enrolled += count
            self.message.setText("\n".join([self.tr("{0} enrolled.").format(count),
                                            *map(messages.say, refused)]))

        write = operations.Write(self, self.session_factory, enrol,
                                 operation=self.tr("Enrolling participants"),
                                 changes=Changed(training=True), initiator=self)
        write.busy(self.enrol_button).success(enrolled)
        write.failure(lambda text, _error: self.message.setText(text))
        return write.run()  # type: ignore[return-value]


class DuplicatesDialog(QDialog):
    """Pairs of records that may be one person; merge keeps the first and takes in the
    second's enrolments, attendance and certificates."""

    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.setWindowTitle(self.tr("Likely duplicates"))
        self.resize(900, 500)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Keep"), self.tr("Merge into it"),
                                              self.tr("Why")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.merge_button = QPushButton(self.tr("&Merge the selected pair"), self)
        self.merge_button.clicked.connect(lambda: self.merge_selected())
        self.swap_button = QPushButton(self.tr("&Swap: keep the other"), self)
        self.swap_button.clicked.connect(self.swap)
        self.count = QLabel(self)
        row.addWidget(self.merge_button)
        row.addWidget(self.swap_button)
        row.addStretch(1)
        row.addWidget(self.count)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.accept)
        layout.addWidget(close)
        self.pairs: list[tuple[int, int, str]] = []
        # Merge and Swap act on the highlighted pair; after a merge the next pair is highlighted
        self.highlighted = HighlightedRecord(self.table, lambda pair: [
            button.setEnabled(pair is not None) for button in (self.merge_button,
                                                               self.swap_button)])
        self.reload()

    def reload(self, *, removed: bool = False) -> operations.Read[object]:
        """Compare every participant (it grows with the register: off the GUI thread, the
        pair's buttons off and the count saying so meanwhile), then list the pairs."""
        def read(session: Session) -> tuple[list[Any], dict[int, str]]:
            found = participants.likely_duplicates(session)[:500]
            ids = {i for d in found for i in (d.first_id, d.second_id)}
            return found, {i: self._describe(session, i) for i in ids}

        self.count.setText(self.tr("Finding likely duplicates…"))
        search = operations.Read(self, self.session_factory, read,
                                 operation=self.tr("Finding likely duplicates"))
        for button in (self.merge_button, self.swap_button):
            button.setEnabled(False)  # on again with a highlighted pair, once listed
        search.success(lambda result: self._show_pairs(*result, removed=removed))
        search.failure(lambda text, _error: self.count.setText(text))
        return search.run()  # type: ignore[return-value]

    def _show_pairs(self, found: list[Any], described: dict[int, str], *,
                    removed: bool) -> None:
        self.pairs = [(d.first_id, d.second_id, d.reason) for d in found]

        def fill() -> None:
            self.table.setRowCount(len(self.pairs))
            for row, (first, second, reason) in enumerate(self.pairs):
                for column, text in enumerate((described[first], described[second], reason)):
                    self.table.setItem(row, column, QTableWidgetItem(text))
                self._set_key(row)
            self.table.resizeColumnsToContents()

        self.highlighted.refill(fill, removed=removed)
        self.count.setText(self.tr("{0} pairs").format(shown_numbers.count(len(self.pairs))))
        for button in (self.merge_button, self.swap_button):
            button.setEnabled(self.highlighted.row() is not None)

    def _set_key(self, row: int) -> None:
        """A pair is the same pair whichever record is kept: its key ignores the order."""
        first, second, _reason = self.pairs[row]
        self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole,
                                        (min(first, second), max(first, second)))

    @staticmethod
    def _describe(session: Session, participant_id: int) -> str:
        person = participants.participant_details(session, participant_id)
        courses_taken = shown_numbers.count(len(enrolments.enrolments_of(session,
                                                                          participant_id)))
        return (f"{person.full_name} · {person.country or '?'} · "
                f"{person.email or person.institution} · {courses_taken} course(s)")

    def swap(self) -> None:
        row = self.highlighted.row()
        if row is not None:
            first, second, reason = self.pairs[row]
            self.pairs[row] = (second, first, reason)
            self.reload_row(row)

    def reload_row(self, row: int) -> None:
        first, second, _reason = self.pairs[row]
        described = operations.read_now(
            self.session_factory,
            lambda session: [self._describe(session, person) for person in (first, second)],
            operation=self.tr("Reading the pair"))
        for column, text in enumerate(described):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self._set_key(row)

    def merge_selected(self) -> operations.Write[object] | None:
        """Merge the highlighted pair; the running operation, or None without a pair."""
        row = self.highlighted.row()
        if row is None:
            return None
        keep, other, _reason = self.pairs[row]

        def merged(result: Any) -> None:
            self.count.setText(self.tr("Merged: {0} enrolments moved, {1} joined").format(
                result.enrolments_moved, result.enrolments_joined))
            self.reload(removed=True)

        write = operations.Write(
            self, self.session_factory,
            lambda session: participants.merge(session, keep_id=keep, merge_id=other),
            operation=self.tr("Merging two participants"), changes=Changed(training=True),
            initiator=self)
        write.busy(self.merge_button, self.swap_button).success(merged)
        write.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not merged"), text))
        return write.run()  # type: ignore[return-value]
