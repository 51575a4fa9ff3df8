"""Writing many rows at once (demo data, spreadsheet imports), fast and in the caller's
transaction. Rows are tuples in a stated column order; audit columns are appended here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from genebank.models.base import audit_values

AUDIT_COLUMNS = ("created_at", "created_by", "updated_at", "updated_by", "version")


def audit_row(session: Session) -> tuple[object, ...]:
    """Audit column values (in AUDIT_COLUMNS order) for rows written by this session's user.

    On SQLite the timestamps are given as the text SQLAlchemy stores, so the driver does not
    convert the same datetime once per row (1.3 s per 100,000 imported accessions).
    """
    values = audit_values(str(session.info.get("user", "")))
    if session.get_bind().dialect.name == "sqlite":
        for column in ("created_at", "updated_at"):
            values[column] = values[column].strftime("%Y-%m-%d %H:%M:%S.%f")  # type: ignore[attr-defined]
    return tuple(values[c] for c in AUDIT_COLUMNS)


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: list[tuple[object, ...]]) -> None:
    """INSERT rows given as tuples of ``columns`` followed by the audit columns.

    On SQLite straight through the driver: three times faster than SQLAlchemy's executemany.
    """
    if not rows:
        return
    names = (*columns, *AUDIT_COLUMNS)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "
               f"VALUES ({', '.join('?' * len(names))})")
        connection.connection.driver_connection.executemany(sql, rows)  # type: ignore[union-attr]
    else:
        connection.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])


def next_id(session: Session, table: Table) -> int:
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def sync_id_sequence(session: Session, table: Table) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequence past them."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
