"""A small form that saves one record through a service, in one transaction.

Enter saves. The save is a :class:`ui.operations.Write`: the form is read on the GUI thread
(:meth:`RecordDialog.work`), the service runs off it, so a save waiting for another
workstation never freezes the window (the form shows that it is saving, its buttons are
disabled meanwhile). A refusal (stock too small, a date in the future, a busy database...) is
shown in the dialog in plain words and the typing stays, so nothing typed is lost; nothing is
saved unless everything is. A saved record is announced (``changes``), so every open window
showing it refreshes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.services.errors import ServiceError
from genebank.users.roles import Right
from ui import operations
from ui.dialogs.unsaved_changes import UnsavedChanges
from ui.operations import Changed
from ui.views.number_box import NumberBox
from ui.views.training_rights import why_not_of

ERROR_STYLE = "color: #b00020;"
BUSY_STYLE = "color: #4a4a4a; font-style: italic;"


def _fields(layout: QLayout) -> list[QWidget]:
    """Every widget in ``layout`` (the form's rows), within nested layouts and widgets."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            found += [widget, *widget.findChildren(QWidget)]
        elif inner is not None:
            found += _fields(inner)
    return found


def _value_of(widget: QWidget) -> tuple[bool, object]:
    """What a field shows, as a person would see it changed: (True, value) for a field,
    (False, None) for anything else (a label, a panel holding fields)."""
    if isinstance(widget, QLineEdit):  # NumberBox and Picker too: their text as typed
        return True, widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return True, widget.toPlainText()
    if isinstance(widget, QAbstractSpinBox):  # dates, counts
        return True, widget.text()
    if isinstance(widget, QComboBox):
        return True, (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return True, widget.isChecked()
    return False, None


def _state(layout: QLayout) -> list[object]:
    """The values of the fields in ``layout`` (within nested layouts and panels such as a
    replicate grid), in order; a field's own parts (a date's calendar) are not looked into."""
    found: list[object] = []

    def visit(widget: QWidget) -> None:
        is_field, value = _value_of(widget)
        if is_field:
            found.append(value)
            return
        for child in widget.children():
            if isinstance(child, QWidget) and not child.isWindow():
                visit(child)

    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            visit(widget)
        elif inner is not None:
            found += _state(inner)
    return found


class RecordDialog(UnsavedChanges, QDialog):
    """Subclasses add rows to ``self.form`` and implement :meth:`work` (and, when the
    result needs wording, :meth:`finish`); ``changes`` says what a save changes. Cancel,
    Escape or the close button after typing ask before the typing is lost, as the accession
    form does (:class:`~ui.dialogs.unsaved_changes.UnsavedChanges`)."""

    changes = Changed(lots=True)
    # The right a save needs (None: worked out from ``changes``); a person without it sees
    # the form read-only, with why (:meth:`showEvent`).
    right: Right | None = None

    def __init__(self, session_factory: sessionmaker[Session], title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.saved_id: Any = None
        self._watching_numbers = False
        self._number_error_shown = False  # the message below the form is a number's
        self._opened_as: list[object] | None = None  # the fields' values when first shown
        self.setWindowTitle(title)
        self.setMinimumWidth(440)  # room for the hints in the fields
        layout = QVBoxLayout(self)
        self.rights_label = QLabel(self)  # why this person may only read the form
        self.rights_label.setObjectName("read_only_reason")
        self.rights_label.setWordWrap(True)
        self.rights_label.setStyleSheet("color: #8a4b00;")
        self.rights_label.hide()
        layout.addWidget(self.rights_label)
        self.read_only_reason: str | None = None
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.busy = QLabel(self.tr("Saving… (if another workstation is writing, this waits "
                                   "for it; the window stays usable)"), self)
        self.busy.setWordWrap(True)
        self.busy.setStyleSheet(BUSY_STYLE)
        self.busy.hide()
        layout.addWidget(self.busy)
        self.operation: operations.Write[Any] | None = None  # the save running, if any
        self.buttons = buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def user(self) -> str:
        return str(self.session_factory.kw.get("info", {}).get("user", ""))

    def work(self) -> Callable[[Session], Any]:
        """Read the form (on the GUI thread) and return the service call that saves it,
        ``call(session) -> result``; it runs off the GUI thread and must not touch widgets.
        A :class:`ServiceError` raised here refuses at once."""
        raise NotImplementedError

    def finish(self, result: Any) -> Any:
        """After a save, on the GUI thread: the saved record's id (``saved_id``)."""
        return result

    def save(self) -> operations.Write[Any] | None:
        """Start saving; None when refused before the database (the message shows), else the
        running operation (its ``done`` signal tells when it ends). The dialog closes once
        saved; on a refusal it stays open with the typing."""
        if self.operation is not None:
            return self.operation  # Enter pressed again while saving
        if self.read_only_reason is not None:
            return None
        unreadable = self.unreadable_number()
        if unreadable is not None:
            unreadable.setFocus()
            self._refused(self._number_problem(unreadable))
            self._number_error_shown = True
            return None
        try:
            work = self.work()
        except ServiceError as error:
            self._refused(operations.message(error))
            return None
        self.error.hide()
        self.busy.show()
        self.operation = operations.Write(
            self, self.session_factory, work, operation=self.windowTitle(),
            changes=self.changes, initiator=self.parent() or self)
        self.operation.busy(self.buttons).success(self._saved).failure(self.refused)
        self.operation.done.connect(self._ended)
        return self.operation.run()  # type: ignore[return-value]

    def refused(self, text: str, error: BaseException) -> None:
        """The save was refused (``error``, worded as ``text``): said below the form, the
        typing kept. A form whose choices the refusal shows out of date (a place removed
        meanwhile) reads them again here."""
        self._refused(text)

    def _saved(self, result: Any) -> None:
        self.saved_id = self.finish(result)
        self.accept()

    def _ended(self, _ok: bool) -> None:
        self.operation = None
        self.busy.hide()

    @property
    def is_modified(self) -> bool:
        """Whether the form shows something else than when it opened (something typed,
        chosen or ticked): closing it then asks (:mod:`ui.dialogs.unsaved_changes`)."""
        return self._opened_as is not None and _state(self.form) != self._opened_as

    def unreadable_number(self) -> NumberBox | None:
        """The first shown number field whose entry cannot be read: nothing is saved then."""
        return next((box for box in self.findChildren(NumberBox)
                     if box.isVisibleTo(self) and box.problem()), None)

    def field_name(self, box: NumberBox) -> str:
        """The field's label as the form shows it (or its accessible name, in a grid)."""
        label = self.form.labelForField(box)
        text = label.text() if isinstance(label, QLabel) else box.accessibleName()
        return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("*")

    def _number_problem(self, box: NumberBox) -> str:
        name = self.field_name(box)
        problem = box.problem()
        problem = problem[:1].upper() + problem[1:]
        return self.tr("{0}: {1}").format(name, problem) if name else problem

    def showEvent(self, event: QShowEvent) -> None:
        """Number fields report a refusal as soon as it is typed, below the form."""
        if not self._watching_numbers:
            self._watching_numbers = True
            for box in self.findChildren(NumberBox):
                box.problemChanged.connect(lambda _m, box=box: self._show_number_problem(box))
            reason = why_not_of(self.session_factory)(self.needed_right())
            if reason is not None:
                self._make_read_only(reason)
            self._opened_as = _state(self.form)  # what the subclass filled in, not typed
        super().showEvent(event)

    def needed_right(self) -> Right:
        """The right saving this form needs: :attr:`right`, else the one of what it
        changes (the rights table in :mod:`genebank.users.roles`)."""
        if self.right is not None:
            return self.right
        if self.changes.training:
            return Right.CHANGE_TRAINING
        if self.changes.accessions:
            return Right.CHANGE_PASSPORT
        return Right.CHANGE_CONSERVATION

    def _make_read_only(self, reason: str) -> None:
        """The person may not save this form: its values read-only, Save disabled, and a
        line saying why (the core would refuse the save anyway)."""
        self.read_only_reason = reason
        for field in _fields(self.form):
            if isinstance(field, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
                field.setReadOnly(True)
            elif isinstance(field, QComboBox | QAbstractButton):
                field.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(reason)
        self.rights_label.setText(self.tr("Read-only: {0}").format(reason))
        self.rights_label.show()
        layout = self.layout()
        if layout is not None:  # room for the line, before the window is first painted
            layout.activate()
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _show_number_problem(self, box: NumberBox) -> None:
        unreadable = box if box.problem() else self.unreadable_number()
        if unreadable is not None:
            self.error.setText(self._number_problem(unreadable))
            self.error.show()
            self._number_error_shown = True
        elif self._number_error_shown:
            self.error.hide()
            self._number_error_shown = False

    def _refused(self, message: str) -> bool:
        self._number_error_shown = False
        message = message.rstrip().rstrip(".")
        message = message[:1].upper() + message[1:]
        said = message.endswith("saved") or "nothing was" in message.lower()
        self.error.setText(message + "." if said else message + ". Nothing was saved.")
        self.error.show()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        return False


def date_edit(parent: QWidget, day: dt.date | None = None) -> QDateEdit:
    """A date field as technicians type dates here: ISO order, a calendar, not after today."""
    edit = QDateEdit(parent)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMaximumDate(QDate.currentDate())
    edit.setDate(QDate(day or dt.date.today()))
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()  # type: ignore[no-any-return]


def count_box(parent: QWidget, maximum: int = 10_000_000, *, blank: str = "") -> NumberBox:
    """A count (a whole number from 0); 0 shows ``blank`` (e.g. 'not given') when that
    means 'none'. Group separators are read in the system locale's form."""
    return NumberBox(parent, whole=True, minimum=0, maximum=maximum, blank=blank)


def amount_box(parent: QWidget, suffix: str, maximum: float = 1_000_000.0,
               decimals: int = 3, *, blank: str = "") -> NumberBox:
    """An amount from 0 to ``maximum`` with up to ``decimals`` decimal places; '.', ',' and
    the Arabic decimal separator are all read as the decimal mark."""
    return NumberBox(parent, whole=False, minimum=0.0, maximum=maximum, decimals=decimals,
                     suffix=suffix, blank=blank)


def on_change(callback: Callable[[], None], *boxes: NumberBox) -> None:
    """Call ``callback`` when a number changes, or an entry becomes unreadable or readable
    again (so that nothing is worked out from a number the field no longer shows)."""
    for box in boxes:
        box.valueChanged.connect(lambda _value: callback())
        box.problemChanged.connect(lambda _problem: callback())
