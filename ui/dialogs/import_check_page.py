"""The import wizard's third page: every row checked by the core
(``genebank.imports.kind(k).check``, nothing written) off the GUI thread, with progress and
Cancel. With the first-rows option the rows read at once are checked at once and shown
while the whole sheet is read and checked.

One preview for every kind: each row's status, record and each cell's problem (field,
column letter, message), filtered by status (and by the kind's own filters), with a details
pane; the problems of the sheet itself; and the problems saved as a copy of the person's
own file, to correct and import back. A kind may offer a choice after which the rows are
judged again (passport data: clearing stored values for blank cells, old -> new shown in
the details)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)
from sqlalchemy.orm import Session

from genebank import imports
from genebank.imports import CheckReport
from genebank.io import problem_report
from genebank.io.files import FileNotWritten
from genebank.io.spreadsheet import Sheet
from genebank.progress import Progress
from ui import file_dialogs, messages, operations
from ui.dialogs.import_kind_views import ERROR_STYLE
from ui.models.import_check_table import CheckFilter, CheckTableModel
from ui.views import shown_numbers, shown_values

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

SHEET_PANE_LINES = 4  # the sheet's problems shown at once; more scroll


class CheckPage(QWizardPage):
    """The rows as checked, filterable, with their problems, savable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Check the rows"))
        self.setSubTitle(self.tr("Every row is checked by the same rules as the forms; "
                                 "nothing is saved yet. Rows with errors cannot be imported; "
                                 "warnings can."))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.counts = shown_values.follow_layout(QLabel(self))
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        # The sheet's own problems scroll in a pane a few lines high: a large file (the
        # Germinate world file has nine) must never squeeze the rows out of sight.
        self.sheet_problems = shown_values.follow_layout(QLabel(self))
        self.sheet_problems.setObjectName("sheet_problems")
        self.sheet_problems.setWordWrap(True)
        self.sheet_problems.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.sheet_pane = QScrollArea(self)
        self.sheet_pane.setObjectName("sheet_pane")
        self.sheet_pane.setWidgetResizable(True)
        self.sheet_pane.setFrameShape(QFrame.Shape.NoFrame)
        self.sheet_pane.setWidget(self.sheet_problems)
        self.sheet_pane.setMaximumHeight(
            SHEET_PANE_LINES * self.sheet_problems.fontMetrics().lineSpacing() + 8)
        self.sheet_pane.hide()
        layout.addWidget(self.sheet_pane)
        # A choice after which the rows are judged again, for the kinds that have one.
        self.rejudges = {kind: view.rejudge_choice(self) for kind, view in wizard.views.items()}
        for box in self.rejudges.values():
            if box is not None:
                box.setEnabled(False)
                box.toggled.connect(self._judge_again)
                layout.addWidget(box)
        bar = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("filter")
        self.filter.currentIndexChanged.connect(
            lambda: self.model.set_filter(self.filter.currentData() or CheckFilter.ALL))
        self.save_button = QPushButton(self.tr("Save problems as a copy of my file…"), self)
        self.save_button.setObjectName("save_problems")
        self.save_button.clicked.connect(self.save_problems)
        bar.addWidget(QLabel(self.tr("Show:"), self))
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self.model = CheckTableModel(wizard.view)
        self.view = QTableView(self)
        self.view.setObjectName("check")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((50, 110, 150, 150)):
            self.view.horizontalHeader().resizeSection(column, width)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        # The rows come first: the details take a quarter and can be dragged taller, so
        # that a font with tall lines (Noto, a large system font) still shows six rows.
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.model.modelReset.connect(self.details.clear)
        self.checking = False
        self.judging = False  # judging the rows again after the kind's choice changed
        wizard.sheet_read.connect(self._check_all)

    @property
    def rejudge(self):
        """The current kind's choice that judges the rows again (passport: clear blank)."""
        return self.rejudges.get(self.wizard_.kind)

    def initializePage(self) -> None:
        wizard = self.wizard_
        view = wizard.view
        for kind, box in self.rejudges.items():
            if box is not None:
                box.setVisible(kind == wizard.kind)
        self.details.setPlaceholderText(view.details_hint())
        if wizard.report is not None:
            return
        self.filter.blockSignals(True)
        self.filter.clear()
        for text, which in ((self.tr("All rows"), CheckFilter.ALL),
                            (self.tr("Rows with errors"), CheckFilter.ERRORS),
                            (self.tr("Rows with warnings"), CheckFilter.WARNINGS),
                            *((QCoreApplication.translate("ImportKindViews", words), key)
                              for words, key in view.filters)):
            self.filter.addItem(text, which)
        self.filter.blockSignals(False)
        self.counts.setStyleSheet("")
        self.sheet_problems.clear()
        self.sheet_pane.hide()
        self.save_button.setEnabled(False)
        assert wizard.top is not None
        if wizard.sheet is not None:
            self.model.set_report(self._empty_report(), view)
            self.counts.setText(self.tr("Checking the rows…"))
            self.progress.show()
            self._check_all()
            return
        first = self._check(wizard.top)
        self.model.set_report(first, view)
        self.filter.setCurrentIndex(0)
        self._show_sheet_problems(first)
        self.counts.setText(self.tr(
            "The first {0} rows are checked (below); reading and checking all the rows…")
            .format(shown_numbers.count(first.counts.get("rows", len(first.rows())))))
        self.progress.show()
        self.progress.setRange(0, 0)
        self._check_all()

    def _empty_report(self) -> CheckReport:
        wizard = self.wizard_
        return CheckReport(wizard.kind, "", "", {}, [], {}, False, None)

    def _options(self) -> imports.ImportOptions:
        box = self.rejudge
        return self.wizard_.options(clear_blank=box is not None and box.isChecked())

    def _check(self, sheet: Sheet) -> CheckReport:
        """Check the first rows here and now (quick enough for the GUI thread)."""
        wizard = self.wizard_
        check, mapping, options = imports.kind(wizard.kind).check, wizard.mapping, \
            self._options()
        return operations.read_now(
            wizard.session_factory,
            lambda session: check(session, sheet, mapping, options, None),
            operation=self.tr("Checking the rows"))

    def _check_all(self) -> None:
        """Check every row once the whole sheet is read (now, or when ``sheet_read`` says)."""
        wizard = self.wizard_
        if wizard.currentPage() is not self or wizard.report is not None or self.checking:
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
        self.progress.setValue(0)
        sheet, mapping, kind, dates = wizard.sheet, wizard.mapping, wizard.kind, wizard.dates
        check, options = imports.kind(kind).check, self._options()
        if (box := self.rejudge) is not None:
            box.setEnabled(False)

        def work(session: Session, progress: Progress) -> CheckReport:
            return check(session, sheet, mapping, options, progress)

        read = operations.Read(wizard, wizard.session_factory, work,
                               operation=self.tr("Checking the rows"))
        read.reporting(lambda done, total, _text: self._progressed(done, total))

        def checked(report: CheckReport) -> None:
            if (sheet, mapping, kind, dates) == (wizard.sheet, wizard.mapping, wizard.kind,
                                                 wizard.dates):
                self._checked(report)  # not gone back meanwhile

        def failed(text: str, error: BaseException) -> None:
            self.progress.hide()
            self.counts.setStyleSheet(ERROR_STYLE)
            if isinstance(error, operations.CancelledByUser):
                text = self._cancelled_text()
            self.counts.setText(text)

        read.success(checked)
        read.failure(failed)
        checked_with = (sheet, mapping, kind, dates)
        read.done.connect(lambda _ok: self._check_finished(checked_with))
        wizard.run_task(read)

    def _cancelled_text(self) -> str:
        """What is true after a Cancel: the first rows shown stay checked, the rest not."""
        report = self.model.report
        shown = len(report.rows()) if report is not None else 0
        if shown:
            return self.tr("Checking stopped: the first {0} rows are checked; Back, then "
                           "Next, checks all again.").format(shown_numbers.count(shown))
        return self.tr("Checking stopped: no row was checked. Back, then Next, checks all "
                       "again.")

    def _progressed(self, done: int, total: int) -> None:
        if shiboken6.isValid(self):  # the wizard may be closed while the check stops
            self.progress.setValue(done * 100 // max(total, 1))

    def _check_finished(self, checked_with: tuple[Any, ...]) -> None:
        if not shiboken6.isValid(self):
            return  # the wizard was closed meanwhile
        self.checking = False
        wizard = self.wizard_
        if checked_with != (wizard.sheet, wizard.mapping, wizard.kind, wizard.dates):
            self._check_all()  # back and forth meanwhile: check what is chosen now
        # else: checked, or stopped (Cancel, a failure) and said so: not started again

    def cleanupPage(self) -> None:
        """Back: stop checking; the next visit checks with the columns chosen then."""
        if self.checking and self.wizard_.task is not None:
            self.wizard_.task.cancel()
        super().cleanupPage()

    def _checked(self, report: CheckReport) -> None:
        wizard = self.wizard_
        wizard.report = report
        self.progress.hide()
        self.save_button.setEnabled(True)
        self.counts.setStyleSheet("")
        self.model.set_report(report, wizard.view)
        self.filter.setCurrentIndex(0)
        self._show_counts(report)
        self._show_sheet_problems(report)
        box = self.rejudge
        if box is not None:
            box.setEnabled(wizard.view.rejudge_allowed(report))
            if wizard.view.judged_with(report) != box.isChecked():
                self._judge_again()  # ticked or unticked while the rows were being checked
        self.completeChanged.emit()

    def _show_counts(self, report: CheckReport) -> None:
        self.counts.setText(self.wizard_.view.counts(report))
        self.counts.setStyleSheet(ERROR_STYLE if not report.can_apply else "")

    def _show_details(self) -> None:
        row = self.model.row_at(self.view.currentIndex().row())
        self.details.setPlainText(self.model.details(row) if row is not None else "")

    def _judge_again(self) -> None:
        """The kind's choice changed: judge the rows again (off the GUI thread: it reads
        the stored records)."""
        wizard = self.wizard_
        report, box, view = wizard.report, self.rejudge, wizard.view
        if report is None or box is None or self.judging:
            return  # checking still: _checked judges again with the choice made by then
        chosen = box.isChecked()
        if view.judged_with(report) == chosen:
            return
        self.judging = True
        box.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 0)
        self.completeChanged.emit()

        def judged(new: CheckReport) -> None:
            if wizard.report is not report:
                return  # checked anew meanwhile (back and forth): this result is stale
            self._swap_in(new)

        def finished() -> None:
            if not shiboken6.isValid(self):
                return  # the wizard was closed meanwhile
            self.judging = False
            self.progress.hide()
            box.setEnabled(True)
            self.completeChanged.emit()
            shown = wizard.report
            if shown is not None and view.judged_with(shown) != box.isChecked():
                self._judge_again()

        read = operations.Read(wizard, wizard.session_factory,
                               lambda session: view.judged_again(session, report, chosen),
                               operation=self.tr("Checking the rows"))
        read.success(judged)
        read.failure(lambda text, _error: self.counts.setText(text))
        read.done.connect(lambda _ok: finished())
        wizard.run_task(read)

    def _swap_in(self, report: CheckReport) -> None:
        """Show ``report`` (the rows judged again) under the chosen filter, keeping the
        highlighted row if the filter still lists it, else the first row, so that the
        details pane always describes the highlighted row."""
        current = self.model.row_at(self.view.currentIndex().row())
        self.wizard_.report = report
        self.model.set_report(report, self.wizard_.view, self.filter.currentData())
        position = self.model.position_of(current.row) if current is not None else None
        if position is None and current is not None and self.model.rowCount():
            position = 0
        if position is not None:
            self.view.setCurrentIndex(self.model.index(position, 0))
        self._show_counts(report)
        self._show_details()

    def _show_sheet_problems(self, report: CheckReport) -> None:
        self.sheet_problems.setText("\n".join(
            f"{p.severity.capitalize()}: {messages.problem_text(p)}"
            for p in report.sheet_problems))
        self.sheet_pane.setVisible(bool(report.sheet_problems))
        self.sheet_problems.setStyleSheet(ERROR_STYLE if not report.can_apply else "")

    def isComplete(self) -> bool:
        report = self.wizard_.report
        return report is not None and report.can_apply and not self.judging

    def save_problems(self) -> Path | None:
        """Save the problems as a copy of the person's own sheet with a PROBLEMS column, to
        correct and import back."""
        wizard = self.wizard_
        report = wizard.report
        if report is None or wizard.sheet is None or wizard.path is None:
            return None
        suggested = wizard.path.with_name(f"{wizard.path.stem}-problems.xlsx")
        path, _ = file_dialogs.get_save_file_name(self, self.tr("Save problems"), str(suggested),
                                                  "Excel workbook (*.xlsx)")
        if not path:
            return None
        sheet = wizard.sheet
        header_row = sheet.row_numbers[wizard.header_index] if sheet.row_numbers else None
        try:
            written = problem_report.write_problem_report(sheet, report.problems(), Path(path),
                                                          header_row=header_row)
        except FileNotWritten as error:  # full disk, read-only folder: nothing was written
            QMessageBox.warning(self, self.tr("Problems not saved"), messages.say(error))
            return None
        self.counts.setText(self.counts.text() + "\n" + self.tr("Problems saved to {0}")
                            .format(written))
        return written
