"""One course: its details, its participants with attendance ticked day by day, status and
scores, and the papers it needs (attendance sheet, participant list, certificates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank import countries
from genebank.numbers import NumberRefused
from genebank.progress import Progress
from genebank.training import certificates, courses, enrolments, training_sheets
from genebank.training.enrolments import ENROLMENT_STATUSES
from genebank.users.roles import Right
from ui import file_dialogs, messages, operations
from ui.dialogs.training_dialogs import CourseDialog, EnrolDialog
from ui.operations import Changed
from ui.views import shown_numbers
from ui.views.number_box import format_number, read_typed
from ui.views.training_rights import Greying, WhyNot

FIXED_COLUMNS = ("Name", "Country", "Institution", "Status")
SCORE_COLUMNS = ("Pre-test %", "Post-test %", "Feedback", "Certificate")
SCORE_RANGES = ((0, 100), (0, 100), (1, 5))  # pre-test %, post-test %, feedback (1 to 5)


class CourseView(QWidget):
    """A course: its heading, its buttons (greyed by the person's rights: ``why_not``), and
    its roster, attendance and scores, which are personal data: not read for a person
    without the right, and not editable for one who may not change training records."""

    changed = Signal()

    def __init__(self, session_factory: sessionmaker[Session], last_folder: str = "",
                 parent: QWidget | None = None, *, why_not: WhyNot | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.last_folder = last_folder
        self.greying = Greying(why_not or (lambda _right: None))
        self.private_reason = self.greying.why_not(Right.READ_PERSONAL_DATA)
        self.may_change = self.greying.why_not(Right.CHANGE_TRAINING) is None
        self.course_id: int | None = None
        self.days: list[dt.date] = []
        self.roster: list[enrolments.EnrolmentRow] = []
        self.task: operations.Read[int] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.heading)
        buttons = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        change, private = Right.CHANGE_TRAINING, Right.READ_PERSONAL_DATA
        for text, slot, right in (
                (self.tr("&Edit course…"), self.edit, change),
                (self.tr("E&nrol…"), self.enrol, change),
                (self.tr("&Attendance sheet…"), self.save_attendance_sheet, private),
                (self.tr("Participant &list…"), self.save_participant_list, private),
                (self.tr("Issue &certificates"), self.issue_certificates, change),
                (self.tr("&Print certificates…"), self.print_certificates, private)):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
            self.buttons.append(button)
            self.greying.needs(button, right)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.contacts = QCheckBox(self.tr("Include e-mails and phone numbers in the "
                                          "participant list (personal data)"), self)
        layout.addWidget(self.contacts)
        self.contacts.setVisible(self.private_reason is None)
        self.note = QLabel(self)
        self.note.setObjectName("personal_data_note")
        self.note.setWordWrap(True)
        self.note.setText(self.tr("Who takes part is personal data, not shown here. {0}").format(
            self.private_reason or ""))
        self.note.setVisible(self.private_reason is not None)
        layout.addWidget(self.note)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("roster")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.itemChanged.connect(self._item_changed)
        layout.addWidget(self.table, 1)
        self.show_course(None)

    # Showing ---------------------------------------------------------------------------------
    def _read_course(self, session: Session, course_id: int) -> tuple[
            list[dt.date], list[enrolments.EnrolmentRow], object, str]:
        """The course's days, roster, attendance and heading, read in one transaction."""
        course = courses.course_details(session, course_id)
        days = courses.course_days(course)
        private = self.private_reason is not None  # how many, not who
        roster = [] if private else enrolments.course_roster(session, course_id)
        present = {} if private else enrolments.attendance(session, course_id)
        venue = ", ".join(p for p in (course.venue_city,
                                      countries.country_name(course.venue_country)) if p)
        active = shown_numbers.count(sum(r.status in enrolments.ACTIVE for r in roster))
        enrolled = "" if private else (self.tr("{0} enrolled of {1}").format(
            active, shown_numbers.count(course.capacity)) if course.capacity
            else self.tr("{0} enrolled").format(active))  # private: the list's count says it
        facts = (certificates.date_span(course.start_on, course.end_on), venue,
                 courses.host_label(course), course.status, enrolled)
        heading = (f"<b>{escape(course.title)}</b><br>"  # no empty "· ·" for a blank
                   + " · ".join(escape(fact) for fact in facts if fact))
        return days, roster, present, heading

    def show_course(self, course_id: int | None) -> None:
        self.course_id = course_id
        self.greying.apply(lambda _button: course_id is not None)
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.table.blockSignals(False)
        if course_id is None:
            self.heading.setText(self.tr("Choose a course, or create one."))
            return
        self.days, self.roster, present, heading = operations.read_now(
            self.session_factory, lambda session: self._read_course(session, course_id),
            operation=self.tr("Reading the course"))
        self.heading.setText(heading)
        headers = [self.tr(h) for h in FIXED_COLUMNS] + [f"{d:%a}\n{d.day} {d:%b}"
                                                         for d in self.days] + \
            [self.tr(h) for h in SCORE_COLUMNS]
        table = self.table
        table.blockSignals(True)
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(self.roster))
        for row, person in enumerate(self.roster):
            for column, text in enumerate((person.full_name,
                                           countries.country_name(person.country),
                                           person.institution)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(row, column, item)
            status = QComboBox(table)
            for value in ENROLMENT_STATUSES:
                status.addItem(value.replace("_", "-"), value)
            status.setCurrentIndex(status.findData(person.status))
            status.setEnabled(self.may_change)  # the roster is read-only: say why
            status.setToolTip(self.greying.why_not(Right.CHANGE_TRAINING) or "")
            status.currentIndexChanged.connect(
                lambda _i, r=row, box=status: self.set_status(r, box.currentData()))
            table.setCellWidget(row, 3, status)
            days = present.get(person.id, set())
            for offset, day in enumerate(self.days):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                              if self.may_change else Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked if day in days
                                   else Qt.CheckState.Unchecked)
                table.setItem(row, 4 + offset, item)
            first_score = 4 + len(self.days)
            for column, value in enumerate((person.pre_test_score, person.post_test_score,
                                            person.feedback_score), start=first_score):
                score = QTableWidgetItem("" if value is None
                                         else format_number(value, whole=False))
                if not self.may_change:
                    score.setFlags(score.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(row, column, score)
            certificate = QTableWidgetItem(person.certificate)
            certificate.setFlags(certificate.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, first_score + 3, certificate)
        table.resizeColumnsToContents()
        table.blockSignals(False)

    def reload(self) -> None:
        self.show_course(self.course_id)

    # Recording -------------------------------------------------------------------------------
    def _run(self, action, *args: object,  # type: ignore[no-untyped-def]
             operation: str) -> operations.Write[object]:
        """Save one change of the roster through the runner; a refusal is said and the
        table shows what is stored again."""
        write = operations.Write(self, self.session_factory,
                                 lambda session: action(session, *args), operation=operation,
                                 changes=Changed(training=True), initiator=self)
        write.success(lambda _result: self.changed.emit())
        write.failure(lambda text, _error: (
            QMessageBox.warning(self, self.tr("Not saved"), text), self.reload()))
        return write.run()  # type: ignore[return-value]

    def set_attendance(self, row: int, day_index: int,
                       present: bool) -> operations.Write[object]:
        return self._run(enrolments.set_attendance, self.roster[row].id,
                         self.days[day_index], present,
                         operation=self.tr("Saving the attendance of {0}").format(
                             self.roster[row].full_name))

    def set_status(self, row: int, status: str) -> operations.Write[object]:
        write = self._run(enrolments.set_status, self.roster[row].id, status,
                          operation=self.tr("Saving the status of {0}").format(
                              self.roster[row].full_name))
        write.success(lambda _result: (self.changed.emit(), self.reload()))
        return write

    def _item_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        if 4 <= column < 4 + len(self.days):
            self.set_attendance(row, column - 4, item.checkState() == Qt.CheckState.Checked)
        elif 4 + len(self.days) <= column < 7 + len(self.days):
            self._save_scores(row)

    def _save_scores(self, row: int) -> None:
        """Read the row's three scores as typed in any locale; a refusal saves none of them."""
        first = 4 + len(self.days)
        values: list[float | None] = []
        for column, (low, high) in enumerate(SCORE_RANGES, start=first):
            item = self.table.item(row, column)
            text = item.text() if item else ""
            try:
                value = read_typed(text, whole=False, minimum=low, maximum=high)
            except NumberRefused as error:
                header = self.table.horizontalHeaderItem(column)
                name = header.text() if header else ""
                QMessageBox.warning(self, self.tr("Not saved"), self.tr("{0}: {1}").format(
                    name, messages.say(error)))
                self.reload()
                return
            values.append(None if value is None else float(value))
        def stored(_result: object) -> None:  # show what was stored, in the system's format
            self.changed.emit()
            self.table.blockSignals(True)
            for column, value in enumerate(values, start=first):
                self.table.item(row, column).setText(
                    "" if value is None else format_number(value, whole=False))
            self.table.blockSignals(False)

        self._run(lambda session, e: enrolments.set_scores(
            session, e, pre_test=values[0], post_test=values[1], feedback=values[2]),
            self.roster[row].id, operation=self.tr("Saving the scores of {0}").format(
                self.roster[row].full_name)).success(stored)

    def edit(self) -> CourseDialog | None:
        if self.course_id is None:
            return None
        dialog = CourseDialog(self.session_factory, course_id=self.course_id, parent=self)
        dialog.accepted.connect(lambda: (self.reload(), self.changed.emit()))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def enrol(self) -> EnrolDialog | None:
        if self.course_id is None:
            return None
        dialog = EnrolDialog(self.session_factory, self.course_id, self)
        dialog.finished.connect(lambda _r: (self.reload(), self.changed.emit()))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def issue_certificates(self) -> operations.Write[list[int]] | None:
        """Issue the certificates due; the running operation (its ``result`` the ids
        issued), or None without a course."""
        if self.course_id is None:
            return None
        course_id = self.course_id

        def issued(ids: list[int]) -> None:
            self.reload()
            self.changed.emit()
            QMessageBox.information(self, self.tr("Certificates"), self.tr(
                "{0} certificates issued (to participants whose status is completed and who "
                "had none).").format(shown_numbers.count(len(ids))))

        write = operations.Write(
            self, self.session_factory,
            lambda session: certificates.issue_for_course(session, course_id),
            operation=self.tr("Issuing certificates"), changes=Changed(training=True),
            initiator=self)
        write.success(issued).failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not issued"), text))
        return write.run()  # type: ignore[return-value]

    # Papers ----------------------------------------------------------------------------------
    def _target(self, title: str, name: str, folder: bool = False) -> Path | None:
        start = str(Path(self.last_folder or Path.home()) / name)
        if folder:
            chosen = file_dialogs.get_existing_directory(self, title, str(Path(start).parent))
        else:
            chosen, _ = file_dialogs.get_save_file_name(self, title, start,
                                                        "Excel workbook (*.xlsx)")
        return Path(chosen) if chosen else None

    def save_attendance_sheet(self, path: Path | None = None) -> operations.Read[Path] | None:
        """Write the course's attendance sheet in the background; a file that cannot be
        written (read-only folder, full disk) is said in one sentence."""
        path = path or self._target(self.tr("Attendance sheet"), "attendance.xlsx")
        if path is None or self.course_id is None:
            return None
        course_id = self.course_id
        return write_export(
            self, self.session_factory,
            lambda session: training_sheets.attendance_sheet(session, course_id, path),
            operation=self.tr("Writing the attendance sheet"),
            failed=self.tr("Attendance sheet not saved"))

    def save_participant_list(self, path: Path | None = None) -> operations.Read[Path] | None:
        """Write the participant list (with contacts if ticked) in the background."""
        path = path or self._target(self.tr("Participant list"), "participants.xlsx")
        if path is None or self.course_id is None:
            return None
        course_id, contacts = self.course_id, self.contacts.isChecked()
        return write_export(
            self, self.session_factory,
            lambda session: training_sheets.participant_list(session, course_id, path,
                                                             with_contacts=contacts),
            operation=self.tr("Writing the participant list"),
            failed=self.tr("Participant list not saved"))


    def print_certificates(self, folder: Path | None = None) -> operations.Read[int] | None:
        """Write the course's certificates as PDFs (one per certificate) in the background."""
        folder = folder or self._target(self.tr("Folder for the certificates"),
                                        "certificates", folder=True)
        if folder is None or self.course_id is None:
            return None
        course_id = self.course_id

        def work(session: Session, progress: Progress) -> int:
            ids = [r.id for r in certificates.register(session, course_id=course_id)
                   if not r.voided]  # a voided certificate is not printed
            return len(certificates.write_pdfs(session, ids, folder, progress=progress))

        read = operations.Read(self, self.session_factory, work,
                               operation=self.tr("Writing the certificates"))
        read.with_progress(self.tr("Writing the certificates…"))
        read.success(lambda count: QMessageBox.information(
            self, self.tr("Certificates"), self.tr("{0} certificates written to {1}")
            .format(shown_numbers.count(count), folder)))
        read.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Certificates not written"), text))
        self.task = read
        return read.run()  # type: ignore[return-value]


def write_export(parent: QWidget, source: operations.Source,
                 work: Callable[[Session], Path], *, operation: str,
                 failed: str) -> operations.Read[Path]:
    """Write a training export off the GUI thread. A file that cannot be written (read-only
    folder, full disk: nothing is left behind) is said in one sentence under ``failed``."""
    read = operations.Read(parent, source, work, operation=operation)
    read.failure(lambda text, _error: QMessageBox.warning(parent, failed, text))
    return read.run()  # type: ignore[return-value]
