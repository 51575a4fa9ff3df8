"""Opening a SQLite file: look first without changing a byte, refuse what may not be opened,
check it, and create or upgrade it (backed up first) under the create/upgrade lock.

Why a module of its own: a file is looked at through :mod:`genebank.database_file`'s
read-only connection before Genebank's engine (which switches it to WAL) touches it; what
that look finds decides between opening, refusing, creating and upgrading. The server's
counterpart is :mod:`genebank.server_opening`; both are reached through
:func:`genebank.db.open_database`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from genebank import database_file, db, problems, schema_lock
from genebank.database_file import FileKind, FileState
from genebank.db import (
    SCHEMA_REVISION,
    Database,
    DatabaseDamaged,
    DatabaseError,
    DatabaseMissing,
    DatabaseTooNew,
    DatabaseUnavailable,
    NeedsUpgrade,
    NotAGenebankDatabase,
    OpenWarning,
    backup_before_upgrade,
    create_engine_for,
    current_user,
    known_revisions,
    refuse_duplicate_accessions,
    sqlite_url,
    translate_errors,
)
from genebank.driver_errors import classify

problems.register({
    "sqlite_needs_upgrade": "'{path}' was made by an older version of Genebank (schema "
                            "{revision}; this version needs {newest}) and was not changed. "
                            "Upgrade it with 'genebank upgrade' (it backs the file up "
                            "first), then run this command again",
    "folder_missing": "cannot create '{path}': the folder '{folder}' does not exist; nothing "
                      "was created. Check the name, or make the folder first",
    "cannot_prepare_file": "cannot prepare '{path}': {reason}",
    "database_damaged_integrity": "'{path}' is damaged (SQLite's integrity check: {detail}); "
                                  "it was not changed. Open your latest backup instead (keep "
                                  "this file: a specialist may save more of it with the "
                                  "sqlite3 tool's '.recover' command, which copies whatever is "
                                  "still readable into a new database)",
    # Found by the whole check before an import or the demo writes many rows (the file is
    # open: the import is what was refused).
    "database_damaged_before_write": "'{path}' is damaged (SQLite's integrity check: "
                                     "{detail}), so nothing was written into it. Open your "
                                     "latest backup instead (keep this file: a specialist may "
                                     "save more of it with the sqlite3 tool's '.recover' "
                                     "command, which copies whatever is still readable into a "
                                     "new database)",
    "is_folder": "'{path}' is a folder, not a database file",
    "not_a_sqlite_file": "'{path}' is not a Genebank database (not a SQLite file)",
    "foreign_file": "'{path}' holds other tables, not a Genebank database; choose another "
                    "file, or create a new database with File > New database (genebank init)",
    "database_damaged": "'{path}' is damaged ({problem}); it was not changed. Open your latest "
                        "backup instead",
    "file_too_new": "'{path}' was made by a newer version of Genebank (schema {revision}); "
                    "update Genebank to open it",
    "database_missing": "'{path}' does not exist; nothing was created. Check the name, or "
                        "create a new database there with File > New database (genebank init)",
    "empty_file": "'{path}' is empty, not a Genebank database; it was not changed. Open "
                  "another file, or make it a new database with File > New database "
                  "(genebank init)",
    "cannot_create_folder": "cannot create the folder '{path}': {reason}",
    "folder_read_only": "cannot create '{path}': the folder is read-only",
    "file_read_only": "'{path}' is read-only; Genebank needs to write to it and to its folder. "
                      "Copy it to a folder of your own, or ask for write permission",
})


def open_sqlite(url: str, path: Path, *, user: str | None, create: bool,
                backup_dir: Path | None, upgrade: bool = True) -> Database:
    """:func:`genebank.db.open_database` for the SQLite file ``path`` (see there)."""
    state = database_file.inspect_file(path)
    refuse_file(path, state, create=create)
    if not upgrade and state.kind is database_file.FileKind.GENEBANK and \
            state.revision != SCHEMA_REVISION:
        raise NeedsUpgrade(code="sqlite_needs_upgrade", params={
            "path": str(path), "revision": state.revision, "newest": SCHEMA_REVISION,
            "is_owner": True})
    warnings = sqlite_warnings(path)
    backup_path = None
    if state.kind is database_file.FileKind.GENEBANK and state.revision == SCHEMA_REVISION:
        problems_found = database_file.opening_problems(path)
        if problems_found:
            raise _damaged(path, problems_found)
    else:
        try:
            with schema_lock.sqlite_lock(path):
                backup_path = _create_or_upgrade_sqlite(url, path, create=create,
                                                        backup_dir=backup_dir)
        except schema_lock.SchemaLockTimeout as timeout:
            raise DatabaseUnavailable(code="schema_lock_timeout",
                                      params=timeout.params) from None
        except OSError as error:  # the lock file beside the database
            raise DatabaseUnavailable(code="cannot_prepare_file", params={
                "path": str(path), "reason": error.strerror or str(error)}) from None
    engine = create_engine_for(url)
    factory = sessionmaker(engine, info={"user": user or current_user()})
    return Database(url=url, engine=engine, session_factory=factory, backup_path=backup_path,
                    warnings=warnings)


def _create_or_upgrade_sqlite(url: str, path: Path, *, create: bool,
                              backup_dir: Path | None) -> Path | None:
    """Under the lock: look again (another workstation may have done it meanwhile), then
    create or check, back up and upgrade. Returns the backup taken, if any."""
    state = database_file.inspect_file(path)
    refuse_file(path, state, create=create)
    if state.kind is database_file.FileKind.GENEBANK and state.revision == SCHEMA_REVISION:
        return None
    if state.kind is database_file.FileKind.GENEBANK:
        problems_found = integrity_problems(path)
        if problems_found:
            raise _damaged(path, problems_found)
    engine = create_engine_for(url)
    backup_path = None
    try:
        with translate_errors(url):
            if state.kind is database_file.FileKind.GENEBANK:
                if state.revision is not None:  # there are accessions to compare
                    refuse_duplicate_accessions(engine)  # before any backup or change
                backup_path = backup_before_upgrade(engine, path, backup_dir=backup_dir)
            db.upgrade(engine)
    finally:
        engine.dispose()
    return backup_path


def integrity_problems(path: Path) -> list[str]:
    """:func:`database_file.integrity_problems`; a file that cannot be read for it now
    (another program's write holds it) is refused as in use, as :func:`refuse_file` refuses
    it when first looked at, never called damaged."""
    try:
        return database_file.integrity_problems(path)
    except database_file.CheckNotRun as unread:
        refuse_file(path, FileState(FileKind.UNAVAILABLE, problem=unread.problem),
                    create=False)
        raise AssertionError("refuse_file refuses an unavailable file") from None
def refuse_damage_before_bulk_write(database: Database) -> None:
    """Before an import or the demo writes many rows into a SQLite file: the full
    ``PRAGMA quick_check``, once per opened database (cached on ``database``; a reopened file
    is a new :class:`Database` and is checked again). Opening checks a large file only within
    :data:`database_file.OPEN_CHECK_SECONDS`, so a damaged table it skipped would otherwise
    be written into. A damaged file is refused as on opening; a server is not checked.

    It reads the whole file (0.2-0.4 s for 100,050 accessions, 71 MB; 1.5-2.6 s for
    318 MB), so callers run it off the GUI thread, inside the import's own background
    work."""
    if database.checked_whole or not database.is_sqlite:
        return
    name = database.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    problems_found = integrity_problems(path)
    if problems_found:
        raise _damaged(path, problems_found, code="database_damaged_before_write")
    database.checked_whole = True


def _damaged(path: Path, problems_found: list[str], *,
             code: str = "database_damaged_integrity") -> DatabaseDamaged:
    """The refusal of a file SQLite's integrity check found damaged, with advice."""
    return DatabaseDamaged(code=code, params={
        "path": str(path), "problems": problems_found, "detail": "; ".join(problems_found)})


def refuse_file(path: Path, state: FileState, *, create: bool) -> None:
    """Raise the refusal for a file that may not be opened (or created) as asked."""
    kind, where = state.kind, {"path": str(path)}
    if kind is FileKind.FOLDER:
        raise DatabaseError(code="is_folder", params=where)
    if kind is FileKind.NOT_SQLITE:
        raise NotAGenebankDatabase(code="not_a_sqlite_file", params=where)
    if kind is FileKind.FOREIGN:
        raise NotAGenebankDatabase(code="foreign_file", params=where)
    if kind is FileKind.DAMAGED:
        raise DatabaseDamaged(code="database_damaged", params={
            **where, "problem": state.problem, "problems": [state.problem]})
    if kind is FileKind.UNAVAILABLE:
        problem = classify(sqlite3.OperationalError(state.problem), url=sqlite_url(path))
        raise DatabaseUnavailable(code="database_unavailable", params={
            **where, **problem.params, "fault": problem.code, **problems.cause(problem)})
    if kind is FileKind.GENEBANK and state.revision not in (None, SCHEMA_REVISION) and \
            state.revision not in known_revisions():
        raise DatabaseTooNew(code="file_too_new", params={**where, "revision": state.revision})
    if kind is FileKind.MISSING and not create:
        raise DatabaseMissing(code="database_missing", params=where)
    if kind is FileKind.EMPTY and not create:
        raise NotAGenebankDatabase(code="empty_file", params=where)
    if kind is FileKind.MISSING:
        _refuse_missing_folder(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(code="cannot_create_folder", params={
                "path": str(path.parent), "reason": error.strerror}) from None
        if not os.access(path.parent, os.W_OK):
            raise DatabaseUnavailable(code="folder_read_only", params=where)
        return
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseUnavailable(code="file_read_only", params=where)


def _refuse_missing_folder(path: Path) -> None:
    """A new database goes into a folder that exists: a mistyped folder name must not
    create folders. Only Genebank's own data folder (the user's database, the demo) is made
    when missing, as on the first start."""
    folder = path.parent
    if folder.is_dir():
        return
    if folder.expanduser().resolve() == db.default_database_path().parent.expanduser().resolve():
        return
    raise DatabaseMissing(code="folder_missing", params={"path": str(path),
                                                         "folder": str(folder)})


def sqlite_warnings(path: Path) -> tuple[OpenWarning, ...]:
    """What to tell the user about the SQLite file ``path`` that opens: a network share."""
    from genebank.network_share import network_filesystem

    share = network_filesystem(path)
    if share is None:
        return ()
    return (OpenWarning(
        "network_share", {"path": str(path), "share": share},
        f"'{path}' is on a network share ({share}). SQLite files on a network share can be "
        "damaged when two workstations write at once: keep the file on this computer's own disk; "
        "several workstations share a PostgreSQL server, not a file"),)
