"""A server database's people as PostgreSQL roles: the one-time set-up, the grants made
again after every upgrade, and the functions that make and change login roles.

Roles are cluster-wide, so every role of a database carries its prefix (``gb_<database>_``
by default): ``<prefix>owner`` (NOLOGIN) owns the schema and everything in it; one NOLOGIN
group role per Genebank role (``<prefix>curator``...) holds the grants of
:mod:`genebank.users.server_grants`; ``<prefix>usermaker`` (NOLOGIN, CREATEROLE, no
members) owns ``genebank_sync_login``, the SECURITY DEFINER function that makes a person's
login role (``<prefix>`` + their name as compared, e.g. ``gb_test_anna``), sets its
password (a SCRAM verifier made on the workstation: the password itself never reaches
the server), LOGIN or NOLOGIN (disabled), and its group memberships from
``user_account_role``: the table is the one source of a person's roles, the memberships
follow it in the same transaction. The function reads the person from the table and the
prefix from ``genebank_role_prefix()`` (owned by the owner, not a setting an
administrator could change), so it can touch only this database's prefixed roles, and
only administrators may call it: an administrator needs no CREATEROLE of their own.

The group ``<prefix>administrator`` is a NOINHERIT member of the owner: an
administrator's login role inherits the administrators' grants but not the owner's
rights, and may ``SET ROLE`` to the owner, which an upgrade does
(:func:`genebank.server_opening.act_as_owner`), so upgrades are for administrators only
and run as the owner. The set-up is run once by a role with CREATEROLE that owns the
tables (or a superuser) and may be run again (it then changes nothing that is right).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from genebank import problems
from genebank.history.erasure import PERSONAL_FIELDS
from genebank.models import Base
from genebank.users import server_grants
from genebank.users.roles import RIGHTS, Right, Role

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from genebank.db import Database
    from genebank.users.actor import Actor

problems.register({
    "set_up_needs_createrole": "{user} may not create roles on this server: the set-up is "
                               "run by a role with CREATEROLE that owns the database's tables "
                               "(e.g. the server's postgres); nothing was changed",
    "set_up_needs_owner": "{user} does not own the database's tables (their owner is "
                          "{owner}): run the set-up as {owner}, if it has CREATEROLE, or as "
                          "a superuser; nothing was changed",
    "set_up_empty_database": "the database holds no Genebank database yet: create it with "
                             "genebank init first; nothing was changed",
    "set_up_server_only": "a SQLite file has no login roles: its file is the boundary, and "
                          "people sign in with the passwords it keeps",
    "set_up_prefix_taken": "the roles of another database use the prefix {prefix} on this "
                           "server ({role} exists and was not made for this database); "
                           "rename the database, or drop those roles; nothing was changed",
})

GROUPS = tuple(Role)
MAX_ROLE_NAME = 63  # bytes: PostgreSQL's NAMEDATALEN - 1


def default_prefix(database: str) -> str:
    """``gb_`` + the database's name (lower case, letters, digits and _ only) + ``_``."""
    word = re.sub(r"[^a-z0-9_]+", "_", database.casefold()).strip("_") or "db"
    return f"gb_{word[:30]}_"


def owner_role(prefix: str) -> str:
    return f"{prefix}owner"


def usermaker_role(prefix: str) -> str:
    return f"{prefix}usermaker"


def group_role(prefix: str, role: Role) -> str:
    return f"{prefix}{role.value}"


def login_role(prefix: str, name_key: str) -> str:
    """The server login of the person whose compared name is ``name_key``."""
    return f"{prefix}{name_key}"


def quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class SetUp:
    """What the set-up did, for the command line to say."""

    prefix: str
    roles_created: tuple[str, ...]
    tables_owned: int
    tables_granted: int


def role_prefix(connection: Connection) -> str | None:
    """The database's role prefix, None when its roles were never set up."""
    exists = connection.execute(text(
        "SELECT to_regprocedure('genebank_role_prefix()') IS NOT NULL")).scalar()
    if not exists:
        return None
    return connection.execute(text("SELECT genebank_role_prefix()")).scalar()


def _role_exists(connection: Connection, name: str) -> bool:
    return bool(connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                   {"n": name}).scalar())


def set_up(connection: Connection, prefix: str | None = None) -> SetUp:
    """The one-time set-up (see module), in the caller's transaction; refused with a
    :class:`genebank.problems.Coded` when the connecting role may not."""
    from genebank.services.refusals import Refused

    database = connection.execute(text("SELECT current_database()")).scalar_one()
    prefix = prefix or default_prefix(database)
    user, is_super, may_create = connection.execute(text(
        "SELECT current_user, rolsuper, rolcreaterole FROM pg_roles "
        "WHERE rolname = current_user")).one()
    if not (is_super or may_create):
        raise Refused("set_up_needs_createrole", user=user)
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        raise Refused("set_up_empty_database")
    owner = owner_role(prefix)
    table_owner = connection.execute(text(
        "SELECT tableowner FROM pg_tables WHERE tablename = 'alembic_version' "
        "AND schemaname = current_schema()")).scalar_one()
    if not is_super and table_owner != owner and not connection.execute(text(
            "SELECT pg_has_role(current_user, :o, 'MEMBER')"), {"o": table_owner}).scalar():
        raise Refused("set_up_needs_owner", user=user, owner=table_owner)
    existing = role_prefix(connection)
    if existing is None and _role_exists(connection, owner):
        raise Refused("set_up_prefix_taken", prefix=prefix, role=owner)
    prefix = existing or prefix
    owner = owner_role(prefix)
    made = []
    for name, options in ([(owner, "NOLOGIN NOINHERIT"),
                           (usermaker_role(prefix), "NOLOGIN NOINHERIT CREATEROLE")]
                          + [(group_role(prefix, r), "NOLOGIN") for r in GROUPS]):
        if not _role_exists(connection, name):
            connection.execute(text(f"CREATE ROLE {quoted(connection, name)} {options}"))
            made.append(name)
    admins = group_role(prefix, Role.ADMINISTRATOR)
    connection.execute(text(f"ALTER ROLE {quoted(connection, admins)} NOINHERIT"))
    if not is_super:  # to give the tables to the owner, the set-up's role must be a member
        connection.execute(text(f"GRANT {quoted(connection, owner)} TO CURRENT_USER"))
        connection.execute(text(
            f"GRANT {quoted(connection, usermaker_role(prefix))} TO CURRENT_USER"))
    connection.execute(text(
        f"GRANT {quoted(connection, owner)} TO {quoted(connection, admins)}"))
    if int(connection.execute(text("SHOW server_version_num")).scalar_one()) >= 160000:
        # From PostgreSQL 16 CREATEROLE grants only roles held WITH ADMIN OPTION: the
        # usermaker may hand out the groups, without being a member that uses them.
        for role in GROUPS:
            connection.execute(text(
                f"GRANT {quoted(connection, group_role(prefix, role))} TO "
                f"{quoted(connection, usermaker_role(prefix))} WITH ADMIN OPTION, "
                f"INHERIT FALSE, SET FALSE"))
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    connection.execute(text(f"ALTER SCHEMA {quoted(connection, schema)} OWNER TO "
                            f"{quoted(connection, owner)}"))
    owned = 0
    for kind, name in connection.execute(text(
            "SELECT 'TABLE', c.relname FROM pg_class c JOIN pg_namespace n ON "
            "n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN "
            "('r', 'p', 'v') UNION ALL SELECT 'SEQUENCE', c.relname FROM pg_class c JOIN "
            "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            "AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
            "d.objid = c.oid AND d.deptype IN ('a', 'i')) UNION ALL SELECT 'FUNCTION', "
            "p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON "
            "n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname NOT IN "
            "('genebank_sync_login')")).all():
        target = name if kind == "FUNCTION" else quoted(connection, name)
        connection.execute(text(f"ALTER {kind} {target} OWNER TO {quoted(connection, owner)}"))
        owned += kind == "TABLE"
    _functions(connection, prefix)
    granted = apply_grants(connection, prefix)
    if not is_super:
        connection.execute(text(
            f"REVOKE {quoted(connection, usermaker_role(prefix))} FROM CURRENT_USER"))
    return SetUp(prefix, tuple(made), owned, granted)


def _functions(connection: Connection, prefix: str) -> None:
    """The prefix (owner) and the login-role function (usermaker), each with a fixed
    search_path; the erasure's blanking is made with the grants (:func:`_erase_function`)."""
    owner = quoted(connection, owner_role(prefix))
    maker = quoted(connection, usermaker_role(prefix))
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    path = f"SET search_path = {quoted(connection, schema)}, pg_temp"
    groups = ", ".join(literal(r.value) for r in GROUPS)
    connection.execute(text(
        f"CREATE OR REPLACE FUNCTION genebank_role_prefix() RETURNS text LANGUAGE sql "
        f"IMMUTABLE {path} AS $f$ SELECT {literal(prefix)}::text $f$"))
    connection.execute(text(f"ALTER FUNCTION genebank_role_prefix() OWNER TO {owner}"))
    _authors(connection, prefix)
    connection.execute(text(f"""
CREATE OR REPLACE FUNCTION genebank_sync_login(account integer, verifier text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER {path} AS $f$
DECLARE
    prefix text := genebank_role_prefix();
    person record;
    login text;
    existing record;
    wanted boolean;
    group_name text;
    r text;
BEGIN
    SELECT name_key, disabled INTO person FROM user_account WHERE id = account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no user % in this database', account USING ERRCODE = '22023';
    END IF;
    IF person.name_key !~ '^[^[:cntrl:][:space:]"''|\\\\]+$' THEN
        RAISE EXCEPTION 'a login role cannot be named %', person.name_key
            USING ERRCODE = '22023';
    END IF;
    login := prefix || person.name_key;
    IF octet_length(login) > {MAX_ROLE_NAME} THEN
        RAISE EXCEPTION 'the login role % is longer than the server allows', login
            USING ERRCODE = '22023';
    END IF;
    IF verifier IS NOT NULL AND verifier !~ '^SCRAM-SHA-256\\$' THEN
        RAISE EXCEPTION 'a password is given as its SCRAM verifier' USING ERRCODE = '22023';
    END IF;
    SELECT rolsuper, rolcreaterole, rolreplication, rolbypassrls INTO existing
        FROM pg_roles WHERE rolname = login;
    IF NOT FOUND THEN
        EXECUTE format('CREATE ROLE %I LOGIN INHERIT', login);
    ELSIF existing.rolsuper OR existing.rolcreaterole OR existing.rolreplication
            OR existing.rolbypassrls THEN
        RAISE EXCEPTION 'the role % is not a Genebank login', login USING ERRCODE = '42501';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', login,
                   CASE WHEN person.disabled THEN 'NOLOGIN' ELSE 'LOGIN' END);
    IF verifier IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
    END IF;
    FOREACH r IN ARRAY ARRAY[{groups}] LOOP
        group_name := prefix || r;
        wanted := EXISTS (SELECT 1 FROM user_account_role WHERE user_id = account
                          AND role = r);
        IF wanted AND NOT pg_has_role(login, group_name, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', group_name, login);
        ELSIF NOT wanted AND EXISTS (SELECT 1 FROM pg_auth_members m
                JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                WHERE g.rolname = group_name AND u.rolname = login) THEN
            EXECUTE format('REVOKE %I FROM %I', group_name, login);
        END IF;
    END LOOP;
    RETURN login;
END $f$"""))
    connection.execute(text(
        f"ALTER FUNCTION genebank_sync_login(integer, text) OWNER TO {maker}"))
    connection.execute(text(
        "REVOKE ALL ON FUNCTION genebank_sync_login(integer, text) FROM PUBLIC"))
    admins = quoted(connection, group_role(prefix, Role.ADMINISTRATOR))
    connection.execute(text(f"GRANT EXECUTE ON FUNCTION genebank_sync_login(integer, text) "
                            f"TO {admins}, {owner}"))


def _erase_function(connection: Connection, prefix: str) -> None:
    """The erasure's blanking in the history (``genebank_erase_history``, owned by the
    owner, whom the history's row-level security does not bind): the person's personal
    fields in their entries before the erasure, and the reasons of the personal change
    sets holding those entries (0020). Made again after every upgrade
    (:func:`apply_grants`), so an upgraded server blanks what its schema now holds."""
    owner = quoted(connection, owner_role(prefix))
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    path = f"SET search_path = {quoted(connection, schema)}, pg_temp"
    personal = ", ".join(literal(c) for c in sorted(PERSONAL_FIELDS))
    columns = {c["name"] for c in inspect(connection).get_columns("change_set")} \
        if "change_set" in inspect(connection).get_table_names() else set()
    reasons = """
    UPDATE change_set s SET reason = ''
    WHERE s.personal AND s.reason <> '' AND s.id IN (
        SELECT e.change_set_id FROM change_entry e WHERE e.subject_type = 'participant'
        AND e.subject_id = participant AND e.action <> 'erased');""" \
        if "personal" in columns else ""
    connection.execute(text(f"""
CREATE OR REPLACE FUNCTION genebank_erase_history(participant bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER {path} AS $f$
DECLARE blanked integer;
BEGIN
    UPDATE change_entry e SET fields = (
        SELECT jsonb_object_agg(k, CASE WHEN k = ANY (ARRAY[{personal}])
                                   THEN '[null, null]'::jsonb ELSE v END)
        FROM jsonb_each(e.fields::jsonb) AS f(k, v))::text
    WHERE e.subject_type = 'participant' AND e.subject_id = participant
      AND e.action <> 'erased' AND e.fields::jsonb ?| ARRAY[{personal}]
      AND EXISTS (SELECT 1 FROM change_entry l WHERE l.subject_type = 'participant'
                  AND l.subject_id = participant AND l.action = 'erased' AND l.id > e.id);
    GET DIAGNOSTICS blanked = ROW_COUNT;{reasons}
    RETURN blanked;
END $f$"""))
    connection.execute(text(f"ALTER FUNCTION genebank_erase_history(bigint) OWNER TO {owner}"))
    connection.execute(text("REVOKE ALL ON FUNCTION genebank_erase_history(bigint) FROM PUBLIC"))
    trainers = ", ".join(quoted(connection, group_role(prefix, r))
                         for r in GROUPS if Right.CHANGE_TRAINING in RIGHTS[r])
    connection.execute(text(
        f"GRANT EXECUTE ON FUNCTION genebank_erase_history(bigint) TO {trainers}, {owner}"))


def _authors(connection: Connection, prefix: str) -> None:
    """Who the history names is who is connected: a login role cannot write history in
    another person's name. A change set (who, when, why) is stamped with the connected
    person, and each statement's entries may only join sets of that person (checked once
    per statement over its new rows, so an import's 100,000 entries cost one query).
    Nothing is cached in a setting, which a person could set. Owned by the owner; made
    again after every upgrade (:func:`apply_grants`), so a database set up before the
    history had its sets gets them when it is upgraded."""
    owner = quoted(connection, owner_role(prefix))
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    path = f"SET search_path = {quoted(connection, schema)}, pg_temp"
    connection.execute(text(f"""
CREATE OR REPLACE FUNCTION genebank_history_author() RETURNS trigger
LANGUAGE plpgsql {path} AS $f$
DECLARE
    person record;
BEGIN
    IF NOT starts_with(session_user::text, genebank_role_prefix()) THEN
        RETURN NEW;  -- the owner, the DBA: as the app says
    END IF;
    SELECT id, name INTO person FROM user_account
        WHERE genebank_role_prefix() || name_key = session_user::text;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no Genebank user signs in as %', session_user
            USING ERRCODE = '42501';
    END IF;
    NEW.user_id := person.id;
    NEW.user_name := person.name;
    RETURN NEW;
END $f$"""))
    connection.execute(text(f"""
CREATE OR REPLACE FUNCTION genebank_history_set_author() RETURNS trigger
LANGUAGE plpgsql {path} AS $f$
BEGIN
    IF NOT starts_with(session_user::text, genebank_role_prefix()) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT change_set_id FROM added) a
               LEFT JOIN change_set s ON s.id = a.change_set_id
               LEFT JOIN user_account u ON u.id = s.user_id
               WHERE u.id IS NULL
                  OR genebank_role_prefix() || u.name_key <> session_user::text) THEN
        RAISE EXCEPTION 'a history entry joins only a change set of its writer'
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END $f$"""))
    for function in ("genebank_history_author()", "genebank_history_set_author()"):
        connection.execute(text(f"ALTER FUNCTION {function} OWNER TO {owner}"))
    connection.execute(text("DROP TRIGGER IF EXISTS change_entry_author ON change_entry"))
    if "change_set" not in inspect(connection).get_table_names():  # before 0019
        connection.execute(text(
            "CREATE TRIGGER change_entry_author BEFORE INSERT ON change_entry FOR EACH ROW "
            "EXECUTE FUNCTION genebank_history_author()"))
        return
    connection.execute(text("DROP TRIGGER IF EXISTS change_set_author ON change_set"))
    connection.execute(text(
        "CREATE TRIGGER change_set_author BEFORE INSERT ON change_set FOR EACH ROW "
        "EXECUTE FUNCTION genebank_history_author()"))
    connection.execute(text(
        "DROP TRIGGER IF EXISTS change_entry_set_author ON change_entry"))
    connection.execute(text(
        "CREATE TRIGGER change_entry_set_author AFTER INSERT ON change_entry "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
        "EXECUTE FUNCTION genebank_history_set_author()"))


def apply_grants(connection: Connection, prefix: str) -> int:
    """Every group's privileges made again from :mod:`genebank.users.server_grants` (what
    a group had beyond them is revoked); run by the owner or a superuser, after the set-up
    and every upgrade. Returns how many tables were granted."""
    tables = [name for name in inspect(connection).get_table_names()]
    groups = {role: quoted(connection, group_role(prefix, role)) for role in GROUPS}
    everyone = ", ".join(groups.values())
    maker = quoted(connection, usermaker_role(prefix))
    schema = quoted(connection, connection.execute(text("SELECT current_schema()"))
                    .scalar_one())
    connection.execute(text(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {everyone}, {maker}"))
    sequences = dict(connection.execute(text(
        "SELECT t.relname, s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
        "AND d.deptype IN ('a', 'i') JOIN pg_class t ON t.oid = d.refobjid "
        "JOIN pg_namespace n ON n.oid = s.relnamespace WHERE s.relkind = 'S' "
        "AND n.nspname = current_schema()")).all())
    for table in tables:
        name = quoted(connection, table)
        connection.execute(text(f"REVOKE ALL ON {name} FROM PUBLIC, {everyone}, {maker}"))
        personal = server_grants.PERSONAL_COLUMNS.get(table)
        if personal is None:
            connection.execute(text(f"GRANT SELECT ON {name} TO {everyone}"))
        else:
            columns = [c["name"] for c in inspect(connection).get_columns(table)]
            plain = ", ".join(quoted(connection, c) for c in columns if c not in personal)
            for role, group in groups.items():
                if server_grants.reads_personal_data(role):
                    connection.execute(text(f"GRANT SELECT ON {name} TO {group}"))
                else:
                    connection.execute(text(f"GRANT SELECT ({plain}) ON {name} TO {group}"))
        for role, group in groups.items():
            privileges = server_grants.table_privileges(role).get(table, set())
            if table in server_grants.HISTORY_TABLES:
                # everyone appends (even a viewer's own password change is an entry)
                privileges = {"INSERT"}
            if privileges:
                connection.execute(text(
                    f"GRANT {', '.join(sorted(privileges))} ON {name} TO {group}"))
            sequence = sequences.get(table)
            if sequence is not None:
                connection.execute(text(
                    f"REVOKE ALL ON SEQUENCE {quoted(connection, sequence)} FROM {group}"))
                if "INSERT" in privileges:
                    connection.execute(text(f"GRANT USAGE, SELECT ON SEQUENCE "
                                            f"{quoted(connection, sequence)} TO {group}"))
    for table in ("user_account", "user_account_role"):
        connection.execute(text(f"GRANT SELECT ON {quoted(connection, table)} TO {maker}"))
    _history_rows(connection, {role: group_role(prefix, role) for role in GROUPS})
    _authors(connection, prefix)
    _erase_function(connection, prefix)
    return len(tables)


def _history_rows(connection: Connection, groups: dict[Role, str]) -> None:
    """Entries about a participant (personal data in their old and new values), and the
    change sets holding only such entries (``personal``: who, when and the reason given,
    which may name the person), are seen only by the roles holding read_personal_data:
    row-level security on the history (the owner, who blanks an erasure, is not bound by
    it)."""
    readers = " OR ".join(f"pg_has_role({literal(name)}, 'USAGE')"
                          for role, name in groups.items()
                          if server_grants.reads_personal_data(role))
    hidden = {server_grants.HISTORY_TABLE: f"subject_type <> "
                                           f"{literal(server_grants.PERSONAL_HISTORY_SUBJECT)}"}
    tables = inspect(connection).get_table_names()
    if server_grants.HISTORY_SET_TABLE in tables and "personal" in {
            c["name"] for c in inspect(connection).get_columns(
                server_grants.HISTORY_SET_TABLE)}:  # from 0020
        hidden[server_grants.HISTORY_SET_TABLE] = "NOT personal"
    for table, public in hidden.items():
        connection.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        connection.execute(text(f"DROP POLICY IF EXISTS genebank_read ON {table}"))
        connection.execute(text(f"DROP POLICY IF EXISTS genebank_append ON {table}"))
        connection.execute(text(
            f"CREATE POLICY genebank_read ON {table} FOR SELECT USING ({public} OR {readers})"))
        connection.execute(text(
            f"CREATE POLICY genebank_append ON {table} FOR INSERT WITH CHECK (true)"))


def sign_in_on_server(database: Database, name: str, password: str) -> Actor:
    """The window's sign-in on a server: connect as ``name``'s login role with
    ``password`` (the server checks it), and from then on ``database`` works through that
    connection: its engine is replaced, so every session, read or write, is the person's
    at the server too. ``sign_in_failed`` for a wrong name or password alike.

    :func:`connect_as_person` then :func:`use_engine`, on the calling thread; a window
    checks on a worker and replaces the engine on the GUI thread (the two halves)."""
    signed_in = connect_as_person(database, name, password)
    use_engine(database, signed_in.engine)
    return signed_in.actor


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A person the server let in: who they are, and the engine connecting as them."""

    actor: Actor
    engine: Engine


def connect_as_person(database: Database, name: str, password: str) -> SignedIn:
    """Connect as ``name``'s login role with ``password`` (the server checks it) and
    sign them in: the person and an engine of their own, ``database`` itself unchanged (so
    this may run on a worker while the window reads). ``sign_in_failed`` for a wrong name
    or password alike."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from genebank.connection_urls import needs_password
    from genebank.db import create_engine_for
    from genebank.services.refusals import Refused
    from genebank.users import accounts

    current = database.engine
    try:
        with current.connect() as connection:
            prefix = role_prefix(connection)
    except OperationalError:
        # the former person signed out (their password forgotten, :func:`sign_out`) on a
        # server that asks everyone for one: the prefix follows from the database's name
        prefix = default_prefix(current.url.database or "")
    if prefix is None:
        raise Refused("sign_in_failed")
    url = login_url(current.url.render_as_string(hide_password=False), prefix,
                    name, password)
    engine = create_engine_for(url)
    try:
        with Session(engine) as session:
            actor = accounts.sign_in(session, name=name, password=password)
    except OperationalError as refused:
        engine.dispose()
        # No such login role, or not its password: the same words for both, as on SQLite.
        if needs_password(refused) or getattr(refused.orig, "sqlstate", None) == "28000" \
                or f'role "{login_role(prefix, "")}' in str(refused.orig):
            raise Refused("sign_in_failed") from None
        raise
    except BaseException:
        engine.dispose()
        raise
    return SignedIn(actor, engine)


def use_engine(database: Database, engine: Engine) -> None:
    """From now on ``database`` works through ``engine`` (every new session); the former
    engine's idle connections are closed. Call it where the database is used (a window's
    GUI thread), not on a worker."""
    old, database.engine = database.engine, engine
    database.session_factory.configure(bind=engine)
    old.dispose()


def sign_out(database: Database) -> None:
    """The window's sign-out on a server: the former person's connections are closed (the
    pool disposed) and their password forgotten (the engine's address keeps their login
    name without it), so nothing more is read or written as them before the next
    person signs in (:func:`sign_in_on_server`)."""
    from genebank.connection_urls import without_password
    from genebank.db import create_engine_for

    url = without_password(database.engine.url.render_as_string(hide_password=False))
    use_engine(database, create_engine_for(url))


def connected_person(connection: Connection) -> str | None:
    """The name (key) of the Genebank person whose login role this connection is (the
    window opened the database as them: :mod:`ui.dialogs.connection_dialog`), or None."""
    prefix = role_prefix(connection)
    login = current_login(connection)
    if prefix is None or not login.startswith(prefix):
        return None
    key = login[len(prefix):]
    found = connection.execute(text("SELECT name_key FROM user_account WHERE name_key = :k"),
                               {"k": key}).scalar()
    return None if found is None else str(found)


def current_login(connection: Connection) -> str:
    return str(connection.execute(text("SELECT session_user")).scalar_one())


def login_url(url: str, prefix: str, name: str, password: str | None) -> str:
    """``url`` connecting as the login role of the person named ``name`` (compared as
    Genebank compares names), with ``password`` when given: for one connection, never
    kept nor shown (:mod:`genebank.connection_urls`)."""
    from sqlalchemy.engine import make_url

    from genebank.users.accounts import name_key

    parsed = make_url(url).set(username=login_role(prefix, name_key(name.strip())),
                               password=password)
    return parsed.render_as_string(hide_password=False)


def _verifier(connection: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, made by libpq on this workstation."""
    pgconn = connection.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    made = pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"),
                                   b"scram-sha-256")
    return bytes(made).decode("ascii")


def sync_login(connection: Connection, user_id: int, name_key: str,
               password: str | None) -> str:
    """Make the person's login role follow their account (``genebank_sync_login``); a
    new password goes as its verifier."""
    prefix = role_prefix(connection)
    if prefix is None:
        from genebank.services.refusals import Refused

        raise Refused("server_roles_missing", name=name_key)
    verifier = None if password is None else _verifier(
        connection, login_role(prefix, name_key), password)
    return str(connection.execute(text("SELECT genebank_sync_login(:id, :verifier)"),
                                  {"id": user_id, "verifier": verifier}).scalar_one())


def change_own_password(connection: Connection, password: str) -> None:
    """The signed-in person's own login role gets a new password (any role may)."""
    login = current_login(connection)
    verifier = _verifier(connection, login, password)
    # As the driver's own statement: the verifier's ':' would read as a bound name.
    connection.exec_driver_sql(f"ALTER ROLE {quoted(connection, login)} PASSWORD "
                               f"{literal(verifier)}")


def password_is(connection: Connection, password: str) -> bool:
    """Whether ``password`` opens a connection as this connection's login role: the old
    password asked again before a change (a server trusting the workstation says yes)."""
    import psycopg

    url = connection.engine.url.set(username=current_login(connection), password=password)
    try:
        psycopg.connect(url.render_as_string(hide_password=False).replace(
            "postgresql+psycopg://", "postgresql://"), connect_timeout=10).close()
    except psycopg.OperationalError as refused:
        from genebank.connection_urls import needs_password

        if needs_password(refused):
            return False
        raise
    return True


def drop_roles(connection: Connection, prefix: str) -> None:
    """Every role of ``prefix`` gone (tests; a database dropped for good): what they own
    goes to the connecting role first. Run by a superuser."""
    names = connection.execute(text(
        "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"), {"p": prefix}).scalars()
    for name in names:
        role = quoted(connection, name)
        connection.execute(text(f"REASSIGN OWNED BY {role} TO CURRENT_USER"))
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))


def mapped_tables_missing() -> set[str]:
    """Tables of the models no map entry places (a test keeps this empty)."""
    return {t.name for t in Base.metadata.sorted_tables} - server_grants.mapped_tables()
