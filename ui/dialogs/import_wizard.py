"""The one import wizard: passport data (File > Import accessions), germination and moisture
tests (Conservation > Import tests) and participant lists (Training > Import participant
list) go through the same five pages, each a module of its own:

1. ``import_file_page``: the file, its sheet (the one that suits the import best is
   preselected), a text file's encoding, which kind when the wizard imports several, and
   the option to read the first rows first;
2. ``import_mapping_page``: which column holds which field, suggested by the one heading
   matcher below any title rows, with the saved mappings and what is still needed;
3. ``import_check_page``: every row checked by the core (:mod:`genebank.imports`) off the
   GUI thread, with its status, record and each cell's problem; the problems can be saved
   as a copy of the person's file;
4. ``import_options_page``: rows with errors, and the kind's own choices;
5. ``import_run_page``: the import in one transaction through the operation runner
   (Cancel keeps the database as it was; a failure offers Try again and Back), then its
   summary.

What differs between kinds is in :mod:`ui.dialogs.import_kind_views`; this module holds the
state the pages share and the background reading of the whole sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard
from sqlalchemy.orm import Session, sessionmaker

from genebank import imports
from genebank.imports import CheckReport
from genebank.io import headings, spreadsheet
from genebank.io.spreadsheet import Sheet
from ui import messages, operations
from ui.dialogs.import_check_page import CheckPage
from ui.dialogs.import_file_page import FilePage
from ui.dialogs.import_kind_views import KindView, view_for
from ui.dialogs.import_mapping_page import FIRST_ROWS, MappingPage
from ui.dialogs.import_options_page import OptionsPage
from ui.dialogs.import_run_page import RunPage
from ui.settings import Settings
from ui.tasks import Task

__all__ = ["FIRST_ROWS", "ImportWizard"]


class ImportWizard(QWizard):
    """One import of one of ``kinds`` (keys of :data:`genebank.imports.KINDS`; several when
    the person chooses, as germination or moisture tests). ``course_id``: participants may
    be enrolled in that course. The folder last used is kept in ``settings`` when given."""

    imported = Signal(object)  # the kind's own result (with a line() summary)
    sheet_read = Signal()  # the whole sheet is in ``sheet``, or ``read_error`` says why not

    def __init__(self, session_factory: sessionmaker[Session], settings: Settings | None = None,
                 kinds: Sequence[str] = (headings.PASSPORT,), *, course_id: int | None = None,
                 last_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.settings = settings
        self._last_folder = last_folder
        self.kinds = tuple(kinds)
        self.kind = self.kinds[0]
        self.views = {kind: view_for(kind) for kind in self.kinds}
        self.course_id = course_id
        self.path: Path | None = None
        self.sheet_name: str | None = None
        self.encoding: str | None = None  # a text file's, when the person chose it
        self.first_rows = True  # read the first rows at once, the rest in the background
        self.top: Sheet | None = None  # the first rows (or every row), read at once
        self.sheet: Sheet | None = None  # every row
        self.read_error: str | None = None
        self.reading: Task | None = None
        self.header_index = 0  # the row of the headings (title rows above it are skipped)
        self.mapping: dict[int, str] = {}
        self.dates: str | None = None  # how the file writes 12/03/1998: "dmy", "mdy", or None
        self.report: CheckReport | None = None
        # The import's own result (ImportSummary, TestImportResult…); not ``result``,
        # which is QDialog's.
        self.outcome: Any = None
        self.task: Task | operations.Operation[Any] | None = None
        self.setWindowTitle(self.view.title())
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(960, 640)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.options_page = OptionsPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.options_page,
                     self.run_page):
            self.addPage(page)

    @property
    def view(self) -> KindView:
        """What the pages show differently for the kind chosen."""
        return self.views[self.kind]

    @property
    def preview(self) -> Any:
        """The kind's own preview of the rows checked (``report.detail``), or None."""
        return self.report.detail if self.report is not None else None

    @property
    def last_folder(self) -> str:
        return self.settings.last_folder if self.settings is not None else self._last_folder

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        if self.settings is not None:
            self.settings.last_folder = folder
        self._last_folder = folder

    def options(self, **chosen: Any) -> imports.ImportOptions:
        """The choices made on the pages, for the core's check and apply."""
        return imports.ImportOptions(header_index=self.header_index, dates=self.dates,
                                     **chosen)

    def run_task(self, task: Task | operations.Operation[Any]) \
            -> Task | operations.Operation[Any]:
        """Start ``task`` (a read of the file, or a check or the import through the
        runner), remembering it so that Cancel can stop it."""
        self.task = task
        if isinstance(task, Task):
            task.finished.connect(lambda: setattr(self, "task", None))
            return task.start()
        task.done.connect(lambda _ok: setattr(self, "task", None))
        return task.run()  # type: ignore[return-value]

    def forget_file(self) -> None:
        """Another file, sheet or kind was chosen: what was read and checked no longer
        applies."""
        if self.reading is not None:
            self.reading.cancel()
        self.top = self.sheet = self.report = self.reading = None
        self.read_error = None

    def read_whole_sheet(self) -> None:
        """Read every row in the background; ``sheet_read`` tells when it is there."""
        path, name, encoding = self.path, self.sheet_name, self.encoding
        task = Task(lambda _progress: spreadsheet.read_sheet(  # type: ignore[arg-type]
            path, name, encoding=encoding))

        def read(sheet: Sheet) -> None:
            if shiboken6.isValid(self) and self.reading is task:
                self.sheet, self.reading = sheet, None
                self.sheet_read.emit()

        def failed(error: Exception) -> None:
            if shiboken6.isValid(self) and self.reading is task:
                self.read_error, self.reading = messages.say(error), None
                self.sheet_read.emit()

        task.succeeded.connect(read)
        task.failed.connect(failed)
        self.reading = task.start()

    def done(self, result: int) -> None:
        """Closed (Finish, Cancel once nothing runs, or by the program): stop reading
        and checking in the background; their results would find no page."""
        if self.reading is not None:
            self.reading.cancel()
        if self.task is not None and self.currentPage() is not self.run_page:
            self.task.cancel()  # never the import: it ends, or is cancelled, on its page
        super().done(result)

    def reject(self) -> None:
        if self.reading is not None:
            self.reading.cancel()
        if self.task is not None:
            self.task.cancel()  # the page reports the cancel; the dialog stays until then
            return
        super().reject()
