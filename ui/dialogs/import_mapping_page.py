"""The import wizard's second page: which column holds which field, judged from the sheet's
first rows (read at once when the file page says so, so the columns show without waiting
for a large sheet). The headings' row is found below any title rows by the one matcher
(:func:`genebank.io.headings.find_header_row`), which also suggests each column's field;
the mappings saved in the database for this kind are offered, and what the mapping still
lacks is said (Next waits for what the import cannot do without)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from genebank.io import headings, import_kinds, spreadsheet
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.mcpd import values
from ui import messages
from ui.dialogs.import_kind_views import ERROR_STYLE, WARNING_STYLE, absent_note
from ui.tasks import Task
from ui.views import shown_numbers, shown_values
from ui.views.saved_mappings import SavedMappingsBar

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

FIRST_ROWS = 200  # read at once for the column matching and the first page of checked rows


def _shown(value: object) -> str:
    """A cell as a person reads it: 300, not 300.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class MappingPage(QWizardPage):
    """Which column holds which field, from the sheet's first rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("Columns were matched by their headings. Change any match, "
                                 "or choose '(not imported)' to leave a column out."))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.header_label = shown_values.follow_layout(QLabel(self))
        layout.addWidget(self.header_label)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("mapping")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Column heading"), self.tr("First values"), self.tr("Imports as")])
        # The field's words take the room left: "HISTORIC – Historic: no longer held
        # (Genesys)" is read whole; the first values are samples and may be cut.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 200)
        header.resizeSection(1, 290)
        layout.addWidget(self.table, 1)
        self.saved = SavedMappingsBar(self, wizard.session_factory,
                                      kind=lambda: wizard.kind,
                                      current=self.choices, apply=self.apply_choices,
                                      folder=lambda: wizard.last_folder,
                                      dates=self._dates_chosen, set_dates=self._choose_dates)
        layout.addWidget(self.saved)
        self.dates_row = QWidget(self)
        dates_row = QHBoxLayout(self.dates_row)
        dates_row.setContentsMargins(0, 0, 0, 0)
        self.dates_combo = QComboBox(self)
        self.dates_combo.setObjectName("dates")
        self.dates_combo.addItem(self.tr("Read only when clear, as 25/03/1998 (a part above "
                                         "12 is the day)"), None)
        self.dates_combo.addItem(self.tr("Day first: 12/03/1998 is 12 March 1998"),
                                 values.DAY_FIRST)
        self.dates_combo.addItem(self.tr("Month first: 12/03/1998 is 3 December 1998"),
                                 values.MONTH_FIRST)
        dates_label = QLabel(self.tr("&Dates such as 12/03/1998:"), self)
        dates_label.setBuddy(self.dates_combo)
        dates_row.addWidget(dates_label)
        dates_row.addWidget(self.dates_combo, 1)
        layout.addWidget(self.dates_row)
        # The saved mappings' status ("Applied…", "Exported…") goes below the Dates row, so
        # that it appearing never moves the rows a person is using.
        layout.addWidget(self.saved.take_status())
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        shown_values.follow_layout(self.message)
        layout.addWidget(self.message)
        self.combos: list[QComboBox] = []
        self.blocked = True  # Next waits for the columns, and for a mapping that can be used
        self.headers: list[object] = []
        wizard.sheet_read.connect(self._describe_rows)

    def initializePage(self) -> None:
        wizard = self.wizard_
        self.saved.refresh()
        self.dates_row.setVisible(wizard.view.uses_dates())
        if wizard.top is not None:
            return
        self.table.setRowCount(0)
        self.combos = []  # Next stays disabled until this file's columns are shown
        self.headers = []
        self.saved.status.clear()
        self.header_label.clear()
        self.message.clear()
        self.completeChanged.emit()
        self.progress.show()
        self.progress.setRange(0, 0)
        path, name, encoding = wizard.path, wizard.sheet_name, wizard.encoding
        first_rows = FIRST_ROWS if wizard.first_rows else None
        task = Task(lambda _progress: spreadsheet.read_sheet(  # type: ignore[arg-type]
            path, name, first_rows=first_rows, encoding=encoding))
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)
        # Cancel while reading closes the wizard, once the reading has stopped.
        task.cancelled.connect(lambda: QWizard.reject(wizard))
        wizard.run_task(task)

    def _failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return  # the wizard was closed while the file was read
        self.progress.hide()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(messages.say(error))
        self.completeChanged.emit()

    def _loaded(self, sheet: Sheet) -> None:
        if not shiboken6.isValid(self):
            return  # the wizard was closed while the file was read
        wizard = self.wizard_
        self.progress.hide()
        if not sheet.rows:
            self.message.setText(self.tr("The sheet '{0}' is empty.").format(sheet.name))
            self.completeChanged.emit()
            return
        if sheet.complete and len(sheet.rows) - headings.find_header_row(
                sheet.rows, wizard.kind) < 2:
            self.message.setText(self.tr("'{0}', sheet '{1}' has no rows below its header")
                                 .format(wizard.path.name if wizard.path else "", sheet.name))
            self.completeChanged.emit()
            return
        wizard.top = sheet
        if sheet.complete:
            wizard.sheet = sheet
        else:
            wizard.read_whole_sheet()
        view = wizard.view
        wizard.header_index = headings.find_header_row(sheet.rows, wizard.kind)
        self.headers = headers = sheet.rows[wizard.header_index]
        self._describe_rows()
        suggested = view.suggest(headers)
        fields = view.fields()
        self.table.setRowCount(len(headers))
        self.combos = []
        samples = sheet.rows[wizard.header_index + 1:wizard.header_index + 4]
        for index, heading in enumerate(headers):
            title = f"{column_letter(index + 1)}: {heading if heading not in (None, '') else ''}"
            self.table.setItem(index, 0, QTableWidgetItem(title))
            found = [_shown(r[index]) for r in samples
                     if index < len(r) and r[index] not in (None, "")]
            self.table.setItem(index, 1, QTableWidgetItem(shown_values.joined(found)))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(not imported)"), None)
            for code, label in fields:
                combo.addItem(label, code)
            combo.setCurrentIndex(max(combo.findData(suggested.get(index)), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self._changed()

    def _describe_rows(self) -> None:
        if not shiboken6.isValid(self):
            return
        wizard = self.wizard_
        if wizard.top is None or not wizard.top.rows:
            return
        header_row = wizard.top.row_numbers[wizard.header_index]
        if wizard.sheet is not None:
            below = len(wizard.sheet.rows) - wizard.header_index - 1
            text = self.tr("Headings found on row {0}; {1} rows below it.").format(
                shown_values.isolated(shown_numbers.count(header_row)),
                shown_values.isolated(shown_numbers.count(below)))
        elif wizard.read_error is not None:
            text = wizard.read_error
        else:
            text = self.tr("Headings found on row {0}; reading the rest of the sheet…") \
                .format(shown_values.isolated(shown_numbers.count(header_row)))
        self.header_label.setText(text)

    def current_mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    mapping = current_mapping

    def _dates_chosen(self) -> str | None:
        """The date order chosen ("dmy", "mdy"; None: read only when clear)."""
        return self.dates_combo.currentData() if self.wizard_.view.uses_dates() else None

    def _choose_dates(self, dates: str) -> None:
        """A saved mapping's date order, chosen for the person (they may change it)."""
        if self.wizard_.view.uses_dates() and (found := self.dates_combo.findData(dates)) >= 0:
            self.dates_combo.setCurrentIndex(found)

    def choices(self) -> dict[str, str | None]:
        """The columns as chosen, to be saved: heading -> field (None: not imported)."""
        return import_kinds.choices_of(self.headers, self.current_mapping())

    def apply_choices(self, choices: dict[str, str | None]) -> str | None:
        """Set the columns a saved mapping names (the others stay as they are); say which
        of its headings this sheet lacks."""
        sheet = self.wizard_.top
        applied = import_kinds.apply_choices(self.headers, self.current_mapping(), choices,
                                             sheet=sheet.name if sheet else "")
        for index, combo in enumerate(self.combos):
            combo.setCurrentIndex(max(0, combo.findData(applied.mapping.get(index))))
        return absent_note(self, applied.absent)

    def _changed(self) -> None:
        mapping = self.current_mapping()
        codes = list(mapping.values())
        twice = sorted({c for c in codes if codes.count(c) > 1})
        needed, blocking = self.wizard_.view.still_needed(mapping, self.headers)
        text = [self.tr("Matched twice (each field can come from one column only): {0}")
                .format(", ".join(twice))] if twice else []
        self.message.setText("\n".join([*text, needed]).strip())
        self.blocked = bool(twice) or blocking
        self.message.setStyleSheet(ERROR_STYLE if self.blocked else WARNING_STYLE)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.blocked

    def validatePage(self) -> bool:
        wizard = self.wizard_
        mapping = self.current_mapping()
        dates = self._dates_chosen()
        if mapping != wizard.mapping or dates != wizard.dates:
            wizard.mapping, wizard.dates = mapping, dates
            wizard.report = None  # check again
        return True
