"""Forms for a seed lot and its records: a new lot, a quantity change, a germination test
(counted now, or sown now and counted later), a moisture test, a move, a safety duplicate,
a regeneration and its harvest. Each saves through its service
(:mod:`genebank.conservation.seed_lots`, ``seed_tests``, ``regenerations``) and says in the
dialog why it was refused. Each reads its fields in ``work()`` on the GUI thread and returns
the service call, which :class:`~ui.dialogs.record_dialog.RecordDialog` runs off it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import conservation_view, regenerations, seed_lots, seed_tests
from genebank.conservation.regenerations import DUPLICATE_STATUSES
from genebank.conservation.storage_locations import STORAGE_TYPES
from genebank.services.errors import ServiceError
from ui import operations
from ui.dialogs.record_dialog import (
    RecordDialog,
    amount_box,
    count_box,
    date_edit,
    date_of,
)
from ui.views import shown_numbers
from ui.views.number_box import NumberBox
from ui.views.picker import picked
from ui.views.pickers import InstitutePicker

_tr = QCoreApplication.translate
STORAGE_LABELS = {
    "base": _tr("Lots", "Base (long-term)"), "active": _tr("Lots", "Active (medium-term)"),
    "short_term": _tr("Lots", "Short-term"), "field": _tr("Lots", "Field"),
    "in_vitro": _tr("Lots", "In vitro"), "cryo": _tr("Lots", "Cryo"),
}


def fill_places(combo: QComboBox, session_factory: sessionmaker[Session], *,
                leave_out: str | None = None) -> None:
    """The storage locations read now, added to ``combo`` by path (but ``leave_out``, where
    the lot is): at opening, and again when a save was refused because the place chosen
    was removed by a colleague (:func:`place_removed`)."""
    paths = operations.read_now(session_factory, conservation_view.location_paths,
                                operation=_tr("Lots", "Reading the storage locations"))
    for location_id, path in sorted(paths.items(), key=lambda item: item[1]):
        if path != leave_out:
            combo.addItem(path, location_id)


def place_removed(dialog: RecordDialog, combo: QComboBox, error: BaseException,
                  keep: int, leave_out: str | None = None) -> None:
    """After a refusal: when the place chosen was removed meanwhile, the places are read
    again (it is gone from the list; the combo's first ``keep`` items stay) and none is
    chosen, so that the person chooses another rather than saving into one Genebank
    picked. A read that fails is said under the refusal, and the list stays as it was."""
    if getattr(error, "code", None) != "location_removed_meanwhile":
        return
    again = QComboBox()
    try:
        fill_places(again, dialog.session_factory, leave_out=leave_out)
    except Exception as failure:  # said, as any problem; the refusal stays said too
        dialog.error.setText(dialog.error.text() + "\n" + operations.message(failure))
        return
    while combo.count() > keep:
        combo.removeItem(combo.count() - 1)
    for index in range(again.count()):
        combo.addItem(again.itemText(index), again.itemData(index))
    combo.setPlaceholderText(_tr("Lots", "choose another place"))
    combo.setCurrentIndex(-1)


def worked_out_note(worked_out: seed_lots.WorkedOutWeight | None) -> str:
    """What the user is told when a lot's 1000-seed weight was worked out from its seeds and
    grams ("" when it was not): the weight to the field's 2 decimals, in the system's format."""
    if worked_out is None:
        return ""
    weight = QLocale().toString(worked_out.weight_g, "f", seed_lots.WEIGHT_DECIMALS)
    return _tr("Lots", "1000-seed weight worked out as {0} g from {1} seeds and {2}").format(
        weight, shown_numbers.count(worked_out.seeds),
        shown_numbers.unit(worked_out.grams, "g"))


class NewLotDialog(RecordDialog):
    def __init__(self, session_factory: sessionmaker[Session], accession_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("New seed lot"), parent)
        self.accession_id = accession_id
        self.lot_number = QLineEdit(self)
        self.lot_number.setPlaceholderText(self.tr("as on the label; scan it"))
        self.storage_type = QComboBox(self)
        for code in STORAGE_TYPES:
            self.storage_type.addItem(STORAGE_LABELS[code], code)
        self.location = QComboBox(self)
        self.location.addItem(self.tr("(not placed yet)"), None)
        fill_places(self.location, session_factory)
        self.stored_on = date_edit(self)
        self.container = QLineEdit(self)
        self.seeds = count_box(self, blank=self.tr("not counted"))
        self.grams = amount_box(self, " g", blank=self.tr("not weighed"))
        self.weight = amount_box(self, " g", 5000.0, 2, blank=self.tr("unknown"))
        self.minimum = count_box(self, blank=self.tr("the crop's"))
        rows = ((self.tr("&Lot number*"), self.lot_number),
                (self.tr("&Storage type*"), self.storage_type),
                (self.tr("&Location"), self.location), (self.tr("Stored &on*"), self.stored_on),
                (self.tr("&Container"), self.container), (self.tr("S&eeds"), self.seeds),
                (self.tr("&Weight"), self.grams), (self.tr("&1000-seed weight"), self.weight),
                (self.tr("&Minimum seeds"), self.minimum))
        for label, widget in rows:
            self.form.addRow(label, widget)
        self.weight.setToolTip(self.tr("Converts seeds to grams and back; left empty with "
                                       "both seeds and weight given, it is worked out from "
                                       "them"))
        self.minimum.setToolTip(self.tr("Below this the lot is flagged for regeneration; "
                                        "empty: the crop's minimum"))
        self.note = ""  # after saving: the 1000-seed weight worked out, for the tab to show

    def work(self) -> Callable[[Session], seed_lots.StoredLot]:
        if self.location.currentIndex() < 0:  # its place removed meanwhile
            raise ServiceError(self.tr("choose the lot's location (or '(not placed yet)')"))
        return partial(
            seed_lots.store_lot, accession_id=self.accession_id,
            lot_number=self.lot_number.text(),
            storage_type=self.storage_type.currentData(), stored_on=date_of(self.stored_on),
            seeds=self.seeds.optional_value(), grams=self.grams.optional_value(),
            thousand_seed_weight_g=self.weight.optional_value(),
            location_id=self.location.currentData(), container=self.container.text(),
            minimum_seeds=self.minimum.optional_value())

    def refused(self, text: str, error: BaseException) -> None:
        super().refused(text, error)
        place_removed(self, self.location, error, keep=1)

    def finish(self, result: seed_lots.StoredLot) -> int:
        self.note = worked_out_note(result.worked_out)
        return result.lot_id


class ThousandSeedWeightDialog(RecordDialog):
    """Set or correct a lot's 1000-seed weight (never given, or weighed again): from then on
    seeds and grams convert with it."""

    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("1000-seed weight of lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        held = " + ".join(part for part in (
            self.tr("{0} seeds").format(shown_numbers.count(lot.seeds_on_hand))
            if lot.seeds_on_hand is not None else "",
            shown_numbers.unit(lot.grams_on_hand, "g") if lot.grams_on_hand is not None
            else "") if part)
        now = (shown_numbers.unit(lot.thousand_seed_weight_g, "g")
               if lot.thousand_seed_weight_g is not None else self.tr("not set"))
        self.weight = amount_box(self, " g", seed_lots.WEIGHT_MAX_G, seed_lots.WEIGHT_DECIMALS,
                                 blank=self.tr("give it"))
        if lot.thousand_seed_weight_g is not None:
            self.weight.setValue(lot.thousand_seed_weight_g)
        self.form.addRow(self.tr("In the lot now"), QLabel(held or "-", self))
        self.form.addRow(self.tr("1000-seed weight now"), QLabel(now, self))
        self.form.addRow(self.tr("&New 1000-seed weight*"), self.weight)
        self.weight.setToolTip(self.tr("Grams per 1000 seeds, weighed on a sample of the lot; "
                                       "seeds and grams taken from the lot convert with it"))

        self.note = ""  # after saving: the weight set, for the tab to show

    def work(self) -> Callable[[Session], Any]:
        return partial(seed_lots.set_thousand_seed_weight, lot_id=self.lot.id,
                       weight_g=self.weight.optional_value())

    def finish(self, result: Any) -> int:
        self.note = self.tr("1000-seed weight of lot {0} set to {1} g").format(
            self.lot.lot_number,
            QLocale().toString(result.after_g, "f", seed_lots.WEIGHT_DECIMALS))
        return self.lot.id


class QuantityDialog(RecordDialog):
    """Seeds leaving the lot (a distribution, a regeneration) or a signed recount."""

    KINDS = (("distributed", _tr("Lots", "Distributed")),
             ("regeneration", _tr("Lots", "Taken for regeneration")),
             ("correction", _tr("Lots", "Correction (recount: + or -)")))

    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Change quantity of lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        self.kind = QComboBox(self)
        for code, label in self.KINDS:
            self.kind.addItem(label, code)
        self.on = date_edit(self)
        self.seeds = NumberBox(self, whole=True, minimum=-10_000_000, maximum=10_000_000,
                               blank=self.tr("not given"))
        self.grams = amount_box(self, " g", blank=self.tr("not given"))
        self.grams.setMinimum(-1_000_000.0)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("e.g. SMTA number, request, recount"))
        held = (self.tr("{0} seeds").format(shown_numbers.count(lot.seeds_on_hand))
                if lot.seeds_on_hand is not None else "") + (
            f" ({shown_numbers.unit(lot.grams_on_hand, 'g')})"
            if lot.grams_on_hand is not None else "")
        self.form.addRow(self.tr("In the lot now"), QLabel(held or "-", self))
        for label, widget in ((self.tr("&What"), self.kind), (self.tr("&Date"), self.on),
                              (self.tr("&Seeds"), self.seeds), (self.tr("&Grams"), self.grams),
                              (self.tr("&Reason"), self.reason)):
            self.form.addRow(label, widget)

    def work(self) -> Callable[[Session], int]:
        kind = self.kind.currentData()
        seeds, grams = self.seeds.optional_value(), self.grams.optional_value()
        if kind == "correction":
            return partial(seed_lots.correct, lot_id=self.lot.id, on=date_of(self.on),
                           seeds=seeds, grams=grams, reason=self.reason.text())
        return partial(seed_lots.withdraw, lot_id=self.lot.id, kind=kind, on=date_of(self.on),
                       seeds=seeds, grams=grams, reason=self.reason.text())


class MoistureDialog(RecordDialog):
    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Moisture test of lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        self.tested_on = date_edit(self)
        self.method = QLineEdit(self)
        self.method.setPlaceholderText(self.tr("e.g. oven 103 °C 17 h; hygrometer"))
        self.moisture = amount_box(self, " %", 100.0, 1, blank=self.tr("not measured"))
        self.erh = amount_box(self, " %", 100.0, 1, blank=self.tr("not measured"))
        self.tester = QLineEdit(self.user, self)
        for label, widget in ((self.tr("Tested &on"), self.tested_on),
                              (self.tr("&Method"), self.method),
                              (self.tr("Moisture content (fresh &weight)"), self.moisture),
                              (self.tr("&Equilibrium RH"), self.erh),
                              (self.tr("&Tester"), self.tester)):
            self.form.addRow(label, widget)

    def work(self) -> Callable[[Session], int]:
        return partial(
            seed_tests.record_moisture, lot_id=self.lot.id, tested_on=date_of(self.tested_on),
            moisture_pct=self.moisture.optional_value(), erh_pct=self.erh.optional_value(),
            method=self.method.text(), tester=self.tester.text())


class MoveLotDialog(RecordDialog):
    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Move lot {0}").format(lot.lot_number), parent)
        self.lot = lot
        self.location = QComboBox(self)
        fill_places(self.location, session_factory, leave_out=lot.location)
        self.on = date_edit(self)
        self.reason = QLineEdit(self)
        self.form.addRow(self.tr("Now in"), QLabel(lot.location or self.tr("(not placed)")))
        self.form.addRow(self.tr("&Move to"), self.location)
        self.form.addRow(self.tr("&Date"), self.on)
        self.form.addRow(self.tr("&Reason"), self.reason)

    def work(self) -> Callable[[Session], int]:
        if self.location.count() and self.location.currentIndex() < 0:  # removed meanwhile
            raise ServiceError(self.tr("choose where the lot goes"))
        if self.location.currentData() is None:
            raise ServiceError(self.tr("define the storage locations first (Conservation > "
                                       "Storage locations)"))
        return partial(seed_lots.move, lot_id=self.lot.id,
                       to_location_id=self.location.currentData(),
                              on=date_of(self.on), reason=self.reason.text())

    def refused(self, text: str, error: BaseException) -> None:
        super().refused(text, error)
        place_removed(self, self.location, error, keep=0, leave_out=self.lot.location)


class SafetyDuplicateDialog(RecordDialog):
    """Part of a lot sent to another institute; its seeds leave the lot through the ledger."""

    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Safety duplicate of lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        self.institute = InstitutePicker(session_factory, self)
        self.institute.set_value("NOR051")  # Svalbard Global Seed Vault
        self.sent_on = date_edit(self)
        self.seeds = count_box(self)
        self.seeds.setValue(500)
        self.box = QLineEdit(self)
        for label, widget in ((self.tr("&Institute (WIEWS code)"), self.institute),
                              (self.tr("&Sent on"), self.sent_on), (self.tr("S&eeds"), self.seeds),
                              (self.tr("&Box / reference"), self.box)):
            self.form.addRow(label, widget)

    def work(self) -> Callable[[Session], int]:
        return partial(
            regenerations.send_safety_duplicate, lot_id=self.lot.id,
            institute_code=picked(self.institute, "duplicate_institute_invalid") or "",
            sent_on=date_of(self.sent_on), seeds=self.seeds.value(),
            box_reference=self.box.text())


class RegenerationDialog(RecordDialog):
    """Plan a regeneration from a lot; the seeds to sow leave the lot now."""

    def __init__(self, session_factory: sessionmaker[Session], lot: conservation_view.LotSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Regenerate from lot {0}")
                         .format(lot.lot_number), parent)
        self.lot = lot
        self.site = QLineEdit(self)
        self.site.setPlaceholderText(self.tr("field or screenhouse"))
        self.planned_on = date_edit(self)
        self.planned_on.setMaximumDate(self.planned_on.date().addYears(5))
        self.seeds = count_box(self, blank=self.tr("taken later"))
        for label, widget in ((self.tr("&Site"), self.site),
                              (self.tr("&Planned sowing"), self.planned_on),
                              (self.tr("Seeds to &sow"), self.seeds)):
            self.form.addRow(label, widget)

    def work(self) -> Callable[[Session], int]:
        return partial(
            regenerations.plan_regeneration, source_lot_id=self.lot.id, site=self.site.text(),
            planned_on=date_of(self.planned_on), seeds=self.seeds.optional_value())


class HarvestDialog(RecordDialog):
    """Close an open regeneration with its harvest, stored as a new lot linked to its parent."""

    def __init__(self, session_factory: sessionmaker[Session],
                 open_events: list[conservation_view.RegenerationLine],
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Record a harvest"), parent)
        self.event = QComboBox(self)
        for line in open_events:
            self.event.addItem(line.label(), line.id)
        self.harvested_on = date_edit(self)
        self.lot_number = QLineEdit(self)
        self.storage_type = QComboBox(self)
        for code in STORAGE_TYPES:
            self.storage_type.addItem(STORAGE_LABELS[code], code)
        self.seeds = count_box(self, blank=self.tr("not counted"))
        self.grams = amount_box(self, " g", blank=self.tr("not weighed"))
        self.weight = amount_box(self, " g", 5000.0, 2, blank=self.tr("unknown"))
        for label, widget in ((self.tr("&Regeneration"), self.event),
                              (self.tr("&Harvested on"), self.harvested_on),
                              (self.tr("New &lot number*"), self.lot_number),
                              (self.tr("&Storage type"), self.storage_type),
                              (self.tr("S&eeds"), self.seeds), (self.tr("&Weight"), self.grams),
                              (self.tr("&1000-seed weight"), self.weight)):
            self.form.addRow(label, widget)

        self.note = ""  # after saving: the 1000-seed weight worked out, for the tab to show

    def work(self) -> Callable[[Session], Any]:
        if self.event.currentData() is None:
            raise ServiceError(self.tr("there is no planned regeneration to harvest"))
        return partial(
            regenerations.harvest, regeneration_id=self.event.currentData(),
            harvested_on=date_of(self.harvested_on),
            lot_number=self.lot_number.text(), storage_type=self.storage_type.currentData(),
            seeds=self.seeds.optional_value(), grams=self.grams.optional_value(),
            thousand_seed_weight_g=self.weight.optional_value())

    def finish(self, result: Any) -> int:
        self.note = worked_out_note(result.worked_out)
        return int(result.lot_id)


class SowingDialog(RecordDialog):
    def __init__(self, session_factory: sessionmaker[Session],
                 open_events: list[conservation_view.RegenerationLine],
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Record the sowing"), parent)
        self.event = QComboBox(self)
        for line in open_events:
            self.event.addItem(line.label(), line.id)
        self.sown_on = date_edit(self)
        self.plants = count_box(self, blank=self.tr("not counted"))
        for label, widget in ((self.tr("&Regeneration"), self.event),
                              (self.tr("&Sown on"), self.sown_on),
                              (self.tr("&Plants"), self.plants)):
            self.form.addRow(label, widget)

    def work(self) -> Callable[[Session], int]:
        event_id = self.event.currentData()
        if event_id is None:
            raise ServiceError(self.tr("there is no planned regeneration to sow"))
        sown_on, plants = date_of(self.sown_on), self.plants.optional_value()

        def sow(session: Session) -> int:
            regenerations.record_sowing(session, event_id, sown_on=sown_on, plants=plants)
            return int(event_id)
        return sow


class FailureDialog(RecordDialog):
    def __init__(self, session_factory: sessionmaker[Session],
                 open_events: list[conservation_view.RegenerationLine],
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("A regeneration failed"), parent)
        self.event = QComboBox(self)
        for line in open_events:
            self.event.addItem(line.label(), line.id)
        self.notes = QLineEdit(self)
        self.notes.setPlaceholderText(self.tr("what happened: drought, disease, no seed set…"))
        self.failed_on = date_edit(self)
        self.form.addRow(self.tr("&Regeneration"), self.event)
        self.form.addRow(self.tr("&Why"), self.notes)
        self.form.addRow(self.tr("&Failed on"), self.failed_on)

    def work(self) -> Callable[[Session], int]:
        event_id = self.event.currentData()
        if event_id is None:
            raise ServiceError(self.tr("there is no open regeneration"))
        notes, on = self.notes.text(), date_of(self.failed_on)

        def fail(session: Session) -> int:
            regenerations.record_failure(session, event_id, notes=notes, on=on)
            return int(event_id)
        return fail


class DuplicateStatusDialog(RecordDialog):
    """A duplicate's receipt confirmed, or the duplicate withdrawn."""

    def __init__(self, session_factory: sessionmaker[Session],
                 duplicates: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Safety duplicate status"), parent)
        self.duplicate = QComboBox(self)
        for duplicate_id, text in duplicates:
            self.duplicate.addItem(text, duplicate_id)
        self.status = QComboBox(self)
        for status in DUPLICATE_STATUSES:
            self.status.addItem(status, status)
        self.status.setCurrentIndex(self.status.findData("confirmed"))
        self.confirmed_on = date_edit(self)
        self.confirmed_on.setToolTip(self.tr("The day the institute confirmed its receipt"))
        self.status.currentIndexChanged.connect(lambda _index: self.confirmed_on.setEnabled(
            self.status.currentData() == "confirmed"))
        self.form.addRow(self.tr("&Duplicate"), self.duplicate)
        self.form.addRow(self.tr("&Status"), self.status)
        self.form.addRow(self.tr("&Confirmed on"), self.confirmed_on)

    def work(self) -> Callable[[Session], int]:
        duplicate_id = self.duplicate.currentData()
        if duplicate_id is None:
            raise ServiceError(self.tr("this lot has no safety duplicate"))
        status, on = self.status.currentData(), date_of(self.confirmed_on)

        def confirm(session: Session) -> int:
            regenerations.set_duplicate_status(session, duplicate_id, status, on=on)
            return int(duplicate_id)
        return confirm
