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
import re
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, select, text
from sqlalchemy.exc import DBAPIError

from genebank import problems
from genebank.db import Database, DatabaseError, create_engine_for, sqlite_url, upgrade
from genebank.io.files import (
    MESSAGES,
    CheckFailed,
    FileNotWritten,
    free_now,
    same_file,
    write_whole,
)
from genebank.problems import register
from genebank.progress import NoProgress, Progress, check

STEP_PAGES = 4096  # pages copied per step of SQLite's online backup

problems.register({
    # The copy failed because the database itself is damaged, not the destination.
    "backup_source_damaged":
        "the database '{database}' is damaged (SQLite's check: {detail}), "
        "so no sound backup of it can be made; nothing was written and the database was not "
        "changed. "
        "Open your latest backup instead (keep the damaged file: a specialist may save more "
        "of it with the sqlite3 tool's '.recover' command, which copies whatever is still "
        "readable into a new database)",
    # The backup an upgrade makes first (no folder to choose: it goes beside the database).
    "upgrade_backup_disk_full":
        "'{database}' needs upgrading to this version of Genebank, and a backup of it must "
        "be made first ('{path}'), but the disk there is full ({free_text} "
        "free{needed_text}). The database was not changed. Free some space on that disk, or "
        "move the database to a disk with more room, then open it again",
})


class BackupFailed(DatabaseError):
    """A backup that was not made; nothing was left under its name.

    ``code`` and ``params`` as for :class:`genebank.io.files.FileNotWritten`; ``str(error)``
    is the English message: the file's problem after :attr:`lead` (which the GUI words
    too, so the code's template is worded whole).
    """

    lead = "backup not made: "
    # Codes said whole, without the lead: the backup an upgrade needed, worded as the
    # upgrade's problem (the person chose no backup there).
    UNLED = frozenset({"upgrade_backup_disk_full"})

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        words = MESSAGES[code] if code in MESSAGES else problems.TEMPLATES[code]
        lead = "" if code in self.UNLED else self.lead
        super().__init__(lead + words.format(**params))


# What a written backup's check found (genebank.io.files.CheckFailed).
register({
    "backup_quick_check_failed": "SQLite's quick check found: {problem}",
    "backup_copy_unreadable": "the copy cannot be read: {detail}",
    "backup_rows_lost": "the table {table} has {rows:,} rows but the copy {copied:,}",
})
register({
    # A SQLite journal beside the file to be replaced would be played over the new copy.
    "backup_target_in_use": "'{path}' cannot be replaced now: its journal '{journal}' is "
                            "beside it, so it is open in another program or Genebank window "
                            "(or was left open by one that stopped), and SQLite would play "
                            "that journal over the new backup. Close it there (or open and "
                            "close it in Genebank), or choose another file name; nothing was "
                            "written",
})


def refuse_target_in_use(target: Path) -> None:
    """Raise :class:`BackupFailed` when an existing ``target`` has a SQLite journal beside
    it (``-wal``, ``-journal``): renamed over, the new copy would be paired with the old
    file's journal, which SQLite replays on the next open (the backup would then show the
    old file's tables), and whoever has the old file open would go on writing to a file no
    longer there."""
    if not target.exists():
        return
    for suffix in ("-wal", "-journal"):
        journal = Path(f"{target}{suffix}")
        if journal.exists():
            raise BackupFailed("backup_target_in_use", path=str(target), journal=str(journal))


def backup(database: Database, target: Path, *, progress: Progress | None = None,
           replace: bool = False) -> Path:
    """Back up ``database`` to the SQLite file ``target`` (a PostgreSQL database too).

    An existing ``target`` is refused unless ``replace`` (the person confirmed it): then it
    stays as it was until the new copy is whole and checked, and is swapped for it in one
    rename. The database's own file is never a target. ``progress`` hears how far the copy
    is and may cancel it (:class:`Cancelled`; nothing is left). Returns the absolute target.
    """
    target = Path(target).expanduser().resolve()
    if database.is_sqlite:
        return backup_sqlite(database.engine, target, progress=progress, replace=replace)
    return backup_postgres(database.engine, target, progress=progress, replace=replace)


def backup_before_upgrade(engine: Engine, path: Path, *, backup_dir: Path | None) -> Path:
    """The backup of the SQLite file ``path`` taken before its schema is upgraded:
    ``<stem>.backup-YYYYmmdd-HHMMSS<suffix>``, with ``-2``, ``-3``… added when a backup
    of the same second has that name already."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = backup_dir or path.parent
    try:  # the program's own backup folder, when one is given, is made here
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupFailed("no_folder", path=str(folder / path.name), folder=str(folder),
                           reason=error.strerror or str(error)) from None
    suffix = path.suffix or ".sqlite"
    for number in range(1, 1000):
        extra = "" if number == 1 else f"-{number}"
        try:
            return backup_sqlite(engine, folder / f"{path.stem}.backup-{stamp}{extra}{suffix}")
        except BackupFailed as error:
            if error.code == "disk_full":  # no folder to choose here: say what to do
                # Opening the database for its backup made its WAL index (the 32 KB -shm)
                # on that disk; closed, the disk has what the person will find free there.
                engine.dispose()
                raise BackupFailed("upgrade_backup_disk_full", database=str(path), **{
                    **error.params, **free_now(Path(str(error.params["folder"])))}) from None
            if error.code != "exists":
                raise
    raise BackupFailed("exists", path=str(folder / f"{path.stem}.backup-{stamp}{suffix}"))


def backup_sqlite(engine: Engine, target: Path, *, progress: Progress | None = None,
                  replace: bool = False) -> Path:
    """A consistent, checked copy of the SQLite database of ``engine`` in ``target``."""
    raw = engine.raw_connection()
    try:
        return copy_sqlite(raw.driver_connection, target,  # type: ignore[arg-type]
                           progress=progress, replace=replace)
    finally:
        raw.close()


def backup_as_is(url: str, target: Path, *, replace: bool = False) -> Path:
    """Back up the database at ``url`` as it is, at whatever schema revision it has (an
    older database is not upgraded first: the backup is of the user's data as they left
    it). Returns the absolute target."""
    from genebank.db import normalise_url, sqlite_path

    path = sqlite_path(normalise_url(url))
    if path is None:
        return backup_server(url, target, replace=replace)
    return backup_sqlite_file(path.expanduser(), Path(target).expanduser().resolve(),
                              replace=replace)


def backup_sqlite_file(path: Path, target: Path, *, replace: bool = False) -> Path:
    """A checked copy of the SQLite file ``path`` in ``target``, read through a read-only
    connection (not Genebank's engine, which would switch the file to WAL): not a byte of
    ``path`` changes. The create/upgrade lock is held meanwhile, so that no workstation
    upgrades the file during the copy (where the lock file cannot be made, no upgrade can
    take it either)."""
    from genebank import schema_lock
    from genebank.database_file import read_only_uri

    with contextlib.ExitStack() as stack:
        with contextlib.suppress(OSError):
            stack.enter_context(schema_lock.sqlite_lock(path))
        try:
            source = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
        except sqlite3.Error as error:
            raise BackupFailed("write_failed", path=str(target), reason=str(error)) from None
        try:
            return copy_sqlite(source, target, replace=replace)
        finally:
            source.close()


def copy_sqlite(source: sqlite3.Connection, target: Path, *,
                progress: Progress | None = None, replace: bool = False) -> Path:
    """A consistent, checked copy of the SQLite database ``source`` (a connection in
    autocommit mode) in ``target``.

    A copy that fails to read or to check out is told apart by checking the source: a
    damaged database is said to be damaged (with the advice for one), not blamed on the
    destination. The check costs nothing when the backup succeeds."""
    _refuse_own_file(source, target)
    try:
        return _copy_sqlite(source, target, progress=progress or NoProgress(),
                            replace=replace)
    except BackupFailed as error:
        if error.code not in ("check_failed", "write_failed"):
            raise
        damage = source_damage(source)
        if not damage:
            raise
        raise BackupFailed("backup_source_damaged", path=str(target),
                           database=_file_of(source), problems=damage,
                           detail="; ".join(damage)) from None


def source_damage(source: sqlite3.Connection) -> list[str]:
    """SQLite's ``quick_check`` of the database ``source`` is connected to: [] when sound
    (or when it cannot be read now for another reason: locked, gone), else the first
    problems it names."""
    from genebank.database_file import CheckNotRun, quick_check

    try:
        return quick_check(source)
    except CheckNotRun:
        return []


def _file_of(source: sqlite3.Connection) -> str:
    """The file of the main database of ``source`` ("" for one in memory)."""
    for _seq, name, file in source.execute("PRAGMA database_list"):
        if name == "main":
            return str(file or "")
    return ""


def _refuse_own_file(source: sqlite3.Connection, target: Path) -> None:
    """A backup over the database's own file would replace it by its copy (with
    ``--replace``), or be refused as existing with advice to replace it: refuse it as what
    it is."""
    own = _file_of(source)
    # By the file, not only its spelling: a case-insensitive disk (macOS, Windows) or a
    # link gives one file several names, and replacing any of them replaces the database.
    if own and (Path(own).resolve() == Path(target).resolve()
                or same_file(Path(target), Path(own))):
        raise BackupFailed("is_database_file", path=str(target))


def _copy_sqlite(source: sqlite3.Connection, target: Path, *, progress: Progress,
                 replace: bool) -> Path:
    def step(status: int, remaining: int, total: int) -> None:
        _on_step(status, remaining, total)
        progress.report(total - remaining, total)
        check(progress)  # raised through SQLite's backup, which stops there

    expected: dict[str, int] = {}
    page_size = source.execute("PRAGMA page_size").fetchone()[0]
    needed = page_size * source.execute("PRAGMA page_count").fetchone()[0]

    def write(partial: Path) -> None:
        # One read transaction: the counts and every step of the copy see one snapshot.
        source.execute("BEGIN")
        try:
            expected.update(table_counts(source))
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination, pages=STEP_PAGES, progress=step)
            finally:
                destination.close()
        finally:
            with contextlib.suppress(sqlite3.Error):  # never hide why the copy failed
                source.execute("ROLLBACK")

    return _write(target, write, expected, needed=needed, replace=replace)


def _on_step(status: int, remaining: int, total: int) -> None:
    """Called after each step of SQLite's backup (tests fault the copy midway with it)."""


def backup_postgres(engine: Engine, target: Path, *, progress: Progress | None = None,
                    replace: bool = False) -> Path:
    """The PostgreSQL database of ``engine``, at whatever schema revision it is, in a new
    SQLite file ``target`` at the same revision, which this Genebank opens (and upgrades)
    like any older file.

    One REPEATABLE READ, read-only snapshot gives the revision, the row counts and the rows.
    The copy's schema is built by the migrations up to that revision; every table is copied
    by the columns the server holds (reflected, not this version's models, which an older
    schema does not match). A server table or column that the copy's schema lacks stops the
    backup (nothing would hold its values) rather than leaving them out.
    """
    progress = progress or NoProgress()
    expected: dict[str, int] = {}

    def write(partial: Path) -> None:
        copy = create_engine_for(sqlite_url(partial))
        try:
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            with engine.connect().execution_options(**options) as reader:
                # The first statement fixes the snapshot that everything below reads.
                revision = reader.execute(
                    text("SELECT version_num FROM alembic_version")).scalar()
                upgrade(copy, revision or "base")
                unique_as_on_server(copy)
                tables = MetaData()
                tables.reflect(copy)
                served = MetaData()
                served.reflect(reader)
                _refuse_unheld(served, tables, target, revision)
                preparer = reader.dialect.identifier_preparer
                for table in tables.sorted_tables:
                    if table.name != "alembic_version":
                        expected[table.name] = reader.scalar(text(
                            f"SELECT count(*) FROM {preparer.quote(table.name)}")) or 0
                with copy.begin() as writer:
                    for number, table in enumerate(tables.sorted_tables):
                        # how far, not the table's name (no word for a user)
                        progress.report(number, len(tables.sorted_tables))
                        if table.name != "alembic_version":
                            _copy_table(reader, writer, table, served.tables[table.name],
                                        progress)
        finally:
            copy.dispose()

    return _write(target, write, expected, needed=None, source=engine,
                  about=_server_size(engine), replace=replace)


# A named UNIQUE table constraint in SQLite's text of a CREATE TABLE (as Alembic writes it).
_UNIQUE_CLAUSE = re.compile(r',\s*CONSTRAINT\s+("?)(\w+)\1\s+UNIQUE\s*\(([^)]*)\)', re.I)


def unique_as_on_server(copy: Engine) -> None:
    """Make the copy's unique constraints compare as the server's do: case-sensitively.

    SQLite's NOCASE columns (accession numbers, lot numbers) make a UNIQUE constraint over
    them case-insensitive; PostgreSQL's is not. A server before 0008 may hold ``KZ-0001``
    and ``kz-0001`` side by side, which the copy would refuse ("UNIQUE constraint failed"),
    and a backup must hold every row as the server has it, above all the backup taken
    before resolving them. Each such constraint becomes a unique index of the same name
    comparing its NOCASE columns as BINARY; the columns stay NOCASE for searching. Opening
    the backup then meets 0008's duplicate check and its way out, as the server does.

    The copy's tables are empty here (just made by the migrations), so SQLite's way of
    changing a table's constraints (a new table, renamed over the old one) moves no rows.
    """
    raw = copy.raw_connection()
    try:
        connection: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        connection.execute("PRAGMA foreign_keys = OFF")  # the old table is dropped
        try:
            for name, sql in connection.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'").fetchall():
                _rebuild_unique(connection, name, sql)
        finally:
            connection.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


def _folded_unique(connection: sqlite3.Connection, table: str) -> list[list[tuple[str, str]]]:
    """The (column, collation) keys of each UNIQUE constraint of ``table`` over a NOCASE
    column."""
    folded = []
    for row in connection.execute(f'PRAGMA index_list("{table}")').fetchall():
        if row[3] != "u":  # origin: a UNIQUE constraint, not the primary key or an index
            continue
        keys = [(info[2], (info[4] or "").upper()) for info in
                connection.execute(f'PRAGMA index_xinfo("{row[1]}")').fetchall() if info[5]]
        if any(collation == "NOCASE" for _name, collation in keys):
            folded.append(keys)
    return folded


def _rebuild_unique(connection: sqlite3.Connection, table: str, sql: str) -> None:
    """:func:`unique_as_on_server` for one (empty) table: re-created without its folded
    UNIQUE constraints, which come back as case-sensitive unique indexes of their names."""
    clauses = {tuple(c.strip().strip('"') for c in match.group(3).split(",")): match
               for match in _UNIQUE_CLAUSE.finditer(sql)}
    indexes = []
    for keys in _folded_unique(connection, table):
        match = clauses.get(tuple(name for name, _collation in keys))
        if match is None:  # not written as Alembic writes it: left as it is
            continue
        sql = sql.replace(match.group(0), "", 1)
        columns = ", ".join(f'"{name}" COLLATE BINARY' if collation == "NOCASE"
                            else f'"{name}"' for name, collation in keys)
        indexes.append(f'CREATE UNIQUE INDEX "{match.group(2)}" ON "{table}" ({columns})')
    if not indexes:
        return
    temporary = f"{table}__as_on_server"
    created = re.sub(r'^CREATE TABLE\s+("?)' + re.escape(table) + r'\1',
                     f'CREATE TABLE "{temporary}"', sql, count=1)
    others = [statement for (statement,) in connection.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL", (table,)).fetchall()]
    connection.execute("BEGIN")
    try:
        connection.execute(created)
        connection.execute(f'INSERT INTO "{temporary}" SELECT * FROM "{table}"')
        connection.execute(f'DROP TABLE "{table}"')
        connection.execute(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
        for statement in others + indexes:
            connection.execute(statement)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # SQLite gives a transaction up itself on a full disk
            connection.execute("ROLLBACK")
        raise


def _server_size(engine: Engine) -> int | None:
    """About how large the copy of the server's Genebank tables will be (their size on the
    server, indexes included), to say how much space a full disk lacked; None when the
    server will not say."""
    try:
        with engine.connect() as connection:
            size = connection.execute(text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = current_schema()")).scalar()
    except DBAPIError:
        return None
    return int(size) if size else None


def _copy_table(reader: Connection, writer: Connection, table: Table, served: Table,
                progress: Progress) -> None:
    """Every row of the server's ``served`` table into the copy's ``table``, streamed."""
    preparer = reader.dialect.identifier_preparer
    names = [c.name for c in table.columns if c.name in served.columns]
    result = reader.execution_options(stream_results=True).execute(text(
        f"SELECT {', '.join(preparer.quote(n) for n in names)} "
        f"FROM {preparer.quote(table.name)}"))
    for rows in result.mappings().partitions(5000):
        check(progress)
        writer.execute(table.insert(), [dict(r) for r in rows])


def _refuse_unheld(served: MetaData, copy: MetaData, target: Path,
                   revision: str | None) -> None:
    """Raise :class:`BackupFailed` when the server holds a table or column that the copy's
    schema (the migrations at ``revision``) has no place for."""
    for name, table in served.tables.items():
        held = copy.tables.get(name)
        missing = ([f"the table {name}"] if held is None else
                   [f"the column {name}.{c.name}" for c in table.columns
                    if c.name not in held.columns])
        if missing:
            raise BackupFailed(
                "check_failed", path=str(target),
                reason=f"the server database holds {missing[0]}, which Genebank's schema "
                       f"{revision} does not have; back it up with pg_dump instead")


def backup_server(url: str, target: Path, *, replace: bool = False) -> Path:
    """Back up the server database at ``url`` as it is, upgraded or not (its owner's backup
    before an upgrade): :func:`backup_postgres` after refusing an empty, foreign or newer
    database. Returns the absolute target."""
    from genebank.db import normalise_url, translate_errors
    from genebank.server_opening import refuse_server, server_state

    target = Path(target).expanduser().resolve()
    source = create_engine_for(normalise_url(url))
    try:
        with translate_errors(url):
            refuse_server(url, server_state(source), create=False)
            return backup_postgres(source, target, replace=replace)
    finally:
        source.dispose()


def _write(target: Path, write: object, expected: dict[str, int], *,
           needed: int | None, source: Engine | None = None,
           about: int | None = None, replace: bool = False) -> Path:
    """Write the backup ``target`` whole (see :func:`genebank.io.files.write_whole`). Its
    folder must exist: a mistyped folder is refused, never created. A database error while
    copying (the server gone mid-way, a statement timeout) is the backup's own
    :class:`BackupFailed` ``write_failed``, worded by :func:`genebank.driver_errors.classify`
    (its code in ``params["fault"]``); the half-copy is removed like any failed write."""
    def check(partial: Path) -> None:
        verify_copy(partial, expected)
        if replace:  # again, just before the rename: opened meanwhile?
            refuse_target_in_use(target)

    if replace:  # before the copy, so that the refusal comes first
        refuse_target_in_use(target)
    try:
        return write_whole(target, write,  # type: ignore[arg-type]
                           check=check, needed=needed, overwrite=replace, about=about)
    except FileNotWritten as error:
        raise BackupFailed(error.code, **error.params) from None
    except sqlite3.Error as error:
        raise BackupFailed("write_failed", path=str(target), reason=str(error)) from None
    except DBAPIError as error:
        from genebank.driver_errors import classify

        url = source.url.render_as_string(hide_password=True) if source is not None else None
        problem = classify(error, url=url)
        raise BackupFailed("write_failed", path=str(target), reason=str(problem),
                           fault=problem.code) from error


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
            raise CheckFailed("backup_quick_check_failed", problem=problems[0])
        counts = table_counts(connection)
    except sqlite3.DatabaseError as error:
        raise CheckFailed("backup_copy_unreadable", detail=str(error)) from None
    finally:
        connection.close()
    for table, rows in expected.items():
        if counts.get(table) != rows:
            raise CheckFailed("backup_rows_lost", table=table, rows=rows,
                              copied=counts.get(table, 0))
