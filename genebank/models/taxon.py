"""Taxa: each distinct scientific name (with crop name) that accessions refer to.

Accessions share taxon rows, so filtering by genus or crop and sorting by taxon touch a
small table plus one indexed column of ``accession``.
"""

from __future__ import annotations

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base


class Taxon(Audited, Base):
    __tablename__ = "taxon"
    __table_args__ = (
        UniqueConstraint("genus", "species", "spauthor", "subtaxa", "subtauthor", "cropname",
                         name="uq_taxon_name"),
        Index("ix_taxon_sort_name", "sort_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    genus: Mapped[str] = mapped_column(String(100))
    species: Mapped[str] = mapped_column(String(100), default="")
    spauthor: Mapped[str] = mapped_column(String(200), default="")
    subtaxa: Mapped[str] = mapped_column(String(200), default="")
    subtauthor: Mapped[str] = mapped_column(String(200), default="")
    cropname: Mapped[str] = mapped_column(String(200), default="", index=True)
    # "Genus species subtaxa", kept for display, prefix search and sorting.
    sort_name: Mapped[str] = mapped_column(String(400), default="")

    @staticmethod
    def make_sort_name(genus: str, species: str, subtaxa: str) -> str:
        return " ".join(p for p in (genus, species, subtaxa) if p)
