"""File > Import accessions, last step: the import itself, in one transaction off the
GUI thread, then its summary; after a failure, Try again and Back
(:class:`ui.dialogs.sheet_wizard.RunPage`, shared with the other sheet imports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit
from sqlalchemy.orm import Session

from genebank.passport import passport_import
from genebank.passport.passport_import import ImportSummary, OnExisting
from genebank.progress import Progress
from ui.dialogs import sheet_wizard
from ui.dialogs.sheet_wizard import WARNING_STYLE
from ui.operations import Changed
from ui.views import shown_numbers

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

EDITED_SHOWN = 20  # accession numbers named on the last page; the log lists every one


class RunPage(sheet_wizard.RunPage):
    """The import with the choices made, then its summary: the counts, each accession
    someone else edited or added after the preview, and every change and skipped row."""

    wizard_: ImportWizard

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, self._work, changes=Changed(accessions=True, imports=True),
                         operation=QCoreApplication.translate("RunPage", "Importing accessions"))
        layout = self.layout_
        layout.setStretchFactor(self.status, 0)
        # Accessions someone else edited after the preview: left as they are, named here.
        self.edited = QLabel(self)
        self.edited.setObjectName("edited_meanwhile")
        self.edited.setWordWrap(True)
        self.edited.setStyleSheet(WARNING_STYLE)
        self.edited.hide()
        layout.addWidget(self.edited)
        # Accessions someone else added after the preview: not created twice, not updated.
        self.added = QLabel(self)
        self.added.setObjectName("added_meanwhile")
        self.added.setWordWrap(True)
        self.added.setStyleSheet(WARNING_STYLE)
        self.added.hide()
        layout.addWidget(self.added)
        self.details = QPlainTextEdit(self)  # each change and skipped row, once imported
        self.details.setReadOnly(True)
        self.details.hide()
        layout.addWidget(self.details, 1)
        layout.addStretch(0)  # the words stay at the top while the details are hidden

    def retry_hint(self) -> str:
        return self.tr("Try again to import the same rows with the same choices (each row is "
                       "checked again as it is written), or go Back to change your choices.")

    def _work(self) -> Callable[[Session, Progress], ImportSummary]:
        """The import of the checked rows with the choices on the options page. The preview
        is not changed by it, so Try again writes the very same rows."""
        wizard = self.wizard_
        preview = wizard.preview
        assert preview is not None
        on_existing = wizard.options_page.on_existing()
        on_errors = wizard.options_page.on_errors()

        def work(session: Session, progress: Progress) -> ImportSummary:
            return passport_import.apply_import(session, preview, on_existing=on_existing,
                                                on_errors=on_errors, progress=progress)
        return work

    def start(self) -> None:
        self.edited.hide()
        self.added.hide()
        self.details.clear()
        self.details.hide()
        super().start()

    def _finished(self, summary: ImportSummary) -> None:
        self.wizard_.summary = summary
        self.progress.setValue(100)
        self.status.setText(self.tr("Done: {0}. This summary is kept in File > Import log.")
                            .format(summary.line(shown_numbers.count)))
        self.details.setPlainText("\n".join([*summary.reasons, *summary.changes]))
        self.details.show()
        edited = summary.edited_meanwhile
        if edited:
            shown = ", ".join(edited[:EDITED_SHOWN]) + (", …" if len(edited) > EDITED_SHOWN
                                                         else "")
            self.edited.setText(self.tr(
                "1 accession was edited by someone else after the preview and was not "
                "updated: {0}. That edit is kept; check the file again to update it.")
                .format(shown) if len(edited) == 1 else self.tr(
                "{0} accessions were edited by someone else after the preview and were not "
                "updated: {1}. Their edits are kept; check the file again to update them.")
                .format(shown_numbers.count(len(edited)), shown))
        self.edited.setVisible(bool(edited))
        added = summary.added_meanwhile
        if added:
            shown = ", ".join(added[:EDITED_SHOWN]) + (", …" if len(added) > EDITED_SHOWN
                                                       else "")
            updating = self.wizard_.options_page.on_existing() is OnExisting.UPDATE
            if updating:
                text = self.tr(
                    "1 accession was added by someone else after the preview and was not "
                    "updated: {0}. That record is kept; check the file again to update it."
                ).format(shown) if len(added) == 1 else self.tr(
                    "{0} accessions were added by someone else after the preview and were "
                    "not updated: {1}. Their records are kept; check the file again to "
                    "update them.").format(shown_numbers.count(len(added)), shown)
            else:
                text = self.tr(
                    "1 accession was added by someone else after the preview and was "
                    "skipped as existing: {0}.").format(shown) if len(added) == 1 else self.tr(
                    "{0} accessions were added by someone else after the preview and were "
                    "skipped as existing: {1}.").format(shown_numbers.count(len(added)), shown)
            self.added.setText(text)
        self.added.setVisible(bool(added))
        self._over(summary)
