"""One way to choose a value from a long list by typing: countries, institutes, crops.

A line edit with a list of choices under it. What is stored is what the person chose:

- the row highlighted (with Down/Up or a click) when they press Enter or Tab, or click it;
- otherwise what the typed text means on its own, when it means exactly one thing
  ("jor", "Jordan" and "JOR" are Jordan);
- an entry that could mean several things ("Congo") opens the list with a question and
  stores nothing until one is chosen; an entry that means nothing is shown as a problem
  (red frame, the reason in the tooltip) and stores nothing.

The list is a child of the window, drawn over the form, so that the focus never leaves the
line edit (nothing is chosen by a focus change) and a screenshot of the window shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genebank import problems
from genebank.problems import Coded
from genebank.services.refusals import Refused
from ui import messages

PROBLEM_STYLE = "QLineEdit { border: 1px solid #b00020; }"
# A dark frame and roomier rows, so that the list reads as a list over the form rather
# than as the text of the field it covers.
POPUP_STYLE = ("QFrame#pickerPopup { border: 1px solid palette(shadow); "
               "background: palette(base); }"
               "QListWidget { border: none; } QListWidget::item { padding: 2px 4px; }")
VISIBLE_ROWS = 8


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # what is stored
    text: str  # what the line edit shows once it is chosen
    label: str  # what the list shows


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a typed text offers and means."""

    choices: tuple[Choice, ...]  # to offer, exact ones first
    meant: Choice | None = None  # what the text means on its own (None: nothing, or several)
    ambiguous: bool = False  # several choices match exactly: the person must say which
    problem: str | None = None  # why nothing is meant (None for an empty text), worded
    refusal: Coded | None = None  # the same as the core's coded problem, for a refusal


def worded(refusal: Coded | None) -> str | None:
    """A lookup's coded problem in the user's words (None for none)."""
    return None if refusal is None else messages.say(refusal)


def picked(picker: Picker, refused_as: str) -> str | None:
    """The value chosen in ``picker`` for a form to save; an entry that names nothing, or
    several things, is refused with its reason rather than saved as something else: the
    core's refusal ``refused_as`` (e.g. ``"host_code_invalid"``, "host institute code:
    <why>"), carrying the lookup's coded problem as its cause."""
    if picker.problem():
        refusal = picker.lookup(picker.text()).refusal
        reason = problems.because(refusal) if refusal is not None else {
            "reason": picker.problem()}
        raise Refused(refused_as, **reason)
    return picker.value()


class _Popup(QFrame):
    """The list of choices, with a line above it when the picker has a question."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pickerPopup")
        self.setStyleSheet(POPUP_STYLE)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(6, 4, 6, 4)
        self.header.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.header)
        layout.addWidget(self.list)


class Picker(QLineEdit):
    """A line edit that stores a chosen value; subclasses give :meth:`lookup`."""

    changed = Signal()  # the stored value or the problem changed
    chosen = Signal(str)  # a value was chosen or resolved from the typing (not set_value)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self._choice: Choice | None = None
        self._problem: str | None = None
        self._committed = ""  # the text when the value was last chosen or set
        self._choices: tuple[Choice, ...] = ()
        self._popup: _Popup | None = None
        self.textEdited.connect(self._typed)

    # What subclasses give -----------------------------------------------------------------
    def lookup(self, text: str) -> Lookup:
        raise NotImplementedError

    def question(self) -> str:
        """The line above the list when an entry matches several choices."""
        return self.tr("Several match “{0}”: choose one").format(self.text().strip())

    def unknown(self) -> str:
        return self.tr("Nothing matches “{0}”").format(self.text().strip())

    # What forms use -----------------------------------------------------------------------
    def value(self) -> str | None:
        """The stored value: what was chosen, or what the typed text means; else None.
        Reading it never changes the text (the person may be typing)."""
        if self._pending():
            meant = self._typed_lookup().meant
            return meant.value if meant else None
        return self._choice.value if self._choice else None

    def problem(self) -> str | None:
        """Why the typed text stores nothing (unknown, or several to choose from)."""
        return self._typed_lookup().problem if self._pending() else self._problem

    def _pending(self) -> bool:
        """Whether the text was changed (typed, cleared) since the value was chosen."""
        return self.text() != self._committed

    def _typed_lookup(self) -> Lookup:
        return self.lookup(self.text()) if self.text().strip() else Lookup(())

    def raw_value(self) -> object:
        """The chosen value, else the text as typed (for a validator to name the problem)."""
        value = self.value()
        return value if value is not None else self.text().strip()

    def set_value(self, value: str | None) -> None:
        """Show a stored value (its own text when known, else the value as it is)."""
        self.hide_choices()
        if not value:
            self._set(None, None, "")
            return
        found = self.lookup(value)
        if found.meant is not None and found.meant.value == value:
            self._set(found.meant, None, found.meant.text)
        else:
            self._set(None, found.problem, value)

    def commit(self, *, ask: bool = True) -> None:
        """Take what the typed text means; with ``ask``, offer the choices when it is
        ambiguous or unknown."""
        if self._pending():
            found = self._typed_lookup()
            self._set(found.meant, found.problem,
                      found.meant.text if found.meant else self.text())
            if found.meant is not None:
                self.chosen.emit(found.meant.value)
        if ask and self._problem is not None:
            self._ask()

    def _ask(self) -> None:
        """Open the list with the question (several match) or the problem (none does)."""
        found = self.lookup(self.text())
        self._show_choices(found.choices,
                           self.question() if found.ambiguous else self.unknown())

    def choose(self, row: int) -> None:
        """Store the choice at ``row`` of the list (Enter, Tab or a click on it)."""
        choice = self._choices[row]
        self._set(choice, None, choice.text)
        self.hide_choices()
        self.chosen.emit(choice.value)

    def choices_shown(self) -> list[str]:
        """The rows of the open list (empty when it is closed)."""
        if not self.popup_visible():
            return []
        return [c.label for c in self._choices]

    def popup_visible(self) -> bool:
        return self._popup is not None and self._popup.isVisible()

    def highlighted(self) -> int:
        return self._popup.list.currentRow() if self.popup_visible() else -1  # type: ignore[union-attr]

    def popup(self) -> _Popup | None:
        return self._popup

    def hide_choices(self) -> None:
        if self._popup is not None:
            self._popup.hide()

    # Keys and focus -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            was_open = self.popup_visible()
            if self._take_highlighted():
                return  # Enter in an open list chooses; it does not also save the form
            self.commit(ask=False)
            if self._problem is not None:
                self._ask()
                return
            self.hide_choices()
            if was_open:
                return
        if key == Qt.Key.Key_Escape and self.popup_visible():
            self.hide_choices()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)):
            if not self._take_highlighted():
                self.commit(ask=False)
            self.hide_choices()
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if event.reason() not in (Qt.FocusReason.PopupFocusReason,
                                  Qt.FocusReason.ActiveWindowFocusReason):
            self.commit(ask=False)
            self.hide_choices()
        super().focusOutEvent(event)

    # Inside -------------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:
        self.hide_choices()  # e.g. its tab was left: the list must not stay over another
        super().hideEvent(event)

    def _typed(self, text: str) -> None:
        self.setStyleSheet(PROBLEM_STYLE if not self._pending() and self._problem else "")
        self.setToolTip(self._tooltip())
        self._show_choices(self.lookup(text).choices if text.strip() else ())
        self.changed.emit()

    def _take_highlighted(self) -> bool:
        row = self.highlighted()
        if row < 0:
            return False
        self.choose(row)
        return True

    def _move(self, step: int) -> None:
        if not self.popup_visible():
            self._show_choices(self.lookup(self.text()).choices)
            if not self.popup_visible():
                return
        assert self._popup is not None
        rows = self._popup.list.count()
        row = self._popup.list.currentRow()
        row = 0 if row < 0 and step > 0 else min(max(row + step, -1), rows - 1)
        self._popup.list.setCurrentRow(row)

    def _set(self, choice: Choice | None, problem: str | None, text: str) -> None:
        before = (self._choice, self._problem)
        self._choice, self._problem = choice, problem
        if self.text() != text:
            self.setText(text)
        self._committed = text
        self.setStyleSheet(PROBLEM_STYLE if problem else "")
        self.setToolTip(self._tooltip())
        if before != (choice, problem):
            self.changed.emit()

    def _tooltip(self) -> str:
        problem = None if self._pending() else self._problem
        return "\n".join(p for p in (problem, self.help_text()) if p)

    def help_text(self) -> str:
        return getattr(self, "_base_tooltip", "")

    def set_help(self, text: str) -> None:
        """The tooltip that says what the picker offers (a problem is shown above it)."""
        self._base_tooltip = text
        self.setToolTip(self._tooltip())

    def _show_choices(self, choices: tuple[Choice, ...], header: str = "") -> None:
        self._choices = choices
        if not choices and not header:
            self.hide_choices()
            return
        popup = self._ensure_popup()
        popup.list.clear()
        for choice in choices:
            QListWidgetItem(choice.label, popup.list)
        popup.list.setCurrentRow(-1)
        popup.list.clearSelection()
        popup.header.setText(header)
        popup.header.setVisible(bool(header))
        popup.list.setVisible(bool(choices))
        self._place(popup)
        popup.show()
        popup.raise_()

    def _ensure_popup(self) -> _Popup:
        window = self.window()
        if self._popup is None or self._popup.parent() is not window:
            self._popup = _Popup(window)
            self._popup.list.itemClicked.connect(
                lambda item: self.choose(self._popup.list.row(item)))  # type: ignore[union-attr]
        return self._popup

    def _place(self, popup: _Popup) -> None:
        """Under the line edit (over it when the window has no room below), as wide as the
        line edit or the longest row, inside the window."""
        window = popup.parentWidget()
        row_height = popup.list.sizeHintForRow(0) if popup.list.count() else 0
        rows = min(popup.list.count(), VISIBLE_ROWS)
        header = 0
        popup.header.ensurePolished()  # its bold font, for its width
        header_width = (popup.header.fontMetrics().horizontalAdvance(popup.header.text()) + 24
                        if popup.header.isVisibleTo(popup) else 0)
        widest = max(popup.list.sizeHintForColumn(0) + 30, self.width(), header_width)
        width = min(widest, window.width() - 8)
        if popup.header.isVisibleTo(popup):
            popup.header.setFixedWidth(width - 2)
            header = popup.header.heightForWidth(width - 2) + 8
        height = header + rows * row_height + (6 if rows else 2)
        popup.list.setFixedHeight(rows * row_height + 4 if rows else 0)
        below = self.mapTo(window, QPoint(0, self.height()))
        above = self.mapTo(window, QPoint(0, 0)).y() - height
        top = below.y() if below.y() + height <= window.height() or above < 0 else above
        left = min(max(below.x(), 4), max(window.width() - width - 4, 4))
        popup.setGeometry(left, top, width, height)
