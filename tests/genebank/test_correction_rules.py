"""Corrections keep the rules of a new record (QA session 6, findings 1, 16 and 17): a
recount corrected keeps the sign it is given, a ledger line or a regeneration corrected keeps
the date rules of a new one, and a germination test still to count is corrected as one; on
SQLite and PostgreSQL. Every refusal leaves the records as they were."""

from __future__ import annotations

import datetime as dt

import pytest

from genebank import db
from genebank.conservation import (
    conservation_view,
    corrections,
    regenerations,
    seed_lots,
    seed_tests,
    worklists,
)
from genebank.models import GerminationTest, LotTransaction, Regeneration
from genebank.services.refusals import Refused
from tests.genebank.test_seed_lots import STORED, TODAY, accession, new_lot


def _lot(database: db.Database, lot_id: int) -> tuple[str, int | None, float | None]:
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        return lot.status, lot.seeds_on_hand, lot.grams_on_hand


def _live_lines(database: db.Database, lot_id: int) -> list[tuple[str, int | None,
                                                                  float | None]]:
    with database.session_factory() as session:
        return [(line.kind, line.seeds, line.grams)
                for line in seed_lots.ledger(session, lot_id)]


def test_a_recount_corrected_keeps_the_sign_it_is_given(database: db.Database) -> None:
    """A recount of 50 fewer seeds was really 30 fewer: corrected to -30 the lot holds 30
    fewer than stored, not 30 more; a recount may also turn out to be more (+20). A
    withdrawal is still given as a positive amount and stays a withdrawal; a negative
    amount for it is refused."""
    lot_id = new_lot(database, accession(database), seeds=5000, thousand_seed_weight_g=36.9)
    assert _lot(database, lot_id) == ("active", 5000, 184.5)
    with database.session_factory.begin() as session:
        recount = seed_lots.correct(session, lot_id, on=TODAY, seeds=-50,
                                    reason="recount found 50 fewer", today=TODAY)
    assert _lot(database, lot_id) == ("active", 4950, 182.655)
    with database.session_factory.begin() as session:
        fixed = corrections.correct_ledger_line(session, recount, seeds=-30,
                                                reason="really 30 fewer", today=TODAY)
    assert _lot(database, lot_id) == ("active", 4970, 183.393)
    assert _live_lines(database, lot_id) == [("stored", 5000, 184.5),
                                             ("correction", -30, -1.107)]
    with database.session_factory.begin() as session:
        corrections.correct_ledger_line(session, fixed.new_id, grams=0.738,
                                        reason="the jar held 20 more", today=TODAY)
    assert _lot(database, lot_id) == ("active", 5020, 185.238)
    assert _live_lines(database, lot_id)[-1] == ("correction", 20, 0.738)

    with database.session_factory.begin() as session:
        sent = seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=100,
                                  reason="SMTA 7", today=TODAY)
    with pytest.raises(Refused) as negative, database.session_factory.begin() as session:
        corrections.correct_ledger_line(session, sent, seeds=-80, reason="80", today=TODAY)
    assert negative.value.code == "correction_amount_missing"
    with database.session_factory.begin() as session:
        corrections.correct_ledger_line(session, sent, seeds=80, reason="80 were sent",
                                        today=TODAY)
    assert _lot(database, lot_id)[1] == 5020 - 80
    assert _live_lines(database, lot_id)[-1] == ("distributed", -80, -2.952)


def test_a_ledger_line_corrected_keeps_the_date_rules_of_a_new_line(
        database: db.Database) -> None:
    """A corrected line may not be dated after today nor before its lot was stored (as a
    new line may not); the line that stored the lot keeps the lot's storage day; a line of a
    discarded lot is not corrected (void the discard first). Nothing is saved then."""
    lot_id = new_lot(database, accession(database), seeds=5000)
    with database.session_factory.begin() as session:
        line = seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=250,
                                  reason="SMTA 2026-17", today=TODAY)
        stored = seed_lots.ledger(session, lot_id)[0].id
    cases = (
        (line, TODAY + dt.timedelta(days=1), "transaction_date_in_future"),
        (line, dt.date(2031, 1, 1), "transaction_date_in_future"),
        (line, STORED - dt.timedelta(days=1), "transaction_before_stored"),
        (line, dt.date(1900, 1, 1), "transaction_before_stored"),
        (stored, STORED + dt.timedelta(days=3), "ledger_line_stored_date"),
    )
    for line_id, day, code in cases:
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            corrections.correct_ledger_line(session, line_id, seeds=200, on=day,
                                            reason="dated wrong", today=TODAY)
        assert refused.value.code == code, day
    assert _live_lines(database, lot_id) == [("stored", 5000, None),
                                             ("distributed", -250, None)]
    with database.session_factory() as session:
        assert all(not entry.voided for entry in
                   seed_lots.ledger(session, lot_id, with_void=True))

    with database.session_factory.begin() as session:  # the allowed dates still are
        done = corrections.correct_ledger_line(session, line, seeds=200, on=STORED,
                                               reason="sent the day it was stored",
                                               today=TODAY)
        corrections.correct_ledger_line(session, stored, seeds=5100, on=STORED,
                                        reason="recounted", today=TODAY)
    assert _lot(database, lot_id) == ("active", 4900, None)
    with database.session_factory() as session:
        assert session.get(LotTransaction, done.new_id).occurred_on == STORED

    with database.session_factory.begin() as session:
        seed_lots.discard(session, lot_id, on=TODAY, reason="mouldy", today=TODAY)
    with pytest.raises(Refused) as discarded, database.session_factory.begin() as session:
        corrections.correct_ledger_line(session, done.new_id, seeds=150, reason="150",
                                        today=TODAY)
    assert discarded.value.code == "lot_discarded"
    assert _lot(database, lot_id) == ("discarded", 0, None)


def _regeneration(database: db.Database, lot_id: int, *, sown: dt.date | None = None,
                  harvested: dt.date | None = None, failed: dt.date | None = None) -> int:
    with database.session_factory.begin() as session:
        event = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Field 3",
                                                planned_on=dt.date(2025, 4, 1), today=TODAY)
        if sown:
            regenerations.record_sowing(session, event, sown_on=sown, plants=40, today=TODAY)
        if harvested:
            regenerations.record_harvest(session, event, harvested_on=harvested,
                                         lot_number=f"H-{event}", storage_type="base",
                                         seeds=900, today=TODAY)
        if failed:
            regenerations.record_failure(session, event, notes="hail", on=failed, today=TODAY)
        return event


def test_a_regeneration_corrected_keeps_the_date_rules_of_a_new_one(
        database: db.Database) -> None:
    """A corrected regeneration is not sown after today, nor on or after its harvest, nor
    after it failed; one not sown yet gets its sowing recorded, not corrected in (a
    correction keeps its status), and one sown keeps a sowing date. Nothing is saved then;
    a correction within the rules is."""
    lot_id = new_lot(database, accession(database), seeds=5000)
    harvested = _regeneration(database, lot_id, sown=dt.date(2025, 4, 10),
                              harvested=dt.date(2025, 9, 1))
    failed = _regeneration(database, lot_id, sown=dt.date(2025, 4, 12),
                           failed=dt.date(2025, 6, 1))
    planned = _regeneration(database, lot_id)
    in_field = _regeneration(database, lot_id, sown=dt.date(2026, 5, 2))
    cases = (
        (harvested, TODAY, "not_before"),  # sown after its harvest (finding 16)
        (harvested, dt.date(2025, 9, 1), "harvest_same_day"),
        (failed, dt.date(2025, 6, 2), "not_before"),
        (in_field, TODAY + dt.timedelta(days=1), "future_date"),
        (planned, dt.date(2025, 4, 3), "regeneration_not_sown"),
        (in_field, None, "regeneration_sowing_missing"),
    )
    for event, sown_on, code in cases:
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            corrections.correct_regeneration(session, event, site="Field 3",
                                             planned_on=dt.date(2025, 4, 1), sown_on=sown_on,
                                             plants=40, reason="dates", today=TODAY)
        assert refused.value.code == code, (event, sown_on)
    with database.session_factory() as session:
        assert all(not r.voided for r in
                   conservation_view.regenerations(session, seed_lots.get_lot(
                       session, lot_id).accession_id))

    with database.session_factory.begin() as session:
        done = corrections.correct_regeneration(
            session, harvested, site="Field 3", planned_on=dt.date(2025, 4, 1),
            sown_on=dt.date(2025, 4, 20), plants=38, reason="sown ten days later",
            today=TODAY)
    with database.session_factory() as session:
        new = session.get(Regeneration, done.new_id)
        assert new is not None
        assert (new.status, new.sown_on, new.harvested_on, new.plants) == (
            "harvested", dt.date(2025, 4, 20), dt.date(2025, 9, 1), 38)


def test_a_germination_test_still_to_count_is_corrected_as_one(database: db.Database) -> None:
    """A test recorded as sown on the wrong day is corrected as a test still to count (its
    seeds sown only): the new one waits to be counted in its place, its seeds are taken once,
    and the old one is void; its date keeps the rules of a new test."""
    lot_id = new_lot(database, accession(database), seeds=5000)
    with database.session_factory.begin() as session:
        sown = seed_tests.start_germination(session, lot_id, tested_on=TODAY, sown=[50, 50],
                                            method="between paper", today=TODAY)
    query = worklists.WorkQuery(worklists.TESTS_TO_COUNT, TODAY)
    with database.session_factory() as session:
        assert worklists.count(session, query) == 1
        version = session.get(GerminationTest, sown).version
    with pytest.raises(Refused) as future, database.session_factory.begin() as session:
        corrections.correct_germination_test(session, sown, tested_on=TODAY +
                                             dt.timedelta(days=2), sown=[50, 50],
                                             reason="sown later", today=TODAY)
    assert future.value.code == "test_date_in_future"
    with database.session_factory.begin() as session:
        done = corrections.correct_germination_test(
            session, sown, tested_on=TODAY - dt.timedelta(days=1), sown=[50, 50, 50],
            method="between paper", reason="sown the day before, three trays",
            expected_version=version, today=TODAY)
    assert _lot(database, lot_id) == ("active", 4850, None)
    with database.session_factory() as session:
        assert worklists.count(session, query) == 1
        new = session.get(GerminationTest, done.new_id)
        old = session.get(GerminationTest, sown)
        assert new is not None and old is not None
        assert (new.status, new.tested_on, new.corrects_id, new.voided_at) == (
            "in_progress", TODAY - dt.timedelta(days=1), sown, None)
        assert [r.sown for r in new.replicates] == [50, 50, 50]
        assert old.voided_at is not None
        assert seed_lots.get_lot(session, lot_id).last_viability_pct is None
    with database.session_factory.begin() as session:  # and it is counted as any other
        seed_tests.complete_germination(session, done.new_id,
                                        replicates=[seed_tests.Replicate(50, 45, 5)] * 3,
                                        counted_on=TODAY, today=TODAY)
    with database.session_factory() as session:
        assert seed_lots.get_lot(session, lot_id).last_viability_pct == 90.0
        assert worklists.count(session, query) == 0


def test_a_withdrawal_corrected_to_after_the_accessions_withdrawal_is_refused(
        database: db.Database) -> None:
    """As a new distribution is: a lot of a withdrawn accession gives nothing dated after the
    withdrawal day (QA finding 20); a correction within the days it was held is taken."""
    from genebank.passport import withdrawals

    accession_id = accession(database)
    lot_id = new_lot(database, accession_id, seeds=5000)
    sent = STORED + dt.timedelta(days=10)
    with database.session_factory.begin() as session:
        line = seed_lots.withdraw(session, lot_id, kind="distributed", on=sent, seeds=250,
                                  reason="SMTA 2025-3", today=TODAY)
        withdrawals.withdraw_accession(session, accession_id, on=STORED + dt.timedelta(days=20),
                                       reason="lost", today=TODAY)
    with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
        corrections.correct_ledger_line(session, line, seeds=250, reason="sent later",
                                        on=STORED + dt.timedelta(days=30), today=TODAY)
    assert refused.value.code == "lot_accession_withdrawn"
    assert _live_lines(database, lot_id) == [("stored", 5000, None),
                                             ("distributed", -250, None)]
    with database.session_factory.begin() as session:
        corrections.correct_ledger_line(session, line, seeds=200, reason="200 sent",
                                        on=STORED + dt.timedelta(days=15), today=TODAY)
    assert _lot(database, lot_id) == ("active", 4800, None)
