"""Accession > Own institute codes…: the codes under which this gene bank holds its
accessions, shared by every workstation (``genebank.passport.own_institutes``).

With codes set, a passport import flags once the rows whose INSTCODE is another
institute's ("not held by you"); with none, nothing is flagged. The save runs through
:mod:`ui.operations`; a code that is not a WIEWS code is refused by the service and said
here, and nothing is changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.passport import own_institutes
from genebank.services.errors import ValidationFailed
from ui import messages, operations
from ui.dialogs.unsaved_changes import UnsavedChanges

ERROR_STYLE = "color: #b00020;"


class OwnInstitutesDialog(UnsavedChanges, QDialog):
    """Closing it with codes typed and not saved asks first, as every form does."""

    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.operation: operations.Write[own_institutes.OwnInstitutes] | None = None
        # opened from a menu greyed for who may not manage settings: never read-only here
        self.read_only_reason: str | None = None
        self.setWindowTitle(self.tr("Own institute codes"))
        self.resize(520, 220)
        layout = QVBoxLayout(self)
        note = QLabel(self.tr(
            "The FAO WIEWS codes under which this gene bank holds its accessions, for every "
            "workstation. An import then flags once the rows held by other institutes (a "
            "Genesys download of a crop brings every gene bank's accessions). Leave it empty "
            "to flag nothing."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.codes = QLineEdit(self)
        self.codes.setPlaceholderText(self.tr("e.g. KAZ001, KAZ002"))
        self.codes.setAccessibleName(self.tr("Own institute codes"))
        layout.addWidget(self.codes)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        stored = operations.read_now(session_factory, own_institutes.own_instcodes,
                                     operation=self.tr("Reading the own institute codes"))
        self.codes.setText(", ".join(stored))
        self._opened_as = self.codes.text()

    @property
    def is_modified(self) -> bool:
        return self.codes.text() != self._opened_as

    def save(self) -> operations.Write[own_institutes.OwnInstitutes] | None:
        """Store the codes typed (none: cleared); the dialog closes once they are saved and
        stays open, saying why, when they are refused."""
        if self.operation is not None:
            return self.operation
        codes = own_institutes.split_codes(self.codes.text())
        operation = operations.Write(
            self, self.session_factory,
            lambda session: own_institutes.set_own_instcodes(session, codes),
            operation=self.tr("Saving the own institute codes"),
            changes=operations.NOTHING, initiator=self)
        operation.busy(self.buttons).success(lambda _result: self.accept())
        operation.failure(self._refused)
        operation.done.connect(self._ended)
        self.operation = operation
        return operation.run()  # type: ignore[return-value]

    def _refused(self, text: str, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            text = "\n".join(messages.problem_text(p) for p in error.problems)
        self.message.setText(text)
        self.message.show()
        self.codes.setFocus()

    def _ended(self, _ok: bool) -> None:
        self.operation = None
