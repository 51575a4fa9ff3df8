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

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from genebank.progress import Cancelled, Progress

_running: set[Task] = set()


class _SignalProgress:
    """The worker's side of a task. A task whose Qt object is gone (deleted at exit, or
    by anything else while its function runs) counts as cancelled: its reports go nowhere
    and the core stops at its next check, instead of a RuntimeError in the worker."""

    def __init__(self, task: Task) -> None:
        self._task = task

    def report(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled():
            return
        try:
            self._task.progressed.emit(done, total, text)
        except RuntimeError:  # deleted between the check and the emit
            self._task.gone = True

    def cancelled(self) -> bool:
        task = self._task
        return task.gone or not shiboken6.isValid(task) or task.is_cancelled()


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
        self.gone = False  # set by the worker when the Qt object was found deleted
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
        progress = _SignalProgress(self)
        try:
            result = self._function(progress)
        except Cancelled:
            self._emit("cancelled")
        except Exception as error:  # reported to the GUI, which words it for the user
            self._emit("failed", error)
        else:
            if progress.cancelled():
                self._emit("cancelled")
            else:
                self._emit("succeeded", result)
        finally:
            self._emit("finished")

    def _emit(self, signal: str, *args: Any) -> None:
        """Emit ``signal`` from the worker unless the Qt object is gone: nobody is left
        to hear it."""
        if shiboken6.isValid(self):
            with contextlib.suppress(RuntimeError):  # deleted meanwhile
                getattr(self, signal).emit(*args)


def shutdown(timeout_ms: int = 10000) -> bool:
    """Cancel every running task and wait for the threads (call after the event loop ends).

    Returns False if some task did not stop in time.
    """
    for task in list(_running):
        task.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
