"""File > Import accessions, fourth step: what to do with accessions that exist and
with rows that have errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from genebank.io.passport_preview import RowStatus
from genebank.passport.passport_import import OnErrors, OnExisting
from ui.views import shown_numbers

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard


class OptionsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose what to do"))
        layout = QVBoxLayout(self)
        self.existing_label = QLabel(self)
        layout.addWidget(self.existing_label)
        self.existing = QButtonGroup(self)
        for text, choice in ((self.tr("Skip them (keep what the database has)"),
                              OnExisting.SKIP),
                             (self.tr("Update them with the filled cells only"),
                              OnExisting.UPDATE),
                             (self.tr("Stop: import nothing"), OnExisting.STOP)):
            button = QRadioButton(text, self)
            button.setProperty("choice", choice.value)
            self.existing.addButton(button)
            layout.addWidget(button)
        self.existing.buttons()[0].setChecked(True)
        layout.addSpacing(12)
        self.errors_label = QLabel(self)
        layout.addWidget(self.errors_label)
        self.errors = QButtonGroup(self)
        for text, choice in ((self.tr("Import nothing until the file is corrected"),
                              OnErrors.IMPORT_NOTHING),
                             (self.tr("Skip those rows and import the others"),
                              OnErrors.SKIP_ROWS)):
            button = QRadioButton(text, self)
            button.setProperty("choice", choice.value)
            self.errors.addButton(button)
            layout.addWidget(button)
        self.errors.buttons()[0].setChecked(True)
        layout.addStretch(1)

    def initializePage(self) -> None:
        preview = self.wizard_.preview
        assert preview is not None
        existing, errors = preview.existing, preview.count(RowStatus.ERROR)
        self.existing_label.setText(
            self.tr("1 accession in the file exists already (same institute code and number):")
            if existing == 1 else
            self.tr("{0} accessions in the file exist already (same institute code and "
                    "number):").format(shown_numbers.count(existing)))
        self.errors_label.setText(self.tr("1 row has errors:") if errors == 1 else
                                  self.tr("{0} rows have errors:").format(
                                      shown_numbers.count(errors)))
        update = self.existing.buttons()[1]
        counts = [shown_numbers.count(n)
                  for n in (preview.changing, preview.unchanged, preview.cleared)]
        update.setText(
            self.tr("Update them with the filled cells, and clear values for blank cells "
                    "({0} to change, {1} unchanged, {2} cleared)").format(*counts)
            if preview.clear_blank else
            self.tr("Update them with the filled cells only ({0} to change, {1} unchanged)")
            .format(*counts[:2]))
        for button in self.existing.buttons():
            button.setEnabled(existing > 0)
        for button in self.errors.buttons():
            button.setEnabled(errors > 0)

    def on_existing(self) -> OnExisting:
        return OnExisting(self.existing.checkedButton().property("choice"))

    def on_errors(self) -> OnErrors:
        return OnErrors(self.errors.checkedButton().property("choice"))

