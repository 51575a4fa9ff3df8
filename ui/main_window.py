"""The main window: the collection as a table, with search, filters and the menus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from genebank import __version__, db, demo_database
from genebank.conservation import seed_lots
from genebank.demo import demo_removal
from genebank.passport import accession_query, accessions
from genebank.passport.accession_query import AccessionFilter
from genebank.services.errors import ServiceError
from genebank.users.roles import Right
from ui import mappings_move, operations
from ui.backup_actions import BackupActions
from ui.database_actions import DatabaseActions
from ui.demo_actions import DemoActions
from ui.history_actions import add_history_actions
from ui.models.accession_table import AccessionTableModel
from ui.operations import Changed
from ui.people_actions import PeopleActions
from ui.settings import Settings
from ui.spreadsheet_actions import SpreadsheetActions
from ui.tasks import Task
from ui.views import shown_numbers
from ui.views.filter_bar import FilterBar
from ui.withdrawal_actions import WithdrawalActions

if TYPE_CHECKING:  # the windows and dialogs are imported when first opened: start-up
    from ui.dialogs.accession_editor import AccessionEditor
    from ui.dialogs.import_log import ImportLogDialog
    from ui.dialogs.own_institutes_dialog import OwnInstitutesDialog
    from ui.dialogs.rules_dialog import RulesDialog
    from ui.dialogs.storage_locations import StorageLocationsDialog
    from ui.views.attention_view import AttentionView
    from ui.views.training_window import TrainingWindow


class MainWindow(BackupActions, DatabaseActions, DemoActions, WithdrawalActions, PeopleActions,
                 SpreadsheetActions, QMainWindow):
    def __init__(self, database: db.Database, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.database = database
        self.model: AccessionTableModel | None = None
        self._total = 0
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

    # Building -----------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_database_action = self._action(self.tr("&New database…"), self.new_database,
                                                 "Ctrl+Shift+N")
        self.open_database_action = self._action(self.tr("&Open database…"),
                                                 self.open_database_dialog,
                                                 QKeySequence.StandardKey.Open)
        self.connect_action = self._action(
            self.tr("&Connect to a server…"), self.connect_to_server, None,
            self.tr("Open the Genebank database on a PostgreSQL server shared by several "
                    "workstations"))
        self.backup_action = self._action(self.tr("&Back up database…"), self.backup_database)
        self.template_action = self._action(self.tr("Excel &template…"), self.save_template)
        self.import_action = self._action(self.tr("&Import accessions…"), self.import_accessions,
                                          "Ctrl+I")
        self.export_action = self._action(self.tr("&Export accessions…"), self.export_accessions,
                                          "Ctrl+E")
        self.import_log_action = self._action(self.tr("Import &log"), self.show_import_log)
        quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.new_action = self._action(self.tr("&New accession"), self.new_accession,
                                       QKeySequence.StandardKey.New,
                                       self.tr("Catalogue a new accession"))
        self.edit_action = self._action(self.tr("&Open accession"), self.edit_selected,
                                        None, self.tr("Open the selected accession (Enter)"))
        self.duplicate_action = self._action(
            self.tr("&Duplicate accession"), self.duplicate_selected, "Ctrl+D",
            self.tr("Start a new accession with the selected one's passport data"))
        self.delete_action = self._action(self.tr("De&lete accession…"), self.delete_selected,
                                          QKeySequence.StandardKey.Delete)
        find_action = self._action(self.tr("&Find"), self.focus_search,
                                   QKeySequence.StandardKey.Find)
        refresh_action = self._action(self.tr("&Refresh"), self.refresh,
                                      QKeySequence.StandardKey.Refresh)
        self.attention_action = self._action(
            self.tr("Needs &attention"), self.show_attention, "Ctrl+Shift+A",
            self.tr("Lots due for a test, to regenerate, below minimum; accessions without a "
                    "base lot or a safety duplicate"))
        self.import_tests_action = self._action(
            self.tr("&Import tests…"), self.import_tests, None,
            self.tr("Germination or moisture tests from a laboratory's Excel sheet"))
        self.tests_template_action = self._action(self.tr("Tests &template…"),
                                                  self.save_tests_template)
        self.locations_action = self._action(self.tr("&Storage locations…"),
                                             self.show_storage_locations)
        self.own_institutes_action = self._action(
            self.tr("&Own institute codes…"), self.show_own_institutes, None,
            self.tr("The codes under which this gene bank holds its accessions: an import "
                    "flags rows held by others"))
        self.rules_action = self._action(
            self.tr("&Rules…"), self.show_rules, None,
            self.tr("Test intervals, minimum stock and moisture range, per crop"))
        self.training_action = self._action(
            self.tr("Open &training programme…"), self.show_training, "Ctrl+T",
            self.tr("Courses, participants, attendance, certificates and reports"))
        self.demo_action = self._action(
            self.tr("Load &demo collection…"), self.load_demo, None,
            self.tr("Create a demo collection in a database of its own and open it"))
        self.remove_demo_action = self._action(
            self.tr("&Remove demo records…"), self.remove_demo_records, None,
            self.tr("Count, then remove, demo records loaded into this database"))
        self.back_action = self._action(self.tr("Bac&k to your database"),
                                        self.back_to_own_database)
        about_action = self._action(self.tr("&About Genebank"), self.about)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addActions([self.new_database_action, self.open_database_action,
                              self.connect_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.back_action)
        file_menu.addSeparator()
        file_menu.addActions([self.template_action, self.import_action, self.export_action,
                              self.import_log_action])
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        file_menu.setToolTipsVisible(True)
        accession_menu = self.menuBar().addMenu(self.tr("&Accession"))
        accession_menu.addActions([self.new_action, self.edit_action, self.duplicate_action])
        accession_menu.addSeparator()
        accession_menu.addAction(self.delete_action)
        accession_menu.addSeparator()
        accession_menu.addAction(self.own_institutes_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addActions([find_action, refresh_action])
        conservation_menu = self.menuBar().addMenu(self.tr("&Conservation"))
        conservation_menu.addAction(self.attention_action)
        conservation_menu.addSeparator()
        conservation_menu.addActions([self.import_tests_action, self.tests_template_action])
        conservation_menu.addSeparator()
        conservation_menu.addActions([self.locations_action, self.rules_action])
        training_menu = self.menuBar().addMenu(self.tr("&Training"))
        training_menu.addAction(self.training_action)
        self.help_menu = help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addActions([self.demo_action, self.remove_demo_action])
        help_menu.addSeparator()
        help_menu.addAction(about_action)
        self._build_people_actions(file_menu, quit_action)
        add_history_actions(self)
        for menu in (accession_menu, conservation_menu, help_menu):
            menu.setToolTipsVisible(True)  # a disabled action says why
        self.rights = {
            self.new_action: Right.CHANGE_PASSPORT, self.duplicate_action: Right.CHANGE_PASSPORT,
            self.delete_action: Right.DELETE_RECORDS, self.import_action: Right.CHANGE_PASSPORT,
            self.own_institutes_action: Right.MANAGE_SETTINGS,
            self.import_tests_action: Right.CHANGE_CONSERVATION,
            self.locations_action: Right.CHANGE_CONSERVATION,
            self.rules_action: Right.MANAGE_SETTINGS,
            self.remove_demo_action: Right.DELETE_RECORDS}
        self._build_withdrawal_actions(accession_menu, self.delete_action)

        toolbar = QToolBar(self.tr("Accessions"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self.new_action, self.edit_action, self.duplicate_action,
                            self.delete_action])
        toolbar.addSeparator()
        toolbar.addAction(self.attention_action)
        self.addToolBar(toolbar)

    # Database -----------------------------------------------------------------------------
    def _use_database(self, database: db.Database) -> None:
        self.database = database
        self.settings.add_recent_database(database.url)
        self._read_people()
        self._update_title()
        mappings_move.move_into(self, database, self.settings)
        model = AccessionTableModel(database.session_factory, self)
        model.count_changed.connect(self._show_count)
        model.ids_loaded.connect(self._ids_loaded)
        model.load_failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        old, self.model = self.model, model
        self.table.setModel(model)
        if old is not None:
            old.deleteLater()
        for window in (self.attention, self.training):  # they read the database being left
            if window is not None:
                window.close()
                window.deleteLater()
        self.attention = self.training = None
        self.table.selectionModel().currentRowChanged.connect(self._update_actions)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        header = self.table.horizontalHeader()
        if self.settings.table_header_state is not None:
            header.restoreState(self.settings.table_header_state)
        else:
            for column, width in enumerate((130, 210, 110, 140, 150, 240, 90)):
                header.resizeSection(column, width)
        model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._choices_loaded, self._shown_count = False, None
        self._refresh_choices()
        if database.backup_path:
            self.statusBar().showMessage(
                self.tr("Upgraded the database; the old version was backed up to {0}")
                .format(database.backup_path), 15000)
        self._update_actions()

    def _database_name(self) -> str:
        name = self.database.display_name
        return Path(name).name if self.database.is_sqlite else name

    def _update_title(self) -> None:
        """Name the database in the title bar, and say so when it is (or holds) a demo."""
        name = self._database_name()
        holds_demo = operations.read_now(self.database, demo_removal.has_demo_records,
                                         operation=self.tr("Opening the database"))
        if self.is_demo_database():
            title = self.tr("Genebank – DEMO collection – {0}").format(name)
            label = self.tr("DEMO collection: {0}").format(name)
        elif holds_demo:
            title = self.tr("Genebank – {0} (holds demo records)").format(name)
            label = self.tr("{0} holds demo records (Help > Remove demo records)").format(name)
        else:
            title, label = f"Genebank – {name}", self.database.display_name
        actor = self.signed_in()
        if actor is not None:
            title = f"{title} – {actor.name}"
        self.setWindowTitle(title)
        self.database_label.setText(label)
        self.database_label.setToolTip(self.database.display_name)
        previous = self._own_database_url()
        self.back_action.setVisible(self.is_demo_database() and previous is not None)
        if previous is not None:
            path = db.sqlite_path(previous)
            self.back_action.setText(self.tr("Bac&k to {0}").format(
                path.name if path else previous))

    # Table --------------------------------------------------------------------------------
    @Slot(object)
    def _apply_filter(self, where: AccessionFilter) -> None:
        assert self.model is not None
        self.model.set_filter(where)

    def refresh(self) -> None:
        assert self.model is not None
        selected = self.selected_accession_id()
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

        def arrived(result: tuple[accession_query.FilterChoices, int]) -> None:
            if asked != self._choices_asked or database is not self.database:
                return  # a later refresh, or another database, has the say
            choices, self._total = result
            self.filter_bar.set_choices(choices)
            self.filter_bar.set_loading(False)
            self._choices_loaded = True
            if self._shown_count is not None:
                self._show_count(self._shown_count)  # "n of <total> match"

        read = operations.Read(
            self, database, lambda session: (accession_query.filter_choices(session),
                                             accession_query.count_matching(
                                                 session, AccessionFilter())),
            operation=self.tr("Reading the filter choices"))
        read.success(arrived)
        read.failure(lambda text, _error: self.statusBar().showMessage(text, 10000))
        return read.run()  # type: ignore[return-value]

    def _show_count(self, count: int) -> None:
        assert self.model is not None
        self._shown_count = count
        if self.model.where == AccessionFilter():
            self._total = count
            text = (self.tr("1 accession") if count == 1
                    else self.tr("{0} accessions").format(shown_numbers.count(count)))
        else:
            text = self.tr("{0} of {1} accessions match").format(
                shown_numbers.count(count), shown_numbers.count(self._total))
        self.count_label.setText(text)
        self._update_actions()

    def _ids_loaded(self) -> None:
        wanted, row = self._select_after_load, self._select_row_after_load
        self._select_after_load = self._select_row_after_load = None
        if wanted is not None and self.select_accession(wanted):
            return
        if row is not None and self.model is not None and self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    def select_accession(self, accession_id: int) -> bool:
        assert self.model is not None
        row = self.model.row_of(accession_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
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
            self.table.selectRow(0)
            self.edit_selected()
        elif self.model.rowCount():
            self.table.selectRow(0)
            self.table.setFocus()

    # Accessions ---------------------------------------------------------------------------
    def _open_editor(self, editor: AccessionEditor) -> AccessionEditor:
        editor.saved.connect(self._saved)
        editor.unchanged.connect(lambda _id: self.statusBar().showMessage(
            self.tr("No changes to save"), 5000))
        editor.setModal(True)
        editor.show()
        return editor

    def new_accession(self) -> AccessionEditor | None:
        from ui.dialogs.accession_editor import AccessionEditor

        try:
            values = operations.read_now(self.database, accessions.new_accession_values,
                                         operation=self.tr("Starting a new accession"))
        except Exception as error:  # worded by operations.message
            QMessageBox.warning(self, self.tr("Cannot open"), operations.message(error))
            return None
        return self._open_editor(AccessionEditor(self.database.session_factory,
                                                 initial_values=values, parent=self))

    def edit_selected(self) -> AccessionEditor | None:
        accession_id = self.selected_accession_id()
        if accession_id is None:
            return None
        editor = self.open_accession(accession_id)
        scanned = self.filter_bar.search.text().strip()
        if editor is not None and scanned:
            try:
                lot_id = operations.read_now(
                    self.database, lambda session: seed_lots.find_lot_id(session, scanned),
                    operation=self.tr("Looking up lot {0}").format(scanned))
            except Exception:  # the accession is open; the lot is a shortcut
                lot_id = None
            if lot_id is not None:  # a scanned lot label: straight to the lot
                editor.show_conservation(lot_id)
        return editor

    def open_accession(self, accession_id: int, lot_id: int | None = None,
                       test_id: int | None = None) -> AccessionEditor | None:
        """Open an accession; with ``lot_id``, on its seed lots with that lot chosen (and
        with ``test_id``, that test of the lot highlighted in its Tests)."""
        from ui.dialogs.accession_editor import AccessionEditor

        try:
            editor = AccessionEditor(self.database.session_factory, accession_id=accession_id,
                                     parent=self)
        except (ServiceError, db.DatabaseError) as error:  # gone meanwhile, or busy
            QMessageBox.warning(self, self.tr("Cannot open"), operations.message(error))
            self.refresh()
            return None
        if lot_id is not None:
            editor.show_conservation(lot_id or None, test_id)
        return self._open_editor(editor)

    def show_attention(self) -> AttentionView:
        from ui.views.attention_view import AttentionView

        if self.attention is None:
            self.attention = AttentionView(self.database.session_factory,
                                           self.settings.last_folder or "", self)
            self.attention.open_accession.connect(
                lambda accession_id, lot_id: self.open_accession(accession_id, lot_id))
            self.attention.open_test.connect(
                lambda accession_id, lot_id, test_id: self.open_accession(
                    accession_id, lot_id, test_id))
        self.attention.show()
        self.attention.raise_()
        self.attention.activateWindow()
        return self.attention

    def show_training(self) -> TrainingWindow:
        from ui.views.training_window import TrainingWindow

        if self.training is None:
            self.training = TrainingWindow(self.database.session_factory,
                                           self.settings.last_folder or "", self)
        self.training.show()
        self.training.raise_()
        self.training.activateWindow()
        return self.training

    def duplicate_selected(self) -> AccessionEditor | None:
        from ui.dialogs.accession_editor import AccessionEditor

        accession_id = self.selected_accession_id()
        if accession_id is None:
            return None
        try:
            passport = operations.read_now(
                self.database, lambda session: accessions.get_passport(session, accession_id),
                operation=self.tr("Duplicating an accession"))
        except Exception as error:  # gone meanwhile: worded, table reread
            QMessageBox.warning(self, self.tr("Cannot duplicate"), operations.message(error))
            self.refresh()
            return None
        values = accessions.copy_values(passport)
        return self._open_editor(AccessionEditor(self.database.session_factory,
                                                 initial_values=values, parent=self))

    def delete_selected(self) -> operations.Write[None] | None:
        """Delete the highlighted accession once confirmed; the running operation, or None
        if nothing was started."""
        accession_id = self.selected_accession_id()
        if accession_id is None:
            return None
        row = self.table.currentIndex().row()
        try:
            passport = operations.read_now(
                self.database, lambda session: accessions.get_passport(session, accession_id),
                operation=self.tr("Reading the accession to delete"))
        except Exception as error:  # gone meanwhile: worded, table reread
            QMessageBox.warning(self, self.tr("Not deleted"), operations.message(error))
            self.refresh()
            return None
        name = " ".join(str(passport.values.get(k, "")) for k in ("GENUS", "SPECIES"))
        answer = QMessageBox.question(
            self, self.tr("Delete accession"),
            self.tr("Delete accession {0} ({1}) and its passport data?\n\n"
                    "This cannot be undone.").format(passport.values["ACCENUMB"], name.strip()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None

        def deleted(_result: object) -> None:
            self.statusBar().showMessage(
                self.tr("Deleted accession {0}").format(passport.values["ACCENUMB"]), 8000)
            self._select_row_after_load = row  # the next accession takes its place

        operation = operations.Write(
            self, self.database,
            lambda session: accessions.delete_accession(session, accession_id,
                                                        expected_version=passport.version),
            operation=self.tr("Deleting accession {0}").format(passport.values["ACCENUMB"]),
            changes=Changed(accessions=True, lots=True), initiator=self)
        operation.success(deleted)
        operation.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not deleted"), text))
        return operation.run()  # type: ignore[return-value]

    def _saved(self, accession_id: int) -> None:
        """An editor saved: the table (refreshed on the announcement) highlights it."""
        self.statusBar().showMessage(self.tr("Saved"), 5000)
        self._select_after_save = accession_id

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

    def show_storage_locations(self) -> StorageLocationsDialog:
        from ui.dialogs.storage_locations import StorageLocationsDialog

        dialog = StorageLocationsDialog(self.database.session_factory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_own_institutes(self) -> OwnInstitutesDialog:
        from ui.dialogs.own_institutes_dialog import OwnInstitutesDialog

        dialog = OwnInstitutesDialog(self.database.session_factory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_rules(self) -> RulesDialog:
        from ui.dialogs.rules_dialog import RulesDialog

        dialog = RulesDialog(self.database.session_factory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_import_log(self) -> ImportLogDialog:
        from ui.dialogs.import_log import ImportLogDialog

        dialog = ImportLogDialog(self.database.session_factory, self)
        dialog.show()
        return dialog

    # Demo and help ------------------------------------------------------------------------
    def about(self) -> None:
        QMessageBox.about(self, self.tr("About Genebank"), self.tr(
            "<b>Genebank {0}</b><p>Records of a national plant gene bank: passport data to "
            "FAO/Bioversity MCPD v2.1.</p><p>Database: {1}</p>").format(
                __version__, self.database.display_name))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._backup is not None:  # a backup cut short leaves nothing behind
            self._backup.cancel()
        self.settings.window_geometry = self.saveGeometry()
        self.settings.table_header_state = self.table.horizontalHeader().saveState()
        self.settings.sync()
        super().closeEvent(event)
