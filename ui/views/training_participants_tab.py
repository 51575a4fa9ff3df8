"""Training > Participants: the people a search by name, e-mail, institution or country
finds; a new participant, opening one, likely duplicates, and erasing a person's data
on request. Without the right to read personal data, how many and not who."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from genebank import countries
from genebank.training import participants
from genebank.users.roles import Right
from ui import operations
from ui.dialogs.training_dialogs import DuplicatesDialog, ParticipantDialog
from ui.operations import Changed
from ui.views import shown_numbers
from ui.views.highlighted_record import HighlightedRecord
from ui.views.training_rights import Greying
from ui.views.training_tables import fill_table, private_note, record_table

if TYPE_CHECKING:
    from ui.views.training_window import TrainingWindow


class ParticipantsTab(QWidget):
    def __init__(self, window: TrainingWindow) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a person: name, e-mail or institution"))
        self.search.setClearButtonEnabled(True)
        self.country = QComboBox(self)
        self.country.addItem(self.tr("All countries"), None)
        self.count = QLabel(self)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.country)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        self.table = record_table(self, [self.tr("Name"), self.tr("Original script"),
                                         self.tr("Gender"), self.tr("Country"),
                                         self.tr("Institution"), self.tr("E-mail"),
                                         self.tr("Courses")])
        self.table.setObjectName("participants")
        self.table.itemActivated.connect(lambda _item: self.edit())
        self.note = private_note(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.on_person: list[QPushButton] = []  # enabled only while a person is highlighted
        self.greying = Greying(window.why_not)
        for text, slot, right in ((self.tr("&New participant…"), self.new,
                                   Right.CHANGE_TRAINING),
                                  (self.tr("&Open…"), self.edit, Right.READ_PERSONAL_DATA),
                                  (self.tr("Likely &duplicates…"), self.duplicates,
                                   Right.READ_PERSONAL_DATA),
                                  (self.tr("&Erase on request…"), self.erase,
                                   Right.CHANGE_TRAINING)):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
            self.greying.needs(button, right)
            if slot in (self.edit, self.erase):
                self.on_person.append(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.highlighted = HighlightedRecord(self.table, lambda person: self.greying.apply(
            lambda button: person is not None or button not in self.on_person))
        self.greying.apply(lambda button: button not in self.on_person)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.country.currentIndexChanged.connect(lambda _i: self.reload())
        self._countries_loaded = False
        self.reload()

    def reload(self, select: int | None = None, *, removed: bool = False) -> None:
        """List the people matching the search and country, keeping ``select`` (else the
        highlighted person; ``removed``: the next one) highlighted, else the first match."""
        self._timer.stop()
        if not self._countries_loaded:
            codes = operations.read_now(self.window_.session_factory,
                                        participants.countries_present,
                                        operation=self.tr("Finding participants"))
            for name, code in sorted((countries.country_name(c), c) for c in codes):
                self.country.addItem(name, code)
            self._countries_loaded = True
        text, country = self.search.text(), self.country.currentData()
        private = self.window_.private_reason
        total, rows = operations.read_now(
            self.window_.session_factory, lambda session: (
                participants.count_participants(session, text=text, country=country),
                [] if private else participants.find_participants(
                    session, text=text, country=country, limit=500)),
            operation=self.tr("Finding participants"))
        if private:  # how many, not who
            self.note.setText(self.tr("Who they are is personal data, not shown here. {0}")
                              .format(private))
            self.note.show()
        self.highlighted.refill(lambda: fill_table(
            self.table, [(r.full_name, r.original_name, r.gender,
                          countries.country_name(r.country), r.institution, r.email, r.courses)
                         for r in rows], [r.id for r in rows]), select=select, removed=removed)
        self.count.setText(
            self.tr("{0} people").format(shown_numbers.count(total))
            if total <= len(rows) or private
            else self.tr("first {0} of {1}").format(shown_numbers.count(len(rows)),
                                                    shown_numbers.count(total)))

    def new(self) -> ParticipantDialog:
        dialog = ParticipantDialog(self.window_.session_factory, parent=self)
        dialog.accepted.connect(lambda: self.reload(dialog.saved_id))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def edit(self) -> ParticipantDialog | None:
        person = self.highlighted.key()
        if person is None:
            return None
        dialog = ParticipantDialog(self.window_.session_factory, participant_id=person,
                                   parent=self)
        dialog.accepted.connect(lambda: self.reload())
        dialog.setModal(True)
        dialog.show()
        return dialog

    def duplicates(self) -> DuplicatesDialog:
        dialog = DuplicatesDialog(self.window_.session_factory, self)
        dialog.finished.connect(lambda _r: self.reload(removed=True))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def erase(self) -> operations.Write[None] | None:
        """Erase the highlighted person's data once confirmed; the running operation, or
        None if nothing was started."""
        person, row = self.highlighted.key(), self.highlighted.row()
        if person is None or row is None:
            return None
        name = self.table.item(row, 0).text()
        answer = QMessageBox.question(
            self, self.tr("Erase on request"), self.tr(
                "Erase {0}'s personal data (name, e-mail, phone, position, notes, and the "
                "name on their certificates)?\n\nTheir enrolments stay, with gender, country "
                "and institution only, so course statistics stay right. This cannot be "
                "undone.").format(name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        write = operations.Write(
            self, self.window_.session_factory,
            lambda session: participants.erase(session, person),
            operation=self.tr("Erasing {0}'s personal data").format(name),
            changes=Changed(training=True), initiator=self)
        # an erased name no longer matches a search
        write.success(lambda _result: self.reload(removed=True))
        write.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not erased"), text))
        return write.run()  # type: ignore[return-value]
