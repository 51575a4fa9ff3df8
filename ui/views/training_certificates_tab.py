"""Training > Certificates: the certificate register, a certificate reprinted, the register
exported, and corrections and voids (:mod:`ui.views.certificate_corrections`). The
register names people: without the right to read personal data it is not read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from genebank import countries
from genebank.io.files import FileNotWritten
from genebank.training import certificates, training_sheets
from genebank.users.roles import Right
from ui import file_dialogs, messages, operations
from ui.views import certificate_corrections
from ui.views.correction_actions import mark_void
from ui.views.course_view import write_export
from ui.views.highlighted_record import HighlightedRecord
from ui.views.training_rights import Greying
from ui.views.training_tables import fill_table, private_note, record_table

if TYPE_CHECKING:
    from ui.views.training_window import TrainingWindow


class CertificatesTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a certificate: number or name"))
        reprint = QPushButton(self.tr("&Reprint selected…"), self)
        reprint.clicked.connect(lambda: self.reprint())
        export = QPushButton(self.tr("&Export register…"), self)
        export.clicked.connect(lambda: self.export())
        bar.addWidget(self.search, 1)
        bar.addWidget(reprint)
        bar.addWidget(export)
        layout.addLayout(bar)
        self.rows: list[certificates.RegisterRow] = []
        self.reprint_button = reprint
        self.greying = Greying(window.why_not)
        self.greying.needs(reprint, Right.READ_PERSONAL_DATA)
        self.greying.needs(export, Right.READ_PERSONAL_DATA)
        self.note = private_note(self)
        layout.addWidget(self.note)
        self.table = record_table(self, [self.tr("Number"), self.tr("Issued"),
                                         self.tr("Participant"), self.tr("Country"),
                                         self.tr("Course"), self.tr("Dates"), self.tr("Hours")])
        self.table.setObjectName("certificates")
        self.highlighted = HighlightedRecord(self.table, lambda _id: self._highlighted())
        certificate_corrections.install(self, bar)  # Correct… and Void…
        self.greying.needs(self.correct_button, Right.CHANGE_TRAINING)
        self.greying.needs(self.void_button, Right.CHANGE_TRAINING)
        self._highlighted()
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(lambda _t: self.reload())
        self.reload()

    def reload(self) -> None:
        if self.window_.private_reason:  # the register names people: not read at all
            self.note.setText(self.tr("The certificate register names people: personal data, "
                                      "not shown here. {0}").format(self.window_.private_reason))
            self.note.show()
            self.search.setEnabled(False)
            self.greying.apply()
            return
        text = self.search.text()
        rows = operations.read_now(
            self.window_.session_factory,
            lambda session: certificates.register(session, text=text, limit=2000),
            operation=self.tr("Finding certificates"))
        self.rows = rows

        def fill() -> None:
            fill_table(self.table, [(r.number, r.issued_on, r.participant_name,
                                     countries.country_name(r.country), r.course_title,
                                     r.course_dates, r.hours) for r in rows], [r.id for r in rows])
            mark_void(self.table, [(row, r.void_reason) for row, r in enumerate(rows)
                                   if r.voided], label_column=0)

        self.highlighted.refill(fill)

    def current(self) -> certificates.RegisterRow | None:
        """The highlighted certificate (None when none is)."""
        key = self.highlighted.key()
        return next((r for r in self.rows if r.id == key), None)

    def _highlighted(self) -> None:
        """A voided certificate is not reprinted, corrected or voided again."""
        row = self.current()
        live = row is not None and not row.voided
        on_one = (self.reprint_button, self.correct_button, self.void_button)
        self.greying.apply(lambda button: live or button not in on_one)

    def reprint(self, folder: Path | None = None) -> list[Path]:
        certificate_id = self.highlighted.key()
        if certificate_id is None:
            return []
        if folder is None:
            chosen = file_dialogs.get_existing_directory(self, self.tr("Save the certificate in"),
                                                         self.window_.last_folder)
            if not chosen:
                return []
            folder = Path(chosen)
        try:
            return operations.read_now(
                self.window_.session_factory,
                lambda session: certificates.write_pdfs(session, [certificate_id], folder),
                operation=self.tr("Writing the certificate"))
        except FileNotWritten as error:  # e.g. a number that is not a safe file name
            QMessageBox.warning(self, self.tr("Certificate not written"), messages.say(error))
            return []

    def export(self, path: Path | None = None) -> operations.Read[Path] | None:
        """Write the certificate register in the background; a failure in one sentence."""
        if path is None:
            chosen, _ = file_dialogs.get_save_file_name(
                self, self.tr("Certificate register"),
                str(Path(self.window_.last_folder or Path.home()) / "certificates.xlsx"),
                "Excel workbook (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        return write_export(
            self, self.window_.session_factory,
            lambda session: training_sheets.certificate_register(session, path),
            operation=self.tr("Writing the certificate register"),
            failed=self.tr("Certificate register not saved"))
