"""Seed lots (the inventory of an accession) and the ledger of every quantity change.

The ledger is the truth: a lot's quantity is the sum of its transactions, and history is
never edited (a correction is a new transaction). ``seeds_on_hand``/``grams_on_hand``,
``next_test_due`` and the :class:`LotFlag` rows are kept by the services in the same
transaction, so that a worklist over 1.5 million lots is an indexed query, not a sum over
3 million rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.accession import text_nocase
from genebank.models.base import Audited, Base, Voidable
from genebank.models.storage_location import _STORAGE_TYPE_SQL

LOT_STATUSES = ("active", "depleted", "discarded")
TRANSACTION_KINDS = ("stored", "test", "distributed", "regeneration", "safety_duplicate",
                     "transfer", "correction", "discarded")


class SeedLot(Audited, Base):
    __tablename__ = "seed_lot"
    __table_args__ = (
        CheckConstraint(f"storage_type IN ({_STORAGE_TYPE_SQL})", name="storage_type"),
        CheckConstraint("status IN ('active', 'depleted', 'discarded')", name="status"),
        CheckConstraint("thousand_seed_weight_g > 0", name="tsw_positive"),
        CheckConstraint("seeds_on_hand >= 0", name="seeds_not_negative"),
        CheckConstraint("grams_on_hand >= 0", name="grams_not_negative"),
        Index("ix_seed_lot_next_test_due", "status", "next_test_due"),
        # "accessions without a base lot", counted over a million accessions in ~50 ms
        Index("ix_seed_lot_storage_status", "storage_type", "status", "accession_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    accession_id: Mapped[int] = mapped_column(ForeignKey("accession.id"), index=True)
    lot_number: Mapped[str] = mapped_column(text_nocase(64), unique=True)
    storage_type: Mapped[str] = mapped_column(String(16))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("storage_location.id"),
                                                    index=True)
    stored_on: Mapped[dt.date] = mapped_column(Date)
    container: Mapped[str] = mapped_column(String(100), default="")
    parent_lot_id: Mapped[int | None] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    thousand_seed_weight_g: Mapped[float | None] = mapped_column(Float)
    minimum_seeds: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="active")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Kept by genebank.conservation.seed_lots from the ledger and the tests:
    seeds_on_hand: Mapped[int | None] = mapped_column(Integer)
    grams_on_hand: Mapped[float | None] = mapped_column(Float)
    initial_viability_pct: Mapped[float | None] = mapped_column(Float)
    last_viability_pct: Mapped[float | None] = mapped_column(Float)
    last_tested_on: Mapped[dt.date | None] = mapped_column(Date)
    last_moisture_pct: Mapped[float | None] = mapped_column(Float)
    last_erh_pct: Mapped[float | None] = mapped_column(Float)
    next_test_due: Mapped[dt.date | None] = mapped_column(Date)


class LotTransaction(Voidable, Audited, Base):
    """One change of a lot's quantity; amounts are signed (stored +, withdrawn -)."""

    __tablename__ = "lot_transaction"
    __table_args__ = (
        CheckConstraint("kind IN ('stored', 'test', 'distributed', 'regeneration', "
                        "'safety_duplicate', 'transfer', 'correction', 'discarded')",
                        name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("seed_lot.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    seeds: Mapped[int | None] = mapped_column(Integer)
    grams: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(500), default="")
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("storage_location.id"),
                                                         index=True)
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("storage_location.id"),
                                                       index=True)


class LotFlag(Audited, Base):
    """A rule that a lot breaks now, with the numbers that made it say so."""

    __tablename__ = "lot_flag"
    __table_args__ = (Index("ix_lot_flag_rule", "rule", "lot_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("seed_lot.id", ondelete="CASCADE"),
                                        index=True)
    rule: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
