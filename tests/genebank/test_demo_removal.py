"""Removing demo records that an older version loaded into a real database (SQLite and
PostgreSQL): counted first, then removed in one go, real records untouched."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, inspect, select

from genebank import db
from genebank.conservation import seed_lots, seed_tests
from genebank.demo import demo, demo_removal, demo_training
from genebank.models import (
    Accession,
    Course,
    CropRule,
    Enrolment,
    GerminationTest,
    Institute,
    Participant,
    Programme,
    SeedLot,
    StorageLocation,
    Taxon,
)
from genebank.passport import accessions, crops, institutes
from genebank.training import courses, enrolments, participants
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)


def _real_records(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A gene bank's own records, typed as people type them, some close to the demo's."""
    ids = {
        "wheat": accessions.create_accession(session, values=passport_values()).id,
        # numbered like the demo but not the demo's pattern, or not of the demo institute
        "demo_like": accessions.create_accession(
            session, values=passport_values(ACCENUMB="DEMO-12")).id,
        "other_bank": accessions.create_accession(
            session, values=passport_values(INSTCODE="UZB006", ACCENUMB="DEMO-0000001")).id,
    }
    ids["lot"] = seed_lots.create_lot(session, accession_id=ids["wheat"], lot_number="KZ-L-1",
                                      storage_type="base", stored_on=dt.date(2024, 3, 1),
                                      seeds=3000, today=TODAY)
    seed_tests.record_germination(session, ids["lot"], tested_on=dt.date(2024, 4, 2),
                                  replicates=[seed_tests.Replicate(50, 47, 1, 1, 1)] * 2,
                                  today=TODAY)
    # The user's own programme carries the same name as the demo's (both are IOFS's).
    programme = courses.add_programme(session, name=demo_training.PROGRAMME,
                                      sponsor=demo_training.SPONSOR)
    ids["course"] = courses.save_course(
        session, programme_id=programme, title="Gene Bank Management",
        start_on=dt.date(2026, 5, 11), end_on=dt.date(2026, 5, 15), venue_city="Almaty",
        venue_country="KAZ", host_name="Kazakh gene bank", trainers="Dr A. Abugalieva")
    ids["person"] = participants.save_participant(
        session, full_name="Aigerim Nurlanova", gender="female", country="KAZ",
        email="aigerim.nurlanova@example.org")
    enrolments.enrol(session, course_id=ids["course"], participant_id=ids["person"])
    return ids


def _count(session, model: type) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_removal_counts_then_removes_only_demo_records(database: db.Database) -> None:
    """Counts name each kind; removing leaves exactly the real records, then finds nothing."""
    with database.session_factory.begin() as session:
        real = _real_records(session)
        demo.load_demo(session, accessions=60, today=TODAY)
        demo_training.load_training_demo(session, courses=6, people=40, today=TODAY)
        # one demo person was then enrolled by the user in a real course: they stay
        kept_person = session.scalars(select(Participant.id).where(
            Participant.email.like("%@example.org"), Participant.id != real["person"])
            .order_by(Participant.id)).first()
        enrolments.enrol(session, course_id=real["course"], participant_id=kept_person)
    with database.session_factory() as session:
        assert demo_removal.has_demo_records(session)
        counts = demo_removal.count_demo_records(session)
        demo_lots = _count(session, SeedLot) - 1
        assert (counts.accessions, counts.seed_lots, counts.courses, counts.participants) == (
            60, demo_lots, 6, 39)
        assert counts.germination_tests == _count(session, GerminationTest) - 1
        assert counts.enrolments > 0 and counts.storage_locations == 32
        assert counts.crop_rules == len({crop[0] for crop in demo.data.CROPS})
        assert counts.programmes == 0  # the user's own programme holds a real course
    with database.session_factory.begin() as session:
        removed = demo_removal.remove_demo_records(session)
    assert removed == counts
    assert not [index for table in ("seed_lot", "regeneration", "lot_transaction")
                for index in inspect(database.engine).get_indexes(table)
                if index["name"].startswith("tmp_")]  # the removal's own indexes are gone
    with database.session_factory() as session:
        assert not demo_removal.has_demo_records(session)
        assert demo_removal.count_demo_records(session).total == 0
        left = session.execute(select(Accession.instcode, Accession.accenumb)
                               .order_by(Accession.id)).all()
        assert [tuple(row) for row in left] == [("KAZ001", "KZ-0001"), ("KAZ001", "DEMO-12"),
                                                ("UZB006", "DEMO-0000001")]
        assert session.scalars(select(SeedLot.lot_number)).all() == ["KZ-L-1"]
        lot = seed_lots.get_lot(session, real["lot"])
        assert (lot.seeds_on_hand, lot.last_viability_pct) == (2900, 94.0)
        assert _count(session, GerminationTest) == 1
        assert session.scalars(select(Course.id)).all() == [real["course"]]
        assert sorted(session.scalars(select(Participant.id))) == sorted(
            [real["person"], kept_person])
        assert _count(session, Enrolment) == 2
        assert _count(session, Programme) == 1
        assert _count(session, CropRule) == 0 and _count(session, StorageLocation) == 0
        assert session.scalar(select(Institute.name).where(Institute.code == "KAZ001")) == ""
        # the user carries on as before: a new accession, a new lot
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0002"))


def test_a_database_without_demo_records_is_left_alone(database: db.Database) -> None:
    """Nothing to count, nothing removed, and a user's own rule of 1000 seeds stays."""
    with database.session_factory.begin() as session:
        _real_records(session)
        session.add(CropRule(genus="Triticum", minimum_seeds=1000))
    with database.session_factory.begin() as session:
        assert not demo_removal.has_demo_records(session)
        assert demo_removal.remove_demo_records(session).total == 0
    with database.session_factory() as session:
        assert _count(session, Accession) == 3 and _count(session, CropRule) == 1


def test_a_demo_shelf_holding_a_real_lot_stays(database: db.Database) -> None:
    """A real lot put on a demo shelf keeps that shelf and its store."""
    with database.session_factory.begin() as session:
        real = _real_records(session)
        demo.load_demo(session, accessions=5, today=TODAY)
        shelf = session.scalars(select(StorageLocation.id)
                                .where(StorageLocation.parent_id.is_not(None))).first()
        seed_lots.get_lot(session, real["lot"]).location_id = shelf
    with database.session_factory.begin() as session:
        removed = demo_removal.remove_demo_records(session)
    assert removed.storage_locations == 30
    with database.session_factory() as session:
        assert _count(session, StorageLocation) == 2
        assert seed_lots.get_lot(session, real["lot"]).location_id == shelf


def test_look_ups_only_the_demo_used_go_and_the_pickers_forget_them(
        database: db.Database) -> None:
    """After removal the crop picker offers only the collection's own crop names: the demo's
    taxa and its bare institute entries go (and are counted first); a taxon or institute a
    real record uses, or that the user named, stays."""
    with database.session_factory.begin() as session:
        # the same taxon as the demo's bread wheat, and a duplicate site the demo also uses
        accessions.create_accession(session, values=passport_values(DUPLSITE="RUS001"))
        # the user's own entry for a code the demo uses, named by them, used by nothing yet
        session.add(Institute(code="SYR002", name="ICARDA Genetic Resources Section",
                              country="SYR"))
        demo.load_demo(session, accessions=40, today=TODAY)
    demo_taxa = sum(len(crop[4]) for crop in demo.data.CROPS)
    with database.session_factory() as session:
        assert len(crops.crop_names(session)) > 10  # the demo's crops are offered meanwhile
        counts = demo_removal.count_demo_records(session)
    assert counts.taxa == demo_taxa - 1  # Triticum aestivum L. "bread wheat" stays
    assert counts.institutes == 2  # NOR051, named by the demo, and bare TUR001
    with database.session_factory.begin() as session:
        assert demo_removal.remove_demo_records(session) == counts
    with database.session_factory() as session:
        assert crops.crop_names(session) == ["bread wheat"]
        assert crops.crop_names(session, text="bar") == []
        assert session.scalar(select(func.count()).select_from(Taxon)) == 1
        left = session.execute(select(Institute.code, Institute.name)
                               .order_by(Institute.code)).all()
        assert [tuple(row) for row in left] == [
            ("KAZ001", ""), ("RUS001", ""), ("SYR002", "ICARDA Genetic Resources Section")]
        assert [row.code for row in institutes.find_institutes(session, text="").candidates] \
            == ["KAZ001", "RUS001", "SYR002"]
        assert demo_removal.count_demo_records(session).total == 0
