"""Accessions and their multi-valued MCPD descriptors.

Single-valued descriptors are columns named after their MCPD code. Multi-valued ones that
people search or filter by live in child tables (names, other numbers, storage types,
institute codes including safety-duplicate sites, remarks). Free-text multi-values that are
only shown (COLLNAME, BREDNAME, DUPLINSTNAME, ...) stay MCPD-joined text.

``first_name`` and ``storage_summary`` are derived from the child tables when an accession
is saved: the main table sorts a million rows by them through an index instead of a join.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.sql import text

from genebank.mcpd.identity import accession_key
from genebank.models.base import Audited, Base
from genebank.models.taxon import Taxon

# Why an accession left the collection (FAO reporting explains year-on-year changes by
# them); the first three name the other accession concerned.
WITHDRAWAL_REASONS = ("lost", "dead", "duplicate", "merged", "split", "transferred",
                      "discarded")
OTHER_REASONS = ("duplicate", "merged", "split")
_REASONS_SQL = ", ".join(f"'{r}'" for r in WITHDRAWAL_REASONS)
_OTHER_REASONS_SQL = ", ".join(f"'{r}'" for r in OTHER_REASONS)


def text_nocase(length: int) -> String:
    """A string column compared case-insensitively in SQLite (so LIKE 'x%' uses its index)."""
    return String(length).with_variant(String(length, collation="NOCASE"), "sqlite")


def _identity_default(context: DefaultExecutionContext) -> str:
    """The key of a row inserted without one (a Core insert): from the row's own values."""
    parameters = context.get_current_parameters()
    return accession_key(parameters.get("instcode"), parameters.get("accenumb"))


class Accession(Audited, Base):
    __tablename__ = "accession"
    __table_args__ = (
        UniqueConstraint("instcode", "accenumb"),
        # Unique index, not constraint: SQLite adds it without re-creating the table (0008).
        Index("uq_accession_identity_key", "identity_key", unique=True),
        Index("ix_accession_accenumb", "accenumb"),
        Index("ix_accession_first_name", "first_name"),
        CheckConstraint("declatitude BETWEEN -90 AND 90", name="declatitude_range"),
        CheckConstraint("declongitude BETWEEN -180 AND 180", name="declongitude_range"),
        CheckConstraint(f"withdrawal_reason IN ({_REASONS_SQL})", name="withdrawal_reason"),
        CheckConstraint("(withdrawn_on IS NULL) = (withdrawal_reason IS NULL)",
                        name="withdrawal_dated"),
        CheckConstraint(f"withdrawal_other_id IS NULL OR (withdrawal_reason IN "
                        f"({_OTHER_REASONS_SQL}) AND withdrawal_other_id <> id)",
                        name="withdrawal_other"),
        # Only withdrawn rows (a few): "which are withdrawn" is one small index scan, and
        # the collection's own rows ("withdrawn_on IS NULL") are never driven from it.
        Index("ix_accession_withdrawn_on", "withdrawn_on",
              sqlite_where=text("withdrawn_on IS NOT NULL"),
              postgresql_where=text("withdrawn_on IS NOT NULL")),
        # The few accessions naming another: deleting an accession checks them at once.
        Index("ix_accession_withdrawal_other_id", "withdrawal_other_id",
              sqlite_where=text("withdrawal_other_id IS NOT NULL"),
              postgresql_where=text("withdrawal_other_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    puid: Mapped[str | None] = mapped_column(String(200))
    instcode: Mapped[str] = mapped_column(String(16), ForeignKey("institute.code"))
    accenumb: Mapped[str] = mapped_column(text_nocase(100))
    # INSTCODE + ACCENUMB as compared (genebank.mcpd.identity): kept by the model on every
    # change of either, and given by every bulk insert; the one way accessions are matched.
    identity_key: Mapped[str] = mapped_column(Text, default=_identity_default)
    collnumb: Mapped[str | None] = mapped_column(String(100))
    collname: Mapped[str | None] = mapped_column(Text)
    collinstaddress: Mapped[str | None] = mapped_column(Text)
    collmissid: Mapped[str | None] = mapped_column(String(100))
    taxon_id: Mapped[int] = mapped_column(ForeignKey("taxon.id"), index=True)
    acqdate: Mapped[str | None] = mapped_column(String(8), index=True)
    origcty: Mapped[str | None] = mapped_column(String(4), index=True)
    collsite: Mapped[str | None] = mapped_column(Text)
    declatitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[str | None] = mapped_column(String(7))
    declongitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[str | None] = mapped_column(String(8))
    coorduncert: Mapped[int | None] = mapped_column(Integer)
    coorddatum: Mapped[str | None] = mapped_column(String(50))
    georefmeth: Mapped[str | None] = mapped_column(String(100))
    elevation: Mapped[float | None] = mapped_column(Float)
    colldate: Mapped[str | None] = mapped_column(String(8))
    bredname: Mapped[str | None] = mapped_column(Text)
    sampstat: Mapped[int | None] = mapped_column(Integer, index=True)
    ancest: Mapped[str | None] = mapped_column(Text)
    collsrc: Mapped[int | None] = mapped_column(Integer)
    donorcode: Mapped[str | None] = mapped_column(String(16))
    donorname: Mapped[str | None] = mapped_column(String(300))
    donornumb: Mapped[str | None] = mapped_column(String(100))
    duplinstname: Mapped[str | None] = mapped_column(Text)
    mlsstat: Mapped[int | None] = mapped_column(Integer)
    # Genesys's AVAILABLE (not an MCPD v2.1 descriptor): True available for distribution,
    # False not available, None not known.
    available_for_distribution: Mapped[bool | None] = mapped_column(Boolean)
    first_name: Mapped[str | None] = mapped_column(text_nocase(200))
    storage_summary: Mapped[str | None] = mapped_column(String(40), index=True)
    # Withdrawn from the collection (migration 0016): since when, why, the accession it was
    # a duplicate of, merged into or split into, and a note (e.g. transferred to whom).
    # NULL withdrawn_on: in the collection. The story of earlier withdrawals and
    # reinstatements is in the change history.
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(16))
    withdrawal_other_id: Mapped[int | None] = mapped_column(ForeignKey("accession.id"))
    withdrawal_note: Mapped[str | None] = mapped_column(Text)

    taxon: Mapped[Taxon] = relationship(lazy="joined")
    names: Mapped[list[AccessionName]] = relationship(
        order_by="AccessionName.position", cascade="all, delete-orphan")
    other_numbers: Mapped[list[AccessionOtherNumber]] = relationship(
        order_by="AccessionOtherNumber.position", cascade="all, delete-orphan")
    storage: Mapped[list[AccessionStorage]] = relationship(
        order_by="AccessionStorage.code", cascade="all, delete-orphan")
    institutes: Mapped[list[AccessionInstitute]] = relationship(
        order_by="(AccessionInstitute.role, AccessionInstitute.position)",
        cascade="all, delete-orphan")
    remarks: Mapped[list[AccessionRemark]] = relationship(
        order_by="AccessionRemark.position", cascade="all, delete-orphan")

    @validates("instcode", "accenumb")
    def _keep_identity(self, name: str, value: str) -> str:
        instcode = value if name == "instcode" else self.instcode
        accenumb = value if name == "accenumb" else self.accenumb
        self.identity_key = accession_key(instcode, accenumb)
        return value


class _Child:
    """A row owned by one accession: no audit columns or version of its own (the owner's
    stamp, version and change history cover it), and keyed by the accession and the row's
    place in its list, so that SQLite stores it as a ``WITHOUT ROWID`` table in the key's
    order: an accession's rows lie together, and no second index on ``accession_id`` is
    kept up to date on every insert."""

    accession_id: Mapped[int] = mapped_column(
        ForeignKey("accession.id", ondelete="CASCADE"), primary_key=True, sort_order=-1)


_WITHOUT_ROWID = {"sqlite_with_rowid": False}


class AccessionName(_Child, Base):
    """ACCENAME: every name or designation, in the order given."""

    __tablename__ = "accession_name"
    __table_args__ = (Index("ix_accession_name_name", "name"), _WITHOUT_ROWID)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(text_nocase(200))


class AccessionOtherNumber(_Child, Base):
    """OTHERNUMB: identifiers in other collections; ``instcode`` is empty when unknown."""

    __tablename__ = "accession_other_number"
    __table_args__ = (_WITHOUT_ROWID,)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    instcode: Mapped[str] = mapped_column(String(16), default="")
    number: Mapped[str] = mapped_column(text_nocase(200), index=True)


class AccessionStorage(_Child, Base):
    """STORAGE: one row per storage type code."""

    __tablename__ = "accession_storage"
    __table_args__ = (
        Index("ix_accession_storage_code", "code", "accession_id"),
        _WITHOUT_ROWID,
    )
    code: Mapped[int] = mapped_column(Integer, primary_key=True)


class AccessionInstitute(_Child, Base):
    """COLLCODE, BREDCODE and DUPLSITE (safety-duplicate sites): institute codes by role."""

    __tablename__ = "accession_institute"
    __table_args__ = (
        CheckConstraint("role IN ('COLLCODE', 'BREDCODE', 'DUPLSITE')", name="role"),
        Index("ix_accession_institute_code", "code", "role"),
        _WITHOUT_ROWID,
    )
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16))


class AccessionRemark(_Child, Base):
    """REMARKS: one row per remark (usually FIELD:remark)."""

    __tablename__ = "accession_remark"
    __table_args__ = (_WITHOUT_ROWID,)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    remark: Mapped[str] = mapped_column(Text)
