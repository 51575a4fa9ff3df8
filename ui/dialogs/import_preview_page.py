"""File > Import accessions, third step: every row checked, the first rows at once and
the rest in the background; problems by row, filterable, savable as a spreadsheet. For
accessions that exist, what an update would change, field by field (old -> new), judged in
the core; clearing stored values for blank cells is chosen here, and the rows are judged
again when it changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)
from sqlalchemy.orm import Session

from genebank.io import passport_preview, problem_report
from genebank.io.files import FileNotWritten
from genebank.io.passport_preview import ImportPreview, RowStatus
from genebank.io.spreadsheet import Sheet
from genebank.passport import passport_existing
from genebank.progress import Progress
from ui import messages, operations
from ui.dialogs.sheet_wizard import ERROR_STYLE
from ui.models.import_preview_table import ImportPreviewModel, PreviewFilter, describe_row
from ui.views import shown_numbers, shown_values

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard


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
        self.counts = shown_values.follow_layout(QLabel(self))
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.sheet_problems = shown_values.follow_layout(QLabel(self))
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
                                                     header_index=wizard.header_index,
                                                     dates=wizard.dates)
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
        dates = wizard.dates
        factory = wizard.session_factory
        clear_blank = self.clear_blank.isChecked()
        self.clear_blank.setEnabled(False)

        def work(session: Session, progress: Progress) -> ImportPreview:
            preview = passport_preview.preview_passports(
                sheet, mapping=mapping, header_index=header, dates=dates,
                progress=progress)  # type: ignore[arg-type]
            passport_existing.mark_existing(session, preview, clear_blank=clear_blank)
            return preview

        read = operations.Read(wizard, factory, work, operation=self.tr("Checking the rows"))
        read.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        def checked(preview: ImportPreview) -> None:
            if (sheet, mapping, dates) == (wizard.sheet, wizard.mapping, wizard.dates):
                # not gone back meanwhile
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
        self.sheet_problems.setText("\n".join(
            f"{p.severity.capitalize()}: {messages.problem_text(p)}"
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
                QMessageBox.warning(self, self.tr("Problems not saved"), messages.say(error))
                return
            self.counts.setText(self.counts.text() + "\n" + self.tr("Problems saved to {0}")
                                .format(written))

