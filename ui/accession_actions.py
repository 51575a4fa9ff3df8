"""Accession > New, Open, Duplicate and Delete, and the accession editor opened from the
table (Enter, a scanned number, the attention list): a mixin of
:class:`ui.main_window.MainWindow`. The editor's module is imported when first opened
(start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from genebank import db
from genebank.conservation import seed_lots
from genebank.passport import accessions
from genebank.services.errors import ServiceError
from ui import operations
from ui.operations import Changed

if TYPE_CHECKING:
    from ui.dialogs.accession_editor import AccessionEditor


class AccessionActions:
    """The window provides ``database``, ``table``, ``filter_bar``, ``statusBar``,
    ``selected_accession_id``, ``refresh``, ``_select_row_after_load``,
    ``_select_after_save`` and ``tr``."""

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
