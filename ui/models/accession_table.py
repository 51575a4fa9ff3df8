"""The accession table model: a million rows without loading them.

On every search, filter or sort it asks the database for the count and the first page
(a few milliseconds), paints, and loads the full ordered id list in the background
(design rule 6). Rows are read by id a page at a time, as the view asks, through a small
LRU cache. Rows past the first page show a placeholder for the moment the ids are loading.
"""

from __future__ import annotations

import weakref
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP as _noop
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPalette
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from genebank import countries, db, mcpd
from genebank.mcpd.date_values import format_date
from genebank.passport import accession_query as query
from genebank.passport.accession_query import AccessionFilter, AccessionRow, SortKey
from genebank.progress import Progress
from ui import messages, operations
from ui.tasks import Task
from ui.views import shown_values

PAGE_SIZE = 200
CACHED_PAGES = 40
ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    key: SortKey
    title: str


class AccessionTableModel(QAbstractTableModel):
    COLUMNS = (
        Column(SortKey.ACCENUMB, _noop("AccessionTableModel", "Accession number")),
        Column(SortKey.TAXON, _noop("AccessionTableModel", "Taxon")),
        Column(SortKey.CROPNAME, _noop("AccessionTableModel", "Crop")),
        Column(SortKey.ACCENAME, _noop("AccessionTableModel", "Name")),
        Column(SortKey.ORIGCTY, _noop("AccessionTableModel", "Origin")),
        Column(SortKey.SAMPSTAT, _noop("AccessionTableModel", "Biological status")),
        Column(SortKey.ACQDATE, _noop("AccessionTableModel", "Acquired")),
        Column(SortKey.STORAGE, _noop("AccessionTableModel", "Storage")),
    )
    ACCESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    LOADING_TEXT = "…"

    count_changed = Signal(int)
    ids_loaded = Signal()
    load_failed = Signal(str)

    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._where = AccessionFilter()
        self._sort = SortKey.ACCENUMB
        self._descending = False
        self._ids: array[int] | list[int] = array("q")
        self._count = 0
        self._complete = True
        self._pages: OrderedDict[int, dict[int, AccessionRow]] = OrderedDict()
        self._generation = 0
        self._task: Task | None = None

    # Qt API -------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.COLUMNS)):
            return QCoreApplication.translate("AccessionTableModel",
                                                  self.COLUMNS[section].title)
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, self.ACCESSION_ID_ROLE):
            return None
        row = self._row(index.row())
        if row is None:
            return self.LOADING_TEXT if role == Qt.ItemDataRole.DisplayRole else None
        if role == self.ACCESSION_ID_ROLE:
            return row.id
        if row.withdrawal_reason is not None:  # greyed, with its reason (Show withdrawn)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled,
                                                       QPalette.ColorRole.Text)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.withdrawn_text(row)
            key = self.COLUMNS[index.column()].key
            if key == SortKey.ACCENUMB:
                return self.tr("{0} (withdrawn: {1})").format(
                    row.accenumb, messages.key_word(row.withdrawal_reason))
        elif role == Qt.ItemDataRole.ForegroundRole:
            return None
        return self._cell(row, self.COLUMNS[index.column()].key, role)

    def withdrawn_text(self, row: AccessionRow) -> str:
        """A withdrawn accession's tooltip: since when and why."""
        return self.tr("{0} {1}: withdrawn on {2} ({3})").format(
            row.instcode, row.accenumb,
            row.withdrawn_on.isoformat() if row.withdrawn_on else "",
            messages.key_word(row.withdrawal_reason or ""))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.COLUMNS):
            self._sort = self.COLUMNS[column].key
            self._descending = order == Qt.SortOrder.DescendingOrder
            self.refresh()

    # Our API ------------------------------------------------------------------------------
    @property
    def where(self) -> AccessionFilter:
        return self._where

    @property
    def is_complete(self) -> bool:
        """True once every matching id is known (not only the first page)."""
        return self._complete

    def set_filter(self, where: AccessionFilter) -> None:
        if where != self._where:
            self._where = where
            self.refresh()

    def row_at(self, row: int) -> AccessionRow | None:
        """The row's values as shown (None: not loaded, or out of range)."""
        return self._row(row) if 0 <= row < self._count else None

    def accession_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, accession_id: int) -> int | None:
        try:
            return self._ids.index(accession_id)
        except ValueError:
            return None

    def refresh(self) -> None:
        """Run the query again: count and first page now, every id in the background."""
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        where, sort, descending = self._where, self._sort, self._descending
        try:  # bounded (see operations.read_now): a stalled server is said, not waited for
            page = operations.read_now(
                self._session_factory,
                lambda session: query.first_page(session, where, sort=sort,
                                                 descending=descending, limit=PAGE_SIZE),
                operation="Reading the accessions")
        except (db.DatabaseError, DBAPIError) as error:
            self.load_failed.emit(operations.message(error, operation="Reading the accessions"))
            return
        first, count = page.ids, page.count
        self.beginResetModel()
        self._ids, self._count = first, count
        self._complete = len(first) >= count
        self._pages.clear()
        self.endResetModel()
        self.count_changed.emit(count)
        if self._complete:
            self._ids = array("q", first)
            self.ids_loaded.emit()
            return
        session_factory = self._session_factory

        def load(progress: Progress) -> array[int]:  # off the GUI thread (a Task)
            return operations.read_in_task(
                session_factory,
                lambda session: query.matching_ids(session, where, sort=sort,
                                                   descending=descending),
                operation="Reading the accessions")

        # A weak reference: a model dropped while its ids load (another database was opened)
        # is neither kept alive nor called.
        model = weakref.ref(self)

        def loaded(ids: array[int]) -> None:
            if (receiver := model()) is not None:
                receiver._take_ids(generation, ids)

        def failed(error: Exception) -> None:
            if (receiver := model()) is not None and shiboken6.isValid(receiver):
                receiver.load_failed.emit(operations.message(
                    error, operation="Reading the accessions"))

        task = Task(load)
        task.succeeded.connect(loaded)
        task.failed.connect(failed)
        self._task = task.start()

    def _take_ids(self, generation: int, ids: array[int]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the user has searched again meanwhile
        self._task = None
        if len(ids) != self._count:  # rows were added or removed meanwhile
            self.beginResetModel()
            self._ids, self._count, self._complete = ids, len(ids), True
            self._pages.clear()
            self.endResetModel()
            self.count_changed.emit(self._count)
        else:
            self._ids, self._complete = ids, True
            if self._count:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self._count - 1, self.columnCount() - 1))
        self.ids_loaded.emit()

    # Rows ---------------------------------------------------------------------------------
    def _row(self, row: int) -> AccessionRow | None:
        if row >= len(self._ids):
            return None
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            ids = self._ids[page_number * PAGE_SIZE:(page_number + 1) * PAGE_SIZE]
            try:
                page = {r.id: r for r in operations.read_now(
                    self._session_factory, lambda session: query.table_rows(session, ids),
                    operation="Reading the accessions")}
            except (db.DatabaseError, DBAPIError) as error:
                # Placeholders until the next refresh (not a read again at every paint),
                # and the words in the status bar.
                self.load_failed.emit(operations.message(
                    error, operation="Reading the accessions"))
                page = {}
            self._pages[page_number] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self._ids[row])

    @staticmethod
    def _cell(row: AccessionRow, key: SortKey, role: int) -> str:
        tooltip = role == Qt.ItemDataRole.ToolTipRole
        match key:
            case SortKey.ACCENUMB:
                return f"{row.instcode} {row.accenumb}" if tooltip else row.accenumb
            case SortKey.TAXON:
                return row.taxon
            case SortKey.CROPNAME:
                return row.cropname
            case SortKey.ACCENAME:
                return row.accename
            case SortKey.ORIGCTY:
                name = countries.country_name(row.origcty)
                return name if tooltip else (f"{row.origcty} {name}" if row.origcty else "")
            case SortKey.SAMPSTAT:
                if row.sampstat is None:
                    return ""
                return shown_values.ltr(f"{row.sampstat} {mcpd.SAMPSTAT.get(row.sampstat, '')}")
            case SortKey.ACQDATE:
                return format_date(row.acqdate)
            case SortKey.STORAGE:
                codes = [int(c) for c in row.storage.split(";") if c]
                shown = [f"{c} {mcpd.STORAGE.get(c, '')}" for c in codes]
                if tooltip:
                    return "\n".join(shown_values.ltr(line) for line in shown)
                return shown_values.ltr(", ".join(shown))
        return ""
