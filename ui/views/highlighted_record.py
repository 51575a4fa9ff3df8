"""The record highlighted in a list, table or tree, and the panel and actions that follow it.

Every master-detail view in the application has one promise to keep: the panel shows the
record the user sees highlighted, and the buttons act on that record, never on one that was
highlighted before a search, a sort, a new record or a delete. A view that remembers "the
current record" in a variable of its own drifts from the highlight the moment a refill
replaces rows under an unchanged row number (Qt then sends no selection signal). So the one
source of truth is the view's selection, read through this class:

* ``key()`` is the record highlighted now (the ``key_role`` data of the selected row's
  ``key_column``; None when nothing is highlighted);
* ``follow`` (given at construction) is called with that key every time it changes, and once
  after every ``refill``, so the panel can reload;
* ``refill(fill, select=..., removed=...)`` refills the view and puts the highlight back on
  the record asked for, else on the record highlighted before, else on the row that took the
  removed record's place (``removed=True``: "the next row"), else on the first row (a search
  hid it: "the first match"), and with no rows on nothing;
* a model reset (a lazy model re-queried for a sort or a search) is handled the same way: the
  highlighted record is found again by key among the loaded rows, else the first row is
  highlighted. When ``fetch_if()`` says the reset only reordered the same rows (a sort), the
  record is certainly there: further pages of a lazy model are loaded to find it, up to
  ``FETCH_LIMIT`` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView
from shiboken6 import isValid

Key = Hashable
FETCH_LIMIT = 5000  # rows a lazy model loads, at most, to find the record highlighted before
SELECT_ROW = (QItemSelectionModel.SelectionFlag.ClearAndSelect
              | QItemSelectionModel.SelectionFlag.Rows)


class HighlightedRecord(QObject):
    """Keeps ``follow`` (the panel) on the record highlighted in ``view``.

    ``view`` keeps the model it has when this is made (none of our master views swaps it).
    Keys are read from ``key_role`` of column ``key_column``; for a model that has no such
    role, pass ``key_of`` (the row's index in ``key_column`` -> key).
    """

    changed = Signal(object)  # the highlighted record's key, or None

    def __init__(self, view: QAbstractItemView,
                 follow: Callable[[Key | None], None] | None = None, *,
                 key_role: int = Qt.ItemDataRole.UserRole, key_column: int = 0,
                 key_of: Callable[[QModelIndex], Key | None] | None = None,
                 fetch_if: Callable[[], bool] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.key_role = key_role
        self.key_column = key_column
        self._key_of = key_of
        self._fetch_if = fetch_if
        self._quiet = 0
        self._shown: Key | None = None
        self._before_reset: Key | None = None
        self._removed_row: int | None = None
        if follow is not None:
            self.changed.connect(follow)
        view.destroyed.connect(self._view_destroyed)
        model = view.model()
        selection = view.selectionModel()
        selection.selectionChanged.connect(lambda *_: self._sync())
        selection.currentChanged.connect(lambda *_: self._sync())
        model.modelAboutToBeReset.connect(self._remember_before_reset)
        model.modelReset.connect(self._restore_after_reset)
        model.rowsAboutToBeRemoved.connect(self._remember_removed_row)
        model.rowsRemoved.connect(self._select_next_after_removal)
        for signal in (model.rowsInserted, model.layoutChanged, model.dataChanged):
            signal.connect(lambda *_: self._sync())

    # Reading ---------------------------------------------------------------------------------
    def key(self) -> Key | None:
        """The highlighted record's key; None when no row is highlighted."""
        index = self.index()
        return self._key(index) if index.isValid() else None

    def index(self) -> QModelIndex:
        """The highlighted row's index in the key column (invalid when none is)."""
        selection = self.view.selectionModel()
        current = self.view.currentIndex()
        if current.isValid() and selection.isSelected(current):
            return current.siblingAtColumn(self.key_column)
        selected = selection.selectedIndexes()
        return selected[0].siblingAtColumn(self.key_column) if selected else QModelIndex()

    def row(self) -> int | None:
        index = self.index()
        return index.row() if index.isValid() else None

    def _key(self, index: QModelIndex) -> Key | None:
        first = index.siblingAtColumn(self.key_column)
        return self._key_of(first) if self._key_of else first.data(self.key_role)

    # Highlighting ----------------------------------------------------------------------------
    def select(self, key: Key | None) -> bool:
        """Highlight the record ``key`` if the view holds it (searching every level)."""
        if key is None:
            return False
        index = self._find(key, QModelIndex())
        if index is None:
            return False
        self._highlight(index)
        return True

    def select_row(self, row: int) -> bool:
        """Highlight top-level row ``row`` (clipped to the rows there are); none: clear."""
        model = self.view.model()
        count = model.rowCount()
        if count == 0:
            self.clear()
            return False
        self._highlight(model.index(min(max(row, 0), count - 1), self.key_column))
        return True

    def clear(self) -> None:
        self.view.selectionModel().clear()
        self._sync()

    def refill(self, fill: Callable[[], None], *, select: Key | None = None,
               removed: bool = False, reshow: bool = True) -> None:
        """Run ``fill`` (which rebuilds the rows), then highlight ``select``, else the record
        highlighted before, else (``removed``: it was deleted) the row now in its place,
        else the first row; then tell ``follow``, even if the key is unchanged since the
        record itself may have changed, unless ``reshow`` is False (the panel made the
        change and shows it already: rebuilding it would lose the user's place in it)."""
        before, before_row = self.key(), self.row()
        self._quiet += 1
        try:
            fill()
        finally:
            self._quiet -= 1
        if not (self.select(select) or self.select(before)):
            self.select_row(before_row if removed and before_row is not None else 0)
        self._sync(force=reshow)

    def _highlight(self, index: QModelIndex) -> None:
        self._quiet += 1
        try:
            self.view.selectionModel().setCurrentIndex(index, SELECT_ROW)
        finally:
            self._quiet -= 1
        self.view.scrollTo(index)
        self._sync()

    def _find(self, key: Key, parent: QModelIndex) -> QModelIndex | None:
        model = self.view.model()
        for row in range(model.rowCount(parent)):
            index = model.index(row, self.key_column, parent)
            if self._key(index) == key:
                return index
            if model.rowCount(index):
                found = self._find(key, index)
                if found is not None:
                    return found
        return None

    # Following the model ---------------------------------------------------------------------
    def _view_destroyed(self) -> None:
        self._quiet += 1  # a view's model outlives it a moment and resets as it goes

    def _sync(self, *, force: bool = False) -> None:
        if self._quiet or not isValid(self.view):
            return
        key = self.key()
        if force or key != self._shown:
            self._shown = key
            self.changed.emit(key)

    def _remember_before_reset(self) -> None:
        self._before_reset = self.key() if isValid(self.view) else None
        self._quiet += 1

    def _restore_after_reset(self) -> None:
        self._quiet -= 1
        if self._quiet or not isValid(self.view):
            return  # inside refill (it restores the highlight itself), or going
        if not self._select_fetching(self._before_reset):
            self.select_row(0)
        self._sync(force=True)

    def _select_fetching(self, key: Key | None) -> bool:
        """Highlight ``key``, loading more rows of a lazy model while it is not there yet."""
        model = self.view.model()
        self._quiet += 1  # rows arriving are not a change of highlight
        try:
            while not self.select(key):
                if key is None or self._fetch_if is None or not self._fetch_if() \
                        or model.rowCount() >= FETCH_LIMIT \
                        or not model.canFetchMore(QModelIndex()):
                    return False
                model.fetchMore(QModelIndex())
            return True
        finally:
            self._quiet -= 1

    def _remember_removed_row(self, parent: QModelIndex, first: int, last: int) -> None:
        row = self.row() if isValid(self.view) else None
        highlighted = not parent.isValid() and row is not None and first <= row <= last
        self._removed_row = first if highlighted else None

    def _select_next_after_removal(self) -> None:
        row, self._removed_row = self._removed_row, None
        if self._quiet or row is None or not isValid(self.view):
            return
        self.select_row(row)
        self._sync()
