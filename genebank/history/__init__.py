"""The change history: who changed which record, when, how and why (issue 15).

Importing this package installs the Session listeners of :mod:`genebank.history.capture`;
:mod:`genebank.db` imports it, so every session of every database records its history.
"""

from genebank.history import capture  # noqa: F401  (installs the listeners)
from genebank.history.entries import operation

__all__ = ["operation"]
