"""The one background-task helper: run a plain function off the GUI thread.

The function takes a :class:`genebank.progress.Progress`; its reports arrive as Qt signals
on the GUI thread, and :meth:`Task.cancel` makes ``progress.cancelled()`` true so the core
stops at its next check and rolls back. The helper keeps each task alive until ``finished``
(and lets go of it on the GUI thread). Give tasks no Qt parent: a parent deleted while the
task runs (say, the table model of a database just closed) would delete the sender.

Wait for a task with a QEventLoop or ``qtbot.waitSignal``, never a Python loop around
``processEvents()``: with a worker running Python code, that loop made PySide6 6.12 lose
references to None until the interpreter aborted at exit ("none_dealloc").
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


class _Runnable(QRunnable):
    def __init__(self, function: Callable[[], None]) -> None:
        super().__init__()
        self._function = function

    def run(self) -> None:
        self._function()


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
        self.finished.connect(self._forget)  # queued: runs on the GUI thread

    def _forget(self) -> None:
        _running.discard(self)

    def start(self, pool: QThreadPool | None = None) -> Task:
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self._run))
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


def shutdown(timeout_ms: int = 10000) -> bool:
    """Cancel every running task and wait for the threads (call after the event loop ends).

    Returns False if some task did not stop in time.
    """
    for task in list(_running):
        task.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
