"""Training > Courses: the courses a search finds, the highlighted one in the course panel
(:mod:`ui.views.course_view`); a new course, its programme, and a participant list
imported into it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from genebank.io import headings
from genebank.training import courses
from genebank.users.roles import Right
from ui import operations
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.training_dialogs import CourseDialog, ProgrammeDialog
from ui.views.course_view import CourseView
from ui.views.highlighted_record import HighlightedRecord
from ui.views.training_rights import Greying
from ui.views.training_tables import fill_table, record_table

if TYPE_CHECKING:
    from ui.views.training_window import TrainingWindow


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
        self.table = record_table(splitter, [self.tr("Starts"), self.tr("Ends"),
                                             self.tr("Title"), self.tr("Venue"),
                                             self.tr("Host"), self.tr("Status"),
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
        self.highlighted.refill(lambda: fill_table(
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
