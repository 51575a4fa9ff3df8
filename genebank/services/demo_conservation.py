"""Seed lots with plausible histories for demo collections, written in bulk.

Each demo accession gets one or two lots (mostly a base lot, often an active one), stored
on a date skewed towards recent years, with a first germination test within a year of
storage and retests every 5 or 10 years that a busy lab sometimes misses; viability falls
a little at each retest; some lots were moisture-tested, distributed from or duplicated at
Svalbard. The kept columns and flags are computed by the same rules the services use
(:mod:`genebank.services.conservation_rules`), so the worklists show what they would show
had every record been typed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank.models import (
    CropRule,
    GerminationReplicate,
    GerminationTest,
    LotFlag,
    LotTransaction,
    MoistureTest,
    SafetyDuplicate,
    SeedLot,
    StorageLocation,
)
from genebank.services import conservation_rules as rules
from genebank.services import crop_rules, storage_locations
from genebank.services.bulk import audit_row, insert_rows, next_id, sync_id_sequence

DEMO_BASE_STORE = "Demo cold store -18 °C"
DEMO_ACTIVE_STORE = "Demo cool room +4 °C"
DEMO_STORES = (DEMO_BASE_STORE, DEMO_ACTIVE_STORE)
DEMO_MINIMUM_SEEDS = 1000  # seeds for about three regeneration cycles of a small sample
LOT_COLUMNS = (
    "id", "accession_id", "lot_number", "storage_type", "location_id", "stored_on",
    "container", "thousand_seed_weight_g", "status", "notes", "seeds_on_hand",
    "grams_on_hand", "initial_viability_pct", "last_viability_pct", "last_tested_on",
    "last_moisture_pct", "last_erh_pct", "next_test_due",
)
COLUMNS: dict[type, tuple[str, ...]] = {
    SeedLot: LOT_COLUMNS,
    LotTransaction: ("id", "lot_id", "kind", "occurred_on", "seeds", "grams", "reason"),
    GerminationTest: ("id", "lot_id", "tested_on", "method", "pretreatment", "seeds_consumed",
                      "germination_pct", "tester", "notes", "transaction_id"),
    GerminationReplicate: ("test_id", "position", "sown", "normal", "abnormal", "dead",
                           "ungerminated"),
    MoistureTest: ("lot_id", "tested_on", "method", "moisture_pct", "erh_pct", "tester",
                   "notes"),
    LotFlag: ("lot_id", "rule", "message"),
    SafetyDuplicate: ("lot_id", "accession_id", "institute_code", "sent_on", "seeds",
                      "box_reference", "status", "transaction_id"),
}
TESTERS = ("A. Nurlanova", "B. Diallo", "S. Karimov", "F. Haddad", "M. Ouedraogo")
METHODS = ("top of paper, 20 °C", "between paper, 20/30 °C", "sand, 25 °C")


@dataclass
class Ids:
    """The next id of each table whose rows others point to."""

    lot: int
    transaction: int
    test: int


@dataclass
class DemoSetup:
    """What every batch needs: shelves per storage type, crop policies, today."""

    today: dt.date
    shelves: dict[str, list[int]]
    policies: dict[str, rules.Policy]
    ids: Ids
    rows: dict[type, list[tuple[object, ...]]] = field(default_factory=dict)


def prepare(session: Session, genera: Sequence[str], today: dt.date) -> DemoSetup:
    """Storage locations, per-crop minimum stocks and the first free ids."""
    base = _location(session, DEMO_BASE_STORE, "base", -18.0, 15.0)
    active = _location(session, DEMO_ACTIVE_STORE, "active", 4.0, 30.0)
    shelves = {"base": [_location(session, f"Shelf {n:02d}", "base", parent=base)
                        for n in range(1, 21)],
               "active": [_location(session, f"Shelf {n:02d}", "active", parent=active)
                          for n in range(1, 11)]}
    for genus in sorted(set(genera)):
        if session.scalar(select(CropRule.id).where(CropRule.genus == genus)) is None:
            session.add(CropRule(genus=genus, minimum_seeds=DEMO_MINIMUM_SEEDS))
    session.flush()
    current = crop_rules.policies(session)
    policies = {genus: current.for_genus(genus) for genus in set(genera)}
    ids = Ids(next_id(session, SeedLot.__table__), next_id(session, LotTransaction.__table__),
              next_id(session, GerminationTest.__table__))
    return DemoSetup(today, shelves, policies, ids)


def _location(session: Session, name: str, storage_type: str, temperature: float | None = None,
              humidity: float | None = None, parent: int | None = None) -> int:
    found = session.scalar(select(StorageLocation.id).where(
        StorageLocation.name == name, StorageLocation.parent_id.is_(None) if parent is None
        else StorageLocation.parent_id == parent))
    return found if found is not None else storage_locations.add_location(
        session, name, parent_id=parent, storage_type=storage_type, temperature_c=temperature,
        humidity_rh=humidity)


def add_batch(session: Session, rng: random.Random, setup: DemoSetup,
              accessions: Sequence[tuple[int, str, int]]) -> None:
    """Lots and their histories for ``(accession id, genus, acquisition year)`` triples."""
    setup.rows = {model: [] for model in COLUMNS}
    for accession_id, genus, year in accessions:
        first = "base" if rng.random() < 0.8 else "active"
        _lot(rng, setup, accession_id, genus, year, first)
        if rng.random() < 0.5:
            _lot(rng, setup, accession_id, genus, year, "active" if first == "base" else "base")
    audit = audit_row(session)
    for model, rows in setup.rows.items():
        insert_rows(session, model.__table__, COLUMNS[model], rows, audit)


def finish(session: Session) -> None:
    for model in (SeedLot, LotTransaction, GerminationTest):
        sync_id_sequence(session, model.__table__)


def _lot(rng: random.Random, setup: DemoSetup, accession_id: int, genus: str, year: int,
         storage_type: str) -> None:
    today, rows, ids = setup.today, setup.rows, setup.ids
    lot_id = ids.lot
    ids.lot += 1
    age_days = min(int(abs(rng.gauss(0, 18)) * 365.25), (today - dt.date(max(year, 1975), 1, 1))
                   .days) + 30
    stored_on = today - dt.timedelta(days=rng.randint(30, max(age_days, 31)))
    seeds = rng.randint(1500, 10000) if rng.random() < 0.9 else rng.randint(400, 1500)
    weight = round(rng.uniform(20, 60), 1) if rng.random() < 0.7 else None
    state = _State(weight)
    transactions = rows[LotTransaction]

    def book(kind: str, on: dt.date, amount: int, reason: str) -> int:
        transaction_id = ids.transaction
        ids.transaction += 1
        grams = state.book(amount)
        transactions.append((transaction_id, lot_id, kind, on, amount, grams, reason))
        return transaction_id

    book("stored", stored_on, seeds, "stored")
    policy = setup.policies[genus]
    years = rules.test_interval_years(storage_type, policy) or 10
    tested_on: dt.date | None = stored_on + dt.timedelta(days=rng.randint(20, 330))
    viability = max(40.0, min(100.0, rng.gauss(92, 6)))
    initial = last = None
    last_on: dt.date | None = None
    while tested_on is not None and tested_on <= today and state.seeds >= 100:
        test_id = ids.test
        ids.test += 1
        percent = _germination(rows[GerminationReplicate], rng, test_id, viability)
        initial = percent if initial is None else initial
        last, last_on = percent, tested_on
        rows[GerminationTest].append((
            test_id, lot_id, tested_on, rng.choice(METHODS), "", 100, percent,
            rng.choice(TESTERS), "", book("test", tested_on, -100, "germination test")))
        viability = max(0.0, viability - rng.uniform(0, 14))
        missed = rng.random() < 0.12  # a retest the lab has not got round to
        tested_on = None if missed else rules.add_months(
            tested_on, 12 * years + rng.randint(-6, 12))
    moisture = None
    if rng.random() < 0.7:
        moisture = round(rng.uniform(3.2, 7.6), 1)
        rows[MoistureTest].append((lot_id, stored_on, "oven, 103 °C 17 h", moisture, None,
                                   rng.choice(TESTERS), ""))
    if rng.random() < 0.2 and state.seeds > 600:
        on = min(today, stored_on + dt.timedelta(days=rng.randint(60, 4000)))
        book("distributed", on, -rng.randint(50, 300), "SMTA demo request")
    if storage_type == "base" and rng.random() < 0.55 and state.seeds > 1000:
        on = min(today, stored_on + dt.timedelta(days=rng.randint(30, 700)))
        rows[SafetyDuplicate].append((
            lot_id, accession_id, "NOR051", on, 500, f"BOX-{lot_id % 997:03d}",
            "confirmed" if rng.random() < 0.9 else "sent",
            book("safety_duplicate", on, -500, "safety duplicate")))
    status = "active" if state.seeds else "depleted"
    facts = rules.LotFacts(storage_type=storage_type, stored_on=stored_on, status=status,
                           seeds_on_hand=state.seeds, initial_viability_pct=initial,
                           last_viability_pct=last, last_tested_on=last_on,
                           last_moisture_pct=moisture)
    rows[SeedLot].append((
        lot_id, accession_id, f"L{lot_id:08d}", storage_type,
        rng.choice(setup.shelves[storage_type]), stored_on, "laminated foil bag", weight,
        status, "", state.seeds, state.grams_on_hand, initial, last, last_on,
        moisture, None, rules.next_test_due(facts, policy)))
    rows[LotFlag].extend((lot_id, flag.rule, flag.message)
                         for flag in rules.stored_flags(facts, policy))


@dataclass
class _State:
    """A lot's running balance, in grams too when its 1000-seed weight is known."""

    weight: float | None
    seeds: int = 0
    grams_on_hand: float | None = None

    def book(self, seeds: int) -> float | None:
        """Add ``seeds`` (signed); returns the grams booked, rounded as the services do."""
        self.seeds += seeds
        if not self.weight:
            return None
        grams = round(seeds * self.weight / 1000, 3)
        self.grams_on_hand = round((self.grams_on_hand or 0.0) + grams, 3)
        return grams


def _germination(replicates: list[tuple[object, ...]], rng: random.Random, test_id: int,
                 viability: float) -> float:
    """Two replicates of 50 seeds around ``viability``; returns the germination %."""
    normal_total = 0
    for position in (1, 2):
        normal = max(0, min(50, round(rng.gauss(viability / 2, 2))))
        rest = 50 - normal
        abnormal = rng.randint(0, rest // 3)
        dead = rng.randint(0, (rest - abnormal) // 2)
        replicates.append((test_id, position, 50, normal, abnormal, dead,
                           rest - abnormal - dead))
        normal_total += normal
    return round(normal_total, 1)  # of 100 seeds sown: the count is the percentage
