"""Training > Open training…: courses, participants, certificates and reports of the
training programme, in a window of their own, because participants' records are personal
data and are shown nowhere else in the application.

Each tab lives in a module of its own (``ui/views/training_*_tab.py``); this one
assembles them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session, sessionmaker

from genebank.users.roles import Right
from ui import operations
from ui.operations import Changed
from ui.views.training_certificates_tab import CertificatesTab
from ui.views.training_courses_tab import CoursesTab
from ui.views.training_participants_tab import ParticipantsTab
from ui.views.training_reports_tab import ReportsTab
from ui.views.training_rights import WhyNot, why_not_of


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
