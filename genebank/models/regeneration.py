"""Regeneration events (a lot sown to renew an accession) and safety duplicates (part of a
lot kept by another institute, e.g. the Svalbard Global Seed Vault, NOR051)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base, Voidable

REGENERATION_STATUSES = ("planned", "in_field", "harvested", "failed")
DUPLICATE_STATUSES = ("planned", "sent", "confirmed", "withdrawn")


class Regeneration(Voidable, Audited, Base):
    __tablename__ = "regeneration"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_field', 'harvested', 'failed')",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    accession_id: Mapped[int] = mapped_column(ForeignKey("accession.id"), index=True)
    source_lot_id: Mapped[int | None] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    site: Mapped[str] = mapped_column(String(200), default="")
    planned_on: Mapped[dt.date | None] = mapped_column(Date)
    sown_on: Mapped[dt.date | None] = mapped_column(Date)
    harvested_on: Mapped[dt.date | None] = mapped_column(Date)
    failed_on: Mapped[dt.date | None] = mapped_column(Date)  # None: before 0006, or not failed
    plants: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    harvested_lot_id: Mapped[int | None] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class SafetyDuplicate(Voidable, Audited, Base):
    __tablename__ = "safety_duplicate"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'sent', 'confirmed', 'withdrawn')",
                        name="status"),
        # "accessions without a safety duplicate" over a million accessions, from one index
        Index("ix_safety_duplicate_status", "status", "accession_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    accession_id: Mapped[int] = mapped_column(ForeignKey("accession.id"),
                                              index=True)  # the lot's
    lot_id: Mapped[int] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    institute_code: Mapped[str] = mapped_column(String(16), ForeignKey("institute.code"),
                                                index=True)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)  # receipt confirmed (from 0006)
    seeds: Mapped[int | None] = mapped_column(Integer)
    box_reference: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("lot_transaction.id"),
                                                       index=True)
