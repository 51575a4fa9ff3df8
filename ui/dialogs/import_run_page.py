"""File > Import accessions, last step: the import itself, in one transaction off the
GUI thread, then its summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from genebank.progress import Progress
from genebank.services import passport_import
from genebank.services.passport_import import ImportSummary, OnExisting
from ui import operations
from ui.dialogs.sheet_wizard import ERROR_STYLE, WARNING_STYLE
from ui.operations import Changed
from ui.views import shown_numbers

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

EDITED_SHOWN = 20  # accession numbers named on the last page; the log lists every one


class RunPage(QWizardPage):
    """The import itself, in one transaction off the GUI thread; then its summary."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Import"))
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
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
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        self.done = False

    def initializePage(self) -> None:
        wizard = self.wizard_
        preview = wizard.preview
        assert preview is not None
        on_existing = wizard.options_page.on_existing()
        on_errors = wizard.options_page.on_errors()
        self.done = False
        # Cancel stops the import while it runs.
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.status.setText(self.tr("Importing… Cancel stops and keeps the database as it was."))

        def work(session: Session, progress: Progress) -> ImportSummary:
            return passport_import.apply_import(session, preview, on_existing=on_existing,
                                                on_errors=on_errors, progress=progress)

        write = operations.Write(wizard, wizard.session_factory, work,
                                 operation=self.tr("Importing accessions"),
                                 changes=Changed(accessions=True, imports=True),
                                 initiator=wizard)
        write.reporting(lambda done, total, _text: self.progress.setValue(
            done * 100 // max(total, 1)))
        write.success(self._finished)
        write.failure(lambda _text, error: self._stopped(
            self.tr("Cancelled. Nothing was imported; the database is as it was.")
            if isinstance(error, operations.CancelledByUser)
            else self.tr("Nothing was imported: {0}").format(_lowered(operations.message(error)))))
        wizard.run_task(write)

    def _finished(self, summary: ImportSummary) -> None:
        self.wizard_.summary = summary
        self.progress.setValue(100)
        self.status.setText(self.tr("Done: {0}. This summary is kept in File > Import log.")
                            .format(summary.line(shown_numbers.count)))
        self.details.setPlainText("\n".join([*summary.reasons, *summary.changes]))
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
        self.done = True
        self.wizard_.imported.emit(summary)
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _stopped(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(ERROR_STYLE)
        self.done = True
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _nothing_to_cancel(self) -> None:
        """The import is over (done, refused or cancelled): Cancel goes, Finish closes."""
        self.wizard_.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)

    def isComplete(self) -> bool:
        return self.done


def _lowered(sentence: str) -> str:
    """A sentence to follow a colon (the page says what was being done already)."""
    return sentence[:1].lower() + sentence[1:]
