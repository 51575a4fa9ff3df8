"""The import log: what each spreadsheet import did, kept for the curator to read later."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base


class ImportLog(Audited, Base):
    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "passport"
    file_name: Mapped[str] = mapped_column(String(500))
    sheet: Mapped[str] = mapped_column(String(200), default="")
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    # Existing records the file held exactly as stored: nothing was written for them.
    # Imports that cannot tell (or have none) leave 0; so do entries made before schema 0007.
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # One line per row that was not simply created: "row 12: skipped, exists already".
    details: Mapped[str] = mapped_column(Text, default="")
    # Undone (issue 15, schema 0016): when (UTC) and by whom; None while the import stands.
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
