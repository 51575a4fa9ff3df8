"""Text fields of the forms and imports, checked by ``genebank.text`` before the database."""

from __future__ import annotations

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
