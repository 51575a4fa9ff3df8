"""The one way a form of a record asks before typing is lost: Cancel, Escape and the
window's close button, after something was typed, ask "Save them?" (Save, Discard, Cancel);
with nothing typed the form closes at once; a read-only form (a person without the right)
never asks, since nothing in it can be saved. A save under way is waited for: it commits or
fails whole.

A mixin placed before ``QDialog`` (the accession form, every
:class:`~ui.dialogs.record_dialog.RecordDialog`). The form provides ``is_modified`` (what is
shown differs from what was opened), ``read_only_reason`` (None when the person may save),
``operation`` (the save running, or None) and ``save()`` (closes the form once saved, keeps
it open with the typing when refused).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

CONTEXT = "UnsavedChanges"


class UnsavedChanges:
    """Asks before a form with unsaved typing closes (see the module)."""

    is_modified: bool
    read_only_reason: str | None
    operation: Any

    def save(self) -> Any:
        raise NotImplementedError

    def save_and_close(self) -> Any:
        """The question's Save: save, the form closing once saved and staying open with the
        typing when refused. A form whose own Save closes it (the default) just saves; one
        whose Save keeps it open (Conservation > Rules) closes itself after it."""
        return self.save()

    def unsaved_question(self) -> str:
        """The question asked; a form may name its record ("This accession…")."""
        return QCoreApplication.translate(
            CONTEXT, "This form has changes that are not saved. Save them?")

    def has_unsaved_typing(self) -> bool:
        """Whether closing now would lose something the person typed and may save."""
        return self.read_only_reason is None and self.is_modified

    def reject(self) -> None:
        """Cancel and Escape (and the close button, through :meth:`closeEvent`)."""
        if self.operation is not None:
            return  # a save under way commits or fails whole: wait for it
        if self.has_unsaved_typing():
            dialog: Any = self
            answer = QMessageBox.question(
                dialog, QCoreApplication.translate(CONTEXT, "Unsaved changes"),
                self.unsaved_question(),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save_and_close()  # a refusal keeps the form and says why
                return
        super().reject()  # type: ignore[misc]

    def closeEvent(self, event: QCloseEvent) -> None:
        dialog: Any = self
        if dialog.isVisible() and (self.operation is not None or self.has_unsaved_typing()):
            event.ignore()
            self.reject()
        else:
            super().closeEvent(event)  # type: ignore[misc]
