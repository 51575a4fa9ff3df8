"""What every "import from a spreadsheet" wizard shares after the passport import: the
wizard that runs its work off the GUI thread (Cancel stops it, the dialog stays until it has
stopped), the page that chooses a file and a sheet, the page that matches columns, and the
page that imports (the passport import's too), offering Try again and Back after a failure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.io import headings, import_kinds, sheet_choice, spreadsheet
from genebank.io.spreadsheet import Sheet
from genebank.progress import Progress
from ui import messages, operations
from ui.dialogs.text_encoding import TextEncodingBox, file_filter
from ui.tasks import Task
from ui.views import shown_numbers, shown_values
from ui.views.saved_mappings import SavedMappingsBar

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"
CSV_SHEET = "(CSV)"  # the one sheet of a text table


class SheetWizard(QWizard):
    imported = Signal(object)  # the import's result (with a line() summary)

    def __init__(self, session_factory: sessionmaker[Session], title: str,
                 last_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.last_folder = last_folder
        self.sheet: Sheet | None = None
        self.header_index = 0  # the row of the sheet's headings (title rows above it)
        self.mapping: dict[int, str] = {}
        self.task: Task | operations.Operation[Any] | None = None
        self.result: Any = None
        self.setWindowTitle(title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(900, 600)

    def run_task(self, task: Task | operations.Operation[Any]) -> Task | operations.Operation[Any]:
        """Start ``task`` (a read of the file, or the import through the runner),
        remembering it so that Cancel can stop it."""
        self.task = task
        if isinstance(task, Task):
            task.finished.connect(lambda: setattr(self, "task", None))
            return task.start()
        task.done.connect(lambda _ok: setattr(self, "task", None))
        return task.run()  # type: ignore[return-value]

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()  # the page says it was cancelled; the dialog stays till then
            return
        super().reject()


def preselect_best_sheet(page: QWizardPage, combo: QComboBox, path: Path,
                         names: Sequence[str], kinds: Sequence[str]) -> Task | None:
    """Read the first rows of each of the sheets ``names`` off the GUI thread and select
    in ``combo`` the one that suits an import of ``kinds`` best (the required headings,
    then the most headings matched), unless the person chose another file or sheet
    meanwhile or went on. A sheet that cannot be read is left to the reading to say."""
    if len(names) < 2 or not kinds:
        return None
    items = [combo.itemText(i) for i in range(combo.count())]
    before = combo.currentIndex()

    def chosen(fits: list[sheet_choice.SheetFit]) -> None:
        best = sheet_choice.best(fits)
        if best is None or not best.matched or not shiboken6.isValid(combo) \
                or [combo.itemText(i) for i in range(combo.count())] != items \
                or combo.currentIndex() != before or page.wizard().currentPage() is not page:
            return
        index = max(combo.findData(best.name), combo.findText(best.name))
        if index >= 0:
            combo.setCurrentIndex(index)

    task = Task(lambda _progress: sheet_choice.sheet_fits(path, kinds, names=names))
    task.succeeded.connect(chosen)
    return task.start()


class FilePage(QWizardPage):
    """A file and one of its visible sheets; ``form`` takes a page's own rows. ``kinds``
    (of :data:`genebank.io.import_kinds.KINDS`) are what the wizard imports: of several
    sheets, the one that suits them best is preselected."""

    def __init__(self, wizard: SheetWizard, title: str, subtitle: str,
                 kinds: Sequence[str] = ()) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.kinds = tuple(kinds)
        self.preselecting: Task | None = None
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout(self)
        self.file_row = QHBoxLayout()
        self.path = QLineEdit(self)
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        self.file_row.addWidget(self.path, 1)
        self.file_row.addWidget(browse)
        label = QLabel(self.tr("&File"), self)
        label.setBuddy(self.path)  # a row of widgets gets no buddy by itself: Alt+F
        self.form.addRow(label, self.file_row)
        self.sheets = QComboBox(self)
        self.form.addRow(self.tr("&Sheet"), self.sheets)
        self.encoding_box = TextEncodingBox(self)
        self.encoding_box.changed.connect(self.completeChanged)
        self.form.addRow(self.encoding_box)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.path.editingFinished.connect(self.load_sheets)
        self.reading: Task | None = None
        # this file, sheet and encoding are read: Next goes on
        self.read_for: tuple[Path, str, str | None] | None = None

    def add_error_row(self) -> None:
        """Put the message line last, after the page's own rows."""
        self.form.addRow(self.error)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.title(), self.wizard_.last_folder,
                                                file_filter())
        if chosen:
            self.path.setText(chosen)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheets.clear()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.clear()
        path = Path(self.path.text().strip())
        if not path.name:
            return
        self.encoding_box.clear()
        try:
            if spreadsheet.is_text_file(path):
                self.encoding_box.show_for(path)  # its encoding, or a choice of them
                names = [CSV_SHEET]
            else:
                names = [s.name for s in spreadsheet.list_sheets(path) if s.visible]
        except (spreadsheet.UnreadableFile, OSError) as error:
            self.error.setText(messages.say(error))
        else:
            self.sheets.addItems(names)
            if path.suffix.lower() != ".csv":
                self.preselecting = preselect_best_sheet(self, self.sheets, path, names,
                                                         self.kinds)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.sheets.count() > 0 and self.reading is None and self.encoding_box.ready()

    def validatePage(self) -> bool:
        """The sheet is read off the GUI thread; once it is in, the page moves on by itself."""
        chosen = (Path(self.path.text().strip()), self.sheets.currentText(),
                  self.encoding_box.encoding)
        if self.read_for == chosen:
            self.read_for = None
            return True
        if self.reading is None:
            self._read(*chosen)
        return False

    def _read(self, path: Path, name: str, encoding: str | None) -> None:
        self.error.setStyleSheet("")
        self.error.setText(self.tr("Reading '{0}'…").format(path.name))
        task = Task(lambda _progress: spreadsheet.read_sheet(
            path, None if name == CSV_SHEET else name, encoding=encoding))
        task.succeeded.connect(lambda sheet: self._sheet_read(path, name, encoding, sheet))
        task.failed.connect(self._read_failed)
        task.cancelled.connect(lambda: QWizard.reject(self.wizard_))  # Cancel while reading
        self.reading = self.wizard_.run_task(task)
        self.completeChanged.emit()

    def _sheet_read(self, path: Path, name: str, encoding: str | None, sheet: Sheet) -> None:
        self.reading = None
        self.completeChanged.emit()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.clear()
        if len(sheet.rows) < 2:
            self.error.setText(self.tr("'{0}', sheet '{1}' has no rows below its header")
                               .format(path.name, sheet.name))
            return
        self.wizard_.sheet = sheet
        self.wizard_.last_folder = str(path.parent)
        self.read_for = (path, name, encoding)
        self.wizard_.next()

    def _read_failed(self, error: Exception) -> None:
        self.reading = None
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(messages.say(error))
        self.completeChanged.emit()


class MappingPage(QWizardPage):
    """Each column with its first value and a choice of what it holds, and the mappings
    saved in the database for this kind of import.

    ``kind`` gives the kind of import (a key of ``genebank.io.headings``): its fields are
    the choices, the one heading matcher finds the headings' row (title rows above it are
    skipped) and suggests the matches, and its saved mappings are offered; ``problem`` says
    what is still wrong with a mapping (None when it can be used).
    """

    def __init__(self, wizard: SheetWizard, kind: Callable[[], str],
                 problem: Callable[[dict[int, str]], str | None]) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.kind, self.problem_of = kind, problem
        self.headers: list[object] = []
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("Each column of the sheet, with its first value and what it "
                                 "holds. Change any match, or ignore a column."))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("First value"),
                                              self.tr("Holds")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.saved = SavedMappingsBar(self, wizard.session_factory, kind=kind,
                                      current=self.choices, apply=self.apply_choices,
                                      folder=lambda: wizard.last_folder)
        layout.addWidget(self.saved)
        self.problem = QLabel(self)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        shown_values.follow_layout(self.problem)
        layout.addWidget(self.problem)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        sheet = self.wizard_.sheet
        assert sheet is not None
        self.saved.refresh()
        self.saved.status.clear()
        kind = self.kind()
        top = self.wizard_.header_index = headings.find_header_row(sheet.rows, kind)
        self.headers = headers = sheet.rows[top]
        below = sheet.rows[top + 1] if top + 1 < len(sheet.rows) else []
        suggested = headings.suggest_mapping(headers, kind)
        fields = [(f.code, f.label + ("*" if f.required else ""))
                  for f in headings.table(kind).fields if not f.extra]
        self.table.setRowCount(len(headers))
        self.combos = []
        for index, header in enumerate(headers):
            first = below[index] if index < len(below) else None
            shown = int(first) if isinstance(first, float) and first.is_integer() else first
            self.table.setItem(index, 0, QTableWidgetItem(
                f"{spreadsheet.column_letter(index + 1)}: {header if header is not None else ''}"))
            self.table.setItem(index, 1, QTableWidgetItem(shown_values.ltr(shown)))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(ignore)"), None)
            for code, label in fields:
                combo.addItem(label, code)
            combo.setCurrentIndex(max(0, combo.findData(suggested.get(index))))
            combo.currentIndexChanged.connect(lambda _i: self._changed())
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()
        self._changed()

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def choices(self) -> dict[str, str | None]:
        """The columns as chosen, to be saved: heading -> field (None: ignored)."""
        return import_kinds.choices_of(self.headers, self.mapping())

    def apply_choices(self, choices: dict[str, str | None]) -> str | None:
        """Set the columns a saved mapping names (the others stay as they are); say which
        of its headings this sheet lacks."""
        sheet = self.wizard_.sheet
        applied = import_kinds.apply_choices(self.headers, self.mapping(), choices,
                                             sheet=sheet.name if sheet else "")
        for index, combo in enumerate(self.combos):
            combo.setCurrentIndex(max(0, combo.findData(applied.mapping.get(index))))
        return absent_note(self, applied.absent)

    def _changed(self) -> None:
        mapping = self.mapping()
        chosen = list(mapping.values())
        twice = sorted({code for code in chosen if chosen.count(code) > 1})
        text = [self.problem_of(mapping) or ""]
        if twice:
            text.append(self.tr("Matched twice: {0}").format(", ".join(twice)))
        self.problem.setText("\n".join(t for t in text if t))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.problem.text()

    def validatePage(self) -> bool:
        self.wizard_.mapping = self.mapping()
        return True


def absent_note(page: QWidget, absent: Sequence[str]) -> str | None:
    """What to tell after applying a saved mapping whose headings the sheet partly lacks."""
    if not absent:
        return None
    return page.tr("Applied. Headings of this mapping not in this sheet: {0}").format(
        ", ".join(f"'{heading}'" for heading in absent[:10]) + ("…" if len(absent) > 10 else ""))


class RunPage(QWizardPage):
    """The import itself, in one transaction off the GUI thread, then its one-line result.

    ``work`` is built by the wizard when the import starts (it reads the choices of the pages
    before), as ``work(session, progress)``; it runs through :class:`ui.operations.Write`,
    which announces ``changes`` to the open windows. Cancel or a failure leaves the database
    as it was. A failure (the database busy, a full disk, a refusal) is said on the page with
    what to do: Try again writes the same rows with the same choices (the core judges them
    again as it writes), Back returns to the choices, Cancel closes. Nothing is chosen or
    read again, so a retry never means starting over."""

    def __init__(self, wizard: SheetWizard | ImportWizard,
                 work: Callable[[], Callable[[Session, Progress], Any]], *,
                 changes: operations.Changed, operation: str | None = None) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.make_work = work
        self.changes = changes
        self.operation = operation
        self.setTitle(self.tr("Import"))
        self.setFinalPage(True)
        self.layout_ = layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status, 1)
        self.done = False  # the import is over: done, failed or cancelled
        self.failed = False  # it failed: Try again and Back are offered
        wizard.customButtonClicked.connect(self._button_clicked)

    def initializePage(self) -> None:
        self.start()

    def start(self) -> None:
        """Run the import with the choices made on the pages before (again, after a
        failure: the same preview and choices)."""
        wizard = self.wizard_
        self.done = self.failed = False
        self._offer_retry(False)
        # Cancel stops the import while it runs.
        wizard.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Importing… Cancel stops and keeps the database as it was."))
        self.completeChanged.emit()
        write = operations.Write(wizard, wizard.session_factory, self.make_work(),
                                 operation=self.operation or wizard.windowTitle(),
                                 changes=self.changes, initiator=wizard, bulk=True)
        write.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        write.success(self._finished)
        write.failure(self._failed)
        wizard.run_task(write)

    def _finished(self, result: Any) -> None:
        self.wizard_.result = result
        self.progress.setValue(100)
        self.status.setText(self.tr("Done: {0}.").format(result.line(shown_numbers.count)))
        self._over(result)

    def _over(self, result: Any) -> None:
        """The import succeeded and its result is shown: only Finish is left."""
        self.done = True
        self.wizard_.imported.emit(result)
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _failed(self, text: str, error: BaseException) -> None:
        if isinstance(error, operations.CancelledByUser):
            self._stopped(self.tr("Cancelled. Nothing was imported; the database is as it was."))
            return
        self.failed = True
        self._stopped(self.tr("Nothing was imported: {0}").format(self._reason(text)) + "\n\n"
                      + self.retry_hint())
        self._offer_retry(True)

    def retry_hint(self) -> str:
        """What the buttons offered after a failure do."""
        return self.tr("Try again to import the same rows with the same choices, or go Back "
                       "to change your choices.")

    def _reason(self, text: str) -> str:
        """The runner's message to follow "Nothing was imported:" as one sentence: without
        the operation that leads some messages (the page says what was being done)."""
        for lead in {self.operation or "", self.wizard_.windowTitle()} - {""}:
            if text.lower().startswith(f"{lead.lower()}: "):
                text = text[len(lead) + 2:]
        text = text[:1].lower() + text[1:]
        return text if text.endswith((".", "!", "?")) else text + "."

    def _stopped(self, message: str) -> None:
        self.progress.hide()  # nothing was imported: no share of it to show
        self.status.setText(message)
        self.status.setStyleSheet(ERROR_STYLE)
        self.done = True
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _nothing_to_cancel(self) -> None:
        """The import is over: done or cancelled, Cancel goes and Finish closes; failed,
        Cancel stays to close the wizard (Finish would claim an import that did not
        happen)."""
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, not self.failed)

    def _offer_retry(self, offered: bool) -> None:
        """Show or hide Try again and Back (after a failure only: while the import runs
        there is no going back, and after it succeeded nothing to go back to)."""
        wizard = self.wizard_
        wizard.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("&Try again"))
        wizard.setOption(QWizard.WizardOption.HaveCustomButton1, offered)
        wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, not offered)

    def _button_clicked(self, which: int) -> None:
        if (which == QWizard.WizardButton.CustomButton1.value and self.failed
                and self.wizard_.currentPage() is self and self.wizard_.task is None):
            self.start()

    def cleanupPage(self) -> None:
        """Back after a failure: the choices are changed, then Next imports again."""
        self.done = self.failed = False
        self._offer_retry(False)
        super().cleanupPage()

    def isComplete(self) -> bool:
        return self.done and not self.failed
