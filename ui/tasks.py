"""The one background-task helper: run a plain function off the GUI thread.

The function takes a :class:`genebank.progress.Progress`; its reports arrive as Qt signals
on the GUI thread, and :meth:`Task.cancel` makes ``progress.cancelled()`` true so the core
stops at its next check and rolls back. Whoever starts a task keeps a reference to it until
``finished`` (the helper keeps one too, so a forgotten task still completes).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from genebank.progress import Cancelled, Progress

_running: set[Task] = set()


class _SignalProgress:
    def __init__(self, task: Task) -> None:
        self._task = task

    def report(self, done: int, total: int, text: str = "") -> None:
        self._task.progressed.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._task.is_cancelled()


class Task(QObject):
    """A function running in the thread pool; exactly one of succeeded/failed/cancelled."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()

    def __init__(self, function: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._function = function
        self._cancel = threading.Event()

    def start(self, pool: QThreadPool | None = None) -> Task:
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(QRunnable.create(self._run))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._function(_SignalProgress(self))
        except Cancelled:
            self.cancelled.emit()
        except Exception as error:  # reported to the GUI, which words it for the user
            self.failed.emit(error)
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.finished.emit()
            _running.discard(self)
