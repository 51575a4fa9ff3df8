"""One answer to "has a safety duplicate": the statistics, the "No safety duplicate" worklist
and the MCPD export's DUPLSITE agree (a site typed in the passport, or an institute holding a
live sent or confirmed duplicate), and a void that leaves a typed DUPLSITE says so (QA
findings 5 and 3; SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import corrections, regenerations, seed_lots, worklists
from genebank.demo import demo
from genebank.models import Accession, AccessionInstitute, SafetyDuplicate
from genebank.passport import accessions, mcpd_export, withdrawals
from genebank.reporting import stats
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
SENT = dt.date(2025, 6, 1)


def _duplicated(session: Session) -> dict[str, object]:
    """What each of the three places says, by ACCENUMB."""
    query = worklists.WorkQuery(worklists.WITHOUT_SAFETY_DUPLICATE, TODAY)
    listed = {item.accenumb for item in worklists.all_items(session, query)}
    kept = list(session.scalars(select(Accession.id).where(
        Accession.withdrawn_on.is_(None)).order_by(Accession.accenumb)))
    exported = {r["ACCENUMB"]: r["DUPLSITE"] for r in mcpd_export.export_records(session, kept)}
    return {"stats": stats.collection_stats(session).with_safety_duplicate,
            "worklist count": worklists.count(session, query),
            "listed": listed, "exported": exported}


def test_statistics_worklist_and_export_count_the_same_safety_duplicates(
        database: db.Database) -> None:
    """Typed-only, sent-only, confirmed, voided, withdrawn-status and none: the three agree."""
    with database.session_factory.begin() as session:
        ids = {}
        for number, typed in (("TYPED", "NOR051"), ("SENT", None), ("CONFIRMED", None),
                              ("VOIDED", None), ("RECALLED", None), ("NONE", None),
                              ("GONE", "NOR051")):
            ids[number] = accessions.create_accession(
                session, values=passport_values(ACCENUMB=number, DUPLSITE=typed)).id
        duplicates = {}
        for number in ("SENT", "CONFIRMED", "VOIDED", "RECALLED"):
            lot = seed_lots.create_lot(session, accession_id=ids[number],
                                       lot_number=f"L-{number}", storage_type="base",
                                       stored_on=dt.date(2025, 1, 15), seeds=5000, today=TODAY)
            duplicates[number] = regenerations.send_safety_duplicate(
                session, lot_id=lot, institute_code="NOR051", sent_on=SENT, seeds=500,
                today=TODAY)
        regenerations.set_duplicate_status(session, duplicates["CONFIRMED"], "confirmed",
                                           today=TODAY)
        regenerations.set_duplicate_status(session, duplicates["RECALLED"], "withdrawn",
                                           today=TODAY)
        corrections.void_safety_duplicate(session, duplicates["VOIDED"], reason="wrong lot")
        withdrawals.withdraw_accession(session, ids["GONE"], reason="lost", on=TODAY,
                                       today=TODAY)
    with database.session_factory() as session:
        said = _duplicated(session)
    assert said["exported"] == {"TYPED": "NOR051", "SENT": "NOR051", "CONFIRMED": "NOR051",
                                "VOIDED": None, "RECALLED": None, "NONE": None}
    assert said["listed"] == {"VOIDED", "RECALLED", "NONE"}
    assert said["stats"] == 3 and said["worklist count"] == 3


def test_voiding_a_duplicate_says_when_the_passport_still_types_its_site(
        database: db.Database) -> None:
    """The only duplicate at NOR051 voided while DUPLSITE types NOR051: the result says the
    site is still named (the void never edits the passport); with no typed site, or another
    live duplicate there, it is not said."""
    with database.session_factory.begin() as session:
        typed = accessions.create_accession(
            session, values=passport_values(ACCENUMB="T-1", DUPLSITE="NOR051")).id
        plain = accessions.create_accession(session, values=passport_values(ACCENUMB="P-1")).id
        sent = {}
        for accession_id, number in ((typed, "T"), (typed, "T2"), (plain, "P")):
            lot = seed_lots.create_lot(session, accession_id=accession_id,
                                       lot_number=f"L-{number}", storage_type="base",
                                       stored_on=dt.date(2025, 1, 15), seeds=5000, today=TODAY)
            sent[number] = regenerations.send_safety_duplicate(
                session, lot_id=lot, institute_code="NOR051", sent_on=SENT, seeds=500,
                today=TODAY)
    with database.session_factory.begin() as session:
        first = corrections.void_safety_duplicate(session, sent["T"], reason="wrong lot")
        assert (first.institute_code, first.site_still_named) == ("NOR051", False)  # T2 there
        last = corrections.void_safety_duplicate(session, sent["T2"], reason="wrong lot")
        assert (last.institute_code, last.site_still_named) == ("NOR051", True)
        untyped = corrections.void_safety_duplicate(session, sent["P"], reason="wrong lot")
        assert untyped.site_still_named is False
    with database.session_factory() as session:
        [record] = mcpd_export.export_records(session, [typed])
        assert record["DUPLSITE"] == "NOR051"  # the passport's own site, left as typed


def test_the_demo_names_a_site_once_and_its_three_counts_agree(database: db.Database) -> None:
    """The demo with lots types no DUPLSITE of its own: NOR051 is named by the duplicates
    sent there, so voiding an accession's only duplicate takes NOR051 out of its export;
    statistics, worklist and export agree. Without lots, DUPLSITE is typed (QA 3, 5)."""
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=120, today=TODAY)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AccessionInstitute).where(
            AccessionInstitute.role == "DUPLSITE")) == 0
        said = _duplicated(session)
        exported = [number for number, site in said["exported"].items() if site]
        assert said["stats"] == len(exported) == 120 - said["worklist count"] > 0
        only = session.execute(select(SafetyDuplicate.id, SafetyDuplicate.accession_id).where(
            SafetyDuplicate.status.in_(("sent", "confirmed")),
            SafetyDuplicate.voided_at.is_(None))).all()
        counts: dict[int, int] = {}
        for _, accession_id in only:
            counts[accession_id] = counts.get(accession_id, 0) + 1
        duplicate_id, accession_id = next(row for row in only if counts[row[1]] == 1)
    with database.session_factory.begin() as session:
        voided = corrections.void_safety_duplicate(session, duplicate_id,
                                                   reason="sent under the wrong lot")
        assert voided.site_still_named is False
    with database.session_factory() as session:
        [record] = mcpd_export.export_records(session, [accession_id])
        assert record["DUPLSITE"] is None
        assert stats.collection_stats(session).with_safety_duplicate == said["stats"] - 1
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=60, lots=False, today=TODAY)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AccessionInstitute).where(
            AccessionInstitute.role == "DUPLSITE")) > 0
