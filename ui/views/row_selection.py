"""Highlighting a table's row in every language.

``QTableView.selectRow`` highlights nothing in a right-to-left window (Arabic): it picks
no column there. Every list selects its rows here instead, through the selection model."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView


def select_row(table: QTableView, row: int) -> None:
    """Highlight row ``row`` of ``table`` whole and make it current (what Open, Enter and
    a right-click menu act on), and bring it into sight."""
    model = table.model()
    if model is None or not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)
