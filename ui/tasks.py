"""The one background-task helper: run a plain function off the GUI thread.

The function takes a :class:`genebank.progress.Progress`; its reports arrive as Qt signals
on the GUI thread, and :meth:`Task.cancel` makes ``progress.cancelled()`` true so the core
stops at its next check and rolls back. The helper keeps each task alive until ``finished``
(and lets go of it on the GUI thread). Give tasks no Qt parent: a parent deleted while the
task runs (say, the table model of a database just closed) would delete the sender.

Wait for a task with a QEventLoop or ``qtbot.waitSignal``, never a Python loop around
``processEvents()``: with a worker running Python code, that loop made PySide6 6.12 lose
references to None until the interpreter aborted at exit ("none_dealloc").

A Qt object must be deleted on the thread it lives on, and Python deletes an object on
whichever thread drops its last reference or, for objects in a reference cycle (a dialog
that keeps its operation, whose ``_parent`` is the dialog), on whichever thread happens to
run the cyclic garbage collector, which any allocation may start. A worker connecting to a
database allocates plenty: it ran the collector, which deleted a closed sign-in dialog of
an earlier test on the worker thread while the GUI thread was painting, and the process
died of a segmentation fault (CI, session 6). So, while any task runs, the automatic
collector is paused (:mod:`genebank.gc_pause`; cycles are collected once no task runs,
on the GUI thread, the only one left running Python), and a task lets go of its function
(and whatever widgets its closure holds) on the GUI thread only: the worker drops its own
references first, then says so, and only then does the GUI thread forget the task.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from genebank import gc_pause
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
    """The worker's part: it holds the task only while the task runs. The thread pool
    deletes the runnable on the worker thread, so it keeps nothing of Python's by then."""

    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task: Task | None = task

    def run(self) -> None:
        task, self._task = self._task, None
        assert task is not None
        released, gc_owned = task.released, task.gc_owned
        try:
            task._run()
        finally:
            del task  # the worker's last reference: the GUI thread still holds the task
            released.set()
            # Nothing allocated from here on (the collector may start again).
            gc_pause.resume(gc_owned)


class Task(QObject):
    """A function running in the thread pool; exactly one of succeeded/failed/cancelled."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()

    def __init__(self, function: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._function: Callable[[Progress], Any] | None = function
        self._cancel = threading.Event()
        self.gone = False  # set by the worker when the Qt object was found deleted
        self.returned = threading.Event()  # set by the worker once the function returned
        # Set by the worker once it holds no reference to the task any more
        self.released = threading.Event()
        self.gc_owned = False  # whether start() paused the collector (resumed by the worker)
        self.name = getattr(function, "__qualname__", None) or repr(function)
        self.finished.connect(self._forget)  # queued: runs on the GUI thread

    def _forget(self) -> None:
        """Let go of the task on the GUI thread, once the worker has let go of it (it may
        still be returning from its last signal): the last reference to the function, and
        to the widgets its closure holds, is dropped on the GUI thread, never the worker."""
        if self.released.is_set():
            self._function = None  # (an operation's method: no cycle left to collect)
            _running.discard(self)
        else:
            QTimer.singleShot(1, self._forget)

    def start(self, pool: QThreadPool | None = None) -> Task:
        _running.add(self)
        self.gc_owned = gc_pause.pause()  # no collection on a worker (see the module)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self

    @property
    def working(self) -> bool:
        """Started, and its function has not returned yet."""
        return self in _running and not self.returned.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        progress = _SignalProgress(self)
        try:
            assert self._function is not None, "a task runs once"
            try:
                result = self._function(progress)
            finally:
                self.returned.set()
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


def running() -> list[Task]:
    """The tasks started and not yet let go of (their worker runs, or its end is still to
    be delivered on the GUI thread). A task whose Qt object was deleted while it ran
    never hears its end: it is let go of here once its worker has."""
    for task in list(_running):
        if task.released.is_set() and not shiboken6.isValid(task):
            _running.discard(task)
    return list(_running)


def shutdown(timeout_ms: int = 10000) -> bool:
    """Cancel every running task and wait for the threads (call after the event loop ends).

    Returns False if some task did not stop in time.
    """
    for task in list(_running):
        task.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
