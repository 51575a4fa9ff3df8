"""The Recent changes window (Tools > Recent changes…): who changed what in the whole
collection, newest first, filtered by person, date and type of record, with Export to
Excel…. A double-click opens the record where it has a form (an accession on its History
tab, a seed lot in its accession's lots, a participant for people who may read personal
data).

A person who may not read personal data sees no participant's story: the core leaves them
out (:func:`genebank.history.queries.readable_changes`), and the type is not offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.history import labels, queries
from genebank.history.queries import HistoryEntry
from genebank.io.history_export import write_history
from genebank.users.actor import actor_of
from genebank.users.roles import Right
from ui import file_dialogs, operations
from ui.views import history_words, shown_numbers
from ui.views.history_view import HistoryView

EXPORT_LIMIT = 100_000  # changes written at most by one export


def utc_start_of(day: QDate) -> dt.datetime:
    """The UTC time at which ``day`` begins here (local midnight), as the database keeps
    times (naive UTC)."""
    moment = QDateTime(day, QTime(0, 0)).toUTC()
    date, time = moment.date(), moment.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())


class RecentChangesWindow(QDialog):
    """``open_accession(accession_id, lot_id)`` opens an accession's form (the main
    window's), or None when it cannot."""

    def __init__(self, session_factory: sessionmaker[Session], *,
                 open_accession: Callable[[int, int | None], Any] | None = None,
                 last_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.open_accession = open_accession
        self.last_folder = last_folder
        self.export: operations.Read[tuple[Path, int]] | None = None
        self.opened: QDialog | None = None  # the record a double-click opened
        self.setWindowTitle(self.tr("Recent changes"))
        self.resize(1150, 640)
        names, self.personal = operations.read_now(
            session_factory, lambda session: (
                queries.history_people(session),
                actor_of(session).may(Right.READ_PERSONAL_DATA)),
            operation=self.tr("Opening the recent changes"))
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        layout.addLayout(filters)
        self.person = QComboBox(self)
        self.person.setObjectName("person")
        self.person.setEditable(True)  # a login recorded before sign-in can be typed
        self.person.addItem(self.tr("Everyone"), None)
        for name in names:
            self.person.addItem(name, name)
        self.person.setToolTip(self.tr("Changes by this person (a Genebank user, or the "
                                       "login name recorded before sign-in)"))
        self.person.lineEdit().setPlaceholderText(self.tr("Everyone"))
        filters.addWidget(QLabel(self.tr("&Person:"), self, buddy=self.person))
        filters.addWidget(self.person)
        today = QDate.currentDate()
        self.since_check = QCheckBox(self.tr("&Since"), self)
        self.since = QDateEdit(today.addDays(-30), self)
        self.until_check = QCheckBox(self.tr("&Until"), self)
        self.until = QDateEdit(today, self)
        for check, edit, name in ((self.since_check, self.since, "since"),
                                  (self.until_check, self.until, "until")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._filters_changed)
            edit.dateChanged.connect(self._filters_changed)
            filters.addWidget(check)
            filters.addWidget(edit)
        self.record_type = QComboBox(self)
        self.record_type.setObjectName("record_type")
        self.record_type.addItem(self.tr("All records"), None)
        for code, word in history_words.record_types().items():
            if code in queries.PERSONAL_SUBJECTS and not self.personal:
                continue  # not theirs to read
            self.record_type.addItem(word, code)
        filters.addWidget(QLabel(self.tr("&Record type:"), self, buddy=self.record_type))
        filters.addWidget(self.record_type)
        filters.addStretch(1)
        self.person.currentTextChanged.connect(self._filters_changed)
        self.record_type.currentIndexChanged.connect(self._filters_changed)
        self.view = HistoryView(session_factory, show_record=True, parent=self)
        self.view.entry_activated.connect(self.open_entry)
        layout.addWidget(self.view, 1)
        hint = QLabel(self.tr("Double-click a change to open its record."), self)
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton(self.tr("&Export to Excel…"), self)
        self.export_button.setToolTip(self.tr(
            "The changes these filters find (at most {0}), one row per changed field")
            .format(shown_numbers.count(EXPORT_LIMIT)))
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(lambda: self.export_to_excel())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._timer = QTimer(self, singleShot=True, interval=250)  # typing a name
        self._timer.timeout.connect(self.apply_filters)
        self.apply_filters()

    # Filters ------------------------------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        """The filters as :func:`queries.readable_changes` takes them."""
        text = self.person.currentText().strip()
        user = None if not text or text == self.person.itemText(0) else text
        since = utc_start_of(self.since.date()) if self.since_check.isChecked() else None
        until = utc_start_of(self.until.date().addDays(1)) \
            if self.until_check.isChecked() else None
        return {"user": user, "since": since, "until": until,
                "subject_type": self.record_type.currentData()}

    def _filters_changed(self, *_args: object) -> None:
        self._timer.start()

    def apply_filters(self) -> None:
        """Read the newest changes the filters find."""
        self._timer.stop()
        chosen = self.filters()
        self.view.set_reader(lambda session, limit: queries.readable_changes(
            session, **chosen, limit=limit), key=tuple(chosen.items()))

    # Opening a record ---------------------------------------------------------------------
    def open_entry(self, entry: HistoryEntry) -> QDialog | None:
        """Open the record an entry belongs to, on its history where it has one."""
        kind, record = entry.subject_type, entry.subject_id
        try:
            removal = operations.read_now(
                self.session_factory, lambda session: labels.removal(session, kind, record),
                operation=self.tr("Finding the record"))
            if removal is not None:
                return self._removed(removal)
            if kind == "accession" and self.open_accession is not None:
                self.opened = self.open_accession(record, None)
                if self.opened is not None:
                    self.opened.show_history()  # type: ignore[attr-defined]
            elif kind == "seed_lot" and self.open_accession is not None:
                accession = operations.read_now(
                    self.session_factory,
                    lambda session: queries.lot_accession_id(session, record),
                    operation=self.tr("Finding the lot"))
                if accession is None:
                    return self._gone(entry)
                self.opened = self.open_accession(accession, record)
            elif kind == "participant" and self.personal:
                from ui.dialogs.training_dialogs import ParticipantDialog

                dialog = ParticipantDialog(self.session_factory, participant_id=record,
                                           parent=self)
                dialog.setModal(True)
                dialog.show()
                dialog.show_history()
                self.opened = dialog
            else:
                self.view.status.setText(self.tr("{0} has no form of its own to open.")
                                         .format(history_words.record_text(entry)))
                return None
        except Exception as error:  # gone meanwhile, busy: worded as everywhere
            QMessageBox.warning(self, self.tr("Cannot open"), operations.message(error))
            return None
        return self.opened

    def _removed(self, removal: HistoryEntry) -> None:
        """A record no longer in the database: who removed it, when and how (an undo of an
        import, a delete), and that its values stay in this list."""
        QMessageBox.information(self, self.tr("Cannot open"), self.tr(
            "{0} was removed by {1} on {2} ({3}); it is no longer in the database, and its "
            "values stay in this list.").format(
                history_words.record_text(removal), history_words.who_text(removal),
                history_words.local_time(removal.at), history_words.operation_text(removal)))

    def _gone(self, entry: HistoryEntry) -> None:
        QMessageBox.information(self, self.tr("Cannot open"), self.tr(
            "{0} is no longer in the database; its history stays here.").format(
                history_words.record_text(entry)))

    # Export -------------------------------------------------------------------------------
    def export_to_excel(self, path: Path | None = None) -> operations.Read[tuple[Path, int]] \
            | None:
        """Write the changes the filters find to an Excel file, off the GUI thread."""
        if path is None:
            start = str(Path(self.last_folder or Path.home()) / "recent-changes.xlsx")
            chosen, _ = file_dialogs.get_save_file_name(
                self, self.tr("Export the changes"), start, self.tr("Excel workbook (*.xlsx)"))
            if not chosen:
                return None
            path = Path(chosen)
        chosen_filters = self.filters()

        def export(session: Session) -> tuple[Path, int]:
            found = queries.readable_changes(session, **chosen_filters, limit=EXPORT_LIMIT)
            return write_history(path, labels.labelled(session, found)), len(found)

        self.export = operations.Read(self, self.session_factory, export,
                                      operation=self.tr("Exporting the changes"))
        self.export.busy(self.export_button)
        self.export.success(lambda written: self.view.status.setText(
            self.tr("Wrote {0} changes to {1}").format(shown_numbers.count(written[1]),
                                                       str(written[0]))))
        self.export.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not exported"), text))
        return self.export.run()  # type: ignore[return-value]
