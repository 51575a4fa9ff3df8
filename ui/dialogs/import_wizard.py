"""File > Import accessions: choose a file and sheet, match columns, check every row,
choose what to do with existing accessions and errors, then import in the background.

The first rows of the sheet are read at once, so the columns and the first checked rows
show without waiting; the whole sheet is read meanwhile (a 100,000-row workbook takes
seconds). Reading, checking and importing run off the GUI thread (ui.tasks) with progress;
Cancel during the import rolls everything back. Each page's work is a core function
(``genebank.io`` and ``genebank.services.passport_import``), so the wizard only adapts.

For accessions that exist, the preview shows what an update would change, field by field
(old -> new), judged in the core on the record that would be stored; clearing stored values
for blank cells is a choice made on that page, and the rows are judged again when it changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank import mcpd
from genebank.io import passport_preview, problem_report, spreadsheet
from genebank.io.column_mapping import find_header_row, suggest_mapping
from genebank.io.files import FileNotWritten
from genebank.io.passport_preview import ImportPreview, RowStatus
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.progress import Progress
from genebank.services import passport_existing, passport_import
from genebank.services.passport_import import ImportSummary, OnErrors, OnExisting
from ui import operations
from ui.models.import_preview_table import ImportPreviewModel, PreviewFilter, describe_row
from ui.operations import Changed
from ui.settings import Settings
from ui.tasks import Task
from ui.views import shown_numbers

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"
EDITED_SHOWN = 20  # accession numbers named on the last page; the log lists every one
FIRST_ROWS = 200  # read at once for the column matching and the first page of checked rows
FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.csv);;All files (*)"


class ImportWizard(QWizard):
    """State shared by the pages: the file, its sheet data, the mapping, the preview."""

    imported = Signal(object)  # ImportSummary
    sheet_read = Signal()  # the whole sheet is in ``sheet``, or ``read_error`` says why not

    def __init__(self, session_factory: sessionmaker[Session], settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.settings = settings
        self.path: Path | None = None
        self.sheet_name: str | None = None
        self.top: Sheet | None = None  # the first rows, read at once
        self.sheet: Sheet | None = None  # every row, read in the background
        self.read_error: str | None = None
        self.reading: Task | None = None
        self.header_index = 0
        self.mapping: dict[int, str] = {}
        self.preview: ImportPreview | None = None
        self.summary: ImportSummary | None = None
        self.task: Task | operations.Operation[Any] | None = None
        self.setWindowTitle(self.tr("Import accessions"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(960, 640)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.options_page = OptionsPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.options_page,
                     self.run_page):
            self.addPage(page)

    def run_task(self, task: Task | operations.Operation[Any]) \
            -> Task | operations.Operation[Any]:
        """Start ``task`` (a read of the file, or a check or the import through the
        runner), remembering it so that Cancel can stop it."""
        self.task = task
        if isinstance(task, Task):
            task.finished.connect(lambda: setattr(self, "task", None))
            return task.start()
        task.done.connect(lambda _ok: setattr(self, "task", None))
        return task.run()

    def forget_file(self) -> None:
        """Another file or sheet was chosen: what was read and checked no longer applies."""
        if self.reading is not None:
            self.reading.cancel()
        self.top = self.sheet = self.preview = self.reading = None
        self.read_error = None

    def read_whole_sheet(self) -> None:
        """Read every row in the background; ``sheet_read`` tells when it is there."""
        path, name = self.path, self.sheet_name
        task = Task(lambda _progress: spreadsheet.read_sheet(path, name))  # type: ignore[arg-type]

        def read(sheet: Sheet) -> None:
            if self.reading is task:
                self.sheet, self.reading = sheet, None
                self.sheet_read.emit()

        def failed(error: Exception) -> None:
            if self.reading is task:
                self.read_error, self.reading = str(error), None
                self.sheet_read.emit()

        task.succeeded.connect(read)
        task.failed.connect(failed)
        self.reading = task.start()

    def reject(self) -> None:
        if self.reading is not None:
            self.reading.cancel()
        if self.task is not None:
            self.task.cancel()  # the page reports the cancel; the dialog stays until then
            return
        super().reject()


def _shown(value: object) -> str:
    """A cell as a person reads it: 300, not 300.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(self.tr("An MCPD spreadsheet (.xlsx, .xlsm) or a UTF-8 CSV file. "
                                 "Nothing is written until the last step."))
        layout = QFormLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path")
        self.path_edit.setPlaceholderText(self.tr("The file to import"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addRow(self.tr("File:"), row)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("sheet")
        layout.addRow(self.tr("Sheet:"), self.sheet_combo)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addRow(self.message)
        self.path_edit.editingFinished.connect(self.load_sheets)
        self.sheet_combo.currentIndexChanged.connect(self.completeChanged)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import accessions"),
                                              self.wizard_.settings.last_folder, FILE_FILTER)
        if path:
            self.path_edit.setText(path)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheet_combo.clear()
        self.message.clear()
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text)
        try:
            sheets = spreadsheet.list_sheets(path)
        except spreadsheet.UnreadableFile as error:
            self.message.setText(str(error))
        else:
            for sheet in sheets:
                label = sheet.name if sheet.visible else self.tr("{0} (hidden)").format(sheet.name)
                self.sheet_combo.addItem(label, sheet.name)
            first_visible = next((i for i, s in enumerate(sheets) if s.visible), 0)
            self.sheet_combo.setCurrentIndex(first_visible)
            self.wizard_.settings.last_folder = str(path.parent)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.sheet_combo.count() > 0 and not self.message.text()

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip())
        sheet = self.sheet_combo.currentData()
        if (path, sheet) != (self.wizard_.path, self.wizard_.sheet_name):
            self.wizard_.forget_file()  # read again, and check again
            self.wizard_.path, self.wizard_.sheet_name = path, sheet
        return True


class MappingPage(QWizardPage):
    """Which column holds which descriptor, from the sheet's first rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("Columns were matched by their headings. Change any match, "
                                 "or choose '(not imported)' to leave a column out."))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.header_label = QLabel(self)
        layout.addWidget(self.header_label)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("mapping")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Column heading"), self.tr("First values"), self.tr("Imports as")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 220)
        self.table.horizontalHeader().resizeSection(2, 300)
        layout.addWidget(self.table, 1)
        saved_row = QHBoxLayout()
        self.saved_combo = QComboBox(self)
        self.saved_combo.activated.connect(self.apply_saved)
        save_button = QPushButton(self.tr("Save this mapping…"), self)
        save_button.clicked.connect(self.save_mapping)
        saved_row.addWidget(QLabel(self.tr("Saved mappings:"), self))
        saved_row.addWidget(self.saved_combo, 1)
        saved_row.addWidget(save_button)
        layout.addLayout(saved_row)
        self.message = QLabel(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.combos: list[QComboBox] = []
        wizard.sheet_read.connect(self._describe_rows)

    def initializePage(self) -> None:
        wizard = self.wizard_
        self._fill_saved()
        if wizard.top is not None:
            return
        self.table.setRowCount(0)
        self.combos = []  # Next stays disabled until this file's columns are shown
        self.header_label.clear()
        self.message.clear()
        self.completeChanged.emit()
        self.progress.show()
        self.progress.setRange(0, 0)
        path, name = wizard.path, wizard.sheet_name
        task = Task(lambda _progress: spreadsheet.read_sheet(  # type: ignore[arg-type]
            path, name, first_rows=FIRST_ROWS))
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self.message.setText(self.tr("Cancelled")))
        wizard.run_task(task)

    def _failed(self, error: Exception) -> None:
        self.progress.hide()
        self.message.setText(str(error))
        self.completeChanged.emit()

    def _loaded(self, sheet: Sheet) -> None:
        wizard = self.wizard_
        wizard.top = sheet
        self.progress.hide()
        if not sheet.rows:
            self.message.setText(self.tr("The sheet '{0}' is empty.").format(sheet.name))
            self.completeChanged.emit()
            return
        if sheet.complete:
            wizard.sheet = sheet
        else:
            wizard.read_whole_sheet()
        wizard.header_index = find_header_row(sheet.rows)
        headers = sheet.rows[wizard.header_index]
        self._describe_rows()
        suggested = suggest_mapping(headers)
        self.table.setRowCount(len(headers))
        self.combos = []
        samples = sheet.rows[wizard.header_index + 1:wizard.header_index + 4]
        for index, heading in enumerate(headers):
            title = f"{column_letter(index + 1)}: {heading if heading not in (None, '') else ''}"
            self.table.setItem(index, 0, QTableWidgetItem(title))
            values = [_shown(r[index]) for r in samples
                      if index < len(r) and r[index] not in (None, "")]
            self.table.setItem(index, 1, QTableWidgetItem(" | ".join(values)))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(not imported)"), None)
            for descriptor in mcpd.DESCRIPTORS:
                combo.addItem(f"{descriptor.code} – {descriptor.label}", descriptor.code)
            combo.setCurrentIndex(max(combo.findData(suggested.get(index)), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self._changed()

    def _describe_rows(self) -> None:
        wizard = self.wizard_
        if wizard.top is None or not wizard.top.rows:
            return
        header_row = wizard.top.row_numbers[wizard.header_index]
        if wizard.sheet is not None:
            text = self.tr("Headings found on row {0}; {1} rows below it.").format(
                header_row, shown_numbers.count(len(wizard.sheet.rows) - wizard.header_index - 1))
        elif wizard.read_error is not None:
            text = wizard.read_error
        else:
            text = self.tr("Headings found on row {0}; reading the rest of the sheet…") \
                .format(header_row)
        self.header_label.setText(text)

    def current_mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def _changed(self) -> None:
        mapping = self.current_mapping()
        codes = list(mapping.values())
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            self.message.setText(self.tr("Each descriptor can come from one column only: {0}")
                                 .format(", ".join(twice)))
        elif "ACCENUMB" not in codes:
            self.message.setText(self.tr("Choose the column that holds the accession number "
                                         "(ACCENUMB)."))
        else:
            self.message.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.message.text()

    def validatePage(self) -> bool:
        mapping = self.current_mapping()
        if mapping != self.wizard_.mapping:
            self.wizard_.mapping = mapping
            self.wizard_.preview = None
        return True

    def _fill_saved(self) -> None:
        self.saved_combo.clear()
        self.saved_combo.addItem(self.tr("(choose one to apply)"), None)
        for name in sorted(self.wizard_.settings.saved_mappings):
            self.saved_combo.addItem(name, name)

    def apply_saved(self) -> None:
        name = self.saved_combo.currentData()
        saved = self.wizard_.settings.saved_mappings.get(name or "", {})
        for row, combo in enumerate(self.combos):
            heading = self.table.item(row, 0).text().split(": ", 1)[-1]
            if heading in saved:
                combo.setCurrentIndex(max(combo.findData(saved[heading]), 0))

    def save_mapping(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save mapping"),
                                        self.tr("Name for this column mapping:"))
        if ok and name.strip():
            mapping = {self.table.item(i, 0).text().split(": ", 1)[-1]: code
                       for i, code in self.current_mapping().items()}
            self.wizard_.settings.save_mapping(name.strip(), mapping)
            self._fill_saved()


class PreviewPage(QWizardPage):
    """The first rows checked at once, then every row in the background; problems by row,
    filterable, savable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Check the rows"))
        self.setSubTitle(self.tr("Every row is checked by the same rules as the accession "
                                 "form. Rows with errors cannot be imported; warnings can."))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.sheet_problems = QLabel(self)
        self.sheet_problems.setWordWrap(True)
        layout.addWidget(self.sheet_problems)
        self.clear_blank = QCheckBox(self.tr(
            "For accessions that exist, a blank cell clears the stored value of its column "
            "(never INSTCODE, ACCENUMB or GENUS)"), self)
        self.clear_blank.setObjectName("clear_blank")
        self.clear_blank.setToolTip(self.tr(
            "Unticked, an update changes only the descriptors whose cells are filled in and "
            "keeps every other stored value. Columns the file does not have are never "
            "cleared."))
        self.clear_blank.setEnabled(False)
        self.clear_blank.toggled.connect(self._judge_again)
        layout.addWidget(self.clear_blank)
        bar = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("filter")
        for text, which in ((self.tr("All rows"), PreviewFilter.ALL),
                            (self.tr("Rows with errors"), PreviewFilter.ERRORS),
                            (self.tr("Rows with warnings"), PreviewFilter.WARNINGS),
                            (self.tr("Accessions that exist already"), PreviewFilter.EXISTING),
                            (self.tr("Accessions an update would change"),
                             PreviewFilter.CHANGING),
                            (self.tr("Accessions the file holds as stored"),
                             PreviewFilter.UNCHANGED)):
            self.filter.addItem(text, which)
        self.filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(self.filter.currentData()))
        self.save_button = QPushButton(self.tr("Save problems as a spreadsheet…"), self)
        self.save_button.clicked.connect(self.save_problems)
        bar.addWidget(QLabel(self.tr("Show:"), self))
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self.model = ImportPreviewModel()
        self.view = QTableView(self)
        self.view.setObjectName("preview")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((60, 130, 150, 200)):
            self.view.horizontalHeader().resizeSection(column, width)
        layout.addWidget(self.view, 1)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(130)
        self.details.setPlaceholderText(self.tr(
            "Choose a row to see what importing it would do: for an accession that exists, "
            "each value that would change (old → new)."))
        layout.addWidget(self.details)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.model.modelReset.connect(self.details.clear)
        self.checking = False
        self.judging = False  # judging the rows again after the clear-blank choice changed
        wizard.sheet_read.connect(self._check_all)

    def initializePage(self) -> None:
        wizard = self.wizard_
        if wizard.preview is not None:
            return
        assert wizard.top is not None
        first = self._check(wizard.top)
        if wizard.top.complete:
            self._checked(first)
            return
        self.model.set_preview(first)
        self.filter.setCurrentIndex(0)
        self.save_button.setEnabled(False)
        self._show_sheet_problems(first)
        self.counts.setText(self.tr(
            "The first {0} rows are checked (below); reading and checking all the rows…")
            .format(shown_numbers.count(len(first.rows))))
        self.progress.show()
        self.progress.setRange(0, 0)
        self._check_all()

    def _check(self, sheet: Sheet) -> ImportPreview:
        """Check a few rows here and now (the first page); quick enough for the GUI thread."""
        wizard = self.wizard_
        preview = passport_preview.preview_passports(sheet, mapping=wizard.mapping,
                                                     header_index=wizard.header_index)
        clear_blank = self.clear_blank.isChecked()
        operations.read_now(
            wizard.session_factory,
            lambda session: passport_existing.mark_existing(session, preview,
                                                            clear_blank=clear_blank),
            operation=self.tr("Checking the rows"))
        return preview

    def _check_all(self) -> None:
        """Check every row once the whole sheet is read (now, or when ``sheet_read`` says)."""
        wizard = self.wizard_
        if wizard.currentPage() is not self or wizard.preview is not None or self.checking:
            return
        if wizard.read_error is not None:
            self.progress.hide()
            self.counts.setText(wizard.read_error)
            self.counts.setStyleSheet(ERROR_STYLE)
            return
        if wizard.sheet is None:
            return  # still reading: sheet_read calls again
        self.checking = True
        self.progress.setRange(0, 100)
        sheet, mapping, header = wizard.sheet, wizard.mapping, wizard.header_index
        factory = wizard.session_factory
        clear_blank = self.clear_blank.isChecked()
        self.clear_blank.setEnabled(False)

        def work(session: Session, progress: Progress) -> ImportPreview:
            preview = passport_preview.preview_passports(
                sheet, mapping=mapping, header_index=header, progress=progress)  # type: ignore[arg-type]
            passport_existing.mark_existing(session, preview, clear_blank=clear_blank)
            return preview

        read = operations.Read(wizard, factory, work, operation=self.tr("Checking the rows"))
        read.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        def checked(preview: ImportPreview) -> None:
            if (sheet, mapping) == (wizard.sheet, wizard.mapping):  # not gone back meanwhile
                self._checked(preview)

        read.success(checked)
        read.failure(lambda text, error: self.counts.setText(
            self.tr("Cancelled") if isinstance(error, operations.CancelledByUser) else text))
        read.done.connect(lambda _ok: self._check_finished())
        wizard.run_task(read)

    def _check_finished(self) -> None:
        self.checking = False
        self._check_all()  # back and forth meanwhile: check what is chosen now

    def cleanupPage(self) -> None:
        """Back: stop checking; the next visit checks with the columns chosen then."""
        if self.checking and self.wizard_.task is not None:
            self.wizard_.task.cancel()
        super().cleanupPage()

    def _checked(self, preview: ImportPreview) -> None:
        self.wizard_.preview = preview
        self.progress.hide()
        self.save_button.setEnabled(True)
        self.counts.setStyleSheet("")
        self.model.set_preview(preview)
        self.filter.setCurrentIndex(0)
        self._show_counts(preview)
        self._show_sheet_problems(preview)
        self.clear_blank.setEnabled(preview.existing > 0)
        if preview.clear_blank != self.clear_blank.isChecked():
            self._judge_again()  # ticked or unticked while the rows were being checked
        self.completeChanged.emit()

    def _show_counts(self, preview: ImportPreview) -> None:
        text = self.tr(
            "{0} rows: {1} ready, {2} with warnings, {3} with errors; {4} exist already"
        ).format(*(shown_numbers.count(n) for n in (len(preview.rows), preview.count(RowStatus.OK),
                                       preview.count(RowStatus.WARNING),
                                       preview.count(RowStatus.ERROR), preview.existing)))
        if preview.existing:
            text += " " + self.tr("({0} would change, {1} unchanged)").format(
                shown_numbers.count(preview.changing), shown_numbers.count(preview.unchanged))
        if preview.clear_blank:
            text += "; " + (self.tr("1 stored value would be cleared") if preview.cleared == 1
                            else self.tr("{0} stored values would be cleared").format(
                                shown_numbers.count(preview.cleared)))
        self.counts.setText(text + ".")

    def _show_details(self) -> None:
        row = self.model.row_at(self.view.currentIndex().row())
        self.details.setPlainText(describe_row(row) if row is not None else "")

    def _judge_again(self) -> None:
        """The clear-blank choice changed: judge the existing accessions' rows again (off
        the GUI thread: it reads their stored values)."""
        wizard = self.wizard_
        preview = wizard.preview
        if preview is None or self.judging:
            return  # checking still: _checked judges again with the choice made by then
        clear_blank = self.clear_blank.isChecked()
        if preview.clear_blank == clear_blank:
            return
        self.judging = True
        self.clear_blank.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 0)
        self.completeChanged.emit()
        factory = wizard.session_factory

        def work(session: Session) -> ImportPreview:
            # Into a new preview: the table keeps reading the shown one meanwhile.
            return passport_existing.judged_again(session, preview, clear_blank=clear_blank)

        def judged(new: ImportPreview) -> None:
            if wizard.preview is not preview:
                return  # checked anew meanwhile (back and forth): this result is stale
            self._swap_in(new)

        def finished() -> None:
            self.judging = False
            self.progress.hide()
            self.clear_blank.setEnabled(True)
            self.completeChanged.emit()
            shown = wizard.preview
            if shown is not None and shown.clear_blank != self.clear_blank.isChecked():
                self._judge_again()

        read = operations.Read(wizard, factory, work, operation=self.tr("Checking the rows"))
        read.success(judged)
        read.failure(lambda text, _error: self.counts.setText(text))
        read.done.connect(lambda _ok: finished())
        wizard.run_task(read)

    def _swap_in(self, preview: ImportPreview) -> None:
        """Show ``preview`` (the rows judged again) under the chosen filter, keeping the
        highlighted row if the filter still lists it, else the first row, so that the
        details pane always describes the highlighted row."""
        current = self.model.row_at(self.view.currentIndex().row())
        self.wizard_.preview = preview
        self.model.set_preview(preview, self.filter.currentData())
        position = self.model.position_of(current.row) if current is not None else None
        if position is None and current is not None and self.model.rowCount():
            position = 0
        if position is not None:
            self.view.setCurrentIndex(self.model.index(position, 0))
        self._show_counts(preview)
        self._show_details()

    def _show_sheet_problems(self, preview: ImportPreview) -> None:
        self.sheet_problems.setText("\n".join(f"{p.severity.capitalize()}: {p.message}"
                                               for p in preview.sheet_problems))
        self.sheet_problems.setStyleSheet(ERROR_STYLE if not preview.can_import else "")

    def isComplete(self) -> bool:
        preview = self.wizard_.preview
        return (preview is not None and preview.can_import and bool(preview.rows)
                and not self.judging)

    def save_problems(self) -> None:
        wizard = self.wizard_
        if wizard.preview is None or wizard.sheet is None or wizard.path is None:
            return
        suggested = wizard.path.with_name(f"{wizard.path.stem}-problems.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save problems"), str(suggested),
                                              "Excel workbook (*.xlsx)")
        if path:
            try:
                written = problem_report.write_problem_report(wizard.sheet, wizard.preview,
                                                              Path(path))
            except FileNotWritten as error:  # full disk, read-only folder: nothing was written
                QMessageBox.warning(self, self.tr("Problems not saved"), str(error))
                return
            self.counts.setText(self.counts.text() + "\n" + self.tr("Problems saved to {0}")
                                .format(written))


class OptionsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose what to do"))
        layout = QVBoxLayout(self)
        self.existing_label = QLabel(self)
        layout.addWidget(self.existing_label)
        self.existing = QButtonGroup(self)
        for text, choice in ((self.tr("Skip them (keep what the database has)"),
                              OnExisting.SKIP),
                             (self.tr("Update them with the filled cells only"),
                              OnExisting.UPDATE),
                             (self.tr("Stop: import nothing"), OnExisting.STOP)):
            button = QRadioButton(text, self)
            button.setProperty("choice", choice.value)
            self.existing.addButton(button)
            layout.addWidget(button)
        self.existing.buttons()[0].setChecked(True)
        layout.addSpacing(12)
        self.errors_label = QLabel(self)
        layout.addWidget(self.errors_label)
        self.errors = QButtonGroup(self)
        for text, choice in ((self.tr("Import nothing until the file is corrected"),
                              OnErrors.IMPORT_NOTHING),
                             (self.tr("Skip those rows and import the others"),
                              OnErrors.SKIP_ROWS)):
            button = QRadioButton(text, self)
            button.setProperty("choice", choice.value)
            self.errors.addButton(button)
            layout.addWidget(button)
        self.errors.buttons()[0].setChecked(True)
        layout.addStretch(1)

    def initializePage(self) -> None:
        preview = self.wizard_.preview
        assert preview is not None
        existing, errors = preview.existing, preview.count(RowStatus.ERROR)
        self.existing_label.setText(
            self.tr("1 accession in the file exists already (same institute code and number):")
            if existing == 1 else
            self.tr("{0} accessions in the file exist already (same institute code and "
                    "number):").format(shown_numbers.count(existing)))
        self.errors_label.setText(self.tr("1 row has errors:") if errors == 1 else
                                  self.tr("{0} rows have errors:").format(
                                      shown_numbers.count(errors)))
        update = self.existing.buttons()[1]
        counts = [shown_numbers.count(n)
                  for n in (preview.changing, preview.unchanged, preview.cleared)]
        update.setText(
            self.tr("Update them with the filled cells, and clear values for blank cells "
                    "({0} to change, {1} unchanged, {2} cleared)").format(*counts)
            if preview.clear_blank else
            self.tr("Update them with the filled cells only ({0} to change, {1} unchanged)")
            .format(*counts[:2]))
        for button in self.existing.buttons():
            button.setEnabled(existing > 0)
        for button in self.errors.buttons():
            button.setEnabled(errors > 0)

    def on_existing(self) -> OnExisting:
        return OnExisting(self.existing.checkedButton().property("choice"))

    def on_errors(self) -> OnErrors:
        return OnErrors(self.errors.checkedButton().property("choice"))


class RunPage(QWizardPage):
    """The import itself, in one transaction off the GUI thread; then its summary."""

    def __init__(self, wizard: ImportWizard) -> None:
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
        layout.addWidget(self.status)
        # Accessions someone else edited after the preview: left as they are, named here.
        self.edited = QLabel(self)
        self.edited.setObjectName("edited_meanwhile")
        self.edited.setWordWrap(True)
        self.edited.setStyleSheet(WARNING_STYLE)
        self.edited.hide()
        layout.addWidget(self.edited)
        # Accessions someone else added after the preview: not created twice, not updated.
        self.added = QLabel(self)
        self.added.setObjectName("added_meanwhile")
        self.added.setWordWrap(True)
        self.added.setStyleSheet(WARNING_STYLE)
        self.added.hide()
        layout.addWidget(self.added)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        self.done = False

    def initializePage(self) -> None:
        wizard = self.wizard_
        preview = wizard.preview
        assert preview is not None
        on_existing = wizard.options_page.on_existing()
        on_errors = wizard.options_page.on_errors()
        self.done = False
        # Cancel stops the import while it runs.
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.status.setText(self.tr("Importing… Cancel stops and keeps the database as it was."))

        def work(session: Session, progress: Progress) -> ImportSummary:
            return passport_import.apply_import(session, preview, on_existing=on_existing,
                                                on_errors=on_errors, progress=progress)

        write = operations.Write(wizard, wizard.session_factory, work,
                                 operation=self.tr("Importing accessions"),
                                 changes=Changed(accessions=True, imports=True),
                                 initiator=wizard)
        write.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        write.success(self._finished)
        write.failure(lambda _text, error: self._stopped(
            self.tr("Cancelled. Nothing was imported; the database is as it was.")
            if isinstance(error, operations.CancelledByUser)
            else self.tr("Nothing was imported: {0}").format(_lowered(operations.message(error)))))
        wizard.run_task(write)

    def _finished(self, summary: ImportSummary) -> None:
        self.wizard_.summary = summary
        self.progress.setValue(100)
        self.status.setText(self.tr("Done: {0}. This summary is kept in File > Import log.")
                            .format(summary.line(shown_numbers.count)))
        self.details.setPlainText("\n".join([*summary.reasons, *summary.changes]))
        edited = summary.edited_meanwhile
        if edited:
            shown = ", ".join(edited[:EDITED_SHOWN]) + (", …" if len(edited) > EDITED_SHOWN
                                                         else "")
            self.edited.setText(self.tr(
                "1 accession was edited by someone else after the preview and was not "
                "updated: {0}. That edit is kept; check the file again to update it.")
                .format(shown) if len(edited) == 1 else self.tr(
                "{0} accessions were edited by someone else after the preview and were not "
                "updated: {1}. Their edits are kept; check the file again to update them.")
                .format(shown_numbers.count(len(edited)), shown))
        self.edited.setVisible(bool(edited))
        added = summary.added_meanwhile
        if added:
            shown = ", ".join(added[:EDITED_SHOWN]) + (", …" if len(added) > EDITED_SHOWN
                                                       else "")
            updating = self.wizard_.options_page.on_existing() is OnExisting.UPDATE
            if updating:
                text = self.tr(
                    "1 accession was added by someone else after the preview and was not "
                    "updated: {0}. That record is kept; check the file again to update it."
                ).format(shown) if len(added) == 1 else self.tr(
                    "{0} accessions were added by someone else after the preview and were "
                    "not updated: {1}. Their records are kept; check the file again to "
                    "update them.").format(shown_numbers.count(len(added)), shown)
            else:
                text = self.tr(
                    "1 accession was added by someone else after the preview and was "
                    "skipped as existing: {0}.").format(shown) if len(added) == 1 else self.tr(
                    "{0} accessions were added by someone else after the preview and were "
                    "skipped as existing: {1}.").format(shown_numbers.count(len(added)), shown)
            self.added.setText(text)
        self.added.setVisible(bool(added))
        self.done = True
        self.wizard_.imported.emit(summary)
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _stopped(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(ERROR_STYLE)
        self.done = True
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _nothing_to_cancel(self) -> None:
        """The import is over (done, refused or cancelled): Cancel goes, Finish closes."""
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)

    def isComplete(self) -> bool:
        return self.done


def _lowered(sentence: str) -> str:
    """A sentence to follow a colon (the page says what was being done already)."""
    return sentence[:1].lower() + sentence[1:]
