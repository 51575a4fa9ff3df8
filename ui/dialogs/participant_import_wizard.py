"""Import participant list…: an organiser's spreadsheet of people, with the passport
import's habits: file and sheet, column matching, a checked preview naming every problem
and likely duplicate, then an all-or-nothing import (optionally enrolling everyone in the
current course). The work is :mod:`genebank.io.participant_sheet`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.io import participant_sheet, spreadsheet
from genebank.io.participant_sheet import ParticipantImportResult, ParticipantPreview
from genebank.io.spreadsheet import Sheet
from genebank.progress import Progress
from genebank.services import courses
from ui.tasks import Task

ERROR_STYLE = "color: #b00020;"


class ParticipantImportWizard(QWizard):
    imported = Signal(object)  # ParticipantImportResult

    def __init__(self, session_factory: sessionmaker[Session], course_id: int | None,
                 last_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.course_id = course_id
        self.last_folder = last_folder
        self.sheet: Sheet | None = None
        self.mapping: dict[int, str] = {}
        self.preview: ParticipantPreview | None = None
        self.result: ParticipantImportResult | None = None
        self.task: Task | None = None
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setWindowTitle(self.tr("Import participant list"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 600)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.run_page):
            self.addPage(page)

    def run_task(self, task: Task) -> Task:
        self.task = task
        task.finished.connect(lambda: setattr(self, "task", None))
        return task.start()

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()  # the page says so; the dialog stays until the work stops
            return
        super().reject()


class FilePage(QWizardPage):
    def __init__(self, wizard: ParticipantImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose the participant list"))
        self.setSubTitle(self.tr("An .xlsx or .csv file whose first row names the columns."))
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("&File"), row)
        self.sheets = QComboBox(self)
        form.addRow(self.tr("&Sheet"), self.sheets)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form.addRow(self.error)
        self.path.editingFinished.connect(self.load_sheets)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Participant list"),
                                                self.wizard_.last_folder,
                                                "Spreadsheets (*.xlsx *.xlsm *.csv)")
        if chosen:
            self.path.setText(chosen)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheets.clear()
        self.error.clear()
        path = Path(self.path.text().strip())
        try:
            names = (["(CSV)"] if path.suffix.lower() == ".csv"
                     else [s.name for s in spreadsheet.list_sheets(path) if s.visible])
        except (spreadsheet.UnreadableFile, OSError) as error:
            self.error.setText(str(error))
        else:
            self.sheets.addItems(names)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.sheets.count() > 0

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip())
        name = self.sheets.currentText()
        try:
            sheet = spreadsheet.read_sheet(path, None if name == "(CSV)" else name)
        except spreadsheet.UnreadableFile as error:
            self.error.setText(str(error))
            return False
        if len(sheet.rows) < 2:
            self.error.setText(self.tr("'{0}', sheet '{1}' has no rows below its header")
                               .format(path.name, sheet.name))
            return False
        self.wizard_.sheet = sheet
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ParticipantImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Match the columns"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("First value"),
                                              self.tr("Holds")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.problem = QLabel(self)
        self.problem.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problem)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        sheet = self.wizard_.sheet
        assert sheet is not None
        headers = sheet.rows[0]
        suggested = participant_sheet.suggest_mapping(headers)
        self.table.setRowCount(len(headers))
        self.combos = []
        for index, header in enumerate(headers):
            first = sheet.rows[1][index] if index < len(sheet.rows[1]) else None
            self.table.setItem(index, 0, QTableWidgetItem(
                f"{spreadsheet.column_letter(index + 1)}: {header or ''}"))
            self.table.setItem(index, 1, QTableWidgetItem("" if first is None else str(first)))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(ignore)"), None)
            for name, (label, _variants) in participant_sheet.FIELDS.items():
                combo.addItem(label, name)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(index))))
            combo.currentIndexChanged.connect(lambda _i: self._changed())
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()
        self._changed()

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def _changed(self) -> None:
        self.problem.setText(participant_sheet.mapping_problem(self.mapping()) or "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problem.text()

    def validatePage(self) -> bool:
        self.wizard_.mapping = self.mapping()
        return True


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
        wizard.preview = None
        self.summary.setText(self.tr("Checking…"))
        self.table.setRowCount(0)
        with factory() as session:
            course = (courses.get_course(session, wizard.course_id).title
                      if wizard.course_id else None)
        self.enrol.setVisible(course is not None)
        self.enrol.setChecked(course is not None)
        self.enrol.setText(self.tr("&Enrol everyone in '{0}'").format(course))

        def work(progress: Progress) -> ParticipantPreview:
            with factory() as session:
                return participant_sheet.preview_participants(
                    session, sheet, mapping, progress=progress)  # type: ignore[arg-type]

        task = Task(work)
        task.progressed.connect(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        task.succeeded.connect(self._checked)
        task.failed.connect(lambda error: self.summary.setText(str(error)))
        wizard.run_task(task)

    def _checked(self, preview: ParticipantPreview) -> None:
        self.wizard_.preview = preview
        self.progress.setValue(100)
        self.summary.setText(preview.summary())
        self.summary.setStyleSheet(ERROR_STYLE if preview.errors else "")
        notes = [(r.row, str(r.values.get("full_name") or ""), problem)
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


class RunPage(QWizardPage):
    """The import in one transaction off the GUI thread; Cancel leaves the database as it was."""

    def __init__(self, wizard: ParticipantImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Import"))
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.done = False

    def initializePage(self) -> None:
        wizard = self.wizard_
        page = wizard.preview_page
        preview, factory = wizard.preview, wizard.session_factory
        options = {"skip_invalid": page.skip.isChecked(),
                   "add_duplicates": page.add_duplicates.isChecked(),
                   "course_id": wizard.course_id if page.enrol.isChecked() else None}
        self.done = False
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Importing…"))

        def work(_progress: Progress) -> ParticipantImportResult:
            with factory.begin() as session:
                return participant_sheet.import_participants(session, preview, **options)  # type: ignore[arg-type]

        task = Task(work)
        task.succeeded.connect(self._finished)
        task.failed.connect(lambda error: self._stopped(str(error)))
        task.cancelled.connect(lambda: self._stopped(
            self.tr("Cancelled. Nothing was imported; the database is as it was.")))
        wizard.run_task(task)

    def _finished(self, result: ParticipantImportResult) -> None:
        self.wizard_.result = result
        self.status.setText(self.tr("Done: {0}.").format(result.line()))
        self.done = True
        self.wizard_.imported.emit(result)
        self.completeChanged.emit()

    def _stopped(self, message: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(message)
        self.done = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done
