"""What the training window's tabs share: a read-only table of records, filled with
dates, numbers and text as they are shown everywhere, and the note that tells a person
without the right to read personal data why they see none."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QTableWidgetItem, QWidget

from ui.views import shown_numbers


def record_table(parent: QWidget, headers: list[str]) -> QTableWidget:
    """A read-only table of ``headers`` whose rows are highlighted one at a time."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def fill_table(table: QTableWidget, rows: list[tuple[object, ...]], ids: list[int]) -> None:
    """``rows`` shown in ``table``, each cell keeping its row's record id (``ids``), and a
    number its value too (``shown_numbers.NUMBER_ROLE``: sorted and read back as one)."""
    table.setRowCount(len(rows))
    for row, (values, item_id) in enumerate(zip(rows, ids, strict=True)):
        for column, value in enumerate(values):
            text = ("" if value is None else f"{value:%Y-%m-%d}" if isinstance(value, dt.date)
                    else shown_numbers.number(value) if isinstance(value, int | float)
                    else str(value))
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            if isinstance(value, int | float):  # the number itself, and aligned as one
                item.setData(shown_numbers.NUMBER_ROLE, value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()


def private_note(parent: QWidget) -> QLabel:
    """Where a person without the right to read personal data is told why they see none."""
    note = QLabel(parent)
    note.setObjectName("personal_data_note")
    note.setWordWrap(True)
    note.hide()
    return note
