"""Errors that services raise; each carries what the user needs to see."""

from __future__ import annotations

import datetime as dt

from genebank.mcpd import Problem
from genebank.problems import Coded, register

register({
    "validation_failed": "{field}: {reason}",
    "validation_failed_more": "{field}: {reason} (and {more} more)",
})


class ServiceError(Coded):
    """A refused operation; ``str(error)`` is a message for the user, ``code`` and ``params``
    say it for the GUI to word. A service still raising it with English only gets the code
    ``refused`` and its English as ``params["reason"]`` (to be given codes of their own)."""

    code = "refused"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 params: dict[str, object] | None = None) -> None:
        if message is not None and code is None and params is None \
                and "params" not in self.__dict__:
            params = {"reason": message}
        super().__init__(message, code=code, params=params)


class ValidationFailed(ServiceError):
    """Input with errors; ``problems`` names each field and why (``reason``: the first
    problem's message, as the MCPD checks word it)."""

    code = "validation_failed"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(code="validation_failed_more" if len(problems) > 1 else None,
                         params={"field": first.field, "reason": first.message,
                                 "more": len(problems) - 1})


class NotFound(ServiceError):
    """A record named by the user is not (or no longer) there."""

    code = "not_found"


class ConcurrentEdit(ServiceError):
    """The record changed since it was read; saving would overwrite someone's work."""

    code = "concurrent_edit"

    def __init__(self, what: str, by: str, at: dt.datetime) -> None:
        self.by, self.at = by, at
        self.params = {"what": what, "by": by, "at": f"{at:%Y-%m-%d %H:%M}"}
        super().__init__(
            f"{what} was changed by {by or 'someone else'} at {at:%Y-%m-%d %H:%M} UTC "
            "after you opened it. Your changes were not saved."
        )


class HasDependents(ServiceError):
    """A record others depend on cannot be removed."""

    code = "has_dependents"
