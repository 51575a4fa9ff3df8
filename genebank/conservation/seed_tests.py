"""Germination (viability) and moisture tests of seed lots.

A germination test debits the seeds it used from the lot through the ledger when it is
sown. It is either recorded counted at once (:func:`record_germination`) or sown now and
counted later (:func:`start_germination`, then :func:`complete_germination`); a count is
complete only when, per replicate, normal + abnormal + dead + fresh ungerminated + hard =
sown (ISTA's categories). The earliest counted test of a lot is its initial viability and
the latest its current one; both are kept on the lot for the regeneration rules, whatever
order the tests are entered in. A test in progress sets no viability.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import problems
from genebank.conservation import seed_lots
from genebank.models import GerminationReplicate, GerminationTest, MoistureTest, SeedLot
from genebank.models.base import live
from genebank.models.seed_test import COUNTED_STATUSES
from genebank.services import voids
from genebank.services.refusals import Refused, check_past
from genebank.services.text_fields import checked_text
from genebank.text import TextKind, limit_of
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "moisture_missing": "give the moisture content (%) or the equilibrium relative humidity "
                        "(%)",
    "moisture_out_of_range": "a moisture content of {value:g} % is impossible (0 to 100 %); "
                             "nothing was saved",
    "erh_out_of_range": "an equilibrium relative humidity of {value:g} % is impossible (0 to "
                        "100 %); nothing was saved",
    "test_date_in_future": "the test date {day} is in the future",
    "test_before_stored": "the test date {day} is before lot {lot} was stored ({stored})",
})


@dataclass(frozen=True, slots=True)
class Replicate:
    """One replicate's seeds sown and, once counted, every seed in one ISTA category."""

    sown: int
    normal: int
    abnormal: int = 0
    dead: int = 0
    ungerminated: int = 0  # fresh seeds that did not germinate (dormant but alive)
    hard: int = 0  # hard seeds (they did not take up water)

    @property
    def counted(self) -> int:
        return self.normal + self.abnormal + self.dead + self.ungerminated + self.hard


def germination_percent(replicates: list[Replicate]) -> float:
    """Normal seedlings as a percentage of seeds sown, over all replicates, to 0.1 %."""
    return round(100 * sum(r.normal for r in replicates) / sum(r.sown for r in replicates), 1)


def check_replicates(replicates: list[Replicate]) -> None:
    """Refuse counts that are not a complete test: each replicate's categories add up to
    the seeds sown, so no seed is lost between the sowing and the count."""
    if not replicates:
        raise Refused("no_replicates")
    for number, r in enumerate(replicates, start=1):
        _check_sown(number, r.sown)
        if min(r.normal, r.abnormal, r.dead, r.ungerminated, r.hard) < 0:
            raise Refused("count_negative", replicate=number)
        if r.counted != r.sown:
            raise Refused("counts_do_not_add_up", replicate=number, normal=r.normal,
                          abnormal=r.abnormal, dead=r.dead, ungerminated=r.ungerminated,
                          hard=r.hard, counted=r.counted, sown=r.sown)


@requires(Right.CHANGE_CONSERVATION)
def record_germination(session: Session, lot_id: int, *, tested_on: dt.date,
                       replicates: list[Replicate], method: str = "", pretreatment: str = "",
                       tester: str = "", notes: str = "", seeds_consumed: int | None = None,
                       counted_on: dt.date | None = None, today: dt.date | None = None) -> int:
    """Add a counted (complete) germination test, debit the seeds it used, and update the
    lot's viability; ``counted_on`` (the final count) defaults to the test date."""
    check_replicates(replicates)
    if counted_on is not None:
        _check_count_date(tested_on, counted_on, today)
    test = _add_test(session, lot_id, tested_on=tested_on, sown=[r.sown for r in replicates],
                     method=method, pretreatment=pretreatment, tester=tester, notes=notes,
                     seeds_consumed=seeds_consumed, today=today)
    _set_counts(test, replicates, counted_on or tested_on)
    _after_change(session, test, today)
    return test.id


@requires(Right.CHANGE_CONSERVATION)
def start_germination(session: Session, lot_id: int, *, tested_on: dt.date, sown: list[int],
                      method: str = "", pretreatment: str = "", tester: str = "",
                      notes: str = "", seeds_consumed: int | None = None,
                      today: dt.date | None = None) -> int:
    """Add a test that is sown but not yet counted: its seeds leave the lot now, it sets no
    viability, and it waits in the "tests to count" worklist until :func:`complete_germination`."""
    if not sown:
        raise Refused("no_replicates")
    for number, seeds in enumerate(sown, start=1):
        _check_sown(number, seeds)
    test = _add_test(session, lot_id, tested_on=tested_on, sown=sown, method=method,
                     pretreatment=pretreatment, tester=tester, notes=notes,
                     seeds_consumed=seeds_consumed, today=today)
    _after_change(session, test, today)
    return test.id


@requires(Right.CHANGE_CONSERVATION)
def complete_germination(session: Session, test_id: int, *, replicates: list[Replicate],
                         counted_on: dt.date, today: dt.date | None = None) -> None:
    """Count a test in progress (or re-count a test whose old counts fall short of the
    seeds sown, from the lab's sheet); the lot's viability follows from the new counts."""
    test = get_test(session, test_id)
    if test.status == "complete":
        raise Refused("test_not_countable", day=test.tested_on)
    sown = [r.sown for r in test.replicates]
    given = [r.sown for r in replicates]
    if given != sown:
        raise Refused("replicates_differ", expected=len(sown),
                      sown_list=", ".join(map(str, sown)), given=len(given),
                      given_list=", ".join(map(str, given)))
    check_replicates(replicates)
    _check_count_date(test.tested_on, counted_on, today)
    _set_counts(test, replicates, counted_on)
    _after_change(session, test, today)


@internal
def get_test(session: Session, test_id: int) -> GerminationTest:
    test = session.get(GerminationTest, test_id)
    if test is None:
        raise Refused("test_not_found", test_id=test_id)
    voids.check_live(test, "germination test")
    return test


@requires(Right.CHANGE_CONSERVATION)
def record_moisture(session: Session, lot_id: int, *, tested_on: dt.date,
                    moisture_pct: float | None = None, erh_pct: float | None = None,
                    method: str = "", tester: str = "", notes: str = "",
                    today: dt.date | None = None) -> int:
    """Add a moisture content test (fresh weight basis and/or equilibrium RH)."""
    lot = seed_lots.lock_lot(session, lot_id)
    _check_date(lot, tested_on, today)
    seed_lots.check_in_collection(session, lot.accession_id, tested_on, lot=lot.lot_number)
    if moisture_pct is None and erh_pct is None:
        raise Refused("moisture_missing")
    for code, value in (("moisture_out_of_range", moisture_pct),
                        ("erh_out_of_range", erh_pct)):
        if value is not None and not 0 <= value <= 100:
            raise Refused(code, value=value)
    texts = _clean_texts(MoistureTest, method=method, tester=tester, notes=notes)
    test = MoistureTest(lot_id=lot_id, tested_on=tested_on, moisture_pct=moisture_pct,
                        erh_pct=erh_pct, **texts)
    session.add(test)
    session.flush()
    keep_moisture(session, lot)
    seed_lots.refresh(session, lot)
    return test.id


@internal
def keep_moisture(session: Session, lot: SeedLot) -> None:
    """The lot's last moisture and ERH: its latest moisture test that is not void."""
    session.flush()
    latest = session.scalars(select(MoistureTest)
                             .where(MoistureTest.lot_id == lot.id, live(MoistureTest))
                             .order_by(MoistureTest.tested_on.desc(), MoistureTest.id.desc())
                             .limit(1)).one_or_none()
    lot.last_moisture_pct = latest.moisture_pct if latest else None
    lot.last_erh_pct = latest.erh_pct if latest else None


@everyone
def germination_tests(session: Session, lot_id: int, *, counted_only: bool = False) \
        -> list[GerminationTest]:
    """The lot's germination tests that are not void, oldest first."""
    query = select(GerminationTest).where(GerminationTest.lot_id == lot_id,
                                          live(GerminationTest))
    if counted_only:
        query = query.where(GerminationTest.status.in_(COUNTED_STATUSES))
    return list(session.scalars(query.order_by(GerminationTest.tested_on, GerminationTest.id)))


def _check_sown(number: int, sown: int) -> None:
    if sown <= 0:
        raise Refused("sown_not_positive", replicate=number)


def _check_count_date(tested_on: dt.date, counted_on: dt.date, today: dt.date | None) -> None:
    check_past(counted_on, what="count", today=today)
    if counted_on < tested_on:
        raise Refused("not_before", what="count", day=counted_on,
                      earlier="sowing", since=tested_on)


NOTES_LIMIT = 4000  # a test's notes column has no size of its own


def _clean_texts(model: type[GerminationTest | MoistureTest], **texts: str) -> dict[str, str]:
    """A test's texts cleaned (``genebank.text``) and within their columns' sizes: before
    the database, whichever form or import they come from."""
    return {name: checked_text(value or "", field=name, label=name,
                               kind=TextKind.LINES if name == "notes" else TextKind.LINE,
                               limit=limit_of(getattr(model, name)) or NOTES_LIMIT).strip()
            for name, value in texts.items()}


def _add_test(session: Session, lot_id: int, *, tested_on: dt.date, sown: list[int],
              method: str, pretreatment: str, tester: str, notes: str,
              seeds_consumed: int | None, today: dt.date | None) -> GerminationTest:
    """A test as sown (in progress), with its replicates' seeds sown and no counts."""
    lot = seed_lots.lock_lot(session, lot_id)
    _check_date(lot, tested_on, today)
    seed_lots.check_in_collection(session, lot.accession_id, tested_on, lot=lot.lot_number)
    texts = _clean_texts(GerminationTest, method=method, pretreatment=pretreatment,
                         tester=tester, notes=notes)
    consumed = seeds_consumed if seeds_consumed is not None else sum(sown)
    test = GerminationTest(lot_id=lot_id, tested_on=tested_on, seeds_consumed=consumed,
                           status="in_progress", germination_pct=None, **texts,
                           replicates=[GerminationReplicate(position=i, sown=seeds)
                                       for i, seeds in enumerate(sown, start=1)])
    session.add(test)
    session.flush()
    if consumed:
        test.transaction_id = seed_lots.withdraw(session, lot_id, kind="test", on=tested_on,
                                                 seeds=consumed, reason="germination test",
                                                 today=today)
    return test


def _set_counts(test: GerminationTest, replicates: list[Replicate],
                counted_on: dt.date) -> None:
    for row, counts in zip(test.replicates, replicates, strict=True):
        row.normal, row.abnormal, row.dead = counts.normal, counts.abnormal, counts.dead
        row.ungerminated, row.hard = counts.ungerminated, counts.hard
    test.status, test.counted_on = "complete", counted_on
    test.germination_pct = germination_percent(replicates)


def _after_change(session: Session, test: GerminationTest, today: dt.date | None) -> None:
    """Bring the lot's viability, next test and flags in line with its counted tests."""
    session.flush()
    lot = seed_lots.lock_lot(session, test.lot_id)
    _keep_viability(session, lot)
    seed_lots.refresh(session, lot)


def _check_date(lot: SeedLot, tested_on: dt.date, today: dt.date | None) -> None:
    today = today or dt.date.today()
    if tested_on > today:
        raise Refused("test_date_in_future", day=tested_on)
    if tested_on < lot.stored_on:
        raise Refused("test_before_stored", day=tested_on, lot=lot.lot_number,
                      stored=lot.stored_on)


@internal
def keep_viability(session: Session, lot: SeedLot) -> None:
    """The lot's viability again from its counted tests that are not void."""
    session.flush()
    _keep_viability(session, lot)


def _keep_viability(session: Session, lot: SeedLot) -> None:
    """The earliest counted test is the initial viability, the latest the current one; a
    test in progress counts for neither (its seeds are still in the germinator)."""
    tests = germination_tests(session, lot.id, counted_only=True)
    lot.initial_viability_pct = tests[0].germination_pct if tests else None
    lot.last_viability_pct = tests[-1].germination_pct if tests else None
    lot.last_tested_on = tests[-1].tested_on if tests else None
