"""Writing many rows at once (demo data, spreadsheet imports), fast and in the caller's
transaction. Rows are tuples in a stated column order; the audit columns, the same for every
row of one write, are given once (and left out for a table without them: the rows an
accession owns carry none of their own).

All or nothing: a bulk write either lands whole with the caller's transaction or not at all.
On SQLite the driver runs in autocommit and SQLAlchemy issues BEGIN; when SQLite abandons the
transaction by itself (a full disk, an I/O error), every later statement would commit on its
own. So no bulk statement runs unless the driver reports an open transaction
(:class:`~genebank.db.TransactionLost` otherwise), and after any error the background queue
runs nothing more.

Ids of new rows come from the database (:class:`IdSource`): PostgreSQL's sequence, or on
SQLite the table's largest id inside the write transaction, which holds the write lock.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from types import TracebackType

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from genebank.db import TransactionLost
from genebank.models.base import audit_values

AUDIT_COLUMNS = ("created_at", "created_by", "updated_at", "updated_by", "version")
Audit = tuple[object, ...]


def audit_row(session: Session) -> Audit:
    """Audit column values (in AUDIT_COLUMNS order) for rows written by this session's user.

    On SQLite the timestamps are given as the text SQLAlchemy stores, since the driver would
    otherwise convert the same datetime again for every statement.
    """
    values = audit_values(str(session.info.get("user", "")))
    if session.get_bind().dialect.name == "sqlite":
        for column in ("created_at", "updated_at"):
            values[column] = values[column].strftime("%Y-%m-%d %H:%M:%S.%f")  # type: ignore[attr-defined]
    return tuple(values[c] for c in AUDIT_COLUMNS)


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[tuple[object, ...]], audit: Audit) -> None:
    """INSERT rows given as tuples of ``columns``; every row gets the ``audit`` values if
    ``table`` has audit columns.

    A table with a change history gets an entry per row in the same transaction
    (:func:`genebank.history.capture.inserted_rows`); rows given without their ``id`` then
    take ids from the database first, so that each entry names its row."""
    from genebank.history import capture, tracked

    if rows and table.name in tracked.TRACKED and "id" in table.c and "id" not in columns:
        ids = new_ids(session, table, len(rows))
        columns = ("id", *columns)
        rows = [(row_id, *row) for row_id, row in zip(ids, rows, strict=True)]
    _insert(session.connection(), table, columns, rows, audit)
    capture.inserted_rows(session, table, columns, rows)


def audited(table: Table) -> bool:
    """Whether ``table`` has the audit columns (an accession's own rows have none)."""
    return "version" in table.c


def _insert(connection: Connection, table: Table, columns: Sequence[str],
            rows: Sequence[tuple[object, ...]], audit: Audit) -> None:
    if not rows:
        return
    if not audited(table):
        audit = ()
    if connection.dialect.name == "sqlite":
        _insert_sqlite(connection.connection.driver_connection,  # type: ignore[arg-type]
                       table.name, columns, rows, audit)
    else:
        names = (*columns, *AUDIT_COLUMNS[:len(audit)])
        connection.execute(table.insert(),
                           [dict(zip(names, (*row, *audit), strict=True)) for row in rows])


# Writes rows of a table: (connection, table, columns, rows, audit).
Writer = Callable[[Connection, Table, Sequence[str], Sequence[tuple[object, ...]], Audit], None]


class BackgroundInserts:
    """INSERTs run in order on a second thread while the caller builds the next rows.

    The database does its part (indexes, pages) without holding Python's GIL, so on two
    cores an import's rows are built and written at the same time. Meanwhile the caller
    must not use the session; leaving the ``with`` block waits for every insert and raises
    the first failure.

    After the first failure (or when the caller's own code fails inside the block) nothing
    queued runs any more: the transaction is lost, and on SQLite a statement after an
    abandoned transaction would commit by itself.
    """

    def __init__(self, session: Session, *, queued: int = 12,
                 write: Writer | None = None) -> None:
        self._connection = session.connection()
        self._write = write or _insert  # or staged_inserts.Staging.copy
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inserts")
        self._pending: deque[Future[None]] = deque()
        self._queued = queued
        self._stopped = threading.Event()
        self._failure: BaseException | None = None

    def insert(self, table: Table, columns: Sequence[str], rows: Sequence[tuple[object, ...]],
               audit: Audit) -> None:
        self._raise_failure()
        while self._pending and (self._pending[0].done() or len(self._pending) >= self._queued):
            self._pending.popleft().result()  # a failed insert stops the caller here
        self._pending.append(self._pool.submit(self._run, table, columns, rows, audit))

    def _run(self, table: Table, columns: Sequence[str], rows: Sequence[tuple[object, ...]],
             audit: Audit) -> None:
        if self._stopped.is_set():
            raise CancelledError("an earlier insert failed")
        try:
            self._write(self._connection, table, columns, rows, audit)
        except BaseException as error:
            self._failure = self._failure or error
            self._stopped.set()
            raise

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def __enter__(self) -> BackgroundInserts:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if error is not None:
            self._stopped.set()  # the caller failed or was cancelled: run nothing more
        try:
            for future in self._pending:
                if self._stopped.is_set():
                    future.cancel()
                if not future.cancelled():
                    future.exception()  # wait; a failure sets _stopped for the rest
        finally:
            self._pending.clear()
            self._pool.shutdown()
        if error is None:
            self._raise_failure()


def _insert_sqlite(connection: sqlite3.Connection, table: str, columns: Sequence[str],
                   rows: Sequence[tuple[object, ...]], audit: Audit,
                   shared: tuple[str, ...] = AUDIT_COLUMNS) -> None:
    """Hundreds of rows per INSERT statement, the audit values bound once per statement.

    Faster than ``executemany``, which runs the statement once per row: the driver binds a
    whole statement's parameters in one call. (Numbered parameters, ``?NNN``, would be the
    obvious way to repeat the audit values, but the driver looks each one up by name.)
    """
    limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - len(audit)
    per_statement = max(1, min(limit // len(columns), 1000))
    cursor = connection.cursor()
    try:
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            sql = _insert_sql(table, tuple(columns), len(part), shared if audit else ())
            if not connection.in_transaction:  # SQLite gave the transaction up
                raise TransactionLost(table=table)
            try:
                cursor.execute(sql, [*audit, *itertools.chain.from_iterable(part)])
            except sqlite3.Error as error:  # typed as SQLAlchemy's, like every other error
                raise DBAPIError.instance(sql, None, error, sqlite3.Error,
                                          hide_parameters=True) from error
    finally:
        cursor.close()


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], rows: int, shared: tuple[str, ...]) -> str:
    """``shared``: columns whose values are the same for every row, bound once (the audit
    columns; a history entry's who, when and why)."""
    row = f"({', '.join('?' * len(columns))})"
    if not shared:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * rows)}"
    audit = ", ".join("?" * len(shared))
    return (f"WITH audit AS (SELECT {audit}) "
            f"INSERT INTO {table} ({', '.join((*columns, *shared))}) "
            f"SELECT * FROM (VALUES {', '.join([row] * rows)}), audit")


class IdSource:
    """Ids for new rows of one table, handed out one or many at a time, from the database.

    On PostgreSQL they come from the table's own sequence, a block at a time, so that a form
    saving on another workstation meanwhile gets other ids: unique and increasing, but not
    contiguous (callers take the ids given, never ``first + offset``); unused ones are lost,
    as sequences do. On SQLite they count on from the table's largest id, which is safe
    because a bulk write runs in a write transaction (``BEGIN IMMEDIATE``, see
    :mod:`genebank.transactions`) that holds the only write lock until it ends; rows of the
    same table must not be added by other means within that transaction meanwhile.
    """

    def __init__(self, session: Session, table: Table, *, block: int = 5000) -> None:
        self._session = session
        self._table = table
        self._block = block
        self._ready: deque[int] = deque()
        self._next: int | None = None  # SQLite: the next id to give

    def take(self) -> int:
        return self.take_many(1)[0]

    def peek(self) -> int:
        """The id the next :meth:`take` returns."""
        if not self._ready:
            self._fill(1)
        return self._ready[0]

    def take_many(self, count: int) -> list[int]:
        if len(self._ready) < count:
            self._fill(count - len(self._ready))
        return [self._ready.popleft() for _ in range(count)]

    def _fill(self, wanted: int) -> None:
        count = max(wanted, self._block)
        connection = self._session.connection()
        if connection.dialect.name == "postgresql":
            ids = connection.execute(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                     "FROM generate_series(1, :count)"),
                {"table": self._table.name, "count": count}).scalars().all()
            self._ready.extend(sorted(ids))
            return
        if self._next is None:
            self._next = (self._session.scalar(select(func.max(self._table.c.id))) or 0) + 1
        self._ready.extend(range(self._next, self._next + count))
        self._next += count


def new_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` ids for new rows of ``table`` (see :class:`IdSource`)."""
    return IdSource(session, table, block=0).take_many(count) if count else []
