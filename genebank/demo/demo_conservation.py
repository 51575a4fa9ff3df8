"""Seed lots with plausible histories for demo collections, written in bulk.

Each demo accession gets one or two lots (mostly a base lot, often an active one), stored
on a date skewed towards recent years, with a first germination test within a year of
storage and retests every 5 or 10 years (a test sown in the last weeks is still in the
germinator, not yet counted), done by a busy lab a little early, on time, or months (rarely
a few years) late, so today's backlog is that of a real gene bank: some
lots due, none forgotten for decades. Viability falls a little at each retest; some lots
were moisture-tested, distributed from or duplicated at Svalbard. About half the lots that
need regenerating (viability fell, low initial viability, below the minimum stock, or too
few seeds left for a test) have a regeneration planned, in the field, harvested into a new
lot linked to its parent, or failed with its reason. The kept columns and flags are
computed by the same rules the services use (:mod:`genebank.conservation.conservation_rules`),
so the worklists show what they would show had every record been typed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank.conservation import conservation_rules as rules
from genebank.conservation import crop_rules, storage_locations
from genebank.models import (
    CropRule,
    GerminationReplicate,
    GerminationTest,
    LotFlag,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
    StorageLocation,
)
from genebank.services.bulk import IdSource, audit_row, insert_rows

DEMO_BASE_STORE = "Demo cold store -18 °C"
DEMO_ACTIVE_STORE = "Demo cool room +4 °C"
DEMO_STORES = (DEMO_BASE_STORE, DEMO_ACTIVE_STORE)
DEMO_MINIMUM_SEEDS = 1000  # seeds for about three regeneration cycles of a small sample
LOT_COLUMNS = (
    "id", "accession_id", "lot_number", "storage_type", "location_id", "parent_lot_id",
    "stored_on",
    "container", "thousand_seed_weight_g", "status", "notes", "seeds_on_hand",
    "grams_on_hand", "initial_viability_pct", "last_viability_pct", "last_tested_on",
    "last_moisture_pct", "last_erh_pct", "next_test_due",
)
COLUMNS: dict[type, tuple[str, ...]] = {
    SeedLot: LOT_COLUMNS,
    LotTransaction: ("id", "lot_id", "kind", "occurred_on", "seeds", "grams", "reason"),
    GerminationTest: ("id", "lot_id", "tested_on", "method", "pretreatment", "seeds_consumed",
                      "status", "germination_pct", "counted_on", "tester", "notes",
                      "transaction_id"),
    GerminationReplicate: ("test_id", "position", "sown", "normal", "abnormal", "dead",
                           "ungerminated"),
    MoistureTest: ("lot_id", "tested_on", "method", "moisture_pct", "erh_pct", "tester",
                   "notes"),
    LotFlag: ("lot_id", "rule", "message"),
    SafetyDuplicate: ("lot_id", "accession_id", "institute_code", "sent_on", "seeds",
                      "box_reference", "status", "transaction_id"),
    Regeneration: ("accession_id", "source_lot_id", "site", "planned_on", "sown_on",
                   "harvested_on", "plants", "status", "harvested_lot_id", "notes"),
}
REGENERATION_SITES = ("Demo field station, plot {n}", "Demo screen house {n}",
                      "Partner farm, field {n}")
FAILURES = ("hail at flowering destroyed the plot", "poor emergence after a dry spell",
            "the field flooded before harvest", "birds took most of the seed",
            "plants died of a root rot")
NEEDS_REGENERATION = (rules.REGENERATE_VIABILITY, rules.REGENERATE_INITIAL,
                      rules.BELOW_MINIMUM)
TEST_SEEDS = 100
DAYS_TO_COUNT = (7, 28)  # from sowing to the final count (ISTA rules: 7 to 28 days by crop)
MAX_GENERATIONS = 3  # regenerations behind one demo lot, at most
TESTERS = ("A. Nurlanova", "B. Diallo", "S. Karimov", "F. Haddad", "M. Ouedraogo")
METHODS = ("top of paper, 20 °C", "between paper, 20/30 °C", "sand, 25 °C")


@dataclass
class Ids:
    """Where the ids of each table whose rows others point to come from."""

    lot: IdSource
    transaction: IdSource
    test: IdSource


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
    ids = Ids(IdSource(session, SeedLot.__table__), IdSource(session, LotTransaction.__table__),
              IdSource(session, GerminationTest.__table__))
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
    setup.rows[SeedLot].sort()  # by id: a harvested lot's parent (written after it) first
    audit = audit_row(session)
    for model, rows in setup.rows.items():
        insert_rows(session, model.__table__, COLUMNS[model], rows, audit)


def test_delay_days(rng: random.Random) -> int:
    """Days after its due date that the lab tests a lot (negative: early). A fifth is
    early, most within four months, a quarter up to a year and a half late, one in ten up
    to four years late: at any time some lots are due or overdue, none for decades."""
    draw = rng.random()
    if draw < 0.20:
        return -rng.randint(0, 180)
    if draw < 0.65:
        return rng.randint(0, 120)
    if draw < 0.90:
        return rng.randint(121, 540)
    return rng.randint(541, 1460)


def _lot(rng: random.Random, setup: DemoSetup, accession_id: int, genus: str, year: int,
         storage_type: str, *, stored_on: dt.date | None = None,
         parent_lot_id: int | None = None, generation: int = 0) -> None:
    """One lot and its history; a lot harvested from a regeneration gives ``stored_on``,
    its parent and how many regenerations lie behind it."""
    today, rows, ids = setup.today, setup.rows, setup.ids
    lot_id = ids.lot.take()
    if stored_on is None:
        age_days = min(int(abs(rng.gauss(0, 18)) * 365.25),
                       (today - dt.date(max(year, 1975), 1, 1)).days) + 30
        stored_on = today - dt.timedelta(days=rng.randint(30, max(age_days, 31)))
    seeds = rng.randint(1500, 10000) if rng.random() < 0.9 else rng.randint(400, 1500)
    weight = round(rng.uniform(20, 60), 1) if rng.random() < 0.7 else None
    state = _State(weight)
    transactions = rows[LotTransaction]

    def book(kind: str, on: dt.date, amount: int, reason: str) -> int:
        transaction_id = ids.transaction.take()
        grams = state.book(amount)
        state.last_booked = max(state.last_booked or on, on)
        transactions.append((transaction_id, lot_id, kind, on, amount, grams, reason))
        return transaction_id

    book("stored", stored_on, seeds, "stored")
    policy = setup.policies[genus]
    years = rules.test_interval_years(storage_type, policy) or 10
    tested_on = stored_on + dt.timedelta(days=rng.randint(20, 330))
    viability = max(40.0, min(100.0, rng.gauss(92, 6)))
    initial = last = None
    last_on: dt.date | None = None
    exhausted = False
    while tested_on <= today:
        if state.seeds < TEST_SEEDS:
            exhausted = True  # too few seeds left to test: only a regeneration helps
            break
        test_id = ids.test.take()
        counted_on = tested_on + dt.timedelta(days=rng.randint(*DAYS_TO_COUNT))
        method, tester = rng.choice(METHODS), rng.choice(TESTERS)
        transaction = book("test", tested_on, -TEST_SEEDS, "germination test")
        if counted_on > today:  # still in the germinator: it uses seed, sets no viability
            rows[GerminationReplicate].extend(
                (test_id, position, TEST_SEEDS // 2, None, None, None, None)
                for position in (1, 2))
            rows[GerminationTest].append((
                test_id, lot_id, tested_on, method, "", TEST_SEEDS, "in_progress", None, None,
                tester, "", transaction))
            break
        percent = _germination(rows[GerminationReplicate], rng, test_id, viability)
        initial = percent if initial is None else initial
        last, last_on = percent, tested_on
        rows[GerminationTest].append((
            test_id, lot_id, tested_on, method, "", TEST_SEEDS, "complete", percent,
            counted_on, tester, "", transaction))
        viability = max(0.0, viability - rng.uniform(0, 14))
        due = rules.add_months(tested_on, 12 * years)
        tested_on = max(due + dt.timedelta(days=test_delay_days(rng)),
                        tested_on + dt.timedelta(days=365))
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

    def facts() -> rules.LotFacts:
        return rules.LotFacts(storage_type=storage_type, stored_on=stored_on,
                              status="active" if state.seeds else "depleted",
                              seeds_on_hand=state.seeds, initial_viability_pct=initial,
                              last_viability_pct=last, last_tested_on=last_on,
                              last_moisture_pct=moisture)

    needs = exhausted or any(flag.rule in NEEDS_REGENERATION
                             for flag in rules.stored_flags(facts(), policy))
    if needs and (exhausted or rng.random() < 0.5):
        harvest = _regenerate(rng, setup, accession_id, lot_id, state, book,
                              sow_all=exhausted, may_harvest=generation < MAX_GENERATIONS)
        if harvest is not None:
            _lot(rng, setup, accession_id, genus, year, storage_type, stored_on=harvest,
                 parent_lot_id=lot_id, generation=generation + 1)
    lot_facts = facts()
    rows[SeedLot].append((
        lot_id, accession_id, f"L{lot_id:08d}", storage_type,
        rng.choice(setup.shelves[storage_type]), parent_lot_id, stored_on,
        "laminated foil bag", weight, lot_facts.status, "", state.seeds, state.grams_on_hand,
        initial, last, last_on, moisture, None, rules.next_test_due(lot_facts, policy)))
    rows[LotFlag].extend((lot_id, flag.rule, flag.message)
                         for flag in rules.stored_flags(lot_facts, policy))


def _regenerate(rng: random.Random, setup: DemoSetup, accession_id: int, lot_id: int,
                state: _State, book: Callable[[str, dt.date, int, str], int], *,
                sow_all: bool, may_harvest: bool) -> dt.date | None:
    """A regeneration of the lot after its last recorded event: planned (in the coming
    months), in the field, failed, or harvested. Returns the harvest date when a new lot
    is to be stored from it."""
    today = setup.today
    site = rng.choice(REGENERATION_SITES).format(n=rng.randint(1, 24))
    planned_on = (state.last_booked or today) + dt.timedelta(days=rng.randint(30, 400))
    row: list[object] = [accession_id, lot_id, site, planned_on, None, None, None,
                         "planned", None, ""]
    if planned_on <= today:
        sown_on = min(today, planned_on + dt.timedelta(days=rng.randint(0, 20)))
        sown = state.seeds if sow_all or state.seeds <= 300 else rng.randint(100, 300)
        if sown:
            book("regeneration", sown_on, -sown, f"regeneration at {site}")
        harvested_on = sown_on + dt.timedelta(days=rng.randint(110, 240))
        row[4:7] = [sown_on, None, rng.randint(30, min(200, max(sown, 30)))]
        if harvested_on > today:
            row[7] = "in_field"
        elif not may_harvest or rng.random() < 0.15:
            row[7], row[9] = "failed", rng.choice(FAILURES)
        else:
            row[5], row[7], row[8] = harvested_on, "harvested", setup.ids.lot.peek()
            setup.rows[Regeneration].append(tuple(row))
            return harvested_on
    setup.rows[Regeneration].append(tuple(row))
    return None


@dataclass
class _State:
    """A lot's running balance, in grams too when its 1000-seed weight is known."""

    weight: float | None
    seeds: int = 0
    grams_on_hand: float | None = None
    last_booked: dt.date | None = None  # the latest date in the lot's ledger

    def book(self, seeds: int) -> float | None:
        """Add ``seeds`` (signed); returns the grams booked, rounded as the services do."""
        emptied = seeds < 0 and self.seeds + seeds == 0
        self.seeds += seeds
        if not self.weight:
            return None
        grams = round(seeds * self.weight / 1000, 3)
        if emptied and self.grams_on_hand is not None:  # the last seeds: the last grams too
            grams = -self.grams_on_hand
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
