"""Seed lots, the ledger, tests and worklists, through the services (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from genebank import db
from genebank.conservation import conservation_rules as rules
from genebank.conservation import (
    crop_rules,
    regenerations,
    seed_lots,
    seed_tests,
    storage_locations,
    worklists,
)
from genebank.conservation.seed_tests import Replicate
from genebank.conservation.worklists import WorkQuery
from genebank.models import LotFlag, LotTransaction, Regeneration, SafetyDuplicate, SeedLot
from genebank.passport import accessions, mcpd_export
from genebank.services.errors import ServiceError
from genebank.services.refusals import Refused
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
STORED = dt.date(2025, 1, 15)


def accession(database: db.Database, number: str = "KZ-0001") -> int:
    with database.session_factory.begin() as session:
        return accessions.create_accession(session, values=passport_values(ACCENUMB=number)).id


def new_lot(database: db.Database, accession_id: int, **options: object) -> int:
    values: dict[str, object] = {"lot_number": "L-0001", "storage_type": "base",
                                 "stored_on": STORED, "seeds": 5000, "today": TODAY}
    values.update(options)
    with database.session_factory.begin() as session:
        return seed_lots.create_lot(session, accession_id=accession_id, **values)  # type: ignore[arg-type]


def test_lot_quantity_is_the_ledger_and_units_convert(database: db.Database) -> None:
    lot_id = new_lot(database, accession(database), seeds=None, grams=200.0,
                     thousand_seed_weight_g=40.0)
    with database.session_factory.begin() as session:
        seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=250,
                           reason="SMTA 2026-17", today=TODAY)
        seed_lots.correct(session, lot_id, on=TODAY, grams=-2.0, reason="recount",
                          today=TODAY)
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        assert (lot.seeds_on_hand, lot.grams_on_hand) == (5000 - 250 - 50, 200 - 10 - 2)
        assert seed_lots.ledger_balance(session, lot_id) == (4700, pytest.approx(188.0))
        assert [t.kind for t in seed_lots.ledger(session, lot_id)] == \
            ["stored", "distributed", "correction"]
        assert seed_lots.ledger(session, lot_id)[0].created_by == "tester"


def test_bad_input_is_refused_and_nothing_is_saved(database: db.Database) -> None:
    accession_id = accession(database)
    lot_id = new_lot(database, accession_id, seeds=500)
    cases = [
        (lambda s: seed_lots.withdraw(s, lot_id, kind="distributed", on=TODAY, seeds=600,
                                      today=TODAY),
         "lot L-0001 holds 500 seeds; 600 seeds cannot be taken from it. Nothing was saved"),
        (lambda s: seed_lots.create_lot(s, accession_id=accession_id, lot_number="l-0001",
                                        storage_type="base", stored_on=STORED, seeds=1,
                                        today=TODAY),
         "lot number l-0001 exists already"),
        (lambda s: seed_tests.record_germination(
            s, lot_id, tested_on=TODAY,
            replicates=[Replicate(50, 40, 5, 3, 2), Replicate(50, 51)], today=TODAY),
         "replicate 2: normal 51 + abnormal 0 + dead 0 + fresh ungerminated 0 + hard 0 = 51, "
         "but 50 seeds were sown"),
        (lambda s: seed_tests.record_germination(
            s, lot_id, tested_on=dt.date(2024, 12, 31), replicates=[Replicate(50, 40, 10)],
            today=TODAY),
         "the test date 2024-12-31 is before lot L-0001 was stored (2025-01-15)"),
        (lambda s: seed_tests.record_moisture(s, lot_id, tested_on=dt.date(2026, 11, 24),
                                              moisture_pct=6.0, today=TODAY),
         "the test date 2026-11-24 is in the future"),
        (lambda s: seed_tests.record_moisture(s, lot_id, tested_on=TODAY, moisture_pct=140,
                                              today=TODAY),
         "a moisture content of 140 % is impossible (0 to 100 %); nothing was saved"),
    ]
    for action, message in cases:
        with pytest.raises(ServiceError) as refused, database.session_factory.begin() as s:
            action(s)
        assert message in str(refused.value)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LotTransaction)) == 1
        assert seed_lots.get_lot(session, lot_id).seeds_on_hand == 500


def test_location_tree_refuses_a_cycle(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        site = storage_locations.add_location(session, "Main site")
        room = storage_locations.add_location(session, "Cold room 1", parent_id=site,
                                              storage_type="base", temperature_c=-18,
                                              humidity_rh=15)
        freezer = storage_locations.add_location(session, "Freezer 2", parent_id=room)
        assert storage_locations.path(session, freezer) == "Main site > Cold room 1 > Freezer 2"
        with pytest.raises(ServiceError, match="'Main site' cannot go inside 'Main site > "
                                               "Cold room 1 > Freezer 2', which is itself"):
            storage_locations.move_location(session, site, freezer)


def test_lot_moves_are_recorded(database: db.Database) -> None:
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        first = storage_locations.add_location(session, "Freezer 1", storage_type="base")
        second = storage_locations.add_location(session, "Freezer 2", storage_type="base")
        seed_lots.move(session, lot_id, to_location_id=first, on=STORED, today=TODAY)
        seed_lots.move(session, lot_id, to_location_id=second, on=TODAY, reason="defrost",
                       today=TODAY)
    with database.session_factory() as session:
        moves = [(t.from_location_id, t.to_location_id) for t in seed_lots.ledger(session, lot_id)
                 if t.kind == "transfer"]
        assert moves == [(None, first), (first, second)]
        assert seed_lots.get_lot(session, lot_id).location_id == second


def test_germination_tests_set_viability_debit_seeds_and_raise_flags(
        database: db.Database) -> None:
    accession_id = accession(database)
    lot_id = new_lot(database, accession_id)
    with database.session_factory.begin() as session:
        seed_tests.record_germination(session, lot_id, tested_on=dt.date(2025, 3, 1),
                                      replicates=[Replicate(100, 92, 4, 2, 2),
                                                  Replicate(100, 88, 6, 4, 2)],
                                      method="BP 20 °C", tester="A. Nurlanova", today=TODAY)
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        assert (lot.initial_viability_pct, lot.last_viability_pct) == (90.0, 90.0)
        assert lot.seeds_on_hand == 4800
        assert lot.next_test_due == dt.date(2035, 3, 1)
        assert worklists.count(session, WorkQuery(rules.REGENERATE_VIABILITY, TODAY)) == 0
    with database.session_factory.begin() as session:
        seed_tests.record_germination(session, lot_id, tested_on=TODAY,
                                      replicates=[Replicate(50, 38, 7, 3, 2)], today=TODAY)
    with database.session_factory() as session:
        items = worklists.page(session, WorkQuery(rules.REGENERATE_VIABILITY, TODAY))
        assert [(i.lot_number, i.reason) for i in items] == [
            ("L-0001", "viability 76 % is below 85 % of the initial 90 % (76.5 %)")]


def test_worklists_find_what_needs_doing(database: db.Database) -> None:
    due_accession, other = accession(database, "KZ-1"), accession(database, "KZ-2")
    new_lot(database, due_accession, lot_number="L-DUE", stored_on=dt.date(2025, 11, 23))
    active = new_lot(database, other, lot_number="L-ACT", storage_type="active",
                     stored_on=dt.date(2026, 6, 1), seeds=1200)
    with database.session_factory.begin() as session:
        assert crop_rules.set_rule(session, "Triticum", minimum_seeds=1500) == 2
        session.add(SafetyDuplicate(lot_id=active, accession_id=other,
                                    institute_code="KAZ001", status="sent"))
        accessions.ensure_institute(session, "KAZ001")
    with database.session_factory() as session:
        due = worklists.page(session, WorkQuery(worklists.TESTS_DUE, TODAY))
        assert [(i.accenumb, i.lot_number, i.due, i.reason) for i in due] == [
            ("KZ-1", "L-DUE", TODAY, "viability test due today (2026-11-23); first test "
             "(stored 2025-11-23)")]
        assert worklists.count(session, WorkQuery(worklists.TESTS_DUE,
                                                  TODAY - dt.timedelta(days=1))) == 0
        low = worklists.page(session, WorkQuery(rules.BELOW_MINIMUM, TODAY))
        assert [(i.lot_number, i.taxon, i.reason) for i in low] == [
            ("L-ACT", "Triticum aestivum", "1,200 seeds left, below the minimum of 1,500")]
        assert [i.accenumb for i in worklists.page(
            session, WorkQuery(worklists.WITHOUT_BASE_LOT, TODAY))] == ["KZ-2"]
        assert [i.accenumb for i in worklists.page(
            session, WorkQuery(worklists.WITHOUT_SAFETY_DUPLICATE, TODAY))] == ["KZ-1"]
        assert worklists.overview(session, today=TODAY) == {
            "tests_due": 1, "tests_to_count": 0, "counts_short": 0,
            "regenerate_viability": 0, "regenerate_initial": 0,
            "below_minimum": 1, "moisture": 0, "without_base_lot": 1,
            "without_safety_duplicate": 1, "missing_fao_data": 0}


def test_worklists_search_sort_page_and_stream(database: db.Database) -> None:
    """A scanned lot number narrows a list to its lot; any shown column sorts it."""
    numbers = ["KZ-3", "KZ-1", "KZ-2"]
    for number, stored in zip(numbers, (dt.date(2025, 1, 1), dt.date(2025, 6, 1),
                                        dt.date(2024, 3, 1)), strict=True):
        new_lot(database, accession(database, number), lot_number=f"L-{number}",
                stored_on=stored)
    query = WorkQuery(worklists.TESTS_DUE, TODAY)
    with database.session_factory() as session:
        assert [i.accenumb for i in worklists.page(session, query)] == ["KZ-1", "KZ-2", "KZ-3"]
        by_due = WorkQuery(worklists.TESTS_DUE, TODAY, order="due")
        assert [i.due for i in worklists.page(session, by_due)] == [
            dt.date(2025, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 6, 1)]
        newest_first = WorkQuery(worklists.TESTS_DUE, TODAY, order="due", descending=True)
        assert [i.lot_number for i in worklists.page(session, newest_first, limit=1,
                                                     offset=1)] == ["L-KZ-3"]
        scanned = WorkQuery(worklists.TESTS_DUE, TODAY, search="l-kz-2")
        assert worklists.count(session, scanned) == 1
        assert [i.accenumb for i in worklists.page(session, scanned)] == ["KZ-2"]
        assert [i.accenumb for i in worklists.all_items(session, query, chunk=2)] == [
            "KZ-1", "KZ-2", "KZ-3"]
        assert worklists.collection_totals(session) == {"accessions": 3, "active_lots": 3}
        with pytest.raises(ServiceError):
            worklists.page(session, WorkQuery(worklists.TESTS_DUE, TODAY, order="colour"))


def test_a_lot_with_dependents_blocks_deleting_its_accession(database: db.Database) -> None:
    accession_id = accession(database)
    new_lot(database, accession_id)
    with pytest.raises(ServiceError), database.session_factory.begin() as session:
        passport = accessions.get_passport(session, accession_id)
        accessions.delete_accession(session, accession_id,
                                     expected_version=passport.version)


numbers = itertools.count()
steps = st.lists(st.tuples(st.sampled_from(["withdraw", "correct"]),
                           st.integers(-300, 300)), max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_ledger_invariant(sqlite_database: db.Database, steps: list[tuple[str, int]]) -> None:
    """Whatever is tried, the kept quantity equals the ledger's sum and is never below zero."""
    number = f"P-{next(numbers)}"
    with sqlite_database.session_factory.begin() as session:
        accession_id = accessions.create_accession(
            session, values=passport_values(ACCENUMB=number)).id
        lot_id = seed_lots.create_lot(session, accession_id=accession_id,
                                      lot_number=number, storage_type="active",
                                      stored_on=STORED, seeds=500, today=TODAY)
    for action, amount in steps:
        try:
            with sqlite_database.session_factory.begin() as session:
                if action == "withdraw":
                    seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY,
                                       seeds=abs(amount) or 1, today=TODAY)
                else:
                    seed_lots.correct(session, lot_id, on=TODAY, seeds=amount,
                                      reason="recount", today=TODAY)
        except ServiceError:
            pass
        with sqlite_database.session_factory() as session:
            lot = session.get(SeedLot, lot_id)
            assert lot is not None and lot.seeds_on_hand is not None
            assert lot.seeds_on_hand >= 0
            assert seed_lots.ledger_balance(session, lot_id)[0] == lot.seeds_on_hand
            assert (lot.status == "depleted") == (lot.seeds_on_hand == 0)


def test_regeneration_harvest_creates_a_linked_lot(database: db.Database) -> None:
    parent = new_lot(database, accession(database), seeds=400)
    with database.session_factory.begin() as session:
        event = regenerations.plan_regeneration(session, source_lot_id=parent,
                                                site="Almaty field 3",
                                                planned_on=dt.date(2026, 4, 1), seeds=150,
                                                today=TODAY)
        regenerations.record_sowing(session, event, sown_on=dt.date(2026, 4, 10), plants=60)
        with pytest.raises(ServiceError, match="before the sowing date"):
            regenerations.record_harvest(session, event, harvested_on=dt.date(2026, 4, 1),
                                         lot_number="L-0002", storage_type="base", seeds=1)
        child = regenerations.record_harvest(session, event, harvested_on=dt.date(2026, 8, 20),
                                             lot_number="L-0002", storage_type="base",
                                             seeds=9000, today=TODAY)
    with database.session_factory() as session:
        assert seed_lots.get_lot(session, parent).seeds_on_hand == 250
        new = seed_lots.get_lot(session, child)
        assert (new.parent_lot_id, new.seeds_on_hand) == (parent, 9000)
        assert new.next_test_due == dt.date(2027, 8, 20)  # first test within 12 months


def test_safety_duplicates_feed_duplsite_on_export(database: db.Database) -> None:
    accession_id = accession(database)
    lot_id = new_lot(database, accession_id)
    with database.session_factory.begin() as session:
        with pytest.raises(ServiceError, match="institute code"):
            regenerations.send_safety_duplicate(session, lot_id=lot_id, institute_code="x",
                                                sent_on=TODAY, seeds=500, today=TODAY)
        regenerations.send_safety_duplicate(session, lot_id=lot_id, institute_code="NOR051",
                                            sent_on=TODAY, seeds=500, box_reference="B-17",
                                            today=TODAY)
    with database.session_factory() as session:
        assert seed_lots.get_lot(session, lot_id).seeds_on_hand == 4500
        record = next(mcpd_export.export_records(session, [accession_id]))
        assert record["DUPLSITE"] == "NOR051"
        assert worklists.page(session, WorkQuery(worklists.WITHOUT_SAFETY_DUPLICATE,
                                                 TODAY)) == []


def test_changing_a_crop_rule_re_judges_its_lots(database: db.Database) -> None:
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        assert seed_lots.get_lot(session, lot_id).next_test_due == dt.date(2026, 1, 15)
        seed_tests.record_germination(session, lot_id, tested_on=dt.date(2025, 2, 1),
                                      replicates=[Replicate(100, 95, 3, 2)], today=TODAY)
        assert seed_lots.get_lot(session, lot_id).next_test_due == dt.date(2035, 2, 1)
        crop_rules.set_rule(session, "Triticum", base_test_interval_years=7)
        assert seed_lots.get_lot(session, lot_id).next_test_due == dt.date(2032, 2, 1)
        with pytest.raises(ServiceError, match="minimum seeds cannot be negative"):
            crop_rules.set_rule(session, "Triticum", minimum_seeds=-1)


def test_gene_bank_rules_lie_under_crop_rules_and_rejudge_every_lot(
        database: db.Database) -> None:
    """The gene bank's numbers replace the Standards'; a crop's replace the gene bank's."""
    wheat = new_lot(database, accession(database, "KZ-1"), lot_number="L-W", seeds=900)
    with database.session_factory.begin() as session:
        barley_accession = accessions.create_accession(session, values=passport_values(
            ACCENUMB="KZ-2", GENUS="Hordeum", SPECIES="vulgare", CROPNAME="barley")).id
    barley = new_lot(database, barley_accession, lot_number="L-B", seeds=900)
    with database.session_factory.begin() as session:
        assert crop_rules.set_rule(session, crop_rules.ALL_CROPS, minimum_seeds=1000,
                                   base_test_interval_years=8) == 2
        assert crop_rules.set_rule(session, "Hordeum", minimum_seeds=500) == 1
        for lot_id in (wheat, barley):  # the bulk re-judge agrees with the one-lot refresh
            lot = seed_lots.get_lot(session, lot_id)
            kept = (lot.next_test_due, sorted(f.message for f in session.scalars(
                select(LotFlag).where(LotFlag.lot_id == lot_id))))
            seed_lots.refresh(session, lot)
            assert (lot.next_test_due, sorted(f.message for f in session.scalars(
                select(LotFlag).where(LotFlag.lot_id == lot_id)))) == kept
    with database.session_factory() as session:
        low = worklists.page(session, WorkQuery(rules.BELOW_MINIMUM, TODAY))
        assert [i.lot_number for i in low] == ["L-W"]  # barley's own minimum is 500
        table = {row.genus: row for row in crop_rules.rules_table(session)}
        assert table["*"].set["minimum_seeds"] == 1000
        assert table["Hordeum"].applies["base_test_interval_years"] == 8  # inherited
        assert table["Triticum"].set["minimum_seeds"] is None
        assert table["Triticum"].applies["minimum_seeds"] == 1000
        with pytest.raises(ServiceError, match="upside down"):
            crop_rules.set_rule(session, "Hordeum", moisture_min_pct=8, moisture_max_pct=4)


def test_a_rule_change_writes_only_the_lots_it_changes(database: db.Database) -> None:
    """Re-judging after a crop rule changes leaves a lot it does not affect untouched (its
    "last changed", version and flag rows); a lot it does affect gets its new flag."""
    plenty = new_lot(database, accession(database, "KZ-1"), lot_number="L-1", seeds=5000)
    few = new_lot(database, accession(database, "KZ-2"), lot_number="L-2", seeds=1200)

    def state(lot_id: int) -> tuple[object, ...]:
        with database.session_factory() as session:
            lot = seed_lots.get_lot(session, lot_id)
            flag_rows = session.execute(select(LotFlag.id, LotFlag.updated_at, LotFlag.message)
                                        .where(LotFlag.lot_id == lot_id)
                                        .order_by(LotFlag.id)).all()
            return lot.updated_at, lot.version, lot.next_test_due, flag_rows

    before = {lot_id: state(lot_id) for lot_id in (plenty, few)}
    with database.session_factory.begin() as session:
        assert crop_rules.set_rule(session, "Triticum", minimum_seeds=1500) == 2
    assert state(plenty) == before[plenty]
    assert state(few)[:3] == before[few][:3]  # same date: the row is not written
    assert [row[2] for row in state(few)[3]] == ["1,200 seeds left, below the minimum of "
                                                 "1,500"]
    with database.session_factory.begin() as session:  # removing the rule: back as it was
        crop_rules.set_rule(session, "Triticum", minimum_seeds=None)
    assert state(plenty) == before[plenty]
    assert state(few)[3] == [] == before[few][3]
    with database.session_factory.begin() as session:  # retests: not yet for untested lots
        crop_rules.set_rule(session, "Triticum", base_test_interval_years=7)
    assert state(plenty) == before[plenty]


def test_a_closed_regeneration_is_not_harvested_sown_or_failed_again(
        database: db.Database) -> None:
    """A second harvest would store a second lot and take the first's place as the harvest
    (two technicians saving the same harvest, one after the other on a server); a sowing or a
    failure after it would reopen the regeneration. Each is refused, naming the first, and
    nothing is written; a failed regeneration likewise. Correct it to change it."""
    parent = new_lot(database, accession(database), seeds=400)
    with database.session_factory.begin() as session:
        harvested = regenerations.plan_regeneration(session, source_lot_id=parent,
                                                    site="Almaty field 3",
                                                    planned_on=dt.date(2026, 4, 1), today=TODAY)
        failed = regenerations.plan_regeneration(session, source_lot_id=parent,
                                                 site="Almaty field 4",
                                                 planned_on=dt.date(2026, 4, 1), today=TODAY)
        for event in (harvested, failed):
            regenerations.record_sowing(session, event, sown_on=dt.date(2026, 4, 10),
                                        today=TODAY)
        regenerations.record_harvest(session, harvested, harvested_on=dt.date(2026, 8, 20),
                                     lot_number="L-0002", storage_type="base", seeds=9000,
                                     today=TODAY)
        regenerations.record_failure(session, failed, notes="hail", on=dt.date(2026, 6, 1),
                                     today=TODAY)
    attempts = {
        "harvest again": lambda session, event: regenerations.record_harvest(
            session, event, harvested_on=dt.date(2026, 8, 21), lot_number="L-0003",
            storage_type="base", seeds=8000, today=TODAY),
        "sow again": lambda session, event: regenerations.record_sowing(
            session, event, sown_on=dt.date(2026, 9, 1), today=TODAY),
        "fail": lambda session, event: regenerations.record_failure(
            session, event, notes="late frost", on=dt.date(2026, 9, 2), today=TODAY),
    }
    for event, code, day in ((harvested, "regeneration_harvested", dt.date(2026, 8, 20)),
                             (failed, "regeneration_failed", dt.date(2026, 6, 1))):
        for what, attempt in attempts.items():
            with pytest.raises(Refused) as refused, \
                    database.session_factory.begin() as session:
                attempt(session, event)
            assert refused.value.code == code, what
            assert refused.value.params["day"] == day
    assert "harvested on 2026-08-20 (lot L-0002)" in str(refused_harvest(database, harvested))
    with database.session_factory() as session:
        assert seed_lots.find_lot_id(session, "L-0003") is None
        closed = {event.id: (event.status, event.sown_on) for event in
                  session.scalars(select(Regeneration))}
    assert closed == {harvested: ("harvested", dt.date(2026, 4, 10)),
                      failed: ("failed", dt.date(2026, 4, 10))}


def refused_harvest(database: db.Database, event: int) -> Refused:
    with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
        regenerations.record_harvest(session, event, harvested_on=dt.date(2026, 8, 22),
                                     lot_number="L-0004", storage_type="base", seeds=1,
                                     today=TODAY)
    return refused.value
