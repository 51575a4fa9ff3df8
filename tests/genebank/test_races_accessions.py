"""Two people changing one accession at the same moment on a PostgreSQL server: withdrawals and
form saves (QA findings 9, 10 of session 6), an undo of an import while others work on its
accessions (13, 14). Each race is run in a fixed order (tests/genebank/races.py): the first
holds its transaction open while the second runs, until the second waits for it or ends;
whoever comes second is refused with a coded sentence saying what happened and who did it,
never a driver error, and never writes over the first's work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import db
from genebank.models import (
    Accession,
    SeedLot,
)
from genebank.passport import accessions, import_undo, withdrawals
from genebank.services.errors import ConcurrentEdit
from tests.conftest import passport_values
from tests.genebank.races import coded, race, server_only, store_lot, workstations
from tests.genebank.test_import_update import apply, checked, passport, update_sheet
from tests.genebank.test_seed_lots import TODAY, accession


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
    refusal = coded(met.second, "withdrawal_other_withdrawn")
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
    refusal = coded(met.second, "concurrent_edit")
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
    assert coded(met.second, "concurrent_edit").by == "pcur2"  # type: ignore[attr-defined]
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
    assert coded(met.second, "concurrent_edit").by == "pcur2"  # type: ignore[attr-defined]
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
    assert coded(met.second, "concurrent_edit").by == "pcur1"  # type: ignore[attr-defined]
    assert passport(database, ids["KZ-17"]).values["ORIGCTY"] == "KAZ"



def test_a_lot_stored_while_the_import_is_undone_keeps_its_accession(
        database: db.Database, tmp_path: Path) -> None:
    """plab1 stores a lot of KZ-18 (which the import created) as pcur1 starts the undo: the
    undo waits for the lot, then keeps KZ-18 and names its seed lot, as it does for a lot
    stored before the preview; nothing fails."""
    server_only(database)
    ids = _imported(database, tmp_path)
    with workstations(database, "plab1", "pcur1") as (plab1, pcur1):
        met = race(plab1, store_lot(ids["KZ-18"]),
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
                   plab1, store_lot(ids["KZ-18"]))
    assert [r.key for r in met.first.preview.remove] == ["KAZ001:KZ-18"]
    refusal = coded(met.second, "lot_accession_removed")
    assert refusal.params["accession_id"] == ids["KZ-18"]
    assert str(refusal).startswith("the accession of this lot no longer exists: someone "
                                   "removed it")
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SeedLot)) == 0
        assert session.get(Accession, ids["KZ-18"]) is None


