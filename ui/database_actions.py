"""File > New database, Open database, Connect to a server and Open recent, and the window
taking up a database (its table, title, the person's rights): a mixin of
:class:`ui.main_window.MainWindow`, kept apart so that the window's own module holds the
table and the search. Switching waits for work on the open database (the demo being built,
a backup), signs in to the new one (:mod:`ui.signing_in`) and closes the old database only
once the new one is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from genebank import connection_urls, db
from ui import database_opening, file_dialogs, mappings_move, operations, signing_in
from ui.backup_actions import SQLITE_FILTER
from ui.models.accession_table import AccessionTableModel


class DatabaseActions:
    """The window provides ``database``, ``settings``, ``recent_menu``, ``table``, ``model``,
    ``attention``, ``training``, ``database_label``, ``back_action``, ``_task``, ``_backup``,
    the table's slots (``_show_count``, ``_ids_loaded``, ``_update_actions``,
    ``_refresh_choices``) and ``tr``."""

    def switch_database(self, url: str, *, create: bool = False) -> bool:
        """Open the database at ``url`` instead of the current one; False if it cannot.
        Only File > New database creates one (``create``); a missing file is refused."""
        if not self._may_switch():
            return False
        return self._switch_to(database_opening.open_interactively(self, url, create=create))

    def _may_switch(self) -> bool:
        """False (the person told why) while work on the current database runs."""
        if self._task is not None:
            QMessageBox.information(self, self.tr("Please wait"),
                                    self.tr("Wait for the demo collection to finish."))
            return False
        if self._backup is not None:  # it reads the database that would be closed
            QMessageBox.information(self, self.tr("Please wait"),
                                    self.tr("Wait for the backup to finish."))
            return False
        return True

    def _switch_to(self, database: db.Database | None) -> bool:
        if database is None:  # refused (the person was told) or the sign-in cancelled
            return False
        if not signing_in.sign_in(self, database, self.settings):  # Cancel: not opened
            database.close()
            return False
        old = self.database
        self._use_database(database)
        old.close()
        return True

    def new_database(self) -> None:
        path, _ = file_dialogs.get_save_file_name(
            self, self.tr("New database"), str(Path.home() / "genebank.sqlite"), SQLITE_FILTER)
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, self.tr("File exists"), self.tr(
                    "'{0}' already exists. Use Open database to open it, or choose a new "
                    "name.").format(path))
                return
            self.switch_database(db.sqlite_url(path), create=True)

    def open_database_dialog(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, self.tr("Open database"), str(Path.home()),
                                                  SQLITE_FILTER)
        if path and db.same_database(path, self.database.url):
            # Opening it again would read its file, and closing that read drops this
            # process's POSIX locks on it, which the open connection still relies on.
            QMessageBox.information(self, self.tr("Already open"), self.tr(
                "'{0}' is the database already open.").format(path))
        elif path:
            self.switch_database(db.sqlite_url(path))

    def connect_to_server(self) -> bool:
        """Ask for a PostgreSQL server's address (and password) and open its database; a
        refusal is said in the connection dialog, which keeps what was typed."""
        return self._may_switch() and self._switch_to(
            database_opening.connect_to_server(self))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for url in self.settings.recent_databases:
            action = self.recent_menu.addAction(connection_urls.shown(url))
            action.triggered.connect(lambda _checked=False, u=url: self.switch_database(u))
            action.setEnabled(not db.same_database(url, self.database.url))
        if not self.settings.recent_databases:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)

    # Taking up a database -----------------------------------------------------------------
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
        from genebank.demo import demo_removal  # behind the sign-in dialog (ui.app)

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
