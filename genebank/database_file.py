"""Looking at a SQLite file before Genebank opens it for real: what it is, and whether it is
sound, without changing a byte of it.

Why a module of its own: Genebank's engine switches every file it connects to into WAL mode,
so merely connecting to another program's database, or to a damaged file, would change it.
Everything here reads through a separate read-only connection (``mode=ro``; ``immutable``
when no journal is beside the file, so that not even a ``-shm`` file appears) and is done
before the engine touches the file.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite's words for a damaged file (anything else, e.g. "locked", is not damage).
DAMAGE_WORDS = ("malformed", "not a database", "corrupt")
# How many of quick_check's lines a refusal quotes (a badly damaged file gives thousands).
SHOWN_PROBLEMS = 3
# The check on every open (see opening_problems): a file up to this size is checked whole
# (PRAGMA quick_check reads about 200 MB a second here), a larger one for this long.
FULL_CHECK_BYTES = 64 * 1024 * 1024
OPEN_CHECK_SECONDS = 0.5
# quick_check's cost per row of a table with its indexes, measured on the demo's tables
# (the 100,000 accessions: 0.18 s; 128,000 seed lots: 0.23 s).
CHECK_SECONDS_PER_ROW = 2e-6


class FileKind(enum.Enum):
    MISSING = "missing"
    FOLDER = "folder"
    EMPTY = "empty"            # zero bytes, or a SQLite file with no tables at all
    NOT_SQLITE = "not_sqlite"
    FOREIGN = "foreign"        # another program's tables
    GENEBANK = "genebank"      # has Genebank's alembic_version table
    DAMAGED = "damaged"        # SQLite header, but SQLite calls it malformed
    UNAVAILABLE = "unavailable"  # cannot be read now: locked, no permission, ...


@dataclass(frozen=True, slots=True)
class FileState:
    kind: FileKind
    revision: str | None = None
    problem: str = ""  # the driver's words when the file could not be read


def read_only_uri(path: Path) -> str:
    """A URI opening ``path`` read-only. With no journal beside it no one is writing, so it
    is opened ``immutable`` (no locks, no ``-shm``/``-wal`` created)."""
    uri = f"{file_uri(path)}?mode=ro"
    journals = (Path(f"{path}{suffix}") for suffix in ("-wal", "-journal"))
    if not any(journal.exists() for journal in journals):
        uri += "&immutable=1"
    return uri


def file_uri(path: Path) -> str:
    """SQLite's URI for ``path``: ``file:///C:/x``, ``file:///home/x``, and for a Windows
    UNC path ``file:////server/share/x`` (SQLite refuses a URI naming a host)."""
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix
    return "file://" + urllib.parse.quote(posix, safe="/:")


def inspect_file(path: Path, *, timeout: float = 5.0) -> FileState:
    """What the file at ``path`` is, read without changing it (waiting up to ``timeout``
    seconds for another program's write to end)."""
    if path.is_dir():
        return FileState(FileKind.FOLDER)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return FileState(FileKind.MISSING)
    if not header:
        return FileState(FileKind.EMPTY)
    if header != SQLITE_MAGIC:
        return FileState(FileKind.NOT_SQLITE)
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                return FileState(FileKind.FOREIGN if tables else FileKind.EMPTY)
            versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        damaged = any(word in str(error).lower() for word in DAMAGE_WORDS)
        return FileState(FileKind.DAMAGED if damaged else FileKind.UNAVAILABLE,
                         problem=str(error))
    return FileState(FileKind.GENEBANK, revision=versions[0][0] if versions else None)


class CheckNotRun(Exception):
    """The file could not be read for its integrity check now (another program holds it
    locked, no permission): neither damaged nor known to be sound. ``problem`` is SQLite's
    own words."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


# How long the integrity check waits for another program's write to end.
CHECK_TIMEOUT_SECONDS = 5.0


def integrity_problems(path: Path) -> list[str]:
    """SQLite's ``PRAGMA quick_check`` of ``path``, read-only: [] when the file is sound,
    else the first problems it names. Raises :class:`CheckNotRun` when the file cannot be
    read now (locked by another program's write): that is no damage, and calling it damage
    would send the person to an older backup for nothing."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True,
                                     timeout=CHECK_TIMEOUT_SECONDS)
    except sqlite3.DatabaseError as error:
        raise CheckNotRun(str(error)) from None
    try:
        return quick_check(connection)
    finally:
        connection.close()


def quick_check(connection: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check`` on ``connection``: [] when sound, else the first problems it
    names (an error in SQLite's words of damage is one). Raises :class:`CheckNotRun` for any
    other error (a lock): no damage."""
    try:
        rows = connection.execute("PRAGMA quick_check").fetchmany(SHOWN_PROBLEMS + 1)
    except sqlite3.DatabaseError as error:
        if any(word in str(error).lower() for word in DAMAGE_WORDS):
            return [str(error)]
        raise CheckNotRun(str(error)) from None
    lines = [str(row[0]) for row in rows]
    return [] if lines == ["ok"] else lines[:SHOWN_PROBLEMS]


def opening_problems(path: Path, *, budget: float | None = None) -> list[str]:
    """The integrity check run on every open of a SQLite file at the current schema, read
    only: [] when no damage was found, else the first problems SQLite names.

    Measured on a 100,000-accession demo file (318 MB) on a loaded 2-core machine, the full
    ``PRAGMA quick_check`` took 1.5 to 2.6 s (``quick_check(1)`` costs the same: it only
    stops at the first error): too slow for every open. So a file up to
    :data:`FULL_CHECK_BYTES` (about 0.3 s) gets the full check; a larger one gets the check
    of its schema (``sqlite_master``, whose damage makes every table unreadable) and then of
    its tables with their indexes, smallest first, as long as each is expected to fit in
    ``budget`` seconds (:data:`OPEN_CHECK_SECONDS`); the larger ones are read unchecked.
    The full check still runs before every upgrade.
    """
    budget = OPEN_CHECK_SECONDS if budget is None else budget
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            if page_size * pages <= FULL_CHECK_BYTES:
                return _quick_check(connection, None)
            return _quick_check(connection, "sqlite_master") or \
                _tables_within(connection, budget)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if any(word in str(error).lower() for word in DAMAGE_WORDS):
            return [str(error)]
        return []  # locked or unreadable now: not damage; opening the file will say why


def _tables_within(connection: sqlite3.Connection, budget: float) -> list[str]:
    """``quick_check`` of each table (and its indexes), smallest first, while the time it
    is expected to take (:data:`CHECK_SECONDS_PER_ROW` times its rows, told cheaply by its
    largest rowid) fits in what is left of ``budget``: an empty or small table is always
    checked, a large one only when there is time (SQLite cannot interrupt a check of one
    table midway, so it is not started)."""
    tables = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    started = time.monotonic()
    for rows, table in sorted((_rows_about(connection, name), name) for name in tables):
        if rows and rows * CHECK_SECONDS_PER_ROW > budget - (time.monotonic() - started):
            break  # the tables after it are larger still
        problems = _quick_check(connection, table)
        if problems:
            return problems
    return []


def _rows_about(connection: sqlite3.Connection, table: str) -> int:
    """About how many rows ``table`` has: its largest rowid (one b-tree descent)."""
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        return int(connection.execute(f"SELECT max(rowid) FROM {quoted}").fetchone()[0] or 0)
    except sqlite3.OperationalError:  # a table without rowids: take it as large
        return 2 ** 62


def _quick_check(connection: sqlite3.Connection, table: str | None) -> list[str]:
    quoted = "" if table is None else "(\"" + table.replace('"', '""') + "\")"
    rows = connection.execute(f"PRAGMA quick_check{quoted}").fetchmany(SHOWN_PROBLEMS + 1)
    lines = [str(row[0]) for row in rows]
    return [] if lines == ["ok"] else lines[:SHOWN_PROBLEMS]


def writable(path: Path) -> bool:
    """Whether Genebank may write ``path`` and create its journal files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
