"""The "Needs attention" window: what the collection needs, list by list, with the counts.

On the left the collection overview: every worklist with its count. On the right the chosen
list, searchable by accession or lot number (a scanner types into the search box), sorted
by any column, opening the accession on double-click or Enter, and exported to Excel as the
lab's work plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import worklists
from genebank.conservation.worklists import WorkQuery
from genebank.progress import Progress
from ui import file_dialogs, operations
from ui.models.worklist_table import WorklistModel
from ui.operations import Changed
from ui.views import shown_numbers, shown_values
from ui.views.highlighted_record import HighlightedRecord
from ui.views.row_selection import select_row

LOT_COLUMNS = (2, 3, 4)  # lot, storage, due: hidden for the lists of accessions


class AttentionView(QWidget):
    open_accession = Signal(int, int)  # accession id, lot id (0: none)
    # a row of a list of tests: accession id, lot id, and the test that row is about
    open_test = Signal(int, int, int)

    def __init__(self, session_factory: sessionmaker[Session], last_folder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Needs attention"))
        self.session_factory = session_factory
        self.last_folder = last_folder
        self.task: operations.Read[int] | None = None
        self._counting = 0  # the latest count asked for: an earlier one arriving late is dropped
        self.resize(1150, 620)
        layout = QVBoxLayout(self)
        self.totals = shown_values.follow_layout(QLabel(self))
        layout.addWidget(self.totals)
        splitter = QSplitter(self)
        layout.addWidget(splitter, 1)
        self.lists = QListWidget(splitter)
        self.lists.setObjectName("worklists")
        for worklist in worklists.WORKLISTS:
            item = QListWidgetItem(self.tr(worklist.title), self.lists)
            item.setData(Qt.ItemDataRole.UserRole, worklist.id)
            if worklist.help:
                item.setToolTip(self.tr(worklist.help))
        right = QWidget(splitter)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit(right)
        self.search.setPlaceholderText(self.tr("Find an accession or lot number (or scan it)"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(right)
        self.export_button = QPushButton(self.tr("&Export to Excel…"), right)
        self.export_button.clicked.connect(lambda: self.export())
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.export_button)
        column.addLayout(bar)
        self.model = WorklistModel(session_factory, self)
        self.model.loaded.connect(self._list_loaded)
        self.model.load_failed.connect(self.count_label.setText)
        self._enter_pending = False  # Enter in the search box: act once the list is read
        self.table = QTableView(right)
        self.table.setObjectName("worklist")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        # the most overdue first: the order a lab works through its tests
        self.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.AscendingOrder)
        for index, width in enumerate((130, 180, 100, 150, 90)):
            self.table.setColumnWidth(index, width)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        column.addWidget(self.table, 1)
        splitter.setSizes([280, 870])
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.show_list)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_entered)
        # the table shows the highlighted list; in it, a sort or a search keeps the highlighted
        # row if it is still there, else highlights the first, and Enter opens that one
        self.list_highlight = HighlightedRecord(self.lists, lambda _list: self.show_list())
        self.row_highlight = HighlightedRecord(self.table, key_of=self._row_key,
                                               fetch_if=lambda: self.model.reordered)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)
        self.refresh()
        self.lists.setCurrentRow(0)
        operations.on_change(self, self._announced)

    # Showing -----------------------------------------------------------------------------
    def _announced(self, changes: Changed, _initiator: object) -> None:
        """A change anywhere (a form, an import of tests, the rules) can move lots on or off
        the lists: reread them."""
        if changes.any_of("accessions", "lots", "locations", "rules"):
            self.refresh()

    def current_list(self) -> str | None:
        """The highlighted worklist's id; None when none is (the table is then empty)."""
        return self.list_highlight.key()

    def _row_key(self, index: QModelIndex) -> tuple[int, int] | None:
        """A worklist row is an accession, or one of its lots in the lists of lots, or one
        of a lot's tests in the lists of tests."""
        if not 0 <= index.row() < len(self.model.items):
            return None
        item = self.model.item(index.row())
        return item.accession_id, item.lot_id or 0, item.test_id or 0

    def refresh(self) -> operations.Read[object]:
        """Recount every list (the overview, which reads the whole collection: off the GUI
        thread, the counts saying "counting…" meanwhile) and reload the one shown."""
        today = dt.date.today()
        self._counting += 1
        counting = self._counting
        self.totals.setText(self.tr("Counting the collection…"))
        self._show_counts(None)
        counted = operations.Read(
            self, self.session_factory,
            lambda session: (worklists.overview(session, today=today),
                             worklists.collection_totals(session)),
            operation=self.tr("Counting the worklists"))
        counted.success(lambda result: self._counted(today, *result)
                        if counting == self._counting else None)
        counted.failure(lambda text, _error: self.totals.setText(text)
                        if counting == self._counting else None)
        if self.model.query is not None:
            self.show_list()
        return counted.run()

    def _show_counts(self, counts: dict[str, int] | None) -> None:
        for row in range(self.lists.count()):
            item = self.lists.item(row)
            worklist = worklists.BY_ID[item.data(Qt.ItemDataRole.UserRole)]
            count = self.tr("counting…") if counts is None \
                else shown_numbers.count(counts[worklist.id])
            item.setText(f"{self.tr(worklist.title)}  ({count})")

    def _counted(self, today: dt.date, counts: dict[str, int],
                 totals: dict[str, int]) -> None:
        self._show_counts(counts)
        self.totals.setText(self.tr(
            "Collection: {0} accessions; {1} active seed lots ({2} depleted, {3} discarded). "
            "As of {4:%Y-%m-%d}.").format(
                *(shown_numbers.count(totals.get(kind, 0)) for kind in (
                    "accessions", "active_lots", "depleted_lots", "discarded_lots")),
                today))

    def show_list(self) -> None:
        list_id = self.current_list()
        if list_id is None:
            self._enter_pending = False
            self.model.clear()
            self.count_label.setText("")
            self.export_button.setEnabled(False)
            return
        header = self.table.horizontalHeader()
        order = WorklistModel.COLUMNS[header.sortIndicatorSection()]
        per_lot = worklists.BY_ID[list_id].per_lot
        if (not per_lot and order in ("lot", "storage")) or (
                order == "due" and list_id != worklists.TESTS_DUE):
            order = "accession"  # the column it was sorted by is not shown for this list
        self.model.set_query(WorkQuery(
            list_id, dt.date.today(), self.search.text(), order,
            header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder))
        for column in LOT_COLUMNS:
            self.table.setColumnHidden(column, not per_lot)
        self.table.setColumnHidden(4, list_id != worklists.TESTS_DUE)
        self.count_label.setText(self.tr("counting…"))
        self.export_button.setEnabled(False)

    def _list_loaded(self) -> None:
        shown = self.model.total
        self.count_label.setText(self.tr("{0} to do").format(shown_numbers.count(shown)))
        self.export_button.setEnabled(shown > 0)
        if self._enter_pending:
            self._enter_pending = False
            if shown == 1:
                self.open_row(0)
            elif shown:
                select_row(self.table, 0)
                self.table.setFocus()

    def _search_entered(self) -> None:
        """Enter (or a scanner's Enter): once the list is read, one match opens it, several
        go to the list."""
        self._search_timer.stop()
        self._enter_pending = True
        self.show_list()

    def open_row(self, row: int) -> None:
        """Open the row's accession on its lot; a row of a list of tests, on that test."""
        item = self.model.item(row)
        if item.test_id:
            self.open_test.emit(item.accession_id, item.lot_id or 0, item.test_id)
        else:
            self.open_accession.emit(item.accession_id, item.lot_id or 0)

    # Export ------------------------------------------------------------------------------
    def export(self, path: Path | None = None) -> operations.Read[int] | None:
        query = self.model.query
        if query is None:
            return None
        title = worklists.BY_ID[query.list_id].title
        if path is None:
            default = Path(self.last_folder or Path.home()) / (
                f"{title.lower().replace(':', '').replace(' ', '-')}-{query.today}.xlsx")
            chosen, _ = file_dialogs.get_save_file_name(self, self.tr("Export the worklist"),
                                                        str(default), "Excel workbook (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        def work(session: Session, progress: Progress) -> int:
            return worklists.export_worklist(session, query, path, progress=progress)

        read = operations.Read(self, self.session_factory, work,
                               operation=self.tr("Exporting the worklist"))
        read.with_progress(self.tr("Exporting…"))
        read.success(lambda count: self.count_label.setText(
            self.tr("Exported {0} rows to {1}").format(shown_numbers.count(count), path.name)))
        read.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Export failed"), text))
        self.task = read
        return read.run()  # type: ignore[return-value]
