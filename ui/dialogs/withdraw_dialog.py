"""Accession > Withdraw…: the date an accession left the collection, why, the other accession
when the reason names one, and a note. The service checks everything again
(:func:`genebank.passport.withdrawals.withdraw_accession`); a refusal shows in the dialog
and the typing stays."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy.orm import Session, sessionmaker

from genebank.passport import withdrawals
from genebank.passport.withdrawals import OTHER_REASONS, WITHDRAWAL_REASONS
from ui.dialogs.record_dialog import RecordDialog, date_edit, date_of
from ui.operations import Changed


def reason_words() -> dict[str, str]:
    """Each reason as a person reads it in the list (the keys are what is stored)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("WithdrawDialog", text)

    return {"lost": tr("Lost"), "dead": tr("Dead (no viable material left)"),
            "duplicate": tr("Duplicate of another accession"),
            "merged": tr("Merged into another accession"),
            "split": tr("Split into other accessions"),
            "transferred": tr("Transferred to another gene bank"),
            "discarded": tr("Discarded")}


class WithdrawDialog(RecordDialog):
    """Withdraws one accession, read at ``version`` (saved meanwhile: refused)."""

    changes = Changed(accessions=True, lots=True)

    def __init__(self, session_factory: sessionmaker[Session], *, accession_id: int,
                 version: int, key: str, parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Withdraw {0}").format(key), parent)
        self.accession_id, self.version = accession_id, version
        self.save_button.setText(self.tr("Withdraw"))
        explanation = QLabel(self.tr(
            "The accession stays in the database with its lots and history, but leaves the "
            "counts, worklists and exports until it is reinstated."), self)
        explanation.setWordWrap(True)
        self.form.addRow(explanation)
        self.on = date_edit(self)
        self.form.addRow(self.tr("&Withdrawn on:"), self.on)
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        words = reason_words()
        for code in WITHDRAWAL_REASONS:
            self.reason.addItem(words[code], code)
        self.form.addRow(self.tr("&Reason:"), self.reason)
        self.other = QLineEdit(self)
        self.other.setObjectName("other")
        self.other.setPlaceholderText(self.tr("INSTCODE:ACCENUMB of the other accession"))
        self.other.setText(key.partition(":")[0] + ":")
        self.form.addRow(self.tr("&Other accession:"), self.other)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("e.g. the gene bank it was transferred to"))
        self.note.setFixedHeight(self.fontMetrics().height() * 4)
        self.form.addRow(self.tr("&Note:"), self.note)
        self.reason.currentIndexChanged.connect(self._reason_changed)
        self._reason_changed()

    def _reason_changed(self) -> None:
        """The other accession is asked only for a reason that names one."""
        needed = self.reason.currentData() in OTHER_REASONS
        self.other.setEnabled(needed)
        self.form.labelForField(self.other).setEnabled(needed)

    def work(self) -> Callable[[Session], withdrawals.WithdrawalState]:
        reason = self.reason.currentData()
        other = self.other.text().strip() if reason in OTHER_REASONS else ""
        if other.endswith(":"):  # only the institute code the field starts with
            other = ""
        on, note = date_of(self.on), self.note.toPlainText()
        accession_id, version = self.accession_id, self.version
        return lambda session: withdrawals.withdraw_accession(
            session, accession_id, on=on, reason=reason, other=other or None, note=note,
            expected_version=version)

    def finish(self, result: withdrawals.WithdrawalState) -> int:
        return result.accession_id
