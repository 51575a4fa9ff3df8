"""The import wizard's fourth page: what to do with rows that have errors (every kind),
and the kind's own choices (passport data: accessions that exist; participants: likely
duplicates and enrolling everyone in the course), gathered into
:class:`genebank.imports.ImportOptions`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWizardPage

from genebank import imports
from genebank.passport.passport_import import OnExisting
from ui.views import shown_numbers

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard


class OptionsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose what to do"))
        self.setSubTitle(self.tr("Nothing is written yet. Next imports with these choices in "
                                 "one go; Cancel while it runs keeps the database as it was."))
        layout = QVBoxLayout(self)
        # Each kind's own choices, shown for the kind chosen.
        self.kind_widgets = {kind: view.add_options(self) for kind, view in wizard.views.items()}
        for widgets in self.kind_widgets.values():
            for widget in widgets:
                layout.addWidget(widget)
            if widgets:
                layout.addSpacing(12)
        self.errors_label = QLabel(self)
        layout.addWidget(self.errors_label)
        self.errors = QButtonGroup(self)
        for text, skip in ((self.tr("Import nothing until the file is corrected"), False),
                           (self.tr("Skip those rows and import the others"), True)):
            button = QRadioButton(text, self)
            button.setProperty("skip", skip)
            self.errors.addButton(button)
            layout.addWidget(button)
        self.errors.buttons()[0].setChecked(True)
        # No row has errors: the choice about them is hidden and the page says instead
        # what Next will do.
        self.outcome = QLabel(self)
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        layout.addStretch(1)

    @property
    def existing(self) -> QButtonGroup:
        """Passport data: the choice for accessions that exist."""
        return self.wizard_.views[self.wizard_.kind].existing  # type: ignore[attr-defined]

    def on_existing(self) -> OnExisting:
        return self.wizard_.views[self.wizard_.kind].on_existing()  # type: ignore[attr-defined]

    def initializePage(self) -> None:
        wizard = self.wizard_
        report = wizard.report
        assert report is not None
        for kind, widgets in self.kind_widgets.items():
            for widget in widgets:
                widget.setVisible(kind == wizard.kind)
        wizard.view.show_options(wizard, report)
        errors = report.errors
        self.errors_label.setText(self.tr("1 row has errors:") if errors == 1 else
                                  self.tr("{0} rows have errors:").format(
                                      shown_numbers.count(errors)))
        for widget in (self.errors_label, *self.errors.buttons()):
            widget.setVisible(errors > 0)
        self.outcome.setVisible(errors == 0)
        self.outcome.setText(self.tr("{0}; nothing is written until Next.").format(
            wizard.view.outcome(report)) if errors == 0 else "")

    def skip_invalid(self) -> bool:
        return bool(self.errors.checkedButton().property("skip"))

    def options(self) -> imports.ImportOptions:
        """Every choice made on the pages, for the import."""
        wizard = self.wizard_
        return wizard.options(skip_invalid=self.skip_invalid(), **wizard.view.options(wizard))
