"""Backups of a Genebank database as one SQLite file, whole and checked, or not at all.

A SQLite database is copied with SQLite's online backup (safe while others use it) into a
temporary file beside the target; a PostgreSQL database has its rows copied into a new
SQLite database there. Either copy must pass ``PRAGMA quick_check`` and hold as many rows in
every table as the source held when the copy began; only then is it renamed to the target
(see :func:`genebank.io.files.write_whole`). A failed or interrupted backup (a full disk, a
killed process, a power cut) leaves nothing under the target's name, and the upgrade that
asked for it does not start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

from genebank.db import Database, DatabaseError, create_engine_for, sqlite_url, upgrade
from genebank.io.files import MESSAGES, CheckFailed, ExportFailed, write_whole

STEP_PAGES = 4096  # pages copied per step of SQLite's online backup


class BackupFailed(DatabaseError):
    """A backup that was not made; nothing was left under its name.

    ``code`` and ``params`` as for :class:`genebank.io.files.ExportFailed`; ``str(error)``
    is the English message.
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__("backup not made: " + MESSAGES[code].format(**params))


def backup(database: Database, target: Path) -> Path:
    """Back up ``database`` to the SQLite file ``target`` (a PostgreSQL database too).

    An existing ``target`` is never overwritten. Returns the absolute target.
    """
    target = Path(target).expanduser().resolve()
    if database.is_sqlite:
        return backup_sqlite(database.engine, target)
    return backup_postgres(database.engine, target)


def backup_before_upgrade(engine: Engine, path: Path, *, backup_dir: Path | None) -> Path:
    """The backup of the SQLite file ``path`` taken before its schema is upgraded."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = backup_dir or path.parent
    return backup_sqlite(engine,
                         folder / f"{path.stem}.backup-{stamp}{path.suffix or '.sqlite'}")


def backup_sqlite(engine: Engine, target: Path) -> Path:
    """A consistent, checked copy of the SQLite database of ``engine`` in ``target``."""
    expected: dict[str, int] = {}
    raw = engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        page_size = source.execute("PRAGMA page_size").fetchone()[0]
        needed = page_size * source.execute("PRAGMA page_count").fetchone()[0]

        def write(partial: Path) -> None:
            # One read transaction: the counts and every step of the copy see one snapshot.
            source.execute("BEGIN")
            try:
                expected.update(table_counts(source))
                destination = sqlite3.connect(partial)
                try:
                    source.backup(destination, pages=STEP_PAGES, progress=_on_step)
                finally:
                    destination.close()
            finally:
                with contextlib.suppress(sqlite3.Error):  # never hide why the copy failed
                    source.execute("ROLLBACK")

        return _write(target, write, expected, needed=needed)
    finally:
        raw.close()


def _on_step(status: int, remaining: int, total: int) -> None:
    """Called after each step of SQLite's backup (tests fault the copy midway with it)."""


def backup_postgres(engine: Engine, target: Path) -> Path:
    """The rows of the PostgreSQL database of ``engine`` in a new SQLite file ``target``."""
    from genebank.models import Base

    expected: dict[str, int] = {}

    def write(partial: Path) -> None:
        copy = create_engine_for(sqlite_url(partial))
        try:
            upgrade(copy)
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            with engine.connect().execution_options(**options) as reader:
                for table in Base.metadata.sorted_tables:  # the snapshot the copy reads
                    expected[table.name] = reader.scalar(
                        select(func.count()).select_from(table)) or 0
                copy_rows(reader, copy)
        finally:
            copy.dispose()

    return _write(target, write, expected, needed=None)


def _write(target: Path, write: object, expected: dict[str, int], *,
           needed: int | None) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupFailed("no_folder", path=str(target), folder=str(target.parent),
                           reason=error.strerror or str(error)) from None
    try:
        return write_whole(target, write,  # type: ignore[arg-type]
                           check=lambda partial: verify_copy(partial, expected),
                           needed=needed, overwrite=False)
    except ExportFailed as error:
        raise BackupFailed(error.code, **error.params) from None
    except sqlite3.Error as error:
        raise BackupFailed("write_failed", path=str(target), reason=str(error)) from None


def copy_rows(reader: Connection, target: Engine, chunk: int = 5000) -> None:
    """Every row of every Genebank table from ``reader`` into the database of ``target``."""
    from genebank.models import Base

    with target.begin() as writer:
        for table in Base.metadata.sorted_tables:
            result = reader.execution_options(stream_results=True).execute(select(table))
            for rows in result.mappings().partitions(chunk):
                writer.execute(table.insert(), [dict(r) for r in rows])


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table of a SQLite database (its own tables, not SQLite's)."""
    names = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names}


def verify_copy(path: Path, expected: dict[str, int]) -> None:
    """Raise :class:`CheckFailed` unless the SQLite file ``path`` passes quick_check and
    holds ``expected`` rows per table. Leaves it a single file (rollback journal)."""
    connection = sqlite3.connect(path)
    try:
        with contextlib.suppress(sqlite3.OperationalError):
            connection.execute("PRAGMA journal_mode = DELETE")
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise CheckFailed(f"SQLite's quick check found: {problems[0]}")
        counts = table_counts(connection)
    except sqlite3.DatabaseError as error:
        raise CheckFailed(f"the copy cannot be read: {error}") from None
    finally:
        connection.close()
    for table, rows in expected.items():
        if counts.get(table) != rows:
            raise CheckFailed(f"the table {table} has {rows:,} rows but the copy "
                              f"{counts.get(table, 0):,}")
