"""On PostgreSQL, new rows of a bulk write go first into temporary staging tables by COPY,
then into their tables with one ``INSERT ... SELECT`` each, all inside the caller's
transaction; an owner row whose unique key another workstation took meanwhile is skipped
(``ON CONFLICT ... DO NOTHING``) with the rows it owns, and named, instead of failing the
whole write.

Why: COPY is PostgreSQL's fast way in (one stream, no statement per batch of rows), and
the final insert is where the server, not a lookup made earlier, decides whether a key is
still free: between an import's check of what exists and its insert, another workstation
may save an accession with the same number; the server waits for that save to commit or
roll back, then the import skips it or takes the key. The staging tables are temporary and
dropped at the end of the transaction (rolled back with it on any failure).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session

from genebank.services.bulk import AUDIT_COLUMNS, Audit, audited


def _stage(table: Table) -> str:
    return f"genebank_stage_{table.name}"


class Staging:
    """Rows of ``tables`` collected by COPY, then landed: ``owner`` first, skipping any row
    whose ``key`` column conflicts, then the other tables' rows whose ``owner_column`` is
    one of the owner rows that landed."""

    def __init__(self, session: Session, owner: Table, owned: Sequence[Table], *,
                 key: str, owner_column: str) -> None:
        self._connection = session.connection()
        self._owner = owner
        self._owned = list(owned)
        self._key = key
        self._owner_column = owner_column
        self._columns: dict[str, tuple[str, ...]] = {}

    def copy(self, connection: Connection, table: Table, columns: Sequence[str],
             rows: Sequence[tuple[object, ...]], _audit: Audit) -> None:
        """COPY ``rows`` (tuples of ``columns``) into ``table``'s staging table, made on
        first use. The signature of :func:`genebank.services.bulk._insert`, so that
        :class:`~genebank.services.bulk.BackgroundInserts` runs it on its thread."""
        if not rows:
            return
        columns = tuple(columns)
        names = ", ".join(columns)
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            if table.name not in self._columns:
                self._columns[table.name] = columns
                cursor.execute(f"CREATE TEMPORARY TABLE {_stage(table)} ON COMMIT DROP AS "
                               f"SELECT {names} FROM {table.name} WITH NO DATA")
            elif self._columns[table.name] != columns:
                raise ValueError(f"{table.name}: staged with other columns")
            with cursor.copy(f"COPY {_stage(table)} ({names}) FROM STDIN") as stream:
                for row in rows:
                    stream.write_row(row)

    def land(self, audit: Audit) -> set[object]:
        """Move the staged rows into their tables; returns the ``owner``'s staged ids
        (its first column) that were skipped because their key was taken meanwhile."""
        if self._owner.name not in self._columns:
            return set()
        skipped = set(self._connection.exec_driver_sql(
            f"WITH landed AS ({self._insert(self._owner, audit)} "
            f"ON CONFLICT ({self._key}) DO NOTHING RETURNING {self._first(self._owner)}) "
            f"SELECT s.{self._first(self._owner)} FROM {_stage(self._owner)} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM landed l "
            f"WHERE l.{self._first(self._owner)} = s.{self._first(self._owner)})",
            self._audit(self._owner, audit)).scalars())
        for table in self._owned:
            if table.name not in self._columns:
                continue
            where = f" WHERE NOT ({self._owner_column} = ANY(%s))" if skipped else ""
            self._connection.exec_driver_sql(
                self._insert(table, audit) + where,
                (*self._audit(table, audit), *([sorted(skipped)] if skipped else [])))
        return skipped

    def _first(self, table: Table) -> str:
        return self._columns[table.name][0]

    def _insert(self, table: Table, audit: Audit) -> str:
        columns = self._columns[table.name]
        extra = AUDIT_COLUMNS if audited(table) and audit else ()
        return (f"INSERT INTO {table.name} ({', '.join((*columns, *extra))}) "
                f"SELECT {', '.join((*columns, *('%s' for _ in extra)))} "
                f"FROM {_stage(table)}")

    @staticmethod
    def _audit(table: Table, audit: Audit) -> tuple[object, ...]:
        return tuple(audit) if audited(table) and audit else ()
