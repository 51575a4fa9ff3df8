"""An accession's seed lots and their records, as a tab of the accession view.

The lots sit on top with their quantity, viability, next test and flags (in the rule's
own words); below, the chosen lot's tests, ledger and safety duplicates. Every button saves
at once through a service in its own transaction, apart from the passport form's Save.
A person without the right to change conservation records (a curator, a viewer, a trainer)
reads it all, its buttons and menu entries greyed, the reason in their tooltip and in a line
above the lots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import conservation_view, seed_lots
from genebank.conservation.conservation_view import LotSummary
from genebank.history import queries
from genebank.users.roles import Right
from ui import operations
from ui.dialogs.germination_dialogs import CountGerminationDialog, GerminationDialog
from ui.dialogs.lot_dialogs import (
    STORAGE_LABELS,
    DuplicateStatusDialog,
    FailureDialog,
    HarvestDialog,
    MoistureDialog,
    MoveLotDialog,
    NewLotDialog,
    QuantityDialog,
    RegenerationDialog,
    SafetyDuplicateDialog,
    SowingDialog,
    ThousandSeedWeightDialog,
)
from ui.dialogs.record_dialog import RecordDialog
from ui.operations import Changed
from ui.views import correction_actions, shown_numbers
from ui.views.highlighted_record import HighlightedRecord
from ui.views.history_view import HistoryView
from ui.views.training_rights import Control, Greying, why_not_of

FLAG_COLOUR = QColor("#b00020")


def _cell(value: object, *, number: bool = False) -> QTableWidgetItem:
    """A table cell: numbers in the system's regional format, the number itself kept in
    NUMBER_ROLE (what a sort or a reader uses, never the shown text)."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    item = QTableWidgetItem("" if value is None else
                            shown_numbers.number(value) if is_number else  # type: ignore[arg-type]
                            f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else str(value))
    if is_number:
        item.setData(shown_numbers.NUMBER_ROLE, value)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class _RowsOpenTable(QTableWidget):
    """A table whose rows open a form on Enter (``itemActivated``), and the Enter stops
    there. A QTableView passes Enter on to its parents after activating the row; the
    accession form, a dialog, then pressed the default button of any dialog among its
    children: the Save of the form the Enter had just opened, before anything was typed
    (a blank germination test, a count); or, for a person who may not open the row, the
    accession form's own Save."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


def _table(parent: QWidget, headers: Sequence[str], *,
           rows_open: bool = False) -> QTableWidget:
    table = (_RowsOpenTable if rows_open else QTableWidget)(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


class ConservationTab(QWidget):
    def __init__(self, session_factory: sessionmaker[Session], accession_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.accession_id = accession_id
        self.lots: list[LotSummary] = []
        self.regenerations: list[conservation_view.RegenerationLine] = []
        self.history: conservation_view.LotHistory | None = None
        self._test_to_highlight: int | None = None  # a test just recorded or counted
        # what the person may do (their roles) and what the highlighted lot allows
        self.greying = Greying(why_not_of(session_factory))
        self._conditions: dict[Control, bool] = {}
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.add_lot_button = self._button(self.tr("&New lot…"), self.add_lot, buttons)
        self.germination_button = self._button(self.tr("&Germination test…"),
                                               self.record_germination, buttons)
        self.count_button = self._button(self.tr("C&ount a test…"), self.count_germination,
                                         buttons)
        self.count_button.setToolTip(self.tr(
            "Count the germination test highlighted in Tests (one recorded as sown, or whose "
            "counts fall short of the seeds sown)"))
        self.moisture_button = self._button(self.tr("Mo&isture test…"), self.record_moisture,
                                            buttons)
        self.quantity_button = self._button(self.tr("&Quantity…"), self.change_quantity,
                                            buttons)
        self.more_button = QToolButton(self)
        self.more_button.setText(self.tr("&More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.move_action = more.addAction(self.tr("Mo&ve to another place…"), self.move_lot)
        self.duplicate_action = more.addAction(self.tr("Send a &safety duplicate…"),
                                               self.send_duplicate)
        self.duplicate_status_action = more.addAction(self.tr("Safety duplicate s&tatus…"),
                                                      self.set_duplicate_status)
        self.weight_action = more.addAction(self.tr("1000-seed wei&ght…"),
                                            self.set_thousand_seed_weight)
        more.addSeparator()
        self.regenerate_action = more.addAction(self.tr("Plan a &regeneration…"),
                                                self.plan_regeneration)
        self.sowing_action = more.addAction(self.tr("Record the so&wing…"), self.record_sowing)
        self.harvest_action = more.addAction(self.tr("Record a &harvest…"), self.record_harvest)
        self.failure_action = more.addAction(self.tr("Regeneration &failed…"),
                                             self.record_failure)
        more.addSeparator()
        self.discard_action = more.addAction(self.tr("Disca&rd lot…"), self.discard)
        self.more_button.setMenu(more)
        buttons.addWidget(self.more_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.rights_label = QLabel(self)  # why this person may only read the lots
        self.rights_label.setObjectName("conservation_read_only_reason")
        self.rights_label.setWordWrap(True)
        self.rights_label.setStyleSheet("color: #8a4b00;")
        reason = self.greying.why_not(Right.CHANGE_CONSERVATION)
        self.rights_label.setText(self.tr("Read-only: {0}").format(reason) if reason else "")
        self.rights_label.setVisible(reason is not None)
        layout.addWidget(self.rights_label)
        # what a save worked out for the user (a 1000-seed weight), said once, never silently
        self.note = QLabel(self)
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        layout.addWidget(self.note)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        layout.addWidget(splitter, 1)
        self.lot_table = _table(splitter, (
            self.tr("Lot"), self.tr("Storage"), self.tr("Stored"), self.tr("Status"),
            self.tr("Seeds"), self.tr("Grams"), self.tr("Initial %"), self.tr("Last %"),
            self.tr("Last test"), self.tr("Next test due"), self.tr("Flags"),
            self.tr("Location")), rows_open=True)
        self.lot_table.setObjectName("lots")
        self.lot_table.itemActivated.connect(  # as its button: not for who may not
            lambda _item: self.record_germination()
            if self.germination_button.isEnabled() else None)
        details = QTabWidget(splitter)
        self.details = details
        self.flags = QLabel(details)
        self.flags.setWordWrap(True)
        self.flags.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.flags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_table = _table(details, (self.tr("Date"), self.tr("Test"), self.tr("Result"),
                                           self.tr("Method"), self.tr("Replicates / ERH"),
                                           self.tr("Tester")), rows_open=True)
        self.test_table.setObjectName("tests")
        self.test_table.itemActivated.connect(
            lambda _item: self.count_germination() if self.count_button.isEnabled() else None)
        self.ledger_table = _table(details, (self.tr("Date"), self.tr("What"), self.tr("Seeds"),
                                             self.tr("Grams"), self.tr("Reason"), self.tr("By")))
        self.duplicates = QLabel(details)
        self.duplicates.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        details.addTab(self.flags, self.tr("Flags"))
        details.addTab(self.test_table, self.tr("Tests"))
        details.addTab(self.ledger_table, self.tr("Ledger"))
        details.addTab(self.duplicates, self.tr("Safety duplicates"))
        self.regeneration_table = _table(details, (
            self.tr("Source lot"), self.tr("Site"), self.tr("Planned"), self.tr("Sown"),
            self.tr("Harvested"), self.tr("Status"), self.tr("New lot")))
        details.addTab(self.regeneration_table, self.tr("Regenerations"))
        self.lot_history = HistoryView(session_factory, parent=details)
        self.lot_history.setObjectName("lot_history")
        details.addTab(self.lot_history, self.tr("History"))
        splitter.setSizes([220, 260])
        # the tests, ledger and duplicates below, and every button, follow the highlighted lot
        self.highlighted = HighlightedRecord(self.lot_table, lambda _lot: self._show_history())
        # Count a test… counts the test highlighted in Tests, and only one still to count
        self.test_highlight = HighlightedRecord(self.test_table,
                                                lambda _test: self._test_highlighted())
        correction_actions.install(self)  # Correct… and Void… of tests, lines, regenerations
        for control in (self.add_lot_button, self.germination_button, self.count_button,
                        self.moisture_button, self.quantity_button, self.more_button,
                        *(action for action in more.actions() if not action.isSeparator())):
            self.greying.needs(control, Right.CHANGE_CONSERVATION)
        self._allow(True)
        self.reload()
        operations.on_change(self, self._announced)

    def _allow(self, allowed: bool, *controls: Control) -> None:
        """Whether the highlighted lot (or regeneration, or test) allows ``controls``;
        each is enabled if it does and the person's roles allow it too (else greyed,
        the reason in its tooltip)."""
        for control in controls:
            self._conditions[control] = allowed
        self.greying.apply(lambda control: self._conditions.get(control, True))

    def why_not_change(self) -> str | None:
        """Why the person may not change conservation records (None: they may)."""
        return self.greying.why_not(Right.CHANGE_CONSERVATION)

    def _button(self, text: str, slot: object, layout: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter belongs to the passport form's Save
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # Showing ---------------------------------------------------------------------------------
    def _read_lots(self, session: Session) -> tuple[list[LotSummary],
                                                    list[conservation_view.RegenerationLine]]:
        return (conservation_view.accession_lots(session, self.accession_id,
                                                 today=dt.date.today()),
                conservation_view.regenerations(session, self.accession_id))

    def _announced(self, changes: Changed, initiator: object) -> None:
        """Another window changed lots or places (a worklist's count, an import of tests,
        a second editor): show them. Its own records it rereads itself, with a highlight."""
        if initiator is not self and changes.any_of("lots", "locations"):
            self.reload()

    def reload(self, select_lot: int | None = None) -> None:
        """Reread the lots, keeping ``select_lot`` (else the highlighted lot, else the first)
        highlighted, with its records shown below."""
        self.lots, self.regenerations = operations.read_now(
            self.session_factory, self._read_lots, operation=self.tr("Reading the seed lots"))
        self._fill(self.regeneration_table, [
            (r.source_lot, r.site, r.planned_on, r.sown_on, r.harvested_on,
             r.status.replace("_", " ") + (f" {r.failed_on:%Y-%m-%d}" if r.failed_on else ""),
             r.harvested_lot) for r in self.regenerations])
        correction_actions.mark_void(self.regeneration_table, [
            (row, r.void_reason) for row, r in enumerate(self.regenerations) if r.voided],
            label_column=5)
        self._allow(any(r.is_open for r in self.regenerations),
                    self.sowing_action, self.harvest_action, self.failure_action)
        self.highlighted.refill(self._fill_lots, select=select_lot)

    def _fill_lots(self) -> None:
        table = self.lot_table
        table.setRowCount(len(self.lots))
        for row, lot in enumerate(self.lots):
            cells = (_cell(lot.lot_number), _cell(STORAGE_LABELS.get(lot.storage_type)),
                     _cell(lot.stored_on), _cell(lot.status),
                     _cell(lot.seeds_on_hand, number=True),
                     _cell(lot.grams_on_hand, number=True),
                     _cell(lot.initial_viability_pct, number=True),
                     _cell(lot.last_viability_pct, number=True), _cell(lot.last_tested_on),
                     _cell(lot.next_test_due), _cell("; ".join(lot.flags)),
                     _cell(lot.location))
            for column, item in enumerate(cells):
                if lot.flags:
                    item.setForeground(QBrush(FLAG_COLOUR))
                if lot.status != "active":
                    item.setForeground(QBrush(QColor("gray")))
                table.setItem(row, column, item)
            table.item(row, 0).setData(Qt.ItemDataRole.UserRole, lot.id)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(10, min(table.columnWidth(10), 320))  # the flags, in full below

    def current_lot(self) -> LotSummary | None:
        """The highlighted lot (None when no lot is highlighted): what the buttons act on."""
        lot_id = self.highlighted.key()
        return next((lot for lot in self.lots if lot.id == lot_id), None)

    def current_lot_id(self) -> int | None:
        lot = self.current_lot()
        return lot.id if lot else None

    def select_lot(self, lot_id: int) -> bool:
        return self.highlighted.select(lot_id)

    def _show_history(self) -> None:
        lot = self.current_lot()
        active = lot is not None and lot.status != "discarded"
        self._allow(active, self.germination_button, self.moisture_button,
                    self.quantity_button, self.move_action, self.duplicate_action,
                    self.regenerate_action, self.discard_action)
        self._allow(lot is not None and lot.status == "active", self.weight_action)
        if lot is None:
            self.flags.setText(self.tr("No seed lots yet: add the first with New lot.")
                               if not self.lots else self.tr("Choose a lot above."))
            self.details.setTabText(0, self.tr("Flags"))
            self.history = None
            self.test_highlight.refill(lambda: self.test_table.setRowCount(0))
            self.ledger_table.setRowCount(0)
            self.duplicates.setText("")
            self.lot_history.set_reader(None)
            self._allow(False, self.duplicate_status_action, self.void_duplicate_action,
                        self.correct_duplicate_action)
            return
        lot_id = lot.id
        if self.lot_history.reader_key != lot_id:  # the lot's story, read when shown
            self.lot_history.set_reader(lambda session, limit: queries.lot_history(
                session, lot_id, limit=limit), key=lot_id)
        history = operations.read_now(
            self.session_factory, lambda session: conservation_view.lot_history(session, lot.id),
            operation=self.tr("Reading lot {0}").format(lot.lot_number))
        self.flags.setText("\n".join(f"• {flag}" for flag in lot.flags)
                           or self.tr("Nothing needs doing for lot {0}.").format(lot.lot_number))
        self.details.setTabText(0, self.tr("Flags ({0})").format(
            shown_numbers.count(len(lot.flags))) if lot.flags else self.tr("Flags"))
        self._fill(self.ledger_table, [(line.occurred_on, line.kind, line.seeds, line.grams,
                                        line.reason, line.by) for line in history.ledger])
        correction_actions.mark_void(self.ledger_table, [
            (row, line.void_reason) for row, line in enumerate(history.ledger) if line.voided])
        self._show_tests(history)
        self.duplicates.setText("\n".join(
            [text for _id, text in history.duplicates]
            + [self.tr("void: {0} ({1})").format(text, reason)
               for _id, text, reason in history.voided_duplicates])
            or self.tr("No safety duplicate of this lot."))
        self._allow(bool(history.duplicates), self.duplicate_status_action,
                    self.void_duplicate_action, self.correct_duplicate_action)

    def _result(self, test: conservation_view.TestLine) -> str:
        """A test's result with its percentage in the system's regional format."""
        if test.percent is None:
            return test.result  # nothing measured yet ("in progress: to count")
        shown = shown_numbers.percent(test.percent)
        if test.kind == "germination" and test.status == "short":
            return self.tr("{0} (counts short of the sown)").format(shown)
        return shown

    def _detail(self, test: conservation_view.TestLine) -> str:
        """A germination test's replicates (normal of sown, or sown while in progress) or a
        moisture test's ERH, their numbers in the system's regional format."""
        if test.kind == "moisture":
            return "" if test.erh_pct is None else self.tr("ERH {0}").format(
                shown_numbers.percent(test.erh_pct))
        if test.status == "in_progress":
            text = self.tr("{0} sown").format(" + ".join(shown_numbers.count(n)
                                                         for n in test.sown))
        else:
            text = "; ".join(
                "/".join(("?" if counts[0] is None else shown_numbers.count(counts[0]),
                          shown_numbers.count(sown)))
                for counts, sown in zip(test.counts, test.sown, strict=True))
        return f"{text} ({test.pretreatment})" if test.pretreatment else text

    def _show_tests(self, history: conservation_view.LotHistory) -> None:
        """Fill Tests, keeping the test highlighted if it is this lot's; for a lot just
        chosen, highlighting its oldest test to count (else its newest test)."""
        before = self.test_highlight.key()
        self.history = history
        ours = {t.test_id for t in history.tests if t.test_id is not None}
        waiting = self.tests_to_count()
        wanted, self._test_to_highlight = self._test_to_highlight, None
        chosen = (wanted if wanted in ours else before if before in ours
                  else waiting[0].test_id if waiting else None)

        def fill() -> None:
            self._fill(self.test_table, [(t.tested_on, t.kind, self._result(t), t.method,
                                          self._detail(t), t.tester) for t in history.tests])
            for row, line in enumerate(history.tests):
                self.test_table.item(row, 0).setData(Qt.ItemDataRole.UserRole, line.test_id)
            correction_actions.mark_void(self.test_table, [
                (row, t.void_reason) for row, t in enumerate(history.tests) if t.voided])

        self.test_highlight.refill(fill, select=chosen)

    def highlighted_test(self) -> conservation_view.TestLine | None:
        """The test highlighted in Tests (None when none is, or it is a moisture test)."""
        test_id = self.test_highlight.key()
        tests = self.history.tests if self.history else []
        return next((t for t in tests if test_id is not None and t.test_id == test_id), None)

    def select_test(self, test_id: int) -> bool:
        """Show Tests with ``test_id`` highlighted (a test chosen in a worklist)."""
        self.details.setCurrentWidget(self.test_table)
        return self.test_highlight.select(test_id)

    def _test_highlighted(self) -> None:
        test = self.highlighted_test()
        self._allow(test is not None and test.to_count, self.count_button)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[object, ...]]) -> None:
        table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, _cell(value, number=isinstance(value, int | float)))
        table.resizeColumnsToContents()

    # Recording -------------------------------------------------------------------------------
    def _run(self, dialog: RecordDialog, select_new: bool = False,
             select_test: bool = False) -> RecordDialog:
        """Show ``dialog``; once saved, reread, highlighting the new lot (``select_new``) or
        the test recorded or counted (``select_test``)."""
        def saved() -> None:
            self._test_to_highlight = dialog.saved_id if select_test else None
            self.reload(dialog.saved_id if select_new else None)
            note = str(getattr(dialog, "note", ""))
            self.note.setText(note)
            self.note.setVisible(bool(note))

        dialog.accepted.connect(saved)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def add_lot(self) -> RecordDialog:
        return self._run(NewLotDialog(self.session_factory, self.accession_id, self), True)

    def record_germination(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(GerminationDialog(self.session_factory, lot, self),
                         select_test=True) if lot else None

    def tests_to_count(self) -> list[conservation_view.TestLine]:
        """The lot's germination tests sown and not counted (and old ones short of the sown),
        oldest first."""
        tests = self.history.tests if self.history else []
        return sorted((t for t in tests if t.kind == "germination" and t.to_count),
                      key=lambda t: t.tested_on)

    def count_germination(self) -> RecordDialog | None:
        """Count the test highlighted in Tests, if it is one still to count."""
        lot, test = self.current_lot(), self.highlighted_test()
        return self._run(CountGerminationDialog(self.session_factory, lot, test, self),
                         select_test=True) if lot and test and test.to_count else None

    def record_moisture(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(MoistureDialog(self.session_factory, lot, self)) if lot else None

    def change_quantity(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(QuantityDialog(self.session_factory, lot, self)) if lot else None

    def move_lot(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(MoveLotDialog(self.session_factory, lot, self)) if lot else None

    def send_duplicate(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(SafetyDuplicateDialog(self.session_factory, lot, self)) if lot else None

    def plan_regeneration(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(RegenerationDialog(self.session_factory, lot, self)) if lot else None

    def set_thousand_seed_weight(self) -> RecordDialog | None:
        lot = self.current_lot()
        return self._run(ThousandSeedWeightDialog(self.session_factory, lot, self)) \
            if lot and lot.status == "active" else None

    def set_duplicate_status(self) -> RecordDialog | None:
        duplicates = self.history.duplicates if self.history else []
        return self._run(DuplicateStatusDialog(self.session_factory, duplicates, self)) \
            if duplicates else None

    def record_sowing(self) -> RecordDialog:
        events = [r for r in self.regenerations if r.is_open]
        return self._run(SowingDialog(self.session_factory, events, self))

    def record_failure(self) -> RecordDialog:
        events = [r for r in self.regenerations if r.is_open]
        return self._run(FailureDialog(self.session_factory, events, self))

    def record_harvest(self) -> RecordDialog:
        events = [r for r in self.regenerations if r.is_open]
        return self._run(HarvestDialog(self.session_factory, events, self), True)

    def discard(self) -> operations.Write[None] | None:
        """Discard the highlighted lot, asking why; None if nothing was started."""
        lot = self.current_lot()
        if lot is None:
            return None
        reason, ok = QInputDialog.getText(
            self, self.tr("Discard lot {0}").format(lot.lot_number),
            self.tr("Why is lot {0} discarded? What is left of it leaves the inventory; its "
                    "records stay.").format(lot.lot_number))
        if not ok:
            return None
        operation = operations.Write(
            self, self.session_factory,
            lambda session: seed_lots.discard(session, lot.id, on=dt.date.today(),
                                              reason=reason),
            operation=self.tr("Discarding lot {0}").format(lot.lot_number),
            changes=Changed(lots=True), initiator=self)
        operation.success(lambda _result: self.reload())
        operation.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not discarded"), text))
        return operation.run()  # type: ignore[return-value]
