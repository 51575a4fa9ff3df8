"""Demo lots and tests: written in bulk, yet exactly what the services would have kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from genebank import db
from genebank.conservation import conservation_view, seed_lots, worklists
from genebank.conservation.worklists import WorkQuery
from genebank.demo import demo
from genebank.models import GerminationTest, LotFlag, SafetyDuplicate, SeedLot

TODAY = dt.date(2026, 11, 23)


def test_demo_lots_agree_with_their_ledgers_and_the_rules(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=300, today=TODAY)
    with database.session_factory() as session:
        lots = session.scalars(select(SeedLot)).all()
        stored = [lot for lot in lots if lot.parent_lot_id is None]  # not regenerated
        assert 400 <= len(stored) <= 500  # one or two lots per accession
        tests = session.scalar(select(func.count()).select_from(GerminationTest))
        assert tests >= len(lots) * 0.9
        for lot in lots:
            assert seed_lots.ledger_balance(session, lot.id)[0] == lot.seeds_on_hand
            kept = (lot.next_test_due, sorted(session.scalars(
                select(LotFlag.message).where(LotFlag.lot_id == lot.id))))
            assert lot.stored_on <= TODAY and (lot.last_tested_on or lot.stored_on) <= TODAY
            seed_lots.refresh(session, lot)  # the services' judgement of the same facts
            assert (lot.next_test_due, sorted(session.scalars(
                select(LotFlag.message).where(LotFlag.lot_id == lot.id)))) == kept
        session.rollback()
        overview = worklists.overview(session, today=TODAY)
        # the test lists are checked in test_demo_coherence (a few tests wait to be counted);
        # the demo's passports are complete, so none lacks FAO reporting data
        assert all(overview[w.id] > 0 for w in worklists.WORKLISTS
                   if w.id not in {*worklists.TEST_LISTS, worklists.MISSING_FAO_DATA}), \
            overview
        assert overview[worklists.MISSING_FAO_DATA] == 0
        kept_by = session.scalars(select(SafetyDuplicate.accession_id)).all()
        assert kept_by and None not in kept_by


def test_the_conservation_tab_reads_lots_flags_and_history(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=40, today=TODAY)
    with database.session_factory() as session:
        flagged_lot = session.scalars(select(SeedLot).join(LotFlag)).first()
        assert flagged_lot is not None
        lots = conservation_view.accession_lots(session, flagged_lot.accession_id, today=TODAY)
        shown = next(lot for lot in lots if lot.id == flagged_lot.id)
        assert shown.flags and shown.location.startswith("Demo ")
        history = conservation_view.lot_history(session, flagged_lot.id)
        assert history.ledger[0].kind == "stored"
        assert sum(line.seeds for line in history.ledger) == shown.seeds_on_hand
        assert [t.tested_on for t in history.tests] == sorted(
            (t.tested_on for t in history.tests), reverse=True)


def test_a_worklist_exports_as_filtered_and_sorted(database: db.Database,
                                                   tmp_path: Path) -> None:
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=200, today=TODAY)
    query = WorkQuery(worklists.TESTS_DUE, TODAY, order="due")
    with database.session_factory() as session:
        written = worklists.export_worklist(session, query, tmp_path / "plan.xlsx")
        expected = [(i.accenumb, i.lot_number, f"{i.due:%Y-%m-%d}")
                    for i in worklists.all_items(session, query)]
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx").active
    assert sheet.title == "Viability tests due"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert written == len(expected) > 0
    assert [(r[0], r[2], r[4]) for r in rows] == expected
