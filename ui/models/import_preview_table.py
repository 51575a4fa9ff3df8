"""The rows of an import preview, for the wizard's preview page, filterable by status.

A row for an accession that exists says how many of its descriptors the import would
change (or that it is unchanged); :func:`describe_row` words every change, old -> new, for
the tooltip and the page's details pane.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP as _noop
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from genebank.io.passport_preview import ImportPreview, PreviewRow, RowStatus, as_text
from genebank.mcpd.descriptors import BY_CODE, Kind
from ui import messages
from ui.views import shown_numbers, shown_values

ModelIndex = QModelIndex | QPersistentModelIndex
STATUS_COLOURS = {RowStatus.ERROR: QColor("#fde2e1"), RowStatus.WARNING: QColor("#fff4ce")}


class PreviewFilter:
    ALL = "all"
    ERRORS = "errors"
    WARNINGS = "warnings"
    EXISTING = "existing"
    CHANGING = "changing"
    UNCHANGED = "unchanged"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportPreviewModel", text)


# The descriptors that hold a measured number (coordinates, elevation, uncertainty), shown in
# the system's regional format; codes (SAMPSTAT, COLLSRC...) stay as the standard writes them.
MEASURED = {Kind.LATITUDE_DECIMAL, Kind.LONGITUDE_DECIMAL, Kind.INTEGER, Kind.NUMBER}


def _shown(value: object, field: str = "") -> str:
    if value is None:
        return _tr("(empty)")
    descriptor = BY_CODE.get(field)
    if descriptor is not None and descriptor.kind in MEASURED \
            and isinstance(value, int | float) and not isinstance(value, bool):
        return shown_numbers.number(value)
    return shown_values.ltr(as_text(value))


def describe_row(row: PreviewRow) -> str:
    """What importing ``row`` would do, and its problems, as lines for a person to read."""
    if row.existing_id is None and any(p.field == "ACCENUMB" and p.severity == "error"
                                       for p in row.problems):
        lines = [_tr("Row {0}: refused, see below").format(row.row)]
    elif row.existing_id is None:
        lines = [_tr("Row {0}: a new accession").format(row.row)]
    elif row.unchanged:
        lines = [_tr("Row {0}: exists, and the file holds it as stored; an update changes "
                     "nothing").format(row.row)]
    else:
        lines = [_tr("Row {0}: exists; an update changes:").format(row.row)]
        lines += [f"  {c.field}: {_shown(c.old, c.field)}  →  {_shown(c.new, c.field)}"
                  for c in row.changes]
    lines += [f"{p.severity.capitalize()} {p.field or ''}"
              f"{f' ({p.column})' if p.column else ''}: {messages.problem_text(p)}"
              for p in row.problems]
    return "\n".join(lines)


class ImportPreviewModel(QAbstractTableModel):
    HEADERS = (_noop("ImportPreviewModel", "Row"), _noop("ImportPreviewModel", "Status"),
               _noop("ImportPreviewModel", "Accession number"),
               _noop("ImportPreviewModel", "Taxon"), _noop("ImportPreviewModel", "Problems"))

    def __init__(self, preview: ImportPreview | None = None) -> None:
        super().__init__()
        self._preview = preview
        self._rows: list[PreviewRow] = []
        self._which = PreviewFilter.ALL
        self.set_filter(PreviewFilter.ALL)

    @property
    def preview(self) -> ImportPreview | None:
        return self._preview

    def set_preview(self, preview: ImportPreview, which: str = PreviewFilter.ALL) -> None:
        self._preview = preview
        self.set_filter(which)

    def set_filter(self, which: str) -> None:
        self.beginResetModel()
        self._which = which
        rows = self._preview.rows if self._preview else []
        if which == PreviewFilter.ERRORS:
            rows = [r for r in rows if r.status is RowStatus.ERROR]
        elif which == PreviewFilter.WARNINGS:
            rows = [r for r in rows if r.status is RowStatus.WARNING]
        elif which == PreviewFilter.EXISTING:
            rows = [r for r in rows if r.existing_id is not None]
        elif which == PreviewFilter.CHANGING:
            rows = [r for r in rows if r.changes]
        elif which == PreviewFilter.UNCHANGED:
            rows = [r for r in rows if r.unchanged]
        self._rows = rows
        self.endResetModel()

    def row_at(self, position: int) -> PreviewRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, spreadsheet_row: int) -> int | None:
        """Where the spreadsheet's row ``spreadsheet_row`` is listed, if the filter shows it."""
        return next((i for i, r in enumerate(self._rows) if r.row == spreadsheet_row), None)

    def refresh(self) -> None:
        """The rows were judged again (another choice): filter and show them as they are
        now (a row may have moved between "would change" and "unchanged")."""
        self.set_filter(self._which)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return QCoreApplication.translate("ImportPreviewModel", self.HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_COLOURS.get(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe_row(row)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return row.row
        if column == 1:
            status = {RowStatus.OK: _tr("ready"), RowStatus.WARNING: _tr("warning"),
                      RowStatus.ERROR: _tr("error")}[row.status]
            if row.existing_id is None:
                return status
            if row.unchanged:
                return _tr("{0}, unchanged").format(status)
            return (_tr("{0}, 1 change") if len(row.changes) == 1 else
                    _tr("{0}, {1} changes")).format(status, shown_numbers.count(len(row.changes)))
        if column == 2:
            return shown_values.ltr(row.values.get("ACCENUMB", ""))
        if column == 3:
            return shown_values.ltr(row.taxon or " ".join(
                str(row.values.get(k, "")) for k in ("GENUS", "SPECIES")).strip())
        return "; ".join(
            f"{p.field or ''}{f' ({p.column})' if p.column else ''}: {messages.problem_text(p)}"
            for p in row.problems)
