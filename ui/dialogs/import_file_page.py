"""File > Import accessions, first step: the file and the sheet to import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWizardPage,
)

from genebank.io import import_kinds, spreadsheet
from ui import messages
from ui.dialogs.sheet_wizard import ERROR_STYLE, preselect_best_sheet
from ui.dialogs.text_encoding import TextEncodingBox, file_filter
from ui.tasks import Task

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(self.tr("An MCPD spreadsheet (.xlsx, .xlsm, .xls, .ods) or a text "
                                 "table (.csv, .tsv, .txt). Nothing is written until the last "
                                 "step."))
        layout = QFormLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path")
        self.path_edit.setPlaceholderText(self.tr("The file to import"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addRow(self.tr("File:"), row)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("sheet")
        layout.addRow(self.tr("Sheet:"), self.sheet_combo)
        self.encoding_box = TextEncodingBox(self)
        self.encoding_box.changed.connect(self.completeChanged)
        layout.addRow(self.encoding_box)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addRow(self.message)
        self.preselecting: Task | None = None
        self.path_edit.editingFinished.connect(self.load_sheets)
        self.sheet_combo.currentIndexChanged.connect(self.completeChanged)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import accessions"),
                                              self.wizard_.settings.last_folder, file_filter())
        if path:
            self.path_edit.setText(path)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheet_combo.clear()
        self.message.clear()
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text)
        self.encoding_box.clear()
        try:
            if spreadsheet.is_text_file(path):
                self.encoding_box.show_for(path)  # its encoding, or a choice of them
                sheets = [spreadsheet.SheetInfo(path.stem, True)]
            else:
                sheets = spreadsheet.list_sheets(path)
        except spreadsheet.UnreadableFile as error:
            self.message.setText(messages.say(error))
        else:
            for sheet in sheets:
                label = sheet.name if sheet.visible else self.tr("{0} (hidden)").format(sheet.name)
                self.sheet_combo.addItem(label, sheet.name)
            first_visible = next((i for i, s in enumerate(sheets) if s.visible), 0)
            self.sheet_combo.setCurrentIndex(first_visible)
            self.wizard_.settings.last_folder = str(path.parent)
            if path.suffix.lower() != ".csv":  # of several sheets, the passport data's
                self.preselecting = preselect_best_sheet(
                    self, self.sheet_combo, path, [s.name for s in sheets if s.visible],
                    [import_kinds.PASSPORT])
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.sheet_combo.count() > 0 and not self.message.text() \
            and self.encoding_box.ready()

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip())
        sheet = self.sheet_combo.currentData()
        encoding = self.encoding_box.encoding
        wizard = self.wizard_
        if (path, sheet, encoding) != (wizard.path, wizard.sheet_name, wizard.encoding):
            wizard.forget_file()  # read again, and check again
            wizard.path, wizard.sheet_name, wizard.encoding = path, sheet, encoding
        return True

