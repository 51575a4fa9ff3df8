"""Writing history entries: who (from the session), in which operation (from a context the
service sets), and the rows themselves, many at a time with one Core ``INSERT``.

A service says what its writes are with :func:`operation`::

    with history.operation(session, "import", import_log_id=17):
        ...  # every entry written meanwhile, by the listener or a bulk path, says import 17

Without one, an entry is a ``form`` change (a person saving a record).

Who, when, the operation and its reason are written once per transaction (and per person
and operation within it) as a ``change_set`` row; each entry names its set.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from genebank.models.base import utcnow
from genebank.models.history import OPERATIONS, PERSONAL_SUBJECTS, ChangeEntry, ChangeSet

_OPERATION = "history_operation"


@dataclass(frozen=True, slots=True)
class Operation:
    kind: str = "form"
    import_log_id: int | None = None
    reference: str = ""
    reason: str = ""


@contextmanager
def operation(session: Session, kind: str, *, import_log_id: int | None = None,
              reference: str = "", reason: str = "") -> Iterator[Operation]:
    """Within the block, every entry of ``session`` is of operation ``kind`` (one of
    :data:`~genebank.models.history.OPERATIONS`) with this reference and reason; the one
    before is restored after it."""
    if kind not in OPERATIONS:
        raise ValueError(f"unknown history operation {kind!r}")
    before = session.info.get(_OPERATION)
    current = Operation(kind, import_log_id, reference[:200], reason)
    session.info[_OPERATION] = current
    try:
        yield current
    finally:
        if before is None:
            session.info.pop(_OPERATION, None)
        else:
            session.info[_OPERATION] = before


def current_operation(session: Session) -> Operation:
    found = session.info.get(_OPERATION)
    return found if isinstance(found, Operation) else Operation()


@functools.lru_cache(maxsize=1)
def workstation() -> str:
    """This computer's network name, as the entries record it."""
    try:
        return socket.gethostname()[:255]
    except OSError:
        return ""


def _os_user() -> str:
    from genebank.db import current_user

    return current_user()[:100]


def who(session: Session) -> dict[str, Any]:
    """The columns saying who writes: the signed-in Genebank user when there is one
    (``session.info["actor"]``, with ``user_id`` and ``name``), else the name the database
    was opened with; the operating-system login and the workstation always."""
    actor = session.info.get("actor")
    if actor is not None:
        user_id, name = getattr(actor, "user_id", None), str(getattr(actor, "name", ""))
    else:
        user_id, name = None, str(session.info.get("user", ""))
    return {"user_id": user_id, "user_name": name[:100], "os_user": _os_user(),
            "workstation": workstation()}


def plain(value: object) -> object:
    """A value as the entry keeps it in JSON: dates as ISO text, numbers and text as they
    are."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, str | int | float | bool | list):
        return value
    return str(value)


def _default(value: object) -> object:
    """What JSON cannot hold itself (dates, decimals), as :func:`plain` gives it."""
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)


# The C encoder, once: an import encodes 100,000 entries (a Python walk per value cost
# three times the import's own writing).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default).encode


def fields_json(fields: Mapping[str, tuple[object, object]]) -> str:
    """``{"FIELD": [old, new], ...}``."""
    if not fields:
        return "{}"
    return _ENCODE(fields if isinstance(fields, dict) else dict(fields))


@dataclass(frozen=True, slots=True)
class Change:
    """One entry before it is written."""

    subject_type: str
    subject_id: int
    table_name: str
    action: str
    fields: Mapping[str, tuple[object, object]]
    row_id: str = ""
    subject_key: str = ""


# A change set's columns (who, when, how, why) and an entry's own.
SET_COLUMNS = ("at", "user_id", "user_name", "os_user", "workstation", "operation",
               "import_log_id", "reference", "reason", "personal")
COLUMNS = ("change_set_id", "subject_type", "subject_id", "subject_key", "table_name",
           "row_id", "action", "fields")

# session.info: the change sets this transaction wrote, by who and operation.
_SETS = "history_change_sets"


def common_values(session: Session, *, personal: bool = False) -> tuple[object, ...]:
    """A change set's values for what ``session`` writes now, in :data:`SET_COLUMNS`
    order; ``personal``: for entries of personal stories only."""
    person = who(session)
    current = current_operation(session)
    return (utcnow(), person["user_id"], person["user_name"], person["os_user"],
            person["workstation"], current.kind, current.import_log_id, current.reference,
            current.reason, personal)


def change_set(session: Session, *, personal: bool = False) -> int:
    """The id of the change set of ``session``'s transaction for the current person and
    operation, written with the first entry that needs it: one row for who, when and why,
    whatever the number of entries (an import's 100,000 share one). Entries of personal
    stories (``personal``) get a set of their own, read only by the people who may read
    personal data, whose reason an erasure blanks."""
    values = common_values(session, personal=personal)
    sets: dict[tuple[object, ...], int] = session.info.setdefault(_SETS, {})
    found = sets.get(values[1:])
    if found is None:
        result = session.connection().execute(
            ChangeSet.__table__.insert().values(dict(zip(SET_COLUMNS, values, strict=True))))
        found = sets[values[1:]] = int(result.inserted_primary_key[0])
    return found


@event.listens_for(Session, "after_transaction_end")
def _forget_sets(session: Session, transaction: SessionTransaction) -> None:
    """A transaction (or savepoint) ended: its sets are committed or gone; the next write
    starts a set of its own."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(_SETS, None)


def write(session: Session, changes: Sequence[Change]) -> None:
    """INSERT an entry for each change (none for a change without fields, unless it is a
    creation, deletion or erasure), in the session's transaction.

    Who, when and why are the transaction's change set (:func:`change_set`); an entry holds
    its record, row and fields. Entries go in by statements of many rows on SQLite and by
    COPY on PostgreSQL: an import's 100,000 entries cost a fraction of its own rows."""
    write_rows(session, [
        (c.subject_type, c.subject_id, c.subject_key[:300], c.table_name, c.row_id[:100],
         c.action, fields_json(c.fields))
        for c in changes if c.fields or c.action in ("created", "deleted", "erased")])


def write_rows(session: Session, rows: Sequence[tuple[object, ...]]) -> None:
    """:func:`write` for entries given as rows of :data:`COLUMNS` but the set (the fields
    as JSON text, keys and row ids within their lengths): an import's 100,000 entries
    without a :class:`Change` each."""
    if not rows:
        return
    if any(row[0] in PERSONAL_SUBJECTS for row in rows):
        personal = [row for row in rows if row[0] in PERSONAL_SUBJECTS]
        if len(personal) < len(rows):  # two sets: the reason goes with the personal one
            _write_rows(session, [row for row in rows if row[0] not in PERSONAL_SUBJECTS],
                        change_set(session))
        _write_rows(session, personal, change_set(session, personal=True))
        return
    _write_rows(session, rows, change_set(session))


def _write_rows(session: Session, rows: Sequence[tuple[object, ...]], set_id: int) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        if len(rows) <= 20:
            connection.execute(ChangeEntry.__table__.insert(), [
                dict(zip(COLUMNS, (set_id, *row), strict=True)) for row in rows])
            return
        names = ", ".join(COLUMNS)
        # A login role of a set-up server reads the history through row-level security
        # (genebank.server_roles), and PostgreSQL refuses COPY into such a table: the
        # rows go by COPY into a temporary table, then in by one INSERT.
        staged = _row_security_active(session)
        target = "genebank_stage_change_entry" if staged else "change_entry"
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            if staged:
                cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {target} ON COMMIT "
                               f"DELETE ROWS AS SELECT {names} FROM change_entry WITH NO DATA")
            with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as stream:
                for row in rows:
                    stream.write_row((set_id, *row))
            if staged:
                cursor.execute(f"INSERT INTO change_entry ({names}) SELECT {names} FROM "
                               f"{target}; TRUNCATE {target}")
        return
    from genebank.services import bulk

    bulk._insert_sqlite(connection.connection.driver_connection,  # type: ignore[arg-type]
                        "change_entry", COLUMNS[1:], rows, (set_id,), COLUMNS[:1])


def _row_security_active(session: Session) -> bool:
    """Whether the history's row-level security binds this connection (asked once per
    transaction: a person's role cannot change within one)."""
    known = session.info.get("genebank_history_rls")
    transaction = session.get_transaction()
    if known is not None and known[0] is transaction:
        return bool(known[1])
    active = bool(session.connection().exec_driver_sql(
        "SELECT row_security_active('change_entry')").scalar())
    session.info["genebank_history_rls"] = (transaction, active)
    return active

