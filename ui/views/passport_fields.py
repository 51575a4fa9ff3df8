"""Editors for MCPD values, one per kind of descriptor, each speaking plain Python values.

Every editor has ``changed``, ``raw_value()`` (what the user typed, for
``genebank.mcpd.check_passport``) and ``set_value(canonical)``. Line editors tidy what was
typed into the canonical form when the user leaves the field, so a person can type
``10 30 20 S`` or ``kaz001`` and see ``103020S`` and ``KAZ001``.
"""

from __future__ import annotations

import calendar
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank import mcpd
from genebank.country_search import Scope
from genebank.mcpd import Descriptor, Kind
from genebank.numbers import NumberRefused
from ui.views import shown_values
from ui.views.number_box import format_number, read_typed
from ui.views.picker import Lookup
from ui.views.pickers import CountryPicker, CropPicker, InstitutePicker

NUMBER_KINDS = {Kind.LATITUDE_DECIMAL, Kind.LONGITUDE_DECIMAL, Kind.INTEGER, Kind.NUMBER}
COORDINATE_RANGES = {Kind.LATITUDE_DECIMAL: (-90, 90), Kind.LONGITUDE_DECIMAL: (-180, 180)}
NORMALISED_KINDS = {Kind.INSTCODE, Kind.INSTCODES, Kind.LATITUDE_DMS, Kind.LONGITUDE_DMS,
                    Kind.LATITUDE_DECIMAL, Kind.LONGITUDE_DECIMAL, Kind.INTEGER, Kind.NUMBER}


def display_text(descriptor: Descriptor, value: Any) -> str:
    """The text a line editor shows for a canonical value."""
    if value is None or value == []:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


class LineField(QLineEdit):
    changed = Signal()

    def __init__(self, descriptor: Descriptor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.descriptor = descriptor
        self.setPlaceholderText(descriptor.hint)
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self.changed)
        if descriptor.kind in NORMALISED_KINDS:
            self.editingFinished.connect(self.normalise)

    def raw_value(self) -> object:
        """The text typed; a number field gives the number it means under the system
        locale, or its text when it reads none (decimal degrees may be DMS, 44°41'51"S),
        which the passport checks then read or refuse."""
        kind = self.descriptor.kind
        if kind not in NUMBER_KINDS:
            return self.text()
        low, high = COORDINATE_RANGES.get(kind, (None, None))
        try:
            value = read_typed(self.text(), whole=kind is Kind.INTEGER, minimum=low,
                               maximum=high)
        except NumberRefused:
            return self.text()
        return self.text() if value is None else value

    def set_value(self, value: Any) -> None:
        self.setText(self.shown_text(value))

    def shown_text(self, value: Any) -> str:
        """A canonical value as this field shows it: numbers in the system's format."""
        if self.descriptor.kind in NUMBER_KINDS and isinstance(value, int | float) \
                and not isinstance(value, bool):
            return format_number(value, whole=self.descriptor.kind is Kind.INTEGER)
        return display_text(self.descriptor, value)

    def normalise(self) -> None:
        try:
            value = mcpd.parse_field(self.descriptor.code, self.raw_value())
        except mcpd.InvalidValue:
            return
        text = self.shown_text(value)
        if text != self.text():
            self.setText(text)
            self.changed.emit()


class MultiLineField(QPlainTextEdit):
    """Several values, one per line (names, other numbers, remarks)."""

    changed = Signal()

    def __init__(self, descriptor: Descriptor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.descriptor = descriptor
        self.setPlaceholderText(descriptor.hint or self.tr("One per line"))
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.textChanged.connect(self.changed)

    def raw_value(self) -> object:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        self.setPlainText("\n".join(value or []))


class CodeField(QComboBox):
    """One code from an MCPD list, shown as code and meaning; type digits to jump."""

    changed = Signal()

    def __init__(self, descriptor: Descriptor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.descriptor = descriptor
        self.addItem(self.tr("(not given)"), None)
        for code, meaning in mcpd.CODE_LISTS[descriptor.code].items():
            self.addItem(f"{code} – {meaning}", code)
        self.currentIndexChanged.connect(self.changed)

    def raw_value(self) -> object:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class StorageField(QWidget):
    """STORAGE: a box to tick for each storage type (several may apply)."""

    changed = Signal()

    def __init__(self, descriptor: Descriptor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.descriptor = descriptor
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[int, QCheckBox] = {}
        for i, (code, meaning) in enumerate(mcpd.STORAGE.items()):
            box = QCheckBox(shown_values.ltr(f"{code} {meaning}"), self)  # 13 first, in RTL too
            box.toggled.connect(self.changed)
            layout.addWidget(box, i // 3, i % 3)
            self.boxes[code] = box

    def raw_value(self) -> object:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        for code, box in self.boxes.items():
            with QSignalBlocker(box):
                box.setChecked(code in (value or []))


class CountryField(CountryPicker):
    """ORIGCTY: a country typed by code or name, current or former (ISO 3166-3, e.g. SUN);
    the one highlighted or meant is stored, an ambiguous or unknown entry is an error."""

    def __init__(self, descriptor: Descriptor, parent: QWidget | None = None) -> None:
        super().__init__(Scope.ORIGIN, parent)
        self.descriptor = descriptor


class InstituteField(InstitutePicker):
    """INSTCODE, DONORCODE: a WIEWS code from the local directory, by code or name, or a
    new code of the right form."""

    def __init__(self, descriptor: Descriptor, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, parent)
        self.descriptor = descriptor


class InstituteCodesField(InstitutePicker):
    """COLLCODE, BREDCODE, DUPLSITE: several WIEWS codes separated by ';'. The list offers
    the directory's institutes for the code being typed (the last one); the text is the
    value, checked like any line field."""

    def __init__(self, descriptor: Descriptor, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, parent)
        self.descriptor = descriptor
        self.setPlaceholderText(descriptor.hint)

    def lookup(self, text: str) -> Lookup:
        """Choices for the last code; the text as a whole means nothing to choose."""
        return Lookup(super().lookup(text.rpartition(";")[2]).choices)

    def choose(self, row: int) -> None:
        """Put the highlighted institute's code in place of the code being typed."""
        head = self.text().rpartition(";")[0]
        code = self._choices[row].value
        self._set(None, None, f"{head};{code}" if head else code)
        self.hide_choices()
        self.changed.emit()

    def raw_value(self) -> object:
        return self.text()

    def set_value(self, value: Any) -> None:
        self.hide_choices()
        self._set(None, None, display_text(self.descriptor, value))

    def commit(self, *, ask: bool = True) -> None:
        self.normalise()

    def normalise(self) -> None:
        """Tidy the codes as typed ("kaz001; uzb006" -> "KAZ001;UZB006") when left."""
        try:
            value = mcpd.parse_field(self.descriptor.code, self.text())
        except mcpd.InvalidValue:
            return
        text = display_text(self.descriptor, value)
        if text != self.text():
            self._set(None, None, text)
            self.changed.emit()


class CropField(CropPicker):
    """CROPNAME: free text, with the crop names already used offered as it is typed."""

    def __init__(self, descriptor: Descriptor, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(session_factory, parent)
        self.descriptor = descriptor
        self.setPlaceholderText(descriptor.hint)


class PartialDateField(QWidget):
    """A date whose month or day may be unknown: year, then month and day lists with '--'."""

    changed = Signal()

    def __init__(self, descriptor: Descriptor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.descriptor = descriptor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.year = QLineEdit(self)
        self.year.setPlaceholderText(self.tr("Year"))
        self.year.setValidator(QIntValidator(0, 9999, self.year))
        self.year.setMaxLength(4)
        self.year.setFixedWidth(self.year.fontMetrics().horizontalAdvance("00000") + 16)
        self.month = QComboBox(self)
        self.month.addItem(self.tr("month unknown"), "--")
        for number in range(1, 13):
            self.month.addItem(f"{number:02d} {calendar.month_name[number]}", f"{number:02d}")
        self.day = QComboBox(self)
        self.day.addItem(self.tr("day unknown"), "--")
        for number in range(1, 32):
            self.day.addItem(f"{number:02d}", f"{number:02d}")
        for widget in (self.year, self.month, self.day):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.year.textEdited.connect(self.changed)
        self.month.currentIndexChanged.connect(self.changed)
        self.day.currentIndexChanged.connect(self.changed)
        self.setFocusProxy(self.year)

    def raw_value(self) -> object:
        year = self.year.text().strip()
        month, day = self.month.currentData(), self.day.currentData()
        if not year and month == "--" and day == "--":
            return ""
        return f"{year or '----'}{month}{day}"

    def set_value(self, value: Any) -> None:
        value = value or ""
        self.year.setText(value[:4])
        self.month.setCurrentIndex(max(self.month.findData(value[4:6] or "--"), 0))
        self.day.setCurrentIndex(max(self.day.findData(value[6:8] or "--"), 0))


class AvailabilityField(QCheckBox):
    """Genesys's AVAILABLE, "available for distribution": yes, no, or not known (the third,
    partly checked state, where every accession starts); the box says which in words."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTristate(True)
        self.setCheckState(Qt.CheckState.PartiallyChecked)
        self._words()
        self.checkStateChanged.connect(lambda _state: (self._words(), self.changed.emit()))

    def raw_value(self) -> bool | None:
        state = self.checkState()
        return None if state == Qt.CheckState.PartiallyChecked \
            else state == Qt.CheckState.Checked

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self):
            self.setCheckState(Qt.CheckState.PartiallyChecked if value is None
                               else Qt.CheckState.Checked if value
                               else Qt.CheckState.Unchecked)
        self._words()

    def _words(self) -> None:
        value = self.raw_value()
        self.setText(self.tr("Not known") if value is None
                     else self.tr("Yes") if value else self.tr("No"))


FieldEditor = LineField | MultiLineField | CodeField | StorageField | CountryField | \
    PartialDateField | InstituteField | InstituteCodesField | CropField | AvailabilityField


def make_editor(descriptor: Descriptor, parent: QWidget | None = None, *,
                session_factory: sessionmaker[Session] | None = None) -> FieldEditor:
    """The editor for ``descriptor``; with a ``session_factory``, single institute codes and
    the crop name get pickers that search the database."""
    if session_factory is not None:
        if descriptor.kind is Kind.INSTCODE:
            return InstituteField(descriptor, session_factory, parent)
        if descriptor.kind is Kind.INSTCODES:
            return InstituteCodesField(descriptor, session_factory, parent)
        if descriptor.code == "CROPNAME":
            return CropField(descriptor, session_factory, parent)
    match descriptor.kind:
        case Kind.TEXTS | Kind.OTHERNUMB | Kind.REMARKS:
            return MultiLineField(descriptor, parent)
        case Kind.CODE:
            return CodeField(descriptor, parent)
        case Kind.CODES:
            return StorageField(descriptor, parent)
        case Kind.COUNTRY:
            return CountryField(descriptor, parent)
        case Kind.DATE:
            return PartialDateField(descriptor, parent)
    return LineField(descriptor, parent)
