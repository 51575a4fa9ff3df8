"""Opening a Genebank database: engine, SQLite pragmas, checks, backup and upgrade at open.

A database is either a SQLite file (one laptop, offline) or a PostgreSQL server (several
workstations). :func:`open_database` refuses anything that is not a Genebank database or is
newer than this program, backs up a SQLite file before upgrading it, and turns driver errors
into :class:`DatabaseError` messages a technician can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

APP_NAME = "Genebank"
# The newest migration. Opening a database at this revision needs no Alembic import, which
# saves ~0.4 s of every start; a test checks it against the migrations' head.
SCHEMA_REVISION = "0007"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A database that cannot be opened or used; ``str(error)`` is a message for the user."""


class NotAGenebankDatabase(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


class DatabaseUnavailable(DatabaseError):
    pass


class TransactionLost(DatabaseError):
    """SQLite abandoned the transaction after an error (a full disk, an I/O error), so a
    further statement would have been saved on its own: it was not run, and nothing of the
    transaction is kept."""

    code = "transaction_lost"

    def __init__(self, *, table: object = None) -> None:
        self.params = {"table": str(getattr(table, "name", table or ""))}
        super().__init__(
            "the database stopped this change after an earlier error (a full disk, a "
            "damaged file or a lost connection); nothing of it was saved. Free disk space "
            "or check the database, then do it again")


@dataclass
class Database:
    """An open database: the engine, a session factory stamping ``user`` on changes."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_name(self) -> str:
        """The file path, or the server and database name, without any password."""
        url = self.engine.url
        if self.is_sqlite:
            return url.database or ":memory:"
        return url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows service accounts
        return "unknown"


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "genebank.sqlite"


def demo_database_path() -> Path:
    """Where Help > Load demo collection puts the demo: its own file next to the user's."""
    return default_database_path().with_name("genebank-demo.sqlite")


def is_default_database(url: str) -> bool:
    """Whether ``url`` (or a plain path) names the user's own default database file."""
    path = sqlite_path(normalise_url(url))
    return path is not None and path.expanduser().resolve() == \
        default_database_path().expanduser().resolve()


DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mssql": 1433}


def same_database(first: str, second: str) -> bool:
    """Whether two URLs (or plain paths) name the same database, however they are spelt:
    a SQLite file by its resolved path, a server database by backend, host, port and name
    (the driver and the user do not change which database it is)."""
    try:
        a, b = make_url(normalise_url(first)), make_url(normalise_url(second))
    except ArgumentError:
        return first == second
    if a.get_backend_name() != b.get_backend_name():
        return False
    path_a, path_b = sqlite_path(str(a)), sqlite_path(str(b))
    if path_a is not None or path_b is not None:
        return path_a is not None and path_b is not None and \
            path_a.expanduser().resolve() == path_b.expanduser().resolve()
    default_port = DEFAULT_PORTS.get(a.get_backend_name())
    return ((a.host or "localhost").casefold(), a.port or default_port, a.database) == \
        ((b.host or "localhost").casefold(), b.port or default_port, b.database)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def normalise_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (what people type)."""
    if "://" in url_or_path:
        return url_or_path
    return sqlite_url(url_or_path)


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_engine_for(url: str) -> Engine:
    """An engine with our settings: SQLite gets foreign keys, WAL and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"'{url}' is not a database address or file name") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_only_in_transaction)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as missing:
        raise DatabaseError(
            f"the database driver '{missing.name}' is not installed; "
            "install Genebank with the 'postgres' extra"
        ) from None


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    with contextlib.suppress(sqlite3.OperationalError):  # a read-only file keeps its mode
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
    # SQLAlchemy, not the driver, starts transactions (see _sqlite_begin): the driver's own
    # implicit BEGIN comes too late for SAVEPOINTs, which a bulk check needs per record.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Connection) -> None:
    # A transaction that will write takes the write lock at once (see genebank.transactions):
    # one that reads first could not wait for the lock when it comes to write.
    writes = connection.get_execution_options().get("genebank_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _sqlite_only_in_transaction(connection: Connection, _cursor: object, statement: str,
                                *_args: object) -> None:
    """Refuse a statement of a transaction that SQLite has already given up (after
    SQLITE_FULL or an I/O error it rolls back by itself): with the driver in autocommit the
    statement would otherwise be committed on its own, half a change saved."""
    if connection.in_transaction() and \
            not connection.connection.driver_connection.in_transaction and \
            not statement.lstrip()[:5].upper().startswith("BEGIN"):  # type: ignore[union-attr]
        raise TransactionLost()


def alembic_config(connection: object | None = None) -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    location = resources.files("genebank.migrations")
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads; expected one")
    return heads[0]


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def schema_revision(engine: Engine) -> tuple[str | None, bool]:
    """The database's Alembic revision, and whether it holds tables of some other program."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables:
            return None, bool(tables)
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        return (versions[0][0] if versions else None), False


def _has_version_table(engine: Engine) -> bool:
    return "alembic_version" in inspect(engine).get_table_names()


def open_database(url: str, *, user: str | None = None, create: bool = True,
                  backup_dir: Path | None = None) -> Database:
    """Open (creating or upgrading as needed) the Genebank database at ``url``.

    A SQLite file is backed up before an upgrade. Raises :class:`DatabaseError` with a
    message naming the file or server when the database cannot be used.
    """
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path, create=create)
    engine = create_engine_for(url)
    backup_path = None
    try:
        with _translate_errors(url):
            revision, foreign = schema_revision(engine)
            if foreign:
                raise NotAGenebankDatabase(
                    f"{_where(url)} holds other tables, not a Genebank database; "
                    "choose another file or an empty database")
            if revision not in (None, SCHEMA_REVISION) and revision not in known_revisions():
                raise DatabaseTooNew(
                    f"{_where(url)} was made by a newer version of Genebank "
                    f"(schema {revision}); update Genebank to open it")
            if revision != SCHEMA_REVISION:
                if path is not None and _has_version_table(engine):
                    backup_path = backup_before_upgrade(engine, path, backup_dir=backup_dir)
                upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(engine, info={"user": user or current_user()})
    return Database(url=url, engine=engine, session_factory=factory, backup_path=backup_path)


def _where(url: str) -> str:
    path = sqlite_path(url)
    return f"'{path}'" if path else f"the database {make_url(url).render_as_string()}"


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(f"'{path}' is a folder, not a database file")
    if not path.exists():
        if not create:
            raise DatabaseError(f"'{path}' does not exist")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(f"cannot create the folder '{path.parent}': "
                                      f"{error.strerror}") from None
        if not os.access(path.parent, os.W_OK):
            raise DatabaseUnavailable(f"cannot create '{path}': the folder is read-only")
        return
    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != SQLITE_MAGIC:
        raise NotAGenebankDatabase(f"'{path}' is not a Genebank database (not a SQLite file)")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseUnavailable(
            f"'{path}' is read-only; Genebank needs to write to it and to its folder. "
            "Copy it to a folder of your own, or ask for write permission")


@contextlib.contextmanager
def _translate_errors(url: str) -> Iterator[None]:
    try:
        yield
    except DatabaseError:
        raise
    except (OperationalError, DBAPIError) as error:
        raise DatabaseUnavailable(describe_driver_error(url, error)) from error


def describe_driver_error(url: str, error: Exception, *, operation: str | None = None) -> str:
    """A one-line, plain message for a driver error on ``url``; ``operation`` (what the
    user was doing, e.g. "Saving KZ-0001") leads it when given."""
    original = str(getattr(error, "orig", error)).strip().splitlines()[0] if \
        str(getattr(error, "orig", error)).strip() else type(error).__name__
    lowered = original.lower()
    lead = f"{operation}: " if operation else ""
    if "locked" in lowered or "busy" in lowered:
        # SQLite says "locked" at once when a transaction that read first wants to write
        # while another writes, and after the busy timeout otherwise: no time is claimed.
        return (f"{lead}{_where(url)} was in use by another program or workstation writing "
                "to it at the same moment; nothing was changed. Try again in a moment; if it "
                "goes on, close the other program or wait for the other workstation's import "
                "or backup to finish")
    if "disk is full" in lowered or "database or disk is full" in lowered or \
            "no space left" in lowered or "could not extend file" in lowered:
        return (f"{lead}the disk holding {_where(url)} is full; nothing was saved. Free some "
                "space on it, then try again")
    if "disk i/o error" in lowered or "input/output error" in lowered:
        return (f"{lead}{_where(url)} could not be written (a disk or network error); nothing "
                "was saved. Check the disk or connection, then try again")
    if "readonly" in lowered or "read-only" in lowered:
        return f"{lead}{_where(url)} is read-only; Genebank needs to write to it"
    if "file is not a database" in lowered or "malformed" in lowered:
        return f"{lead}{_where(url)} is not a Genebank database or is damaged ({original})"
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and _unreachable(error):
        return (f"{lead}cannot reach the PostgreSQL server {parsed.host or 'localhost'}:"
                f"{parsed.port or 5432} (database '{parsed.database}'): {original}")
    return f"{lead}{_where(url)}: {original}"


def _unreachable(error: Exception) -> bool:
    """Whether a PostgreSQL error means the server could not be reached (no connection, or
    a connection-class SQLSTATE 08xxx), not a refusal by a server that answered."""
    if getattr(error, "connection_invalidated", False):
        return True
    state = getattr(getattr(error, "orig", error), "sqlstate", None)
    return state.startswith("08") if state else isinstance(error, OperationalError)


def describe_engine_error(engine: Engine, error: Exception, *,
                          operation: str | None = None) -> str:
    """:func:`describe_driver_error` for an error raised while using ``engine``."""
    return describe_driver_error(engine.url.render_as_string(hide_password=True), error,
                                 operation=operation)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def backup_before_upgrade(engine: Engine, path: Path, *, backup_dir: Path | None) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = backup_dir or path.parent
    target = folder / f"{path.stem}.backup-{stamp}{path.suffix or '.sqlite'}"
    backup_sqlite(engine, target)
    return target


def backup_sqlite(engine: Engine, target: Path) -> None:
    """A consistent copy of a SQLite database (SQLite's online backup, safe while in use)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise DatabaseError(f"'{target}' already exists; choose a new file name")
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
        finally:
            destination.close()
    finally:
        raw.close()


def backup(database: Database, target: Path) -> Path:
    """Back up ``database`` to the SQLite file ``target`` (a PostgreSQL database too)."""
    target = target.expanduser().resolve()
    if database.is_sqlite:
        backup_sqlite(database.engine, target)
        return target
    if target.exists():
        raise DatabaseError(f"'{target}' already exists; choose a new file name")
    copy = open_database(sqlite_url(target), user=current_user())
    try:
        _copy_rows(database.engine, copy.engine)
    finally:
        copy.close()
    return target


def _copy_rows(source: Engine, target: Engine, chunk: int = 5000) -> None:
    from genebank.models import Base

    with source.connect() as reader, target.begin() as writer:
        for table in Base.metadata.sorted_tables:
            result = reader.execution_options(stream_results=True).execute(select(table))
            for rows in result.mappings().partitions(chunk):
                writer.execute(table.insert(), [dict(r) for r in rows])
