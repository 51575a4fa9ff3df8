"""The rows of an import's check (:class:`genebank.imports.CheckReport`), for the import
wizard's check page, filterable by status and by the kind's own filters.

One model for every kind of import: the row's number in the spreadsheet, its status, the
record it names (accession number, seed lot, person) and each cell's problem (field, column
letter, message); the kind's view (:mod:`ui.dialogs.import_kind_views`) words the status
and the tooltip (for passport data, what an update would change, old -> new).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP as _noop
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from genebank.imports import CheckReport, ReportRow, RowStatus
from ui.views import shown_numbers, shown_values

if TYPE_CHECKING:
    from ui.dialogs.import_kind_views import KindView

ModelIndex = QModelIndex | QPersistentModelIndex
STATUS_COLOURS = {RowStatus.ERROR: QColor("#fde2e1"), RowStatus.WARNING: QColor("#fff4ce")}


class CheckFilter:
    """The filters every kind has; a kind's view adds its own keys."""

    ALL = "all"
    ERRORS = "errors"
    WARNINGS = "warnings"


class CheckTableModel(QAbstractTableModel):
    ROW, STATUS, RECORD, ABOUT, PROBLEMS = range(5)
    HEADERS = (_noop("CheckTableModel", "Row"), _noop("CheckTableModel", "Status"),
               "", "", _noop("CheckTableModel", "Problems"))

    def __init__(self, view: KindView | None = None) -> None:
        super().__init__()
        self._report: CheckReport | None = None
        self._view = view
        self._all: list[ReportRow] = []
        self._rows: list[ReportRow] = []
        self._which = CheckFilter.ALL

    @property
    def report(self) -> CheckReport | None:
        return self._report

    def set_report(self, report: CheckReport, view: KindView | None = None,
                   which: str = CheckFilter.ALL) -> None:
        """Show ``report``'s rows under the filter ``which``, worded by ``view`` (the
        kind's view, :mod:`ui.dialogs.import_kind_views`; by default the one given
        before)."""
        self._report = report
        self._view = view or self._view
        self._all = report.rows()
        self.set_filter(which)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.RECORD, self.ABOUT)

    def set_filter(self, which: str) -> None:
        self.beginResetModel()
        self._which = which
        rows = self._all
        if which == CheckFilter.ERRORS:
            rows = [r for r in rows if r.status is RowStatus.ERROR]
        elif which == CheckFilter.WARNINGS:
            rows = [r for r in rows if r.status is RowStatus.WARNING]
        elif which != CheckFilter.ALL and self._view is not None and self._report is not None:
            view, report = self._view, self._report
            rows = [r for r in rows if view.keep(report, r, which)]
        self._rows = rows
        self.endResetModel()

    def row_at(self, position: int) -> ReportRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, spreadsheet_row: int) -> int | None:
        """Where the spreadsheet's row ``spreadsheet_row`` is listed, if the filter shows it."""
        return next((i for i, r in enumerate(self._rows) if r.row == spreadsheet_row), None)

    def details(self, row: ReportRow) -> str:
        """What importing ``row`` would do and each of its problems, for a person."""
        assert self._view is not None and self._report is not None
        return self._view.details(self._report, row)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            if section == self.RECORD:
                return self._view.identity() if self._view is not None else ""
            if section == self.ABOUT:
                return self._view.about_header() if self._view is not None else ""
            return QCoreApplication.translate("CheckTableModel", self.HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_COLOURS.get(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.details(row)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.ROW:  # the details pane's digits too (shown_numbers)
            return shown_numbers.count(row.row)
        if column == self.STATUS:
            assert self._view is not None and self._report is not None
            return self._view.status(self._report, row)
        if column == self.RECORD:
            return shown_values.ltr(row.label)
        if column == self.ABOUT:
            assert self._view is not None and self._report is not None
            return self._view.about(self._report, row)
        assert self._view is not None
        return "; ".join(self._view.problem(p) for p in row.problems)
