"""Institutes: the local directory of FAO WIEWS institute codes (reference section 5)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base


class Institute(Audited, Base):
    __tablename__ = "institute"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    country: Mapped[str | None] = mapped_column(String(4))
