"""Declarative base: shared naming convention, audit columns and optimistic locking.

Every table records who created and last changed a row and when, and carries a ``version``
that SQLAlchemy checks on UPDATE, so an edit that lost a race fails instead of overwriting.
The user comes from ``session.info["user"]`` (see :mod:`genebank.db`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Audited:
    """Audit columns and the optimistic-locking version, for every table."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        return {"version_id_col": cls.version}


VOIDABLE_TABLES = ("germination_test", "moisture_test", "lot_transaction", "regeneration",
                   "safety_duplicate", "certificate")


class Voidable:
    """A record that is never deleted once made, but can be voided (a mistake) or corrected
    (voided and replaced by a new record pointing at it through ``corrects_id``).

    One shape on every such table (issue 15): ``voided_at`` says whether the record counts
    (NULL: it does), ``voided_by`` and ``void_reason`` who voided it and why, and the new
    record of a correction names the one it replaces. Every derived value and query reads
    only the records whose ``voided_at`` is NULL (:func:`live`); a voided one stays visible,
    marked void."""

    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # server defaults only: an insert names none of the four (older schemas' tests, bulk
    # paths and COPY write rows as before)
    voided_by: Mapped[str] = mapped_column(String(64), server_default="")
    void_reason: Mapped[str] = mapped_column(String(500), server_default="")

    @declared_attr
    def corrects_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id"),  # type: ignore[attr-defined]
                             index=True)


def live(model: type[Voidable]):  # type: ignore[no-untyped-def]
    """The condition "not voided" on ``model`` (every query of a voidable table uses it)."""
    return model.voided_at.is_(None)


def audit_values(user: str) -> dict[str, object]:
    """Audit column values for rows written with Core inserts (bulk paths)."""
    now = utcnow()
    return {"created_at": now, "created_by": user, "updated_at": now, "updated_by": user,
            "version": 1}


@event.listens_for(Session, "before_flush")
def _stamp_user(session: Session, _context: object, _instances: object) -> None:
    user = str(session.info.get("user", ""))[:64]
    for obj in session.new:
        if isinstance(obj, Audited):
            obj.created_by = obj.updated_by = user
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            obj.updated_by = user
