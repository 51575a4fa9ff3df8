"""Regeneration events and safety duplicates of seed lots.

A harvested regeneration creates the new lot, linked to its parent lot; a safety duplicate
takes its seeds from the lot through the ledger, and (once sent) names its institute in the
accession's DUPLSITE on MCPD export.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CompoundSelect, select, union
from sqlalchemy.orm import Session

from genebank import problems
from genebank.conservation import seed_lots
from genebank.mcpd import InvalidValue
from genebank.mcpd.code_values import parse_instcode
from genebank.models import AccessionInstitute, Regeneration, SafetyDuplicate, SeedLot
from genebank.models.base import live
from genebank.models.regeneration import DUPLICATE_STATUSES
from genebank.passport.accessions import ensure_institute
from genebank.services import voids
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused, check_past
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

problems.register({
    "failure_reason_missing": "say why the regeneration failed",
    "duplicate_institute_invalid": "institute code: {reason}",
    "duplicate_institute_missing": "give the FAO WIEWS code of the institute that keeps the "
                                   "duplicate",
    "not_a_duplicate_status": "'{status}' is not a status ({choices:keys})",
    "duplicate_not_found": "safety duplicate {duplicate_id} no longer exists",
    "regeneration_not_found": "regeneration {regeneration_id} no longer exists",
    "regeneration_harvested": "this regeneration was harvested on {day} (lot {lot}); "
                              "correct it to change that",
    "regeneration_failed": "this regeneration was recorded as failed on {day}; correct it to "
                           "change that",
})


@requires(Right.CHANGE_CONSERVATION)
def plan_regeneration(session: Session, *, source_lot_id: int, site: str,
                      planned_on: dt.date, seeds: int | None = None,
                      today: dt.date | None = None) -> int:
    """Plan a regeneration from a lot; the seeds to sow (if given) leave the lot now."""
    lot = seed_lots.get_lot(session, source_lot_id)
    seed_lots.check_in_collection(session, lot.accession_id, planned_on, lot=lot.lot_number)
    if seeds:
        seed_lots.withdraw(session, lot.id, kind="regeneration", on=min(planned_on, today
                           or dt.date.today()), seeds=seeds, reason=f"regeneration at {site}",
                           today=today)
    event = Regeneration(accession_id=lot.accession_id, source_lot_id=lot.id,
                         site=site.strip(), planned_on=planned_on, status="planned")
    session.add(event)
    session.flush()
    return event.id


@requires(Right.CHANGE_CONSERVATION)
def record_sowing(session: Session, regeneration_id: int, *, sown_on: dt.date,
                  plants: int | None = None, today: dt.date | None = None) -> None:
    """The regeneration is in the field from ``sown_on`` (a day that has come)."""
    check_past(sown_on, what="sowing", today=today)
    event = _open(session, regeneration_id)
    source = seed_lots.get_lot(session, event.source_lot_id) if event.source_lot_id else None
    seed_lots.check_in_collection(session, event.accession_id, sown_on,
                                  lot=source.lot_number if source else "")
    event.sown_on, event.plants, event.status = sown_on, plants, "in_field"
    session.flush()


@requires(Right.CHANGE_CONSERVATION)
def record_harvest(session: Session, regeneration_id: int, *, harvested_on: dt.date,
                   lot_number: str, storage_type: str, seeds: int | None = None,
                   grams: float | None = None, thousand_seed_weight_g: float | None = None,
                   today: dt.date | None = None) -> int:
    """Close a regeneration with its harvest; returns the new lot's id (see :func:`harvest`)."""
    return harvest(session, regeneration_id, harvested_on=harvested_on, lot_number=lot_number,
                   storage_type=storage_type, seeds=seeds, grams=grams,
                   thousand_seed_weight_g=thousand_seed_weight_g, today=today).lot_id


@requires(Right.CHANGE_CONSERVATION)
def harvest(session: Session, regeneration_id: int, *, harvested_on: dt.date,
            lot_number: str, storage_type: str, seeds: int | None = None,
            grams: float | None = None, thousand_seed_weight_g: float | None = None,
            today: dt.date | None = None) -> seed_lots.StoredLot:
    """Close a regeneration with its harvest, stored as a new lot linked to the parent (with
    the 1000-seed weight worked out from seeds and grams when none is given, as
    :func:`seed_lots.store_lot` does, and said in the result).

    The harvest comes after the sowing, on a later day: a plant is not sown and harvested
    on one day, and a same-day pair is a date typed twice."""
    check_past(harvested_on, what="harvest", today=today)
    event = _open(session, regeneration_id)
    if event.sown_on is None:
        raise Refused("harvest_not_sown")
    if harvested_on < event.sown_on:
        raise Refused("not_before", what="harvest", day=harvested_on,
                      earlier="sowing", since=event.sown_on)
    if harvested_on == event.sown_on:
        raise Refused("harvest_same_day", day=harvested_on)
    stored = seed_lots.store_lot(session, accession_id=event.accession_id,
                                 lot_number=lot_number, storage_type=storage_type,
                                 stored_on=harvested_on, seeds=seeds, grams=grams,
                                 thousand_seed_weight_g=thousand_seed_weight_g,
                                 parent_lot_id=event.source_lot_id, today=today)
    event.harvested_on, event.harvested_lot_id = harvested_on, stored.lot_id
    event.status = "harvested"
    session.flush()
    return stored


@requires(Right.CHANGE_CONSERVATION)
def record_failure(session: Session, regeneration_id: int, *, notes: str,
                   on: dt.date | None = None, today: dt.date | None = None) -> None:
    """Close a regeneration that gave no harvest on ``on`` (default today); the reason is
    kept for the curator."""
    if not notes.strip():
        raise Refused("failure_reason_missing")
    on = on or today or dt.date.today()
    check_past(on, what="failure", today=today)
    event = _open(session, regeneration_id)
    if event.sown_on is not None and on < event.sown_on:
        raise Refused("not_before", what="failure", day=on, earlier="sowing",
                      since=event.sown_on)
    event.status, event.notes, event.failed_on = "failed", notes.strip(), on
    session.flush()


@requires(Right.CHANGE_CONSERVATION)
def send_safety_duplicate(session: Session, *, lot_id: int, institute_code: str,
                          sent_on: dt.date, seeds: int, box_reference: str = "",
                          today: dt.date | None = None) -> int:
    """Send part of a lot to another institute (e.g. NOR051, Svalbard) as a safety duplicate."""
    try:
        code = parse_instcode(institute_code)
    except InvalidValue as problem:
        raise Refused("duplicate_institute_invalid", **problems.because(problem)) from None
    if not code:
        raise Refused("duplicate_institute_missing")
    lot = seed_lots.get_lot(session, lot_id)
    transaction_id = seed_lots.withdraw(session, lot.id, kind="safety_duplicate", on=sent_on,
                                        seeds=seeds, reason=f"safety duplicate to {code}",
                                        today=today)
    ensure_institute(session, code)
    duplicate = SafetyDuplicate(lot_id=lot.id, accession_id=lot.accession_id,
                                institute_code=code, sent_on=sent_on,
                                seeds=seeds, box_reference=box_reference.strip(),
                                status="sent", transaction_id=transaction_id)
    session.add(duplicate)
    session.flush()
    return duplicate.id


@requires(Right.CHANGE_CONSERVATION)
def set_duplicate_status(session: Session, duplicate_id: int, status: str, *,
                         on: dt.date | None = None, today: dt.date | None = None) -> None:
    """Change a duplicate's status; a confirmed receipt keeps its day ``on`` (default
    today), which has come and is not before the duplicate was sent."""
    if status not in DUPLICATE_STATUSES:
        raise Refused("not_a_duplicate_status", status=status,
                      choices=DUPLICATE_STATUSES)
    duplicate = session.get(SafetyDuplicate, duplicate_id, with_for_update=True,
                            populate_existing=True)  # held, as _get holds a regeneration
    if duplicate is None:
        raise NotFound(code="duplicate_not_found", params={"duplicate_id": duplicate_id})
    voids.check_live(duplicate, "safety duplicate")
    if status == "confirmed" and duplicate.status != "confirmed":
        on = on or today or dt.date.today()
        check_past(on, what="confirmation", today=today)
        if duplicate.sent_on is not None and on < duplicate.sent_on:
            raise Refused("not_before", what="confirmation", day=on,
                          earlier="sending", since=duplicate.sent_on)
        duplicate.confirmed_on = on
    duplicate.status = status
    session.flush()


def duplicated_accessions() -> CompoundSelect:
    """The ids of the accessions the MCPD export gives a safety-duplicate site (DUPLSITE):
    one typed in the passport, or an institute holding a live, sent or confirmed safety
    duplicate (:func:`duplicate_sites`). The statistics' "with a safety duplicate" and the
    "No safety duplicate" worklist count by it, so both say what FAO reporting is told."""
    return union(
        select(AccessionInstitute.accession_id).where(AccessionInstitute.role == "DUPLSITE"),
        select(SafetyDuplicate.accession_id).where(
            SafetyDuplicate.status.in_(("sent", "confirmed")), live(SafetyDuplicate)))


@everyone
def duplicate_sites(session: Session, accession_ids: list[int]) -> dict[int, list[str]]:
    """Institutes holding a sent or confirmed safety duplicate, by accession (for DUPLSITE)."""
    sites: dict[int, list[str]] = {}
    query = (select(SafetyDuplicate.accession_id, SafetyDuplicate.institute_code)
             .where(SafetyDuplicate.accession_id.in_(accession_ids),
                    SafetyDuplicate.status.in_(("sent", "confirmed")), live(SafetyDuplicate))
             .order_by(SafetyDuplicate.sent_on, SafetyDuplicate.id))
    for accession_id, code in session.execute(query):
        codes = sites.setdefault(accession_id, [])
        if code not in codes:
            codes.append(code)
    return sites


def _open(session: Session, regeneration_id: int) -> Regeneration:
    """The regeneration, held (:func:`_get`), refused once it is closed: a second harvest
    would store a second lot and take the first's place as the harvest, a sowing or a
    failure after the harvest would reopen it. Two people harvesting at once meet here too:
    the second waits for the first, then is told. A closed regeneration is changed by
    correcting it (a void and a new record)."""
    event = _get(session, regeneration_id)
    if event.status == "harvested":
        lot = session.get(SeedLot, event.harvested_lot_id) if event.harvested_lot_id else None
        raise Refused("regeneration_harvested", day=event.harvested_on,
                      lot=lot.lot_number if lot is not None else "")
    if event.status == "failed":
        raise Refused("regeneration_failed", day=event.failed_on)
    return event


def _get(session: Session, regeneration_id: int) -> Regeneration:
    """The regeneration read afresh and held to the end of the transaction before it is
    judged (PostgreSQL): a sowing, harvest or failure saved while a colleague voids or
    corrects it waits, then is refused "voided on ... by ..." (``record_void``) instead
    of writing over a version that is gone (the database's StaleDataError). Held before
    its lots, as a void or correction holds it."""
    event = session.get(Regeneration, regeneration_id, with_for_update=True,
                        populate_existing=True)
    if event is None:
        raise NotFound(code="regeneration_not_found", params={"regeneration_id": regeneration_id})
    voids.check_live(event, "regeneration")
    return event
