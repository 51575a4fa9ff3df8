"""Modules imported on a thread of their own while the first dialog is on the screen
(start-up): importing is Python's own work, not Qt's, so it may run off the GUI thread; the
widgets those modules define are only made later, on the GUI thread. :class:`BackgroundImports`
says when it is done (``done``, delivered on the GUI thread); a module that fails to import
is imported again where it is used, which raises there as it would have at start.

While the thread imports, the cyclic garbage collector is paused (as while a
:class:`ui.tasks.Task` runs): importing allocates enough to start it, and it would delete
on this thread any widget left in a reference cycle, which only the GUI thread may do."""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from genebank import gc_pause


class BackgroundImports(QObject):
    done = Signal()

    def __init__(self, modules: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.modules = tuple(modules)
        self.finished = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            gc_owned = gc_pause.pause()  # resumed by the thread as it ends
            self._thread = threading.Thread(target=self._run, args=(gc_owned,),
                                            name="genebank-imports", daemon=True)
            self._thread.start()

    def _run(self, gc_owned: bool) -> None:
        try:
            for name in self.modules:
                try:
                    importlib.import_module(name)
                except Exception:
                    break
            self.finished.set()
            # Queued to the GUI thread, where this object lives; if the dialog (and this
            # object) is gone, nobody waits.
            with contextlib.suppress(RuntimeError):
                self.done.emit()
        finally:
            gc_pause.resume(gc_owned)
