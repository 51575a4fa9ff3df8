"""Qt objects are deleted on the GUI thread only, whatever a worker does meanwhile.

CI died of a segmentation fault while a worker connected to PostgreSQL: the allocations of
the connect started Python's cyclic garbage collector on the worker, which deleted a closed
sign-in dialog left in a reference cycle (the dialog keeps its operation, whose parent is
the dialog) while the GUI thread was painting. A worker also used to drop the last
reference to its task, and so to the widgets its function holds, after the GUI thread had
let go of them. These tests make both happen on purpose (a low collector threshold, a
worker made to return only after the GUI thread has forgotten its task) and say where the
widget died.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session

from genebank import db
from ui import operations, tasks

DIED_ON: list[str] = []


class Dialog(QDialog):
    """A small dialog that notes on which thread Python deleted it."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        for number in range(3):
            layout.addWidget(QLineEdit(str(number), self))

    def __del__(self) -> None:
        DIED_ON.append(threading.current_thread().name)


@pytest.fixture
def died_on() -> Iterator[list[str]]:
    DIED_ON.clear()
    yield DIED_ON
    DIED_ON.clear()


@pytest.fixture
def eager_collector() -> Iterator[None]:
    """The collector runs after every few allocations, as it may on a busy worker."""
    gc.collect()
    thresholds = gc.get_threshold()
    gc.set_threshold(50, 2, 2)
    yield
    gc.set_threshold(*thresholds)


def test_a_dialog_in_a_reference_cycle_is_not_collected_on_a_worker(
        qtbot: QtBot, died_on: list[str], eager_collector: None) -> None:
    """A closed dialog that only a cycle keeps (as a sign-in dialog and its attempt) is
    garbage while a worker allocates: it is deleted on the GUI thread, not the worker."""
    dialog = Dialog()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.close()
    dialog.me = dialog  # type: ignore[attr-defined]  # the cycle
    kept = [dialog]
    del dialog

    def allocate(_progress: object) -> int:
        kept.clear()  # garbage from now on: only the cycle holds it
        rows = [[number] for number in range(400_000)]  # as a read's rows
        return len(rows)

    task = tasks.Task(allocate)
    with qtbot.waitSignal(task.succeeded, timeout=30000):
        task.start()
    qtbot.waitUntil(lambda: task not in tasks.running(), timeout=10000)
    assert died_on in ([], ["MainThread"])  # not yet collected, or on the GUI thread
    gc.collect()  # the GUI thread, with no task running
    assert died_on == ["MainThread"]


class _Handled(QObject):
    """Lives on the GUI thread: told, after the task's own ``_forget``, that the GUI
    thread has handled the task's end."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = threading.Event()

    @Slot()
    def handled(self) -> None:
        self.seen.set()


def test_a_task_lets_go_of_its_widgets_on_the_gui_thread(
        qtbot: QtBot, died_on: list[str]) -> None:
    """A closed dialog that only a task's function holds dies when the task is let go
    of, on the GUI thread, even when the worker returns from its last signal only after
    the GUI thread has handled it and the window let go of the task."""
    def work_on(widget: QDialog) -> Callable[[object], str]:
        return lambda _progress: widget.objectName()  # the closure holds the dialog

    task = tasks.Task(work_on(Dialog()))
    handled = _Handled()
    task.finished.connect(handled.handled)  # queued, after the task's own _forget
    gate = threading.Event()
    task.finished.connect(lambda: gate.wait(10),
                          Qt.ConnectionType.DirectConnection)  # the worker waits
    task.start()
    qtbot.waitUntil(handled.seen.is_set, timeout=30000)
    del task  # nobody on the GUI thread holds it now, but the worker still does
    gate.set()
    qtbot.waitUntil(lambda: bool(died_on), timeout=10000)
    assert died_on == ["MainThread"]
    qtbot.waitUntil(lambda: not tasks.running(), timeout=10000)


def test_a_closed_dialog_and_its_finished_read_are_not_collected_by_the_next_read(
        qtbot: QtBot, database: db.Database, died_on: list[str],
        eager_collector: None) -> None:
    """The crash of CI: a dialog that keeps its finished read (as the sign-in dialog its
    attempt), closed and let go of, is garbage while the next read connects to the
    database (SQLite, then PostgreSQL, a new connection): the dialog is deleted on the GUI
    thread, never by the collector on the read's worker."""
    dialog = Dialog()
    dialog.show()
    first = operations.Read(dialog, database,
                            lambda session: session.execute(text("SELECT 1")).scalar_one(),
                            operation="Signing in")
    with qtbot.waitSignal(first.done, timeout=30000):
        dialog.attempt = first.run()  # type: ignore[attr-defined]  # the cycle
    qtbot.waitUntil(lambda: not tasks.running(), timeout=10000)
    assert first.ok
    dialog.close()
    kept = [dialog]
    del dialog, first
    database.engine.dispose()  # the next read connects anew

    def next_read(session: Session) -> int:
        kept.clear()  # garbage from now on: only the cycle holds it
        rows = [[number] for number in range(100_000)]  # as a read's rows
        return int(session.execute(text("SELECT 1")).scalar_one()) + len(rows)

    second = operations.Read(None, database, next_read, operation="Reading").run()
    qtbot.waitUntil(lambda: second.finished and not tasks.running(), timeout=30000)
    assert second.ok and second.result == 100_001
    assert died_on in ([], ["MainThread"])  # not yet collected, or on the GUI thread
    gc.collect()  # the GUI thread, with no task running
    assert died_on == ["MainThread"]
