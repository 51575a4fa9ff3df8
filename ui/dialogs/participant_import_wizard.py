"""Import participant list…: an organiser's spreadsheet of people, with the passport
import's habits: file and sheet, column matching, a checked preview naming every problem
and likely duplicate, then an all-or-nothing import (optionally enrolling everyone in the
current course). The work is :mod:`genebank.training.participant_import`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.io import headings
from genebank.progress import Progress
from genebank.training import courses, participant_import
from genebank.training.participant_import import ParticipantImportResult, ParticipantPreview
from ui import messages, operations
from ui.dialogs import sheet_wizard
from ui.dialogs.sheet_wizard import ERROR_STYLE, SheetWizard
from ui.operations import Changed
from ui.views import shown_numbers


class ParticipantImportWizard(SheetWizard):

    def __init__(self, session_factory: sessionmaker[Session], course_id: int | None,
                 last_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Import participant list"), last_folder,
                         parent)
        self.course_id = course_id
        self.preview: ParticipantPreview | None = None
        self.file_page = sheet_wizard.FilePage(
            self, self.tr("Choose the participant list"),
            self.tr("A spreadsheet (.xlsx, .xls, .ods) or a text table (.csv, .tsv, "
                    ".txt) with a row of headings naming the columns (title rows above it "
                    "are skipped)."),
            (headings.PARTICIPANTS,))
        self.file_page.add_error_row()
        self.mapping_page = sheet_wizard.MappingPage(
            self, lambda: headings.PARTICIPANTS, self._missing)
        self.preview_page = PreviewPage(self)
        self.run_page = sheet_wizard.RunPage(self, self._import,
                                             changes=Changed(training=True))
        for page in (self.file_page, self.mapping_page, self.preview_page, self.run_page):
            self.addPage(page)

    def _import(self) -> Callable[[Session, Progress], ParticipantImportResult]:
        page, preview = self.preview_page, self.preview
        options = {"skip_invalid": page.skip.isChecked(),
                   "add_duplicates": page.add_duplicates.isChecked(),
                   "course_id": self.course_id if page.enrol.isChecked() else None}

        def work(session: Session, _progress: Progress) -> ParticipantImportResult:
            return participant_import.import_participants(
                session, preview, **options)  # type: ignore[arg-type]
        return work

    def _missing(self, mapping: dict[int, str]) -> str | None:
        if headings.table(headings.PARTICIPANTS).missing(mapping.values()):
            return self.tr("Still needed: the names (a full name, or a first and a last "
                           "name)")
        return None


class PreviewPage(QWizardPage):
    """Every row checked off the GUI thread; the choices for errors, duplicates, course."""

    def __init__(self, wizard: ParticipantImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Check"))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Person"),
                                              self.tr("Problem or likely duplicate")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.skip = QCheckBox(self.tr("Import the valid rows and &skip those with errors"),
                              self)
        self.add_duplicates = QCheckBox(self.tr(
            "&Add likely duplicates as new people (otherwise they are taken as the person "
            "already recorded)"), self)
        self.enrol = QCheckBox(self)
        for box in (self.skip, self.add_duplicates, self.enrol):
            box.toggled.connect(lambda _on: self.completeChanged.emit())
            layout.addWidget(box)

    def initializePage(self) -> None:
        wizard = self.wizard_
        sheet, mapping, factory = wizard.sheet, wizard.mapping, wizard.session_factory
        header_index = wizard.header_index
        wizard.preview = None
        self.summary.setText(self.tr("Checking…"))
        self.table.setRowCount(0)
        course_id = wizard.course_id
        course = operations.read_now(
            factory, lambda session: courses.course_details(session, course_id).title,
            operation=self.tr("Reading the course")) if course_id else None
        self.enrol.setVisible(course is not None)
        self.enrol.setChecked(course is not None)
        self.enrol.setText(self.tr("&Enrol everyone in '{0}'").format(course))

        def work(session: Session, progress: Progress) -> ParticipantPreview:
            return participant_import.preview_participants(
                session, sheet, mapping, header_index=header_index,  # type: ignore[arg-type]
                progress=progress)

        read = operations.Read(wizard, factory, work,
                               operation=self.tr("Checking the participant list"))
        read.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        read.success(self._checked)
        read.failure(lambda text, _error: self.summary.setText(text))
        wizard.run_task(read)

    def _checked(self, preview: ParticipantPreview) -> None:
        self.wizard_.preview = preview
        self.progress.setValue(100)
        self.summary.setText(preview.summary(shown_numbers.count))
        self.summary.setStyleSheet(ERROR_STYLE if preview.errors else "")
        notes = [(r.row, str(r.values.get("full_name") or ""),
                  (f"{problem.column}: " if problem.column else "")
                  + messages.problem_text(problem))
                 for r in preview.rows for problem in r.errors]
        notes += [(r.row, str(r.values.get("full_name") or ""),
                   self.tr("likely already recorded: {0}").format(r.duplicate_reason)
                   if r.duplicate_of is not None else
                   self.tr("the same person as row {0}").format(r.same_as_row))
                  for r in preview.rows if not r.errors
                  and (r.duplicate_of is not None or r.same_as_row is not None)]
        notes.sort()
        self.table.setRowCount(len(notes))
        for row, values in enumerate(notes):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()
        self.skip.setVisible(bool(preview.errors))
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        if self.wizard_.task is not None:
            self.wizard_.task.cancel()

    def isComplete(self) -> bool:
        preview = self.wizard_.preview
        return preview is not None and (not preview.errors or self.skip.isChecked())
