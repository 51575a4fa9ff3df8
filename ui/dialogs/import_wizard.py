"""File > Import accessions: choose a file and sheet, match columns, check every row,
choose what to do with existing accessions and errors, then import in the background.

The first rows of the sheet are read at once, so the columns and the first checked rows
show without waiting; the whole sheet is read meanwhile (a 100,000-row workbook takes
seconds). Reading, checking and importing run off the GUI thread (ui.tasks) with progress;
Cancel during the import rolls everything back; a failed import (the database busy, a full
disk, a refusal) keeps nothing and offers Try again and Back. Each page's work is a core
function (``genebank.io`` and ``genebank.passport.passport_import``), so the wizard only
adapts.
Each page lives in a module of its own (``import_file_page`` ... ``import_run_page``); this
one holds the state they share.

For accessions that exist, the preview shows what an update would change, field by field
(old -> new), judged in the core on the record that would be stored; clearing stored values
for blank cells is a choice made on that page, and the rows are judged again when it changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard
from sqlalchemy.orm import Session, sessionmaker

from genebank.io import spreadsheet
from genebank.io.passport_preview import ImportPreview
from genebank.io.spreadsheet import Sheet
from genebank.passport.passport_import import ImportSummary
from ui import messages, operations
from ui.dialogs.import_file_page import FilePage
from ui.dialogs.import_mapping_page import FIRST_ROWS, MappingPage
from ui.dialogs.import_options_page import OptionsPage
from ui.dialogs.import_preview_page import PreviewPage
from ui.dialogs.import_run_page import RunPage
from ui.settings import Settings
from ui.tasks import Task

__all__ = ["FIRST_ROWS", "FilePage", "ImportWizard", "MappingPage", "OptionsPage",
           "PreviewPage", "RunPage"]


class ImportWizard(QWizard):
    """State shared by the pages: the file, its sheet data, the mapping, the preview."""

    imported = Signal(object)  # ImportSummary
    sheet_read = Signal()  # the whole sheet is in ``sheet``, or ``read_error`` says why not

    def __init__(self, session_factory: sessionmaker[Session], settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.settings = settings
        self.path: Path | None = None
        self.sheet_name: str | None = None
        self.encoding: str | None = None  # a text file's, when the person chose it
        self.top: Sheet | None = None  # the first rows, read at once
        self.sheet: Sheet | None = None  # every row, read in the background
        self.read_error: str | None = None
        self.reading: Task | None = None
        self.header_index = 0
        self.mapping: dict[int, str] = {}
        self.dates: str | None = None  # how the file writes 12/03/1998: "dmy", "mdy", or None
        self.preview: ImportPreview | None = None
        self.summary: ImportSummary | None = None
        self.task: Task | operations.Operation[Any] | None = None
        self.setWindowTitle(self.tr("Import accessions"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(960, 640)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.options_page = OptionsPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.options_page,
                     self.run_page):
            self.addPage(page)

    def run_task(self, task: Task | operations.Operation[Any]) \
            -> Task | operations.Operation[Any]:
        """Start ``task`` (a read of the file, or a check or the import through the
        runner), remembering it so that Cancel can stop it."""
        self.task = task
        if isinstance(task, Task):
            task.finished.connect(lambda: setattr(self, "task", None))
            return task.start()
        task.done.connect(lambda _ok: setattr(self, "task", None))
        return task.run()

    def forget_file(self) -> None:
        """Another file or sheet was chosen: what was read and checked no longer applies."""
        if self.reading is not None:
            self.reading.cancel()
        self.top = self.sheet = self.preview = self.reading = None
        self.read_error = None

    def read_whole_sheet(self) -> None:
        """Read every row in the background; ``sheet_read`` tells when it is there."""
        path, name, encoding = self.path, self.sheet_name, self.encoding
        task = Task(lambda _progress: spreadsheet.read_sheet(  # type: ignore[arg-type]
            path, name, encoding=encoding))

        def read(sheet: Sheet) -> None:
            if self.reading is task:
                self.sheet, self.reading = sheet, None
                self.sheet_read.emit()

        def failed(error: Exception) -> None:
            if self.reading is task:
                self.read_error, self.reading = messages.say(error), None
                self.sheet_read.emit()

        task.succeeded.connect(read)
        task.failed.connect(failed)
        self.reading = task.start()

    def reject(self) -> None:
        if self.reading is not None:
            self.reading.cancel()
        if self.task is not None:
            self.task.cancel()  # the page reports the cancel; the dialog stays until then
            return
        super().reject()

