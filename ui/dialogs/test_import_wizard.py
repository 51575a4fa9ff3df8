"""Conservation > Import tests…: a laboratory's germination or moisture sheet, brought in
with the passport import's habits: choose file and sheet, match the columns, preview every
refusal by row and column, then import all or nothing, off the GUI thread.

The checking is :mod:`genebank.conservation.test_import`; this is the thin GUI over it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import test_import
from genebank.conservation.test_import import TestImportResult, TestPreview
from genebank.io import headings, test_sheet
from genebank.io.files import FileNotWritten
from genebank.progress import Progress
from ui import messages, operations
from ui.dialogs import sheet_wizard
from ui.dialogs.sheet_wizard import ERROR_STYLE, SheetWizard
from ui.operations import Changed
from ui.views import shown_numbers

KIND_LABELS = {test_sheet.GERMINATION: "Germination tests (a row per replicate)",
               test_sheet.MOISTURE: "Moisture tests (a row per test)"}


class TestImportWizard(SheetWizard):

    def __init__(self, session_factory: sessionmaker[Session], last_folder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Import tests"), last_folder, parent)
        self.kind = test_sheet.GERMINATION
        self.preview: TestPreview | None = None
        self.file_page = FilePage(self)
        self.mapping_page = sheet_wizard.MappingPage(self, lambda: self.kind, self._missing)
        self.preview_page = PreviewPage(self)
        self.run_page = sheet_wizard.RunPage(self, self._import,
                                             changes=Changed(lots=True))
        for page in (self.file_page, self.mapping_page, self.preview_page, self.run_page):
            self.addPage(page)

    def _import(self) -> Callable[[Session, Progress], TestImportResult]:
        preview = self.preview
        skip = self.preview_page.skip.isChecked()

        def work(session: Session, progress: Progress) -> TestImportResult:
            return test_import.import_tests(session, preview,  # type: ignore[arg-type]
                                            skip_refused=skip, progress=progress)
        return work

    def _missing(self, mapping: dict[int, str]) -> str | None:
        missing = test_sheet.missing_required(mapping, self.kind)
        return self.tr("Still needed: {0}").format(", ".join(f.label for f in missing)) \
            if missing else None


class FilePage(sheet_wizard.FilePage):
    """The file and sheet, and which tests it holds (guessed from the sheet's name)."""

    def __init__(self, wizard: TestImportWizard) -> None:
        super().__init__(wizard, self.tr("Choose the laboratory's sheet"),
                         self.tr("A spreadsheet (.xlsx, .xls, .ods) or a text table (.csv, "
                                 ".tsv, .txt) with a row of headings naming the columns "
                                 "(title rows above it are skipped). The template shows the "
                                 "expected layout."),
                         test_sheet.KINDS)
        template = QPushButton(self.tr("Save a &template…"), self)
        template.clicked.connect(self.save_template)
        self.file_row.addWidget(template)
        self.kind = QComboBox(self)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(self.tr(label), kind)
        self.form.addRow(self.tr("&Tests"), self.kind)
        self.add_error_row()
        self.sheets.currentTextChanged.connect(self._guess_kind)

    def save_template(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the tests template"),
            str(Path(self.wizard_.last_folder or Path.home()) / "tests-template.xlsx"),
            "Excel workbook (*.xlsx)")
        if chosen:
            try:
                written = test_sheet.write_template(Path(chosen))
            except FileNotWritten as error:  # full disk, read-only folder: nothing was written
                self.error.setText(messages.say(error))
                return
            self.error.setStyleSheet("")
            self.error.setText(self.tr("Template saved: {0}").format(written))

    def _guess_kind(self, name: str) -> None:
        if "moist" in name.lower():
            self.kind.setCurrentIndex(self.kind.findData(test_sheet.MOISTURE))
        elif "germ" in name.lower() or "viab" in name.lower():
            self.kind.setCurrentIndex(self.kind.findData(test_sheet.GERMINATION))

    def validatePage(self) -> bool:
        if not super().validatePage():
            return False
        self.wizard_.kind = self.kind.currentData()  # type: ignore[attr-defined]
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
        header_index, factory = wizard.header_index, wizard.session_factory
        wizard.preview = None
        self.problems.setRowCount(0)
        self.summary.setText(self.tr("Checking…"))

        def work(session: Session, progress: Progress) -> TestPreview:
            return test_import.preview_tests(session, sheet, mapping, kind,  # type: ignore[arg-type]
                                             header_index=header_index, progress=progress)

        read = operations.Read(wizard, factory, work,
                               operation=self.tr("Checking the tests"))
        read.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        read.success(self._checked)
        read.failure(lambda text, _error: self.summary.setText(text))
        wizard.run_task(read)

    def _checked(self, preview: TestPreview) -> None:
        self.wizard_.preview = preview
        self.progress.setValue(100)
        self.summary.setText(preview.summary(shown_numbers.count))
        self.summary.setStyleSheet(ERROR_STYLE if preview.blocked else "")
        problems = sorted(preview.problems, key=lambda p: (p.row or 0, p.column or ""))
        fields = headings.table(preview.kind)
        self.problems.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            column_text = f"{problem.column} ({fields.label(problem.field or '')})" \
                if problem.column else ""
            for column, value in enumerate((str(problem.row), column_text,
                                            (self.tr("Warning: ") if problem.warning else "")
                                            + messages.problem_text(problem))):
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
