"""Errors that services raise; each carries what the user needs to see."""

from __future__ import annotations

import datetime as dt

from genebank.mcpd import Problem


class ServiceError(Exception):
    """A refused operation; ``str(error)`` is a message for the user."""


class ValidationFailed(ServiceError):
    """Input with errors; ``problems`` names each field and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first.field}: {first.message}{more}")


class NotFound(ServiceError):
    pass


class ConcurrentEdit(ServiceError):
    """The record changed since it was read; saving would overwrite someone's work."""

    def __init__(self, what: str, by: str, at: dt.datetime) -> None:
        self.by, self.at = by, at
        super().__init__(
            f"{what} was changed by {by or 'someone else'} at {at:%Y-%m-%d %H:%M} UTC "
            "after you opened it. Your changes were not saved."
        )


class HasDependents(ServiceError):
    pass
