"""The one way a GUI action writes (and reads at length): modelled on Anki's ``CollectionOp``
and ``QueryOp`` (``qt/aqt/operations/__init__.py``), written for our transactions.

An operation is a service call ``work(session) -> result`` with a name saying what the user
is doing. :class:`Write` runs it in one write transaction through
:func:`genebank.transactions.run_write` (retried on contention there), always off the GUI
thread, since on a shared database any write may wait for another workstation: the window
stays alive while it waits. While it runs the widgets that would start it again are
disabled and the window shows a busy cursor; long work gets a progress dialog with Cancel.
Whatever goes wrong becomes one plain message (:func:`message`), handed to the failure
callback so that a form can show it and keep the typing. On success it announces what
changed (:class:`Changed`) on one app-wide signal (:func:`announcer`), and every open window
refreshes what it shows of those topics, whoever made the change.

:class:`Read` is the same runner for reads that may take long (``run_read``; nothing is
announced). :class:`Job` runs long work that is no transaction of ours (a backup, building
the demo's own file) the same way: progress, Cancel, busy state and one plain message.

Which read goes where (no database wait ever blocks the window):

- :class:`Read`, off the GUI thread, the widget saying it is reading meanwhile: every read
  that grows with the collection or its history: counts and lists over the whole
  collection (the filter's choices and total, the attention overview), reports (the
  training report), exports, checks of a whole sheet.
- :func:`read_now`, on the GUI thread: only short reads whose cost does not grow with the
  collection: one record by id (the accession a form opens, the lot a scan names), a page
  of rows by id, an indexed first page and its count, a form's short lists of choices
  (locations, crops, rules, courses), an as-you-type lookup with a limit. Reads never wait
  for a writer (SQLite in WAL mode, PostgreSQL's MVCC), but on PostgreSQL a read can still
  wait for a table locked whole or for a slow server, so ``read_now`` is bounded there
  (:data:`READ_NOW_TIMEOUT_MS`, one attempt): past it the read ends in a plain message
  (:class:`genebank.transactions.ReadTimedOut`) that the caller shows.
- :func:`read_in_task`, inside a :class:`~ui.tasks.Task` of one's own: unbounded, retried.

All go through ``run_read``, so no module in ``ui/`` opens a session itself
(``tests/test_architecture.py`` keeps it so).
"""

from __future__ import annotations

import contextlib
import dataclasses
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from genebank import db, problems, transactions
from genebank.progress import Progress
from genebank.services.errors import ServiceError
from ui import messages
from ui.tasks import Task

T = TypeVar("T")
Source = db.Database | sessionmaker[Session]


@dataclasses.dataclass(frozen=True)
class Changed:
    """What an operation changed, by topic, so each window refreshes only what it shows."""

    accessions: bool = False  # passport data, accessions added or removed
    lots: bool = False  # seed lots, their tests, regenerations, safety duplicates
    locations: bool = False  # storage locations
    rules: bool = False  # per-crop conservation rules
    training: bool = False  # programmes, courses, participants, enrolments, certificates
    imports: bool = False  # the import log

    def __or__(self, other: Changed) -> Changed:
        return Changed(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                          for f in dataclasses.fields(self)})

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))

    def any_of(self, *topics: str) -> bool:
        return any(getattr(self, topic) for topic in topics)


NOTHING = Changed()


class Announcer(QObject):
    """The app-wide "something changed" signal: ``changed(Changed, initiator)``.

    ``initiator`` is the object that started the operation (a window that refreshes itself
    in its own way after its own change may skip it), or None."""

    changed = Signal(object, object)

    def announce(self, changes: Changed, initiator: object | None = None) -> None:
        if changes:
            self.changed.emit(changes, initiator)


def announcer() -> Announcer:
    """The application's announcer (one per QCoreApplication, made on first use)."""
    app = QCoreApplication.instance()
    assert app is not None, "a QApplication must exist before any operation runs"
    found = app.findChild(Announcer, "genebank_announcer")
    if found is None:
        found = Announcer(app)
        found.setObjectName("genebank_announcer")
    return found


def on_change(receiver: QObject, slot: Callable[[Changed, object], None]) -> None:
    """Call ``slot(changes, initiator)`` on every announced change while ``receiver`` lives."""
    signal = announcer().changed

    def forward(changes: Changed, initiator: object) -> None:
        if shiboken6.isValid(receiver):
            slot(changes, initiator)

    signal.connect(forward)
    receiver.destroyed.connect(lambda *_: _disconnect(signal, forward))


def _disconnect(signal: Any, slot: Callable[..., None]) -> None:
    with contextlib.suppress(RuntimeError, TypeError):
        signal.disconnect(slot)


def database_of(source: Source) -> db.Database:
    """The :class:`~genebank.db.Database` behind a session factory (what most windows hold)."""
    if isinstance(source, db.Database):
        return source
    engine = source.kw["bind"]
    # One Database per factory, so what it learns (the whole-file check before an import,
    # cached on it) holds for every later operation of the windows sharing that factory.
    known = getattr(source, "genebank_database", None)
    if isinstance(known, db.Database) and known.engine is engine:
        return known
    database = db.Database(url=engine.url.render_as_string(hide_password=False),
                           engine=engine, session_factory=source)
    source.genebank_database = database  # type: ignore[attr-defined]
    return database


# Messages ---------------------------------------------------------------------------------
# One way to say what went wrong, shared with the opening of a database: ui/messages.py.
WORDS = messages.WORDS
is_coded = problems.is_coded


def message(error: BaseException, *, operation: str = "",
            database: Source | str | None = None) -> str:
    """The one plain sentence shown for ``error`` (:func:`ui.messages.say`); ``database``
    an open database, its session factory or its url."""
    if database is not None and not isinstance(database, str):
        database = database_of(database)
    return messages.say(error, operation=operation, database=database)


# Operations -------------------------------------------------------------------------------
class Operation(QObject, Generic[T]):
    """What :class:`Write` and :class:`Read` share: the task, busy state and outcome."""

    done = Signal(bool)  # emitted once, after the callbacks: True if it succeeded

    def __init__(self, parent: QWidget | None, source: Source | None,
                 work: Callable[..., T], *, operation: str) -> None:
        super().__init__(None)  # no Qt parent: the parent window may close meanwhile
        self._parent = parent
        # None only for a Job on no open database (the demo's own file)
        self.database = database_of(source) if source is not None else None
        self._work = work
        self.operation = operation
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[str, BaseException], Any] | None = None
        self._busy: list[QWidget | QAction] = []
        self._progress_label: str | None = None
        self._cancellable = True
        self._report: Callable[[int, int, str], Any] | None = None
        self._dialog: QProgressDialog | None = None
        self.task: Task | None = None
        # The work's result once it has returned, set in the worker thread (see _cancelled)
        self._completed: tuple[T] | None = None
        self.finished = False
        self.ok = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self.error_text = ""

    # Configuration, chained as Anki's: Write(...).success(f).failure(g).run()
    def success(self, callback: Callable[[T], Any]) -> Operation[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[str, BaseException], Any]) -> Operation[T]:
        """``callback(text, error)``; without one, the text is shown in a message box."""
        self._failure = callback
        return self

    def busy(self, *widgets: QWidget | QAction | None) -> Operation[T]:
        """Disable ``widgets`` (a Save button, a button box, a menu's action) while the
        operation runs."""
        self._busy.extend(w for w in widgets if w is not None)
        return self

    def with_progress(self, label: str, *, cancel: bool = True) -> Operation[T]:
        """Long work: ``work(session, progress)``; a progress dialog with Cancel shows.
        Without ``cancel`` it has no Cancel button and only says the work goes on (work
        that cannot stop half-way, such as one transaction that reports no progress)."""
        self._progress_label = label
        self._cancellable = cancel
        return self

    def reporting(self, callback: Callable[[int, int, str], Any]) -> Operation[T]:
        """Long work shown by the caller itself (a wizard's page): ``work(session,
        progress)``; ``callback(done, total, text)`` gets its reports; no dialog."""
        self._report = callback
        return self

    # Running
    def run(self) -> Operation[T]:
        self._set_busy(True)
        if self._progress_label is not None:
            self._dialog = dialog = QProgressDialog(
                self._progress_label, QCoreApplication.translate("Operations", "Cancel"),
                0, 100, self._parent)
            dialog.setWindowTitle(self.operation)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            if not self._cancellable:
                dialog.setCancelButton(None)
                dialog.setRange(0, 0)  # busy: no Cancel, no percentage
        self.task = task = Task(self._run_in_thread)
        if self._dialog is not None and self._cancellable:
            task.progressed.connect(self._progressed)
            self._dialog.canceled.connect(task.cancel)
        if self._report is not None:
            task.progressed.connect(self._report)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        _running.add(self)
        task.start()
        return self

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progressed(self, done: int, total: int, text: str) -> None:
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.setValue(done * 100 // max(total, 1))
            if text:
                self._dialog.setLabelText(text)

    def _run_in_thread(self, progress: Progress) -> T:
        result = self._in_thread(progress)
        self._completed = (result,)  # done: a Cancel pressed from now on came too late
        return result

    def _in_thread(self, progress: Progress) -> T:
        if self._progress_label is not None or self._report is not None:
            return self._transaction(lambda session: self._work(session, progress))
        return self._transaction(self._work)

    def _transaction(self, work: Callable[[Session], T]) -> T:
        raise NotImplementedError

    def _set_busy(self, busy: bool) -> None:
        for widget in self._busy:
            if shiboken6.isValid(widget):
                widget.setEnabled(not busy)
        window = self._parent.window() if self._parent is not None \
            and shiboken6.isValid(self._parent) else None
        if window is not None:
            if busy:
                window.setCursor(Qt.CursorShape.BusyCursor)
            else:
                window.unsetCursor()

    def _end(self) -> None:
        self.finished = True
        self._set_busy(False)
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.reset()
            self._dialog.deleteLater()
        self._dialog = None

    def _alive(self) -> bool:
        return self._parent is None or shiboken6.isValid(self._parent)

    def _succeeded(self, result: T) -> None:
        self._end()
        self.ok, self.result = True, result
        try:
            if self._success is not None and self._alive():
                self._success(result)
            self._after_success(result)
        finally:
            self._finish()

    def _after_success(self, result: T) -> None:
        pass

    def _failed(self, error: BaseException) -> None:
        self._end()
        self.error = error
        self.error_text = message(error, operation=self.operation, database=self.database)
        if not (is_coded(error) or isinstance(error, ServiceError | db.DatabaseError
                                               | DBAPIError | OSError)):
            traceback.print_exception(error)  # a fault of ours: keep its trace for a report
        try:
            if not self._alive():
                pass
            elif self._failure is not None:
                self._failure(self.error_text, error)
            else:
                QMessageBox.warning(self._parent, self.operation, self.error_text)
        finally:
            self._finish()

    # Work with effects (a write that committed, a backup placed) that returned before it
    # saw a Cancel is done: it is said as done, never as "cancelled; nothing was changed".
    # A read's result is dropped instead (a newer read may have superseded it), as is a
    # job's whose result is only put in place by its success callback (the demo).
    DONE_DESPITE_CANCEL = False

    def _cancelled(self) -> None:
        if self.DONE_DESPITE_CANCEL and self._completed is not None:
            self._succeeded(self._completed[0])
            return
        self._end()
        self.error_text = QCoreApplication.translate(
            "Operations", "{0}: cancelled; nothing was changed").format(self.operation)
        try:
            if self._failure is not None and self._alive():
                self._failure(self.error_text, CancelledByUser(self.error_text))
        finally:
            self._finish()

    def _finish(self) -> None:
        _running.discard(self)
        self.done.emit(self.ok)


class CancelledByUser(Exception):
    """What a failure callback gets when the user cancelled: nothing was changed."""


_running: set[Operation[Any]] = set()  # keeps each operation alive until it is done


class Write(Operation[T]):
    """A write: one transaction (``run_write``), off the GUI thread, announced on success.

    ``changes`` is what it changes, or a function of the result saying so (e.g. nothing when
    a save found the stored values)."""

    DONE_DESPITE_CANCEL = True

    def __init__(self, parent: QWidget | None, source: Source, work: Callable[..., T], *,
                 operation: str, changes: Changed | Callable[[T], Changed],
                 initiator: object | None = None, bulk: bool = False) -> None:
        super().__init__(parent, source, work, operation=operation)
        self._changes = changes
        self._initiator = initiator
        self._bulk = bulk  # an import: the SQLite file is checked whole first (run_write)

    def _transaction(self, work: Callable[[Session], T]) -> T:
        assert self.database is not None, "a write needs a database"
        return transactions.run_write(self.database, work, operation=self.operation,
                                      bulk=self._bulk)

    def _after_success(self, result: T) -> None:
        changes = self._changes(result) if callable(self._changes) else self._changes
        announcer().announce(changes, self._initiator)


class Read(Operation[T]):
    """A read that may take long (``run_read``), off the GUI thread; nothing is announced."""

    def _transaction(self, work: Callable[[Session], T]) -> T:
        assert self.database is not None, "a read needs a database"
        return transactions.run_read(self.database, work, operation=self.operation)


class Job(Operation[T]):
    """Long work that is no transaction on the open database: ``work(progress)`` off the GUI
    thread, with the runner's busy state, progress and Cancel (:meth:`with_progress`) and its
    one plain message on failure; nothing is announced. ``source`` is None when the work
    touches no open database (the demo is built in a file of its own). A job whose effect
    stands once its work returns (a backup placed) says so with :meth:`effects_stand`."""

    def effects_stand(self) -> Job[T]:
        """The work's effect is made by the time it returns (a backup file placed), so a
        Cancel that arrives after that is too late: it is said as done."""
        self.DONE_DESPITE_CANCEL = True
        return self

    def _in_thread(self, progress: Progress) -> T:
        return self._work(progress)


READ_NOW_TIMEOUT_MS = 5000  # the longest a short read may hold the window, on a server


def read_now(source: Source, work: Callable[[Session], T], *, operation: str) -> T:
    """A short read where it is called (a form's choices, the record it opens, on the GUI
    thread; or inside a task of one's own). Reads never wait for writers; on PostgreSQL it is
    bounded all the same (:data:`READ_NOW_TIMEOUT_MS`, one attempt), so a table locked whole
    or a stalled server ends in a plain message, not a frozen window. Errors propagate to
    the caller (word them with :func:`message`)."""
    return transactions.run_read(database_of(source), work, operation=operation,
                                 attempts=1, timeout_ms=READ_NOW_TIMEOUT_MS)


def read_in_task(source: Source, work: Callable[[Session], T], *, operation: str) -> T:
    """A read inside a :class:`~ui.tasks.Task` of one's own, off the GUI thread: as long
    as it needs (retried on contention), since no window waits for it."""
    return transactions.run_read(database_of(source), work, operation=operation)


def pending() -> list[Operation[Any]]:
    """The operations still running (the window waits for them before it closes)."""
    return list(_running)

