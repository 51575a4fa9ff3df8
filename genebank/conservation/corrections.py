"""Voids and corrections of conservation records: germination and moisture tests, ledger
lines (a discard is one), regenerations and safety duplicates.

A record entered by mistake is voided with a reason; one entered wrong is corrected: the
original is voided and a new record, naming it (``corrects_id``), is made from the new
values, through the same service that makes such a record, so every rule of a new record
holds (a corrected ledger line or regeneration is made here, under the same date rules as a
new one; a recount keeps the sign it is given). Both happen in one transaction, under the
history operation "correction" with the reason, and the lot's derived values (quantity,
status, viability, moisture, next test date, flags) are worked out again from the records
that are not void before it ends.

Voiding a test or a safety duplicate voids the ledger line of the seeds it took (they are
back in the lot); that line cannot be voided on its own. A lot's first line (``stored``)
can be corrected but not voided (a lot stored by mistake is discarded), and a move between
places is not voided (the lot is moved back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

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
from genebank.services.refusals import Refused, check_past
from genebank.users.actor import requires
from genebank.users.roles import Right

R = TypeVar("R")

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
    "ledger_line_stored_date": "the line that stored lot {lot} is dated the day the lot was "
                               "stored ({stored}): correct its amount, not its date",
    "regeneration_not_sown": "this regeneration is not sown yet: record its sowing (a "
                             "correction does not sow it)",
    "regeneration_sowing_missing": "this regeneration was sown: give the day it was sown",
})


@dataclass(frozen=True, slots=True)
class Corrected:
    """A correction: the record voided and the new one that replaces it."""

    voided_id: int
    new_id: int


def _lot(session: Session, lot_id: int) -> SeedLot:
    return seed_lots.lock_lot(session, lot_id)


def _held(session: Session, model: type[R], record_id: int) -> R | None:
    """The record read afresh and held to the end of the transaction, before it is judged
    voidable: on PostgreSQL a colleague voiding or correcting the same record at the same
    moment waits here, then reads it as they left it (void, or at a newer version: refused
    with a code naming them) instead of writing over a version that is gone. The record
    comes before its lot, as counting a test in progress takes them."""
    return session.get(model, record_id, with_for_update=True, populate_existing=True)


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
    test = _held(session, GerminationTest, test_id)
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
                             reason: str, replicates: list[Replicate] | None = None,
                             sown: list[int] | None = None, method: str = "",
                             pretreatment: str = "", tester: str = "", notes: str = "",
                             seeds_consumed: int | None = None,
                             counted_on: dt.date | None = None,
                             expected_version: int | None = None,
                             today: dt.date | None = None) -> Corrected:
    """Replace a germination test by one counted as given (``replicates``: the lab sheet
    read again), or by one still to count (``sown``: the seeds sown per replicate, for a
    test recorded as sown with the wrong day or seeds), made as :func:`start_germination`
    makes it; the new one waits in "tests to count" in the old one's place."""
    if sown is not None and replicates is not None:
        raise ValueError("a corrected test is counted (replicates) or still to count (sown)")
    reason = voids.checked_reason(reason)
    test = _germination(session, test_id, expected_version)
    with voids.correction(session, reason):
        _void_germination(session, test, reason)
        if sown is not None:
            new_id = seed_tests.start_germination(
                session, test.lot_id, tested_on=tested_on, sown=sown, method=method,
                pretreatment=pretreatment, tester=tester, notes=notes,
                seeds_consumed=seeds_consumed, today=today)
        else:
            new_id = seed_tests.record_germination(
                session, test.lot_id, tested_on=tested_on, replicates=replicates or [],
                method=method, pretreatment=pretreatment, tester=tester, notes=notes,
                seeds_consumed=seeds_consumed, counted_on=counted_on, today=today)
        new = session.get(GerminationTest, new_id)
        assert new is not None
        new.corrects_id = test.id
        session.flush()
    return Corrected(test.id, new_id)


# Moisture tests --------------------------------------------------------------------------------
def _moisture(session: Session, test_id: int, expected_version: int | None) -> MoistureTest:
    test = _held(session, MoistureTest, test_id)
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
    line = _held(session, LotTransaction, line_id)
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
                        on: dt.date | None = None, expected_version: int | None = None,
                        today: dt.date | None = None) -> Corrected:
    """Replace a ledger line's amount (and date): a new line of the same kind. A withdrawal
    (or the line that stored the lot) is given as positive seeds or grams and keeps its
    sign (a withdrawal stays a withdrawal); a recount (``correction``) is signed as given,
    as a new recount is (fewer seeds found: negative). The other unit follows from the lot's
    1000-seed weight when only one is given. The rules of a new line hold: dated from the
    day the lot was stored to today, in a lot not discarded; the line that stored the lot
    keeps the lot's storage day."""
    reason = voids.checked_reason(reason)
    line = _line(session, line_id, expected_version)
    if line.kind == "discarded":
        raise Refused("ledger_line_not_correctable", kind=line.kind)
    recount = line.kind == "correction"
    if (seeds is None and grams is None) or (not recount and (
            (seeds is not None and seeds < 0) or (grams is not None and grams < 0))):
        raise Refused("correction_amount_missing")
    on = on or line.occurred_on
    lot = seed_lots.open_lot(session, line.lot_id, on, today)
    if line.kind in seed_lots.WITHDRAWALS:  # as a new one: none after the withdrawal day
        seed_lots.check_in_collection(session, lot.accession_id, on, lot=lot.lot_number)
    if line.kind == "stored" and on != lot.stored_on:
        raise Refused("ledger_line_stored_date", lot=lot.lot_number, stored=lot.stored_on)
    sign = 1 if recount else -1 if (line.seeds or 0) < 0 or (line.grams or 0) < 0 else 1
    seeds, grams = seed_lots.convert_amount(lot, seeds, grams)
    with voids.correction(session, reason):
        voids.mark_void(session, line, reason)
        new = LotTransaction(lot_id=lot.id, kind=line.kind, occurred_on=on,
                             seeds=None if seeds is None else sign * seeds,
                             grams=None if grams is None else sign * grams,
                             reason=line.reason, corrects_id=line.id)
        session.add(new)
        seed_lots.recount(session, lot)
    return Corrected(line.id, new.id)


# Regenerations ---------------------------------------------------------------------------------
def _regeneration(session: Session, regeneration_id: int, expected_version: int | None) \
        -> Regeneration:
    event = _held(session, Regeneration, regeneration_id)
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


def _check_sowing(event: Regeneration, sown_on: dt.date | None, today: dt.date | None) \
        -> None:
    """A corrected sowing day keeps the rules of one recorded: a day that has come, before
    the harvest (on a later day) and not after the failure; a regeneration not sown is not
    sown by a correction (its status is kept), and one sown keeps a sowing day."""
    if event.sown_on is None:
        if sown_on is not None:
            raise Refused("regeneration_not_sown")
        return
    if sown_on is None:
        raise Refused("regeneration_sowing_missing")
    check_past(sown_on, what="sowing", today=today)
    if event.harvested_on is not None and event.harvested_on < sown_on:
        raise Refused("not_before", what="harvest", day=event.harvested_on,
                      earlier="sowing", since=sown_on)
    if event.harvested_on is not None and event.harvested_on == sown_on:
        raise Refused("harvest_same_day", day=sown_on)
    if event.failed_on is not None and event.failed_on < sown_on:
        raise Refused("not_before", what="failure", day=event.failed_on, earlier="sowing",
                      since=sown_on)


@requires(Right.CHANGE_CONSERVATION)
def correct_regeneration(session: Session, regeneration_id: int, *, reason: str, site: str,
                         planned_on: dt.date | None, sown_on: dt.date | None = None,
                         plants: int | None = None, notes: str | None = None,
                         expected_version: int | None = None,
                         today: dt.date | None = None) -> Corrected:
    """Replace a regeneration's site, dates, plants or notes (its status, harvest and lots
    are kept as they are; a sowing day keeps the rules of one recorded)."""
    reason = voids.checked_reason(reason)
    event = _regeneration(session, regeneration_id, expected_version)
    _check_sowing(event, sown_on, today)
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
    duplicate = _held(session, SafetyDuplicate, duplicate_id)
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
