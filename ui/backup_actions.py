"""File > Back up database, a mixin of :class:`ui.main_window.MainWindow`: the backup runs
off the GUI thread through :class:`ui.operations.Job`, with progress and Cancel; a cancelled
or failed backup leaves nothing, and a file the save dialog's "Replace?" confirmed is
replaced only once the new copy is whole and checked (the old one stays until then)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from genebank import backup, db
from ui import file_dialogs, operations

SQLITE_FILTER = "Genebank databases (*.sqlite *.db);;All files (*)"


class BackupActions:
    """The window provides ``database``, ``backup_action``, ``statusBar`` and ``tr``; the
    backup running is ``_backup`` (the window waits for it before opening another
    database, and cancels it when it closes)."""

    _backup: operations.Job[Path] | None = None

    def backup_database(self) -> operations.Job[Path] | None:
        """Back up to a file the person chooses, off the GUI thread with progress and Cancel
        (a cancelled or failed backup leaves nothing). A file the save dialog's "Replace?"
        confirmed is replaced only once the new copy is whole and checked."""
        path, _ = file_dialogs.get_save_file_name(
            self, self.tr("Back up database"), str(Path.home() / "genebank-backup.sqlite"),
            SQLITE_FILTER)
        if not path:
            return None
        target, database = Path(path).expanduser().resolve(), self.database
        own = db.sqlite_path(database.url)
        if own is not None and own.expanduser().resolve() == target:
            QMessageBox.warning(self, self.tr("Backup not made"), self.tr(
                "'{0}' is the database itself. Choose another file for its backup.")
                .format(target))
            return None
        replace = target.exists()  # the save dialog asked, and the person said Replace
        operation = operations.Job(
            self, database, lambda progress: backup.backup(
                database, target, progress=progress, replace=replace),
            operation=self.tr("Backing up the database"))
        operation.with_progress(self.tr("Backing up to {0}…").format(target))
        operation.effects_stand()  # placed once the work returns: a later Cancel is too late
        operation.busy(self.backup_action)
        operation.success(lambda made: self.statusBar().showMessage(
            self.tr("Backed up to {0}").format(made), 10000))
        operation.failure(self._backup_failed)
        self._backup = operation
        operation.done.connect(lambda _ok: setattr(self, "_backup", None))
        return operation.run()  # type: ignore[return-value]

    def _backup_failed(self, text: str, error: BaseException) -> None:
        if isinstance(error, operations.CancelledByUser):
            self.statusBar().showMessage(self.tr("Backup cancelled; nothing was written"),
                                         10000)
        else:
            QMessageBox.warning(self, self.tr("Backup failed"), text)
