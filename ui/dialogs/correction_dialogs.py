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

from genebank.conservation import conservation_view, corrections
from genebank.services.refusals import Refused
from ui.dialogs.germination_dialogs import GerminationDialog
from ui.dialogs.lot_dialogs import MoistureDialog, RegenerationDialog, SafetyDuplicateDialog
from ui.dialogs.record_dialog import RecordDialog, amount_box, count_box, date_edit, date_of
from ui.operations import Changed
from ui.views import shown_numbers
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


class VoidDialog(RecordDialog):
    """Void one record: what it is, and why it is voided (required)."""

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


class CorrectGerminationDialog(GerminationDialog):
    """The germination test form, filled in with the test to correct, and a reason."""

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
        self.consumed.setValue(test.seeds_consumed or 0)
        self.replicate_count.setValue(max(1, len(test.sown)))
        for cells, sown, counts in zip(self.cells, test.sown, test.counts, strict=False):
            cells[0].setValue(sown)
            for cell, value in zip(cells[1:], counts, strict=False):
                cell.setValue(value or 0)
        self.sown_only.hide()  # a correction is a counted test
        self.reason = reason_field(self)
        self.form.addRow(self.tr("&Why correct it"), self.reason)
        self.changes = Changed(lots=True)

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        call = partial(corrections.correct_germination_test, test_id=self.line.test_id,
                       tested_on=date_of(self.tested_on), replicates=self.replicates(),
                       method=self.method.text(), pretreatment=self.pretreatment.text(),
                       tester=self.tester.text(), notes=self.notes.toPlainText(),
                       seeds_consumed=self.consumed.optional_value(),
                       counted_on=date_of(self.counted_on), reason=reason,
                       expected_version=self.line.version)
        return lambda session: call(session).new_id


class CorrectLedgerLineDialog(RecordDialog):
    """A ledger line's amount and date corrected (a new line replaces it), with a reason."""

    def __init__(self, session_factory: sessionmaker[Session],
                 lot: conservation_view.LotSummary, line: conservation_view.LedgerLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Correct a ledger line of lot {0}").format(
            lot.lot_number), parent)
        self.line = line
        self.what = QLabel(ledger_label(line), self)
        self.what.setObjectName("line")
        self.on = date_edit(self, line.occurred_on)
        self.seeds = count_box(self, blank=self.tr("not counted"))
        self.seeds.setValue(abs(line.seeds) if line.seeds is not None else 0)
        self.grams = amount_box(self, " g", blank=self.tr("not weighed"))
        self.grams.setValue(abs(line.grams) if line.grams is not None else 0)
        self.reason = reason_field(self)
        for label, widget in ((self.tr("Line"), self.what), (self.tr("&Date"), self.on),
                              (self.tr("&Seeds"), self.seeds), (self.tr("&Grams"), self.grams),
                              (self.tr("&Why correct it"), self.reason)):
            self.form.addRow(label, widget)
        # only the units the line was counted in
        self.form.setRowVisible(self.seeds, line.seeds is not None)
        self.form.setRowVisible(self.grams, line.grams is not None)

    def work(self) -> Callable[[Session], int]:
        reason = given_reason(self.reason)
        seeds = self.seeds.optional_value() if self.line.seeds is not None else None
        grams = self.grams.optional_value() if self.line.grams is not None else None
        call = partial(corrections.correct_ledger_line, line_id=self.line.id,
                       seeds=None if seeds is None else int(seeds),
                       grams=None if grams is None else float(grams), on=date_of(self.on),
                       reason=reason, expected_version=self.line.version)
        return lambda session: call(session).new_id


class CorrectMoistureDialog(MoistureDialog):
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


class CorrectRegenerationDialog(RegenerationDialog):
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


class CorrectDuplicateDialog(SafetyDuplicateDialog):
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
