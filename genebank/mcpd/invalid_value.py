"""The error every MCPD value parser raises for a value it cannot read."""

from __future__ import annotations

from genebank.problems import Coded


class InvalidValue(Coded, ValueError):
    """A value that cannot be read: ``code`` (registered by the parser's module) and its
    ``params``; ``str(error)`` is its English, for the CLI and an import's preview."""

    def __init__(self, *, code: str, params: dict[str, object] | None = None) -> None:
        super().__init__(code=code, params=params)
