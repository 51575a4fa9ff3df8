"""Where seed lots are kept: a tree the gene bank defines (site > cold store > freezer >
shelf > box), each place with its storage type and set conditions."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base

STORAGE_TYPES = ("base", "active", "short_term", "field", "in_vitro", "cryo")
_STORAGE_TYPE_SQL = ", ".join(f"'{t}'" for t in STORAGE_TYPES)


class StorageLocation(Audited, Base):
    __tablename__ = "storage_location"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint(f"storage_type IN ({_STORAGE_TYPE_SQL})", name="storage_type"),
        CheckConstraint("humidity_rh BETWEEN 0 AND 100", name="humidity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("storage_location.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    storage_type: Mapped[str | None] = mapped_column(String(16))
    temperature_c: Mapped[float | None] = mapped_column(Float)
    humidity_rh: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
