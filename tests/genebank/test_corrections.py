"""Voids and corrections (issue 15), on SQLite and PostgreSQL: a voided record stays,
marked void; every derived value (quantity, status, viability, moisture, next test date,
flags, worklists, DUPLSITE, the certificate register) is worked out again without it in the
same transaction; each void or correction is in the history with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import (
    conservation_view,
    corrections,
    regenerations,
    seed_lots,
    seed_tests,
    worklists,
)
from genebank.conservation.seed_tests import Replicate
from genebank.history import queries
from genebank.models import Enrolment, SafetyDuplicate, UserAccount, UserRole
from genebank.services.refusals import Refused
from genebank.training import certificates, enrolments
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.genebank.test_seed_lots import STORED, TODAY, accession, new_lot
from tests.genebank.test_training import START, a_course, a_person


def _lot(session: Session, lot_id: int):  # type: ignore[no-untyped-def]
    return seed_lots.get_lot(session, lot_id)


def _corrections(session: Session, lot_id: int) -> list[tuple[str, str, str]]:
    return [(e.table_name, e.action, e.reason) for e in queries.lot_history(session, lot_id)
            if e.operation == "correction"]


def test_voiding_the_latest_germination_test_brings_back_the_previous_viability(
        database: db.Database) -> None:
    """Two tests; the second (60 %, typed for the wrong lot) is voided: the lot's viability,
    last test and next test date are the first test's again, its 400 seeds are back, the
    regeneration flag it raised is gone, and the test is still listed, marked void."""
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        seed_tests.record_germination(session, lot_id, tested_on=dt.date(2025, 2, 1),
                                      replicates=[Replicate(200, 184, 16)] * 2, today=TODAY)
    with database.session_factory() as session:
        lot = _lot(session, lot_id)
        before = (lot.last_viability_pct, lot.last_tested_on, lot.next_test_due,
                  lot.seeds_on_hand)
    assert before[:2] == (92.0, dt.date(2025, 2, 1)) and before[2] is not None
    with database.session_factory.begin() as session:
        wrong = seed_tests.record_germination(
            session, lot_id, tested_on=dt.date(2026, 10, 1),
            replicates=[Replicate(200, 120, 80)] * 2, today=TODAY)
    with database.session_factory() as session:
        lot = _lot(session, lot_id)
        assert (lot.last_viability_pct, lot.last_tested_on) == (60.0, dt.date(2026, 10, 1))
        assert lot.next_test_due != before[2] and lot.seeds_on_hand == before[3] - 400
        assert any(f.startswith("viability") or "regenerat" in f for f in
                   conservation_view.accession_lots(session, lot.accession_id,
                                                    today=TODAY)[0].flags)
        version = session.get(seed_tests.GerminationTest, wrong).version
    with database.session_factory.begin() as session:
        corrections.void_germination_test(session, wrong, reason="typed for the wrong lot",
                                          expected_version=version)
    with database.session_factory() as session:
        lot = _lot(session, lot_id)
        assert (lot.last_viability_pct, lot.last_tested_on, lot.next_test_due,
                lot.seeds_on_hand) == before
        summary = conservation_view.accession_lots(session, lot.accession_id, today=TODAY)[0]
        assert not any("regenerat" in f for f in summary.flags)
        shown = conservation_view.lot_history(session, lot_id)
        assert [(t.tested_on, t.voided, t.void_reason) for t in shown.tests] == [
            (dt.date(2026, 10, 1), True, "typed for the wrong lot"),
            (dt.date(2025, 2, 1), False, "")]
        assert [(line.kind, line.seeds, line.voided) for line in shown.ledger] == [
            ("stored", 5000, False), ("test", -400, False), ("test", -400, True)]
        assert seed_lots.ledger_balance(session, lot_id)[0] == lot.seeds_on_hand
        assert ("germination_test", "changed", "typed for the wrong lot") in \
            _corrections(session, lot_id)
        assert ("lot_transaction", "changed", "typed for the wrong lot") in \
            _corrections(session, lot_id)
    with pytest.raises(Refused) as twice, database.session_factory.begin() as session:
        corrections.void_germination_test(session, wrong, reason="again")
    assert twice.value.code == "record_void_already"
    with pytest.raises(Refused) as counted, database.session_factory.begin() as session:
        seed_tests.complete_germination(session, wrong, replicates=[Replicate(200, 1, 199)] * 2,
                                        counted_on=TODAY, today=TODAY)
    assert counted.value.code == "record_void"


def test_correcting_a_germination_test_links_the_new_one_and_follows_its_counts(
        database: db.Database) -> None:
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        test_id = seed_tests.record_germination(
            session, lot_id, tested_on=dt.date(2026, 3, 2),
            replicates=[Replicate(100, 50, 50)] * 2, today=TODAY)
    with database.session_factory.begin() as session:
        done = corrections.correct_germination_test(
            session, test_id, tested_on=dt.date(2026, 3, 2),
            replicates=[Replicate(100, 95, 5)] * 2, reason="normal and dead swapped",
            today=TODAY)
    with database.session_factory() as session:
        lot = _lot(session, lot_id)
        assert (lot.last_viability_pct, lot.initial_viability_pct) == (95.0, 95.0)
        assert lot.seeds_on_hand == 5000 - 200  # the seeds of one test, not two
        new = session.get(seed_tests.GerminationTest, done.new_id)
        assert new is not None and new.corrects_id == test_id and new.voided_at is None
        assert {(table, action) for table, action, reason in _corrections(session, lot_id)
                if reason == "normal and dead swapped"} >= {
            ("germination_test", "changed"), ("germination_test", "created")}


def test_correcting_a_ledger_line_recomputes_the_quantity(database: db.Database) -> None:
    """A distribution of 250 seeds was 200: the line is voided, a new one of -200 names it,
    the lot holds 4,800. The lot's first line is corrected, not voided; a line whose seeds
    a later withdrawal took cannot be voided; a voided discard gives the lot back."""
    lot_id = new_lot(database, accession(database), seeds=5000)
    with database.session_factory.begin() as session:
        line = seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=250,
                                  reason="SMTA 2026-17", today=TODAY)
    with database.session_factory.begin() as session:
        done = corrections.correct_ledger_line(session, line, seeds=200,
                                               reason="200 seeds were sent, not 250")
    with database.session_factory() as session:
        assert _lot(session, lot_id).seeds_on_hand == 4800
        assert seed_lots.ledger_balance(session, lot_id) == (4800, None)
        assert [(e.kind, e.seeds, e.voided) for e in
                seed_lots.ledger(session, lot_id, with_void=True)] == [
            ("stored", 5000, False), ("distributed", -250, True), ("distributed", -200, False)]
        assert [e.id for e in seed_lots.ledger(session, lot_id)][-1] == done.new_id
        assert ("lot_transaction", "created", "200 seeds were sent, not 250") in \
            _corrections(session, lot_id)
    with pytest.raises(Refused) as first, database.session_factory.begin() as session:
        corrections.void_ledger_line(session, seed_lots.ledger(session, lot_id)[0].id,
                                     reason="never stored")
    assert first.value.code == "ledger_line_stored"
    with database.session_factory.begin() as session:
        stored = seed_lots.ledger(session, lot_id)[0].id
        corrections.correct_ledger_line(session, stored, seeds=300, reason="recounted: 300")
    with database.session_factory() as session:
        assert _lot(session, lot_id).seeds_on_hand == 100
    with pytest.raises(Refused) as short, database.session_factory.begin() as session:
        stored = seed_lots.ledger(session, lot_id)[0].id
        corrections.correct_ledger_line(session, stored, seeds=150, reason="150 only")
    assert short.value.code == "void_leaves_lot_short"
    with database.session_factory() as session:
        assert _lot(session, lot_id).seeds_on_hand == 100  # nothing was saved
    with database.session_factory.begin() as session:
        discard = seed_lots.discard(session, lot_id, on=TODAY, reason="mouldy", today=TODAY)
    with database.session_factory() as session:
        assert (_lot(session, lot_id).status, _lot(session, lot_id).seeds_on_hand) == \
            ("discarded", 0)
    with database.session_factory.begin() as session:
        corrections.void_ledger_line(session, discard, reason="the wrong lot was discarded")
    with database.session_factory() as session:
        lot = _lot(session, lot_id)
        assert (lot.status, lot.seeds_on_hand) == ("active", 100)
        assert lot.next_test_due is not None


def test_a_reason_is_required_and_a_stale_version_is_refused(database: db.Database) -> None:
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        line = seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=10,
                                  today=TODAY)
    for reason, version, code in (("  ", None, "void_reason_missing"),
                                  ("a mistake", 7, "record_changed_meanwhile")):
        with pytest.raises(Refused) as refused, database.session_factory.begin() as session:
            corrections.void_ledger_line(session, line, reason=reason,
                                         expected_version=version)
        assert refused.value.code == code
    with database.session_factory() as session:
        assert _lot(session, lot_id).seeds_on_hand == 4990
        assert _corrections(session, lot_id) == []


def test_voiding_a_moisture_test_gives_the_previous_moisture_back(database: db.Database) -> None:
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        seed_tests.record_moisture(session, lot_id, tested_on=dt.date(2025, 3, 1),
                                   moisture_pct=5.5, today=TODAY)
        wrong = seed_tests.record_moisture(session, lot_id, tested_on=dt.date(2026, 3, 1),
                                           moisture_pct=12.0, today=TODAY)
    with database.session_factory.begin() as session:
        corrections.void_moisture_test(session, wrong, reason="another lot's sample")
    with database.session_factory() as session:
        assert _lot(session, lot_id).last_moisture_pct == 5.5
        first = conservation_view.lot_history(session, lot_id).tests[-1].moisture_id
    with database.session_factory.begin() as session:
        done = corrections.correct_moisture_test(session, first, tested_on=dt.date(2025, 3, 1),
                                                 moisture_pct=6.1, erh_pct=15.0,
                                                 reason="misread 6.1 as 5.5", today=TODAY)
    with database.session_factory() as session:
        lot = _lot(session, lot_id)
        assert (lot.last_moisture_pct, lot.last_erh_pct) == (6.1, 15.0)
        shown = [(t.moisture_id, t.percent, t.voided)
                 for t in conservation_view.lot_history(session, lot_id).tests]
        assert (done.new_id, 6.1, False) in shown and (first, 5.5, True) in shown


def test_a_voided_safety_duplicate_and_regeneration_count_for_nothing(
        database: db.Database) -> None:
    accession_id = accession(database)
    lot_id = new_lot(database, accession_id)
    with database.session_factory.begin() as session:
        duplicate = regenerations.send_safety_duplicate(
            session, lot_id=lot_id, institute_code="NOR051", sent_on=TODAY, seeds=500,
            today=TODAY)
        event = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Almaty",
                                                planned_on=TODAY, today=TODAY)
    query = worklists.WorkQuery(worklists.WITHOUT_SAFETY_DUPLICATE, TODAY)
    with database.session_factory() as session:
        assert regenerations.duplicate_sites(session, [accession_id]) == {
            accession_id: ["NOR051"]}
        assert worklists.count(session, query) == 0
    with database.session_factory.begin() as session:
        done = corrections.correct_safety_duplicate(
            session, duplicate, institute_code="NOR051", sent_on=TODAY, seeds=400,
            reason="400 seeds in the box", today=TODAY)
        corrections.void_regeneration(session, event, reason="planned twice")
    with database.session_factory() as session:
        assert _lot(session, lot_id).seeds_on_hand == 4600
        shown = conservation_view.lot_history(session, lot_id)
        assert [d[0] for d in shown.duplicates] == [done.new_id]
        # what a correction form starts from, and the version a void is checked against
        assert [(d.id, d.institute_code, d.sent_on, d.seeds, d.version)
                for d in shown.duplicate_lines] == [
            (done.new_id, "NOR051", TODAY, 400, session.get(SafetyDuplicate, done.new_id).version)]
        assert [(d[0], d[2]) for d in shown.voided_duplicates] == [
            (duplicate, "400 seeds in the box")]
        lines = conservation_view.regenerations(session, accession_id)
        assert [(r.id, r.voided, r.is_open) for r in lines] == [(event, True, False)]
    with database.session_factory.begin() as session:
        second = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Almty",
                                                 planned_on=TODAY, today=TODAY)
        fixed = corrections.correct_regeneration(session, second, site="Almaty",
                                                 planned_on=TODAY, reason="site misspelt")
    with database.session_factory() as session:
        lines = conservation_view.regenerations(session, accession_id)
        assert [(r.id, r.site, r.voided, r.is_open) for r in lines] == [
            (fixed.new_id, "Almaty", False, True), (second, "Almty", True, False),
            (event, "Almaty", True, False)]
    with pytest.raises(Refused) as sown, database.session_factory.begin() as session:
        regenerations.record_sowing(session, second, sown_on=TODAY, today=TODAY)
    assert sown.value.code == "record_void"
    with database.session_factory.begin() as session:
        regenerations.record_sowing(session, fixed.new_id, sown_on=TODAY, today=TODAY)
    with database.session_factory.begin() as session:
        corrections.void_safety_duplicate(session, done.new_id, reason="never sent")
    with database.session_factory() as session:
        assert regenerations.duplicate_sites(session, [accession_id]) == {}
        assert worklists.count(session, query) == 1
        assert _lot(session, lot_id).seeds_on_hand == 5000
        history = queries.accession_history(session, instcode="KAZ001", accenumb="KZ-0001")
        assert {(e.table_name, e.reason) for e in history if e.operation == "correction"} >= {
            ("safety_duplicate", "400 seeds in the box"), ("regeneration", "planned twice"),
            ("safety_duplicate", "never sent"), ("regeneration", "site misspelt")}


def _completed(session: Session) -> int:
    course = a_course(session)
    enrolment = enrolments.enrol(session, course_id=course,
                                 participant_id=a_person(session))
    for day in range(5):
        enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day), True)
    enrolments.set_status(session, enrolment, "completed")
    return enrolment


def test_a_voided_certificate_stays_in_the_register_and_its_number_is_not_reused(
        database: db.Database) -> None:
    on = dt.date(2026, 5, 16)
    with database.session_factory.begin() as session:
        enrolment = _completed(session)
        first = certificates.issue(session, enrolment, on=on)
    with database.session_factory.begin() as session:
        certificates.void_certificate(session, first, reason="issued before the final test")
    with database.session_factory() as session:
        assert [(r.number, r.voided, r.void_reason) for r in certificates.register(session)] \
            == [("GB-2026-00001", True, "issued before the final test")]
        assert enrolments.course_roster(session, session.get(
            Enrolment, enrolment).course_id)[0].certificate == ""  # type: ignore[union-attr]
        with pytest.raises(Refused) as printed:
            certificates.certificate_text(session, first)
        assert printed.value.code == "record_void"
    with database.session_factory.begin() as session:
        second = certificates.issue(session, enrolment, on=on)
    with database.session_factory.begin() as session:
        third = certificates.correct_certificate(session, second, on=on,
                                                 reason="name corrected", today=TODAY)
    with database.session_factory() as session:
        assert [(r.id, r.number, r.voided) for r in certificates.register(session)] == [
            (first, "GB-2026-00001", True), (second, "GB-2026-00002", True),
            (third, "GB-2026-00003", False)]
        person = session.get(Enrolment, enrolment).participant_id  # type: ignore[union-attr]
        reasons = [(e.table_name, e.action, e.reason)
                   for e in queries.participant_history(session, person)
                   if e.operation == "correction"]
        assert reasons == [("certificate", "changed", "issued before the final test"),
                           ("certificate", "changed", "name corrected"),
                           ("certificate", "created", "name corrected")]
    with pytest.raises(Refused) as again, database.session_factory.begin() as session:
        certificates.issue(session, enrolment, on=on)
    assert again.value.code == "certificate_exists"


@pytest.mark.parametrize(("role", "allowed"), [(Role.SEED_LABORATORY, True),
                                               (Role.TRAINER, False), (Role.VIEWER, False)])
def test_only_who_makes_conservation_records_voids_them(database: db.Database, role: Role,
                                                        allowed: bool) -> None:
    lot_id = new_lot(database, accession(database), stored_on=STORED)
    with database.session_factory.begin() as session:
        line = seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=10,
                                  today=TODAY)
    with database.session_factory.begin() as session:
        # A person of the database (each write reads their roles again: actor.as_now),
        # taken out again so that the shared database keeps nobody who must sign in.
        person = UserAccount(name="Moussa", name_key="moussa", roles=[UserRole(role=role.value)])
        session.add(person)
        session.flush()
        work_as(session, Actor(person.id, "Moussa", frozenset({role})))
        if allowed:
            corrections.void_ledger_line(session, line, reason="never sent")
        else:
            with pytest.raises(Refused) as refused:
                corrections.void_ledger_line(session, line, reason="never sent")
            assert refused.value.code == "not_allowed"
        session.delete(person)
    with database.session_factory() as session:
        assert _lot(session, lot_id).seeds_on_hand == (5000 if allowed else 4990)
