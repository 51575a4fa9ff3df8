"""Reading the change history: plain results for the GUI's history tabs, the "Recent
changes" window, the command line and the Excel export.

Each query goes through one of the indexes (see :mod:`genebank.models.history`): a record's
story by the entries' (subject_type, subject_id), each with its change set by id; a
person's changes by the sets' (user_name, at), recent changes by their ``at``, each set's
entries by (change_set_id, id); ``limit`` bounds what a window shows. An entry is read
with its set's who, when and why, as one :class:`HistoryEntry`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from genebank.mcpd.identity import accession_key
from genebank.models import Accession
from genebank.models.history import ChangeEntry, ChangeSet


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of one record: when (UTC), who, how, and each field's old and new value."""

    id: int
    at: dt.datetime
    user_id: int | None
    user_name: str
    os_user: str
    workstation: str
    operation: str
    import_log_id: int | None
    reference: str
    reason: str
    subject_type: str
    subject_id: int
    subject_key: str
    table_name: str
    row_id: str
    action: str
    fields: tuple[FieldChange, ...]


_TABLE = ChangeEntry.__table__
_SET = ChangeSet.__table__


def entries_select() -> Select[Any]:
    """Every entry with its set's columns, named as :class:`HistoryEntry`'s fields (but
    ``fields``, the JSON text): the flat shape the history had before its sets."""
    return select(_TABLE.c.id, _SET.c.at, _SET.c.user_id, _SET.c.user_name, _SET.c.os_user,
                  _SET.c.workstation, _SET.c.operation, _SET.c.import_log_id,
                  _SET.c.reference, _SET.c.reason, _TABLE.c.subject_type,
                  _TABLE.c.subject_id, _TABLE.c.subject_key, _TABLE.c.table_name,
                  _TABLE.c.row_id, _TABLE.c.action, _TABLE.c.fields
                  ).select_from(_TABLE.join(_SET, _SET.c.id == _TABLE.c.change_set_id))


def _entries(session: Session, query: Select[Any]) -> list[HistoryEntry]:
    found = []
    for row in session.connection().execute(query).mappings():
        values = dict(row)
        fields = json.loads(values.pop("fields") or "{}")
        found.append(HistoryEntry(**values, fields=tuple(
            FieldChange(name, old, new) for name, (old, new) in fields.items())))
    return found


def record_history(session: Session, subject_type: str, subject_id: int, *,
                   limit: int | None = None) -> list[HistoryEntry]:
    """The story of one record (an accession, a lot, a participant...), oldest first: its
    own changes and those of the rows it owns (names, ledger lines, enrolments...)."""
    query = (entries_select().where(_TABLE.c.subject_type == subject_type,
                                    _TABLE.c.subject_id == subject_id)
             .order_by(_TABLE.c.id))
    if limit is not None:  # the newest ``limit``, still shown oldest first
        newest = query.order_by(None).order_by(_TABLE.c.id.desc()).limit(limit).subquery()
        query = select(newest).order_by(newest.c.id)
    return _entries(session, query)


def accession_history(session: Session, *, instcode: str, accenumb: str,
                      limit: int | None = None) -> list[HistoryEntry]:
    """The story of the accession ``instcode``:``accenumb``, also one since deleted (found
    by the key its entries recorded)."""
    accession_id = session.scalar(select(Accession.id).where(
        Accession.identity_key == accession_key(instcode, accenumb)))
    if accession_id is None:
        accession_id = session.connection().execute(
            select(_TABLE.c.subject_id).where(_TABLE.c.subject_type == "accession",
                                              _TABLE.c.subject_key == f"{instcode}:{accenumb}")
            .order_by(_TABLE.c.id.desc()).limit(1)).scalar()
    if accession_id is None:
        return []
    return record_history(session, "accession", accession_id, limit=limit)


def lot_history(session: Session, lot_id: int, *, limit: int | None = None) -> list[HistoryEntry]:
    """A seed lot's story: the lot, its ledger lines, germination and moisture tests."""
    return record_history(session, "seed_lot", lot_id, limit=limit)


def participant_history(session: Session, participant_id: int, *,
                        limit: int | None = None) -> list[HistoryEntry]:
    """A participant's story: the person, their enrolments, attendance and certificates."""
    return record_history(session, "participant", participant_id, limit=limit)


def recent_changes(session: Session, *, user: str | None = None,
                   since: dt.datetime | None = None, until: dt.datetime | None = None,
                   subject_type: str | None = None, import_log_id: int | None = None,
                   limit: int = 1000) -> list[HistoryEntry]:
    """The newest changes first, filtered by the person's name (as recorded), a time span
    (UTC, ``until`` excluded), the type of record and the import."""
    query = entries_select()
    if user is not None:
        query = query.where(_SET.c.user_name == user)
    if since is not None:
        query = query.where(_SET.c.at >= since)
    if until is not None:
        query = query.where(_SET.c.at < until)
    if subject_type is not None:
        query = query.where(_TABLE.c.subject_type == subject_type)
    if import_log_id is not None:
        query = query.where(_SET.c.import_log_id == import_log_id)
    # Newest first by the set's time, then set and entry: the order of the sets' (user_name,
    # at) and (at) indexes (SQLite keeps the row id at the end of each) and of the entries'
    # (change_set_id, id), so that the newest ``limit`` are read from the indexes, not
    # sorted from every match (0.3 s at 3 million entries).
    return _entries(session, query.order_by(_SET.c.at.desc(), _SET.c.id.desc(),
                                            _TABLE.c.id.desc()).limit(limit))
