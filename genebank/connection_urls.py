"""Database addresses as they are shown and kept: never with a password.

A PostgreSQL password belongs to the person signing in, not to the settings file, the
recent-databases menu or a message. What is kept is the URL without it; when the server
wants one, libpq first looks in PostgreSQL's own password file (``~/.pgpass``,
``%APPDATA%\\postgresql\\pgpass.conf`` or ``$PGPASSFILE``) and service file (``service=``
in the URL, ``$PGSERVICE``, ``$PGSERVICEFILE``); only if none answers is the person asked
(:func:`needs_password`), and what they type is used for that connection only
(:func:`with_password`).
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# Query parameters that carry a secret: libpq's own, and psycopg's spelling of it.
SECRET_PARAMETERS = ("password",)
_PASSWORD_REFUSED = ("no password supplied", "password authentication failed",
                     "password is required", "sasl authentication failed")


def _parsed(url: str) -> URL | None:
    try:
        return make_url(url)
    except ArgumentError:
        return None


def without_password(url: str) -> str:
    """``url`` with no password, neither after the user name nor as ``?password=``; a
    SQLite path or anything that is not a URL comes back unchanged."""
    parsed = _parsed(url)
    if parsed is None or parsed.get_backend_name() == "sqlite":
        return url
    if parsed.password is None and not any(k in parsed.query for k in SECRET_PARAMETERS):
        return url
    parsed = parsed._replace(password=None).difference_update_query(SECRET_PARAMETERS)
    return parsed.render_as_string(hide_password=False)


def has_password(url: str) -> bool:
    return without_password(url) != url


def shown(url: str) -> str:
    """``url`` as a person may see it: a SQLite file by its path, a server address without
    its password (nor a mask that says one exists)."""
    parsed = _parsed(url)
    if parsed is None:
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return without_password(url)


def with_password(url: str, password: str) -> str:
    """``url`` (without a password) with ``password``, to open one connection; never keep
    or show the result."""
    parsed = make_url(without_password(url))
    return parsed.set(password=password).render_as_string(hide_password=False)


def user_of(url: str) -> str:
    parsed = _parsed(url)
    return (parsed.username or "") if parsed is not None else ""


def needs_password(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a server refusing a connection for want of
    the right password, which asking the person can mend."""
    seen: BaseException | None = error
    while seen is not None:
        original = getattr(seen, "orig", None) or seen
        if getattr(original, "sqlstate", None) == "28P01":
            return True
        text = str(original).lower()
        if any(phrase in text for phrase in _PASSWORD_REFUSED):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
