"""The shared rule behind every master-detail view: the panel is told the highlighted
record's key, once per change, and never a record that is not highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView
from pytestqt.qtbot import QtBot

from ui.views.highlighted_record import HighlightedRecord


def make_view(qtbot: QtBot, keys: list[int]) -> tuple[QTableView, QStandardItemModel]:
    model = QStandardItemModel(0, 2)
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    qtbot.addWidget(view)
    fill(model, keys)
    return view, model


def fill(model: QStandardItemModel, keys: list[int]) -> None:
    model.setRowCount(0)
    for key in keys:
        item = QStandardItem(f"record {key}")
        item.setData(key, Qt.ItemDataRole.UserRole)
        model.appendRow([item, QStandardItem("")])


def test_the_panel_hears_only_the_final_highlight_of_a_refill(qtbot: QtBot) -> None:
    """A refill that replaces every row tells the panel once, with the record kept."""
    view, model = make_view(qtbot, [10, 20, 30])
    shown: list[int | None] = []
    highlighted = HighlightedRecord(view, shown.append)
    highlighted.select(20)
    assert shown == [20]
    highlighted.refill(lambda: fill(model, [5, 20, 40, 50]))
    assert shown == [20, 20] and highlighted.row() == 1


def test_a_row_removed_by_the_model_passes_the_highlight_to_the_next(qtbot: QtBot) -> None:
    """A model removing the highlighted row: the row taking its place is highlighted."""
    view, model = make_view(qtbot, [10, 20, 30])
    shown: list[int | None] = []
    highlighted = HighlightedRecord(view, shown.append)
    highlighted.select(20)
    model.removeRow(1)
    assert highlighted.key() == 30 and shown[-1] == 30
    model.removeRow(1)  # the last row: the one before it
    assert highlighted.key() == 10 and shown[-1] == 10
    model.removeRow(0)
    assert highlighted.key() is None and shown[-1] is None


def test_a_refill_without_the_record_highlights_first_or_next(qtbot: QtBot) -> None:
    """Gone after a search: the first row; gone after a delete: the row in its place."""
    view, model = make_view(qtbot, [10, 20, 30, 40])
    highlighted = HighlightedRecord(view)
    highlighted.select(30)
    highlighted.refill(lambda: fill(model, [10, 20, 40]), removed=True)
    assert highlighted.key() == 40
    highlighted.refill(lambda: fill(model, [20, 10]))
    assert highlighted.key() == 20
    highlighted.refill(lambda: fill(model, []))
    assert highlighted.key() is None and highlighted.row() is None
