"""A lot held in seeds and grams can be tested and distributed: its 1000-seed weight is worked
out when it is stored in both units without one, and can be set or corrected later."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from genebank import db
from genebank.conservation import regenerations, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.models import SeedLot
from genebank.passport import accessions
from genebank.services.errors import ServiceError
from genebank.services.refusals import Refused
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
STORED = dt.date(2025, 1, 15)


def accession(database: db.Database) -> int:
    with database.session_factory.begin() as session:
        return accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0001")).id


def lot_held_in_both_units_without_weight(database: db.Database) -> int:
    """A lot as main stored it before: 5,000 seeds and 250.5 g, no 1000-seed weight."""
    accession_id = accession(database)
    with database.session_factory.begin() as session:
        lot_id = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                      storage_type="base", stored_on=STORED, seeds=5000,
                                      grams=250.5, today=TODAY)
        session.execute(update(SeedLot).where(SeedLot.id == lot_id)
                        .values(thousand_seed_weight_g=None))
    return lot_id


def germination(session: object, lot_id: int) -> int:
    """A seeds-only germination test: 2 x 100 seeds sown."""
    return seed_tests.record_germination(
        session, lot_id, tested_on=TODAY,  # type: ignore[arg-type]
        replicates=[Replicate(100, 90, 5, 5), Replicate(100, 92, 4, 4)], today=TODAY)


def test_a_lot_stored_in_seeds_and_grams_gets_its_weight_worked_out_and_said(
        database: db.Database) -> None:
    """Seeds "5 000" and grams "250,5" with no weight: 50.10 g is stored and the result says so."""
    accession_id = accession(database)
    with database.session_factory.begin() as session:
        stored = seed_lots.store_lot(session, accession_id=accession_id, lot_number="L-1",
                                     storage_type="base", stored_on=STORED, seeds=5000,
                                     grams=250.5, today=TODAY)
    assert stored.worked_out is not None
    assert stored.worked_out.weight_g == 50.1
    assert stored.worked_out.message == ("1000-seed weight worked out as 50.10 g from 5,000 "
                                         "seeds and 250.5 g")
    with database.session_factory.begin() as session:
        germination(session, stored.lot_id)  # seeds only: refused on a lot without weight
        seed_lots.withdraw(session, stored.lot_id, kind="distributed", on=TODAY, grams=5.01,
                           reason="SMTA 2026-3", today=TODAY)
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, stored.lot_id)
        assert lot.thousand_seed_weight_g == 50.1
        assert lot.seeds_on_hand == 5000 - 200 - 100
        assert lot.grams_on_hand == pytest.approx(250.5 - 10.02 - 5.01)


def test_create_lot_stores_the_worked_out_weight_and_keeps_a_given_one(
        database: db.Database) -> None:
    """create_lot (imports, scripts) works the weight out too; a weight typed is kept as typed."""
    accession_id = accession(database)
    with database.session_factory.begin() as session:
        worked = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                      storage_type="base", stored_on=STORED, seeds=3,
                                      grams=1.0, today=TODAY)
        given = seed_lots.store_lot(session, accession_id=accession_id, lot_number="L-2",
                                    storage_type="base", stored_on=STORED, seeds=5000,
                                    grams=250.5, thousand_seed_weight_g=48.0, today=TODAY)
        seeds_only = seed_lots.store_lot(session, accession_id=accession_id, lot_number="L-3",
                                         storage_type="base", stored_on=STORED, seeds=5000,
                                         today=TODAY)
    assert given.worked_out is None and seeds_only.worked_out is None
    with database.session_factory() as session:
        assert seed_lots.get_lot(session, worked).thousand_seed_weight_g == 333.33
        assert seed_lots.get_lot(session, given.lot_id).thousand_seed_weight_g == 48.0
        assert seed_lots.get_lot(session, seeds_only.lot_id).thousand_seed_weight_g is None


def test_a_weight_the_field_cannot_keep_is_refused_and_nothing_is_saved(
        database: db.Database) -> None:
    """5,000,000 seeds in 0.01 g would round to 0.00 g: a typing slip, refused, not stored."""
    accession_id = accession(database)
    with pytest.raises(Refused) as refusal, database.session_factory.begin() as session:
        seed_lots.store_lot(session, accession_id=accession_id, lot_number="L-1",
                            storage_type="base", stored_on=STORED, seeds=5_000_000,
                            grams=0.01, today=TODAY)
    assert refusal.value.code == "tsw_not_workable"
    assert str(refusal.value).startswith("5,000,000 seeds weighing 0.01 g give a 1000-seed")
    with database.session_factory() as session:
        assert seed_lots.find_lot_id(session, "L-1") is None


def test_a_harvest_into_a_new_lot_works_its_weight_out(database: db.Database) -> None:
    """A harvest counted and weighed gets its 1000-seed weight, and the result says so."""
    accession_id = accession(database)
    with database.session_factory.begin() as session:
        parent = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                      storage_type="base", stored_on=STORED, seeds=400,
                                      today=TODAY)
        event = regenerations.plan_regeneration(session, source_lot_id=parent, site="field 3",
                                                planned_on=dt.date(2026, 4, 1), seeds=150,
                                                today=TODAY)
        regenerations.record_sowing(session, event, sown_on=dt.date(2026, 4, 10))
        stored = regenerations.harvest(session, event, harvested_on=dt.date(2026, 8, 20),
                                       lot_number="L-2", storage_type="base", seeds=9000,
                                       grams=382.5, today=TODAY)
        germination(session, stored.lot_id)
    assert stored.worked_out is not None and stored.worked_out.weight_g == 42.5
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, stored.lot_id)
        assert (lot.seeds_on_hand, lot.grams_on_hand) == (8800, pytest.approx(374.0))


def test_setting_the_weight_lets_seed_only_and_gram_only_moves_convert(
        database: db.Database) -> None:
    """A lot held in both units without weight: refused, then its weight is set, then taken."""
    lot_id = lot_held_in_both_units_without_weight(database)
    with pytest.raises(ServiceError, match="counted in grams"), \
            database.session_factory.begin() as session:
        germination(session, lot_id)
    with database.session_factory() as session:
        before = seed_lots.get_lot(session, lot_id)
        version, updated_at = before.version, before.updated_at
    database.session_factory.kw["info"] = {"user": "aigerim"}
    with database.session_factory.begin() as session:
        result = seed_lots.set_thousand_seed_weight(session, lot_id, weight_g=50.1)
    assert (result.before_g, result.after_g) == (None, 50.1)
    with database.session_factory.begin() as session:
        germination(session, lot_id)
        seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, grams=25.05,
                           reason="SMTA 2026-4", today=TODAY)
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        assert lot.thousand_seed_weight_g == 50.1
        assert (lot.seeds_on_hand, lot.grams_on_hand) == (4300, pytest.approx(215.43))
        assert lot.updated_by == "aigerim" and lot.updated_at >= updated_at
        assert lot.version > version


@pytest.mark.parametrize(("weight", "code"), [
    (None, "tsw_missing"), (0.0, "tsw_out_of_range"), (-4.0, "tsw_out_of_range"),
    (5000.01, "tsw_out_of_range"), (50.125, "tsw_decimals")])
def test_a_weight_out_of_the_field_is_refused(database: db.Database, weight: float | None,
                                              code: str) -> None:
    """Zero, negative, over 5,000 g or more than 2 decimals: refused, the lot unchanged."""
    lot_id = lot_held_in_both_units_without_weight(database)
    with pytest.raises(Refused) as refusal, database.session_factory.begin() as session:
        seed_lots.set_thousand_seed_weight(session, lot_id, weight_g=weight)
    assert refusal.value.code == code
    with database.session_factory() as session:
        assert seed_lots.get_lot(session, lot_id).thousand_seed_weight_g is None


def test_a_correction_replaces_the_weight_and_a_discarded_lot_is_refused(
        database: db.Database) -> None:
    """A lot weighed again is corrected; a discarded lot's weight no longer changes."""
    lot_id = lot_held_in_both_units_without_weight(database)
    with database.session_factory.begin() as session:
        seed_lots.set_thousand_seed_weight(session, lot_id, weight_g=50.1)
        corrected = seed_lots.set_thousand_seed_weight(session, lot_id, weight_g=49.8)
        seed_lots.discard(session, lot_id, on=TODAY, reason="mouldy", today=TODAY)
    assert (corrected.before_g, corrected.after_g) == (50.1, 49.8)
    with pytest.raises(Refused, match="lot L-1 is discarded"), \
            database.session_factory.begin() as session:
        seed_lots.set_thousand_seed_weight(session, lot_id, weight_g=51.0)
