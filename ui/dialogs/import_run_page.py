"""The import wizard's last page: the import itself (``genebank.imports.kind(k).apply``), in
one transaction off the GUI thread through :class:`ui.operations.Write`, then its summary.

Cancel or a failure leaves the database as it was. A failure (the database busy, a full
disk, a refusal) is said on the page with what to do: Try again writes the same rows with
the same choices (the core judges them again as it writes), Back returns to the choices,
Cancel closes. Nothing is chosen or read again, so a retry never means starting over."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from genebank import imports
from genebank.progress import Progress
from ui import messages, operations
from ui.dialogs.import_kind_views import ERROR_STYLE, WARNING_STYLE

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard


class RunPage(QWizardPage):
    """The import with the choices made, then its summary: the counts, and for passport
    data each accession someone else edited or added after the check, and every change and
    skipped row."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Import"))
        self.setFinalPage(True)
        self.layout_ = layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        # Records someone else edited or added after the check: left as they are, named here.
        self.edited = self._note("edited_meanwhile")
        self.added = self._note("added_meanwhile")
        self.details = QPlainTextEdit(self)  # each change and skipped row, once imported
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.hide()
        layout.addWidget(self.details, 1)
        layout.addStretch(0)  # the words stay at the top while the details are hidden
        self.done = False  # the import is over: done, failed or cancelled
        self.failed = False  # it failed: Try again and Back are offered
        wizard.customButtonClicked.connect(self._button_clicked)

    def _note(self, name: str) -> QLabel:
        note = QLabel(self)
        note.setObjectName(name)
        note.setWordWrap(True)
        note.setStyleSheet(WARNING_STYLE)
        note.hide()
        self.layout_.addWidget(note)
        return note

    def initializePage(self) -> None:
        self.start()

    def start(self) -> None:
        """Run the import with the choices made on the pages before (again, after a
        failure: the same checked rows and choices)."""
        wizard = self.wizard_
        report, options = wizard.report, wizard.options_page.options()
        assert report is not None
        apply = imports.kind(report.kind).apply
        self.done = self.failed = False
        for widget in (self.edited, self.added, self.details):
            widget.hide()
        self.details.clear()
        self._offer_retry(False)
        # Cancel stops the import while it runs.
        wizard.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Importing… Cancel stops and keeps the database as it was."))
        self.completeChanged.emit()

        def work(session: Session, progress: Progress) -> imports.ApplyResult:
            return apply(session, report, options, progress)

        write = operations.Write(wizard, wizard.session_factory, work,
                                 operation=wizard.view.operation(),
                                 changes=wizard.view.changes, initiator=wizard, bulk=True)
        write.reporting(lambda done, total, _text: shiboken6.isValid(self)
                        and self.progress.setValue(done * 100 // max(total, 1)))
        write.success(self._finished)
        write.failure(self._failed)
        wizard.run_task(write)

    def _finished(self, result: imports.ApplyResult) -> None:
        wizard, view = self.wizard_, self.wizard_.view
        wizard.outcome = result.detail
        self.progress.setValue(100)
        self.status.setText(view.summary(wizard, result))
        details = view.summary_details(result)
        self.details.setPlainText(details)
        self.details.setVisible(bool(details))
        edited, added = view.meanwhile(wizard, result)
        for note, text in ((self.edited, edited), (self.added, added)):
            note.setText(text)
            note.setVisible(bool(text))
        self.done = True
        wizard.imported.emit(result.detail)
        self._nothing_to_cancel()
        self.completeChanged.emit()

    def _failed(self, text: str, error: BaseException) -> None:
        if isinstance(error, operations.CancelledByUser):
            self._stopped(self.tr("Cancelled. Nothing was imported; the database is as it was."))
            return
        self.failed = True
        retry = messages.retry_helps(error)  # not for who may not: trying again cannot mend
        self._stopped(self.tr("Nothing was imported: {0}").format(self._reason(text, error))
                      + ("\n\n" + self.wizard_.view.retry_hint() if retry else ""))
        self._offer_retry(retry)

    def _reason(self, text: str, error: BaseException | None = None) -> str:
        """The runner's message to follow "Nothing was imported:" as one sentence: without
        the operation that leads some messages (the page says what was being done)."""
        for lead in {self.wizard_.view.operation(), self.wizard_.windowTitle()} - {""}:
            if text.lower().startswith(f"{lead.lower()}: "):
                text = text[len(lead) + 2:]
        if not messages.led_by_name(text, error):  # "ольга…" would be another person
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
