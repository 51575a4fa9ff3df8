"""Germination (viability) and moisture content tests of seed lots."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genebank.models.base import Audited, Base


class GerminationTest(Audited, Base):
    __tablename__ = "germination_test"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    tested_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(200), default="")
    pretreatment: Mapped[str] = mapped_column(String(200), default="")
    seeds_consumed: Mapped[int] = mapped_column(Integer)
    germination_pct: Mapped[float] = mapped_column(Float)
    tester: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("lot_transaction.id"))
    replicates: Mapped[list[GerminationReplicate]] = relationship(
        order_by="GerminationReplicate.position", cascade="all, delete-orphan")


class GerminationReplicate(Audited, Base):
    __tablename__ = "germination_replicate"
    __table_args__ = (
        CheckConstraint("sown > 0", name="sown_positive"),
        CheckConstraint("normal >= 0 AND abnormal >= 0 AND dead >= 0 AND ungerminated >= 0",
                        name="counts_not_negative"),
        CheckConstraint("normal + abnormal + dead + ungerminated <= sown",
                        name="counts_within_sown"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("germination_test.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int] = mapped_column(Integer)
    sown: Mapped[int] = mapped_column(Integer)
    normal: Mapped[int] = mapped_column(Integer)
    abnormal: Mapped[int] = mapped_column(Integer, default=0)
    dead: Mapped[int] = mapped_column(Integer, default=0)
    ungerminated: Mapped[int] = mapped_column(Integer, default=0)  # fresh or dormant


class MoistureTest(Audited, Base):
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
