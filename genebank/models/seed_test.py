"""Germination (viability) and moisture content tests of seed lots.

A germination test is ``in_progress`` from its sowing until its seeds are counted (its
counts are NULL: not counted, never 0), then ``complete``: per replicate normal + abnormal +
dead + fresh ungerminated + hard = sown (ISTA's categories). Only a counted test carries a
germination percentage. ``short`` marks tests recorded before migration 0006 whose counts
fall short of the seeds sown: they keep their percentage, and a worklist asks a person to
check them against the lab's sheet.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genebank.models.base import Audited, Base, Voidable

TEST_STATUSES = ("in_progress", "complete", "short")
COUNTED_STATUSES = ("complete", "short")  # the tests that carry a germination percentage


class GerminationTest(Voidable, Audited, Base):
    __tablename__ = "germination_test"
    __table_args__ = (
        CheckConstraint("status IN ('in_progress', 'complete', 'short')", name="status"),
        # "tests to count" and "counts short of the seeds sown" come from this index
        Index("ix_germination_test_status", "status", "tested_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    tested_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(200), default="")
    pretreatment: Mapped[str] = mapped_column(String(200), default="")
    seeds_consumed: Mapped[int] = mapped_column(Integer)
    # the server default lets bulk inserts (the demo) write counted tests as before
    status: Mapped[str] = mapped_column(String(16), default="complete",
                                        server_default="complete")
    germination_pct: Mapped[float | None] = mapped_column(Float)  # None while in progress
    counted_on: Mapped[dt.date | None] = mapped_column(Date)  # None: before 0006 or not yet
    tester: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("lot_transaction.id"),
                                                       index=True)
    replicates: Mapped[list[GerminationReplicate]] = relationship(
        order_by="GerminationReplicate.position", cascade="all, delete-orphan")


class GerminationReplicate(Audited, Base):
    __tablename__ = "germination_replicate"
    __table_args__ = (
        CheckConstraint("sown > 0", name="sown_positive"),
        CheckConstraint("normal >= 0 AND abnormal >= 0 AND dead >= 0 AND ungerminated >= 0 "
                        "AND hard >= 0", name="counts_not_negative"),
        CheckConstraint("normal + abnormal + dead + ungerminated + COALESCE(hard, 0) <= sown",
                        name="counts_within_sown"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("germination_test.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column(Integer)
    sown: Mapped[int] = mapped_column(Integer)
    # NULL: not counted yet (a test in progress)
    normal: Mapped[int | None] = mapped_column(Integer)
    abnormal: Mapped[int | None] = mapped_column(Integer)
    dead: Mapped[int | None] = mapped_column(Integer)
    ungerminated: Mapped[int | None] = mapped_column(Integer)  # fresh (and, before 0006, dormant)
    hard: Mapped[int | None] = mapped_column(Integer)  # NULL also: counted before 0006


class MoistureTest(Voidable, Audited, Base):
    __tablename__ = "moisture_test"
    __table_args__ = (
        CheckConstraint("moisture_pct BETWEEN 0 AND 100", name="moisture_range"),
        CheckConstraint("erh_pct BETWEEN 0 AND 100", name="erh_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    tested_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(200), default="")
    moisture_pct: Mapped[float | None] = mapped_column(Float)  # fresh weight basis
    erh_pct: Mapped[float | None] = mapped_column(Float)  # equilibrium relative humidity
    tester: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
