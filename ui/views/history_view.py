"""A record's change history, or the collection's recent changes, as a table: the one widget
of the History tabs (accession form, lot panel, participant form) and of the Recent changes
window.

What it shows comes from a reader, ``reader(session, limit) -> [HistoryEntry]`` (a function
of :mod:`genebank.history.queries`), run off the GUI thread (:class:`ui.operations.Read`)
when the widget is first shown, and again after any change is announced while it shows.
A history grows without end, so a read is bounded: the newest :data:`PAGE` changes, and
*Show older* reads a page more each time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.history import labels
from genebank.history.labels import EntryLabels
from genebank.history.queries import HistoryEntry
from ui import operations
from ui.models import history_table
from ui.models.history_table import HistoryTableModel
from ui.operations import Changed
from ui.views import shown_numbers

PAGE = 200  # entries read at first, and added by each Show older
Reader = Callable[[Session, int], list[HistoryEntry]]
MAX_COLUMN_WIDTH = 260
# the old and new values matter most: the other columns give way to them
MAX_WIDTHS = {history_table.OPERATION: 140, history_table.RECORD: 210,
              history_table.WHAT: 320, history_table.FIELD: 190, history_table.WHO: 170}


class HistoryView(QWidget):
    """``set_reader(reader)`` says what to show; ``loaded`` is emitted once it shows."""

    loaded = Signal()
    entry_activated = Signal(object)  # a HistoryEntry double-clicked (or Enter)

    def __init__(self, session_factory: sessionmaker[Session], *, show_record: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.reader: Reader | None = None
        self.reader_key: object = None
        self.limit = PAGE
        self.more = False  # older entries than those shown exist
        self.read: operations.Read[tuple[list[HistoryEntry], EntryLabels]] | None = None
        self._asked = 0
        self._stale = False  # the reader changed, or something was announced, while hidden
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = HistoryTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("history")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnHidden(history_table.RECORD, not show_record)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("history_status")
        self.status.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        self.older_button = QPushButton(self.tr("Show &older"), self)
        self.older_button.setAutoDefault(False)  # Enter belongs to the form's Save
        self.older_button.setToolTip(self.tr("Read {0} more changes, older than those shown")
                                     .format(shown_numbers.count(PAGE)))
        self.older_button.clicked.connect(self.show_older)
        self.older_button.hide()
        bottom.addWidget(self.older_button)
        layout.addLayout(bottom)
        operations.on_change(self, self._announced)

    def set_reader(self, reader: Reader | None, *, key: object = None) -> None:
        """Show what ``reader`` finds (None: nothing), from its newest page; read now if the
        widget shows, else when it is first shown. ``key`` names what it reads (a lot's
        id), so that a caller can tell whether it shows that already."""
        self.reader = reader
        self.reader_key = key if reader is not None else None
        self.limit = PAGE
        if reader is None:
            self._asked += 1  # a read under way is for a record no longer shown
            self.model.set_entries([])
            self.status.setText("")
            self.older_button.hide()
            return
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> operations.Read[tuple[list[HistoryEntry], EntryLabels]] | None:
        """Read the newest ``limit`` entries again, off the GUI thread."""
        reader = self.reader
        if reader is None:
            return None
        self._stale = False
        self._asked += 1
        asked, limit = self._asked, self.limit
        self.status.setText(self.tr("Reading the history…"))
        self.older_button.setEnabled(False)
        # one more than shown: whether older entries exist, without counting them all; with
        # the tests, lines, accessions and places they point at, said as people know them
        def read(session: Session) -> tuple[list[HistoryEntry], EntryLabels]:
            found = reader(session, limit + 1)
            return found, labels.entry_labels(session, found)

        self.read = operations.Read(self, self.session_factory, read,
                                    operation=self.tr("Reading the history"))
        self.read.success(lambda found: self._show(*found, asked, limit))
        self.read.failure(lambda text, _error: self._failed(text, asked))
        return self.read.run()  # type: ignore[return-value]

    def show_older(self) -> operations.Read[tuple[list[HistoryEntry], EntryLabels]] | None:
        self.limit += PAGE
        return self.reload()

    def _show(self, found: list[HistoryEntry], named: EntryLabels, asked: int,
              limit: int) -> None:
        if asked != self._asked:
            return  # a later read supersedes this one
        newest = sorted(found, key=lambda e: (e.at, e.id), reverse=True)
        self.more = len(newest) > limit
        self.model.set_entries(newest[:limit], named)
        shown = len(self.model.entries)
        if not shown:
            self.status.setText(self.tr("No change recorded."))
        elif self.more:
            self.status.setText(self.tr("The newest {0} changes, newest first.").format(
                shown_numbers.count(shown)))
        else:
            self.status.setText(self.tr("{0} changes, newest first.").format(
                shown_numbers.count(shown)) if shown != 1 else self.tr("1 change."))
        self.older_button.setVisible(self.more)
        self.older_button.setEnabled(True)
        self._fit_columns()
        self.loaded.emit()

    def _failed(self, text: str, asked: int) -> None:
        if asked == self._asked:
            self.status.setText(text)
            self.older_button.setEnabled(True)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(self.model.columnCount() - 1):
            widest = MAX_WIDTHS.get(column, MAX_COLUMN_WIDTH)
            if self.table.columnWidth(column) > widest:
                self.table.setColumnWidth(column, widest)  # the whole text in its tooltip

    def _activated(self, index: object) -> None:
        entry = self.model.data(index, history_table.ENTRY_ROLE)  # type: ignore[arg-type]
        if entry is not None:
            self.entry_activated.emit(entry)

    def _announced(self, changes: Changed, _initiator: object) -> None:
        """Whatever changed may be in this history: read it again (now if it shows)."""
        if self.reader is None or not changes:
            return
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

