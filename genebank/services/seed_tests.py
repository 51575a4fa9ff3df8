"""Germination (viability) and moisture tests of seed lots.

A germination test debits the seeds it used from the lot through the ledger. The earliest
test of a lot is its initial viability and the latest its current one; both are kept on the
lot for the regeneration rules, whatever order the tests are entered in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank.models import GerminationReplicate, GerminationTest, MoistureTest, SeedLot
from genebank.services import seed_lots
from genebank.services.errors import ServiceError


@dataclass(frozen=True, slots=True)
class Replicate:
    sown: int
    normal: int
    abnormal: int = 0
    dead: int = 0
    ungerminated: int = 0  # fresh or dormant seeds that did not germinate


def germination_percent(replicates: list[Replicate]) -> float:
    """Normal seedlings as a percentage of seeds sown, over all replicates, to 0.1 %."""
    return round(100 * sum(r.normal for r in replicates) / sum(r.sown for r in replicates), 1)


def record_germination(session: Session, lot_id: int, *, tested_on: dt.date,
                       replicates: list[Replicate], method: str = "", pretreatment: str = "",
                       tester: str = "", notes: str = "", seeds_consumed: int | None = None,
                       today: dt.date | None = None) -> int:
    """Add a germination test, debit the seeds it used, and update the lot's viability."""
    lot = seed_lots.get_lot(session, lot_id)
    _check_date(lot, tested_on, today)
    if not replicates:
        raise ServiceError("a germination test needs at least one replicate")
    for number, r in enumerate(replicates, start=1):
        if r.sown <= 0:
            raise ServiceError(f"replicate {number}: the number of seeds sown must be more "
                               "than 0")
        if min(r.normal, r.abnormal, r.dead, r.ungerminated) < 0:
            raise ServiceError(f"replicate {number}: counts cannot be negative")
        counted = r.normal + r.abnormal + r.dead + r.ungerminated
        if counted > r.sown:
            raise ServiceError(f"replicate {number}: {counted} seeds counted (normal, "
                               f"abnormal, dead, ungerminated) but only {r.sown} sown")
    consumed = seeds_consumed if seeds_consumed is not None else sum(r.sown for r in replicates)
    test = GerminationTest(lot_id=lot_id, tested_on=tested_on, method=method.strip(),
                           pretreatment=pretreatment.strip(), seeds_consumed=consumed,
                           germination_pct=germination_percent(replicates),
                           tester=tester.strip(), notes=notes,
                           replicates=[GerminationReplicate(position=i, **asdict(r))
                                       for i, r in enumerate(replicates, start=1)])
    session.add(test)
    session.flush()
    _keep_viability(session, lot)
    if consumed:  # the ledger entry also brings the lot's next test and flags up to date
        test.transaction_id = seed_lots.withdraw(session, lot_id, kind="test", on=tested_on,
                                                 seeds=consumed, reason="germination test",
                                                 today=today)
    else:
        seed_lots.refresh(session, lot)
    return test.id


def record_moisture(session: Session, lot_id: int, *, tested_on: dt.date,
                    moisture_pct: float | None = None, erh_pct: float | None = None,
                    method: str = "", tester: str = "", notes: str = "",
                    today: dt.date | None = None) -> int:
    """Add a moisture content test (fresh weight basis and/or equilibrium RH)."""
    lot = seed_lots.get_lot(session, lot_id)
    _check_date(lot, tested_on, today)
    if moisture_pct is None and erh_pct is None:
        raise ServiceError("give the moisture content (%) or the equilibrium relative "
                           "humidity (%)")
    for label, value in (("moisture content", moisture_pct),
                         ("equilibrium relative humidity", erh_pct)):
        if value is not None and not 0 <= value <= 100:
            raise ServiceError(f"a {label} of {value:g} % is impossible (0 to 100 %); "
                               "nothing was saved")
    test = MoistureTest(lot_id=lot_id, tested_on=tested_on, moisture_pct=moisture_pct,
                        erh_pct=erh_pct, method=method.strip(), tester=tester.strip(),
                        notes=notes)
    session.add(test)
    session.flush()
    latest = session.scalars(select(MoistureTest).where(MoistureTest.lot_id == lot_id)
                             .order_by(MoistureTest.tested_on.desc(), MoistureTest.id.desc())
                             .limit(1)).one()
    lot.last_moisture_pct, lot.last_erh_pct = latest.moisture_pct, latest.erh_pct
    seed_lots.refresh(session, lot)
    return test.id


def germination_tests(session: Session, lot_id: int) -> list[GerminationTest]:
    return list(session.scalars(select(GerminationTest).where(GerminationTest.lot_id == lot_id)
                                .order_by(GerminationTest.tested_on, GerminationTest.id)))


def _check_date(lot: SeedLot, tested_on: dt.date, today: dt.date | None) -> None:
    today = today or dt.date.today()
    if tested_on > today:
        raise ServiceError(f"the test date {tested_on:%Y-%m-%d} is in the future")
    if tested_on < lot.stored_on:
        raise ServiceError(f"the test date {tested_on:%Y-%m-%d} is before lot "
                           f"{lot.lot_number} was stored ({lot.stored_on:%Y-%m-%d})")


def _keep_viability(session: Session, lot: SeedLot) -> None:
    """The earliest test is the initial viability, the latest the current one."""
    tests = germination_tests(session, lot.id)
    lot.initial_viability_pct = tests[0].germination_pct
    lot.last_viability_pct = tests[-1].germination_pct
    lot.last_tested_on = tests[-1].tested_on
