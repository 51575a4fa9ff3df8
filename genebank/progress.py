"""The small Qt-free protocol that long operations use to report progress and hear cancel.

``ui/tasks.py`` adapts it to Qt signals; the command line prints it; tests pass their own.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """Raised inside a long operation when its caller asked to stop; nothing was kept."""


class Progress(Protocol):
    def report(self, done: int, total: int, text: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class NoProgress:
    def report(self, done: int, total: int, text: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False


def check(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled()
