"""Writing many rows at once (demo data, spreadsheet imports), fast and in the caller's
transaction. Rows are tuples in a stated column order; the audit columns, the same for every
row of one write, are given once."""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.orm import Session

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
    """INSERT rows given as tuples of ``columns``; every row gets the ``audit`` values."""
    _insert(session.connection(), table, columns, rows, audit)


def _insert(connection: Connection, table: Table, columns: Sequence[str],
            rows: Sequence[tuple[object, ...]], audit: Audit) -> None:
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        _insert_sqlite(connection.connection.driver_connection,  # type: ignore[arg-type]
                       table.name, columns, rows, audit)
    else:
        names = (*columns, *AUDIT_COLUMNS)
        connection.execute(table.insert(),
                           [dict(zip(names, (*row, *audit), strict=True)) for row in rows])


class BackgroundInserts:
    """INSERTs run in order on a second thread while the caller builds the next rows.

    The database does its part (indexes, pages) without holding Python's GIL, so on two
    cores an import's rows are built and written at the same time. Meanwhile the caller
    must not use the session; leaving the ``with`` block waits for every insert and raises
    the first failure.
    """

    def __init__(self, session: Session, *, queued: int = 12) -> None:
        self._connection = session.connection()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inserts")
        self._pending: deque[Future[None]] = deque()
        self._queued = queued

    def insert(self, table: Table, columns: Sequence[str], rows: Sequence[tuple[object, ...]],
               audit: Audit) -> None:
        while self._pending and (self._pending[0].done() or len(self._pending) >= self._queued):
            self._pending.popleft().result()  # a failed insert stops the caller here
        self._pending.append(
            self._pool.submit(_insert, self._connection, table, columns, rows, audit))

    def __enter__(self) -> BackgroundInserts:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            while self._pending:
                future = self._pending.popleft()
                if error is None:
                    future.result()
                else:
                    future.exception()  # wait, then let the caller's error through
        finally:
            self._pool.shutdown()


def _insert_sqlite(connection: sqlite3.Connection, table: str, columns: Sequence[str],
                   rows: Sequence[tuple[object, ...]], audit: Audit) -> None:
    """Hundreds of rows per INSERT statement, the audit values bound once per statement.

    Faster than ``executemany``, which runs the statement once per row: the driver binds a
    whole statement's parameters in one call. (Numbered parameters, ``?NNN``, would be the
    obvious way to repeat the audit values, but the driver looks each one up by name.)
    """
    limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - len(audit)
    per_statement = max(1, min(limit // len(columns), 1000))
    cursor = connection.cursor()
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        cursor.execute(_insert_sql(table, tuple(columns), len(part)),
                       [*audit, *itertools.chain.from_iterable(part)])


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], rows: int) -> str:
    row = f"({', '.join('?' * len(columns))})"
    audit = ", ".join("?" * len(AUDIT_COLUMNS))
    return (f"WITH audit AS (SELECT {audit}) "
            f"INSERT INTO {table} ({', '.join((*columns, *AUDIT_COLUMNS))}) "
            f"SELECT * FROM (VALUES {', '.join([row] * rows)}), audit")


def next_id(session: Session, table: Table) -> int:
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def sync_id_sequence(session: Session, table: Table) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequence past them."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
