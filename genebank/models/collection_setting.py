"""Settings of the collection that every workstation shares, kept in the database.

A workstation's own preferences live in ``ui/settings.py`` (QSettings); what belongs to the
gene bank itself, such as the institute codes under which it holds its accessions (read by
the import's "not held by you" check and by FAO reporting), is one row per key here, so
every workstation and the command line see the same value.
"""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base


class CollectionSetting(Audited, Base):
    __tablename__ = "collection_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
