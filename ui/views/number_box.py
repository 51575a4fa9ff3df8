"""The one numeric input of the application: a line edit read by :mod:`genebank.numbers`.

Qt's spin boxes read what is typed through the system locale's validator, which drops the
characters it does not expect: under French "6.5" became 65, under English "6,5" became 65,
and "140" was cut to 14.0. :class:`NumberBox` keeps the text as typed, reads it with the same
rules in every locale, shows a refusal instead of guessing, and shows values in the system's
regional format (QLocale()), reading them back exactly.

A field with ``blank`` text ("not given") is blank only when nothing is typed: a typed 0 is
the number 0 (seeds used, plants counted), read by :meth:`NumberBox.optional_value`.

Its API follows QSpinBox / QDoubleSpinBox where forms use it (``value()``, ``setValue()``,
``valueChanged``, ``setRange``, ``setSuffix``, ``setSpecialValueText``), so a form written for
a spin box keeps working; ``setValue(None)`` empties a field that has ``blank`` text.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from genebank.numbers import (
    DECIMAL_MARKS,
    Number,
    NumberRefused,
    Separators,
    canonical,
    check_range,
    plain_digits,
    read_number,
)
from ui import messages

INVALID_STYLE = "QLineEdit { border: 2px solid #b00020; }"


def locale_separators(locale: QLocale | None = None) -> Separators:
    """The decimal mark and group separator of ``locale`` (the system's by default)."""
    locale = locale or QLocale()
    return Separators(locale.decimalPoint(), locale.groupSeparator())


def read_typed(text: str, *, whole: bool, minimum: Number | None = None,
               maximum: Number | None = None, decimals: int | None = None) -> Number | None:
    """A number typed in a form under the system locale; raises NumberRefused."""
    return read_number(text, whole=whole, separators=locale_separators(), minimum=minimum,
                       maximum=maximum, decimals=decimals)


def format_number(value: Number, *, whole: bool, locale: QLocale | None = None) -> str:
    """``value`` in the locale's format (its digits, decimal mark, minus sign and, for whole
    numbers, its group separator), written so that :func:`read_typed` reads it back exactly.

    Every digit is kept. A locale that does not group in threes (en_IN "1,50,000") shows
    whole numbers ungrouped, since only groups of three are read. A decimal that looks
    grouped ("1.234", which may mean 1234) gets a trailing zero ("1.2340") so that it is
    not refused as ambiguous when read back.
    """
    locale = locale or QLocale()
    if whole:
        return str(_grouping_in_threes(locale).toString(int(value)))
    text = canonical(value)
    if _LOOKS_GROUPED.fullmatch(text):
        text += "0"
    zero = ord(locale.zeroDigit()[0]) if locale.zeroDigit() else ord("0")
    point = locale.decimalPoint() if locale.decimalPoint() in DECIMAL_MARKS else "."
    shown = []
    for char in text:
        if char.isdigit():
            shown.append(chr(zero + int(char)))
        elif char == ".":
            shown.append(point)
        elif char == "-":
            shown.append(locale.negativeSign())
        else:
            shown.append(char)
    return "".join(shown)


_LOOKS_GROUPED = re.compile(r"-?[1-9]\d{0,2}\.\d{3}")


def _grouping_in_threes(locale: QLocale) -> QLocale:
    """``locale`` itself if it groups whole numbers in threes, else a copy without groups."""
    group = locale.groupSeparator()
    sample = plain_digits(locale.toString(1_234_567_890))
    if not group or re.fullmatch(rf"1{re.escape(group)}234{re.escape(group)}567"
                                 rf"{re.escape(group)}890|1234567890", sample):
        return locale
    ungrouped = QLocale(locale)
    ungrouped.setNumberOptions(locale.numberOptions()
                               | QLocale.NumberOption.OmitGroupSeparator)
    return ungrouped


class NumberBox(QLineEdit):
    """A whole or decimal number within a range; an entry it cannot read is shown as refused."""

    valueChanged = Signal(object)  # the number read: an int or a float
    problemChanged = Signal(str)  # the refusal's message, "" once the entry reads

    def __init__(self, parent: QWidget | None = None, *, whole: bool,
                 minimum: Number = 0, maximum: Number = 10_000_000, decimals: int | None = None,
                 suffix: str = "", blank: str = "") -> None:
        super().__init__(parent)
        self.whole = whole
        self._minimum: Number = minimum
        self._maximum: Number = maximum
        self._decimals = decimals
        self._blank = blank
        self._value: Number = self._typed(minimum)
        self._problem = ""
        self._tooltip = ""
        self._refusal: NumberRefused | None = None
        self._shown: tuple[str, Number] | None = None
        self._suffix = QLabel(self)
        self._suffix.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._suffix.setStyleSheet("color: palette(placeholder-text);")
        self.setSuffix(suffix)
        self.setPlaceholderText(blank)
        self.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.textChanged.connect(self._read)
        self.editingFinished.connect(self._tidy)
        self._show(None if blank else self._value)

    # The spin box API forms use ---------------------------------------------------------
    def value(self) -> Number:
        """The number in the field; its minimum when blank (shown as the ``blank`` text)."""
        return self._value

    def setValue(self, value: Number | None) -> None:
        """Show ``value`` (a value outside the range is shown, and refused, not clamped);
        None empties the field ("not given")."""
        self._show(None if value is None else self._typed(value))

    def minimum(self) -> Number:
        return self._minimum

    def maximum(self) -> Number:
        return self._maximum

    def setMinimum(self, minimum: Number) -> None:
        self.setRange(minimum, max(minimum, self._maximum))

    def setMaximum(self, maximum: Number) -> None:
        self.setRange(min(self._minimum, maximum), maximum)

    def setRange(self, minimum: Number, maximum: Number) -> None:
        self._minimum, self._maximum = self._typed(minimum), self._typed(maximum)
        if not self.text().strip() and self._blank:
            self._read()  # still "not given"
        elif not self.text().strip() or self._value < minimum or self._value > maximum:
            self.setValue(self._value)
        else:
            self._read()

    def decimals(self) -> int | None:
        return self._decimals

    def setDecimals(self, decimals: int) -> None:
        self._decimals = decimals

    def suffix(self) -> str:
        return self._suffix.text()

    def setSuffix(self, suffix: str) -> None:
        self._suffix.setText(suffix.strip())
        self._suffix.setVisible(bool(suffix.strip()))
        self._place_suffix()

    def specialValueText(self) -> str:
        return self._blank

    def setSpecialValueText(self, text: str) -> None:
        self._blank = text
        self.setPlaceholderText(text)
        self._read()

    def setToolTip(self, text: str) -> None:
        """The field's own help; a refusal is shown in its place while there is one."""
        self._tooltip = text
        super().setToolTip(self._problem[:1].upper() + self._problem[1:] if self._problem
                           else text)

    def setGroupSeparatorShown(self, _shown: bool) -> None:
        """Whole numbers always show the locale's group separators; decimals never do."""

    # Reading --------------------------------------------------------------------------------
    def problem(self) -> str:
        """Why the entry cannot be read ("" when it can)."""
        return self._problem

    def refusal(self) -> NumberRefused | None:
        """The refusal with its code and parameters, for a caller that words it itself."""
        return self._refusal

    def is_blank(self) -> bool:
        """True when the field holds no number ("not given")."""
        return not self.text().strip() and bool(self._blank)

    def optional_value(self) -> Number | None:
        """The number, or None when nothing is typed; a typed 0 (or minimum) is that number."""
        return None if not self._entry().strip() else self._value

    def _typed(self, value: Number) -> Number:
        return int(value) if self.whole else float(value)

    def _show(self, value: Number | None) -> None:
        text = "" if value is None else \
            format_number(value, whole=self.whole, locale=self.locale())
        value = self._minimum if value is None else value
        self._shown = (text, value)
        if text != self.text():
            self.setText(text)  # reads it back through _read
        else:
            self._read()

    def _entry(self) -> str:
        """The text typed, without the suffix if it was typed too."""
        text = self.text()
        suffix = self._suffix.text()
        if suffix and text.rstrip().endswith(suffix):
            text = text.rstrip()[:-len(suffix)]
        return text

    def _read(self) -> None:
        text = self._entry()
        refusal: NumberRefused | None = None
        value: Number | None
        try:
            if self._shown is not None and text == self._shown[0] and text:
                value = self._shown[1]  # what setValue showed reads back as exactly that
                check_range(value, minimum=self._minimum, maximum=self._maximum)
            else:
                value = read_number(text, whole=self.whole,
                                    separators=locale_separators(self.locale()),
                                    minimum=self._minimum, maximum=self._maximum,
                                    decimals=self._decimals)
        except NumberRefused as error:
            refusal, value = error, None
        if refusal is None and value is None:
            if self._blank:
                value = self._minimum
            else:
                refusal = NumberRefused("required")
        self._set_problem(refusal)
        if value is not None and (value != self._value or type(value) is not type(self._value)):
            self._value = self._typed(value)
            self.valueChanged.emit(self._value)

    def _set_problem(self, refusal: NumberRefused | None) -> None:
        message = messages.say(refusal) if refusal else ""
        self._refusal = refusal
        if message == self._problem:
            return
        self._problem = message
        self.setStyleSheet(INVALID_STYLE if message else "")
        super().setToolTip(message[:1].upper() + message[1:] if message else self._tooltip)
        self.problemChanged.emit(message)

    def _tidy(self) -> None:
        """Once typing is done, show a readable entry in the locale's format."""
        if not self._problem and self.text().strip():
            self._show(self._value)

    # The suffix, drawn inside the field at its end -----------------------------------------
    def _place_suffix(self) -> None:
        if not self._suffix.text():
            self.setTextMargins(0, 0, 0, 0)
            return
        self._suffix.adjustSize()
        width = self._suffix.width() + 6
        rect = self.rect()
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            self.setTextMargins(width, 0, 0, 0)
            self._suffix.move(4, (rect.height() - self._suffix.height()) // 2)
        else:
            self.setTextMargins(0, 0, width, 0)
            self._suffix.move(rect.width() - width, (rect.height() - self._suffix.height()) // 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up and Down step the number by one, as in a spin box, within the range."""
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
        if step is None or self._problem:
            super().keyPressEvent(event)
            return
        stepped = min(self._maximum, max(self._minimum, self._value + step))
        if stepped != self._value:
            self._show(self._typed(stepped))
            self.selectAll()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_suffix()

