"""A small form that saves one record through a service, in one transaction.

Enter saves. A refusal (stock too small, a date in the future...) is shown in the dialog
in the service's own words and the typing stays, so nothing typed is lost; nothing is saved
unless everything is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from genebank import db
from genebank.services.errors import ServiceError

ERROR_STYLE = "color: #b00020;"


class RecordDialog(QDialog):
    """Subclasses add rows to ``self.form`` and implement ``apply(session)``."""

    def __init__(self, session_factory: sessionmaker[Session], title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.saved_id: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(440)  # room for the hints in the fields
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def user(self) -> str:
        return str(self.session_factory.kw.get("info", {}).get("user", ""))

    def apply(self, session: Session) -> Any:
        raise NotImplementedError

    def save(self) -> bool:
        try:
            with self.session_factory.begin() as session:
                self.saved_id = self.apply(session)
        except ServiceError as error:
            return self._refused(str(error))
        except DBAPIError as error:
            return self._refused(db.describe_engine_error(self.session_factory.kw["bind"],
                                                          error))
        self.accept()
        return True

    def _refused(self, message: str) -> bool:
        message = message[:1].upper() + message[1:]
        self.error.setText(message if message.rstrip().endswith("saved")
                           else message + ". Nothing was saved.")
        self.error.show()
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


def count_box(parent: QWidget, maximum: int = 10_000_000, *, blank: str = "") -> QSpinBox:
    """A count; 0 shows ``blank`` (e.g. 'not given') when that means 'none'."""
    box = QSpinBox(parent)
    box.setRange(0, maximum)
    box.setGroupSeparatorShown(True)
    if blank:
        box.setSpecialValueText(blank)
    return box


def amount_box(parent: QWidget, suffix: str, maximum: float = 1_000_000.0,
               decimals: int = 3, *, blank: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    if blank:
        box.setSpecialValueText(blank)
    return box


def optional(value: float) -> float | None:
    """Spin boxes show 0 as 'not given'."""
    return value or None


def on_change(callback: Callable[[], None], *boxes: QSpinBox) -> None:
    for box in boxes:
        box.valueChanged.connect(lambda _value: callback())
