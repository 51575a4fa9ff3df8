"""On SQLite, a large import into a small database builds the secondary indexes of the
tables it fills after the rows are in, instead of keeping them up to date row by row.

Why: SQLite builds an index from sorted keys in one pass, much cheaper than inserting
hundreds of thousands of keys one at a time at random places of a B-tree. It pays only when
the new rows outnumber the stored ones (the whole index is built again), so it is done for a
large import into a small database.

What is safe to leave out while rows go in: only indexes that do not enforce anything. A
unique index (the accession identity, INSTCODE + ACCENUMB, a primary key) stays, so a
duplicate is refused at once as before. The indexes are dropped and created again inside
the caller's write transaction: a failed, cancelled or killed import rolls them back with
its rows, so the database keeps its indexes as before. Never on PostgreSQL, where dropping
an index locks the table for every workstation until the import ends.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

# Below this many new rows the indexes are kept up to date as usual: too few to gain.
LEAST_ROWS = 10_000


@contextmanager
def built_after_rows(session: Session, tables: Sequence[Table], *, adding: int) \
        -> Iterator[bool]:
    """Inside the block, ``tables`` (the first one the table ``adding`` counts rows of) have
    no secondary index that enforces nothing, when on SQLite ``adding`` is at least
    :data:`LEAST_ROWS` and at least the rows already stored; the indexes are built again
    as the block ends. Yields whether they were left out. If the block fails, the indexes
    are not built here: the caller's transaction, rolled back, restores them."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or adding < LEAST_ROWS:
        yield False
        return
    stored = session.scalar(select(func.count()).select_from(tables[0])) or 0
    if stored > adding:
        yield False
        return
    names = [table.name for table in tables]
    marks = ", ".join("?" * len(names))
    indexes = [(name, sql) for name, sql in connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", tuple(names)).all()
        if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield True
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)
