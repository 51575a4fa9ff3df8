"""File > New database, Open database, Connect to a server and Open recent: a mixin of
:class:`ui.main_window.MainWindow`, kept apart so that the window's own module holds the
table, the search and the record menus. Switching waits for work on the open database (the
demo being built, a backup) and closes the old database only once the new one is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from genebank import connection_urls, db
from ui import database_opening, file_dialogs, signing_in
from ui.backup_actions import SQLITE_FILTER


class DatabaseActions:
    """The window provides ``database``, ``settings``, ``recent_menu``, ``_use_database``,
    ``_task``, ``_backup`` and ``tr``."""

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

