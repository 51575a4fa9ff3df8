"""File > Import accessions, second step: which column holds which MCPD descriptor,
judged from the sheet's first rows (read at once, so the columns show without waiting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from genebank import mcpd
from genebank.io import genesys_rows, spreadsheet
from genebank.io.column_mapping import find_header_row, suggest_mapping
from genebank.io.spreadsheet import Sheet, column_letter
from ui import messages
from ui.dialogs.sheet_wizard import ERROR_STYLE
from ui.tasks import Task
from ui.views import shown_numbers

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
        self.header_label = QLabel(self)
        layout.addWidget(self.header_label)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("mapping")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Column heading"), self.tr("First values"), self.tr("Imports as")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 220)
        self.table.horizontalHeader().resizeSection(2, 300)
        layout.addWidget(self.table, 1)
        saved_row = QHBoxLayout()
        self.saved_combo = QComboBox(self)
        self.saved_combo.activated.connect(self.apply_saved)
        save_button = QPushButton(self.tr("Save this mapping…"), self)
        save_button.clicked.connect(self.save_mapping)
        saved_row.addWidget(QLabel(self.tr("Saved mappings:"), self))
        saved_row.addWidget(self.saved_combo, 1)
        saved_row.addWidget(save_button)
        layout.addLayout(saved_row)
        self.message = QLabel(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.combos: list[QComboBox] = []
        wizard.sheet_read.connect(self._describe_rows)

    def initializePage(self) -> None:
        wizard = self.wizard_
        self._fill_saved()
        if wizard.top is not None:
            return
        self.table.setRowCount(0)
        self.combos = []  # Next stays disabled until this file's columns are shown
        self.header_label.clear()
        self.message.clear()
        self.completeChanged.emit()
        self.progress.show()
        self.progress.setRange(0, 0)
        path, name = wizard.path, wizard.sheet_name
        task = Task(lambda _progress: spreadsheet.read_sheet(  # type: ignore[arg-type]
            path, name, first_rows=FIRST_ROWS))
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
        wizard.header_index = find_header_row(sheet.rows)
        headers = sheet.rows[wizard.header_index]
        self._describe_rows()
        suggested = suggest_mapping(headers)
        genesys_rows.genesys_columns([str(h or "") for h in headers], suggested)
        self.table.setRowCount(len(headers))
        self.combos = []
        samples = sheet.rows[wizard.header_index + 1:wizard.header_index + 4]
        for index, heading in enumerate(headers):
            title = f"{column_letter(index + 1)}: {heading if heading not in (None, '') else ''}"
            self.table.setItem(index, 0, QTableWidgetItem(title))
            values = [_shown(r[index]) for r in samples
                      if index < len(r) and r[index] not in (None, "")]
            self.table.setItem(index, 1, QTableWidgetItem(" | ".join(values)))
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
            text = self.tr("Headings found on row {0}; {1} rows below it.").format(
                header_row, shown_numbers.count(len(wizard.sheet.rows) - wizard.header_index - 1))
        elif wizard.read_error is not None:
            text = wizard.read_error
        else:
            text = self.tr("Headings found on row {0}; reading the rest of the sheet…") \
                .format(header_row)
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
        elif "ACCENUMB" not in codes:
            self.message.setText(self.tr("Choose the column that holds the accession number "
                                         "(ACCENUMB)."))
        else:
            self.message.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.message.text()

    def validatePage(self) -> bool:
        mapping = self.current_mapping()
        if mapping != self.wizard_.mapping:
            self.wizard_.mapping = mapping
            self.wizard_.preview = None
        return True

    def _fill_saved(self) -> None:
        self.saved_combo.clear()
        self.saved_combo.addItem(self.tr("(choose one to apply)"), None)
        for name in sorted(self.wizard_.settings.saved_mappings):
            self.saved_combo.addItem(name, name)

    def apply_saved(self) -> None:
        name = self.saved_combo.currentData()
        saved = self.wizard_.settings.saved_mappings.get(name or "", {})
        for row, combo in enumerate(self.combos):
            heading = self.table.item(row, 0).text().split(": ", 1)[-1]
            if heading in saved:
                combo.setCurrentIndex(max(combo.findData(saved[heading]), 0))

    def save_mapping(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save mapping"),
                                        self.tr("Name for this column mapping:"))
        if ok and name.strip():
            mapping = {self.table.item(i, 0).text().split(": ", 1)[-1]: code
                       for i, code in self.current_mapping().items()}
            self.wizard_.settings.save_mapping(name.strip(), mapping)
            self._fill_saved()

