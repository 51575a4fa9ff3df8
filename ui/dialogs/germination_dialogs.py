"""Germination test forms: a test counted now or recorded as sown to count later, and counting
a test recorded as sown. Each replicate row is checked live against the seeds sown."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import conservation_view, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.services.errors import ServiceError
from ui.dialogs.record_dialog import (
    ERROR_STYLE,
    RecordDialog,
    count_box,
    date_edit,
    date_of,
    on_change,
)
from ui.views import shown_numbers
from ui.views.number_box import NumberBox

MAX_REPLICATES = 8


class ReplicateGrid(QWidget):
    """Replicate rows: seeds sown and the five ISTA categories, each row checked live.

    A row adds up when normal + abnormal + dead + fresh ungerminated + hard = sown; the
    last column says so, or how many seeds are missing or too many, before Save is pressed.
    """

    def __init__(self, parent: QWidget, *, sown: tuple[int, ...] = (),
                 counts: tuple[tuple[int | None, ...], ...] = ()) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        titles = (self.tr("Sown"), self.tr("Normal"), self.tr("Abnormal"), self.tr("Dead"),
                  self.tr("Fresh\nungerminated"), self.tr("Hard"))
        for column, title in enumerate(titles, start=1):
            header = QLabel(title, self)
            header.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(header, 0, column)
        self.fixed_sown = sown  # a test in progress: its seeds sown are what they were
        rows = len(sown) or MAX_REPLICATES
        self.cells: list[list[NumberBox]] = []
        self.row_labels: list[QLabel] = []
        self.checks: list[QLabel] = []
        for row in range(rows):
            label = QLabel(str(row + 1), self)
            grid.addWidget(label, row + 1, 0)
            cells = [count_box(self, 100_000) for _ in titles]
            cells[0].setValue(sown[row] if sown else 50)
            cells[0].setReadOnly(bool(sown))
            for cell, value in zip(cells[1:], counts[row] if row < len(counts) else (),
                                   strict=False):
                cell.setValue(value or 0)  # an old count to complete, as recorded
            for cell, title in zip(cells, titles, strict=True):
                cell.setAccessibleName(self.tr("Replicate {0}, {1}").format(
                    row + 1, title.replace("\n", " ")))
            for column, cell in enumerate(cells, start=1):
                grid.addWidget(cell, row + 1, column)
            check = QLabel(self)
            check.setMinimumWidth(self.fontMetrics().horizontalAdvance("00 seeds too many "))
            grid.addWidget(check, row + 1, len(titles) + 1)
            self.cells.append(cells)
            self.row_labels.append(label)
            self.checks.append(check)
        self.shown = rows
        self.counting = True

    def show_rows(self, count: int) -> None:
        self.shown = count
        for row, (label, cells, check) in enumerate(zip(self.row_labels, self.cells,
                                                        self.checks, strict=True)):
            for widget in (label, check, *cells):
                widget.setVisible(row < count)

    def set_counting(self, counting: bool) -> None:
        """Counts typed now, or the test only sown (its count columns off)."""
        self.counting = counting
        for cells in self.cells:
            for cell in cells[1:]:
                cell.setEnabled(counting)

    def sown(self) -> list[int]:
        return [cells[0].value() for cells in self.cells[:self.shown]]

    def replicates(self) -> list[Replicate]:
        return [Replicate(*(cell.value() for cell in cells)) for cells in self.cells[:self.shown]]

    def show_checks(self) -> bool:
        """Mark each row that adds up, say by how much the others do not; True if all do."""
        balanced = True
        for check, replicate in zip(self.checks, self.replicates(), strict=False):
            gap = replicate.sown - replicate.counted
            if not self.counting:
                check.setText("")
            elif gap == 0:
                check.setText("✓")
                check.setStyleSheet("color: #1b5e20;")
            else:
                balanced = False
                check.setText(self.tr("{0} not counted").format(gap) if gap > 0
                              else self.tr("{0} too many").format(-gap))
                check.setStyleSheet(ERROR_STYLE)
        return balanced

    def result_text(self) -> str:
        if any(cell.problem() for cells in self.cells[:self.shown] for cell in cells):
            return "-"  # not worked out from numbers the cells do not show
        replicates = self.replicates()
        sown = sum(r.sown for r in replicates)
        balanced = self.show_checks()  # and clears the marks of a test only sown
        if not sown:
            return "-"
        if not self.counting:
            return self.tr("to count later ({0} seeds sown)").format(shown_numbers.count(sown))
        if not balanced:
            return self.tr("the counts do not add up to the seeds sown yet")
        normal = sum(r.normal for r in replicates)
        return self.tr("{0} ({1} normal seedlings of {2} seeds sown)").format(
            shown_numbers.percent(seed_tests.germination_percent(replicates)),
            shown_numbers.count(normal), shown_numbers.count(sown))


class GridDialog(RecordDialog):
    """A record dialog around a replicate grid, grown to show a refusal in full."""

    def _refused(self, message: str) -> bool:
        refused = super()._refused(message)
        self.layout().activate()
        self.adjustSize()  # the wrapped message needs its lines; the grid keeps its own
        return refused


def fit_to_grid(dialog: RecordDialog) -> None:
    """Keep the dialog at least as large as its replicate grid and any refusal shown:
    RecordDialog's fixed minimum width would otherwise let the layout cut the headers, the
    row checks or the message off."""
    dialog.layout().setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    dialog.adjustSize()


class GerminationDialog(GridDialog):
    """A germination test: counted now, replicate by replicate with its percentage worked
    out live, or recorded as sown and counted later (its seeds leave the lot now)."""

    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Germination test of lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        self.tested_on = date_edit(self)
        self.method = QLineEdit(self)
        self.method.setPlaceholderText(self.tr("e.g. between paper, 20 °C, 7 days"))
        self.pretreatment = QLineEdit(self)
        self.tester = QLineEdit(self.user, self)
        self.replicate_count = QSpinBox(self)
        self.replicate_count.setRange(1, MAX_REPLICATES)
        self.replicate_count.setValue(4)
        self.sown_only = QCheckBox(self.tr("Record as &sown, count later"), self)
        self.sown_only.setToolTip(self.tr(
            "The seeds leave the lot now; the test sets no viability until it is counted "
            "(Conservation > Needs attention > Germination tests to count)"))
        self.counted_on = date_edit(self)
        for label, widget in ((self.tr("Sown &on"), self.tested_on),
                              (self.tr("&Method"), self.method),
                              (self.tr("&Pre-treatment"), self.pretreatment),
                              (self.tr("&Replicates"), self.replicate_count),
                              ("", self.sown_only)):
            self.form.addRow(label, widget)
        self.grid = ReplicateGrid(self)
        self.cells = self.grid.cells
        self.form.addRow(self.grid)
        self.form.addRow(self.tr("&Counted on"), self.counted_on)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.form.addRow(self.tr("Germination"), self.result)
        self.consumed = count_box(self, blank=self.tr("the seeds sown"))
        self.consumed.setToolTip(self.tr("Seeds taken from the lot for this test; "
                                         "empty: the seeds sown"))
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        self.form.addRow(self.tr("&Tester"), self.tester)
        self.form.addRow(self.tr("Seeds &used"), self.consumed)
        self.form.addRow(self.tr("N&otes"), self.notes)
        self.replicate_count.valueChanged.connect(self._show_rows)
        self.sown_only.toggled.connect(self._counting_changed)
        on_change(self._show_result, *(cell for cells in self.cells for cell in cells))
        self._show_rows()
        fit_to_grid(self)

    def replicates(self) -> list[Replicate]:
        return self.grid.replicates()

    def _show_rows(self) -> None:
        self.grid.show_rows(self.replicate_count.value())
        self._show_result()
        self.grid.layout().activate()
        self.layout().activate()
        self.adjustSize()  # no blank rows where the hidden replicates were

    def _counting_changed(self, sown_only: bool) -> None:
        self.grid.set_counting(not sown_only)
        self.counted_on.setEnabled(not sown_only)
        self._show_result()

    def _show_result(self) -> None:
        self.result.setText(self.grid.result_text())
        self.error.hide()  # a refusal of the counts before this change no longer applies

    def work(self) -> Callable[[Session], int]:
        common = {"tested_on": date_of(self.tested_on), "method": self.method.text(),
                  "pretreatment": self.pretreatment.text(), "tester": self.tester.text(),
                  "notes": self.notes.toPlainText(),
                  "seeds_consumed": self.consumed.optional_value()}
        if self.sown_only.isChecked():
            return partial(seed_tests.start_germination, lot_id=self.lot.id,
                           sown=self.grid.sown(), **common)  # type: ignore[arg-type]
        return partial(seed_tests.record_germination, lot_id=self.lot.id,
                       replicates=self.replicates(), counted_on=date_of(self.counted_on),
                       **common)  # type: ignore[arg-type]


class CountGerminationDialog(GridDialog):
    """Count a germination test recorded as sown (or re-count, from the lab's sheet, an old
    test whose counts fall short of the seeds sown); its seeds sown stay as they were.

    It counts the one test it is given (the one highlighted in the lot's Tests, or the row
    chosen in a worklist) and names it, so what is saved is the test the user pointed at."""

    def _label(self, line: conservation_view.TestLine) -> str:
        """A test to count: its date, state and seeds sown, numbers as the system writes
        them."""
        sown = " + ".join(shown_numbers.count(n) for n in line.sown)
        if line.status == "in_progress" or line.percent is None:
            return self.tr("{0}: sown, not yet counted ({1} seeds)").format(
                f"{line.tested_on:%Y-%m-%d}", sown)
        return self.tr("{0}: {1} as recorded, counts short of the seeds sown ({2} seeds)"
                       ).format(f"{line.tested_on:%Y-%m-%d}",
                                shown_numbers.percent(line.percent), sown)

    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 test: conservation_view.TestLine, parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Count a germination test of lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        self.line = test
        self.test = QLabel(self._label(test), self)
        self.test.setWordWrap(True)
        self.counted_on = date_edit(self)
        self.form.addRow(self.tr("Test"), self.test)
        self.form.addRow(self.tr("&Counted on"), self.counted_on)
        self.grid = ReplicateGrid(self, sown=test.sown, counts=test.counts)
        self.form.addRow(self.grid)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.form.addRow(self.tr("Germination"), self.result)
        on_change(self._show_result, *(cell for cells in self.grid.cells for cell in cells))
        self._show_result()
        fit_to_grid(self)

    @property
    def cells(self) -> list[list[NumberBox]]:
        return self.grid.cells

    def _show_result(self) -> None:
        self.result.setText(self.grid.result_text())
        self.error.hide()  # a refusal of the counts before this change no longer applies

    def work(self) -> Callable[[Session], int]:
        test_id = self.line.test_id
        if test_id is None:
            raise ServiceError(self.tr("this is not a germination test to count"))
        replicates, counted_on = self.grid.replicates(), date_of(self.counted_on)

        def count(session: Session) -> int:
            seed_tests.complete_germination(session, test_id, replicates=replicates,
                                            counted_on=counted_on)
            return test_id
        return count
