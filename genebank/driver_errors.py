"""One classification of the database driver's errors, for the CLI and the GUI alike.

SQLite and PostgreSQL fail in many ways; a technician needs to know which of a few things
happened and what to do. :func:`classify` turns a driver error (SQLAlchemy's ``DBAPIError``
or the driver's own exception) into a :class:`DriverProblem` with one of the :data:`TEMPLATES`
codes and its params: ``operation`` (what the user was doing, may be empty), ``database``
(the file, or the server's database, never with a password) and ``detail`` (the driver's
first line, never the SQL or its values). "Cannot reach the server" (``server_unreachable``)
is said only for a connection that failed or was lost: SQLSTATE class 08, the server shutting
down (57P01-57P03), a connection refused, closed or invalidated; a value or constraint the
server refused is ``refused_by_database`` or ``conflicts_with_stored``. A server that
answered but would not let this user in (an unknown role, a NOLOGIN role, a wrong password,
no pg_hba entry) is ``server_refused_sign_in``; one that refused the database
(CONNECT revoked) ``no_permission_to_connect``; a table the role may not use
(``permission denied``, 42501) ``no_permission_to_read`` or ``no_permission_to_change`` by
the statement; a port libpq rejects (99999) ``bad_server_address``. While connecting, libpq
gives no SQLSTATE (psycopg's ``sqlstate`` is None): the server's FATAL line is read instead.
"""

from __future__ import annotations

import getpass
import os
import re
import sqlite3

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError

from genebank import connection_urls
from genebank.problems import Coded, register, register_params

TEMPLATES = register({
    "database_in_use": "{database} was in use by another program or workstation writing to "
                       "it at the same moment; nothing was changed. Try again in a moment; if "
                       "it goes on, close the other program or wait for the other "
                       "workstation's import or backup to finish",
    "database_disk_full": "the disk holding {database} is full; nothing was changed. Free "
                          "some space on it, then try again",
    "database_io_error": "{database} could not be written or read (a disk or network "
                         "error: {detail}); nothing was changed. Check the disk or "
                         "connection, then try again",
    "database_read_only": "{database} is read-only; Genebank needs to write to it",
    "database_unreadable": "{database} is not a Genebank database or is damaged "
                           "({detail}); nothing was changed. Open your latest backup instead",
    "server_has_no_such_database": "the PostgreSQL server {server} answered, but it has no "
                                   "database named '{name}'; nothing was changed. Check the "
                                   "name, or ask whoever runs the server to create it "
                                   "(createdb {name})",
    "server_unreachable": "cannot reach the PostgreSQL server{at}: {detail}."
                          " Nothing was changed; check the network and that the "
                          "server is running, then try again",
    "server_refused_sign_in": "the PostgreSQL server {server} answered, but refused to sign "
                              "in {user} ({detail}); nothing was changed. Check the user "
                              "name and password, or ask whoever runs the server to let "
                              "{user} sign in",
    "no_permission_to_connect": "the PostgreSQL server {server} answered, but {user} may not "
                                "connect to the database '{name}'; nothing was changed. Ask "
                                "whoever runs the server to grant {user} access to it",
    "no_permission_to_read": "you may not read {database} (signed in as {user}: {detail}); "
                             "nothing was changed. Ask whoever runs the server to grant "
                             "{user} access to it",
    "no_permission_to_change": "you may not change {database} (signed in as {user}: "
                               "{detail}); nothing was changed. Ask whoever runs the server "
                               "to grant {user} access to it",
    # The same two refusals for a person signed in as their own login role
    # (genebank.server_roles): the server gives it the rights of their Genebank roles.
    "person_may_not_read": "you may not read {database} (signed in as {person}, the "
                           "server's login role {user}: {detail}); nothing was changed. The "
                           "server lets {person} do what their roles allow: ask an "
                           "administrator for a role that may",
    "person_may_not_change": "you may not change {database} (signed in as {person}, the "
                             "server's login role {user}: {detail}); nothing was changed. "
                             "The server lets {person} do what their roles allow: ask an "
                             "administrator for a role that may",
    "bad_server_address": "the address of the PostgreSQL server {server} is wrong ({detail}); "
                          "nothing was changed. The port after ':' must be a number from 1 "
                          "to 65535, e.g. localhost:5432",
    "conflicts_with_stored": "the database refused the change as it conflicts with a stored "
                             "record ({detail}); nothing was changed",
    "refused_by_database": "the database refused the change ({detail}); nothing was changed",
})
_NO_SUCH_DATABASE = re.compile(r'database "[^"]*" does not exist')
# The server's FATAL lines (and libpq's own) for a sign-in it refused: class 28.
_SIGN_IN_REFUSED = re.compile(
    r'role "[^"]*" does not exist|is not permitted to log in|password authentication failed'
    r'|no pg_hba\.conf entry|(peer|ident|sasl|scram|gss|sspi|ldap|radius|cert(ificate)?) '
    r'authentication failed|no password supplied', re.I)
_NO_CONNECT = re.compile(r'permission denied for database "[^"]*"', re.I)
_BAD_PORT = re.compile(r'invalid port number|for connection option "port"', re.I)
# The first word of a statement that only reads.
_READS = re.compile(r"\s*(select|with|show|explain)\b", re.I)
# PostgreSQL SQLSTATEs meaning the server could not be reached or went away.
_UNREACHABLE_STATES = ("08", "57P01", "57P02", "57P03")
# SQLite's primary result codes for a lock held by another connection.
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_POSTGRES_CONTENTION = {"40001", "40P01", "55P03"}


class DriverProblem(Coded):
    """A driver error classified: ``code`` one of :data:`TEMPLATES`; ``str()`` leads with the
    operation when there is one."""

    def __init__(self, code: str, params: dict[str, object]) -> None:
        english = TEMPLATES[code].format(**values(params))
        operation = params.get("operation")
        super().__init__(f"{operation}: {english}" if operation else english,
                         code=code, params=params)


def values(params: dict[str, object], *, the_database: str = "the database") \
        -> dict[str, object]:
    """``params`` ready for a template: the database quoted (or ``the_database`` when
    unknown), ``at`` the server and its database (or nothing when unknown)."""
    database, server = params.get("database"), params.get("server")
    return {**params, "database": f"'{database}'" if database else the_database,
            "at": f" {server} (database '{params.get('name')}')" if server else ""}


register_params(TEMPLATES, values)  # their English quotes the database


def classify(error: BaseException, *, url: str | None, operation: str | None = None,
             person: str | None = None) -> DriverProblem:
    """What ``error`` (raised while using the database at ``url``, None when unknown)
    means, as one problem. ``url`` is the address the connection was made with (after a
    sign-in on a server, the person's login role: ``Database.connected_url``); ``person``
    the Genebank name signed in, if any: a refusal of their own login role names them
    (``person_may_not_read``/``person_may_not_change``)."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    detail = text.splitlines()[0] if text else type(original).__name__
    lowered = detail.lower()
    state = str(getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
                or "")
    params: dict[str, object] = {"operation": operation or "",
                                 "database": connection_urls.shown(url) if url else "",
                                 "detail": detail}
    if _is_postgresql(url, original):
        params.update(server="", name="")
        if url:
            parsed = make_url(url)
            params.update(server=f"{parsed.host or 'localhost'}:{parsed.port or 5432}",
                          name=parsed.database or "")
    if is_contention(error):
        code = "database_in_use"
    elif _is_postgresql(url, original) and (refused := _refused(error, state, text)):
        code = refused
        params["user"] = _user(url)
        if person and code in _AS_PERSON and _is_login_of(str(params["user"]), person):
            code = _AS_PERSON[code]
            params["person"] = person
        # libpq's "connection failed: connection to server at ... failed: FATAL:  role ..."
        # says the address twice: the server's own words are the part that helps.
        params["detail"] = re.split(r"\bFATAL:\s*", detail)[-1].strip()
    elif _is_postgresql(url, original) and (state == "3D000" or _NO_SUCH_DATABASE.search(text)):
        # The server answered (its FATAL comes without a SQLSTATE while connecting).
        code = "server_has_no_such_database"
    elif _is_postgresql(url, original) and _unreachable(error, state, lowered):
        code = "server_unreachable"
    elif state == "53100" or "disk is full" in lowered or "no space left" in lowered \
            or "could not extend file" in lowered:
        code = "database_disk_full"
    elif "readonly" in lowered or "read-only" in lowered:
        code = "database_read_only"
    elif "disk i/o error" in lowered or "input/output error" in lowered:
        code = "database_io_error"
    elif "file is not a database" in lowered or "malformed" in lowered:
        code = "database_unreadable"
    elif isinstance(error, IntegrityError) or state.startswith("23") \
            or isinstance(original, sqlite3.IntegrityError):
        code = "conflicts_with_stored"
    else:
        code = "refused_by_database"
    return DriverProblem(code, params)


def is_contention(error: BaseException) -> bool:
    """Whether ``error`` is a lock, busy, deadlock or serialization failure worth a retry."""
    original = getattr(error, "orig", None) or error
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
        return "locked" in str(original).lower() or "busy" in str(original).lower()
    return getattr(original, "sqlstate", None) in _POSTGRES_CONTENTION


def _refused(error: BaseException, state: str, text: str) -> str | None:
    """The code for a server that answered but refused this user (or a bad port), or None."""
    if state.startswith("28") or _SIGN_IN_REFUSED.search(text):
        return "server_refused_sign_in"
    if _NO_CONNECT.search(text):
        return "no_permission_to_connect"
    if state == "42501":
        statement = getattr(error, "statement", None) or ""
        return "no_permission_to_read" if _READS.match(statement) \
            else "no_permission_to_change"
    if _BAD_PORT.search(text):
        return "bad_server_address"
    return None


_AS_PERSON = {"no_permission_to_read": "person_may_not_read",
              "no_permission_to_change": "person_may_not_change"}


def _is_login_of(login: str, person: str) -> bool:
    """Whether ``login`` is the login role of the Genebank person named ``person``: their
    database's prefix (ending in ``_``) and their name as compared. (A first administrator
    made over the DBA's connection is signed in while the connection is still the DBA's.)"""
    from genebank.users.accounts import name_key

    return login.endswith("_" + name_key(person.strip()))


def _user(url: str | None) -> str:
    """Who is signing in: the URL's user, else libpq's default ($PGUSER, the login name)."""
    user = connection_urls.user_of(url) if url else ""
    if user:
        return user
    try:
        return os.environ.get("PGUSER") or getpass.getuser()
    except (KeyError, OSError):
        return "?"


def _unreachable(error: BaseException, state: str, lowered: str) -> bool:
    if getattr(error, "connection_invalidated", False):
        return True
    if state:
        return state.startswith(_UNREACHABLE_STATES)
    # No SQLSTATE: the server never answered (psycopg's OperationalError on connecting, or
    # a connection the server closed).
    original = getattr(error, "orig", None) or error
    return type(original).__name__ == "OperationalError" or (
        "connection" in lowered and any(word in lowered for word in (
            "refused", "closed", "timeout", "terminat", "could not")))


def _is_postgresql(url: str | None, original: BaseException) -> bool:
    if not url:
        return type(original).__module__.startswith(("psycopg", "pg8000", "asyncpg"))
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except ArgumentError:
        return False

