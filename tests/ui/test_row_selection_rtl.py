"""A row is highlighted in Arabic too: ``QTableView.selectRow`` highlights nothing in a
right-to-left window, so every list selects through ``ui.views.row_selection`` (the main
table, the worklists' first match, a lot's right-clicked record)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from ui.views.row_selection import select_row

UI = Path(__file__).resolve().parents[2] / "ui"


@pytest.fixture
def right_to_left(qapp: QApplication) -> Iterator[None]:
    before = qapp.layoutDirection()
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    qapp.setLayoutDirection(before)


def _table(qtbot: QtBot) -> QTableWidget:
    table = QTableWidget(5, 3)
    for row in range(5):
        for column in range(3):
            table.setItem(row, column, QTableWidgetItem(f"DEMO-000000{row} {column}"))
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    qtbot.addWidget(table)
    table.show()
    return table


def test_a_row_is_highlighted_whole_right_to_left(qtbot: QtBot, right_to_left: None) -> None:
    table = _table(qtbot)
    table.selectRow(2)  # what the lists did: nothing highlighted in Arabic
    assert not table.selectionModel().isRowSelected(2)
    select_row(table, 2)
    assert table.selectionModel().isRowSelected(2)
    assert table.currentIndex().row() == 2
    select_row(table, 9)  # beyond the list: nothing changes
    assert table.selectionModel().isRowSelected(2)


def test_no_list_selects_with_select_row_of_qt() -> None:
    calls = [f"{path.relative_to(UI.parent)}:{number}"
             for path in UI.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.selectRow\(", line)]
    assert calls == [], "select through ui.views.row_selection.select_row: " + ", ".join(calls)
