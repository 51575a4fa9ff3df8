"""The rows of an import preview, for the wizard's preview page, filterable by status."""

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

from genebank.io.passport_preview import ImportPreview, PreviewRow, RowStatus

ModelIndex = QModelIndex | QPersistentModelIndex
STATUS_COLOURS = {RowStatus.ERROR: QColor("#fde2e1"), RowStatus.WARNING: QColor("#fff4ce")}


class PreviewFilter:
    ALL = "all"
    ERRORS = "errors"
    WARNINGS = "warnings"
    EXISTING = "existing"


class ImportPreviewModel(QAbstractTableModel):
    HEADERS = (_noop("ImportPreviewModel", "Row"), _noop("ImportPreviewModel", "Status"),
               _noop("ImportPreviewModel", "Accession number"),
               _noop("ImportPreviewModel", "Taxon"), _noop("ImportPreviewModel", "Problems"))

    def __init__(self, preview: ImportPreview | None = None) -> None:
        super().__init__()
        self._preview = preview
        self._rows: list[PreviewRow] = []
        self.set_filter(PreviewFilter.ALL)

    def set_preview(self, preview: ImportPreview) -> None:
        self._preview = preview
        self.set_filter(PreviewFilter.ALL)

    def set_filter(self, which: str) -> None:
        self.beginResetModel()
        rows = self._preview.rows if self._preview else []
        if which == PreviewFilter.ERRORS:
            rows = [r for r in rows if r.status is RowStatus.ERROR]
        elif which == PreviewFilter.WARNINGS:
            rows = [r for r in rows if r.status is RowStatus.WARNING]
        elif which == PreviewFilter.EXISTING:
            rows = [r for r in rows if r.existing_id is not None]
        self._rows = rows
        self.endResetModel()

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
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return row.row
        if column == 1:
            status = {RowStatus.OK: "ready", RowStatus.WARNING: "warning",
                      RowStatus.ERROR: "error"}[row.status]
            return f"{status}, exists" if row.existing_id is not None else status
        if column == 2:
            return row.values.get("ACCENUMB", "")
        if column == 3:
            return " ".join(str(row.values.get(k, "")) for k in ("GENUS", "SPECIES")).strip()
        separator = "\n" if role == Qt.ItemDataRole.ToolTipRole else "; "
        return separator.join(
            f"{p.field or ''}{f' ({p.column})' if p.column else ''}: {p.message}"
            for p in row.problems)
