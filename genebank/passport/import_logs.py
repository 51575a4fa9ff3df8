"""Reading the import log: what past imports did, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank.models import ImportLog
from genebank.users.actor import everyone


@dataclass(frozen=True, slots=True)
class ImportLogEntry:
    id: int
    kind: str
    file_name: str
    sheet: str
    finished_at: dt.datetime
    user: str
    created: int
    updated: int
    skipped: int
    details: str
    unchanged: int = 0  # existing records the file held as stored (0 before schema 0007)
    undone_at: dt.datetime | None = None  # undone (UTC), and by whom (schema 0016)
    undone_by: str = ""


@everyone
def recent_imports(session: Session, *, limit: int = 200) -> list[ImportLogEntry]:
    logs = session.scalars(select(ImportLog).order_by(ImportLog.id.desc()).limit(limit))
    return [ImportLogEntry(log.id, log.kind, log.file_name, log.sheet, log.finished_at,
                           log.created_by, log.created_count, log.updated_count,
                           log.skipped_count, log.details, unchanged=log.unchanged_count,
                           undone_at=log.undone_at, undone_by=log.undone_by)
            for log in logs]
