"""Seed lots and their ledger: every change of quantity is a transaction, never an edit.

Amounts are given as seeds and/or grams; with the lot's 1000-seed weight one converts to
the other. A lot counts the units it was stored in, and no transaction may take it below
zero. After every change the lot's kept columns (quantity on hand, next test due) and its
flags are brought up to date in the same transaction (``refresh``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genebank import problems
from genebank.conservation import conservation_rules as rules
from genebank.conservation import crop_rules
from genebank.conservation.storage_locations import check_storage_type, held_place
from genebank.models import Accession, LotFlag, LotTransaction, SeedLot
from genebank.models.base import live
from genebank.services import text_match
from genebank.services.errors import NotFound
from genebank.services.refusals import MESSAGES, Refused
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "lot_number_missing": "a seed lot needs a lot number",
    "accession_not_found": "accession {accession_id} no longer exists",
    "lot_accession_removed": "the accession of this lot no longer exists: someone removed it "
                             "(a deletion, or the undo of the import that made it) a moment "
                             "ago; nothing was saved",
    "lot_number_exists": "lot number {lot} exists already; lot numbers are unique (they are "
                         "scanned)",
    "storage_date_in_future": "the storage date {day} is in the future",
    "tsw_not_positive": "the 1000-seed weight must be more than 0 g",
    "stored_quantity_missing": "give the quantity stored, as seeds or grams",
    "lot_not_found": "seed lot {lot_id} no longer exists",
    "not_a_withdrawal": "'{kind}' is not a withdrawal ({choices:keys})",
    "withdrawal_amount_missing": "give the amount taken as a positive number of seeds or grams",
    "correction_reason_missing": "say why the quantity is corrected (for example 'recount')",
    "lot_discarded": "lot {lot} was discarded; nothing can change it now",
    "transaction_date_in_future": "the date {day} is in the future",
    "transaction_before_stored": "the date {day} is before lot {lot} was stored ({stored})",
    "lot_counted_in_seeds": "lot {lot} is counted in seeds: give the number of seeds, or set "
                            "its 1000-seed weight",
    "lot_counted_in_grams": "lot {lot} is counted in grams: give the weight, or set its "
                            "1000-seed weight",
    "lot_short_of_seeds": "lot {lot} holds {have:,} seeds; {asked:,} seeds cannot be taken "
                          "from it. Nothing was saved",
    "lot_short_of_grams": "lot {lot} holds {have:g} g; {asked:g} g cannot be taken from it. "
                          "Nothing was saved",
    "void_leaves_lot_short": "without this line lot {lot} would hold {amount} {unit} less "
                             "than nothing: a later withdrawal took those seeds. Void or "
                             "correct that one first. Nothing was saved",
    "lot_accession_withdrawn": "{accession} was withdrawn on {on} ({reason:word}): nothing "
                               "dated after that ({day}) can be taken from or recorded on "
                               "its lot {lot}, but a recount, a move or a discard; reinstate "
                               "the accession first if it is back in the collection",
})

WITHDRAWALS = ("test", "distributed", "regeneration", "safety_duplicate", "discarded")
# The 1000-seed weight field keeps grams with 2 decimals, up to 5,000 g (the forms' range).
WEIGHT_DECIMALS = 2
WEIGHT_MAX_G = 5000.0


@dataclass(frozen=True)
class WorkedOutWeight:
    """A 1000-seed weight the service worked out from the seeds and grams stored together,
    so that the user can be told (a value the user did not type is never stored silently)."""

    weight_g: float
    seeds: int
    grams: float

    @property
    def message(self) -> str:
        """The English note (code ``tsw_worked_out`` in :data:`refusals.MESSAGES`)."""
        return MESSAGES["tsw_worked_out"].format(weight=f"{self.weight_g:.2f}",
                                                 seeds=f"{self.seeds:,}",
                                                 grams=f"{self.grams:g}")


@dataclass(frozen=True)
class StoredLot:
    """A new lot; ``worked_out`` when its 1000-seed weight came from its seeds and grams."""

    lot_id: int
    worked_out: WorkedOutWeight | None = None


@dataclass(frozen=True)
class WeightSet:
    """A lot's 1000-seed weight set or corrected: what it was, what it is now."""

    lot_id: int
    before_g: float | None
    after_g: float


@requires(Right.CHANGE_CONSERVATION)
def create_lot(session: Session, *, accession_id: int, lot_number: str, storage_type: str,
               stored_on: dt.date, seeds: int | None = None, grams: float | None = None,
               thousand_seed_weight_g: float | None = None, location_id: int | None = None,
               container: str = "", parent_lot_id: int | None = None,
               minimum_seeds: int | None = None, today: dt.date | None = None) -> int:
    """Add a lot with its first transaction ('stored'); returns the lot's id (see
    :func:`store_lot` for the 1000-seed weight it may work out)."""
    return store_lot(session, accession_id=accession_id, lot_number=lot_number,
                     storage_type=storage_type, stored_on=stored_on, seeds=seeds, grams=grams,
                     thousand_seed_weight_g=thousand_seed_weight_g, location_id=location_id,
                     container=container, parent_lot_id=parent_lot_id,
                     minimum_seeds=minimum_seeds, today=today).lot_id


@requires(Right.CHANGE_CONSERVATION)
def store_lot(session: Session, *, accession_id: int, lot_number: str, storage_type: str,
              stored_on: dt.date, seeds: int | None = None, grams: float | None = None,
              thousand_seed_weight_g: float | None = None, location_id: int | None = None,
              container: str = "", parent_lot_id: int | None = None,
              minimum_seeds: int | None = None, today: dt.date | None = None) -> StoredLot:
    """Add a lot with its first transaction ('stored').

    A lot stored as seeds *and* grams with no 1000-seed weight gets one worked out
    (grams / seeds x 1000, to the field's 2 decimals): without it, a later seeds-only test
    or a grams-only distribution could not be taken from a lot counted in both units. The
    result carries it, so that the caller tells the user."""
    today = today or dt.date.today()
    lot_number = lot_number.strip()
    if not lot_number:
        raise Refused("lot_number_missing")
    if session.get(Accession, accession_id) is None:
        raise NotFound(code="accession_not_found", params={"accession_id": accession_id})
    if location_id is not None:
        held_place(session, location_id)
    check_in_collection(session, accession_id, stored_on, lot=lot_number)
    if find_lot_id(session, lot_number) is not None:
        raise Refused("lot_number_exists", lot=lot_number)
    check_storage_type(storage_type)
    if stored_on > today:
        raise Refused("storage_date_in_future", day=stored_on)
    if thousand_seed_weight_g is not None and thousand_seed_weight_g <= 0:
        raise Refused("tsw_not_positive")
    if not seeds and not grams:
        raise Refused("stored_quantity_missing")
    worked_out = None
    if thousand_seed_weight_g is None and seeds and grams:
        worked_out = _work_out_weight(seeds, grams)
        thousand_seed_weight_g = worked_out.weight_g
    lot = SeedLot(accession_id=accession_id, lot_number=lot_number, storage_type=storage_type,
                  stored_on=stored_on, thousand_seed_weight_g=thousand_seed_weight_g,
                  location_id=location_id, container=container.strip(),
                  parent_lot_id=parent_lot_id, minimum_seeds=minimum_seeds, status="active")
    session.add(lot)
    try:
        session.flush()
    except IntegrityError as error:
        # Removed since it was read above (PostgreSQL: an undo of the import that made it,
        # which held it until it ended; an undo that comes second finds this lot and keeps
        # the accession): said as a removal, not as the database's foreign-key error.
        if "fk_seed_lot_accession_id_accession" not in str(error.orig):
            raise
        raise NotFound(code="lot_accession_removed",
                       params={"accession_id": accession_id}) from None
    seeds, grams = _convert(lot, seeds, grams)
    lot.seeds_on_hand, lot.grams_on_hand = (0 if seeds is not None else None,
                                            0.0 if grams is not None else None)
    _add(session, lot, "stored", stored_on, seeds, grams, "stored")
    return StoredLot(lot.id, worked_out)


@requires(Right.CHANGE_CONSERVATION)
def set_thousand_seed_weight(session: Session, lot_id: int, *, weight_g: float | None) \
        -> WeightSet:
    """Set or correct an active lot's 1000-seed weight (weighed again, or never given).

    From then on seeds-only and grams-only amounts convert with it, as for a lot stored with
    one. The lot's audit columns record who set it and when; the ledger does not change."""
    lot = lock_lot(session, lot_id)
    if lot.status != "active":
        raise Refused("tsw_lot_not_active", lot=lot.lot_number, status=lot.status)
    if weight_g is None:
        raise Refused("tsw_missing")
    if not 0 < weight_g <= WEIGHT_MAX_G:
        raise Refused("tsw_out_of_range", weight=weight_g, maximum=WEIGHT_MAX_G)
    if abs(round(weight_g, WEIGHT_DECIMALS) - weight_g) > 1e-9:
        raise Refused("tsw_decimals", weight=weight_g, decimals=WEIGHT_DECIMALS)
    before = lot.thousand_seed_weight_g
    lot.thousand_seed_weight_g = round(weight_g, WEIGHT_DECIMALS)
    session.flush()
    return WeightSet(lot.id, before, lot.thousand_seed_weight_g)


def _work_out_weight(seeds: int, grams: float) -> WorkedOutWeight:
    """The 1000-seed weight of ``seeds`` weighing ``grams``; refused when the field cannot
    keep it (under 0.01 g or over 5,000 g: a count or a weight typed wrong)."""
    weight = round(grams / seeds * 1000, WEIGHT_DECIMALS)
    if not 0 < weight <= WEIGHT_MAX_G:
        raise Refused("tsw_not_workable", seeds=seeds, grams=grams,
                      weight=grams / seeds * 1000, maximum=WEIGHT_MAX_G)
    return WorkedOutWeight(weight, seeds, grams)


@everyone
def find_lot_id(session: Session, lot_number: str) -> int | None:
    """The lot with this number (as a scanner types it; case does not matter)."""
    return session.scalar(select(SeedLot.id).where(
        text_match.equals(session, SeedLot.lot_number, lot_number.strip())))


@internal
def get_lot(session: Session, lot_id: int) -> SeedLot:
    lot = session.get(SeedLot, lot_id)
    if lot is None:
        raise NotFound(code="lot_not_found", params={"lot_id": lot_id})
    return lot


@internal
def lock_lot(session: Session, lot_id: int) -> SeedLot:
    """The lot, read afresh and held for this transaction before its balance is read: on
    PostgreSQL a second workstation taking seeds from the same lot waits here until the
    first has committed, then sees its balance (without the lock both would subtract from
    the same old balance, and the second save would fail on the lot's version). On SQLite
    the write transaction already holds the whole database."""
    lot = session.get(SeedLot, lot_id, with_for_update=True, populate_existing=True)
    if lot is None:
        raise NotFound(code="lot_not_found", params={"lot_id": lot_id})
    return lot


@internal
def open_lot(session: Session, lot_id: int, on: dt.date, today: dt.date | None) -> SeedLot:
    """The lot, locked, that a line dated ``on`` may be added to: not discarded, ``on`` not
    after today nor before the lot was stored (the rules of every new line, which a
    corrected line keeps too)."""
    return _open_lot(session, lot_id, on, today)


@requires(Right.CHANGE_CONSERVATION)
def withdraw(session: Session, lot_id: int, *, kind: str, on: dt.date,
             seeds: int | None = None, grams: float | None = None, reason: str = "",
             today: dt.date | None = None) -> int:
    """Take seeds out (for a test, a distribution, a regeneration...); returns its id."""
    if kind not in WITHDRAWALS:
        raise Refused("not_a_withdrawal", kind=kind, choices=WITHDRAWALS)
    if (seeds is not None and seeds <= 0) or (grams is not None and grams <= 0) \
            or (seeds is None and grams is None):
        raise Refused("withdrawal_amount_missing")
    lot = _open_lot(session, lot_id, on, today)
    if kind != "discarded":  # seeds thrown away: the material's end, even when withdrawn
        check_in_collection(session, lot.accession_id, on, lot=lot.lot_number)
    seeds, grams = _convert(lot, seeds, grams)
    return _add(session, lot, kind, on, _neg(seeds), _neg(grams), reason)


@requires(Right.CHANGE_CONSERVATION)
def correct(session: Session, lot_id: int, *, on: dt.date, seeds: int | None = None,
            grams: float | None = None, reason: str, today: dt.date | None = None) -> int:
    """A signed correction (a recount), kept as its own transaction with its reason."""
    if not reason.strip():
        raise Refused("correction_reason_missing")
    lot = _open_lot(session, lot_id, on, today)
    seeds, grams = _convert(lot, seeds, grams)
    return _add(session, lot, "correction", on, seeds, grams, reason)


@requires(Right.CHANGE_CONSERVATION)
def move(session: Session, lot_id: int, *, to_location_id: int, on: dt.date,
         reason: str = "", today: dt.date | None = None) -> int:
    """Record a move between locations (the quantity does not change)."""
    lot = _open_lot(session, lot_id, on, today)
    held_place(session, to_location_id)
    transaction = LotTransaction(lot_id=lot.id, kind="transfer", occurred_on=on, seeds=0,
                                 grams=0.0, reason=reason.strip(),
                                 from_location_id=lot.location_id,
                                 to_location_id=to_location_id)
    lot.location_id = to_location_id
    session.add(transaction)
    session.flush()
    return transaction.id


@requires(Right.CHANGE_CONSERVATION)
def discard(session: Session, lot_id: int, *, on: dt.date, reason: str,
            today: dt.date | None = None) -> int:
    """Discard what is left of a lot; it stays in the records as 'discarded'."""
    lot = _open_lot(session, lot_id, on, today)
    seeds = -lot.seeds_on_hand if lot.seeds_on_hand is not None else None
    grams = -lot.grams_on_hand if lot.grams_on_hand is not None else None
    lot.status = "discarded"  # before the transaction, whose refresh then clears the flags
    return _add(session, lot, "discarded", on, seeds, grams, reason)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One move of a lot's ledger, as plain values (amounts signed: stored +, withdrawn -)."""
    id: int
    kind: str
    occurred_on: dt.date
    seeds: int | None
    grams: float | None
    reason: str
    from_location_id: int | None
    to_location_id: int | None
    created_by: str
    voided: bool = False
    void_reason: str = ""
    version: int = 1


@everyone
def ledger(session: Session, lot_id: int, *, with_void: bool = False) -> list[LedgerEntry]:
    """The lot's moves, oldest first (the voided ones too, marked, ``with_void``)."""
    t = LotTransaction
    query = (select(t.id, t.kind, t.occurred_on, t.seeds, t.grams, t.reason,
                    t.from_location_id, t.to_location_id, t.created_by,
                    t.voided_at.is_not(None), t.void_reason, t.version)
             .where(t.lot_id == lot_id).order_by(t.occurred_on, t.id))
    if not with_void:
        query = query.where(live(t))
    return [LedgerEntry(*row) for row in session.execute(query)]


@everyone
def ledger_balance(session: Session, lot_id: int) -> tuple[int | None, float | None]:
    """Seeds and grams as the sum of the ledger's lines that are not void (the truth the
    kept columns follow)."""
    seeds, grams = session.execute(select(func.sum(LotTransaction.seeds),
                                          func.sum(LotTransaction.grams))
                                   .where(LotTransaction.lot_id == lot_id,
                                          live(LotTransaction))).one()
    return seeds, grams


@internal
def recount(session: Session, lot: SeedLot) -> None:
    """After a ledger line was voided (or replaced): the lot's quantity and status again
    from its lines that are not void, then its next test and flags. Refused when what is
    left would be below zero (a withdrawal later than the voided line needs its seeds)."""
    session.flush()
    seeds, grams = ledger_balance(session, lot.id)
    new_seeds = (seeds or 0) if lot.seeds_on_hand is not None else None
    new_grams = round(grams or 0.0, 3) if lot.grams_on_hand is not None else None
    if new_seeds is not None and new_seeds < 0:
        raise Refused("void_leaves_lot_short", lot=lot.lot_number, amount=f"{-new_seeds:,}",
                      unit="seeds")
    if new_grams is not None and new_grams < 0:
        raise Refused("void_leaves_lot_short", lot=lot.lot_number, amount=f"{-new_grams:g}",
                      unit="g")
    lot.seeds_on_hand, lot.grams_on_hand = new_seeds, new_grams
    discarded = session.scalar(select(LotTransaction.id).where(
        LotTransaction.lot_id == lot.id, LotTransaction.kind == "discarded",
        live(LotTransaction)).limit(1))
    lot.status = "discarded" if discarded is not None else \
        "depleted" if new_seeds == 0 or new_grams == 0 else "active"
    session.flush()
    refresh(session, lot)


def facts(lot: SeedLot) -> rules.LotFacts:
    return rules.LotFacts(
        storage_type=lot.storage_type, stored_on=lot.stored_on, status=lot.status,
        seeds_on_hand=lot.seeds_on_hand, minimum_seeds=lot.minimum_seeds,
        initial_viability_pct=lot.initial_viability_pct,
        last_viability_pct=lot.last_viability_pct, last_tested_on=lot.last_tested_on,
        last_moisture_pct=lot.last_moisture_pct, last_erh_pct=lot.last_erh_pct)


@internal
def refresh(session: Session, lot: SeedLot, policy: rules.Policy | None = None) -> None:
    """Bring the lot's next test date and its flags in line with its facts and the rules."""
    policy = policy or crop_rules.policy_for(session, lot)
    lot_facts = facts(lot)
    lot.next_test_due = rules.next_test_due(lot_facts, policy)
    session.execute(delete(LotFlag).where(LotFlag.lot_id == lot.id))
    for flag in rules.stored_flags(lot_facts, policy):
        session.add(LotFlag(lot_id=lot.id, rule=flag.rule, message=flag.message))
    session.flush()


@internal
def check_in_collection(session: Session, accession_id: int, day: dt.date, *,
                        lot: str) -> None:
    """Refuse to take from or record on lot ``lot`` of a withdrawn accession anything dated
    after its withdrawal (a distribution, seeds for a test, a regeneration or a safety
    duplicate, a test, a regeneration, a new lot): the gene bank says it no longer holds
    that material, and nothing done with it would reach a worklist or an export. A late
    entry dated on or before the withdrawal day is what happened while it was held, and is
    taken. Recounts, moves and discards are not checked: the bookkeeping of what is still
    in the store goes on until it is gone."""
    accession = session.get(Accession, accession_id)
    if accession is None or accession.withdrawn_on is None or day <= accession.withdrawn_on:
        return
    raise Refused("lot_accession_withdrawn", accession=f"{accession.instcode}:"
                  f"{accession.accenumb}", on=accession.withdrawn_on,
                  reason=accession.withdrawal_reason, day=day, lot=lot)


def _open_lot(session: Session, lot_id: int, on: dt.date, today: dt.date | None) -> SeedLot:
    lot = lock_lot(session, lot_id)
    today = today or dt.date.today()
    if lot.status == "discarded":
        raise Refused("lot_discarded", lot=lot.lot_number)
    if on > today:
        raise Refused("transaction_date_in_future", day=on)
    if on < lot.stored_on:
        raise Refused("transaction_before_stored", day=on, lot=lot.lot_number,
                      stored=lot.stored_on)
    return lot


def _convert(lot: SeedLot, seeds: int | None, grams: float | None) \
        -> tuple[int | None, float | None]:
    """Fill the missing unit from the 1000-seed weight; refuse a unit the lot cannot count."""
    weight = lot.thousand_seed_weight_g
    if weight:
        if seeds is None and grams is not None:
            seeds = round(grams * 1000 / weight)
        elif grams is None and seeds is not None:
            grams = round(seeds * weight / 1000, 3)
    counted = lot.seeds_on_hand is not None or lot.grams_on_hand is not None
    if counted and lot.seeds_on_hand is not None and seeds is None:
        raise Refused("lot_counted_in_seeds", lot=lot.lot_number)
    if counted and lot.grams_on_hand is not None and grams is None:
        raise Refused("lot_counted_in_grams", lot=lot.lot_number)
    return seeds, grams


def convert_amount(lot: SeedLot, seeds: int | None, grams: float | None) \
        -> tuple[int | None, float | None]:
    """An amount in the units the lot counts (the other unit from its 1000-seed weight)."""
    return _convert(lot, seeds, grams)


def _neg(amount: float | None) -> float | None:
    return -amount if amount is not None else None  # type: ignore[return-value]


def _add(session: Session, lot: SeedLot, kind: str, on: dt.date, seeds: int | None,
         grams: float | None, reason: str) -> int:
    new_seeds = lot.seeds_on_hand + seeds if lot.seeds_on_hand is not None and seeds \
        is not None else lot.seeds_on_hand
    new_grams = round(lot.grams_on_hand + grams, 3) if lot.grams_on_hand is not None \
        and grams is not None else lot.grams_on_hand
    if new_seeds is not None and new_seeds < 0:
        raise Refused("lot_short_of_seeds", lot=lot.lot_number, have=lot.seeds_on_hand,
                      asked=-seeds)  # type: ignore[operator]
    if new_grams is not None and new_grams < 0:
        raise Refused("lot_short_of_grams", lot=lot.lot_number, have=lot.grams_on_hand,
                      asked=-grams)  # type: ignore[operator]
    transaction = LotTransaction(lot_id=lot.id, kind=kind, occurred_on=on, seeds=seeds,
                                 grams=grams, reason=reason.strip())
    session.add(transaction)
    lot.seeds_on_hand, lot.grams_on_hand = new_seeds, new_grams
    if lot.status == "active" and (new_seeds == 0 or new_grams == 0):
        lot.status = "depleted"
    elif lot.status == "depleted" and (new_seeds or new_grams):
        lot.status = "active"
    session.flush()
    refresh(session, lot)
    return transaction.id
