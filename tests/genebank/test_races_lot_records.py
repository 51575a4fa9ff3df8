"""Two people changing one lot record at the same moment on a PostgreSQL server: a void against
a correction (QA finding 8 of session 6), a regeneration's steps and a duplicate's status
against a void, two harvests of one regeneration. Each race is run in a fixed order
(tests/genebank/races.py): the first holds its transaction open while the second runs, until
the second waits for it or ends; whoever comes second is refused with a coded sentence
saying what happened and who did it, never a driver error, and never writes over the first's
work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import corrections, regenerations, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.models import (
    GerminationTest,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
)
from tests.genebank.races import coded, race, server_only, workstations
from tests.genebank.test_seed_lots import TODAY, accession, new_lot

WRONG_LOT = "typed for the wrong lot"


# Finding 8: voids and corrections of the same record at the same moment ----------------
def _germination(session: Session, lot_id: int) -> tuple[type, int]:
    return GerminationTest, seed_tests.record_germination(
        session, lot_id, tested_on=dt.date(2025, 2, 1),
        replicates=[Replicate(200, 184, 16)] * 2, today=TODAY)


def _moisture(session: Session, lot_id: int) -> tuple[type, int]:
    return MoistureTest, seed_tests.record_moisture(
        session, lot_id, tested_on=dt.date(2025, 2, 1), moisture_pct=6.5, today=TODAY)


def _line(session: Session, lot_id: int) -> tuple[type, int]:
    return LotTransaction, seed_lots.withdraw(
        session, lot_id, kind="distributed", on=dt.date(2025, 3, 1), seeds=300,
        reason="SMTA 2025-3", today=TODAY)


def _regeneration(session: Session, lot_id: int) -> tuple[type, int]:
    return Regeneration, regenerations.plan_regeneration(
        session, source_lot_id=lot_id, site="Almaty", planned_on=TODAY, today=TODAY)


def _duplicate(session: Session, lot_id: int) -> tuple[type, int]:
    return SafetyDuplicate, regenerations.send_safety_duplicate(
        session, lot_id=lot_id, institute_code="NOR051", sent_on=TODAY, seeds=500,
        today=TODAY)


# kind: (what makes the record, its void, its correction as a colleague types it)
KINDS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]] = {
    "germination test": (
        _germination, corrections.void_germination_test,
        lambda s, i, v: corrections.correct_germination_test(
            s, i, tested_on=dt.date(2025, 2, 1), replicates=[Replicate(200, 150, 50)] * 2,
            reason="counts read again", expected_version=v, today=TODAY)),
    "moisture test": (
        _moisture, corrections.void_moisture_test,
        lambda s, i, v: corrections.correct_moisture_test(
            s, i, tested_on=dt.date(2025, 2, 1), moisture_pct=5.5, reason="misread",
            expected_version=v, today=TODAY)),
    "ledger line": (
        _line, corrections.void_ledger_line,
        lambda s, i, v: corrections.correct_ledger_line(
            s, i, seeds=250, reason="250 were sent", expected_version=v)),
    "regeneration": (
        _regeneration, corrections.void_regeneration,
        lambda s, i, v: corrections.correct_regeneration(
            s, i, site="Almaty station", planned_on=TODAY, reason="site", expected_version=v)),
    "safety duplicate": (
        _duplicate, corrections.void_safety_duplicate,
        lambda s, i, v: corrections.correct_safety_duplicate(
            s, i, institute_code="NOR051", sent_on=TODAY, seeds=400, reason="400 in the box",
            expected_version=v, today=TODAY)),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_record_voided_while_a_colleague_corrects_it_refuses_the_correction_naming_who(
        database: db.Database, kind: str) -> None:
    """plab1 voids a record while plab2 saves its correction, both from the version they
    read: the void is saved; the correction is refused "this ... was voided on ... by plab1
    (reason)", and no corrected record is made; the lot holds what its live lines say."""
    server_only(database)
    make, void, correct = KINDS[kind]
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        model, record_id = make(session, lot_id)
        version = session.get(model, record_id).version
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: void(s, record_id, reason=WRONG_LOT,
                                         expected_version=version),
                   plab2, lambda s: correct(s, record_id, version))
    refusal = coded(met.second, "record_void_already")
    assert refusal.params["by"] == "plab1" and refusal.params["what"] == kind
    assert f"was voided on {dt.date.today()} by plab1 ({WRONG_LOT})" in str(refusal)
    with database.session_factory() as session:
        record = session.get(model, record_id)
        assert (record.voided_by, record.void_reason) == ("plab1", WRONG_LOT)
        assert session.scalar(select(func.count()).select_from(model).where(
            model.corrects_id == record_id)) == 0
        lot = session.get(SeedLot, lot_id)
        assert lot.seeds_on_hand == session.scalar(select(func.sum(LotTransaction.seeds)).where(
            LotTransaction.lot_id == lot_id, LotTransaction.voided_at.is_(None))) == 5000


def test_two_corrections_of_one_test_at_once_make_one_corrected_test(
        database: db.Database) -> None:
    """Two technicians correct the same germination test at the same moment without a
    version (as a script does): the first's correction stands; the second is refused,
    naming who voided the test by correcting it, and the lot has one corrected test."""
    server_only(database)
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        _model, test_id = _germination(session, lot_id)

    def correct(normal: int) -> Callable[[Session], Any]:
        return lambda s: corrections.correct_germination_test(
            s, test_id, tested_on=dt.date(2025, 2, 1),
            replicates=[Replicate(200, normal, 200 - normal)] * 2, reason="recounted",
            today=TODAY)

    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, correct(170), plab2, correct(160))
    assert coded(met.second, "record_void_already").params["by"] == "plab1"
    with database.session_factory() as session:
        live = session.scalars(select(GerminationTest).where(
            GerminationTest.lot_id == lot_id, GerminationTest.voided_at.is_(None))).all()
        assert [(t.id, t.corrects_id, t.germination_pct) for t in live] == [
            (met.first.new_id, test_id, 85.0)]
        assert session.get(SeedLot, lot_id).last_viability_pct == 85.0



# races2: the steps of a regeneration and a duplicate's status against a void ------------
SOWN = dt.date(2026, 5, 4)

# step: what a colleague saves on the regeneration (sown on SOWN before, for a harvest)
STEPS: dict[str, Callable[[Session, int], Any]] = {
    "sowing": lambda s, i: regenerations.record_sowing(s, i, sown_on=TODAY, plants=40,
                                                       today=TODAY),
    "harvest": lambda s, i: regenerations.record_harvest(
        s, i, harvested_on=TODAY, lot_number="L-0002", storage_type="base", seeds=800,
        today=TODAY),
    "failure": lambda s, i: regenerations.record_failure(s, i, notes="hail", on=TODAY,
                                                         today=TODAY),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_regeneration_voided_while_a_colleague_records_its_step_refuses_the_step(
        database: db.Database, step: str) -> None:
    """plab1 voids a regeneration while plab2 records its sowing, harvest or failure: the
    void stands; the step is refused "this regeneration was voided on ... by plab1
    (reason)", not the database's StaleDataError, and nothing of it is saved (no lot
    harvested from a void regeneration)."""
    server_only(database)
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        _model, event_id = _regeneration(session, lot_id)
        if step == "harvest":
            regenerations.record_sowing(session, event_id, sown_on=SOWN, today=TODAY)
        version = session.get(Regeneration, event_id).version
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: corrections.void_regeneration(
                       s, event_id, reason=WRONG_LOT, expected_version=version),
                   plab2, lambda s: STEPS[step](s, event_id))
    refusal = coded(met.second, "record_void")
    assert (refusal.params["what"], refusal.params["by"]) == ("regeneration", "plab1")
    assert str(refusal) == (f"this regeneration was voided on {dt.date.today()} by plab1 "
                            f"({WRONG_LOT}); it cannot be changed")
    with database.session_factory() as session:
        event = session.get(Regeneration, event_id)
        assert (event.voided_by, event.status, event.failed_on, event.harvested_lot_id) == \
            ("plab1", "in_field" if step == "harvest" else "planned", None, None)
        assert event.sown_on == (SOWN if step == "harvest" else None)
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 1


def test_a_duplicate_voided_while_a_colleague_confirms_it_refuses_the_confirmation(
        database: db.Database) -> None:
    """plab1 voids a safety duplicate while plab2 confirms NOR051 received it: the void
    stands; the confirmation is refused naming plab1, and the duplicate stays "sent"."""
    server_only(database)
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        _model, duplicate_id = _duplicate(session, lot_id)
        version = session.get(SafetyDuplicate, duplicate_id).version
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: corrections.void_safety_duplicate(
                       s, duplicate_id, reason=WRONG_LOT, expected_version=version),
                   plab2, lambda s: regenerations.set_duplicate_status(
                       s, duplicate_id, "confirmed", on=TODAY, today=TODAY))
    refusal = coded(met.second, "record_void")
    assert (refusal.params["what"], refusal.params["by"]) == ("safety duplicate", "plab1")
    with database.session_factory() as session:
        duplicate = session.get(SafetyDuplicate, duplicate_id)
        assert (duplicate.voided_by, duplicate.status, duplicate.confirmed_on) == \
            ("plab1", "sent", None)



def test_two_technicians_saving_one_harvest_store_one_lot(database: db.Database) -> None:
    """plab1 and plab2 both record the harvest of one regeneration (each from a window
    opened while it was in the field): the first's lot is the harvest; the second waits,
    then is refused "harvested on ... (lot L-0002)", and no second lot is stored."""
    server_only(database)
    lot_id = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        _model, event_id = _regeneration(session, lot_id)
        regenerations.record_sowing(session, event_id, sown_on=SOWN, today=TODAY)

    def harvest(number: str) -> Callable[[Session], Any]:
        return lambda s: regenerations.record_harvest(
            s, event_id, harvested_on=TODAY, lot_number=number, storage_type="base",
            seeds=800, today=TODAY)

    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, harvest("L-0002"), plab2, harvest("L-0003"))
    assert coded(met.second, "regeneration_harvested").params["lot"] == "L-0002"
    with database.session_factory() as session:
        assert session.get(Regeneration, event_id).harvested_lot_id == met.first
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 2
