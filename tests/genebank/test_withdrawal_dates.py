"""A withdrawal is dated like every other event (QA findings 6 and 20): not before the
accession was acquired nor before its lots were last stored, used or tested; and once it is
withdrawn, its lots take nothing dated after its withdrawal but a recount, a move or a
discard. Each refusal is coded and writes nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import (
    corrections,
    regenerations,
    seed_lots,
    seed_tests,
    storage_locations,
)
from genebank.conservation.seed_tests import Replicate
from genebank.demo import demo
from genebank.models import Accession, GerminationTest, LotTransaction, SeedLot
from genebank.passport import withdrawals
from genebank.services.refusals import Refused

TODAY = dt.date(2026, 11, 23)
STORED = dt.date(2020, 3, 2)
WITHDRAWN = dt.date(2025, 6, 30)


def _lot(session: Session, accession_id: int = 1) -> int:
    """Accession ``accession_id`` acquired in November 1990, with a lot stored in 2020 and
    tested in 2024."""
    session.get(Accession, accession_id).acqdate = "199011--"
    lot_id = seed_lots.create_lot(session, accession_id=accession_id,
                                  lot_number=f"L-{accession_id}", storage_type="base",
                                  stored_on=STORED, seeds=5000, today=TODAY)
    seed_tests.record_germination(session, lot_id, tested_on=dt.date(2024, 5, 6),
                                  replicates=[Replicate(sown=100, normal=90, dead=10)],
                                  today=TODAY)
    return lot_id


def _refused(database: db.Database, work, code: str) -> Refused:  # type: ignore[no-untyped-def]
    """``work(session)`` is refused with ``code`` and leaves the database as it was."""
    with database.session_factory() as session:
        before = session.scalar(select(func.count()).select_from(LotTransaction))
        versions = list(session.scalars(select(Accession.version).order_by(Accession.id)))
        with pytest.raises(Refused) as refused:
            work(session)
        session.rollback()
        assert refused.value.code == code
        assert session.scalar(select(func.count()).select_from(LotTransaction)) == before
        assert list(session.scalars(select(Accession.version).order_by(Accession.id))) \
            == versions
    return refused.value


def test_a_withdrawal_is_not_dated_before_the_acquisition_or_the_lots_last_use(
        database: db.Database) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=2, lots=False, today=TODAY)
        _lot(session)
    refused = _refused(database, lambda session: withdrawals.withdraw_accession(
        session, "KAZ001:DEMO-0000001", on=dt.date(1900, 1, 1), reason="lost", today=TODAY),
        "withdrawal_before_acquisition")
    assert str(refused) == ("the withdrawal date 1900-01-01 is before KAZ001:DEMO-0000001 was "
                            "acquired (1990-11): an accession leaves the collection after it "
                            "came in")
    # Between the acquisition and the lot's test of 2024-05-06: refused, with the lot named.
    refused = _refused(database, lambda session: withdrawals.withdraw_accession(
        session, 1, on=dt.date(2024, 5, 5), reason="dead", today=TODAY),
        "withdrawal_before_lot_use")
    assert refused.params["since"] == dt.date(2024, 5, 6)
    assert "lot L-1 of KAZ001:DEMO-0000001" in str(refused)
    # The test voided, the lot's storage is its last use.
    with database.session_factory.begin() as session:
        test_id = session.scalar(select(GerminationTest.id))
        corrections.void_germination_test(session, test_id, reason="entered on the wrong lot")
    refused = _refused(database, lambda session: withdrawals.withdraw_accession(
        session, 1, on=STORED - dt.timedelta(days=1), reason="dead", today=TODAY),
        "withdrawal_before_lot_use")
    assert refused.params["since"] == STORED
    # On the day of the last use itself, and on an accession without lots: taken.
    with database.session_factory.begin() as session:
        withdrawals.withdraw_accession(session, 1, on=STORED, reason="dead", today=TODAY)
        withdrawals.withdraw_accession(session, 2, on=dt.date(1999, 1, 1), reason="lost",
                                       today=TODAY)


def test_an_acquisition_date_known_to_the_month_or_year_counts_from_its_first_day() -> None:
    assert withdrawals.earliest_day("19901105") == dt.date(1990, 11, 5)
    assert withdrawals.earliest_day("199011--") == dt.date(1990, 11, 1)
    assert withdrawals.earliest_day("1990----") == dt.date(1990, 1, 1)
    assert withdrawals.earliest_day("--------") is None
    assert withdrawals.earliest_day(None) is None
    assert withdrawals.earliest_day("19900231") is None  # not a day: nothing is checked


def test_a_withdrawn_accessions_lots_take_nothing_dated_after_its_withdrawal(
        database: db.Database) -> None:
    """Distribution, test, moisture test, safety duplicate, regeneration and a new lot are
    refused after the withdrawal day; a late entry of that day, a recount, a move and a
    discard are taken; reinstated, the lot is used again."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=2, lots=False, today=TODAY)
        lot_id = _lot(session)
        place = storage_locations.add_location(session, "Cold room 2", storage_type="base")
        regeneration_id = regenerations.plan_regeneration(
            session, source_lot_id=lot_id, site="Almaty", planned_on=dt.date(2025, 4, 1),
            today=TODAY)
        withdrawals.withdraw_accession(session, 1, on=WITHDRAWN, reason="lost", today=TODAY)
    after = WITHDRAWN + dt.timedelta(days=1)
    uses = {
        "distribution": lambda s: seed_lots.withdraw(s, lot_id, kind="distributed", on=after,
                                                     seeds=10, reason="SMTA 99", today=TODAY),
        "germination": lambda s: seed_tests.record_germination(
            s, lot_id, tested_on=TODAY, replicates=[Replicate(sown=50, normal=45, dead=5)],
            today=TODAY),
        "sown test": lambda s: seed_tests.start_germination(s, lot_id, tested_on=TODAY,
                                                           sown=[50], today=TODAY),
        "moisture": lambda s: seed_tests.record_moisture(s, lot_id, tested_on=TODAY,
                                                         moisture_pct=5.0, today=TODAY),
        "duplicate": lambda s: regenerations.send_safety_duplicate(
            s, lot_id=lot_id, institute_code="NOR051", sent_on=TODAY, seeds=100, today=TODAY),
        "regeneration": lambda s: regenerations.plan_regeneration(
            s, source_lot_id=lot_id, site="Almaty", planned_on=TODAY, seeds=100, today=TODAY),
        "sowing": lambda s: regenerations.record_sowing(s, regeneration_id, sown_on=after,
                                                        today=TODAY),
        "new lot": lambda s: seed_lots.create_lot(
            s, accession_id=1, lot_number="L-NEW", storage_type="active", stored_on=TODAY,
            seeds=100, today=TODAY),
    }
    for name, use in uses.items():
        refused = _refused(database, use, "lot_accession_withdrawn")
        assert refused.params["on"] == WITHDRAWN, name
    assert str(refused).startswith(
        "KAZ001:DEMO-0000001 was withdrawn on 2025-06-30 (lost): nothing dated after that "
        f"({TODAY}) can be taken from or recorded on its lot L-NEW")
    with database.session_factory.begin() as session:
        # What happened on the withdrawal day, entered late; then the store's bookkeeping.
        seed_lots.withdraw(session, lot_id, kind="distributed", on=WITHDRAWN, seeds=10,
                           reason="SMTA 98", today=TODAY)
        seed_lots.correct(session, lot_id, on=TODAY, seeds=-90, reason="recount",
                          today=TODAY)
        seed_lots.move(session, lot_id, to_location_id=place, on=TODAY, today=TODAY)
    with database.session_factory() as session:
        lot = session.get(SeedLot, lot_id)
        assert (lot.seeds_on_hand, lot.location_id) == (5000 - 100 - 10 - 90, place)
    # Reinstated (a mistake), the lot is used again; withdrawn again, it is discarded.
    with database.session_factory.begin() as session:
        withdrawals.reinstate_accession(session, 1)
        seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=10,
                           reason="SMTA 100", today=TODAY)
        withdrawals.withdraw_accession(session, 1, on=TODAY, reason="dead", today=TODAY)
    with database.session_factory.begin() as session:
        seed_lots.discard(session, lot_id, on=TODAY, reason="dead seeds thrown away",
                          today=TODAY)
    with database.session_factory() as session:
        assert session.get(SeedLot, lot_id).status == "discarded"
