"""Training > Open training…: courses, participants, certificates and reports of the
training programme, in a window of their own, because participants' records are personal
data and are shown nowhere else in the application."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QRectF, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank import countries
from genebank.io import headings
from genebank.io.files import FileNotWritten
from genebank.training import certificates, courses, participants, training_reports, training_sheets
from genebank.training.training_reports import Period, ReportRow
from genebank.users.roles import Right
from ui import file_dialogs, messages, operations
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.training_dialogs import (
    CourseDialog,
    DuplicatesDialog,
    ParticipantDialog,
    ProgrammeDialog,
)
from ui.operations import Changed
from ui.views import certificate_corrections, shown_numbers
from ui.views.correction_actions import mark_void
from ui.views.course_view import CourseView, write_export
from ui.views.highlighted_record import HighlightedRecord
from ui.views.training_rights import Greying, WhyNot, why_not_of


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[object, ...]], ids: list[int]) -> None:
    table.setRowCount(len(rows))
    for row, (values, item_id) in enumerate(zip(rows, ids, strict=True)):
        for column, value in enumerate(values):
            text = ("" if value is None else f"{value:%Y-%m-%d}" if isinstance(value, dt.date)
                    else shown_numbers.number(value) if isinstance(value, int | float)
                    else str(value))
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            if isinstance(value, int | float):  # the number itself, and aligned as one
                item.setData(shown_numbers.NUMBER_ROLE, value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()




def _private_note(parent: QWidget) -> QLabel:
    """Where a person without the right to read personal data is told why they see none."""
    note = QLabel(parent)
    note.setObjectName("personal_data_note")
    note.setWordWrap(True)
    note.hide()
    return note


class TrainingWindow(QWidget):
    """``why_not``: why the person may not do what needs a right (the main window's, which
    also knows a database whose people must sign in); by default the signed-in person's
    roles decide (:mod:`ui.views.training_rights`). Opened by the person signed in: the main
    window closes it when the person changes."""

    def __init__(self, session_factory: sessionmaker[Session], last_folder: str = "",
                 parent: QWidget | None = None, *, why_not: WhyNot | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session_factory = session_factory
        self.last_folder = last_folder
        self.why_not = why_not or why_not_of(session_factory)
        self.private_reason = self.why_not(Right.READ_PERSONAL_DATA)
        self.setWindowTitle(self.tr("Training programme"))
        self.resize(1250, 720)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs)
        self.courses_tab = CoursesTab(self)
        self.participants_tab = ParticipantsTab(self)
        self.certificates_tab = CertificatesTab(self)
        self.reports_tab = ReportsTab(self)
        self.tabs.addTab(self.courses_tab, self.tr("&Courses"))
        self.tabs.addTab(self.participants_tab, self.tr("&Participants"))
        self.tabs.addTab(self.certificates_tab, self.tr("Ce&rtificates"))
        self.tabs.addTab(self.reports_tab, self.tr("Re&ports"))
        self.tabs.currentChanged.connect(lambda _i: self.tabs.currentWidget().reload())
        QShortcut(QKeySequence.StandardKey.Find, self,
                  activated=lambda: self.tabs.currentWidget().search.setFocus())
        operations.on_change(self, self._announced)

    def _announced(self, changes: Changed, initiator: object) -> None:
        """Training records changed in another window (an import, a second training window):
        show them. What this window changes itself it rereads itself."""
        inside = isinstance(initiator, QWidget) and (initiator is self
                                                     or self.isAncestorOf(initiator))
        if changes.training and not inside:
            self.tabs.currentWidget().reload()


class CoursesTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a course: title, topic, city, host"))
        self.search.setClearButtonEnabled(True)
        new = QPushButton(self.tr("&New course…"), self)
        new.clicked.connect(lambda: self.new_course())
        import_list = QPushButton(self.tr("&Import participant list…"), self)
        import_list.clicked.connect(lambda: self.import_list())
        programme = QPushButton(self.tr("Pro&gramme…"), self)
        programme.setToolTip(self.tr("The selected course's programme: sponsor, attendance "
                                     "needed for completion, certificate numbers"))
        programme.clicked.connect(lambda: self.edit_programme())
        bar.addWidget(self.search, 1)
        bar.addWidget(programme)
        bar.addWidget(new)
        bar.addWidget(import_list)
        layout.addLayout(bar)
        self.greying = Greying(window.why_not)
        for button in (new, import_list, programme):
            self.greying.needs(button, Right.CHANGE_TRAINING)
        self.greying.apply()
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = _table(splitter, [self.tr("Starts"), self.tr("Ends"), self.tr("Title"),
                                       self.tr("Venue"), self.tr("Host"), self.tr("Status"),
                                       self.tr("Enrolled"), self.tr("Capacity")])
        self.table.setObjectName("courses")
        self.course_view = CourseView(window.session_factory, window.last_folder, splitter,
                                      why_not=window.why_not)
        splitter.setSizes([230, 470])
        layout.addWidget(splitter, 1)
        # the panel shows the highlighted course, and only it (see HighlightedRecord)
        self.highlighted = HighlightedRecord(self.table, self.course_view.show_course)
        self.course_view.changed.connect(self._refresh_list)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.reload()

    def reload(self, select: int | None = None, *, reshow: bool = True) -> None:
        """List the courses matching the search, keeping ``select`` (else the highlighted
        course, else the first match) highlighted and shown in the panel."""
        self._timer.stop()
        text = self.search.text()
        rows = operations.read_now(
            self.window_.session_factory,
            lambda session: courses.find_courses(session, text=text),
            operation=self.tr("Finding courses"))
        self.highlighted.refill(lambda: _fill(
            self.table, [(r.start_on, r.end_on, r.title, r.venue, r.host, r.status, r.enrolled,
                          r.capacity) for r in rows], [r.id for r in rows]), select=select,
            reshow=reshow)

    def _refresh_list(self) -> None:
        """The panel changed its course: update the list (counts, status) around it; the
        panel is rebuilt only if the highlight moved (a tick must not scroll it away)."""
        self.reload(reshow=False)

    def select_course(self, course_id: int) -> None:
        """Show every course again, with ``course_id`` highlighted and in the panel."""
        with QSignalBlocker(self.search):
            self.search.clear()
        self.reload(course_id)

    def new_course(self) -> CourseDialog:
        dialog = CourseDialog(self.window_.session_factory, parent=self)
        dialog.accepted.connect(lambda: self.select_course(dialog.saved_id))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def edit_programme(self) -> ProgrammeDialog | None:
        course_id = self.highlighted.key()
        if course_id is None:
            return None
        programme_id = operations.read_now(
            self.window_.session_factory,
            lambda session: courses.course_details(session, course_id).programme_id,
            operation=self.tr("Reading the course"))
        dialog = ProgrammeDialog(self.window_.session_factory, programme_id, self)
        dialog.accepted.connect(lambda: self.reload())
        dialog.setModal(True)
        dialog.show()
        return dialog

    def import_list(self) -> ImportWizard:
        wizard = ImportWizard(self.window_.session_factory, None, (headings.PARTICIPANTS,),
                              course_id=self.highlighted.key(),
                              last_folder=self.window_.last_folder, parent=self)
        wizard.imported.connect(lambda _r: (self.course_view.reload(), self._refresh_list()))
        wizard.setModal(True)
        wizard.show()
        return wizard


class ParticipantsTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a person: name, e-mail or institution"))
        self.search.setClearButtonEnabled(True)
        self.country = QComboBox(self)
        self.country.addItem(self.tr("All countries"), None)
        self.count = QLabel(self)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.country)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        self.table = _table(self, [self.tr("Name"), self.tr("Original script"),
                                   self.tr("Gender"), self.tr("Country"),
                                   self.tr("Institution"), self.tr("E-mail"),
                                   self.tr("Courses")])
        self.table.setObjectName("participants")
        self.table.itemActivated.connect(lambda _item: self.edit())
        self.note = _private_note(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.on_person: list[QPushButton] = []  # enabled only while a person is highlighted
        self.greying = Greying(window.why_not)
        for text, slot, right in ((self.tr("&New participant…"), self.new,
                                   Right.CHANGE_TRAINING),
                                  (self.tr("&Open…"), self.edit, Right.READ_PERSONAL_DATA),
                                  (self.tr("Likely &duplicates…"), self.duplicates,
                                   Right.READ_PERSONAL_DATA),
                                  (self.tr("&Erase on request…"), self.erase,
                                   Right.CHANGE_TRAINING)):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
            self.greying.needs(button, right)
            if slot in (self.edit, self.erase):
                self.on_person.append(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.highlighted = HighlightedRecord(self.table, lambda person: self.greying.apply(
            lambda button: person is not None or button not in self.on_person))
        self.greying.apply(lambda button: button not in self.on_person)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.country.currentIndexChanged.connect(lambda _i: self.reload())
        self._countries_loaded = False
        self.reload()

    def reload(self, select: int | None = None, *, removed: bool = False) -> None:
        """List the people matching the search and country, keeping ``select`` (else the
        highlighted person; ``removed``: the next one) highlighted, else the first match."""
        self._timer.stop()
        if not self._countries_loaded:
            codes = operations.read_now(self.window_.session_factory,
                                        participants.countries_present,
                                        operation=self.tr("Finding participants"))
            for name, code in sorted((countries.country_name(c), c) for c in codes):
                self.country.addItem(name, code)
            self._countries_loaded = True
        text, country = self.search.text(), self.country.currentData()
        private = self.window_.private_reason
        total, rows = operations.read_now(
            self.window_.session_factory, lambda session: (
                participants.count_participants(session, text=text, country=country),
                [] if private else participants.find_participants(
                    session, text=text, country=country, limit=500)),
            operation=self.tr("Finding participants"))
        if private:  # how many, not who
            self.note.setText(self.tr("Who they are is personal data, not shown here. {0}")
                              .format(private))
            self.note.show()
        self.highlighted.refill(lambda: _fill(
            self.table, [(r.full_name, r.original_name, r.gender,
                          countries.country_name(r.country), r.institution, r.email, r.courses)
                         for r in rows], [r.id for r in rows]), select=select, removed=removed)
        self.count.setText(
            self.tr("{0} people").format(shown_numbers.count(total))
            if total <= len(rows) or private
            else self.tr("first {0} of {1}").format(shown_numbers.count(len(rows)),
                                                    shown_numbers.count(total)))

    def new(self) -> ParticipantDialog:
        dialog = ParticipantDialog(self.window_.session_factory, parent=self)
        dialog.accepted.connect(lambda: self.reload(dialog.saved_id))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def edit(self) -> ParticipantDialog | None:
        person = self.highlighted.key()
        if person is None:
            return None
        dialog = ParticipantDialog(self.window_.session_factory, participant_id=person,
                                   parent=self)
        dialog.accepted.connect(lambda: self.reload())
        dialog.setModal(True)
        dialog.show()
        return dialog

    def duplicates(self) -> DuplicatesDialog:
        dialog = DuplicatesDialog(self.window_.session_factory, self)
        dialog.finished.connect(lambda _r: self.reload(removed=True))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def erase(self) -> operations.Write[None] | None:
        """Erase the highlighted person's data once confirmed; the running operation, or
        None if nothing was started."""
        person, row = self.highlighted.key(), self.highlighted.row()
        if person is None or row is None:
            return None
        name = self.table.item(row, 0).text()
        answer = QMessageBox.question(
            self, self.tr("Erase on request"), self.tr(
                "Erase {0}'s personal data (name, e-mail, phone, position, notes, and the "
                "name on their certificates)?\n\nTheir enrolments stay, with gender, country "
                "and institution only, so course statistics stay right. This cannot be "
                "undone.").format(name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        write = operations.Write(
            self, self.window_.session_factory,
            lambda session: participants.erase(session, person),
            operation=self.tr("Erasing {0}'s personal data").format(name),
            changes=Changed(training=True), initiator=self)
        # an erased name no longer matches a search
        write.success(lambda _result: self.reload(removed=True))
        write.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not erased"), text))
        return write.run()  # type: ignore[return-value]


class CertificatesTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a certificate: number or name"))
        reprint = QPushButton(self.tr("&Reprint selected…"), self)
        reprint.clicked.connect(lambda: self.reprint())
        export = QPushButton(self.tr("&Export register…"), self)
        export.clicked.connect(lambda: self.export())
        bar.addWidget(self.search, 1)
        bar.addWidget(reprint)
        bar.addWidget(export)
        layout.addLayout(bar)
        self.rows: list[certificates.RegisterRow] = []
        self.reprint_button = reprint
        self.greying = Greying(window.why_not)
        self.greying.needs(reprint, Right.READ_PERSONAL_DATA)
        self.greying.needs(export, Right.READ_PERSONAL_DATA)
        self.note = _private_note(self)
        layout.addWidget(self.note)
        self.table = _table(self, [self.tr("Number"), self.tr("Issued"),
                                   self.tr("Participant"), self.tr("Country"),
                                   self.tr("Course"), self.tr("Dates"), self.tr("Hours")])
        self.table.setObjectName("certificates")
        self.highlighted = HighlightedRecord(self.table, lambda _id: self._highlighted())
        certificate_corrections.install(self, bar)  # Correct… and Void…
        self.greying.needs(self.correct_button, Right.CHANGE_TRAINING)
        self.greying.needs(self.void_button, Right.CHANGE_TRAINING)
        self._highlighted()
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(lambda _t: self.reload())
        self.reload()

    def reload(self) -> None:
        if self.window_.private_reason:  # the register names people: not read at all
            self.note.setText(self.tr("The certificate register names people: personal data, "
                                      "not shown here. {0}").format(self.window_.private_reason))
            self.note.show()
            self.search.setEnabled(False)
            self.greying.apply()
            return
        text = self.search.text()
        rows = operations.read_now(
            self.window_.session_factory,
            lambda session: certificates.register(session, text=text, limit=2000),
            operation=self.tr("Finding certificates"))
        self.rows = rows

        def fill() -> None:
            _fill(self.table, [(r.number, r.issued_on, r.participant_name,
                                countries.country_name(r.country), r.course_title,
                                r.course_dates, r.hours) for r in rows], [r.id for r in rows])
            mark_void(self.table, [(row, r.void_reason) for row, r in enumerate(rows)
                                   if r.voided], label_column=0)

        self.highlighted.refill(fill)

    def current(self) -> certificates.RegisterRow | None:
        """The highlighted certificate (None when none is)."""
        key = self.highlighted.key()
        return next((r for r in self.rows if r.id == key), None)

    def _highlighted(self) -> None:
        """A voided certificate is not reprinted, corrected or voided again."""
        row = self.current()
        live = row is not None and not row.voided
        on_one = (self.reprint_button, self.correct_button, self.void_button)
        self.greying.apply(lambda button: live or button not in on_one)

    def reprint(self, folder: Path | None = None) -> list[Path]:
        certificate_id = self.highlighted.key()
        if certificate_id is None:
            return []
        if folder is None:
            chosen = file_dialogs.get_existing_directory(self, self.tr("Save the certificate in"),
                                                         self.window_.last_folder)
            if not chosen:
                return []
            folder = Path(chosen)
        try:
            return operations.read_now(
                self.window_.session_factory,
                lambda session: certificates.write_pdfs(session, [certificate_id], folder),
                operation=self.tr("Writing the certificate"))
        except FileNotWritten as error:  # e.g. a number that is not a safe file name
            QMessageBox.warning(self, self.tr("Certificate not written"), messages.say(error))
            return []

    def export(self, path: Path | None = None) -> operations.Read[Path] | None:
        """Write the certificate register in the background; a failure in one sentence."""
        if path is None:
            chosen, _ = file_dialogs.get_save_file_name(
                self, self.tr("Certificate register"),
                str(Path(self.window_.last_folder or Path.home()) / "certificates.xlsx"),
                "Excel workbook (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        return write_export(
            self, self.window_.session_factory,
            lambda session: training_sheets.certificate_register(session, path),
            operation=self.tr("Writing the certificate register"),
            failed=self.tr("Certificate register not saved"))


class BarChart(QWidget):
    """Horizontal bars: simple, readable, and printed as seen (no chart library needed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, int, int]] = []  # label, value, completed
        self.setMinimumHeight(200)

    def set_bars(self, bars: list[tuple[str, int, int]]) -> None:
        self.bars = bars[:15]
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No data"))
            return
        label_width = min(260, self.width() // 3)
        height = max(12.0, min(26.0, (self.height() - 24) / len(self.bars)))
        top = max(value for _l, value, _c in self.bars) or 1
        span = self.width() - label_width - 70
        metrics = painter.fontMetrics()
        for index, (label, value, completed) in enumerate(self.bars):
            y = 8 + index * height
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, label_width - 8, height - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                label_width - 8))
            width = span * value / top
            painter.fillRect(QRectF(label_width, y + 2, width, height - 6), QColor("#9cc5a1"))
            painter.fillRect(QRectF(label_width, y + 2, span * completed / top, height - 6),
                             QColor("#2f6b3c"))
            painter.drawText(QRectF(label_width + width + 6, y, 70, height - 4),
                             Qt.AlignmentFlag.AlignVCenter, shown_numbers.count(value))


class ReportsTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.start = QDateEdit(QDate.currentDate().addYears(-5), self)
        self.end = QDateEdit(QDate.currentDate(), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(lambda _d: self.reload())
        self.breakdown = QComboBox(self)
        for key, label in (("country", self.tr("per country")), ("course", self.tr("per course")),
                           ("gender", self.tr("per gender")),
                           ("institution", self.tr("per institution"))):
            self.breakdown.addItem(label, key)
        self.breakdown.currentIndexChanged.connect(lambda _i: self.reload())
        export = QPushButton(self.tr("&Export to Excel…"), self)
        export.clicked.connect(lambda: self.export())
        self.search = self.breakdown  # Ctrl+F lands here
        for widget in (QLabel(self.tr("Courses starting from"), self), self.start,
                       QLabel(self.tr("to"), self), self.end, QLabel(self.tr("People trained"),
                                                                     self), self.breakdown):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(export)
        layout.addLayout(bar)
        self.totals = QLabel(self)
        layout.addWidget(self.totals)
        splitter = QSplitter(self)
        self.table = _table(splitter, [self.tr("Of"), self.tr("People trained"),
                                       self.tr("Completed"), self.tr("Completion %"),
                                       self.tr("Women")])
        self.chart = BarChart(splitter)
        self.institutions = _table(splitter, [self.tr("Country"),
                                              self.tr("Institution trained"),
                                              self.tr("People")])
        splitter.setSizes([430, 420, 380])
        layout.addWidget(splitter, 1)
        self._asked = 0  # the latest reload: an earlier one arriving late is dropped
        self.reload()

    def period(self) -> Period:
        return Period(self.start.date().toPython(), self.end.date().toPython())

    def reload(self) -> operations.Read[object]:
        """Read the report (it sums every enrolment of the period: off the GUI thread, the
        totals saying "Reading…" meanwhile); a later reload supersedes one still running."""
        period = self.period()
        breakdown = self.breakdown.currentData()
        self._asked += 1
        asked = self._asked
        self.totals.setText(self.tr("Reading the training report…"))
        read = operations.Read(
            self, self.window_.session_factory, lambda session: (
                training_reports.totals(session, period),
                training_reports.participants_by(session, breakdown, period),
                training_reports.institutions_by_country(session, period)),
            operation=self.tr("Reading the training report"))
        read.success(lambda result: self._show(period, *result) if asked == self._asked
                     else None)
        read.failure(lambda text, _error: self.totals.setText(text) if asked == self._asked
                     else None)
        return read.run()  # type: ignore[return-value]

    def _show(self, period: Period, total: ReportRow, rows: list[ReportRow],
              institutions: dict[str, list[tuple[str, int]]]) -> None:
        self.totals.setText(self.tr(
            "{0}: {1} people trained, {2} completed ({3}), {4} women ({5}).").format(
                period.label().capitalize(), shown_numbers.count(total.participants),
                shown_numbers.count(total.completed), shown_numbers.percent(total.completion_pct),
                shown_numbers.count(total.women), shown_numbers.percent(
                    round(100 * total.women / total.participants, 1) if total.participants
                    else 0)))
        _fill(self.table, [(r.key, r.participants, r.completed, r.completion_pct, r.women)
                           for r in rows], [0] * len(rows))
        self.chart.set_bars([(r.key, r.participants, r.completed) for r in rows])
        listed = [(country, institution, count) for country, entries in institutions.items()
                  for institution, count in entries]
        _fill(self.institutions, listed, [0] * len(listed))

    def export(self, path: Path | None = None) -> operations.Read[Path] | None:
        """Write the report's workbook in the background; a failure in one sentence."""
        if path is None:
            chosen, _ = file_dialogs.get_save_file_name(
                self, self.tr("Training report"),
                str(Path(self.window_.last_folder or Path.home()) / "training-report.xlsx"),
                "Excel workbook (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        period = self.period()
        return write_export(
            self, self.window_.session_factory,
            lambda session: training_sheets.report_workbook(session, period, path),
            operation=self.tr("Writing the training report"),
            failed=self.tr("Training report not saved"))

