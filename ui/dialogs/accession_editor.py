"""The accession form: every MCPD descriptor, grouped the way curators think.

Values are checked as they are typed by the same rules the services apply
(``genebank.mcpd.check_passport``): errors and warnings appear under their field and as
marks on the tabs. Nothing invalid is saved; the save runs through :mod:`ui.operations`
(off the GUI thread, announced to every open window); a save that lost a race with another
user, or found the database busy, says so and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank import mcpd
from genebank.history import queries
from genebank.mcpd import Group, Problem, Severity
from genebank.mcpd.values import decimal_to_dms, dms_to_decimal
from genebank.passport import accessions, withdrawals
from genebank.problems import is_coded
from genebank.services.errors import ConcurrentEdit, NotFound, ValidationFailed
from genebank.users import accounts
from genebank.users.roles import Right
from ui import messages, operations
from ui.dialogs.unsaved_changes import UnsavedChanges
from ui.operations import Changed
from ui.views import history_words, shown_values
from ui.views.conservation_tab import ConservationTab
from ui.views.history_view import HistoryView
from ui.views.passport_fields import AvailabilityField, FieldEditor, LineField, make_editor
from ui.views.picker import Picker
from ui.views.training_rights import why_not_of

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5a00;"
GROUP_TITLES = {
    Group.IDENTITY: QCoreApplication.translate("AccessionEditor", "Identity"),
    Group.TAXONOMY: QCoreApplication.translate("AccessionEditor", "Taxonomy"),
    Group.ORIGIN: QCoreApplication.translate("AccessionEditor", "Origin and collecting site"),
    Group.BREEDING: QCoreApplication.translate("AccessionEditor", "Breeding and donor"),
    Group.CONSERVATION: QCoreApplication.translate("AccessionEditor", "Conservation"),
    Group.REMARKS: QCoreApplication.translate("AccessionEditor", "Remarks"),
}


class AccessionEditor(UnsavedChanges, QDialog):
    """Create (``accession_id=None``) or edit one accession. Closing it with typing not
    saved asks first (:mod:`ui.dialogs.unsaved_changes`)."""

    saved = Signal(int)
    unchanged = Signal(int)  # Save found the stored values: nothing was written

    def __init__(self, session_factory: sessionmaker[Session], *,
                 accession_id: int | None = None,
                 initial_values: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = session_factory
        self._accession_id = accession_id
        self._version: int | None = None
        self.operation: operations.Write[accessions.SavedAccession] | None = None
        # Asks who signs in over this form (the main window's); True once someone did
        self.sign_in: Callable[[QWidget], bool] | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self._tab_of: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._build()
        self.conservation: ConservationTab | None = None
        self.history: HistoryView | None = None
        values = initial_values or {}
        if accession_id is not None:
            passport, began = operations.read_now(
                session_factory, lambda session: (accessions.get_passport(session, accession_id),
                                                  accounts.sign_in_began(session)),
                operation=self.tr("Opening the accession"))
            values, self._version = passport.values, passport.version
            self.conservation = ConservationTab(session_factory, accession_id, self)
            self.tabs.addTab(self.conservation, self.tr("Seed lots"))
            self.history = HistoryView(session_factory, parent=self)
            self.history.setObjectName("accession_history")
            # by its id, not its number: the story stays whole when the number is changed
            self.history.set_reader(lambda session, limit: queries.record_history(
                session, "accession", accession_id, limit=limit))
            self.tabs.addTab(self.history, self.tr("History"))
            self.record_label.setText(self.tr(
                "Created by {0} on {1}; last changed by {2} on {3}"
            ).format(history_words.stamp_who(passport.created_by, passport.created_at, began),
                     history_words.local_time(passport.created_at),
                     history_words.stamp_who(passport.updated_by, passport.updated_at, began),
                     history_words.local_time(passport.updated_at)))
            self._say_withdrawn(operations.read_now(
                session_factory, lambda session: withdrawals.withdrawal_state(
                    session, accession_id), operation=self.tr("Opening the accession")))
        self._fit_tabs()
        for code, editor in self.editors.items():
            editor.set_value(values.get(code))
        self._snapshot = self.raw_values()
        title = values.get("ACCENUMB")
        self.setWindowTitle(self.tr("Accession {0}").format(title) if accession_id is not None
                            else self.tr("New accession"))
        self._check_timer = QTimer(self, singleShot=True, interval=150)
        self._check_timer.timeout.connect(self.check)
        for editor in self.editors.values():
            editor.changed.connect(self._check_timer.start)
        self.check()
        self.read_only_reason = why_not_of(session_factory)(Right.CHANGE_PASSPORT)
        if self.read_only_reason is not None:
            self._make_read_only(self.read_only_reason)

    def _fit_tabs(self) -> None:
        """Every tab's title in sight, in any language and direction: the form as wide as
        its tabs need (with room for a problem's icon on each) where the screen allows;
        on a narrower screen the titles shorten ("Hist…") rather than a tab slipping off
        the edge as a lone letter beside the scroll arrows."""
        bar = self.tabs.tabBar()
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        for index in range(self.tabs.count()):  # a shortened title is read in full here
            self.tabs.setTabToolTip(index, self.tabs.tabText(index).replace("&", ""))
        icons = self.tabs.count() * (bar.iconSize().width() + 6)
        needed = bar.sizeHint().width() + icons + 2 * self.layout().contentsMargins().left() + 8
        screen = self.screen().availableGeometry().width() if self.screen() else needed
        self.resize(max(self.width(), min(needed, screen)), self.height())

    def _make_read_only(self, reason: str) -> None:
        """The person may not change passport data: the form shows it, read-only, and
        says why (the core would refuse the save anyway; nobody types in vain)."""
        for editor in self.editors.values():
            if hasattr(editor, "setReadOnly"):
                editor.setReadOnly(True)
            else:
                editor.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(reason)
        self.rights_label.setText(self.tr("Read-only: {0}").format(reason))
        self.rights_label.show()
        self.summary.hide()

    # Building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        self.record_label = QLabel(self)
        self.record_label.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.record_label)
        self.withdrawn_label = QLabel(self)  # a withdrawn accession says so, and why
        self.withdrawn_label.setObjectName("withdrawn")
        self.withdrawn_label.setWordWrap(True)
        self.withdrawn_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.withdrawn_label.hide()
        layout.addWidget(self.withdrawn_label)
        self.rights_label = QLabel(self)  # why this person may only read the form
        self.rights_label.setObjectName("read_only_reason")
        self.rights_label.setWordWrap(True)
        self.rights_label.setStyleSheet("color: #8a4b00;")
        self.rights_label.hide()
        layout.addWidget(self.rights_label)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        for group in Group:
            self._build_group(group)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        shown_values.follow_layout(self.summary)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Enter or Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)
        lat, dec_lat = self.editors["LATITUDE"], self.editors["DECLATITUDE"]
        lon, dec_lon = self.editors["LONGITUDE"], self.editors["DECLONGITUDE"]
        assert isinstance(lat, LineField) and isinstance(dec_lat, LineField)
        assert isinstance(lon, LineField) and isinstance(dec_lon, LineField)
        for dms, decimal, axis in ((lat, dec_lat, "lat"), (lon, dec_lon, "lon")):
            dms.editingFinished.connect(
                lambda d=dms, c=decimal, a=axis: self._fill_partner(d, c, a))
            decimal.editingFinished.connect(
                lambda d=dms, c=decimal, a=axis: self._fill_partner(c, d, a))

    def _say_withdrawn(self, state: withdrawals.WithdrawalState) -> None:
        if not state.withdrawn:
            return
        reason = messages.key_word(state.reason or "")
        if state.other_key:
            reason = self.tr("{0}: {1}").format(reason, state.other_key)
        text = self.tr("Withdrawn from the collection on {0} ({1}); its lots take nothing "
                       "dated after that but a recount, a move or a discard. Accession > "
                       "Reinstate accession puts it back").format(state.withdrawn_on, reason)
        self.withdrawn_label.setText("\n".join(filter(None, (text, state.note))))
        self.withdrawn_label.show()

    def _build_group(self, group: Group) -> None:
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for descriptor in mcpd.descriptors_in(group):
            editor = make_editor(descriptor, page, session_factory=self._session_factory)
            label = QLabel(descriptor.label + ("*" if descriptor.code in mcpd.REQUIRED else ""))
            label.setBuddy(editor)
            tip = f"{descriptor.code} (MCPD {descriptor.number})"
            label.setToolTip(f"{tip}\n{descriptor.hint}" if descriptor.hint else tip)
            if isinstance(editor, Picker):
                editor.set_help(f"{label.toolTip()}\n{editor.help_text()}")
            else:
                editor.setToolTip(label.toolTip())
            editor.setObjectName(descriptor.code)
            message = QLabel(page)
            message.setWordWrap(True)
            shown_values.follow_layout(message)
            message.hide()
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(message)
            form.addRow(label, column)
            self.editors[descriptor.code] = editor
            self.messages[descriptor.code] = message
            self._tab_of[descriptor.code] = self.tabs.count()
        if group is Group.CONSERVATION:
            self._add_availability(page, form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        # The form scrolls down, never sideways: the tab is kept at least as wide as its
        # fields need (long warnings wrap), so no horizontal scrollbar appears at 900 px,
        # not even for a moment while a tab that was hidden is laid out again.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(page.minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width()
                               + 2 * scroll.frameWidth())
        self.tabs.addTab(scroll, GROUP_TITLES[group])

    def _add_availability(self, page: QWidget, form: QFormLayout) -> None:
        """Genesys's AVAILABLE, beyond MCPD: whether the accession is available for
        distribution (yes, no, not known), exported as AVAILABLE after the MCPD columns."""
        editor = AvailabilityField(page)
        editor.setObjectName("AVAILABLE")
        label = QLabel(self.tr("Available for distribution"))
        label.setBuddy(editor)
        tip = self.tr("AVAILABLE (Genesys, beyond MCPD): whether the accession can be "
                      "requested; leave it partly checked when not known")
        label.setToolTip(tip)
        editor.setToolTip(tip)
        message = QLabel(page)
        message.setWordWrap(True)
        message.hide()
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(message)
        form.addRow(label, column)
        self.editors["AVAILABLE"] = editor
        self.messages["AVAILABLE"] = message
        self._tab_of["AVAILABLE"] = self.tabs.count()

    def show_conservation(self, lot_id: int | None = None, test_id: int | None = None) -> None:
        """Open on the seed lots (from a worklist), with ``lot_id`` chosen if given, and its
        test ``test_id`` highlighted (a row of the tests to count)."""
        if self.conservation is not None:
            self.tabs.setCurrentWidget(self.conservation)
            if lot_id is not None:
                self.conservation.select_lot(lot_id)
            if test_id is not None:
                self.conservation.select_test(test_id)

    def show_history(self) -> None:
        """Open on the History tab (from the Recent changes window)."""
        if self.history is not None:
            self.tabs.setCurrentWidget(self.history)

    # Values and checks --------------------------------------------------------------------
    def raw_values(self) -> dict[str, object]:
        return {code: editor.raw_value() for code, editor in self.editors.items()}

    @property
    def is_modified(self) -> bool:
        return self.raw_values() != self._snapshot

    def check(self) -> list[Problem]:
        """Check the form as typed so far and show every problem by its field."""
        self._show(mcpd.check_passport(self.raw_values()).problems)
        return self.problems

    def _show(self, problems: list[Problem]) -> None:
        self.problems = problems
        by_field: dict[str, list[Problem]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem)
        for code, label in self.messages.items():
            found = by_field.get(code, [])
            errors = [p for p in found if p.severity is Severity.ERROR]
            label.setVisible(bool(found))
            label.setText("\n".join(p.message[:1].upper() + p.message[1:] for p in found))
            label.setStyleSheet(ERROR_STYLE if errors else WARNING_STYLE)
        style = self.style()
        for index in range(self.tabs.count()):
            fields = [c for c, t in self._tab_of.items() if t == index]
            severities = {p.severity for c in fields for p in by_field.get(c, [])}
            icon = (style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                    if Severity.ERROR in severities else
                    style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                    if severities else None)
            self.tabs.setTabIcon(index, icon or QIcon())
        errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        if errors:
            self.summary.setStyleSheet(ERROR_STYLE)
            text = (self.tr("1 problem to fix before saving") if errors == 1 else
                    self.tr("{0} problems to fix before saving").format(errors))
            if warnings:
                text += (self.tr(" (and 1 warning)") if warnings == 1
                         else self.tr(" (and {0} warnings)").format(warnings))
            self.summary.setText(text)
        elif warnings:
            self.summary.setStyleSheet(WARNING_STYLE)
            self.summary.setText(self.tr("{0} warnings; the accession can be saved as it is")
                                 .format(warnings) if warnings > 1 else
                                 self.tr("1 warning; the accession can be saved as it is"))
        else:
            self.summary.setStyleSheet("")
            self.summary.setText(self.tr("Ready to save"))

    def _fill_partner(self, source: LineField, partner: LineField, axis: str) -> None:
        """When one form of a coordinate is typed and its partner is empty, fill the partner."""
        if partner.text().strip():
            return
        try:
            value = mcpd.parse_field(source.descriptor.code, source.text())
        except mcpd.InvalidValue:
            return
        if value is None:
            return
        partner.set_value(round(dms_to_decimal(value)[0], 6) if isinstance(value, str)
                          else decimal_to_dms(value, axis=axis))
        partner.changed.emit()

    # Saving -------------------------------------------------------------------------------
    def focus_field(self, code: str) -> None:
        self.tabs.setCurrentIndex(self._tab_of[code])
        self.editors[code].setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> operations.Write[accessions.SavedAccession] | None:
        """Start saving if the form has no errors (None, and the first error shown, if it
        has); the running operation's ``done`` says when it ends. The form closes once
        saved and stays open with the typing when the save is refused."""
        if self.operation is not None:
            return self.operation
        if self.read_only_reason is not None:
            return None
        problems = self.check()
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            self.focus_field(errors[0].field)
            return None
        values = self.raw_values()
        accession_id, version = self._accession_id, self._version

        def save(session: Session) -> accessions.SavedAccession:
            if accession_id is None:
                return accessions.create_accession(session, values=values)
            assert version is not None
            return accessions.update_accession(session, accession_id,
                                               expected_version=version, values=values)

        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Saving… (if another workstation is writing, this waits "
                                     "for it; the window stays usable)"))
        self.operation = operations.Write(
            self, self._session_factory, save, operation=self.windowTitle(),
            changes=lambda result: Changed(accessions=True) if result.changed
            else operations.NOTHING, initiator=self)
        self.operation.busy(self.buttons).success(lambda result: self._saved(result, values))
        self.operation.failure(self._not_saved)
        self.operation.done.connect(self._ended)
        return self.operation.run()  # type: ignore[return-value]

    def _saved(self, result: accessions.SavedAccession, values: dict[str, object]) -> None:
        self._accession_id, self._version = result.id, result.version
        self._snapshot = values
        (self.saved if result.changed else self.unchanged).emit(result.id)
        self.accept()

    def _not_saved(self, text: str, error: BaseException) -> None:
        """Keep the typing; say why, by the field when it is one."""
        if isinstance(error, ValidationFailed):
            self._show([*error.problems, *self.problems])
            self.focus_field(error.problems[0].field)
            return
        self.check()  # the summary shows the form's own state again
        if is_coded(error) and error.code == "sign_in_required" \
                and self.sign_in is not None:  # type: ignore[attr-defined]
            # once this save has ended (its operation over): then it may save again
            QTimer.singleShot(0, lambda: self._offer_sign_in(text))
            return
        if isinstance(error, ConcurrentEdit | NotFound):
            text = self.tr("{0}\n\nYour typing is still in this form. Copy what you need, then "
                           "close it and open the accession again to see the other changes."
                           ).format(text)
        elif messages.retry_helps(error):
            text = self.tr("{0}\n\nYour typing is still in this form; try Save again.").format(
                text)
        else:  # the same Save would be refused the same way
            text = self.tr("{0}\n\nYour typing is still in this form: copy what you need "
                           "before closing it.").format(text)
        QMessageBox.warning(self, self.tr("Not saved"), text)

    def _offer_sign_in(self, text: str) -> None:
        """Saving needs a sign-in this window has not had: offer it here, the typing kept,
        and save once someone signed in."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not saved"), self.tr(
            "{0}\n\nYour typing is still in this form. Sign in now, and it is saved as "
            "that person.").format(text), QMessageBox.StandardButton.Cancel, self)
        sign_in = box.addButton(self.tr("Sign in…"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(sign_in)
        box.exec()
        if box.clickedButton() is not sign_in or self.sign_in is None \
                or not self.sign_in(self):
            return
        self.read_only_reason = why_not_of(self._session_factory)(Right.CHANGE_PASSPORT)
        if self.read_only_reason is not None:  # who signed in may not either: say so
            self._make_read_only(self.read_only_reason)
            return
        self.save()

    def _ended(self, _ok: bool) -> None:
        self.operation = None

    def unsaved_question(self) -> str:
        return self.tr("This accession has changes that are not saved. Save them?")
