"""What an accession's conservation tab shows: its lots with their state and flags, and,
for the lot the user picks, the ledger, the tests and the safety duplicates.

Plain dataclasses, read in a handful of indexed queries, so the tab opens at once over a
million accessions and the GUI never holds ORM objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from genebank.conservation import conservation_rules as rules
from genebank.conservation import crop_rules, seed_lots
from genebank.models import (
    GerminationTest,
    LotFlag,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
    StorageLocation,
)
from genebank.models.base import live
from genebank.users.actor import everyone


@dataclass(frozen=True, slots=True)
class LotSummary:
    id: int
    lot_number: str
    storage_type: str
    location: str
    stored_on: dt.date
    status: str
    seeds_on_hand: int | None
    grams_on_hand: float | None
    thousand_seed_weight_g: float | None
    initial_viability_pct: float | None
    last_viability_pct: float | None
    last_tested_on: dt.date | None
    next_test_due: dt.date | None
    last_moisture_pct: float | None
    flags: tuple[str, ...]  # each says its rule's numbers


@dataclass(frozen=True, slots=True)
class LedgerLine:
    occurred_on: dt.date
    kind: str
    seeds: int | None
    grams: float | None
    reason: str
    by: str
    id: int = 0
    voided: bool = False  # kept in the ledger, struck through; it counts for nothing
    void_reason: str = ""
    version: int = 1
    corrects: bool = False  # the line that replaced a voided one


@dataclass(frozen=True, slots=True)
class TestLine:
    tested_on: dt.date
    kind: str  # "germination" or "moisture"
    result: str  # "92 %" or "5.8 % moisture"
    method: str
    detail: str  # replicates or ERH
    tester: str
    test_id: int | None = None  # a germination test's id
    status: str = "complete"  # a germination test's: in_progress, complete or short
    sown: tuple[int, ...] = ()  # a germination test's seeds sown, replicate by replicate
    # and its counts as recorded (normal, abnormal, dead, fresh ungerminated, hard; None:
    # not counted), for a re-count to start from
    counts: tuple[tuple[int | None, ...], ...] = ()
    # the numbers ``result`` and ``detail`` say, for a screen to show in the user's format
    percent: float | None = None  # germination or moisture %
    erh_pct: float | None = None  # a moisture test's equilibrium relative humidity
    pretreatment: str = ""
    moisture_id: int | None = None  # a moisture test's id
    voided: bool = False  # shown struck through; counts for no viability or moisture
    void_reason: str = ""
    version: int = 1
    notes: str = ""
    seeds_consumed: int | None = None
    counted_on: dt.date | None = None

    @property
    def to_count(self) -> bool:
        """A germination test still to count, or whose old counts fall short of the sown."""
        return not self.voided and self.status in ("in_progress", "short")


@dataclass(frozen=True, slots=True)
class RegenerationLine:
    id: int
    source_lot: str
    site: str
    planned_on: dt.date | None
    sown_on: dt.date | None
    harvested_on: dt.date | None
    status: str
    harvested_lot: str
    notes: str
    failed_on: dt.date | None = None
    voided: bool = False
    void_reason: str = ""
    version: int = 1

    @property
    def is_open(self) -> bool:
        return not self.voided and self.status in ("planned", "in_field")

    def label(self) -> str:
        return (f"{self.site or '?'} from lot {self.source_lot}, planned "
                f"{self.planned_on or '?'} ({self.status.replace('_', ' ')})")


@dataclass(frozen=True, slots=True)
class LotHistory:
    ledger: list[LedgerLine]
    tests: list[TestLine]
    duplicates: list[tuple[int, str]]  # id, "NOR051: 500 seeds, sent 2026-01-10, box B-7"
    # the voided ones, kept to be seen: id, the same text, the reason
    voided_duplicates: list[tuple[int, str, str]] = field(default_factory=list)


@everyone
def accession_lots(session: Session, accession_id: int, *, today: dt.date) -> list[LotSummary]:
    """The accession's lots, active first, each with its flags (a test due today and the
    germination tests waiting to be counted included)."""
    lots = list(session.scalars(select(SeedLot).where(SeedLot.accession_id == accession_id)
                                .order_by(SeedLot.status, SeedLot.stored_on, SeedLot.id)))
    if not lots:
        return []
    policy = crop_rules.policy_for(session, lots[0])  # one accession, one crop
    flags: dict[int, list[str]] = {}
    for lot_id, message in session.execute(
            select(LotFlag.lot_id, LotFlag.message)
            .where(LotFlag.lot_id.in_([lot.id for lot in lots])).order_by(LotFlag.id)):
        flags.setdefault(lot_id, []).append(message)
    waiting: dict[int, list[str]] = {}
    for lot_id, tested_on, status, seeds, percent in session.execute(
            select(GerminationTest.lot_id, GerminationTest.tested_on, GerminationTest.status,
                   GerminationTest.seeds_consumed, GerminationTest.germination_pct)
            .where(GerminationTest.lot_id.in_([lot.id for lot in lots]),
                   GerminationTest.status.in_(TO_COUNT_STATUSES), live(GerminationTest))
            .order_by(GerminationTest.tested_on, GerminationTest.id)):
        waiting.setdefault(lot_id, []).append(to_count_flag(tested_on, status, seeds, percent))
    paths = location_paths(session)
    summaries = []
    for lot in lots:
        due = rules.due_flag(seed_lots.facts(lot), policy, today)
        summaries.append(LotSummary(
            lot.id, lot.lot_number, lot.storage_type, paths.get(lot.location_id, ""),
            lot.stored_on, lot.status, lot.seeds_on_hand, lot.grams_on_hand,
            lot.thousand_seed_weight_g, lot.initial_viability_pct, lot.last_viability_pct,
            lot.last_tested_on, lot.next_test_due, lot.last_moisture_pct,
            tuple(([due.message] if due else []) + waiting.get(lot.id, [])
                  + flags.get(lot.id, []))))
    return summaries


TO_COUNT_STATUSES = ("in_progress", "short")  # tests the lab still has to count


def to_count_flag(tested_on: dt.date, status: str, seeds: int | None,
                  percent: float | None) -> str:
    """A lot's flag for a germination test waiting to be counted (worded as the "tests to
    count" and "counts short" worklists word it), so the lot's panel never says "nothing
    needs doing" while the lab has seedlings to count."""
    if status == "short":
        return (f"germination test of {tested_on:%Y-%m-%d} ({percent or 0:g} %): counts short "
                "of the seeds sown; count it again")
    return (f"germination test sown {tested_on:%Y-%m-%d} ({seeds or 0:,} seeds): not yet "
            "counted")


@everyone
def lot_history(session: Session, lot_id: int) -> LotHistory:
    """The lot's ledger, tests (newest first) and safety duplicates; voided lines and tests
    are there too, marked (they count for nothing), voided duplicates apart."""
    ledger = [LedgerLine(t.occurred_on, t.kind, t.seeds, t.grams, t.reason, t.created_by,
                         t.id, t.voided_at is not None, t.void_reason, t.version,
                         t.corrects_id is not None)
              for t in session.scalars(select(LotTransaction)
                                       .where(LotTransaction.lot_id == lot_id)
                                       .order_by(LotTransaction.occurred_on,
                                                 LotTransaction.id))]
    tests = [TestLine(t.tested_on, "germination", _germination_result(t), t.method,
                      _replicates(t) + (f" ({t.pretreatment})" if t.pretreatment else ""),
                      t.tester, t.id, t.status, tuple(r.sown for r in t.replicates),
                      tuple((r.normal, r.abnormal, r.dead, r.ungerminated, r.hard)
                            for r in t.replicates),
                      None if t.status == "in_progress" else t.germination_pct,
                      pretreatment=t.pretreatment or "", voided=t.voided_at is not None,
                      void_reason=t.void_reason, version=t.version, notes=t.notes or "",
                      seeds_consumed=t.seeds_consumed, counted_on=t.counted_on)
             for t in session.scalars(select(GerminationTest)
                                      .where(GerminationTest.lot_id == lot_id)
                                      .options(selectinload(GerminationTest.replicates)))]
    tests += [TestLine(t.tested_on, "moisture",
                       f"{t.moisture_pct:g} %" if t.moisture_pct is not None else "",
                       t.method, f"ERH {t.erh_pct:g} %" if t.erh_pct is not None else "",
                       t.tester, percent=t.moisture_pct, erh_pct=t.erh_pct,
                       moisture_id=t.id, voided=t.voided_at is not None,
                       void_reason=t.void_reason, version=t.version, notes=t.notes or "")
              for t in session.scalars(select(MoistureTest)
                                       .where(MoistureTest.lot_id == lot_id))]
    tests.sort(key=lambda t: t.tested_on, reverse=True)
    all_duplicates = list(session.scalars(select(SafetyDuplicate)
                                     .where(SafetyDuplicate.lot_id == lot_id)
                                     .order_by(SafetyDuplicate.id)))
    duplicates = [(d.id, _duplicate_text(d)) for d in all_duplicates if d.voided_at is None]
    voided = [(d.id, _duplicate_text(d), d.void_reason) for d in all_duplicates
              if d.voided_at is not None]
    return LotHistory(ledger, tests, duplicates, voided)


def _duplicate_text(d: SafetyDuplicate) -> str:
    return (f"{d.institute_code}: {d.seeds or '?'} seeds, {d.status}"
            + (f" {d.sent_on:%Y-%m-%d}" if d.sent_on and d.status == "sent" else "")
            + (f" {d.confirmed_on:%Y-%m-%d} (sent {d.sent_on:%Y-%m-%d})"
               if d.status == "confirmed" and d.confirmed_on and d.sent_on else "")
            + (f", box {d.box_reference}" if d.box_reference else ""))


def _germination_result(test: GerminationTest) -> str:
    if test.status == "in_progress" or test.germination_pct is None:
        return "in progress: to count"
    short = " (counts short of the sown)" if test.status == "short" else ""
    return f"{test.germination_pct:g} %{short}"


def _replicates(test: GerminationTest) -> str:
    """'45/50; 44/50' (normal of sown), or '50 + 50 sown' while the test is in progress."""
    if test.status == "in_progress":
        return " + ".join(str(r.sown) for r in test.replicates) + " sown"
    return "; ".join(f"{r.normal}/{r.sown}" for r in test.replicates)


@everyone
def regenerations(session: Session, accession_id: int) -> list[RegenerationLine]:
    """The accession's regenerations, newest first."""
    source, harvested = aliased(SeedLot), aliased(SeedLot)
    rows = session.execute(
        select(Regeneration, source.lot_number, harvested.lot_number)
        .outerjoin(source, source.id == Regeneration.source_lot_id)
        .outerjoin(harvested, harvested.id == Regeneration.harvested_lot_id)
        .where(Regeneration.accession_id == accession_id)
        .order_by(Regeneration.id.desc()))
    return [RegenerationLine(r.id, source_number or "", r.site, r.planned_on, r.sown_on,
                             r.harvested_on, r.status, harvested_number or "", r.notes,
                             r.failed_on, r.voided_at is not None, r.void_reason, r.version)
            for r, source_number, harvested_number in rows]


@everyone
def location_paths(session: Session) -> dict[int | None, str]:
    """Every storage location as 'Site > Room > Shelf' (a gene bank has hundreds, not more)."""
    places = {i: (parent, name) for i, parent, name in session.execute(
        select(StorageLocation.id, StorageLocation.parent_id, StorageLocation.name))}
    paths: dict[int | None, str] = {}

    def path(location_id: int) -> str:
        if location_id not in paths:
            parent, name = places[location_id]
            paths[location_id] = f"{path(parent)} > {name}" if parent is not None else name
        return paths[location_id]

    for location_id in places:
        path(location_id)
    return paths
