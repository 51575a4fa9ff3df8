"""The main window: the collection as a table, with search and filters. What its menus do
lives with each area, as mixins: the menus and toolbar (:mod:`ui.main_menus`), the
accessions (:mod:`ui.accession_actions`), the databases and taking one up
(:mod:`ui.database_actions`), who is signed in (:mod:`ui.people_actions`), the windows the
menus open (:mod:`ui.window_actions`), backups, the demo and the spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from genebank import db
from genebank.passport import accession_query
from genebank.passport.accession_query import AccessionFilter
from ui import operations
from ui.accession_actions import AccessionActions
from ui.backup_actions import BackupActions
from ui.database_actions import DatabaseActions
from ui.demo_actions import DemoActions
from ui.main_menus import MainMenus
from ui.models.accession_table import AccessionTableModel
from ui.operations import Changed
from ui.people_actions import PeopleActions
from ui.settings import Settings
from ui.spreadsheet_actions import SpreadsheetActions
from ui.tasks import Task
from ui.views import shown_numbers
from ui.views.filter_bar import FilterBar
from ui.views.row_selection import select_row
from ui.window_actions import WindowActions
from ui.withdrawal_actions import WithdrawalActions

if TYPE_CHECKING:  # the windows and dialogs are imported when first opened: start-up
    from genebank import demo_database
    from genebank.demo import demo_removal
    from ui.views.attention_view import AttentionView
    from ui.views.training_window import TrainingWindow


class MainWindow(MainMenus, AccessionActions, DatabaseActions, WithdrawalActions, PeopleActions,
                 WindowActions, BackupActions, DemoActions, SpreadsheetActions, QMainWindow):
    def __init__(self, database: db.Database, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.database = database
        self.model: AccessionTableModel | None = None
        self._total = 0
        self._total_with_withdrawn = 0
        self._select_after_load: int | None = None
        self._select_row_after_load: int | None = None  # a deleted accession's row: the next
        self._select_after_save: int | None = None  # an accession just saved in its editor
        self._task: Task | operations.Write[object] | None = None  # the demo's work
        self._backup: operations.Job[Path] | None = None  # File > Back up, while it runs
        self._choices_asked = 0  # the latest read of the filter's choices (see below)
        self._choices_loaded = False
        self._shown_count: int | None = None
        self._built_demo: demo_database.BuiltDemo | None = None
        self._demo_counts: demo_removal.DemoRecords | None = None
        self.attention: AttentionView | None = None
        self.training: TrainingWindow | None = None
        self.table = QTableView(self)
        self.table.setObjectName("accessions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        # Enter or a double click; not a "Return" shortcut, which would fire from any widget.
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.filter_bar = FilterBar(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self.filter_bar.filter_changed.connect(self._apply_filter)
        self.filter_bar.search_submitted.connect(self._search_submitted)
        self.count_label = QLabel(self)
        self.database_label = QLabel(self)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.database_label)
        self._build_actions()
        self._use_database(database)
        operations.on_change(self, self._announced)
        if settings.window_geometry is not None:
            self.restoreGeometry(settings.window_geometry)
        else:
            self.resize(1200, 720)

    # Table --------------------------------------------------------------------------------
    @Slot(object)
    def _apply_filter(self, where: AccessionFilter) -> None:
        assert self.model is not None
        self.model.set_filter(where)

    def refresh(self) -> None:
        assert self.model is not None
        selected = self.selected_accession_id()
        self._reread_person()
        self._refresh_choices()
        self._select_after_load = selected
        self.model.refresh()

    def _refresh_choices(self) -> operations.Read[object]:
        """The filter's crops, genera and countries and the collection's total: they read the
        whole collection, so off the GUI thread; until the first arrive, the filter's lists
        are greyed out. A later refresh supersedes one still running."""
        self._choices_asked += 1
        asked, database = self._choices_asked, self.database
        if not self._choices_loaded:
            self.filter_bar.set_loading(True)

        def arrived(result: tuple[accession_query.FilterChoices, int, int]) -> None:
            if asked != self._choices_asked or database is not self.database:
                return  # a later refresh, or another database, has the say
            choices, self._total, self._total_with_withdrawn = result
            self.filter_bar.set_choices(choices)
            self.filter_bar.set_loading(False)
            self._choices_loaded = True
            if self._shown_count is not None:
                self._show_count(self._shown_count)  # "n of <total> match"

        read = operations.Read(
            self, database, lambda session: (
                accession_query.filter_choices(session),
                accession_query.count_matching(session, AccessionFilter()),
                accession_query.count_matching(session, AccessionFilter(include_withdrawn=True))),
            operation=self.tr("Reading the filter choices"))
        read.success(arrived)
        read.failure(lambda text, _error: self.statusBar().showMessage(text, 10000))
        return read.run()  # type: ignore[return-value]

    def _show_count(self, count: int) -> None:
        assert self.model is not None
        self._shown_count = count
        # "n of <total>": the total of the same kind, withdrawn accessions counted only
        # when they are shown (Show withdrawn)
        withdrawn = self.model.where.include_withdrawn
        if self.model.where == AccessionFilter(include_withdrawn=withdrawn):
            if withdrawn:
                self._total_with_withdrawn = count
            else:
                self._total = count
            text = (self.tr("1 accession") if count == 1
                    else self.tr("{0} accessions").format(shown_numbers.count(count)))
            if withdrawn:
                text = self.tr("{0}, withdrawn ones included").format(text)
        else:
            total = self._total_with_withdrawn if withdrawn else self._total
            text = self.tr("{0} of {1} accessions match").format(
                shown_numbers.count(count), shown_numbers.count(total))
        self.count_label.setText(text)
        self._update_actions()

    def _ids_loaded(self) -> None:
        wanted, row = self._select_after_load, self._select_row_after_load
        self._select_after_load = self._select_row_after_load = None
        if wanted is not None and self.select_accession(wanted):
            return
        if row is not None and self.model is not None and self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))

    def select_accession(self, accession_id: int) -> bool:
        assert self.model is not None
        row = self.model.row_of(accession_id)
        if row is None:
            return False
        return self.select_row(row)

    def select_row(self, row: int) -> bool:
        """Highlight row ``row`` and make it current (what Open and Withdraw act on).
        Through the selection model, not ``QTableView.selectRow``, which in a right-to-left
        window (Arabic) picks no column and highlights nothing."""
        assert self.model is not None
        select_row(self.table, row)
        return True

    def selected_accession_id(self) -> int | None:
        """The highlighted accession: what Edit, Duplicate and Delete act on."""
        index = self.table.currentIndex()
        if not index.isValid() or self.model is None \
                or not self.table.selectionModel().isSelected(index):
            return None
        return self.model.accession_id(index.row())

    def _update_actions(self) -> None:
        self.edit_action.setEnabled(self.selected_accession_id() is not None)
        self._apply_rights()

    def _conditions(self) -> dict[QAction, bool]:
        """What, besides the person's rights, an action needs (:meth:`_apply_rights`)."""
        selected = self.selected_accession_id() is not None
        return {self.duplicate_action: selected, self.delete_action: selected,
                self.remove_demo_action: self._task is None}

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def _search_submitted(self) -> None:
        """Enter in the search box: one match (a scanned number) opens it, else go to the list."""
        assert self.model is not None
        if self.model.rowCount() == 1 and self.model.is_complete:
            self.select_row(0)
            self.edit_selected()
        elif self.model.rowCount():
            self.select_row(0)
            self.table.setFocus()

    def _announced(self, changes: Changed, _initiator: object) -> None:
        """Any window changed accessions (a form, a deletion, an import): reread the table,
        keeping the highlight (or moving it to the accession just saved)."""
        if not changes.accessions or self.model is None:
            return
        saved, self._select_after_save = self._select_after_save, None
        self.refresh()
        if saved is not None:
            self._select_after_load = saved
            if self.model.is_complete:
                self._ids_loaded()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._backup is not None:  # a backup cut short leaves nothing behind
            self._backup.cancel()
        self.settings.window_geometry = self.saveGeometry()
        self.settings.table_header_state = self.table.horizontalHeader().saveState()
        self.settings.sync()
        super().closeEvent(event)
