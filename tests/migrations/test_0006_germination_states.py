"""Migration 0006: germination tests in progress or complete, hard seeds counted apart;
older tests keep their counts, and those short of the seeds sown are listed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import seed_tests, worklists
from genebank.conservation.seed_tests import Replicate
from genebank.models import Base
from tests.migrations.older_rows import insert_accession, insert_institutes_and_taxon


def _old_germination_test(connection: Connection, test_id: int, day: dt.date, percent: float,
                          replicates: list[tuple[int, int, int, int, int]]) -> None:
    """A test as schema 0005 stored it (normal, abnormal, dead, ungerminated of sown)."""
    audit = {"created_at": dt.datetime(2024, 3, 1), "created_by": "lab",
             "updated_at": dt.datetime(2024, 3, 1), "updated_by": "lab", "version": 1}
    connection.execute(text(
        "INSERT INTO germination_test (id, lot_id, tested_on, method, pretreatment, "
        "seeds_consumed, germination_pct, tester, notes, created_at, created_by, updated_at, "
        "updated_by, version) VALUES (:id, 3, :day, 'BP', '', :seeds, :pct, 'lab', '', "
        ":created_at, :created_by, :updated_at, :updated_by, :version)"),
        {"id": test_id, "day": day, "seeds": sum(r[0] for r in replicates), "pct": percent,
         **audit})
    for position, (sown, normal, abnormal, dead, ungerminated) in enumerate(replicates, 1):
        connection.execute(text(
            "INSERT INTO germination_replicate (test_id, position, sown, normal, abnormal, "
            "dead, ungerminated, created_at, created_by, updated_at, updated_by, version) "
            "VALUES (:test, :position, :sown, :normal, :abnormal, :dead, :ungerminated, "
            ":created_at, :created_by, :updated_at, :updated_by, :version)"),
            {"test": test_id, "position": position, "sown": sown, "normal": normal,
             "abnormal": abnormal, "dead": dead, "ungerminated": ungerminated, **audit})


def test_0006_keeps_old_germination_tests_and_lists_those_short_of_the_sown(
        empty_engine: Engine) -> None:
    """Tests recorded before 0006 keep their counts and percentages, the lot its viability;
    those whose counts fall short of the seeds sown are listed for a person to check."""
    db.upgrade(empty_engine, "0005")
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        insert_institutes_and_taxon(connection)
        insert_accession(connection, 7, "KAZ001", "KZ-7")
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base", status="active",
            stored_on=dt.date(2019, 1, 10), seeds_on_hand=4800, initial_viability_pct=90.0,
            last_viability_pct=81.0, last_tested_on=dt.date(2024, 3, 1)))
        _old_germination_test(connection, 1, dt.date(2019, 3, 2), 90.0,
                              [(50, 46, 2, 1, 1), (50, 44, 2, 2, 2)])
        _old_germination_test(connection, 2, dt.date(2024, 3, 1), 81.0,
                              [(50, 40, 3, 2, 0), (50, 41, 4, 3, 2)])  # 5 seeds unaccounted
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text(
            "SELECT id, status, germination_pct, counted_on FROM germination_test ORDER BY id")
        ).all() == [(1, "complete", 90.0, None), (2, "short", 81.0, None)]
        assert connection.execute(text(
            "SELECT test_id, sown, normal, abnormal, dead, ungerminated, hard "
            "FROM germination_replicate ORDER BY test_id, position")).all() == [
            (1, 50, 46, 2, 1, 1, None), (1, 50, 44, 2, 2, 2, None),
            (2, 50, 40, 3, 2, 0, None), (2, 50, 41, 4, 3, 2, None)]
        assert connection.execute(text(
            "SELECT initial_viability_pct, last_viability_pct FROM seed_lot")).one() \
            == (90.0, 81.0)
    today = dt.date(2026, 11, 23)
    with Session(empty_engine) as session:
        items = worklists.page(session, worklists.WorkQuery(worklists.COUNTS_SHORT, today))
        assert [(i.accenumb, i.lot_number, i.reason) for i in items] == [
            ("KZ-7", "L-3", "germination test of 2024-03-01 (81 %): counts short of the seeds "
                            "sown")]
    with pytest.raises(IntegrityError), empty_engine.begin() as connection:  # still checked
        connection.execute(text("UPDATE germination_replicate SET hard = 9 WHERE test_id = 1"))
    with Session(empty_engine) as session, session.begin():  # the lab's sheet had 5 hard seeds
        seed_tests.complete_germination(session, 2, counted_on=today, today=today, replicates=[
            Replicate(50, 40, 3, 2, 0, 5), Replicate(50, 41, 4, 3, 2, 0)])
    with Session(empty_engine) as session:
        assert worklists.count(session, worklists.WorkQuery(worklists.COUNTS_SHORT, today)) == 0
        assert session.execute(text("SELECT initial_viability_pct, last_viability_pct "
                                    "FROM seed_lot")).one() == (90.0, 81.0)


def test_0006_downgrade_folds_hard_seeds_into_ungerminated(empty_engine: Engine) -> None:
    """Going back to 0005 keeps every counted seed (hard seeds were 'fresh or dormant'
    there) and stops, changing nothing, while a test is still in progress."""
    db.upgrade(empty_engine)
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        insert_institutes_and_taxon(connection)
        connection.execute(tables["accession"].insert().values(id=7, instcode="KAZ001",
                                                               accenumb="KZ-7", taxon_id=1))
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base", status="active",
            stored_on=dt.date(2019, 1, 10)))
        connection.execute(tables["germination_test"].insert().values(
            id=1, lot_id=3, tested_on=dt.date(2026, 1, 5), seeds_consumed=50,
            germination_pct=90.0, status="complete"))
        connection.execute(tables["germination_replicate"].insert().values(
            test_id=1, position=1, sown=50, normal=45, abnormal=1, dead=1, ungerminated=1,
            hard=2))
        connection.execute(tables["germination_test"].insert().values(
            id=2, lot_id=3, tested_on=dt.date(2026, 11, 20), seeds_consumed=50,
            status="in_progress"))
    with pytest.raises(RuntimeError, match="1 germination tests are in progress"):
        db.downgrade(empty_engine, "0005")
    with empty_engine.begin() as connection:
        connection.execute(text("DELETE FROM germination_test WHERE id = 2"))
    db.downgrade(empty_engine, "0005")
    with empty_engine.connect() as connection:
        assert connection.execute(text(
            "SELECT normal, abnormal, dead, ungerminated FROM germination_replicate")).one() \
            == (45, 1, 1, 3)
