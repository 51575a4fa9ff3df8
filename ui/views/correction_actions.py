"""Correct… and Void… in an accession's conservation tab (issue 15): on the Tests, Ledger
and Regenerations lists (right-click, or the tab's More menu for the highlighted row), and
for a safety duplicate; voided rows are shown struck through and grey, marked "void", the
reason in their tooltip.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QInputDialog, QMenu, QTableWidget

from genebank.conservation import conservation_view
from ui.dialogs.correction_dialogs import (
    VOID_SERVICES,
    CorrectDuplicateDialog,
    CorrectGerminationDialog,
    CorrectLedgerLineDialog,
    CorrectMoistureDialog,
    CorrectRegenerationDialog,
    VoidDialog,
    ledger_label,
    test_label,
)
from ui.dialogs.record_dialog import RecordDialog
from ui.views.row_selection import select_row

if TYPE_CHECKING:
    from ui.views.conservation_tab import ConservationTab

VOID_COLOUR = QColor("#808080")


def _tr(text: str) -> str:
    return QCoreApplication.translate("correction_actions", text)


def install(tab: ConservationTab) -> None:
    """Right-click menus on the tab's lists and two entries in its More menu."""
    for table, kind in ((tab.test_table, "test"), (tab.ledger_table, "ledger"),
                        (tab.regeneration_table, "regeneration")):
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(partial(_menu, tab, table, kind))
    more = tab.more_button.menu()
    more.addSeparator()
    tab.correct_action = more.addAction(_tr("&Correct the highlighted test, line or "
                                            "regeneration…"), lambda: correct_current(tab))
    tab.void_action = more.addAction(_tr("V&oid the highlighted test, line or "
                                         "regeneration…"), lambda: void_current(tab))
    tab.correct_duplicate_action = more.addAction(_tr("Correct a safety duplicate…"),
                                                  lambda: correct_duplicate(tab))
    tab.void_duplicate_action = more.addAction(_tr("Void a safety d&uplicate…"),
                                               lambda: void_duplicate(tab))


def mark_void(table: QTableWidget, voided: list[tuple[int, str]], *, label_column: int = 1) \
        -> None:
    """Rows voided: struck through and grey, "void" after their kind, the reason in their
    tooltip."""
    for row, reason in voided:
        tip = _tr("Void: {0}").format(reason)
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is None:
                continue
            font = item.font()
            font.setStrikeOut(True)
            item.setFont(font)
            item.setForeground(QBrush(VOID_COLOUR))
            item.setToolTip(tip)
        item = table.item(row, label_column)
        if item is not None:
            item.setText(_tr("{0} (void)").format(item.text()))
    table.resizeColumnsToContents()


def _current(tab: ConservationTab) -> tuple[str, int] | None:
    """The list shown below the lots and its highlighted row."""
    for table, kind in ((tab.test_table, "test"), (tab.ledger_table, "ledger"),
                        (tab.regeneration_table, "regeneration")):
        if tab.details.currentWidget() is table and table.currentRow() >= 0:
            return kind, table.currentRow()
    return None


def correct_current(tab: ConservationTab) -> RecordDialog | None:
    current = _current(tab)
    return correct_row(tab, *current) if current else None


def void_current(tab: ConservationTab) -> RecordDialog | None:
    current = _current(tab)
    return void_row(tab, *current) if current else None


def _menu(tab: ConservationTab, table: QTableWidget, kind: str, point: QPoint) -> None:
    row = table.rowAt(point.y())
    if row < 0:
        return
    select_row(table, row)
    menu = _row_menu(tab, table, kind, row)
    menu.exec(table.viewport().mapToGlobal(point))


def _row_menu(tab: ConservationTab, table: QTableWidget, kind: str, row: int) -> QMenu:
    """Correct… and Void… of a row, each enabled when the row allows it and the person
    may change conservation records (else greyed, the reason in its tooltip)."""
    reason = tab.why_not_change()
    menu = QMenu(table)
    menu.setToolTipsVisible(True)
    correct = menu.addAction(_tr("&Correct…"), lambda: correct_row(tab, kind, row))
    correct.setEnabled(reason is None and _correctable(tab, kind, row))
    void = menu.addAction(_tr("&Void…"), lambda: void_row(tab, kind, row))
    void.setEnabled(reason is None and _voidable(tab, kind, row))
    for action in (correct, void):
        action.setToolTip(reason or action.text().replace("&", ""))
    return menu


def _test(tab: ConservationTab, row: int) -> conservation_view.TestLine | None:
    tests = tab.history.tests if tab.history else []
    return tests[row] if 0 <= row < len(tests) else None


def _line(tab: ConservationTab, row: int) -> conservation_view.LedgerLine | None:
    lines = tab.history.ledger if tab.history else []
    return lines[row] if 0 <= row < len(lines) else None


def _regeneration(tab: ConservationTab, row: int) -> conservation_view.RegenerationLine | None:
    return tab.regenerations[row] if 0 <= row < len(tab.regenerations) else None


def _correctable(tab: ConservationTab, kind: str, row: int) -> bool:
    if kind == "test":  # a test still to count is corrected as one (its sowing)
        test = _test(tab, row)
        return bool(test and not test.voided)
    if kind == "ledger":  # a discarded lot's lines stay as they are (void the discard first)
        line, lot = _line(tab, row), tab.current_lot()
        return bool(line and not line.voided and line.kind not in ("transfer", "discarded")
                    and lot is not None and lot.status != "discarded")
    event = _regeneration(tab, row)
    return bool(event and not event.voided)


def _voidable(tab: ConservationTab, kind: str, row: int) -> bool:
    if kind == "test":
        test = _test(tab, row)
        return bool(test and not test.voided)
    if kind == "ledger":
        line = _line(tab, row)
        return bool(line and not line.voided and line.kind not in ("stored", "transfer"))
    event = _regeneration(tab, row)
    return bool(event and not event.voided)


def correct_row(tab: ConservationTab, kind: str, row: int) -> RecordDialog | None:
    """The record's usual form, filled in, with a reason; None when it is not corrected."""
    lot = tab.current_lot()
    if lot is None or not _correctable(tab, kind, row):
        return None
    if kind == "test":
        test = _test(tab, row)
        assert test is not None
        if test.kind == "moisture":
            return tab._run(CorrectMoistureDialog(tab.session_factory, lot, test, tab))
        return tab._run(CorrectGerminationDialog(tab.session_factory, lot, test, tab),
                        select_test=True)
    if kind == "regeneration":
        event = _regeneration(tab, row)
        assert event is not None
        return tab._run(CorrectRegenerationDialog(tab.session_factory, lot, event, tab))
    line = _line(tab, row)
    assert line is not None
    return tab._run(CorrectLedgerLineDialog(tab.session_factory, lot, line, tab))


def void_row(tab: ConservationTab, kind: str, row: int) -> RecordDialog | None:
    """Ask why, then void the record; None when it cannot be voided."""
    if not _voidable(tab, kind, row):
        return None
    if kind == "test":
        test = _test(tab, row)
        assert test is not None
        service = "germination" if test.kind == "germination" else "moisture"
        record_id = test.test_id if test.kind == "germination" else test.moisture_id
        what, version = test_label(test, tab._result(test)), test.version
        title = _tr("Void a test")
    elif kind == "ledger":
        line = _line(tab, row)
        assert line is not None
        service, record_id, what, version = "ledger", line.id, ledger_label(line), line.version
        title = _tr("Void a ledger line")
    else:
        event = _regeneration(tab, row)
        assert event is not None
        service, record_id, version = "regeneration", event.id, event.version
        what = _tr("Regeneration at {0} from lot {1}, planned {2}").format(
            event.site or "?", event.source_lot,
            f"{event.planned_on:%Y-%m-%d}" if event.planned_on else "?")
        title = _tr("Void a regeneration")
    assert record_id is not None
    return tab._run(VoidDialog(tab.session_factory, title=title, what=what,
                               service=VOID_SERVICES[service], record_id=record_id,
                               version=version, parent=tab))


def _chosen_duplicate(tab: ConservationTab, title: str) \
        -> conservation_view.DuplicateLine | None:
    """One of the lot's live safety duplicates, chosen when it has several."""
    duplicates = tab.history.duplicate_lines if tab.history else []
    if len(duplicates) < 2:
        return duplicates[0] if duplicates else None
    texts = [duplicate.text for duplicate in duplicates]
    chosen, ok = QInputDialog.getItem(tab, title, _tr("Safety duplicate"), texts, 0, False)
    return duplicates[texts.index(chosen)] if ok else None


def void_duplicate(tab: ConservationTab) -> RecordDialog | None:
    """Choose one of the lot's safety duplicates, then void it (as it was when read: a
    duplicate changed meanwhile is refused, not voided unseen)."""
    title = _tr("Void a safety duplicate")
    duplicate = _chosen_duplicate(tab, title)
    if duplicate is None:
        return None
    return tab._run(VoidDialog(tab.session_factory, title=title, what=duplicate.text,
                               service=VOID_SERVICES["duplicate"], record_id=duplicate.id,
                               version=duplicate.version, parent=tab))


def correct_duplicate(tab: ConservationTab) -> RecordDialog | None:
    """Choose one of the lot's safety duplicates, then correct it in its usual form."""
    lot = tab.current_lot()
    duplicate = _chosen_duplicate(tab, _tr("Correct a safety duplicate")) if lot else None
    if lot is None or duplicate is None:
        return None
    return tab._run(CorrectDuplicateDialog(tab.session_factory, lot, duplicate, tab))
