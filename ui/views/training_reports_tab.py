"""Training > Reports: the people trained in a period, per country, course, gender or
institution, as a table and a bar chart, and the report's workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from genebank.training import training_reports, training_sheets
from genebank.training.training_reports import Period, ReportRow
from ui import file_dialogs, operations
from ui.views import shown_numbers
from ui.views.course_view import write_export
from ui.views.training_tables import fill_table, record_table

if TYPE_CHECKING:
    from ui.views.training_window import TrainingWindow


class BarChart(QWidget):
    """Horizontal bars: simple, readable, and printed as seen (no chart library needed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, int, int]] = []  # label, value, completed
        self.setMinimumHeight(200)

    def set_bars(self, bars: list[tuple[str, int, int]]) -> None:
        self.bars = bars[:15]
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No data"))
            return
        label_width = min(260, self.width() // 3)
        height = max(12.0, min(26.0, (self.height() - 24) / len(self.bars)))
        top = max(value for _l, value, _c in self.bars) or 1
        span = self.width() - label_width - 70
        metrics = painter.fontMetrics()
        for index, (label, value, completed) in enumerate(self.bars):
            y = 8 + index * height
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, label_width - 8, height - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                label_width - 8))
            width = span * value / top
            painter.fillRect(QRectF(label_width, y + 2, width, height - 6), QColor("#9cc5a1"))
            painter.fillRect(QRectF(label_width, y + 2, span * completed / top, height - 6),
                             QColor("#2f6b3c"))
            painter.drawText(QRectF(label_width + width + 6, y, 70, height - 4),
                             Qt.AlignmentFlag.AlignVCenter, shown_numbers.count(value))


class ReportsTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.start = QDateEdit(QDate.currentDate().addYears(-5), self)
        self.end = QDateEdit(QDate.currentDate(), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(lambda _d: self.reload())
        self.breakdown = QComboBox(self)
        for key, label in (("country", self.tr("per country")), ("course", self.tr("per course")),
                           ("gender", self.tr("per gender")),
                           ("institution", self.tr("per institution"))):
            self.breakdown.addItem(label, key)
        self.breakdown.currentIndexChanged.connect(lambda _i: self.reload())
        export = QPushButton(self.tr("&Export to Excel…"), self)
        export.clicked.connect(lambda: self.export())
        self.search = self.breakdown  # Ctrl+F lands here
        for widget in (QLabel(self.tr("Courses starting from"), self), self.start,
                       QLabel(self.tr("to"), self), self.end, QLabel(self.tr("People trained"),
                                                                     self), self.breakdown):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(export)
        layout.addLayout(bar)
        self.totals = QLabel(self)
        layout.addWidget(self.totals)
        splitter = QSplitter(self)
        self.table = record_table(splitter, [self.tr("Of"), self.tr("People trained"),
                                             self.tr("Completed"), self.tr("Completion %"),
                                             self.tr("Women")])
        self.chart = BarChart(splitter)
        self.institutions = record_table(splitter, [self.tr("Country"),
                                                    self.tr("Institution trained"),
                                                    self.tr("People")])
        splitter.setSizes([430, 420, 380])
        layout.addWidget(splitter, 1)
        self._asked = 0  # the latest reload: an earlier one arriving late is dropped
        self.reload()

    def period(self) -> Period:
        return Period(self.start.date().toPython(), self.end.date().toPython())

    def reload(self) -> operations.Read[object]:
        """Read the report (it sums every enrolment of the period: off the GUI thread, the
        totals saying "Reading…" meanwhile); a later reload supersedes one still running."""
        period = self.period()
        breakdown = self.breakdown.currentData()
        self._asked += 1
        asked = self._asked
        self.totals.setText(self.tr("Reading the training report…"))
        read = operations.Read(
            self, self.window_.session_factory, lambda session: (
                training_reports.totals(session, period),
                training_reports.participants_by(session, breakdown, period),
                training_reports.institutions_by_country(session, period)),
            operation=self.tr("Reading the training report"))
        read.success(lambda result: self._show(period, *result) if asked == self._asked
                     else None)
        read.failure(lambda text, _error: self.totals.setText(text) if asked == self._asked
                     else None)
        return read.run()  # type: ignore[return-value]

    def _show(self, period: Period, total: ReportRow, rows: list[ReportRow],
              institutions: dict[str, list[tuple[str, int]]]) -> None:
        self.totals.setText(self.tr(
            "{0}: {1} people trained, {2} completed ({3}), {4} women ({5}).").format(
                period.label().capitalize(), shown_numbers.count(total.participants),
                shown_numbers.count(total.completed), shown_numbers.percent(total.completion_pct),
                shown_numbers.count(total.women), shown_numbers.percent(
                    round(100 * total.women / total.participants, 1) if total.participants
                    else 0)))
        fill_table(self.table, [(r.key, r.participants, r.completed, r.completion_pct, r.women)
                                for r in rows], [0] * len(rows))
        self.chart.set_bars([(r.key, r.participants, r.completed) for r in rows])
        listed = [(country, institution, count) for country, entries in institutions.items()
                  for institution, count in entries]
        fill_table(self.institutions, listed, [0] * len(listed))

    def export(self, path: Path | None = None) -> operations.Read[Path] | None:
        """Write the report's workbook in the background; a failure in one sentence."""
        if path is None:
            chosen, _ = file_dialogs.get_save_file_name(
                self, self.tr("Training report"),
                str(Path(self.window_.last_folder or Path.home()) / "training-report.xlsx"),
                "Excel workbook (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        period = self.period()
        return write_export(
            self, self.window_.session_factory,
            lambda session: training_sheets.report_workbook(session, period, path),
            operation=self.tr("Writing the training report"),
            failed=self.tr("Training report not saved"))
