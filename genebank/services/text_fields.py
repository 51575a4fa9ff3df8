"""Text fields of the forms and imports, checked by ``genebank.text`` before the database.

Services check their fields as they read them (:func:`checked_text`), naming the field as
the person knows it. Behind them, every flush of an ORM session checks each text it writes
against its column's ``String(n)`` (:func:`_within_column_sizes`), so that no form or
service, now or later, can reach the database with a longer value: PostgreSQL would refuse
it with a driver error, SQLite would store it whole.
"""

from __future__ import annotations

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Mapper, Session

from genebank.services.errors import ServiceError
from genebank.text import TextKind, TextProblem, clean_text


class TextRefused(ServiceError):
    """A value refused by ``clean_text``; ``code`` and ``params`` as its problem's
    (``params["field"]`` names the field)."""

    def __init__(self, problem: TextProblem) -> None:
        self.problem = problem
        self.code, self.params = problem.code, problem.params
        super().__init__(problem.message)


def checked_text(value: str, *, field: str, label: str | None = None,
                 kind: TextKind = TextKind.LINE, limit: int | None = None,
                 warnings: list[TextProblem] | None = None) -> str:
    """The clean text of ``value``: :class:`TextRefused` for its first error, its warnings
    (controls removed) added to ``warnings``."""
    cleaned = clean_text(value, field=field, label=label, kind=kind, limit=limit)
    if cleaned.errors:
        raise TextRefused(cleaned.errors[0])
    if warnings is not None:
        warnings.extend(cleaned.warnings)
    return cleaned.text


_SIZES: dict[Mapper[object], tuple[tuple[str, int], ...]] = {}


def _sized_columns(mapper: Mapper[object]) -> tuple[tuple[str, int], ...]:
    sizes = _SIZES.get(mapper)
    if sizes is None:
        sizes = _SIZES[mapper] = tuple(
            (attribute.key, attribute.columns[0].type.length)
            for attribute in mapper.column_attrs
            if isinstance(attribute.columns[0].type, String)
            and attribute.columns[0].type.length)
    return sizes


@event.listens_for(Session, "before_flush")
def _within_column_sizes(session: Session, _context: object, _instances: object) -> None:
    """Refuse (:class:`TextRefused`, ``too_long``) a text longer than its column."""
    for record in (*session.new, *session.dirty):
        state = inspect(record)
        loaded = state.dict
        for key, limit in _sized_columns(state.mapper):
            value = loaded.get(key)
            if isinstance(value, str) and len(value) > limit:
                raise TextRefused(TextProblem("too_long", {
                    "field": f"{state.mapper.local_table.name}.{key}",
                    "label": key.replace("_", " "), "length": len(value), "limit": limit},
                    error=True))
