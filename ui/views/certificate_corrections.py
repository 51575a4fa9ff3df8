"""Correct… and Void… of a certificate in the training window's Certificates (issue 15).

A voided certificate stays in the register, struck through and marked void, its number
never given again; a corrected one is voided and the enrolment gets a new certificate with
the next number and the wording of today (a name corrected since, for instance).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy.orm import Session, sessionmaker

from genebank.training import certificates
from ui.dialogs.correction_dialogs import VoidDialog, given_reason, reason_field
from ui.dialogs.record_dialog import RecordDialog, date_edit, date_of
from ui.operations import Changed

if TYPE_CHECKING:
    from ui.views.training_certificates_tab import CertificatesTab


def _tr(text: str) -> str:
    return QCoreApplication.translate("certificate_corrections", text)


def _void(session: Session, *, record_id: int, **values: Any) -> None:
    certificates.void_certificate(session, record_id, **values)


class CorrectCertificateDialog(RecordDialog):
    """Issue the certificate again: the old one voided, a new number, a reason."""

    changes = Changed(training=True)

    def __init__(self, session_factory: sessionmaker[Session],
                 row: certificates.RegisterRow, parent: QWidget | None = None) -> None:
        super().__init__(session_factory, self.tr("Correct certificate {0}").format(row.number),
                         parent)
        self.row = row
        self.what = QLabel(self.tr("{0}, {1}: {2}").format(row.number, row.participant_name,
                                                          row.course_title), self)
        self.what.setWordWrap(True)
        self.on = date_edit(self)
        self.reason = reason_field(self)
        self.form.addRow(self.tr("Certificate"), self.what)
        self.form.addRow(self.tr("&Issue the new one on"), self.on)
        self.form.addRow(self.tr("&Why correct it"), self.reason)
        note = QLabel(self.tr(
            "This certificate stays in the register, marked void; the new one takes the next "
            "number and the participant's and course's details as they are now."), self)
        note.setWordWrap(True)
        self.form.addRow("", note)

    def work(self) -> Callable[[Session], int]:
        return partial(certificates.correct_certificate, certificate_id=self.row.id,
                       reason=given_reason(self.reason), on=date_of(self.on),
                       expected_version=self.row.version)


def install(tab: CertificatesTab, bar: QHBoxLayout) -> None:
    tab.correct_button = QPushButton(_tr("C&orrect…"), tab)
    tab.correct_button.clicked.connect(lambda: correct(tab))
    tab.void_button = QPushButton(_tr("&Void…"), tab)
    tab.void_button.clicked.connect(lambda: void(tab))
    for button in (tab.correct_button, tab.void_button):
        button.setEnabled(False)
        bar.insertWidget(bar.count() - 1, button)


def _run(tab: CertificatesTab, dialog: RecordDialog) -> RecordDialog:
    dialog.accepted.connect(tab.reload)
    dialog.setModal(True)
    dialog.show()
    return dialog


def correct(tab: CertificatesTab) -> RecordDialog | None:
    row = tab.current()
    if row is None or row.voided:
        return None
    return _run(tab, CorrectCertificateDialog(tab.window_.session_factory, row, tab))


def void(tab: CertificatesTab) -> RecordDialog | None:
    row = tab.current()
    if row is None or row.voided:
        return None
    return _run(tab, VoidDialog(
        tab.window_.session_factory, title=_tr("Void certificate {0}").format(row.number),
        what=_tr("{0}, {1}: {2}").format(row.number, row.participant_name, row.course_title),
        service=_void, record_id=row.id, version=row.version,
        changes=Changed(training=True), parent=tab))
