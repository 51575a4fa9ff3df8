"""Column mappings saved by name, per kind of sheet import, in the database, so that every
workstation opening it has them (they were kept in one workstation's settings before)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base

# The kinds of import a mapping is for (genebank.io.import_kinds.KINDS).
MAPPING_KINDS = ("passport", "germination", "moisture", "participants")
_KINDS_SQL = ", ".join(f"'{k}'" for k in MAPPING_KINDS)


class ImportMapping(Audited, Base):
    """One saved mapping: which field each heading holds, for one kind of import."""

    __tablename__ = "import_mapping"
    __table_args__ = (
        UniqueConstraint("kind", "name"),
        CheckConstraint(f"kind IN ({_KINDS_SQL})", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    # JSON {heading: field code, or null for "not imported"}, in the sheet's order.
    columns: Mapped[str] = mapped_column(Text)
