"""Change history entries as a Qt table model: one row per changed field, newest first.

A thin adapter over :class:`genebank.history.queries.HistoryEntry` lists (read off the GUI
thread by :mod:`ui.views.history_view`): an entry whose row was created by an import or the
demo, or erased, has no fields and takes one row. The entry's own columns (when, who, the
operation, the record) are shown on its first row only, so that each change reads as one
block; every row carries its entry in :data:`ENTRY_ROLE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from genebank.history.labels import EntryLabels
from genebank.history.queries import FieldChange, HistoryEntry
from ui.views import history_words

ModelIndex = QModelIndex | QPersistentModelIndex

WHEN, WHO, OPERATION, RECORD, WHAT, FIELD, OLD, NEW, REASON = range(9)
COLUMNS = (WHEN, WHO, OPERATION, RECORD, WHAT, FIELD, OLD, NEW, REASON)
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's HistoryEntry
FIRST_OF_ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2  # True on an entry's first row


class HistoryTableModel(QAbstractTableModel):
    """``set_entries(entries)`` shows them newest first (whatever order they came in)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[HistoryEntry] = []
        self.labels = EntryLabels()
        self._rows: list[tuple[HistoryEntry, FieldChange | None, bool]] = []
        self._titles = (self.tr("When"), self.tr("Who"), self.tr("Operation"),
                        self.tr("Record"), self.tr("What"), self.tr("Field"),
                        self.tr("Old value"), self.tr("New value"), self.tr("Reason"))

    def set_entries(self, entries: Sequence[HistoryEntry],
                    labels: EntryLabels | None = None) -> None:
        """Show ``entries``; ``labels`` say which test or line each is about, and name the
        accessions, lots and places their ids point at."""
        self.beginResetModel()
        self.labels = labels or EntryLabels()
        self.entries = sorted(entries, key=lambda e: (e.at, e.id), reverse=True)
        self._rows = []
        for entry in self.entries:
            changes = history_words.shown_fields(entry)
            if not changes:
                self._rows.append((entry, None, True))
            for number, change in enumerate(changes):
                self._rows.append((entry, change, number == 0))
        self.endResetModel()

    def entry_at(self, row: int) -> HistoryEntry | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    # Qt's model interface ------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._titles):
            return self._titles[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry, change, first = self._rows[index.row()]
        column = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role == FIRST_OF_ENTRY_ROLE:
            return first
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, change, first, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WHO:
                return history_words.who_tip(entry)
            if column in (OLD, NEW, REASON, RECORD, WHAT, OPERATION, FIELD):
                return self._text(entry, change, True, column) or None
        return None

    def _text(self, entry: HistoryEntry, change: FieldChange | None, first: bool,
              column: int) -> str:
        if column == FIELD:
            return history_words.field_label(entry.table_name, change.field) if change else ""
        if column == OLD:
            return "" if change is None or entry.action == "created" else \
                history_words.change_value(entry, change, new=False, labels=self.labels)
        if column == NEW:
            return "" if change is None or entry.action in ("deleted", "erased") else \
                history_words.change_value(entry, change, new=True, labels=self.labels)
        if not first:
            return ""
        if column == WHEN:
            return history_words.local_time(entry.at)
        if column == WHO:
            return history_words.who_text(entry)
        if column == OPERATION:
            return history_words.operation_text(entry)
        if column == RECORD:
            return history_words.record_text(entry)
        if column == WHAT:
            return history_words.what_text(entry, self.labels)
        if column == REASON:
            return entry.reason
        return ""
