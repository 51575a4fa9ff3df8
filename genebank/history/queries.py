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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from genebank.mcpd.identity import accession_key
from genebank.models import Accession, SeedLot, UserAccount
from genebank.models.history import PERSONAL_SUBJECTS, ChangeEntry, ChangeSet
from genebank.users.actor import actor_of, everyone, requires
from genebank.users.roles import Right


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
    query = _filtered(user=user, since=since, until=until, subject_type=subject_type)
    if import_log_id is not None:
        query = query.where(_SET.c.import_log_id == import_log_id)
    return _entries(session, _newest_first(query, limit))


def _filtered(*, user: str | None, since: dt.datetime | None, until: dt.datetime | None,
              subject_type: str | None) -> Select[Any]:
    """Entries with their sets, filtered by who and when (the set's) and the record type
    (the entry's)."""
    query = entries_select()
    if user is not None:
        query = query.where(_SET.c.user_name == user)
    if since is not None:
        query = query.where(_SET.c.at >= since)
    if until is not None:
        query = query.where(_SET.c.at < until)
    if subject_type is not None:
        query = query.where(_TABLE.c.subject_type == subject_type)
    return query


def _newest_first(query: Select[Any], limit: int) -> Select[Any]:
    """Newest first by the set's time, then set and entry: the order of the sets' (user_name,
    at) and (at) indexes (SQLite keeps the row id at the end of each) and of the entries'
    (change_set_id, id), so that the newest ``limit`` are read from the indexes, not sorted
    from every match (0.3 s at 3 million entries)."""
    return query.order_by(_SET.c.at.desc(), _SET.c.id.desc(), _TABLE.c.id.desc()).limit(limit)


# For the history windows (issue 15): what the session's person may read of the history.
# Personal data (a participant's name, e-mail...) sits in the fields of the participants'
# stories: only people who may read personal data see those stories.


@requires(Right.READ_PERSONAL_DATA)
def readable_participant_history(session: Session, participant_id: int, *,
                                 limit: int | None = None) -> list[HistoryEntry]:
    """:func:`participant_history` for a person who may read personal data (else
    ``not_allowed``): the participant form's History tab."""
    return participant_history(session, participant_id, limit=limit)


@everyone
def readable_changes(session: Session, *, user: str | None = None,
                     since: dt.datetime | None = None, until: dt.datetime | None = None,
                     subject_type: str | None = None, limit: int = 1000) -> list[HistoryEntry]:
    """:func:`recent_changes` as the session's person may read them: without the stories
    of personal data (participants) for one who may not read it."""
    if actor_of(session).may(Right.READ_PERSONAL_DATA):
        return recent_changes(session, user=user, since=since, until=until,
                              subject_type=subject_type, limit=limit)
    if subject_type in PERSONAL_SUBJECTS:
        return []
    query = _filtered(user=user, since=since, until=until, subject_type=subject_type)
    return _entries(session, _newest_first(
        query.where(_TABLE.c.subject_type.not_in(PERSONAL_SUBJECTS)), limit))


@everyone
def history_people(session: Session) -> list[str]:
    """The names of the database's people, for a filter by person (a short list)."""
    return list(session.scalars(select(UserAccount.name).order_by(UserAccount.name_key)))


@everyone
def lot_accession_id(session: Session, lot_id: int) -> int | None:
    """The accession a seed lot belongs to (None when the lot is gone): to open it."""
    return session.scalar(select(SeedLot.accession_id).where(SeedLot.id == lot_id))


def import_entries(session: Session, import_log_id: int) -> list[HistoryEntry]:
    """What import ``import_log_id`` wrote, in the order it wrote it (entry id): its own
    entries (sets of operation ``import``), not those of a later undo of it. The sets come
    by ``ix_change_set_import``, their entries by (change_set_id, id)."""
    return _entries(session, entries_select().where(_SET.c.import_log_id == import_log_id,
                                                    _SET.c.operation == "import")
                    .order_by(_TABLE.c.id))


def changes_after(session: Session, subject_type: str, subject_ids: list[int], *,
                  after_id: int, table_name: str) -> list[HistoryEntry]:
    """Entries of rows of ``table_name`` in the stories of these records written after
    entry ``after_id``, oldest first (``ix_change_entry_subject``, a chunk of ids at a
    time), each with who and when from its set: what changed an imported record since its
    import."""
    found: list[HistoryEntry] = []
    for start in range(0, len(subject_ids), 1000):
        found += _entries(session, entries_select().where(
            _TABLE.c.subject_type == subject_type,
            _TABLE.c.subject_id.in_(subject_ids[start:start + 1000]),
            _TABLE.c.id > after_id, _TABLE.c.table_name == table_name).order_by(_TABLE.c.id))
    return found


# For the command line's listing and export (QA finding 4): how many changes match, and
# every one of them streamed a page at a time, newest first, as the person may read them.
def _readable_query(session: Session, *, user: str | None, since: dt.datetime | None,
                    until: dt.datetime | None, subject_type: str | None) -> Select[Any]:
    query = _filtered(user=user, since=since, until=until, subject_type=subject_type)
    if not actor_of(session).may(Right.READ_PERSONAL_DATA):
        query = query.where(_TABLE.c.subject_type.not_in(PERSONAL_SUBJECTS))
    return query


@everyone
def personal_history_hidden(session: Session) -> bool:
    """Whether the session's person may not read participants' stories (they are left out
    of what :func:`readable_changes` finds, and the person should be told so)."""
    return not actor_of(session).may(Right.READ_PERSONAL_DATA)


@everyone
def count_readable_changes(session: Session, *, user: str | None = None,
                           since: dt.datetime | None = None, until: dt.datetime | None = None,
                           subject_type: str | None = None) -> int:
    """How many changes :func:`readable_changes` would find without a limit."""
    query = _readable_query(session, user=user, since=since, until=until,
                            subject_type=subject_type)
    return int(session.connection().execute(
        select(func.count()).select_from(query.subquery())).scalar_one())


@everyone
def each_readable_change(session: Session, *, user: str | None = None,
                         since: dt.datetime | None = None, until: dt.datetime | None = None,
                         subject_type: str | None = None, limit: int | None = None,
                         page: int = 1000) -> Iterator[HistoryEntry]:
    """Every change :func:`readable_changes` finds (at most ``limit``), newest first, read
    ``page`` at a time after the last one seen (by time, then id), so that an export of
    millions holds one page in memory."""
    query = _readable_query(session, user=user, since=since, until=until,
                            subject_type=subject_type)
    last: tuple[dt.datetime, int] | None = None
    given = 0
    while limit is None or given < limit:
        chunk = query
        if last is not None:
            chunk = chunk.where(or_(_SET.c.at < last[0],
                                    and_(_SET.c.at == last[0], _TABLE.c.id < last[1])))
        size = page if limit is None else min(page, limit - given)
        found = _entries(session, chunk.order_by(_SET.c.at.desc(), _TABLE.c.id.desc())
                         .limit(size))
        yield from found
        given += len(found)
        if len(found) < size:
            return
        last = (found[-1].at, found[-1].id)
