"""Voids and corrections of conservation records: germination and moisture tests, ledger
lines (a discard is one), regenerations and safety duplicates.

A record entered by mistake is voided with a reason; one entered wrong is corrected: the
original is voided and a new record, naming it (``corrects_id``), is made from the new
values, through the same service that makes such a record, so every rule of a new record
holds. Both happen in one transaction, under the history operation "correction" with the
reason, and the lot's derived values (quantity, status, viability, moisture, next test
date, flags) are worked out again from the records that are not void before it ends.

Voiding a test or a safety duplicate voids the ledger line of the seeds it took (they are
back in the lot); that line cannot be voided on its own. A lot's first line (``stored``)
can be corrected but not voided (a lot stored by mistake is discarded), and a move between
places is not voided (the lot is moved back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import problems
from genebank.conservation import regenerations, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.models import (
    AccessionInstitute,
    GerminationTest,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
)
from genebank.services import voids
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused
from genebank.users.actor import requires
from genebank.users.roles import Right

problems.register({
    "moisture_test_not_found": "moisture test {test_id} no longer exists",
    "ledger_line_not_found": "ledger line {line_id} no longer exists",
    "ledger_line_of_record": "this line took the seeds of a {record}: void or correct the "
                             "{record} and its line follows",
    "ledger_line_stored": "the line that stored lot {lot} cannot be voided: correct its "
                          "amount, or discard the lot",
    "ledger_line_transfer": "a move between places is not voided: move lot {lot} back",
    "ledger_line_not_correctable": "a '{kind}' line is not corrected: void it",
    "correction_amount_missing": "give the corrected amount as seeds or grams",
})


@dataclass(frozen=True, slots=True)
class Corrected:
    """A correction: the record voided and the new one that replaces it."""

    voided_id: int
    new_id: int


def _lot(session: Session, lot_id: int) -> SeedLot:
    return seed_lots.lock_lot(session, lot_id)


def _void_line(session: Session, line_id: int | None, reason: str) -> None:
    """The ledger line of a voided test or duplicate, voided with it (if it still counts)."""
    if line_id is None:
        return
    line = session.get(LotTransaction, line_id)
    if line is not None and line.voided_at is None:
        voids.mark_void(session, line, reason)


# Germination tests -----------------------------------------------------------------------------
def _germination(session: Session, test_id: int, expected_version: int | None) \
        -> GerminationTest:
    test = session.get(GerminationTest, test_id)
    if test is None:
        raise Refused("test_not_found", test_id=test_id)
    voids.check_voidable(test, "germination test", expected_version)
    return test


def _void_germination(session: Session, test: GerminationTest, reason: str) -> SeedLot:
    lot = _lot(session, test.lot_id)
    voids.mark_void(session, test, reason)
    _void_line(session, test.transaction_id, reason)
    seed_lots.recount(session, lot)
    seed_tests.keep_viability(session, lot)
    seed_lots.refresh(session, lot)
    return lot


@requires(Right.CHANGE_CONSERVATION)
def void_germination_test(session: Session, test_id: int, *, reason: str,
                          expected_version: int | None = None) -> None:
    """Void a germination test: its seeds are back in the lot, and the lot's viability and
    next test date come from its other tests again."""
    reason = voids.checked_reason(reason)
    test = _germination(session, test_id, expected_version)
    with voids.correction(session, reason):
        _void_germination(session, test, reason)


@requires(Right.CHANGE_CONSERVATION)
def correct_germination_test(session: Session, test_id: int, *, tested_on: dt.date,
                             replicates: list[Replicate], reason: str, method: str = "",
                             pretreatment: str = "", tester: str = "", notes: str = "",
                             seeds_consumed: int | None = None,
                             counted_on: dt.date | None = None,
                             expected_version: int | None = None,
                             today: dt.date | None = None) -> Corrected:
    """Replace a germination test by one counted as given (the lab sheet read again)."""
    reason = voids.checked_reason(reason)
    test = _germination(session, test_id, expected_version)
    with voids.correction(session, reason):
        _void_germination(session, test, reason)
        new_id = seed_tests.record_germination(
            session, test.lot_id, tested_on=tested_on, replicates=replicates, method=method,
            pretreatment=pretreatment, tester=tester, notes=notes,
            seeds_consumed=seeds_consumed, counted_on=counted_on, today=today)
        new = session.get(GerminationTest, new_id)
        assert new is not None
        new.corrects_id = test.id
        session.flush()
    return Corrected(test.id, new_id)


# Moisture tests --------------------------------------------------------------------------------
def _moisture(session: Session, test_id: int, expected_version: int | None) -> MoistureTest:
    test = session.get(MoistureTest, test_id)
    if test is None:
        raise NotFound(code="moisture_test_not_found", params={"test_id": test_id})
    voids.check_voidable(test, "moisture test", expected_version)
    return test


def _void_moisture(session: Session, test: MoistureTest, reason: str) -> None:
    lot = _lot(session, test.lot_id)
    voids.mark_void(session, test, reason)
    seed_tests.keep_moisture(session, lot)
    seed_lots.refresh(session, lot)


@requires(Right.CHANGE_CONSERVATION)
def void_moisture_test(session: Session, test_id: int, *, reason: str,
                       expected_version: int | None = None) -> None:
    """Void a moisture test: the lot's moisture is its latest other test's again."""
    reason = voids.checked_reason(reason)
    test = _moisture(session, test_id, expected_version)
    with voids.correction(session, reason):
        _void_moisture(session, test, reason)


@requires(Right.CHANGE_CONSERVATION)
def correct_moisture_test(session: Session, test_id: int, *, tested_on: dt.date,
                          reason: str, moisture_pct: float | None = None,
                          erh_pct: float | None = None, method: str = "", tester: str = "",
                          notes: str = "", expected_version: int | None = None,
                          today: dt.date | None = None) -> Corrected:
    reason = voids.checked_reason(reason)
    test = _moisture(session, test_id, expected_version)
    with voids.correction(session, reason):
        _void_moisture(session, test, reason)
        new_id = seed_tests.record_moisture(
            session, test.lot_id, tested_on=tested_on, moisture_pct=moisture_pct,
            erh_pct=erh_pct, method=method, tester=tester, notes=notes, today=today)
        new = session.get(MoistureTest, new_id)
        assert new is not None
        new.corrects_id = test.id
        session.flush()
    return Corrected(test.id, new_id)


# Ledger lines ----------------------------------------------------------------------------------
def _line(session: Session, line_id: int, expected_version: int | None) -> LotTransaction:
    line = session.get(LotTransaction, line_id)
    if line is None:
        raise NotFound(code="ledger_line_not_found", params={"line_id": line_id})
    voids.check_voidable(line, "ledger line", expected_version)
    for model, record in ((GerminationTest, "germination test"),
                          (SafetyDuplicate, "safety duplicate")):
        if session.scalar(select(model.id).where(model.transaction_id == line.id)) is not None:
            raise Refused("ledger_line_of_record", record=record)
    if line.kind == "transfer":
        lot = session.get(SeedLot, line.lot_id)
        raise Refused("ledger_line_transfer", lot=lot.lot_number if lot else line.lot_id)
    return line


@requires(Right.CHANGE_CONSERVATION)
def void_ledger_line(session: Session, line_id: int, *, reason: str,
                     expected_version: int | None = None) -> None:
    """Void a ledger line: the lot's quantity (and status: a voided discard gives the lot
    back) is the sum of its other lines again."""
    reason = voids.checked_reason(reason)
    line = _line(session, line_id, expected_version)
    lot = _lot(session, line.lot_id)
    if line.kind == "stored":
        raise Refused("ledger_line_stored", lot=lot.lot_number)
    with voids.correction(session, reason):
        voids.mark_void(session, line, reason)
        seed_lots.recount(session, lot)


@requires(Right.CHANGE_CONSERVATION)
def correct_ledger_line(session: Session, line_id: int, *, reason: str,
                        seeds: int | None = None, grams: float | None = None,
                        on: dt.date | None = None, expected_version: int | None = None) \
        -> Corrected:
    """Replace a ledger line's amount (and date): a new line of the same kind, signed as the
    old one (a withdrawal stays a withdrawal), given as positive seeds or grams; the other
    unit follows from the lot's 1000-seed weight."""
    reason = voids.checked_reason(reason)
    line = _line(session, line_id, expected_version)
    if line.kind == "discarded":
        raise Refused("ledger_line_not_correctable", kind=line.kind)
    if (seeds is None and grams is None) or (seeds is not None and seeds < 0) or \
            (grams is not None and grams < 0):
        raise Refused("correction_amount_missing")
    lot = _lot(session, line.lot_id)
    sign = -1 if (line.seeds or 0) < 0 or (line.grams or 0) < 0 else 1
    if line.kind == "correction":  # a recount keeps the sign it was given
        sign = 1
    seeds, grams = seed_lots.convert_amount(lot, seeds, grams)
    with voids.correction(session, reason):
        voids.mark_void(session, line, reason)
        new = LotTransaction(lot_id=lot.id, kind=line.kind, occurred_on=on or line.occurred_on,
                             seeds=None if seeds is None else sign * seeds,
                             grams=None if grams is None else sign * grams,
                             reason=line.reason, corrects_id=line.id)
        session.add(new)
        seed_lots.recount(session, lot)
    return Corrected(line.id, new.id)


# Regenerations ---------------------------------------------------------------------------------
def _regeneration(session: Session, regeneration_id: int, expected_version: int | None) \
        -> Regeneration:
    event = session.get(Regeneration, regeneration_id)
    if event is None:
        raise NotFound(code="regeneration_not_found",
                       params={"regeneration_id": regeneration_id})
    voids.check_voidable(event, "regeneration", expected_version)
    return event


@requires(Right.CHANGE_CONSERVATION)
def void_regeneration(session: Session, regeneration_id: int, *, reason: str,
                      expected_version: int | None = None) -> None:
    """Void a regeneration (the seeds it took are a ledger line of their own, voided apart;
    a lot harvested from it stays a lot)."""
    reason = voids.checked_reason(reason)
    event = _regeneration(session, regeneration_id, expected_version)
    with voids.correction(session, reason):
        voids.mark_void(session, event, reason)
        session.flush()


@requires(Right.CHANGE_CONSERVATION)
def correct_regeneration(session: Session, regeneration_id: int, *, reason: str, site: str,
                         planned_on: dt.date | None, sown_on: dt.date | None = None,
                         plants: int | None = None, notes: str | None = None,
                         expected_version: int | None = None) -> Corrected:
    """Replace a regeneration's site, dates, plants or notes (its status, harvest and lots
    are kept as they are)."""
    reason = voids.checked_reason(reason)
    event = _regeneration(session, regeneration_id, expected_version)
    with voids.correction(session, reason):
        voids.mark_void(session, event, reason)
        new = Regeneration(accession_id=event.accession_id, source_lot_id=event.source_lot_id,
                           site=site.strip(), planned_on=planned_on, sown_on=sown_on,
                           harvested_on=event.harvested_on, failed_on=event.failed_on,
                           plants=plants, status=event.status,
                           harvested_lot_id=event.harvested_lot_id,
                           notes=event.notes if notes is None else notes.strip(),
                           corrects_id=event.id)
        session.add(new)
        session.flush()
    return Corrected(event.id, new.id)


# Safety duplicates -----------------------------------------------------------------------------
def _duplicate(session: Session, duplicate_id: int, expected_version: int | None) \
        -> SafetyDuplicate:
    duplicate = session.get(SafetyDuplicate, duplicate_id)
    if duplicate is None:
        raise NotFound(code="duplicate_not_found", params={"duplicate_id": duplicate_id})
    voids.check_voidable(duplicate, "safety duplicate", expected_version)
    return duplicate


def _void_duplicate(session: Session, duplicate: SafetyDuplicate, reason: str) -> None:
    lot = _lot(session, duplicate.lot_id)
    voids.mark_void(session, duplicate, reason)
    _void_line(session, duplicate.transaction_id, reason)
    seed_lots.recount(session, lot)


@dataclass(frozen=True, slots=True)
class VoidedDuplicate:
    """A safety duplicate voided. ``site_still_named``: the accession's DUPLSITE still
    names its institute, because the passport types that site (and no other live duplicate
    is there); a void never edits the passport, so the person is told, to edit it there if
    there is no duplicate at that site."""

    duplicate_id: int
    institute_code: str
    site_still_named: bool


@requires(Right.CHANGE_CONSERVATION)
def void_safety_duplicate(session: Session, duplicate_id: int, *, reason: str,
                          expected_version: int | None = None) -> VoidedDuplicate:
    """Void a safety duplicate: its seeds are back in the lot, and it no longer names its
    institute in the accession's DUPLSITE or counts in "without a safety duplicate"
    (unless the passport types that site: see :class:`VoidedDuplicate`)."""
    reason = voids.checked_reason(reason)
    duplicate = _duplicate(session, duplicate_id, expected_version)
    with voids.correction(session, reason):
        _void_duplicate(session, duplicate, reason)
    accession_id, code = duplicate.accession_id, duplicate.institute_code
    typed = session.scalar(select(AccessionInstitute.code).where(
        AccessionInstitute.accession_id == accession_id, AccessionInstitute.role == "DUPLSITE",
        AccessionInstitute.code == code).limit(1)) is not None
    sent = regenerations.duplicate_sites(session, [accession_id]).get(accession_id, [])
    return VoidedDuplicate(duplicate.id, code, typed and code not in sent)


@requires(Right.CHANGE_CONSERVATION)
def correct_safety_duplicate(session: Session, duplicate_id: int, *, reason: str,
                             institute_code: str, sent_on: dt.date, seeds: int,
                             box_reference: str = "", expected_version: int | None = None,
                             today: dt.date | None = None) -> Corrected:
    """Replace a safety duplicate sent with the wrong institute, day, seeds or box."""
    reason = voids.checked_reason(reason)
    duplicate = _duplicate(session, duplicate_id, expected_version)
    with voids.correction(session, reason):
        _void_duplicate(session, duplicate, reason)
        new_id = regenerations.send_safety_duplicate(
            session, lot_id=duplicate.lot_id, institute_code=institute_code, sent_on=sent_on,
            seeds=seeds, box_reference=box_reference, today=today)
        new = session.get(SafetyDuplicate, new_id)
        assert new is not None
        new.corrects_id = duplicate.id
        if duplicate.status == "confirmed":
            new.status, new.confirmed_on = "confirmed", duplicate.confirmed_on
        session.flush()
    return Corrected(duplicate.id, new_id)
