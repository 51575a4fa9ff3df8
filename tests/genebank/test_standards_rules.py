"""Rules the FAO Genebank Standards imply, through the services (SQLite and PostgreSQL):
a germination test counts only once counted in full, certificates wait until after the
course's last day, a harvest comes after its sowing, and no event that has happened is dated
after today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import (
    conservation_view,
    regenerations,
    seed_lots,
    seed_tests,
    storage_locations,
    worklists,
)
from genebank.conservation.seed_tests import Replicate
from genebank.conservation.worklists import WorkQuery
from genebank.models import GerminationReplicate, GerminationTest, LotTransaction
from genebank.passport import accessions
from genebank.services.errors import ServiceError
from genebank.services.refusals import Refused
from genebank.training import certificates, courses, enrolments, participants
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
TOMORROW = TODAY + dt.timedelta(days=1)


def a_lot(database: db.Database, seeds: int = 5000) -> int:
    with database.session_factory.begin() as session:
        accession_id = accessions.create_accession(
            session, values=passport_values(ACCENUMB="KZ-0001")).id
        return seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-0001",
                                    storage_type="base", stored_on=dt.date(2025, 1, 15),
                                    seeds=seeds, today=TODAY)


def test_an_uncounted_test_sets_no_viability_and_waits_to_be_counted(
        database: db.Database) -> None:
    """A test sown but not counted uses its seeds, sets no viability, and is listed to
    count; counting it in full sets the lot's initial and last viability."""
    lot_id = a_lot(database)
    with database.session_factory.begin() as session:
        test_id = seed_tests.start_germination(session, lot_id, tested_on=dt.date(2026, 11, 16),
                                               sown=[50, 50, 50, 50], method="BP 20 °C",
                                               today=TODAY)
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        assert (lot.initial_viability_pct, lot.last_viability_pct, lot.last_tested_on) == \
            (None, None, None)
        assert lot.seeds_on_hand == 4800  # the seeds are in the germinator
        test = session.get(GerminationTest, test_id)
        assert (test.status, test.germination_pct) == ("in_progress", None)
        assert [(r.sown, r.normal, r.hard) for r in test.replicates] == [(50, None, None)] * 4
        items = worklists.page(session, WorkQuery(worklists.TESTS_TO_COUNT, TODAY))
        assert [(i.lot_number, i.reason) for i in items] == [
            ("L-0001", "germination test sown 2026-11-16 (7 days ago, 200 seeds): not yet "
                       "counted")]
        assert worklists.overview(session, today=TODAY)[worklists.TESTS_TO_COUNT] == 1
    with database.session_factory.begin() as session:
        seed_tests.complete_germination(
            session, test_id, counted_on=dt.date(2026, 11, 23), today=TODAY,
            replicates=[Replicate(50, 46, 2, 1, 1, 0), Replicate(50, 45, 1, 2, 0, 2),
                        Replicate(50, 47, 1, 1, 1, 0), Replicate(50, 44, 3, 1, 1, 1)])
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, lot_id)
        assert (lot.initial_viability_pct, lot.last_viability_pct, lot.last_tested_on) == \
            (91.0, 91.0, dt.date(2026, 11, 16))
        assert lot.seeds_on_hand == 4800  # debited once, at sowing
        test = session.get(GerminationTest, test_id)
        assert (test.status, test.counted_on) == ("complete", TODAY)
        assert [r.hard for r in test.replicates] == [0, 2, 0, 1]
        assert worklists.count(session, WorkQuery(worklists.TESTS_TO_COUNT, TODAY)) == 0


def test_an_earlier_test_counted_later_becomes_the_initial_viability(
        database: db.Database) -> None:
    """Initial viability is the earliest counted test, whichever is counted first."""
    lot_id = a_lot(database)
    with database.session_factory.begin() as session:
        first = seed_tests.start_germination(session, lot_id, tested_on=dt.date(2025, 2, 1),
                                             sown=[100], today=TODAY)
        seed_tests.record_germination(session, lot_id, tested_on=dt.date(2026, 3, 1),
                                      replicates=[Replicate(100, 80, 10, 5, 5)], today=TODAY)
        assert seed_lots.get_lot(session, lot_id).initial_viability_pct == 80.0
        seed_tests.complete_germination(session, first, counted_on=dt.date(2025, 2, 10),
                                        replicates=[Replicate(100, 95, 3, 2)], today=TODAY)
        lot = seed_lots.get_lot(session, lot_id)
        assert (lot.initial_viability_pct, lot.last_viability_pct) == (95.0, 80.0)
        assert [f.rule for f in session.scalars(select(seed_lots.LotFlag).where(
            seed_lots.LotFlag.lot_id == lot_id))] == ["regenerate_viability"]


@pytest.mark.parametrize(("replicates", "message"), [
    ([Replicate(50, 40)], "replicate 1: normal 40 + abnormal 0 + dead 0 + fresh ungerminated "
                          "0 + hard 0 = 40, but 50 seeds were sown"),
    ([Replicate(50, 45, 2, 1, 1, 1), Replicate(50, 45, 2, 2, 1, 1)],
     "replicate 2: normal 45 + abnormal 2 + dead 2 + fresh ungerminated 1 + hard 1 = 51, "
     "but 50 seeds were sown"),
    ([Replicate(50, 52, -2)], "replicate 1: counts cannot be negative"),
    ([Replicate(0, 0)], "replicate 1: the number of seeds sown must be more than 0"),
    ([], "a germination test needs at least one replicate"),
])
def test_a_replicate_that_does_not_add_up_is_refused(
        database: db.Database, replicates: list[Replicate], message: str) -> None:
    """Counts short of or beyond the seeds sown are refused, and nothing is saved."""
    lot_id = a_lot(database)
    with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
        seed_tests.record_germination(session, lot_id, tested_on=TODAY,
                                      replicates=replicates, today=TODAY)
    assert message in str(refused.value)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(GerminationTest)) == 0
        assert seed_lots.get_lot(session, lot_id).seeds_on_hand == 5000


def test_counting_a_test_checks_its_replicates_and_dates(database: db.Database) -> None:
    """A count must match the replicates sown, fall between sowing and today, and a
    complete test cannot be counted again."""
    lot_id = a_lot(database)
    with database.session_factory.begin() as session:
        test_id = seed_tests.start_germination(session, lot_id, tested_on=dt.date(2026, 11, 16),
                                               sown=[50, 50], today=TODAY)
    full = [Replicate(50, 45, 5), Replicate(50, 44, 6)]
    cases: list[tuple[Callable[[Session], object], str]] = [
        (lambda s: seed_tests.complete_germination(
            s, test_id, counted_on=TODAY, replicates=[Replicate(50, 45, 5)], today=TODAY),
         "this test was sown as 2 replicates of 50, 50 seeds; the counts given are for 1 "
         "replicates of 50"),
        (lambda s: seed_tests.complete_germination(
            s, test_id, counted_on=dt.date(2026, 11, 15), replicates=full, today=TODAY),
         "the count date 2026-11-15 is before the sowing date 2026-11-16"),
        (lambda s: seed_tests.complete_germination(
            s, test_id, counted_on=TOMORROW, replicates=full, today=TODAY),
         "the count date 2026-11-24 is after today (2026-11-23)"),
        (lambda s: seed_tests.complete_germination(
            s, test_id, counted_on=TODAY, replicates=[Replicate(50, 45), full[1]],
            today=TODAY), "replicate 1: normal 45 + abnormal 0"),
    ]
    for action, message in cases:
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            action(session)
        assert message in str(refused.value)
    with database.session_factory.begin() as session:
        seed_tests.complete_germination(session, test_id, counted_on=TODAY, replicates=full,
                                        today=TODAY)
    with pytest.raises(Refused, match="complete already"), \
            database.session_factory.begin() as session:
        seed_tests.complete_germination(session, test_id, counted_on=TODAY, replicates=full,
                                        today=TODAY)


def a_course_in_progress(session: Session) -> tuple[int, int]:
    """A five-day course from 2026-11-19 to 2026-11-23 and a participant who attended
    its first four days (80 %: completed)."""
    programme = courses.add_programme(session, name="Development of National Gene Banks")
    course = courses.save_course(session, programme_id=programme, title="Seed viability",
                                 start_on=dt.date(2026, 11, 19), end_on=dt.date(2026, 11, 23),
                                 venue_city="Dakar", venue_country="SEN",
                                 host_name="ISRA gene bank")
    person = participants.save_participant(session, full_name="Moussa Diallo", gender="male",
                                           country="SEN", institution="ISRA")
    enrolment = enrolments.enrol(session, course_id=course, participant_id=person)
    for day in range(19, 23):
        enrolments.set_attendance(session, enrolment, dt.date(2026, 11, day), True,
                                  today=dt.date(2026, 11, 22))
    enrolments.set_status(session, enrolment, "completed")
    return course, enrolment


def test_certificates_wait_until_after_the_course_s_last_day(database: db.Database) -> None:
    """Before and on the last day a certificate is refused, saying from which date it can be
    issued; the day after the last day it is issued; an issue date after today is refused."""
    with database.session_factory.begin() as session:
        course, enrolment = a_course_in_progress(session)
    refusals = [
        (lambda s: certificates.issue_for_course(s, course, today=dt.date(2026, 11, 22)),
         "'Seed viability' ends on 2026-11-23: its certificates can be issued from 2026-11-24 "
         "(the day after its last day) on, not on 2026-11-22"),
        (lambda s: certificates.issue(s, enrolment, today=dt.date(2026, 11, 23)),
         "from 2026-11-24 (the day after its last day) on, not on 2026-11-23"),
        (lambda s: certificates.issue_for_course(s, course, today=dt.date(2026, 11, 23)),
         "not on 2026-11-23"),
        (lambda s: certificates.issue(s, enrolment, on=dt.date(2026, 11, 25),
                                      today=dt.date(2026, 11, 24)),
         "the certificate issue date 2026-11-25 is after today (2026-11-24)"),
    ]
    for action, message in refusals:
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            action(session)
        assert message in str(refused.value)
    with database.session_factory() as session:
        assert certificates.register(session) == []
    with database.session_factory.begin() as session:
        issued = certificates.issue_for_course(session, course, today=dt.date(2026, 11, 24))
        assert len(issued) == 1
        assert [r.issued_on for r in certificates.register(session)] == [dt.date(2026, 11, 24)]


def test_attendance_is_not_taken_for_a_day_to_come(database: db.Database) -> None:
    """A participant cannot be marked present on a day that has not come; absent can."""
    with database.session_factory.begin() as session:
        _course, enrolment = a_course_in_progress(session)
    with pytest.raises(Refused, match="the attendance date 2026-11-23 is after today"), \
            database.session_factory.begin() as session:
        enrolments.set_attendance(session, enrolment, dt.date(2026, 11, 23), True,
                                  today=dt.date(2026, 11, 22))
    with database.session_factory.begin() as session:
        enrolments.set_attendance(session, enrolment, dt.date(2026, 11, 22), False,
                                  today=dt.date(2026, 11, 22))
        assert enrolments.attendance(session, _course)[enrolment] == {
            dt.date(2026, 11, day) for day in (19, 20, 21)}


def test_a_harvest_comes_after_its_sowing(database: db.Database) -> None:
    """A harvest on the sowing day, before it, or without a recorded sowing is refused."""
    lot_id = a_lot(database)
    with database.session_factory.begin() as session:
        event = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Almaty 3",
                                                planned_on=dt.date(2026, 4, 1), seeds=150,
                                                today=TODAY)

    def harvest(day: dt.date) -> Callable[[Session], object]:
        return lambda s: regenerations.record_harvest(
            s, event, harvested_on=day, lot_number="L-0002", storage_type="base",
            seeds=9000, today=TODAY)

    with pytest.raises(Refused, match="record the sowing of this regeneration before its "
                                      "harvest"), database.session_factory.begin() as session:
        harvest(dt.date(2026, 8, 20))(session)
    with database.session_factory.begin() as session:
        regenerations.record_sowing(session, event, sown_on=dt.date(2026, 4, 10), today=TODAY)
    for day, message in ((dt.date(2026, 4, 10), "the harvest date 2026-04-10 is the sowing "
                                                "date: a harvest comes after the sowing"),
                         (dt.date(2026, 4, 9), "the harvest date 2026-04-09 is before the "
                                               "sowing date 2026-04-10")):
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            harvest(day)(session)
        assert message in str(refused.value)
    with database.session_factory.begin() as session:
        harvest(dt.date(2026, 4, 11))(session)


def test_a_failure_and_a_confirmed_receipt_keep_their_day(database: db.Database) -> None:
    """A regeneration fails on a day not before its sowing; a safety duplicate's receipt
    is confirmed on a day not before it was sent; both days are kept and shown."""
    lot_id = a_lot(database)
    with database.session_factory.begin() as session:
        event = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Almaty 3",
                                                planned_on=dt.date(2026, 4, 1), today=TODAY)
        regenerations.record_sowing(session, event, sown_on=dt.date(2026, 4, 10), today=TODAY)
        duplicate = regenerations.send_safety_duplicate(
            session, lot_id=lot_id, institute_code="NOR051", sent_on=dt.date(2026, 10, 1),
            seeds=500, box_reference="B-7", today=TODAY)
    refusals = [
        (lambda s: regenerations.record_failure(s, event, notes="drought",
                                                on=dt.date(2026, 4, 9), today=TODAY),
         "the failure date 2026-04-09 is before the sowing date 2026-04-10"),
        (lambda s: regenerations.set_duplicate_status(s, duplicate, "confirmed",
                                                      on=dt.date(2026, 9, 30), today=TODAY),
         "the confirmation date 2026-09-30 is before the sending date 2026-10-01"),
    ]
    for action, message in refusals:
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            action(session)
        assert message in str(refused.value)
    with database.session_factory.begin() as session:
        regenerations.record_failure(session, event, notes="drought", on=dt.date(2026, 7, 2),
                                     today=TODAY)
        regenerations.set_duplicate_status(session, duplicate, "confirmed",
                                           on=dt.date(2026, 11, 2), today=TODAY)
    with database.session_factory() as session:
        (line,) = conservation_view.regenerations(session, seed_lots.get_lot(
            session, lot_id).accession_id)
        assert (line.status, line.failed_on) == ("failed", dt.date(2026, 7, 2))
        assert conservation_view.lot_history(session, lot_id).duplicates[0][1] == (
            "NOR051: 500 seeds, confirmed 2026-11-02 (sent 2026-10-01), box B-7")


def test_no_event_that_has_happened_is_dated_after_today(database: db.Database) -> None:
    """Every service that records a past event refuses tomorrow's date, and saves nothing."""
    lot_id = a_lot(database)
    with database.session_factory.begin() as session:
        place = storage_locations.add_location(session, "Cold room 1")
        event = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Almaty",
                                                planned_on=dt.date(2026, 4, 1), today=TODAY)
        sown = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Almaty",
                                               planned_on=dt.date(2026, 4, 1), today=TODAY)
        regenerations.record_sowing(session, sown, sown_on=dt.date(2026, 4, 10), today=TODAY)
        accession_id = seed_lots.get_lot(session, lot_id).accession_id
        in_progress = seed_tests.start_germination(session, lot_id, tested_on=TODAY,
                                                   sown=[50], today=TODAY)
        duplicate = regenerations.send_safety_duplicate(
            session, lot_id=lot_id, institute_code="NOR051", sent_on=TODAY, seeds=500,
            today=TODAY)
        course, enrolment = a_course_in_progress(session)
    later = TOMORROW
    events: list[Callable[[Session], object]] = [
        lambda s: seed_lots.create_lot(s, accession_id=accession_id, lot_number="L-9",
                                       storage_type="base", stored_on=later, seeds=10,
                                       today=TODAY),
        lambda s: seed_lots.withdraw(s, lot_id, kind="distributed", on=later, seeds=10,
                                     today=TODAY),
        lambda s: seed_lots.correct(s, lot_id, on=later, seeds=-1, reason="recount",
                                    today=TODAY),
        lambda s: seed_lots.move(s, lot_id, to_location_id=place, on=later, today=TODAY),
        lambda s: seed_lots.discard(s, lot_id, on=later, reason="mouldy", today=TODAY),
        lambda s: seed_tests.record_germination(s, lot_id, tested_on=later,
                                                replicates=[Replicate(50, 50)], today=TODAY),
        lambda s: seed_tests.record_germination(s, lot_id, tested_on=TODAY, counted_on=later,
                                                replicates=[Replicate(50, 50)], today=TODAY),
        lambda s: seed_tests.start_germination(s, lot_id, tested_on=later, sown=[50],
                                               today=TODAY),
        lambda s: seed_tests.complete_germination(s, in_progress, counted_on=later,
                                                  replicates=[Replicate(50, 50)], today=TODAY),
        lambda s: seed_tests.record_moisture(s, lot_id, tested_on=later, moisture_pct=6.0,
                                             today=TODAY),
        lambda s: regenerations.send_safety_duplicate(s, lot_id=lot_id, institute_code="NOR051",
                                                      sent_on=later, seeds=500, today=TODAY),
        lambda s: regenerations.record_sowing(s, event, sown_on=later, today=TODAY),
        lambda s: regenerations.record_failure(s, sown, notes="drought", on=later,
                                               today=TODAY),
        lambda s: regenerations.set_duplicate_status(s, duplicate, "confirmed", on=later,
                                                     today=TODAY),
        lambda s: regenerations.record_harvest(s, sown, harvested_on=later, lot_number="L-8",
                                               storage_type="base", seeds=10, today=TODAY),
        lambda s: enrolments.set_attendance(s, enrolment, dt.date(2026, 11, 23), True,
                                            today=dt.date(2026, 11, 22)),
        lambda s: certificates.issue_for_course(s, course, on=later, today=TODAY),
    ]
    with database.session_factory() as session:
        before = (session.scalar(select(func.count()).select_from(LotTransaction)),
                  session.scalar(select(func.count()).select_from(GerminationReplicate)))
    for number, action in enumerate(events):
        with pytest.raises(ServiceError) as refused, database.session_factory.begin() as session:
            action(session)
        assert "future" in str(refused.value) or "after today" in str(refused.value), number
    with database.session_factory() as session:
        assert (session.scalar(select(func.count()).select_from(LotTransaction)),
                session.scalar(select(func.count()).select_from(GerminationReplicate))) \
            == before
        assert seed_lots.get_lot(session, lot_id).status == "active"
