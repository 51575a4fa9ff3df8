"""Accessions stored twice under one identity, found before migration 0008 and resolved.

Before schema 0008, ``KZ-0001`` and ``kz-0001`` (or full-width ``ＫＺ-0001``) could be two
accessions of one institute: PostgreSQL compared numbers with case, and nothing compared
Unicode forms. 0008 makes :func:`genebank.mcpd.identity.accession_key` unique, so it first
looks for such groups. If there are any it changes nothing, writes them to a CSV file (next
to the SQLite file when its folder is writable, else in the user's own data folder) and stops with
:class:`DuplicateAccessions`, which names the file and the way out:

- ``genebank resolve-duplicates --rename``: in each group the oldest accession (first
  created, then lowest id) keeps its number; each other one is renumbered ``<number>-2``,
  ``-3``... (the first suffix whose key is free) and keeps its old number as an OTHERNUMB
  entry ``INSTCODE:old number``, so searches and labels still find it.
- ``genebank resolve-duplicates --merge``: a newer accession of a group is removed only
  when it is a copy of the oldest one (every passport descriptor equal but the spelling of
  ACCENUMB) and no record depends on it (no seed lot, test, regeneration, safety
  duplicate...). Groups that are not such copies are left as they are and listed, for
  ``--rename`` or a person: a merge never chooses between two different records.

Both work on the database at its old revision (before 0008), in one transaction, after a
backup of a SQLite file; then opening the database upgrades it.

The functions here use plain SQL on the columns every revision since 0001 has, never the
models' tables, which describe the newest schema.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, text

from genebank import connection_urls
from genebank.backup import backup_sqlite
from genebank.db import DatabaseError
from genebank.io.files import FileNotWritten, write_whole
from genebank.mcpd.identity import accession_key
from genebank.problems import Coded, because, register

IDENTITY_REVISION = "0008"  # the migration that makes the key unique
CSV_COLUMNS = ("key", "ids", "id", "INSTCODE", "ACCENUMB", "ACCENAME", "created",
               "created_by")
CHUNK = 900


@dataclass(frozen=True, slots=True)
class Stored:
    """One accession of a group, as stored."""

    id: int
    instcode: str
    accenumb: str
    created_at: dt.datetime | None
    created_by: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    """Accessions that share one identity key, oldest first."""

    key: str
    accessions: tuple[Stored, ...]


# The refusal of an upgrade that would make accessions one: a file's or a server's, with the
# list of the groups written or not (each a whole sentence, for the translations).
_DUPLICATES = ("{subject} holds {{groups:,}} group(s) of accessions that are one accession "
               "written differently (e.g. {{example}}); this version of Genebank keeps one "
               "identity per accession, so the upgrade stopped and nothing was changed. "
               "{about}Run 'genebank --database {{database}} resolve-duplicates --rename' "
               "(renumbers all but the oldest of each group, keeping the old number in "
               "OTHERNUMB) or '--merge' (removes exact copies), then open the database again")
DUPLICATES_CODES = {
    (place, listed): f"duplicate_accessions_{place}_{'listed' if listed else 'unlisted'}"
    for place in ("file", "server") for listed in (True, False)}
register({DUPLICATES_CODES[place, listed]: _DUPLICATES.format(
    subject="'{path}'" if place == "file" else "the database {shown}",
    about="The list is in '{listing}'. " if listed else
    "Their list could not be written ({reason}); the command below finds them "
    "again. ") for place, listed in DUPLICATES_CODES})
register({
    "listing_folder_not_made": "cannot write '{path}': {why}",
    "not_genebank_file": "'{path}' is not a Genebank database; nothing was changed",
    "not_genebank_server": "the database {database} is not a Genebank database; nothing was "
                           "changed",
    "damaged_with_duplicates": "'{path}' is damaged (SQLite's integrity check: {detail}); it "
                               "was not changed. Open your latest backup instead, and resolve "
                               "the duplicates there",
})


class DuplicateAccessions(DatabaseError):
    """The database holds accessions that 0008 would make one; nothing was changed. Its code
    (:data:`DUPLICATES_CODES`) says whether it is a file's or a server's, and whether the
    list of the groups was written. When it was not, ``reason`` says why in English and
    ``cause`` (when the writer's problem is coded) as code + params, for the GUI."""

    def __init__(self, *, groups: Sequence[Group], listing: Path | None,
                 database_argument: str, listing_problem: BaseException | None = None,
                 path: str | None = None, shown: str | None = None) -> None:
        self.groups = tuple(groups)  # for a dialog that lists them and offers the way out
        first = groups[0].accessions
        example = " and ".join(f"{a.instcode} {a.accenumb}" for a in first[:3])
        params = {"groups": len(groups), "example": example,
                  "listing": str(listing) if listing is not None else None,
                  "database": database_argument, "path": path, "shown": shown}
        if listing is None:  # the writer's refusal, its last words left to the sentence
            params |= because(listing_problem)
            params["reason"] = str(params["reason"]).removesuffix(". Nothing was written")
        code = DUPLICATES_CODES["file" if path is not None else "server", listing is not None]
        super().__init__(code=code, params=params)


def find_groups(connection: Connection) -> list[Group]:
    """Every group of two or more accessions sharing an identity key, in key order.

    Two passes over the table in pages of ids, so that a million accessions never sit in
    memory: the first keeps only a hash of each key, the second reads again the accessions
    whose hash was seen twice and groups them by their real key.
    """
    seen: set[int] = set()
    twice: set[int] = set()
    for rows in paged_accessions(connection):
        for _id, instcode, accenumb, *_ in rows:
            digest = hash(accession_key(instcode, accenumb))
            (twice if digest in seen else seen).add(digest)
    if not twice:
        return []
    by_key: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for rows in paged_accessions(connection):
        for row in rows:
            key = accession_key(row[1], row[2])
            if hash(key) in twice:
                by_key[key].append(tuple(row))
    shared = {key: rows for key, rows in by_key.items() if len(rows) > 1}
    ids = [int(row[0]) for rows in shared.values() for row in rows]  # type: ignore[call-overload]
    names = _names(connection, ids)
    groups = []
    for key in sorted(shared):
        stored = [Stored(int(r[0]), str(r[1]), str(r[2]), _as_datetime(r[3]), str(r[4] or ""),  # type: ignore[call-overload]
                         tuple(names.get(int(r[0]), ()))) for r in shared[key]]  # type: ignore[call-overload]
        stored.sort(key=lambda a: (a.created_at or dt.datetime.max, a.id))
        groups.append(Group(key, tuple(stored)))
    return groups


def paged_accessions(connection: Connection, *, page: int = 5000) -> Iterator[list[Row[Any]]]:
    """(id, instcode, accenumb, created_at, created_by) of every accession, a page of ids
    at a time: no cursor stays open while the caller writes on the same connection."""
    last = None
    while True:
        rows = connection.execute(text(
            "SELECT id, instcode, accenumb, created_at, created_by FROM accession "
            + ("" if last is None else "WHERE id > :last ") + "ORDER BY id LIMIT :page"),
            {"last": last, "page": page}).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:  # SQLite through plain SQL: the text SQLAlchemy stored
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _names(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        marks = ", ".join(f":i{n}" for n in range(len(part)))
        rows = connection.execute(text(
            f"SELECT accession_id, name FROM accession_name WHERE accession_id IN ({marks}) "
            "ORDER BY accession_id, position"), {f"i{n}": i for n, i in enumerate(part)})
        for accession_id, name in rows:
            found[accession_id].append(name)
    return found


def listing_paths(connection: Connection) -> list[Path]:
    """Where the list of collisions may go, best first: beside a SQLite file when its
    folder is writable, then the user's own data folder, then the home folder. Never the
    working folder, which for a program started from the Start menu is often read-only
    (Program Files)."""
    import platformdirs

    url = connection.engine.url
    name = f"{url.database or 'genebank'}.duplicate-accessions.csv"
    candidates = []
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database)  # type: ignore[arg-type]
        name = f"{path.stem}.duplicate-accessions.csv"
        if os.access(path.parent, os.W_OK):
            candidates.append(path.with_name(name))
    else:
        name = _file_part(name)
    candidates.append(Path(platformdirs.user_data_dir("Genebank", appauthor=False)) / name)
    candidates.append(Path.home() / name)
    return candidates


def listing_path(connection: Connection) -> Path:
    """The first place :func:`listing_paths` offers."""
    return listing_paths(connection)[0]


def _file_part(name: str) -> str:
    """A server database's name made safe as a file name."""
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)


def write_listing(groups: Sequence[Group], path: Path) -> Path:
    """The groups as CSV (UTF-8 with BOM, so that Excel reads accents): one line per
    accession, its group's key and ids on each line."""
    def write(partial: Path) -> None:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(CSV_COLUMNS)
            for group in groups:
                ids = " ".join(str(a.id) for a in group.accessions)
                for a in group.accessions:
                    out.writerow([group.key.replace("\t", " "), ids, a.id, a.instcode,
                                  a.accenumb, ";".join(a.names),
                                  f"{a.created_at:%Y-%m-%d %H:%M:%S}" if a.created_at else "",
                                  a.created_by])
    write_whole(path, write)
    return path


def refuse_if_duplicates(connection: Connection) -> None:
    """Raise :class:`DuplicateAccessions` when groups exist, after writing their list to
    the first place that takes it; when none does, the error says why instead (the refusal
    itself must never be lost to a read-only folder)."""
    groups = find_groups(connection)
    if not groups:
        return
    listing, problem = None, None  # the list written, or why it could not be
    for candidate in listing_paths(connection):
        try:
            candidate.parent.mkdir(parents=True, exist_ok=True)
            listing = write_listing(groups, candidate)
            break
        except FileNotWritten as error:  # it names the file and why
            problem = error
        except OSError as error:  # its folder could not be made
            problem = Coded(code="listing_folder_not_made", params={
                "path": str(candidate), "why": error.strerror or str(error)})
    url = connection.engine.url
    path = shown_as = None
    if url.get_backend_name() == "sqlite":
        argument, path = f'"{url.database}"', url.database
    else:
        shown_as = connection_urls.shown(url.render_as_string(hide_password=False))
        argument = shown_as
    raise DuplicateAccessions(groups=groups, listing=listing,
                              database_argument=argument, path=path, shown=shown_as,
                              listing_problem=None if listing is not None else problem)


# The way out ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolution:
    """What ``resolve-duplicates`` did: renamed (id, old, new), removed (id, number, kept
    id), and groups left because their accessions differ or have dependents."""

    renamed: tuple[tuple[int, str, str], ...] = ()
    removed: tuple[tuple[int, str, int], ...] = ()
    left: tuple[Group, ...] = ()


def rename_duplicates(connection: Connection, *, user: str) -> Resolution:
    """Renumber all but the oldest accession of each group (see the module's docstring)."""
    groups = find_groups(connection)
    taken = {accession_key(i, n) for i, n in connection.execute(text(
        "SELECT instcode, accenumb FROM accession"))}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    renamed = []
    for group in groups:
        for accession in group.accessions[1:]:
            suffix = 2
            while accession_key(accession.instcode, f"{accession.accenumb}-{suffix}") in taken:
                suffix += 1
            new = f"{accession.accenumb}-{suffix}"
            taken.add(accession_key(accession.instcode, new))
            position = connection.execute(text(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM accession_other_number "
                "WHERE accession_id = :id"), {"id": accession.id}).scalar_one()
            connection.execute(text(
                "INSERT INTO accession_other_number (accession_id, position, instcode, "
                "number, created_at, created_by, updated_at, updated_by, version) VALUES "
                "(:id, :position, :instcode, :number, :now, :user, :now, :user, 1)"),
                {"id": accession.id, "position": position, "instcode": accession.instcode,
                 "number": accession.accenumb, "now": now, "user": user})
            connection.execute(text(
                "UPDATE accession SET accenumb = :new, updated_at = :now, updated_by = :user, "
                "version = version + 1 WHERE id = :id"),
                {"new": new, "now": now, "user": user, "id": accession.id})
            renamed.append((accession.id, accession.accenumb, new))
    return Resolution(renamed=tuple(renamed))


def merge_duplicates(connection: Connection) -> Resolution:
    """Remove the newer accessions of each group that are copies of its oldest one and
    have no dependent records; leave every other group (see the module's docstring)."""
    from sqlalchemy.orm import Session

    from genebank.passport.accessions import _dependents
    from genebank.passport.passport_existing import load_stored

    groups = find_groups(connection)
    removed, left = [], []
    with Session(bind=connection) as session:
        ids = [a.id for g in groups for a in g.accessions]
        stored = load_stored(session, ids, mcpd_only=True)  # at 0007: MCPD's columns
        for group in groups:
            oldest, *newer = group.accessions
            kept = _comparable(stored[oldest.id][1])
            copies = [a for a in newer if _comparable(stored[a.id][1]) == kept
                      and not _dependents(session, a.id, withdrawals=False)]
            if len(copies) != len(newer):
                left.append(group)
                continue
            for accession in copies:
                connection.execute(text("DELETE FROM accession WHERE id = :id"),
                                   {"id": accession.id})
                removed.append((accession.id, accession.accenumb, oldest.id))
    return Resolution(removed=tuple(removed), left=tuple(left))


def _comparable(values: dict[str, object]) -> dict[str, object]:
    return {code: value for code, value in values.items() if code != "ACCENUMB"}


@dataclass(frozen=True, slots=True)
class Resolved:
    """``resolve-duplicates`` on one database: what was done, and the backup made first."""

    resolution: Resolution
    groups: int  # groups found before
    backup: Path | None = None


def resolve_database(url: str, *, rename: bool, user: str,
                     upgrade_confirmed: bool = False) -> Resolved:
    """Rename (``rename``) or merge the groups of the database at ``url``, which is at a
    revision before 0008 (at 0008 or later the unique key has made groups impossible).

    It takes the careful path of opening: a SQLite file is classified read-only first
    (another program's file, a damaged, missing or newer one is refused without a byte
    changed), the create/upgrade lock is held, ``quick_check`` runs, and the file is backed
    up before anything changes. On a server only a role that may upgrade it resolves, once
    ``upgrade_confirmed`` (else :class:`genebank.db.NeedsUpgrade`), and an older database is
    first brought to 0007 (the last revision before the key) as opening it would. The
    resolution happens in one transaction.
    """
    from genebank import db

    url = db.normalise_url(url)
    path = db.sqlite_path(url)
    if path is not None:
        return _resolve_file(url, path.expanduser(), rename=rename, user=user)
    return _resolve_server(url, rename=rename, user=user, upgrade_confirmed=upgrade_confirmed)


def _resolve_file(url: str, path: Path, *, rename: bool, user: str) -> Resolved:
    from genebank import database_file, db, schema_lock, sqlite_opening

    def refuse_or_revision() -> str:
        state = database_file.inspect_file(path)
        sqlite_opening.refuse_file(path, state, create=False)
        if state.revision is None:
            raise db.NotAGenebankDatabase(code="not_genebank_file", params={"path": str(path)})
        return state.revision

    if refuse_or_revision() >= IDENTITY_REVISION or not _file_groups(path):
        return Resolved(Resolution(), 0)  # looked at read-only: nothing changed
    try:
        with schema_lock.sqlite_lock(path):
            revision = refuse_or_revision()  # another workstation may have changed it
            if revision >= IDENTITY_REVISION:
                return Resolved(Resolution(), 0)
            problems = sqlite_opening.integrity_problems(path)
            if problems:
                raise db.DatabaseDamaged(code="damaged_with_duplicates", params={
                    "path": str(path), "problems": problems, "detail": "; ".join(problems)})
            engine = db.create_engine_for(url)
            try:
                with engine.connect() as connection:
                    groups = len(find_groups(connection))
                if not groups:
                    return Resolved(Resolution(), 0)
                # named apart from the backup that the upgrade makes next
                backup = _free_name(path, "before-resolve-duplicates")
                backup_sqlite(engine, backup)
                if revision != PREVIOUS_REVISION:
                    db.upgrade(engine, PREVIOUS_REVISION)
                with engine.execution_options(genebank_write=True).begin() as connection:
                    resolution = _resolve_on(connection, rename=rename, user=user)
                return Resolved(resolution, groups, backup)
            finally:
                engine.dispose()
    except schema_lock.SchemaLockTimeout as timeout:
        raise db.DatabaseUnavailable(code="schema_lock_timeout",
                                     params=timeout.params) from None


def _file_groups(path: Path) -> int:
    """How many groups the SQLite file holds, read without changing it (no WAL switch)."""
    import sqlite3

    from sqlalchemy import create_engine

    from genebank import database_file

    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
        database_file.read_only_uri(path), uri=True))
    try:
        with engine.connect() as connection:
            return len(find_groups(connection))
    finally:
        engine.dispose()


def _resolve_server(url: str, *, rename: bool, user: str,
                    upgrade_confirmed: bool) -> Resolved:
    from genebank import db, schema_lock
    from genebank.server_opening import (
        act_as_owner,
        check_may_upgrade,
        refuse_server,
        server_state,
    )

    engine = db.create_engine_for(url)
    try:
        with db.translate_errors(url):
            state = server_state(engine)
            refuse_server(url, state, create=False)
            if not state.versioned or state.revision is None:
                raise db.NotAGenebankDatabase(code="not_genebank_server",
                                              params={"database": connection_urls.shown(url)})
            if state.revision >= IDENTITY_REVISION:
                return Resolved(Resolution(), 0)
            with engine.connect() as connection:
                if not find_groups(connection):
                    return Resolved(Resolution(), 0)
            with engine.begin() as connection:  # the upgrade and the resolution: one
                schema_lock.lock_server_schema(connection)
                state = server_state(connection)
                refuse_server(url, state, create=False)
                if state.revision is None or state.revision >= IDENTITY_REVISION:
                    return Resolved(Resolution(), 0)
                groups = len(find_groups(connection))
                if not groups:
                    return Resolved(Resolution(), 0)
                # Resolving is the first step of the upgrade to the identity key: only a
                # role that may upgrade takes it, once it confirmed a backup exists, at
                # 0007 too (renumbering or removing accessions in bulk is no clerk's edit).
                check_may_upgrade(url, state, confirmed=upgrade_confirmed)
                act_as_owner(connection, state)
                if state.revision != PREVIOUS_REVISION:
                    db.upgrade_on(connection, PREVIOUS_REVISION)
                return Resolved(_resolve_on(connection, rename=rename, user=user), groups)
    finally:
        engine.dispose()


def _resolve_on(connection: Connection, *, rename: bool, user: str) -> Resolution:
    return rename_duplicates(connection, user=user) if rename else merge_duplicates(connection)


PREVIOUS_REVISION = "0007"


def _free_name(path: Path, what: str) -> Path:
    """``<stem>.<what>-<stamp>.sqlite`` beside ``path``, numbered when taken (twice in one
    second)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = path.suffix or ".sqlite"
    candidate, number = path.with_name(f"{path.stem}.{what}-{stamp}{suffix}"), 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}.{what}-{stamp}-{number}{suffix}")
    return candidate


def has_identity_key(connection: Connection) -> bool:
    from sqlalchemy import inspect

    return "identity_key" in {c["name"] for c in inspect(connection).get_columns("accession")}
