"""The "Needs attention" lists and the counts behind them.

Each list is one indexed query on columns the services keep (``seed_lot.next_test_due``,
``lot_flag``), so it stays quick over a million accessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from genebank.models import Accession, LotFlag, SafetyDuplicate, SeedLot
from genebank.services import conservation_rules as rules


@dataclass(frozen=True, slots=True)
class WorkItem:
    accession_id: int
    accenumb: str
    lot_id: int | None
    lot_number: str | None
    reason: str


def tests_due(session: Session, *, by: dt.date, limit: int = 200, offset: int = 0) \
        -> list[WorkItem]:
    """Active lots whose viability test is due on or before ``by`` (overdue first)."""
    query = (_lots().where(SeedLot.status == "active", SeedLot.next_test_due <= by)
             .add_columns(SeedLot.next_test_due, SeedLot.last_tested_on)
             .order_by(SeedLot.next_test_due, SeedLot.id).limit(limit).offset(offset))
    return [WorkItem(a, n, lot, number,
                     f"viability test due by {due:%Y-%m-%d}"
                     + (f" (last test {last:%Y-%m-%d})" if last else " (first test)"))
            for a, n, lot, number, due, last in session.execute(query)]


def count_tests_due(session: Session, *, by: dt.date) -> int:
    return session.scalar(select(func.count()).select_from(SeedLot).where(
        SeedLot.status == "active", SeedLot.next_test_due <= by)) or 0


def flagged(session: Session, rule: str, *, limit: int = 200, offset: int = 0) \
        -> list[WorkItem]:
    """Lots a stored rule has flagged (regeneration, minimum stock, moisture)."""
    query = (_lots().join(LotFlag, LotFlag.lot_id == SeedLot.id)
             .where(LotFlag.rule == rule).add_columns(LotFlag.message)
             .order_by(Accession.accenumb, SeedLot.id).limit(limit).offset(offset))
    return [WorkItem(*row) for row in session.execute(query)]


def count_flagged(session: Session, rule: str) -> int:
    return session.scalar(select(func.count()).select_from(LotFlag)
                          .where(LotFlag.rule == rule)) or 0


def without_base_lot(session: Session, *, limit: int = 200, offset: int = 0) \
        -> list[WorkItem]:
    query = (select(Accession.id, Accession.accenumb).where(~_has_base_lot())
             .order_by(Accession.accenumb).limit(limit).offset(offset))
    return [WorkItem(a, n, None, None, "no active base-collection lot")
            for a, n in session.execute(query)]


def without_safety_duplicate(session: Session, *, limit: int = 200, offset: int = 0) \
        -> list[WorkItem]:
    query = (select(Accession.id, Accession.accenumb).where(~_has_duplicate())
             .order_by(Accession.accenumb).limit(limit).offset(offset))
    return [WorkItem(a, n, None, None, "no safety duplicate sent")
            for a, n in session.execute(query)]


def overview(session: Session, *, today: dt.date) -> dict[str, int]:
    """The counts behind each list, for the collection overview."""
    return {
        "tests_due": count_tests_due(session, by=today),
        **{rule: count_flagged(session, rule) for rule in rules.STORED_RULES},
        "without_base_lot": session.scalar(select(func.count()).select_from(Accession)
                                           .where(~_has_base_lot())) or 0,
        "without_safety_duplicate": session.scalar(select(func.count()).select_from(Accession)
                                                   .where(~_has_duplicate())) or 0,
    }


def _lots() -> Select[tuple[int, str, int, str]]:
    return (select(Accession.id, Accession.accenumb, SeedLot.id, SeedLot.lot_number)
            .join(Accession, Accession.id == SeedLot.accession_id))


def _has_base_lot() -> exists:
    return exists().where(SeedLot.accession_id == Accession.id,
                          SeedLot.storage_type == "base", SeedLot.status == "active")


def _has_duplicate() -> exists:
    return exists().where(SeedLot.accession_id == Accession.id,
                          SafetyDuplicate.lot_id == SeedLot.id,
                          SafetyDuplicate.status.in_(("sent", "confirmed")))
