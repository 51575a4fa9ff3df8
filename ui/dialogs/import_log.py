"""File > Import log: what each import did, newest first, with its skipped rows; "Undo this
import…" opens what undoing the highlighted one does (ui/dialogs/import_undo.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from ui.dialogs.import_undo import UndoImportDialog

from genebank.passport import import_undo
from genebank.passport.import_logs import ImportLogEntry, recent_imports
from genebank.services.refusals import Refused
from genebank.users.actor import attached
from genebank.users.roles import Right, roles_holding
from ui import messages, operations
from ui.views import shown_numbers
from ui.views.highlighted_record import HighlightedRecord
from ui.views.history_words import local_time


class ImportLogDialog(QDialog):
    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.setWindowTitle(self.tr("Import log"))
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(0, 9, splitter)
        self.table.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("Who"), self.tr("File"), self.tr("Sheet"),
            self.tr("Created"), self.tr("Updated"), self.tr("Unchanged"), self.tr("Skipped"),
            self.tr("Undone")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.entries: list[ImportLogEntry] = []
        self.details = QPlainTextEdit(splitter)
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr(
            "What the import did: its counts (with the accessions it left unchanged), the "
            "rows it skipped and why, and each value it changed"))
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.undo_button: QPushButton = buttons.addButton(
            self.tr("Undo this import…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setToolTip(self.tr(
            "Remove what the import created and put back what it updated; shows what "
            "happens first"))
        self.undo_button.clicked.connect(self.undo_highlighted)
        self.why_not = _why_not_undo(session_factory)
        if self.why_not:
            self.undo_button.setToolTip(self.why_not)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.highlighted = HighlightedRecord(self.table, self.show_details)
        self.highlighted.refill(self._fill)

    def _fill(self) -> None:
        self.entries = operations.read_now(self.session_factory, recent_imports,
                                           operation=self.tr("Reading the import log"))
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            undone = "" if entry.undone_at is None else self.tr("{0}, {1}").format(
                local_time(entry.undone_at), entry.undone_by or self.tr(
                    "(before sign-in)"))
            for column, value in enumerate((
                    local_time(entry.finished_at), entry.user, entry.file_name,
                    entry.sheet, *(shown_numbers.count(n) for n in (
                        entry.created, entry.updated, entry.unchanged, entry.skipped)),
                    undone)):
                self.table.setItem(row, column, QTableWidgetItem(value))
            self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole, entry.id)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def _entry(self, entry_id: object) -> ImportLogEntry | None:
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    def show_details(self, entry_id: int | None) -> None:
        """The highlighted import's skipped rows; nothing when no import is highlighted.
        Undo is offered for a passport import that stands."""
        entry = self._entry(entry_id)
        text = entry.details if entry else ""
        if entry is not None and entry.undone_at is not None:
            text = self.tr("Undone on {0} by {1}.").format(
                local_time(entry.undone_at),
                entry.undone_by or self.tr("(before sign-in)")) + "\n" + \
                self._left_by_undo(entry.id) + text
        self.details.setPlainText(text)
        self.undo_button.setEnabled(entry is not None and entry.kind == "passport"
                                    and entry.undone_at is None and not self.why_not)

    def _left_by_undo(self, import_log_id: int) -> str:
        """The line naming the import's accessions its undo left in the collection (kept
        for what depends on them, or changed after the import); "" when none."""
        left = operations.read_now(self.session_factory, lambda session: (
            import_undo.left_by_undo(session, import_log_id)),
            operation=self.tr("Reading the import log"))
        if not left.count:
            return ""
        names = ", ".join(left.keys)
        if left.count > len(left.keys):
            names = self.tr("{0} and {1} more").format(
                names, shown_numbers.count(left.count - len(left.keys)))
        return self.tr("Still in the collection, left by the undo (kept for what depends "
                       "on them, or changed after the import): {0}").format(names) + "\n"

    def undo_highlighted(self) -> UndoImportDialog | None:
        """What undoing the highlighted import does, and a button that does it; once done
        the log shows the import as undone."""
        entry = self._entry(self.highlighted.key())
        if entry is None:
            return None
        from ui.dialogs.import_undo import UndoImportDialog

        dialog = UndoImportDialog(self.session_factory, entry.id, self)
        dialog.undone.connect(lambda _result: self.highlighted.refill(self._fill,
                                                                      select=entry.id))
        dialog.setModal(True)
        dialog.show()
        self.undo_dialog = dialog
        return dialog


def _why_not_undo(session_factory: sessionmaker[Session]) -> str:
    """Why the signed-in person may not undo an import ("" if they may, or if nobody signs
    in: the core decides then)."""
    actor = attached(session_factory)
    if actor is None or actor.may(Right.CHANGE_PASSPORT):
        return ""
    return messages.say(Refused("not_allowed", user=actor.name,
                                right=Right.CHANGE_PASSPORT.value,
                                roles=[role.value for role in roles_holding(
                                    Right.CHANGE_PASSPORT)]))
