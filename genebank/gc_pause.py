"""Pausing Python's cyclic garbage collector while a bulk operation builds objects.

Reading, checking and writing 100,000 spreadsheet rows creates millions of lists, dicts and
tuples that all stay alive until the import ends. The collector, triggered by allocations,
would walk every one of them again and again looking for cycles: a third of the time the
check of 100,000 rows took. Reference counting still frees everything as usual while paused.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_lock = threading.Lock()
_pauses = 0

P = ParamSpec("P")
R = TypeVar("R")


def pause() -> bool:
    """Pause the collector until the matching :func:`resume`, which may be called from
    another thread (a task pauses it on the GUI thread and its worker resumes it). Returns
    whether this pause counts: False when the collector was off already by someone else's
    choice, and then :func:`resume` must be given False and leaves it off."""
    global _pauses
    with _lock:
        owned = _pauses > 0 or gc.isenabled()
        if owned:
            _pauses += 1
            gc.disable()
        return owned


def resume(owned: bool) -> None:
    """End a :func:`pause` (``owned``: what it returned); the last one enables it again."""
    global _pauses
    if owned:
        with _lock:
            _pauses -= 1
            if _pauses == 0:
                gc.enable()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; nests, and works from several threads."""
    owned = pause()
    try:
        yield
    finally:
        resume(owned)


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`paused_gc` for a bulk operation."""
    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return function(*args, **kwargs)
    return paused
