"""Voiding a record (a mistake) and correcting one (voided, and a new record naming it):
what every area's void and correct services share.

A voided record is kept, never deleted: ``voided_at``, ``voided_by`` and ``void_reason``
say when, by whom and why (``genebank.models.base.Voidable``). The services write under
``history.operation(session, "correction", reason=...)``, so the record's story says the
correction and its reason next to who made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from genebank import problems
from genebank.history import entries
from genebank.models.base import Voidable, utcnow
from genebank.services.refusals import Refused

problems.register({
    "void_reason_missing": "say why this record is voided or corrected (for example 'typed "
                           "the wrong lot'); the reason stays in its history",
    "record_void_already": "this {what} was voided on {day} by {by} ({reason}); it cannot "
                           "be voided or corrected again",
    "record_void": "this {what} was voided on {day} by {by} ({reason}); it cannot be "
                   "changed",
    "record_changed_meanwhile": "this {what} was changed by {by} since you opened it; look "
                                "at it again, then void or correct it",
})

REASON_LIMIT = 500  # Voidable.void_reason


def checked_reason(reason: str) -> str:
    """The reason, trimmed; refused when empty (coded ``void_reason_missing``)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise Refused("void_reason_missing")
    return reason[:REASON_LIMIT]


def check_live(record: Voidable, what: str) -> None:
    """Refuse any change of a voided record (``record_void``, naming who voided it and
    when: also a colleague a moment ago, when the record was read held)."""
    if record.voided_at is not None:
        raise Refused("record_void", what=what, day=record.voided_at.date(),
                      by=record.voided_by, reason=record.void_reason)


def check_voidable(record: Voidable, what: str, expected_version: int | None) -> None:
    """A record may be voided once, and only as it was read (its version, when given)."""
    if record.voided_at is not None:
        raise Refused("record_void_already", what=what, day=record.voided_at.date(),
                      by=record.voided_by, reason=record.void_reason)
    if expected_version is not None and \
            record.version != expected_version:  # type: ignore[attr-defined]
        raise Refused("record_changed_meanwhile", what=what,
                      by=record.updated_by)  # type: ignore[attr-defined]


def mark_void(session: Session, record: Voidable, reason: str) -> None:
    record.voided_at = utcnow()
    record.voided_by = str(session.info.get("user", ""))[:64]
    record.void_reason = reason


@contextmanager
def correction(session: Session, reason: str) -> Iterator[None]:
    """Every write within is history operation "correction" with ``reason``."""
    with entries.operation(session, "correction", reason=reason):
        yield
