"""File > Import log: what each import did, newest first, with its skipped rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.passport.import_logs import recent_imports
from ui import operations
from ui.views import shown_numbers
from ui.views.highlighted_record import HighlightedRecord


class ImportLogDialog(QDialog):
    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import log"))
        self.resize(900, 520)
        self.entries = operations.read_now(session_factory, recent_imports,
                                           operation=self.tr("Reading the import log"))
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(len(self.entries), 8, splitter)
        self.table.setHorizontalHeaderLabels([
            self.tr("When (UTC)"), self.tr("Who"), self.tr("File"), self.tr("Sheet"),
            self.tr("Created"), self.tr("Updated"), self.tr("Unchanged"), self.tr("Skipped")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(self.entries):
            for column, value in enumerate((
                    f"{entry.finished_at:%Y-%m-%d %H:%M}", entry.user, entry.file_name,
                    entry.sheet, *(shown_numbers.count(n) for n in (
                        entry.created, entry.updated, entry.unchanged, entry.skipped)))):
                self.table.setItem(row, column, QTableWidgetItem(value))
            self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole, entry.id)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.details = QPlainTextEdit(splitter)
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr(
            "What the import did: its counts (with the accessions it left unchanged), the "
            "rows it skipped and why, and each value it changed"))
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.highlighted = HighlightedRecord(self.table, self.show_details)
        self.highlighted.select_row(0)

    def show_details(self, entry_id: int | None) -> None:
        """The highlighted import's skipped rows; nothing when no import is highlighted."""
        self.details.setPlainText(next((entry.details for entry in self.entries
                                        if entry.id == entry_id), ""))
