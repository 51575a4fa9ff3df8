"""Case-insensitive matching that the database can serve from an index.

SQLite: columns are declared NOCASE, and the pattern is built here, because SQLAlchemy's
``startswith()`` renders ``LIKE ? || '%'``, which SQLite cannot serve from an index.
PostgreSQL: ILIKE.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(session: Session, column: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def starts_with(session: Session, column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    return _like(session, column, escape_like(text) + "%")


def contains(session: Session, column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    return _like(session, column, "%" + escape_like(text) + "%")


def equals(session: Session, column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    return _like(session, column, escape_like(text))
