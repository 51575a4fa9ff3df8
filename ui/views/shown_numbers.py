"""Numbers as a person reads them: in the operating system's regional format (QLocale()).

Every table, panel, summary and count that shows a number to a person goes through these
functions, so "6.5" reads "6,5" on a French system, "1234" reads "1 234" on a Russian one and
Arabic systems get their own digits. They build on :func:`format_number`, the format the
numeric inputs show, so a value shown here reads back as the same value when typed in a field.
Nothing here is for files: exports and stored values stay canonical (``genebank.numbers``).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt

from genebank.numbers import Number
from ui.views.number_box import format_number

# The space a language puts between a number and its percent sign (CLDR's percent format):
# French a narrow no-break space, Russian and German a no-break space, English none.
PERCENT_SPACE = {
    QLocale.Language.French: "\u202f",
    QLocale.Language.Russian: "\u00a0",
    QLocale.Language.German: "\u00a0",
    QLocale.Language.Spanish: "\u00a0",
}

# The item data role holding a shown number itself, for sorting and reading it back.
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 7


def count(value: int, locale: QLocale | None = None) -> str:
    """A whole number with the locale's digits and group separators: 1 234, ١٬٢٣٤."""
    return format_number(value, whole=True, locale=locale)


def decimal(value: float, locale: QLocale | None = None) -> str:
    """A measured value with the locale's digits and decimal mark, every stored digit kept:
    6,5 (never rounded, so what is shown is what is stored)."""
    return format_number(value, whole=False, locale=locale)


def number(value: Number, locale: QLocale | None = None) -> str:
    """A count (int) or a measure (float), each as the locale writes it."""
    return count(value, locale) if isinstance(value, int) else decimal(value, locale)


def percent(value: Number, locale: QLocale | None = None) -> str:
    """A percentage as the locale writes it: 62.5% (English), 62,5 % (French), ٦٢٫٥٪."""
    locale = locale or QLocale()
    return number(value, locale) + PERCENT_SPACE.get(locale.language(), "") + locale.percent()


def unit(value: Number, symbol: str, locale: QLocale | None = None) -> str:
    """A value with its unit after a no-break space: -18 °C, 2,5 g."""
    return f"{number(value, locale)}\u00a0{symbol}"


def optional(value: Number | None, locale: QLocale | None = None) -> str:
    """``number(value)``, or "" for a value not given."""
    return "" if value is None else number(value, locale)
