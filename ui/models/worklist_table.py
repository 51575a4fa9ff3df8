"""A worklist as a Qt table model: pages fetched as the view scrolls, sorted in the database.

A list is counted over the whole collection, so a new query (a list chosen, a search, a
sort) is read off the GUI thread (:class:`ui.operations.Read`): the rows shown stay until
the new ones arrive (``loaded``); a query asked meanwhile supersedes it. The pages fetched
as the view scrolls are short reads by offset (``read_now``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import worklists
from genebank.conservation.worklists import WorkItem, WorkQuery
from ui import operations
from ui.dialogs.lot_dialogs import STORAGE_LABELS
from ui.views import shown_numbers

PAGE = 200
ModelIndex = QModelIndex | QPersistentModelIndex


def shown_reason(item: WorkItem) -> str:
    """Why the item is on its list, its numbers in the system's regional format (the list is
    sorted in the database, never on this text; exports write ``item.reason``)."""
    if not item.reason_template:
        return item.reason
    return item.reason_template.format(*(shown_numbers.number(n) for n in item.reason_numbers))


class WorklistModel(QAbstractTableModel):
    COLUMNS = ("accession", "taxon", "lot", "storage", "due", "reason")  # = sort keys

    loaded = Signal()  # the latest query's count and first page are shown
    load_failed = Signal(str)  # why it could not be read, in words

    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.query: WorkQuery | None = None
        self.reordered = False  # the last query held the same rows as the one before it
        self.items: list[WorkItem] = []
        self.total = 0
        self.loading = False  # a query is being read; the rows shown are the previous one's
        self._asked = 0
        self.titles = (self.tr("Accession"), self.tr("Taxon"), self.tr("Lot"),
                       self.tr("Storage"), self.tr("Due"), self.tr("Reason"))

    def set_query(self, query: WorkQuery) -> operations.Read[object]:
        """Show ``query``'s list from its first page (and count it), once read."""
        reordered = self.query is not None and query == replace(
            self.query, order=query.order, descending=query.descending)
        self.query, self.loading = query, True
        self._asked += 1
        asked = self._asked

        def read(session: Session) -> tuple[int, list[WorkItem]]:
            total = worklists.count(session, query)
            return total, worklists.page(session, query, limit=PAGE) if total else []

        def arrived(result: tuple[int, list[WorkItem]]) -> None:
            if not shiboken6.isValid(self) or asked != self._asked:
                return  # closed, or another list, search or sort was asked for meanwhile
            self.reordered = reordered
            self.beginResetModel()
            (self.total, self.items), self.loading = result, False
            self.endResetModel()
            self.loaded.emit()

        def failed(text: str, _error: BaseException) -> None:
            if shiboken6.isValid(self) and asked == self._asked:
                self.loading = False
                self.load_failed.emit(text)

        load = operations.Read(None, self.session_factory, read,
                               operation=self.tr("Reading the worklist"))
        return load.success(arrived).failure(failed).run()  # type: ignore[return-value]

    def clear(self) -> None:
        """Show no list at all (no worklist is highlighted)."""
        self._asked += 1  # a list still being read is not shown
        self.loading = False
        self.beginResetModel()
        self.query, self.items, self.total = None, [], 0
        self.endResetModel()

    def reload(self) -> None:
        if self.query is not None:
            self.set_query(replace(self.query, today=dt.date.today()))

    def item(self, row: int) -> WorkItem:
        return self.items[row]

    # Qt -------------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.items[index.row()]
        value = (item.accenumb, item.taxon, item.lot_number,
                 STORAGE_LABELS.get(item.storage_type or "", item.storage_type), item.due,
                 shown_reason(item))[index.column()]
        return f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else value

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return not parent.isValid() and not self.loading and len(self.items) < self.total

    def fetchMore(self, parent: ModelIndex) -> None:
        if self.query is None or parent.isValid():
            return
        query, offset = self.query, len(self.items)
        more = operations.read_now(
            self.session_factory,
            lambda session: worklists.page(session, query, limit=PAGE, offset=offset),
            operation="Reading the worklist")
        if not more:
            self.total = len(self.items)
            return
        self.beginInsertRows(QModelIndex(), len(self.items), len(self.items) + len(more) - 1)
        self.items.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.query is None:
            return
        self.set_query(replace(self.query, order=self.COLUMNS[column],
                               descending=order == Qt.SortOrder.DescendingOrder))
