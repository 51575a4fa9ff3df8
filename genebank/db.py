"""A Genebank database: the engine and its SQLite pragmas, the errors of opening one, the
migrations, and :func:`open_database`, the one way in.

A database is either a SQLite file (one laptop, offline) or a PostgreSQL server (several
workstations). :func:`open_database` refuses anything that is not a Genebank database or is
newer than this program, backs up a SQLite file before upgrading it, and turns driver errors
into :class:`DatabaseError` messages a technician can act on. How a file is looked at,
checked, created or upgraded is :mod:`genebank.sqlite_opening`; how a server database is,
with its owner and lock, :mod:`genebank.server_opening`.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from genebank import connection_urls, network_timeouts, problems
from genebank.problems import Coded, register

if TYPE_CHECKING:
    from alembic.config import Config

APP_NAME = "Genebank"
# The newest migration. Opening a database at this revision needs no Alembic import, which
# saves ~0.4 s of every start; a test checks it against the migrations' head.
SCHEMA_REVISION = "0020"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Coded):
    """A database that cannot be opened or used; ``str(error)`` is a message for the user,
    ``code`` and ``params`` say the same for the GUI to word."""

    code = "database_error"


class NotAGenebankDatabase(DatabaseError):
    code = "not_genebank"


class DatabaseTooNew(DatabaseError):
    code = "database_too_new"


class DatabaseUnavailable(DatabaseError):
    code = "database_unavailable"


class DatabaseMissing(DatabaseError):
    """Opening (not creating) a file that is not there; nothing was created."""

    code = "database_missing"


class DatabaseDamaged(DatabaseError):
    """SQLite's integrity check found damage; the file was not changed."""

    code = "database_damaged"


class NeedsUpgrade(DatabaseError):
    """A server database at an older schema: only its owner upgrades it, once they confirm a
    backup exists. ``params["is_owner"]`` says whether the user asking may."""

    code = "needs_upgrade"


# Refusals to open a database, one code for each meaning. A file is named by its ``path``,
# a server's database by ``database`` (shown without its password).
register({
    "not_a_database_address": "'{url}' is not a database address or file name",
    "unsupported_database": "'{database}' is a {kind} address: Genebank works with SQLite "
                            "files and PostgreSQL servers only (e.g. a file name, or "
                            "postgresql+psycopg://user@host:5432/genebank)",
    "driver_not_installed": "the database driver '{driver}' is not installed; install "
                            "Genebank with the 'postgres' extra",
    # the driver's problem (its own code in ``fault``, and ``cause``), met while opening
    "database_unavailable": "{cause:problem}",
})


@dataclass(frozen=True, slots=True)
class OpenWarning:
    """Something the user should know about a database that did open: ``code``, ``params``
    and the English ``message``."""

    code: str
    params: dict[str, object]
    message: str


class TransactionLost(DatabaseError):
    """SQLite abandoned the transaction after an error (a full disk, an I/O error), so a
    further statement would have been saved on its own: it was not run, and nothing of the
    transaction is kept."""

    code = "transaction_lost"

    def __init__(self, *, table: object = None) -> None:
        super().__init__(params={"table": str(getattr(table, "name", table or ""))})


register({"transaction_lost": "the database stopped this change after an earlier error (a "
                              "full disk, a damaged file or a lost connection); nothing of "
                              "it was saved. Free disk space or check the database, then do "
                              "it again"})


@dataclass
class Database:
    """An open database: the engine, a session factory stamping ``user`` on changes."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None = None
    warnings: tuple[OpenWarning, ...] = ()
    # The whole file passed ``PRAGMA quick_check`` before a bulk write this session (opening
    # checks a large file only in part): sqlite_opening.refuse_damage_before_bulk_write.
    checked_whole: bool = field(default=False, compare=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def connected_url(self) -> str:
        """The address the engine connects with now (never shown as it is: see
        :mod:`genebank.connection_urls`). After a sign-in on a server
        (:func:`genebank.server_roles.sign_in_on_server`) it names the person's login role,
        where ``url`` still names the user the workstation opened the database as."""
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def display_name(self) -> str:
        """The file path, or the server and database name, without any password (nor a
        mask saying there is one)."""
        return connection_urls.shown(self.engine.url.render_as_string(hide_password=False))

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
    # A libpq service (``?service=``) names host, port and database in the service file.
    return ((a.host or "localhost").casefold(), a.port or default_port, a.database,
            a.query.get("service")) == \
        ((b.host or "localhost").casefold(), b.port or default_port, b.database,
         b.query.get("service"))


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
        raise DatabaseError(code="not_a_database_address", params={"url": url}) from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_only_in_transaction)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(code="unsupported_database", params={
            "database": shown(url), "kind": parsed.get_backend_name()})
    try:
        return create_engine(parsed, pool_pre_ping=True,  # a dropped network: see there
                             connect_args=network_timeouts.connect_args(parsed))
    except ModuleNotFoundError as missing:
        raise DatabaseError(code="driver_not_installed",
                            params={"driver": missing.name}) from None


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


def open_database(url: str, *, user: str | None = None, create: bool = True,
                  upgrade_confirmed: bool = False, backup_dir: Path | None = None,
                  upgrade: bool = True) -> Database:
    """Open the Genebank database at ``url``, creating or upgrading it when allowed.

    ``create``: a missing or empty SQLite file (an empty server database) becomes a new
    Genebank database; without it such a database is refused and nothing is created. The
    command line and the window pass ``create=False`` except where the user asked for a new
    database (``genebank init``, File > New, the first start, the demo's own file).

    A SQLite file is looked at read-only first: another program's file, a file from a newer
    Genebank and a damaged file are refused without a byte changed. An older SQLite file is
    checked (``PRAGMA quick_check``), backed up, then upgraded. An older server database is
    upgraded only when ``upgrade_confirmed`` (its owner says a backup exists) and only by the
    role owning it; otherwise :class:`NeedsUpgrade`. Creating and upgrading are serialised:
    a second workstation waits, then opens the result.

    ``upgrade=False`` (the read-only commands: stats, exports, backup, dry runs): an older
    SQLite file is refused with :class:`NeedsUpgrade` ``sqlite_needs_upgrade`` before
    anything touches it, so that reading never changes a byte of the user's file.
    """
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        from genebank.sqlite_opening import open_sqlite

        return open_sqlite(url, path.expanduser(), user=user, create=create,
                           backup_dir=backup_dir, upgrade=upgrade)
    from genebank.server_opening import open_server

    return open_server(url, user=user, create=create, upgrade_confirmed=upgrade_confirmed)


def shown(url: str) -> str:
    return connection_urls.shown(url)


def describe_where(url: str) -> str:
    """The file, or the server's database, that ``url`` names, for a message."""
    return where(url)


def refuse_duplicate_accessions(bind: Engine | Connection) -> None:
    """Stop, writing their list, when stored accessions would collide under the identity
    key that 0008 makes unique (the migration checks again; this spares a useless backup)."""
    from genebank.passport.identity_collisions import has_identity_key, refuse_if_duplicates

    with contextlib.ExitStack() as stack:
        connection = bind if isinstance(bind, Connection) else stack.enter_context(
            bind.connect())
        if not has_identity_key(connection):
            refuse_if_duplicates(connection)


def where(url: str) -> str:
    path = sqlite_path(url)
    return f"'{path}'" if path else f"the database {shown(url)}"


@contextlib.contextmanager
def translate_errors(url: str) -> Iterator[None]:
    try:
        yield
    except DatabaseError:
        raise
    except (OperationalError, DBAPIError) as error:
        from genebank.driver_errors import classify

        problem = classify(error, url=url)
        raise DatabaseUnavailable(code="database_unavailable", params={
            **problem.params, "fault": problem.code, **problems.cause(problem)}) from error


def describe_driver_error(url: str, error: Exception, *, operation: str | None = None,
                          person: str | None = None) -> str:
    """A one-line, plain message for a driver error on ``url``; ``operation`` (what the
    user was doing, e.g. "Saving KZ-0001") leads it when given; ``person`` the Genebank
    name signed in. The English of :func:`genebank.driver_errors.classify`, whose code
    and params the GUI words."""
    from genebank.driver_errors import classify

    return str(classify(error, url=url, operation=operation, person=person))


def describe_engine_error(engine: Engine, error: Exception, *,
                          operation: str | None = None) -> str:
    """:func:`describe_driver_error` for an error raised while using ``engine``."""
    return describe_driver_error(engine.url.render_as_string(hide_password=True), error,
                                 operation=operation)


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        upgrade_on(connection, revision)


def upgrade_on(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def backup_before_upgrade(engine: Engine, path: Path, *, backup_dir: Path | None) -> Path:
    """A checked backup of ``path`` before an upgrade (see :mod:`genebank.backup`); raises
    :class:`genebank.backup.BackupFailed`, leaving nothing, when it cannot be made."""
    from genebank import backup

    return backup.backup_before_upgrade(engine, path, backup_dir=backup_dir)
