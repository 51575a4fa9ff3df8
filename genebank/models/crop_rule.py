"""Conservation rules a curator sets per crop (by genus), over the gene bank's defaults."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base


class CropRule(Audited, Base):
    __tablename__ = "crop_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    genus: Mapped[str] = mapped_column(String(100), unique=True)
    base_test_interval_years: Mapped[int | None] = mapped_column(Integer)
    active_test_interval_years: Mapped[int | None] = mapped_column(Integer)
    minimum_seeds: Mapped[int | None] = mapped_column(Integer)
    moisture_min_pct: Mapped[float | None] = mapped_column(Float)
    moisture_max_pct: Mapped[float | None] = mapped_column(Float)
