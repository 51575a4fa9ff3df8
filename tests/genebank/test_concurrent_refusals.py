"""Two people writing the same records at the same moment on a PostgreSQL server (QA
findings 8, 9, 10, 13, 14, 24 of session 6): whoever comes second is refused with a coded
sentence that says what happened and who did it, never a driver error ("Something went
wrong ... tell whoever supports Genebank"), and never writes over the first's work. Each
race is run in a fixed order (tests/genebank/races.py): the first holds its transaction
open while the second runs, until the second waits for it or ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import db, problems
from genebank.conservation import corrections, regenerations, seed_lots, seed_tests
from genebank.conservation import storage_locations as places
from genebank.conservation.seed_tests import Replicate
from genebank.models import (
    Accession,
    GerminationTest,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
    StorageLocation,
)
from genebank.passport import accessions, import_undo, withdrawals
from genebank.services.errors import ConcurrentEdit
from tests.conftest import passport_values
from tests.genebank.races import race, server_only, workstations
from tests.genebank.test_import_update import apply, checked, passport, update_sheet
from tests.genebank.test_seed_lots import TODAY, accession, new_lot

WRONG_LOT = "typed for the wrong lot"


def _coded(error: object, code: str) -> problems.Coded:
    """``error`` is the coded refusal ``code`` (what the window words), not a driver's."""
    assert problems.is_coded(error), repr(error)
    assert error.code == code, (error.code, str(error))  # type: ignore[union-attr]
    return error  # type: ignore[return-value]


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
    refusal = _coded(met.second, "record_void_already")
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
    assert _coded(met.second, "record_void_already").params["by"] == "plab1"
    with database.session_factory() as session:
        live = session.scalars(select(GerminationTest).where(
            GerminationTest.lot_id == lot_id, GerminationTest.voided_at.is_(None))).all()
        assert [(t.id, t.corrects_id, t.germination_pct) for t in live] == [
            (met.first.new_id, test_id, 85.0)]
        assert session.get(SeedLot, lot_id).last_viability_pct == 85.0


# Findings 9 and 10: withdrawals ------------------------------------------------------------
def _accession_ids(database: db.Database, *numbers: str) -> list[tuple[int, int]]:
    ids = [accession(database, number) for number in numbers]
    with database.session_factory() as session:
        return [(i, session.get(Accession, i).version) for i in ids]


def test_two_accessions_withdrawn_as_duplicates_of_each_other_at_once_leave_one(
        database: db.Database) -> None:
    """pcur1 withdraws KZ-0011 as a duplicate of KZ-0012 while pcur2 withdraws KZ-0012 as a
    duplicate of KZ-0011: the first stands; the second is refused (KZ-0011 is withdrawn
    itself), so KZ-0012, the accession that stays, is still in the collection."""
    server_only(database)
    (a11, v11), (a12, v12) = _accession_ids(database, "KZ-0011", "KZ-0012")
    with workstations(database, "pcur1", "pcur2") as (pcur1, pcur2):
        met = race(pcur1, lambda s: withdrawals.withdraw_accession(
                       s, a11, on=TODAY, reason="duplicate", other=a12, expected_version=v11),
                   pcur2, lambda s: withdrawals.withdraw_accession(
                       s, "KAZ001:KZ-0012", on=TODAY, reason="duplicate",
                       other="KAZ001:KZ-0011", expected_version=v12))
    refusal = _coded(met.second, "withdrawal_other_withdrawn")
    assert refusal.params["other"] == "KAZ001:KZ-0011"
    with database.session_factory() as session:
        states = {i: withdrawals.withdrawal_state(session, i) for i in (a11, a12)}
    assert (states[a11].reason, states[a11].other_id) == ("duplicate", a12)
    assert not states[a12].withdrawn


def test_a_form_saved_while_a_colleague_withdraws_the_accession_says_who_changed_it(
        database: db.Database) -> None:
    """pcur2 saves a remark in KZ-0010's form (opened before) while pcur1 withdraws it: the
    withdrawal stands; the save is refused as "changed by pcur1 ... after you opened it",
    the coded refusal of any later save, and the remark is not saved."""
    server_only(database)
    [(a10, version)] = _accession_ids(database, "KZ-0010")
    values = passport_values(ACCENUMB="KZ-0010", REMARKS="COLLSITE:checked by pcur2")
    with workstations(database, "pcur1", "pcur2") as (pcur1, pcur2):
        met = race(pcur1, lambda s: withdrawals.withdraw_accession(
                       s, a10, on=TODAY, reason="lost", expected_version=version),
                   pcur2, lambda s: accessions.update_accession(
                       s, a10, expected_version=version, values=values))
    refusal = _coded(met.second, "concurrent_edit")
    assert isinstance(refusal, ConcurrentEdit) and refusal.by == "pcur1"
    assert str(refusal).startswith("Accession KZ-0010 was changed by pcur1 at ")
    stored = passport(database, a10)
    assert "REMARKS" not in stored.values and stored.version == version + 1
    with database.session_factory() as session:
        assert withdrawals.withdrawal_state(session, a10).reason == "lost"


def test_a_withdrawal_while_a_colleague_saves_the_form_says_who_changed_it(
        database: db.Database) -> None:
    """The other way round: pcur2's form save comes first; pcur1's withdrawal (from the
    version pcur1 read) is refused as changed by pcur2, and the accession stays in."""
    server_only(database)
    [(a10, version)] = _accession_ids(database, "KZ-0010")
    values = passport_values(ACCENUMB="KZ-0010", REMARKS="COLLSITE:checked by pcur2")
    with workstations(database, "pcur2", "pcur1") as (pcur2, pcur1):
        met = race(pcur2, lambda s: accessions.update_accession(
                       s, a10, expected_version=version, values=values),
                   pcur1, lambda s: withdrawals.withdraw_accession(
                       s, a10, on=TODAY, reason="lost", expected_version=version))
    assert _coded(met.second, "concurrent_edit").by == "pcur2"  # type: ignore[attr-defined]
    with database.session_factory() as session:
        assert not withdrawals.withdrawal_state(session, a10).withdrawn


def test_an_accession_deleted_while_a_colleague_saves_it_says_who_changed_it(
        database: db.Database) -> None:
    """The same for a deletion (an administrator, who may not hold the row as a save
    does): pcur2's save comes first; the deletion from the version read before is refused
    as changed by pcur2, read afresh after its failed write, and the accession stays."""
    server_only(database)
    [(a10, version)] = _accession_ids(database, "KZ-0010")
    values = passport_values(ACCENUMB="KZ-0010", REMARKS="COLLSITE:checked by pcur2")
    with workstations(database, "pcur2", "admin") as (pcur2, admin):
        met = race(pcur2, lambda s: accessions.update_accession(
                       s, a10, expected_version=version, values=values),
                   admin, lambda s: accessions.delete_accession(
                       s, a10, expected_version=version))
    assert _coded(met.second, "concurrent_edit").by == "pcur2"  # type: ignore[attr-defined]
    assert passport(database, a10).values["REMARKS"] == ["COLLSITE:checked by pcur2"]


# Findings 13 and 14: an undo of an import while others work on its accessions -------------
def _imported(database: db.Database, tmp_path: Path) -> dict[str, int]:
    """KZ-17 typed in the form (ORIGCTY KAZ), then an import that sets its ORIGCTY to UZB
    and creates KZ-18; the import log's id, and the two accessions'."""
    kz17 = accession(database, "KZ-17")
    path = update_sheet(tmp_path / "update.xlsx",
                        ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY", "SAMPSTAT", "STORAGE"],
                        ["KAZ001", "KZ-17", "", "UZB"],
                        ["KAZ001", "KZ-18", "Triticum", "UZB", "300", "13"])
    summary = apply(database, checked(database, path))
    assert (summary.created, summary.updated) == (1, 1) and summary.log_id is not None
    with database.session_factory() as session:
        kz18 = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-18")
    assert kz18 is not None and passport(database, kz17).values["ORIGCTY"] == "UZB"
    return {"log": summary.log_id, "KZ-17": kz17, "KZ-18": kz18}


def _form_save(database: db.Database, accession_id: int, origin: str) \
        -> tuple[Callable[[Session], Any], int]:
    """A form opened now, saved later with ORIGCTY ``origin``; and the version it read."""
    opened = passport(database, accession_id)
    values = {**opened.values, "ORIGCTY": origin}
    return (lambda s: accessions.update_accession(
        s, accession_id, expected_version=opened.version, values=values)), opened.version


def test_a_form_saved_while_the_import_is_undone_is_not_written_over(
        database: db.Database, tmp_path: Path) -> None:
    """pcur2 saves KZ-17 (ORIGCTY corrected to JOR) as pcur1 starts undoing the import that
    set it to UZB: the undo waits for the save, then leaves KZ-17 as pcur2 saved it and
    names pcur2; KZ-18 is removed as planned."""
    server_only(database)
    ids = _imported(database, tmp_path)
    save, version = _form_save(database, ids["KZ-17"], "JOR")
    with workstations(database, "pcur2", "pcur1") as (pcur2, pcur1):
        met = race(pcur2, save,
                   pcur1, lambda s: import_undo.undo_import(s, ids["log"]))
    assert not isinstance(met.second, BaseException), met.second
    done = met.second.preview
    assert [(c.key, c.by, c.created) for c in done.changed_after] == [
        ("KAZ001:KZ-17", "pcur2", False)]
    assert not done.put_back and [r.key for r in done.remove] == ["KAZ001:KZ-18"]
    kept = passport(database, ids["KZ-17"])
    assert (kept.values["ORIGCTY"], kept.updated_by, kept.version) == \
        ("JOR", "pcur2", version + 1)


def test_a_form_saved_as_the_undo_runs_is_refused_saying_who_changed_it(
        database: db.Database, tmp_path: Path) -> None:
    """The other way round: the undo runs first and puts KZ-17's ORIGCTY back (UZB ->
    KAZ); pcur2's save of the form opened before is refused as changed by pcur1, the
    coded refusal of a save, and KZ-17 holds the value put back."""
    server_only(database)
    ids = _imported(database, tmp_path)
    save, _version = _form_save(database, ids["KZ-17"], "JOR")
    with workstations(database, "pcur1", "pcur2") as (pcur1, pcur2):
        met = race(pcur1, lambda s: import_undo.undo_import(s, ids["log"]), pcur2, save)
    assert [p.key for p in met.first.preview.put_back] == ["KAZ001:KZ-17"]
    assert _coded(met.second, "concurrent_edit").by == "pcur1"  # type: ignore[attr-defined]
    assert passport(database, ids["KZ-17"]).values["ORIGCTY"] == "KAZ"


def _store(accession_id: int, **options: Any) -> Callable[[Session], Any]:
    return lambda s: seed_lots.store_lot(
        s, accession_id=accession_id, lot_number="KZ-L-18", storage_type="base",
        stored_on=TODAY, seeds=1000, today=TODAY, **options)


def test_a_lot_stored_while_the_import_is_undone_keeps_its_accession(
        database: db.Database, tmp_path: Path) -> None:
    """plab1 stores a lot of KZ-18 (which the import created) as pcur1 starts the undo: the
    undo waits for the lot, then keeps KZ-18 and names its seed lot, as it does for a lot
    stored before the preview; nothing fails."""
    server_only(database)
    ids = _imported(database, tmp_path)
    with workstations(database, "plab1", "pcur1") as (plab1, pcur1):
        met = race(plab1, _store(ids["KZ-18"]),
                   pcur1, lambda s: import_undo.undo_import(s, ids["log"]))
    assert not isinstance(met.second, BaseException), met.second
    [kept] = met.second.preview.cannot_remove
    assert (kept.key, kept.dependents) == ("KAZ001:KZ-18",
                                           (import_undo.Dependent("seed_lot", 1),))
    assert not met.second.preview.remove
    assert passport(database, ids["KZ-18"]).values["ACCENUMB"] == "KZ-18"
    assert passport(database, ids["KZ-17"]).values["ORIGCTY"] == "KAZ"


def test_a_lot_stored_as_the_undo_removes_its_accession_is_refused_with_a_code(
        database: db.Database, tmp_path: Path) -> None:
    """The other way round: the undo removes KZ-18 first; plab1's lot on it is refused
    with the coded "the accession of this lot no longer exists", not a foreign-key error,
    and no lot is left without its accession."""
    server_only(database)
    ids = _imported(database, tmp_path)
    with workstations(database, "pcur1", "plab1") as (pcur1, plab1):
        met = race(pcur1, lambda s: import_undo.undo_import(s, ids["log"]),
                   plab1, _store(ids["KZ-18"]))
    assert [r.key for r in met.first.preview.remove] == ["KAZ001:KZ-18"]
    refusal = _coded(met.second, "lot_accession_removed")
    assert refusal.params["accession_id"] == ids["KZ-18"]
    assert str(refusal).startswith("the accession of this lot no longer exists: someone "
                                   "removed it")
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 0
        assert session.get(Accession, ids["KZ-18"]) is None


# Finding 24: a place removed while a colleague puts a lot in it ----------------------------
def _places(database: db.Database) -> tuple[int, int, int]:
    """A lot on 'Shelf 1' and an empty 'Box 9': the lot's id and the two places'."""
    with database.session_factory.begin() as session:
        shelf = places.add_location(session, "Shelf 1", storage_type="base")
        box = places.add_location(session, "Box 9", storage_type="base")
    lot_id = new_lot(database, accession(database), location_id=shelf)
    return lot_id, shelf, box


def test_a_place_removed_while_a_lot_is_moved_in_refuses_the_move_with_a_code(
        database: db.Database) -> None:
    """plab1 removes the empty 'Box 9' while plab2 moves a lot into it: the removal
    stands; the move is refused "the storage location chosen no longer exists", and the
    lot stays on its shelf."""
    server_only(database)
    lot_id, shelf, box = _places(database)
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, box),
                   plab2, lambda s: seed_lots.move(s, lot_id, to_location_id=box, on=TODAY,
                                                   today=TODAY))
    refusal = _coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == box
    assert str(refusal).startswith("the storage location chosen no longer exists")
    with database.session_factory() as session:
        assert session.get(StorageLocation, box) is None
        assert session.get(SeedLot, lot_id).location_id == shelf


def test_a_lot_stored_in_a_place_removed_meanwhile_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes 'Box 9' while plab2 stores a new lot in it: the new lot is refused
    with the same coded sentence, and nothing is stored."""
    server_only(database)
    _lot_id, _shelf, box = _places(database)
    other = accession(database, "KZ-0002")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, box),
                   plab2, _store(other, location_id=box))
    refusal = _coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == box
    assert str(refusal).startswith("the storage location chosen no longer exists")
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 1


def test_a_lot_moved_in_while_the_place_is_removed_keeps_the_place(
        database: db.Database) -> None:
    """The other way round: plab2's move into 'Box 9' comes first; plab1's removal waits
    for it, then counts the lot and is refused "holds 1 seed lot(s)"."""
    server_only(database)
    lot_id, _shelf, box = _places(database)
    with workstations(database, "plab2", "plab1") as (plab2, plab1):
        met = race(plab2, lambda s: seed_lots.move(s, lot_id, to_location_id=box, on=TODAY,
                                                   today=TODAY),
                   plab1, lambda s: places.remove_location(s, box))
    assert _coded(met.second, "location_holds_lots").params["lots"] == 1
    with database.session_factory() as session:
        assert session.get(SeedLot, lot_id).location_id == box


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
    refusal = _coded(met.second, "record_void")
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
    refusal = _coded(met.second, "record_void")
    assert (refusal.params["what"], refusal.params["by"]) == ("safety duplicate", "plab1")
    with database.session_factory() as session:
        duplicate = session.get(SafetyDuplicate, duplicate_id)
        assert (duplicate.voided_by, duplicate.status, duplicate.confirmed_on) == \
            ("plab1", "sent", None)


# races2: places added or moved into a place removed meanwhile ---------------------------
def _tree(database: db.Database, *names: str) -> dict[str, int]:
    """Places at the top of the tree, each named; 'A/D' is D inside A."""
    ids: dict[str, int] = {}
    with database.session_factory.begin() as session:
        for name in names:
            parent, _, leaf = name.rpartition("/")
            ids[leaf] = places.add_location(session, leaf, storage_type="base",
                                            parent_id=ids[parent] if parent else None)
    return ids


def _place_names(database: db.Database) -> dict[str, str | None]:
    with database.session_factory() as session:
        names = {p.id: p.name for p in places.list_places(session)}
        return {p.name: names.get(p.parent_id) for p in places.list_places(session)}


def test_a_place_added_inside_a_place_removed_meanwhile_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes the empty 'Room 2' while plab2 adds 'Shelf A' inside it: the removal
    stands; the new place is refused "the storage location chosen no longer exists", not
    the database's foreign-key error, and no place is left without its parent."""
    server_only(database)
    ids = _tree(database, "Room 2")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, ids["Room 2"]),
                   plab2, lambda s: places.add_location(s, "Shelf A",
                                                        parent_id=ids["Room 2"]))
    refusal = _coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == ids["Room 2"]
    assert _place_names(database) == {}


def test_a_place_added_inside_a_place_as_it_is_removed_keeps_the_place(
        database: db.Database) -> None:
    """The other way round: plab2's 'Shelf A' inside 'Room 2' comes first; plab1's removal
    waits for it, then counts it: "holds 1 other storage location(s)"."""
    server_only(database)
    ids = _tree(database, "Room 2")
    with workstations(database, "plab2", "plab1") as (plab2, plab1):
        met = race(plab2, lambda s: places.add_location(s, "Shelf A",
                                                        parent_id=ids["Room 2"]),
                   plab1, lambda s: places.remove_location(s, ids["Room 2"]))
    assert _coded(met.second, "location_holds_places").params["places"] == 1
    assert _place_names(database) == {"Room 2": None, "Shelf A": "Room 2"}


def test_a_place_moved_into_a_place_removed_meanwhile_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes 'Room 2' while plab2 puts 'Shelf 1' inside it: the move is refused
    with the coded sentence, and 'Shelf 1' stays where it was."""
    server_only(database)
    ids = _tree(database, "Room 2", "Shelf 1")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, ids["Room 2"]),
                   plab2, lambda s: places.move_location(s, ids["Shelf 1"], ids["Room 2"]))
    refusal = _coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == ids["Room 2"]
    assert _place_names(database) == {"Shelf 1": None}


def test_a_place_removed_while_a_colleague_moves_it_refuses_the_move_with_a_code(
        database: db.Database) -> None:
    """plab1 removes 'Box 9' while plab2 puts it inside 'Room 2': the move is refused with
    the coded sentence (not the database's StaleDataError)."""
    server_only(database)
    ids = _tree(database, "Room 2", "Box 9")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, ids["Box 9"]),
                   plab2, lambda s: places.move_location(s, ids["Box 9"], ids["Room 2"]))
    refusal = _coded(met.second, "location_removed_meanwhile")
    assert refusal.params["location_id"] == ids["Box 9"]
    assert _place_names(database) == {"Room 2": None}


def test_two_places_moved_into_each_other_at_once_make_no_cycle(
        database: db.Database) -> None:
    """'D' is inside 'A' and 'C' inside 'B'. plab1 puts A inside C while plab2 puts B
    inside D: each alone is fine, both together would make A > D > B > C > A, a place
    inside itself. The second waits for the first, then is refused as a cycle."""
    server_only(database)
    ids = _tree(database, "A", "A/D", "B", "B/C")
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.move_location(s, ids["A"], ids["C"]),
                   plab2, lambda s: places.move_location(s, ids["B"], ids["D"]))
    refusal = _coded(met.second, "location_inside_itself")
    assert (refusal.params["location"], refusal.params["parent"]) == ("B", "B > C > A > D")
    assert _place_names(database) == {"A": "C", "B": None, "C": "B", "D": "A"}


def test_a_place_edited_while_a_colleague_removes_it_is_refused_with_a_code(
        database: db.Database) -> None:
    """plab1 removes the empty 'Box 9' while plab2 renames it: the removal stands; the
    rename waits for it, then is told "storage location N no longer exists", not the
    database's StaleDataError."""
    server_only(database)
    _lot_id, _shelf, box = _places(database)
    with workstations(database, "plab1", "plab2") as (plab1, plab2):
        met = race(plab1, lambda s: places.remove_location(s, box),
                   plab2, lambda s: places.edit_location(s, box, name="Box 9 (cold)",
                                                         storage_type="base"))
    assert _coded(met.second, "location_not_found").params["location_id"] == box
    with database.session_factory() as session:
        assert session.get(StorageLocation, box) is None


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
    assert _coded(met.second, "regeneration_harvested").params["lot"] == "L-0002"
    with database.session_factory() as session:
        assert session.get(Regeneration, event_id).harvested_lot_id == met.first
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 2
