"""Void… and Correct… of a record entered by mistake (issue 15): a germination or moisture
test, a ledger line (a discard is one), a regeneration, a safety duplicate, a certificate.

Voiding asks only why; correcting opens the record's usual form, filled in with what it
says, with a reason to give. Either saves through the conservation or training service in
one transaction; the record stays, marked void, and its history says the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from genebank.conservation import conservation_view, corrections
from genebank.services.refusals import Refused
from ui import operations
from ui.dialogs.germination_dialogs import GerminationDialog
from ui.dialogs.lot_dialogs import MoistureDialog, RegenerationDialog, SafetyDuplicateDialog
from ui.dialogs.record_dialog import RecordDialog, amount_box, count_box, date_edit, date_of
from ui.operations import Changed
from ui.views import shown_numbers
from ui.views.number_box import NumberBox
from ui.views.picker import picked


def reason_field(dialog: RecordDialog) -> QLineEdit:
    field = QLineEdit(dialog)
    field.setObjectName("reason")
    field.setMaxLength(500)
    field.setPlaceholderText(dialog.tr("e.g. typed for the wrong lot (kept in its history)"))
    field.textChanged.connect(dialog.error.hide)  # a refusal of no reason is past
    return field


def given_reason(field: QLineEdit) -> str:
    """The reason typed; refused before the database when there is none."""
    if not field.text().strip():
        raise Refused("void_reason_missing")
    return field.text()


# Refusals saying the record was voided, corrected or changed by someone else since the form
# was filled in (or is gone): what the window behind shows of it is out of date.
STALE_CODES = frozenset({
    "record_void_already", "record_changed_meanwhile", "record_void", "concurrent_edit",
    "test_not_found", "moisture_test_not_found", "ledger_line_not_found",
    "regeneration_not_found", "duplicate_not_found", "lot_not_found"})


class RereadWhenStale(RecordDialog):
    """A refusal saying the record changed meanwhile (voided or corrected at another
    workstation) is announced as a change of what the dialog changes, so the lot's view
    behind it, and every window showing it, shows the records as they are now; the dialog
    stays open with the refusal and the typing."""

    def _refused(self, message: str) -> bool:
        refused = super()._refused(message)
        error = self.operation.error if self.operation is not None else None
        if getattr(error, "code", None) in STALE_CODES or isinstance(error, StaleDataError):
            operations.announcer().announce(self.changes, self)
        return refused


class VoidDialog(RereadWhenStale):
    """Void one record: what it is, and why it is voided (required); the reason field has
    the focus, so typing starts the reason (a space or Enter never voids an empty one)."""

    def __init__(self, session_factory: sessionmaker[Session], *, title: str, what: str,
                 service: Callable[..., Any], record_id: int, version: int | None,
                 changes: Changed | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, title, parent)
        self.changes = changes or Changed(lots=True)
        self.service, self.record_id, self.version = service, record_id, version
        self.what = QLabel(what, self)
        self.what.setWordWrap(True)
        self.reason = reason_field(self)
        self.form.addRow(self.tr("Record"), self.what)
        self.form.addRow(self.tr("&Why void it"), self.reason)
        self.form.addRow("", QLabel(self.tr(
            "The record stays, shown as void; it counts for nothing from now on."), self))
        self.save_button.setText(self.tr("&Void"))
        self.reason.setFocus()

    def work(self) -> Callable[[Session], Any]:
        return partial(self.service, record_id=self.record_id,
                       reason=given_reason(self.reason), expected_version=self.version)

    def finish(self, result: Any) -> Any:
        """A safety duplicate voided while the passport types its site: the lot's tab says
        that DUPLSITE still names it (a void never edits the passport)."""
        if isinstance(result, corrections.VoidedDuplicate) and result.site_still_named:
            self.note = self.tr(
                "DUPLSITE still names {0}: the accession's passport gives it as a safety-"
                "duplicate site, and a void does not change the passport. If no safety "
                "duplicate is kept at {0}, remove it from DUPLSITE in the Conservation tab."
            ).format(result.institute_code)
        return result


def _by_id(service: Callable[..., Any]) -> Callable[..., Any]:
    """``service(session, id, ...)`` called as ``(session, record_id=id, ...)``."""
    def call(session: Session, *, record_id: int, **values: Any) -> Any:
        return service(session, record_id, **values)
    return call


VOID_SERVICES: dict[str, Callable[..., Any]] = {
    "germination": _by_id(corrections.void_germination_test),
    "moisture": _by_id(corrections.void_moisture_test),
    "ledger": _by_id(corrections.void_ledger_line),
    "regeneration": _by_id(corrections.void_regeneration),
    "duplicate": _by_id(corrections.void_safety_duplicate),
}


class CorrectGerminationDialog(RereadWhenStale, GerminationDialog):
    """The germination test form, filled in with the test to correct, and a reason. A test
    still to count is corrected as one (Record as sown, count later ticked: its day and
    seeds sown), a counted test with its counts."""

    def __init__(self, session_factory: sessionmaker[Session],
                 lot: conservation_view.LotSummary, test: conservation_view.TestLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, lot, parent)
        self.setWindowTitle(self.tr("Correct the germination test of {0} of lot {1}").format(
            f"{test.tested_on:%Y-%m-%d}", lot.lot_number))
        self.line = test
        self.tested_on.setDate(QDate(test.tested_on))
        if test.counted_on:
            self.counted_on.setDate(QDate(test.counted_on))
        self.method.setText(test.method)
        self.pretreatment.setText(test.pretreatment)
        self.tester.setText(test.tester)
        self.notes.setPlainText(test.notes)
        if test.seeds_consumed not in (None, sum(test.sown)):  # else: the seeds sown, as typed
            self.consumed.setValue(test.seeds_consumed)
        self.replicate_count.setValue(max(1, len(test.sown)))
        for cells, sown, counts in zip(self.cells, test.sown, test.counts, strict=False):
            cells[0].setValue(sown)
            for cell, value in zip(cells[1:], counts, strict=False):
                cell.setValue(value or 0)
        self.sown_only.setChecked(test.status == "in_progress")
        self.reason = reason_field(self)
        self.form.addRow(self.tr("&Why correct it"), self.reason)
        self.changes = Changed(lots=True)

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        counts: dict[str, Any] = {"sown": self.grid.sown()} if self.sown_only.isChecked() \
            else {"replicates": self.replicates(), "counted_on": date_of(self.counted_on)}
        call = partial(corrections.correct_germination_test, test_id=self.line.test_id,
                       tested_on=date_of(self.tested_on), method=self.method.text(),
                       pretreatment=self.pretreatment.text(), tester=self.tester.text(),
                       notes=self.notes.toPlainText(),
                       seeds_consumed=self.consumed.optional_value(), reason=reason,
                       expected_version=self.line.version, **counts)
        return lambda session: call(session).new_id


class CorrectLedgerLineDialog(RereadWhenStale):
    """A ledger line's amount and date corrected (a new line replaces it), with a reason.

    A recount is shown and typed signed, as the Quantity form takes it (fewer seeds found:
    negative); any other line as the amount taken (or stored), which keeps its sign. In a
    lot with a 1000-seed weight, typing the seeds works out the grams shown, and the other
    way round; only the unit typed is sent, the other follows from the lot's weight, so the
    lot's seeds and grams keep agreeing (both are sent when both are typed)."""

    def __init__(self, session_factory: sessionmaker[Session],
                 lot: conservation_view.LotSummary, line: conservation_view.LedgerLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Correct a ledger line of lot {0}").format(
            lot.lot_number), parent)
        self.line = line
        self.weight = lot.thousand_seed_weight_g
        self.typed: set[str] = set()  # the units the user changed
        self._following = False
        signed = line.kind == "correction"
        self.what = QLabel(ledger_label(line), self)
        self.what.setObjectName("line")
        self.on = date_edit(self, line.occurred_on)
        self.on.setMinimumDate(QDate(lot.stored_on))
        if line.kind == "stored":  # the lot's storage day (corrections.correct_ledger_line)
            self.on.setEnabled(False)
            self.on.setToolTip(self.tr("The line that stored the lot is dated the day the "
                                       "lot was stored"))
        self.seeds = count_box(self, blank=self.tr("not counted"))
        self.grams = amount_box(self, " g", blank=self.tr("not weighed"))
        if signed:  # a recount: + or -
            self.seeds.setMinimum(-10_000_000)
            self.grams.setMinimum(-1_000_000.0)
        for box, amount in ((self.seeds, line.seeds), (self.grams, line.grams)):
            box.setValue(0 if amount is None else amount if signed else abs(amount))
        self.reason = reason_field(self)
        both = line.seeds is not None and line.grams is not None
        hints = [self.tr("A recount is signed: fewer seeds found is negative (-30), more is "
                         "positive.")] if signed else []
        if both and self.weight:
            hints.append(self.tr("Change the seeds or the grams: the other follows from the "
                                 "lot's 1000-seed weight ({0} g).").format(
                shown_numbers.number(self.weight)))
        elif both:
            hints.append(self.tr("This lot has no 1000-seed weight: correct the seeds and "
                                 "the grams both."))
        self.hint = QLabel(" ".join(hints), self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        for label, widget in ((self.tr("Line"), self.what), (self.tr("&Date"), self.on),
                              (self.tr("&Seeds"), self.seeds), (self.tr("&Grams"), self.grams),
                              ("", self.hint), (self.tr("&Why correct it"), self.reason)):
            self.form.addRow(label, widget)
        # only the units the line was counted in
        self.form.setRowVisible(self.seeds, line.seeds is not None)
        self.form.setRowVisible(self.grams, line.grams is not None)
        self.form.setRowVisible(self.hint, bool(hints))
        self.seeds.valueChanged.connect(lambda _value: self._typed("seeds"))
        self.grams.valueChanged.connect(lambda _value: self._typed("grams"))
        amount = self.seeds if line.seeds is not None else self.grams
        amount.setFocus()  # what is corrected most; a space typed never presses Save
        amount.selectAll()

    def _typed(self, unit: str) -> None:
        """The user changed ``unit``: while the other is not typed too, it follows from
        the 1000-seed weight (as the service will work it out)."""
        if self._following:
            return
        self.typed.add(unit)
        if not self.weight or len(self.typed) > 1 or None in (self.line.seeds,
                                                               self.line.grams):
            return
        source: NumberBox = self.seeds if unit == "seeds" else self.grams
        value = source.optional_value()
        if value is None or source.problem():
            return
        self._following = True
        try:
            if unit == "seeds":
                self.grams.setValue(round(value * self.weight / 1000, 3))
            else:
                self.seeds.setValue(round(value * 1000 / self.weight))
        finally:
            self._following = False

    def amounts(self) -> tuple[int | None, float | None]:
        """The seeds and grams to send: the units shown, or only the one typed when the
        other follows from the 1000-seed weight."""
        seeds_shown = self.seeds.optional_value() if self.line.seeds is not None else None
        grams_shown = self.grams.optional_value() if self.line.grams is not None else None
        seeds = None if seeds_shown is None else int(seeds_shown)
        grams = None if grams_shown is None else float(grams_shown)
        if self.weight and len(self.typed) == 1 and seeds is not None and grams is not None:
            return (seeds, None) if "seeds" in self.typed else (None, grams)
        return seeds, grams

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        seeds, grams = self.amounts()
        call = partial(corrections.correct_ledger_line, line_id=self.line.id,
                       seeds=seeds, grams=grams, on=date_of(self.on),
                       reason=reason, expected_version=self.line.version)
        return lambda session: call(session).new_id


class CorrectMoistureDialog(RereadWhenStale, MoistureDialog):
    """The moisture test form, filled in with the test to correct, and a reason."""

    def __init__(self, session_factory: sessionmaker[Session],
                 lot: conservation_view.LotSummary, test: conservation_view.TestLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, lot, parent)
        self.setWindowTitle(self.tr("Correct the moisture test of {0} of lot {1}").format(
            f"{test.tested_on:%Y-%m-%d}", lot.lot_number))
        self.line = test
        self.tested_on.setDate(QDate(test.tested_on))
        self.method.setText(test.method)
        self.moisture.setValue(test.percent)
        self.erh.setValue(test.erh_pct)
        self.tester.setText(test.tester)
        self.reason = reason_field(self)
        self.form.addRow(self.tr("&Why correct it"), self.reason)

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        assert self.line.moisture_id is not None
        call = partial(corrections.correct_moisture_test, test_id=self.line.moisture_id,
                       tested_on=date_of(self.tested_on),
                       moisture_pct=self.moisture.optional_value(),
                       erh_pct=self.erh.optional_value(), method=self.method.text(),
                       tester=self.tester.text(), notes=self.line.notes, reason=reason,
                       expected_version=self.line.version)
        return lambda session: call(session).new_id


class CorrectRegenerationDialog(RereadWhenStale, RegenerationDialog):
    """The regeneration form, filled in: site and planned sowing, and once sown the day and
    the plants; the seeds it took are a ledger line of their own, corrected there."""

    def __init__(self, session_factory: sessionmaker[Session],
                 lot: conservation_view.LotSummary, event: conservation_view.RegenerationLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, lot, parent)
        self.setWindowTitle(self.tr("Correct the regeneration at {0} from lot {1}").format(
            event.site or "?", event.source_lot))
        self.event = event
        self.site.setText(event.site)
        if event.planned_on:
            self.planned_on.setDate(QDate(event.planned_on))
        self.form.setRowVisible(self.seeds, False)
        self.sown_on = date_edit(self, event.sown_on)
        self.plants = count_box(self, blank=self.tr("not counted"))
        self.plants.setValue(event.plants)
        self.notes = QLineEdit(event.notes, self)
        self.reason = reason_field(self)
        for label, widget in ((self.tr("S&own on"), self.sown_on),
                              (self.tr("&Plants"), self.plants), (self.tr("&Notes"), self.notes),
                              (self.tr("&Why correct it"), self.reason)):
            self.form.addRow(label, widget)
        for widget in (self.sown_on, self.plants):  # only what a sown regeneration has
            self.form.setRowVisible(widget, event.sown_on is not None)

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        sown = self.event.sown_on is not None
        call = partial(corrections.correct_regeneration, regeneration_id=self.event.id,
                       site=self.site.text(), planned_on=date_of(self.planned_on),
                       sown_on=date_of(self.sown_on) if sown else None,
                       plants=self.plants.optional_value() if sown else self.event.plants,
                       notes=self.notes.text(), reason=reason,
                       expected_version=self.event.version)
        return lambda session: call(session).new_id


class CorrectDuplicateDialog(RereadWhenStale, SafetyDuplicateDialog):
    """The safety duplicate form, filled in with the duplicate to correct, and a reason."""

    def __init__(self, session_factory: sessionmaker[Session],
                 lot: conservation_view.LotSummary,
                 duplicate: conservation_view.DuplicateLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, lot, parent)
        self.setWindowTitle(self.tr("Correct a safety duplicate of lot {0}").format(
            lot.lot_number))
        self.duplicate = duplicate
        self.institute.set_value(duplicate.institute_code)
        if duplicate.sent_on:
            self.sent_on.setDate(QDate(duplicate.sent_on))
        self.seeds.setValue(duplicate.seeds)
        self.box.setText(duplicate.box_reference)
        self.reason = reason_field(self)
        self.form.addRow(self.tr("&Why correct it"), self.reason)

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        call = partial(corrections.correct_safety_duplicate, duplicate_id=self.duplicate.id,
                       institute_code=picked(self.institute, "duplicate_institute_invalid")
                       or "", sent_on=date_of(self.sent_on), seeds=self.seeds.value(),
                       box_reference=self.box.text(), reason=reason,
                       expected_version=self.duplicate.version)
        return lambda session: call(session).new_id


def _tr(text: str) -> str:
    return QCoreApplication.translate("correction_dialogs", text)


def ledger_label(line: conservation_view.LedgerLine) -> str:
    """'2026-11-23 distributed: -250 seeds, -10 g', numbers as the system writes them."""
    amount = ", ".join(part for part in (
        _tr("{0} seeds").format(shown_numbers.count(line.seeds))
        if line.seeds is not None else "",
        _tr("{0} g").format(shown_numbers.number(line.grams))
        if line.grams is not None else "") if part)
    return _tr("{0} {1}: {2}").format(f"{line.occurred_on:%Y-%m-%d}",
                                      line.kind.replace("_", " "), amount)


def test_label(test: conservation_view.TestLine, result: str) -> str:
    """'2026-10-01 germination test: 60 %'."""
    kind = _tr("germination test") if test.kind == "germination" else _tr("moisture test")
    return _tr("{0} {1}: {2}").format(f"{test.tested_on:%Y-%m-%d}", kind, result)
