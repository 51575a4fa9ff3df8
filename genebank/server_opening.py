"""Opening a PostgreSQL database: refuse what may not be opened, and create or upgrade it
under the server's create/upgrade lock, the upgrade only by a role that may (its owner, a
member of the owning role, a superuser) once it confirms a backup exists.

Why a module of its own: a server database is shared by several workstations, so who may
upgrade it, and when, is decided here; the engine and the errors are
:mod:`genebank.db`'s, reached through :func:`genebank.db.open_database`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.orm import sessionmaker

from genebank import schema_lock, server_roles
from genebank.db import (
    SCHEMA_REVISION,
    Database,
    DatabaseMissing,
    DatabaseTooNew,
    NeedsUpgrade,
    NotAGenebankDatabase,
    create_engine_for,
    current_user,
    known_revisions,
    refuse_duplicate_accessions,
    shown,
    translate_errors,
    upgrade_on,
)
from genebank.problems import register

# Refusals to open a server's database (``database`` shown without its password).
register({
    "foreign_server_database": "the database {database} holds other tables, not a Genebank "
                               "database; choose another database, or an empty one",
    "server_database_too_new": "the database {database} was made by a newer version of "
                               "Genebank (schema {revision}); update Genebank to open it",
    "empty_database": "the database {database} holds no Genebank database yet; nothing was "
                      "created. Create it with genebank init (or the first start's 'Connect "
                      "to a server')",
    "needs_upgrade": "the database {database} is at schema {revision} and needs upgrading to "
                     "{newest}, which you may do as its owner: back it up first (genebank "
                     "backup FILE.sqlite, or pg_dump), then run genebank upgrade",
    "needs_upgrade_by_owner": "the database {database} needs upgrading by {owner}, who owns it "
                              "(run genebank upgrade on a workstation signed in as {owner} or "
                              "as a member of that role); you are signed in as {user}. "
                              "Nothing was changed",
})


def open_server(url: str, *, user: str | None, create: bool,
                upgrade_confirmed: bool) -> Database:
    """:func:`genebank.db.open_database` for a server database (see there)."""
    engine = create_engine_for(url)
    try:
        with translate_errors(url):
            state = server_state(engine)
            refuse_server(url, state, create=create)
            if state.revision != SCHEMA_REVISION or not state.versioned:
                with engine.begin() as connection:
                    schema_lock.lock_server_schema(connection)
                    state = server_state(connection)  # another workstation may have done it
                    refuse_server(url, state, create=create)
                    if state.versioned and state.revision != SCHEMA_REVISION:
                        # Read-only, and first: an upgrade that would stop on accessions
                        # stored twice is refused before its owner is asked to confirm it.
                        if state.revision is not None:
                            refuse_duplicate_accessions(connection)
                        check_may_upgrade(url, state, confirmed=upgrade_confirmed)
                        act_as_owner(connection, state)
                    if not (state.versioned and state.revision == SCHEMA_REVISION):
                        upgrade_on(connection)
                        # A new table gets its grants from the map (as the owner).
                        prefix = server_roles.role_prefix(connection)
                        if prefix is not None:
                            server_roles.apply_grants(connection, prefix)
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(engine, info={"user": user or current_user()})
    return Database(url=url, engine=engine, session_factory=factory)


@dataclass(frozen=True, slots=True)
class ServerState:
    """What a server database is, and who is asking: read before anything is changed."""

    versioned: bool      # has an alembic_version table
    revision: str | None
    foreign: bool        # other tables and no alembic_version
    owner: str | None    # the role owning alembic_version
    user: str            # current_user
    may_upgrade: bool = False  # the owner, a member of the owner role, or a superuser


def server_state(bind: Engine | Connection) -> ServerState:
    with contextlib.ExitStack() as stack:
        connection = bind if isinstance(bind, Connection) else stack.enter_context(
            bind.connect())
        tables = set(inspect(connection).get_table_names())
        user = connection.execute(text("SELECT current_user")).scalar_one()
        if "alembic_version" not in tables:
            return ServerState(False, None, bool(tables), None, user)
        owner = connection.execute(text(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'alembic_version' "
            "AND schemaname = current_schema()")).scalar()
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        # Centres often make the owner a NOLOGIN group role: its members may upgrade, as
        # may a superuser; the exact owner role alone was too narrow.
        may_upgrade = owner is not None and bool(connection.execute(text(
            "SELECT pg_has_role(current_user, :owner, 'MEMBER') OR COALESCE((SELECT rolsuper "
            "FROM pg_roles WHERE rolname = current_user), false)"),
            {"owner": owner}).scalar())
        return ServerState(True, versions[0][0] if versions else None, False, owner, user,
                            may_upgrade)


def refuse_server(url: str, state: ServerState, *, create: bool) -> None:
    shown_as = {"database": shown(url)}
    if state.foreign:
        raise NotAGenebankDatabase(code="foreign_server_database", params=shown_as)
    if state.revision not in (None, SCHEMA_REVISION) and state.revision not in \
            known_revisions():
        raise DatabaseTooNew(code="server_database_too_new",
                             params={**shown_as, "revision": state.revision})
    if not state.versioned and not create:
        raise DatabaseMissing(code="empty_database", params=shown_as)


def check_may_upgrade(url: str, state: ServerState, *, confirmed: bool) -> None:
    is_owner = state.may_upgrade
    params = {"database": shown(url), "owner": state.owner, "user": state.user,
              "is_owner": is_owner, "revision": state.revision, "newest": SCHEMA_REVISION}
    if is_owner and confirmed:
        return
    raise NeedsUpgrade(code="needs_upgrade" if is_owner else "needs_upgrade_by_owner",
                       params=params)


def act_as_owner(connection: Connection, state: ServerState) -> None:
    """A member or superuser upgrades as the owning role (for this transaction only), so
    that the tables the upgrade creates belong to the owner like the others."""
    if state.owner is not None and state.user != state.owner:
        quoted = connection.dialect.identifier_preparer.quote_identifier(state.owner)
        connection.execute(text(f"SET LOCAL ROLE {quoted}"))
