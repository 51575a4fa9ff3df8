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
from ui import operations
from ui.dialogs.record_dialog import RecordDialog, date_edit, date_of
from ui.operations import Changed

# The fields a refusal is about: editing one of them takes the refusal off the screen (it
# said what was wrong with what the field held); editing another field leaves it. A refusal
# not listed here (saved meanwhile by someone else, a busy database) stays until Withdraw.
OTHER_FIELDS = frozenset({"other", "reason"})
REFUSAL_FIELDS: dict[str, frozenset[str]] = {
    "withdrawal_in_future": frozenset({"on"}),
    "withdrawal_before_acquisition": frozenset({"on"}),
    "withdrawal_before_lot_use": frozenset({"on"}),
    "withdrawal_reason_unknown": frozenset({"reason"}),
    "withdrawal_needs_other": OTHER_FIELDS,
    "withdrawal_other_not_for_reason": OTHER_FIELDS,
    "withdrawal_other_itself": OTHER_FIELDS,
    "withdrawal_other_withdrawn": OTHER_FIELDS,
    "accession_key_unknown": OTHER_FIELDS,
}


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
        self.refused_fields: frozenset[str] = frozenset()  # what the refusal shown is about
        self.on.dateChanged.connect(lambda _day: self._edited("on"))
        self.reason.currentIndexChanged.connect(lambda _index: self._edited("reason"))
        self.other.textChanged.connect(lambda _text: self._edited("other"))
        self.note.textChanged.connect(lambda: self._edited("note"))

    def save(self) -> operations.Write[withdrawals.WithdrawalState] | None:
        """Withdraw; a refusal is remembered with the fields it is about (:meth:`_edited`)."""
        self.refused_fields = frozenset()
        started = super().save()
        if started is not None:
            started.done.connect(lambda ok, started=started: self._ended_save(ok, started))
        return started

    def _ended_save(self, ok: bool, started: operations.Write[object]) -> None:
        if not ok and started.error is not None:
            code = str(getattr(started.error, "code", ""))
            self.refused_fields = REFUSAL_FIELDS.get(code, frozenset())

    def _edited(self, field: str) -> None:
        """A field the refusal shown is about was changed: the refusal no longer says what
        the form holds, so it goes (Withdraw checks everything again)."""
        if field in self.refused_fields:
            self.refused_fields = frozenset()
            self.error.hide()

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
