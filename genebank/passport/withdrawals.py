"""Withdrawing an accession from the collection, and reinstating it.

An accession leaves the collection by being withdrawn, with a date and a reason (lost, dead,
duplicate of another, merged into another, split, transferred, discarded): it stays in the
database, with its passport, its lots and their story, but out of the counts, worklists and
exports by default (each of those asks :func:`withdrawn_ids`). Reinstating puts it back
exactly as it was. Delete (:func:`genebank.passport.accessions.delete_accession`) is only
for records made by mistake.

A withdrawn accession's lots are kept as they are (stock, tests, locations): they are out of
every worklist (tests due, regeneration, minimum stock...) while the accession is withdrawn,
and back in them when it is reinstated. Nothing about them is changed by either.

The state lives on the accession's row (migration 0016); each withdrawal and reinstatement
is a history entry of its own operation (``withdrawal``, ``reinstatement``) whose fields
say the date, the reason, the other accession and the note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from genebank import history, problems
from genebank.mcpd.identity import accession_key
from genebank.models import (
    Accession,
    GerminationTest,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SeedLot,
)
from genebank.models.accession import OTHER_REASONS, WITHDRAWAL_REASONS
from genebank.models.base import live, utcnow
from genebank.services.errors import ConcurrentEdit, NotFound
from genebank.services.refusals import Refused
from genebank.services.text_fields import checked_text
from genebank.text import TextKind
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

problems.register({
    "accession_key_unknown": "no accession {key}: give it as INSTCODE:ACCENUMB "
                             "(e.g. KAZ001:KZ-0001)",
    "withdrawal_reason_unknown": "'{reason}' is not a reason for a withdrawal (one of: "
                                 "{choices:keys})",
    "already_withdrawn": "{accession} was withdrawn already on {on} ({reason:word}); "
                         "reinstate it first to withdraw it again",
    "not_withdrawn": "{accession} is in the collection: only a withdrawn accession can be "
                     "reinstated",
    "withdrawal_in_future": "the withdrawal date {day} is after today ({today}): only what "
                            "has happened can be recorded",
    "withdrawal_before_acquisition": "the withdrawal date {day} is before {accession} was "
                                     "acquired ({acquired}): an accession leaves the "
                                     "collection after it came in",
    "withdrawal_before_lot_use": "the withdrawal date {day} is before {since}, when lot "
                                 "{lot} of {accession} was last stored, used or tested: "
                                 "give the day it left the collection, on or after that",
    "withdrawal_needs_other": "a withdrawal as {reason:word} names the other accession "
                              "concerned, as INSTCODE:ACCENUMB",
    "withdrawal_other_not_for_reason": "a withdrawal as {reason:word} names no other "
                                       "accession: only {choices:keys} do",
    "withdrawal_other_itself": "{accession} cannot be {reason:word} of itself: name the "
                               "other accession",
    "withdrawal_other_withdrawn": "{other} is withdrawn itself ({reason:word}): name the "
                                  "accession that stays in the collection",
})


# Reasons that name the other accession concerned (the others may not).
NEEDS_OTHER = ("duplicate", "merged")


@dataclass(frozen=True, slots=True)
class WithdrawalState:
    """An accession's place in the collection. ``withdrawn_on`` None: in the collection."""

    accession_id: int
    key: str  # INSTCODE:ACCENUMB as stored
    version: int
    withdrawn_on: dt.date | None = None
    reason: str | None = None
    other_id: int | None = None
    other_key: str = ""
    note: str = ""

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None


def withdrawn_ids() -> Select[tuple[int]]:
    """The ids of the withdrawn accessions (a few, read from their partial index): what
    every count, worklist and export leaves out unless asked to include them."""
    return select(Accession.id).where(Accession.withdrawn_on.is_not(None))


def in_collection(column: object = Accession.id) -> object:
    """``column`` (an accession id) is not a withdrawn accession's: a condition checked per
    row against the small set of withdrawn ids, so no index on the column is lost."""
    return column.not_in(withdrawn_ids())  # type: ignore[attr-defined]


@everyone
def withdrawal_state(session: Session, accession_id: int) -> WithdrawalState:
    """Whether an accession is withdrawn, since when, why (the form and the menu ask)."""
    return _state(_get(session, accession_id))


@everyone
def find_by_key(session: Session, key: str) -> int:
    """The id of the accession ``key`` names (INSTCODE:ACCENUMB, however spelt)."""
    instcode, sep, accenumb = key.partition(":")
    found = session.scalar(select(Accession.id).where(
        Accession.identity_key == accession_key(instcode.strip(), accenumb.strip()))) \
        if sep else None
    if found is None:
        raise NotFound(code="accession_key_unknown", params={"key": key})
    return found


@requires(Right.CHANGE_PASSPORT)
def withdraw_accession(session: Session, key: int | str, *, on: dt.date, reason: str,
                       other: int | str | None = None, note: str = "",
                       expected_version: int | None = None,
                       today: dt.date | None = None) -> WithdrawalState:
    """Withdraw the accession ``key`` (its id, or INSTCODE:ACCENUMB) from the collection on
    ``on`` for ``reason``; ``other`` is the accession it duplicates, was merged into or
    split into. Refused (nothing written) when it is withdrawn already, the date is after
    today, the reason is unknown, or the other accession is missing, not wanted, itself,
    or withdrawn too."""
    _hold(session, key, other)
    accession = _accession(session, key, expected_version)
    label = _label(accession)
    if reason not in WITHDRAWAL_REASONS:
        raise Refused("withdrawal_reason_unknown", reason=reason, choices=WITHDRAWAL_REASONS)
    if accession.withdrawn_on is not None:
        raise Refused("already_withdrawn", accession=label, on=accession.withdrawn_on,
                      reason=accession.withdrawal_reason)
    today = today or dt.date.today()
    if on > today:
        raise Refused("withdrawal_in_future", day=on, today=today)
    other_accession = None
    if other is not None and other != "":
        if reason not in OTHER_REASONS:
            raise Refused("withdrawal_other_not_for_reason", reason=reason,
                          choices=OTHER_REASONS)
        other_accession = _get(session, other if isinstance(other, int)
                               else find_by_key(session, other))
        if other_accession.id == accession.id:
            raise Refused("withdrawal_other_itself", accession=label, reason=reason)
        if other_accession.withdrawn_on is not None:
            raise Refused("withdrawal_other_withdrawn", other=_label(other_accession),
                          reason=other_accession.withdrawal_reason)
    elif reason in NEEDS_OTHER:
        raise Refused("withdrawal_needs_other", reason=reason)
    _check_not_before_its_story(session, accession, on)
    note = checked_text(note, field="withdrawal_note", label="note",
                        kind=TextKind.LINES).strip()
    said = reason + (f": {note}" if note else "")
    with history.operation(session, "withdrawal", reason=said,
                           reference=_label(other_accession) if other_accession else ""):
        accession.withdrawn_on = on
        accession.withdrawal_reason = reason
        accession.withdrawal_other_id = other_accession.id if other_accession else None
        accession.withdrawal_note = note or None
        accession.updated_at = utcnow()
        _flush(session, accession)
    return _state(accession)


@requires(Right.CHANGE_PASSPORT)
def reinstate_accession(session: Session, key: int | str, *, reason: str = "",
                        expected_version: int | None = None) -> WithdrawalState:
    """Put a withdrawn accession back in the collection, as it was before its withdrawal
    (its passport and lots were never changed); the history keeps the withdrawal."""
    _hold(session, key)
    accession = _accession(session, key, expected_version)
    if accession.withdrawn_on is None:
        raise Refused("not_withdrawn", accession=_label(accession))
    with history.operation(session, "reinstatement", reason=reason.strip()):
        accession.withdrawn_on = None
        accession.withdrawal_reason = None
        accession.withdrawal_other_id = None
        accession.withdrawal_note = None
        accession.updated_at = utcnow()
        _flush(session, accession)
    return _state(accession)


def _hold(session: Session, *keys: int | str | None) -> None:
    """Read afresh and hold to the end of the transaction the accessions ``keys`` name (those
    that exist), in id order. On PostgreSQL two curators withdrawing A as a duplicate of B
    and B as a duplicate of A at the same moment then meet here: the second waits, then
    sees the first's withdrawal and is refused (``withdrawal_other_withdrawn``), instead of
    both leaving the collection; a form saved meanwhile waits too, then is told who changed
    the accession. On SQLite the write transaction holds the whole database already."""
    ids = set()
    for key in keys:
        if isinstance(key, int):
            ids.add(key)
        elif key:
            with contextlib.suppress(NotFound):  # refused where it is read, in its turn
                ids.add(find_by_key(session, key))
    for accession_id in sorted(ids):
        session.get(Accession, accession_id, with_for_update={"of": Accession},
                    populate_existing=True)


def _check_not_before_its_story(session: Session, accession: Accession, on: dt.date) -> None:
    """A withdrawal is dated like any other event: not before the accession was acquired
    (ACQDATE, its earliest possible day when the month or day is not known), nor before the
    last day its lots were stored, used or tested (a recount, a move or a discard may come
    after: see :func:`genebank.conservation.seed_lots.check_in_collection`)."""
    label = _label(accession)
    acquired = earliest_day(accession.acqdate)
    if acquired is not None and on < acquired:
        raise Refused("withdrawal_before_acquisition", day=on, accession=label,
                      acquired=shown_acqdate(accession.acqdate or ""))
    lots = select(SeedLot.id).where(SeedLot.accession_id == accession.id)
    uses = [
        select(LotTransaction.occurred_on, LotTransaction.lot_id).where(
            LotTransaction.lot_id.in_(lots), live(LotTransaction),
            LotTransaction.kind.not_in(("transfer", "correction", "discarded"))),
        select(GerminationTest.tested_on, GerminationTest.lot_id).where(
            GerminationTest.lot_id.in_(lots), live(GerminationTest)),
        select(MoistureTest.tested_on, MoistureTest.lot_id).where(
            MoistureTest.lot_id.in_(lots), live(MoistureTest)),
        *(select(day, Regeneration.source_lot_id).where(
            Regeneration.accession_id == accession.id, live(Regeneration), day.is_not(None))
          for day in (Regeneration.sown_on, Regeneration.harvested_on)),
    ]
    last = None
    for query in uses:
        row = session.execute(query.order_by(query.selected_columns[0].desc()).limit(1)).first()
        if row is not None and row[0] is not None and (last is None or row[0] > last[0]):
            last = row
    if last is not None and on < last[0]:
        lot = session.get(SeedLot, last[1]) if last[1] is not None else None
        raise Refused("withdrawal_before_lot_use", day=on, since=last[0], accession=label,
                      lot=lot.lot_number if lot else "")


def earliest_day(acqdate: str | None) -> dt.date | None:
    """The earliest day an MCPD date (YYYYMMDD, '--' for an unknown month or day) can be;
    None when not even its year is known or it is not a date."""
    text = (acqdate or "").strip()
    if len(text) < 4 or not text[:4].isdigit():
        return None
    month, day = text[4:6], text[6:8]
    try:
        return dt.date(int(text[:4]), int(month) if month.isdigit() else 1,
                       int(day) if day.isdigit() and month.isdigit() else 1)
    except ValueError:
        return None


def shown_acqdate(acqdate: str) -> str:
    """An MCPD date as a person reads it: 1990-11-05, 1990-11, 1990."""
    year, month, day = acqdate[:4], acqdate[4:6], acqdate[6:8]
    return "-".join([year] + ([month] + ([day] if day.isdigit() else [])
                              if month.isdigit() else []))


def _accession(session: Session, key: int | str, expected_version: int | None) -> Accession:
    accession = _get(session, key if isinstance(key, int) else find_by_key(session, key))
    if expected_version is not None and accession.version != expected_version:
        raise _conflict(accession, accession.updated_by, accession.updated_at)
    return accession


def _flush(session: Session, accession: Accession) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise _conflict(accession, "someone else", dt.datetime.now(dt.UTC)) from None


def _conflict(accession: Accession, by: str, at: dt.datetime) -> ConcurrentEdit:
    """Saved by someone else since the window read it (as the passport form says it)."""
    return ConcurrentEdit(f"Accession {accession.accenumb}", by, at)


def _get(session: Session, accession_id: int) -> Accession:
    accession = session.get(Accession, accession_id)
    if accession is None:
        raise NotFound(code="accession_gone", params={"accession_id": accession_id})
    return accession


def _label(accession: Accession) -> str:
    return f"{accession.instcode}:{accession.accenumb}"


def _state(accession: Accession) -> WithdrawalState:
    other_key = ""
    if accession.withdrawal_other_id is not None:
        session = Session.object_session(accession)
        other = aliased(Accession)
        row = session.execute(select(other.instcode, other.accenumb).where(  # type: ignore[union-attr]
            other.id == accession.withdrawal_other_id)).first()
        other_key = f"{row.instcode}:{row.accenumb}" if row else ""
    return WithdrawalState(accession.id, _label(accession), accession.version,
                           accession.withdrawn_on, accession.withdrawal_reason,
                           accession.withdrawal_other_id, other_key,
                           accession.withdrawal_note or "")
