"""Conservation > Import tests…: a laboratory's germination or moisture sheet, brought in
with the passport import's habits: choose file and sheet, match the columns, preview every
refusal by row and column, then import all or nothing, off the GUI thread.

The checking is :mod:`genebank.services.test_import`; this is the thin GUI over it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
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

from genebank.io import spreadsheet, test_sheet
from genebank.io.spreadsheet import Sheet
from genebank.progress import Progress
from genebank.services import test_import
from genebank.services.test_import import TestImportResult, TestPreview
from ui.tasks import Task

ERROR_STYLE = "color: #b00020;"
SPREADSHEETS = "Spreadsheets (*.xlsx *.xlsm *.csv);;All files (*)"
KIND_LABELS = {test_sheet.GERMINATION: "Germination tests (a row per replicate)",
               test_sheet.MOISTURE: "Moisture tests (a row per test)"}


class TestImportWizard(QWizard):
    imported = Signal(object)  # TestImportResult

    def __init__(self, session_factory: sessionmaker[Session], last_folder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.last_folder = last_folder
        self.sheet: Sheet | None = None
        self.kind = test_sheet.GERMINATION
        self.mapping: dict[int, str] = {}
        self.preview: TestPreview | None = None
        self.result: TestImportResult | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Import tests"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(880, 600)
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
            self.task.cancel()  # the page says it was cancelled; the dialog stays till then
            return
        super().reject()


class FilePage(QWizardPage):
    def __init__(self, wizard: TestImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose the laboratory's sheet"))
        self.setSubTitle(self.tr("An .xlsx or .csv file; its first row names the columns. "
                                 "The template shows the expected layout."))
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        template = QPushButton(self.tr("Save a &template…"), self)
        template.clicked.connect(self.save_template)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(template)
        form.addRow(self.tr("&File"), row)
        self.sheets = QComboBox(self)
        form.addRow(self.tr("&Sheet"), self.sheets)
        self.kind = QComboBox(self)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(self.tr(label), kind)
        form.addRow(self.tr("&Tests"), self.kind)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form.addRow(self.error)
        self.path.editingFinished.connect(self.load_sheets)
        self.sheets.currentTextChanged.connect(self._guess_kind)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Import tests"),
                                                self.wizard_.last_folder, SPREADSHEETS)
        if chosen:
            self.path.setText(chosen)
            self.load_sheets()

    def save_template(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the tests template"),
            str(Path(self.wizard_.last_folder or Path.home()) / "tests-template.xlsx"),
            "Excel workbook (*.xlsx)")
        if chosen:
            written = test_sheet.write_template(Path(chosen))
            self.error.setStyleSheet("")
            self.error.setText(self.tr("Template saved: {0}").format(written))

    def load_sheets(self) -> None:
        self.sheets.clear()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.clear()
        path = Path(self.path.text().strip())
        if not path.name:
            return
        try:
            names = (["(CSV)"] if path.suffix.lower() == ".csv"
                     else [s.name for s in spreadsheet.list_sheets(path) if s.visible])
        except (spreadsheet.UnreadableFile, OSError) as error:
            self.error.setText(str(error))
        else:
            self.sheets.addItems(names)
        self.completeChanged.emit()

    def _guess_kind(self, name: str) -> None:
        if "moist" in name.lower():
            self.kind.setCurrentIndex(self.kind.findData(test_sheet.MOISTURE))
        elif "germ" in name.lower() or "viab" in name.lower():
            self.kind.setCurrentIndex(self.kind.findData(test_sheet.GERMINATION))

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
        self.wizard_.kind = self.kind.currentData()
        self.wizard_.last_folder = str(path.parent)
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: TestImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("Each column of the sheet, with its first value and what it "
                                 "holds. Change any match, or ignore a column."))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("First value"),
                                              self.tr("Holds")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.missing = QLabel(self)
        self.missing.setStyleSheet(ERROR_STYLE)
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        sheet, kind = self.wizard_.sheet, self.wizard_.kind
        assert sheet is not None
        headers = sheet.rows[0]
        suggested = test_sheet.suggest_mapping(headers, kind)
        self.table.setRowCount(len(headers))
        self.combos = []
        for index, header in enumerate(headers):
            first = sheet.rows[1][index] if index < len(sheet.rows[1]) else None
            self.table.setItem(index, 0, QTableWidgetItem(
                f"{spreadsheet.column_letter(index + 1)}: {header if header is not None else ''}"))
            shown = int(first) if isinstance(first, float) and first.is_integer() else first
            self.table.setItem(index, 1, QTableWidgetItem("" if first is None else str(shown)))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(ignore)"), None)
            for candidate in test_sheet.FIELDS[kind]:
                combo.addItem(candidate.label + ("*" if candidate.required else ""),
                              candidate.code)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(index))))
            combo.currentIndexChanged.connect(lambda _i: self._changed())
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()
        self._changed()

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def _changed(self) -> None:
        mapping = self.mapping()
        missing = test_sheet.missing_required(mapping, self.wizard_.kind)
        twice = sorted({c for c in mapping.values() if list(mapping.values()).count(c) > 1})
        text = []
        if missing:
            text.append(self.tr("Still needed: {0}").format(", ".join(f.label for f in missing)))
        if twice:
            text.append(self.tr("Matched twice: {0}").format(", ".join(twice)))
        self.missing.setText("\n".join(text))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.missing.text()

    def validatePage(self) -> bool:
        self.wizard_.mapping = self.mapping()
        return True


class PreviewPage(QWizardPage):
    """Every test checked by the services (and rolled back) off the GUI thread."""

    def __init__(self, wizard: TestImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Check"))
        self.setSubTitle(self.tr("Each test is checked exactly as if it were entered by hand; "
                                 "nothing is saved yet."))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = QTableWidget(0, 3, self)
        self.problems.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Column"),
                                                 self.tr("Problem")])
        self.problems.verticalHeader().hide()
        self.problems.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.problems, 1)
        self.skip = QCheckBox(self.tr("Import the tests that pass and &skip the refused ones "
                                      "(otherwise nothing is imported)"), self)
        self.skip.toggled.connect(lambda _on: self.completeChanged.emit())
        layout.addWidget(self.skip)

    def initializePage(self) -> None:
        wizard = self.wizard_
        sheet, mapping, kind = wizard.sheet, wizard.mapping, wizard.kind
        factory = wizard.session_factory
        wizard.preview = None
        self.problems.setRowCount(0)
        self.summary.setText(self.tr("Checking…"))

        def work(progress: Progress) -> TestPreview:
            with factory() as session:
                return test_import.preview_tests(session, sheet, mapping, kind,  # type: ignore[arg-type]
                                                 progress=progress)

        task = Task(work)
        task.progressed.connect(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        task.succeeded.connect(self._checked)
        task.failed.connect(lambda error: self.summary.setText(str(error)))
        wizard.run_task(task)

    def _checked(self, preview: TestPreview) -> None:
        self.wizard_.preview = preview
        self.progress.setValue(100)
        self.summary.setText(preview.summary())
        self.summary.setStyleSheet(ERROR_STYLE if preview.blocked else "")
        problems = sorted(preview.problems, key=lambda p: (p.row, p.column))
        self.problems.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            for column, value in enumerate((str(problem.row), problem.column,
                                            ("Warning: " if problem.warning else "")
                                            + problem.message)):
                self.problems.setItem(row, column, QTableWidgetItem(value))
        self.problems.resizeColumnsToContents()
        self.skip.setVisible(preview.blocked)
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        if self.wizard_.task is not None:
            self.wizard_.task.cancel()

    def isComplete(self) -> bool:
        preview = self.wizard_.preview
        return preview is not None and preview.ready > 0 and (
            not preview.blocked or self.skip.isChecked())


class RunPage(QWizardPage):
    def __init__(self, wizard: TestImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Import"))
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status, 1)
        self.done = False

    def initializePage(self) -> None:
        wizard = self.wizard_
        preview = wizard.preview
        assert preview is not None
        skip = wizard.preview_page.skip.isChecked()
        factory = wizard.session_factory
        self.done = False
        self.status.setText(self.tr("Importing… Cancel stops and keeps the database as it was."))

        def work(progress: Progress) -> TestImportResult:
            with factory.begin() as session:
                return test_import.import_tests(session, preview, skip_refused=skip,
                                                progress=progress)

        task = Task(work)
        task.progressed.connect(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        task.succeeded.connect(self._finished)
        task.failed.connect(lambda error: self._stopped(
            self.tr("Nothing was imported: {0}").format(error)))
        task.cancelled.connect(lambda: self._stopped(
            self.tr("Cancelled. Nothing was imported; the database is as it was.")))
        wizard.run_task(task)

    def _finished(self, result: TestImportResult) -> None:
        self.wizard_.result = result
        self.progress.setValue(100)
        self.status.setText(self.tr("Done: {0}.").format(result.line()))
        self.done = True
        self.wizard_.imported.emit(result)
        self.completeChanged.emit()

    def _stopped(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(ERROR_STYLE)
        self.done = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done
