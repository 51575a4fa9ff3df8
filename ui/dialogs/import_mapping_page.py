"""File > Import accessions, second step: which column holds which MCPD descriptor,
judged from the sheet's first rows (read at once, so the columns show without waiting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from genebank import mcpd
from genebank.io import genesys_rows, headings, import_kinds, spreadsheet
from genebank.io.passport_preview import IDENTITY
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.mcpd import values
from ui import messages
from ui.dialogs.sheet_wizard import ERROR_STYLE, WARNING_STYLE, absent_note
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
    """Which column holds which descriptor, from the sheet's first rows."""

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
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 220)
        self.table.horizontalHeader().resizeSection(2, 300)
        layout.addWidget(self.table, 1)
        self.saved = SavedMappingsBar(self, wizard.session_factory,
                                      kind=lambda: import_kinds.PASSPORT,
                                      current=self.choices, apply=self.apply_choices,
                                      folder=lambda: wizard.settings.last_folder)
        layout.addWidget(self.saved)
        dates_row = QHBoxLayout()
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
        layout.addLayout(dates_row)
        # The saved mappings' status ("Applied…", "Exported…") goes below the Dates row, so
        # that it appearing never moves the rows a person is using.
        layout.addWidget(self.saved.take_status())
        self.message = QLabel(self)
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
        task = Task(lambda _progress: spreadsheet.read_sheet(  # type: ignore[arg-type]
            path, name, first_rows=FIRST_ROWS, encoding=encoding))
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self.message.setText(self.tr("Cancelled")))
        wizard.run_task(task)

    def _failed(self, error: Exception) -> None:
        self.progress.hide()
        self.message.setText(messages.say(error))
        self.completeChanged.emit()

    def _loaded(self, sheet: Sheet) -> None:
        wizard = self.wizard_
        wizard.top = sheet
        self.progress.hide()
        if not sheet.rows:
            self.message.setText(self.tr("The sheet '{0}' is empty.").format(sheet.name))
            self.completeChanged.emit()
            return
        if sheet.complete:
            wizard.sheet = sheet
        else:
            wizard.read_whole_sheet()
        wizard.header_index = headings.find_header_row(sheet.rows, headings.PASSPORT)
        self.headers = headers = sheet.rows[wizard.header_index]
        self._describe_rows()
        suggested = headings.suggest_mapping(headers, headings.PASSPORT)
        genesys_rows.genesys_columns([str(h or "") for h in headers], suggested)
        self.table.setRowCount(len(headers))
        self.combos = []
        samples = sheet.rows[wizard.header_index + 1:wizard.header_index + 4]
        for index, heading in enumerate(headers):
            title = f"{column_letter(index + 1)}: {heading if heading not in (None, '') else ''}"
            self.table.setItem(index, 0, QTableWidgetItem(title))
            values = [_shown(r[index]) for r in samples
                      if index < len(r) and r[index] not in (None, "")]
            self.table.setItem(index, 1, QTableWidgetItem(shown_values.joined(values)))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(not imported)"), None)
            for descriptor in mcpd.DESCRIPTORS:
                combo.addItem(f"{descriptor.code} – {descriptor.label}", descriptor.code)
            for code, label in self._genesys_fields():
                combo.addItem(f"{code} – {label}", code)
            combo.setCurrentIndex(max(combo.findData(suggested.get(index)), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self._changed()

    def _describe_rows(self) -> None:
        wizard = self.wizard_
        if wizard.top is None or not wizard.top.rows:
            return
        header_row = wizard.top.row_numbers[wizard.header_index]
        if wizard.sheet is not None:
            below = len(wizard.sheet.rows) - wizard.header_index - 1
            text = self.tr("Headings found on row {0}; {1} rows below it.").format(
                shown_numbers.count(header_row), shown_numbers.count(below))
        elif wizard.read_error is not None:
            text = wizard.read_error
        else:
            text = self.tr("Headings found on row {0}; reading the rest of the sheet…") \
                .format(shown_numbers.count(header_row))
        self.header_label.setText(text)

    def current_mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def _genesys_fields(self) -> list[tuple[str, str]]:
        """The Genesys columns beyond MCPD that the import reads (genebank.io.genesys_rows)."""
        return [(genesys_rows.FULLTAXA, self.tr("Full scientific name (Genesys), split when "
                                                "there is no genus column")),
                (genesys_rows.HISTORIC, self.tr("Historic: no longer held (Genesys)")),
                (genesys_rows.AVAILABLE, self.tr("Available for distribution (Genesys)"))]

    def _changed(self) -> None:
        mapping = self.current_mapping()
        codes = list(mapping.values())
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            self.message.setText(self.tr("Each descriptor can come from one column only: {0}")
                                 .format(", ".join(twice)))
        elif missing := [code for code in IDENTITY if code not in codes]:
            self.message.setText(self.tr("Choose the columns that hold: {0}.").format(
                self._named(missing)) + self._new_needs(codes))
        else:
            self.message.setText(self._new_needs(codes).strip())
        self.blocked = bool(twice) or any(code not in codes for code in IDENTITY)
        self.message.setStyleSheet(ERROR_STYLE if self.blocked else WARNING_STYLE)
        self.completeChanged.emit()

    @staticmethod
    def _named(codes: list[str]) -> str:
        return ", ".join(f"{mcpd.BY_CODE[code].label} ({code})" for code in codes)

    def _new_needs(self, codes: list[str]) -> str:
        """The descriptors a new accession needs that no column holds: the file can still
        update the accessions that exist, so this is said, not required."""
        absent = [code for code in mcpd.REQUIRED if code not in codes and code not in IDENTITY]
        if not absent:
            return ""
        return "\n" + self.tr("Without {0}, rows for new accessions are refused; "
                              "accessions that exist can be updated.").format(
            self._named(absent))

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.blocked

    def validatePage(self) -> bool:
        mapping = self.current_mapping()
        dates = self.dates_combo.currentData()
        if mapping != self.wizard_.mapping or dates != self.wizard_.dates:
            self.wizard_.mapping, self.wizard_.dates = mapping, dates
            self.wizard_.preview = None
        return True

    def choices(self) -> dict[str, str | None]:
        """The columns as chosen, to be saved: heading -> MCPD code (None: not imported)."""
        return import_kinds.choices_of(self.headers, self.current_mapping())

    def apply_choices(self, choices: dict[str, str | None]) -> str | None:
        """Set the columns a saved mapping names (the others stay as they are); say which
        of its headings this sheet lacks."""
        sheet = self.wizard_.top
        applied = import_kinds.apply_choices(self.headers, self.current_mapping(), choices,
                                             sheet=sheet.name if sheet else "")
        for index, combo in enumerate(self.combos):
            combo.setCurrentIndex(max(combo.findData(applied.mapping.get(index)), 0))
        return absent_note(self, applied.absent)
