"""Judging one cell of a passport import: what its value comes to, once per distinct value.

A catalogue repeats its institute, genus, country, codes and dates on thousands of rows:
each (descriptor, value) is parsed once and the outcome kept by its column
(:class:`Column`), with the note a reader should have when the value was tidied.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

from genebank import mcpd
from genebank.io.cells import csv_unescaped
from genebank.mcpd import readings
from genebank.text import long_item, passport_limits, terminal_safe

# Longest value each descriptor may hold: derived from the database columns' sizes.
MAX_LENGTHS: dict[str, int] = passport_limits()

# A problem said as its registered code and params.
Said = tuple[str, dict[str, object]]
# What one cell value of one descriptor comes to: (canonical value or None, why it is
# refused (the parser's problem, or said here), a note on how it was tidied).
Judged = tuple[Any, Said | mcpd.InvalidValue | None, Said | None]


class Column(NamedTuple):
    """One column of the file a descriptor is read from, with what its values came to."""

    code: str
    index: int
    letter: str
    judged: dict[object, Judged]  # by value; by (type, value) for all but text


# R writes a missing value as NA (write.csv, writexl): in a column of numbers, dates, code
# numbers, coordinates or institute codes it can be nothing else, and is read as empty
# (said once for the column). Never in text, where NA is a value (a name, an identifier),
# nor in ORIGCTY, where NA is Namibia's ISO 3166 alpha-2 code.
R_MISSING = "NA"
_R_MISSING_KINDS = frozenset({
    mcpd.Kind.INTEGER, mcpd.Kind.NUMBER, mcpd.Kind.DATE, mcpd.Kind.CODE, mcpd.Kind.CODES,
    mcpd.Kind.LATITUDE_DECIMAL, mcpd.Kind.LONGITUDE_DECIMAL, mcpd.Kind.LATITUDE_DMS,
    mcpd.Kind.LONGITUDE_DMS, mcpd.Kind.INSTCODE, mcpd.Kind.INSTCODES})


def reads_r_missing(code: str) -> bool:
    """Whether descriptor ``code`` reads R's NA as empty (see :data:`R_MISSING`)."""
    return code in mcpd.BY_CODE and mcpd.BY_CODE[code].kind in _R_MISSING_KINDS


def judge_cell(code: str, value: object, today: dt.date | None,
               escaped_file: Callable[[], bool], dates: str | None = None) -> Judged:
    """Judged once per distinct (descriptor, value) of an import: a catalogue repeats its
    institute, genus, country, codes and dates on thousands of rows. A leading apostrophe
    is taken as an export's escape only in a file written escaped (``escaped_file``): in an
    exact file "'=x" is the value itself."""
    escaped = False
    if isinstance(value, str):
        if value.strip() == R_MISSING and reads_r_missing(code):
            return None, None, None  # said once for its column (column_notes.say_r_missing)
        if len(value) > MAX_LENGTHS[code]:
            return None, ("value_too_long", {"length": len(value),
                                             "limit": MAX_LENGTHS[code]}), None
        unescaped = csv_unescaped(value) if value[:1] == "'" else None  # the rare case
        if unescaped is not None and escaped_file():  # written so no spreadsheet runs it
            value, escaped = unescaped, True
    try:
        canonical = mcpd.parse_field(code, value, today=today, dates=dates)
    except mcpd.InvalidValue as problem:
        return None, problem, None
    if canonical is None or canonical == []:
        return None, None, None
    if isinstance(canonical, list):  # each item is a row of its own, with its own limit
        too_long = long_item(code, canonical)
        if too_long is not None:
            item, limit = too_long
            return None, ("item_too_long", {"item": short(item), "length": len(item),
                                            "limit": limit}), None
    if isinstance(value, int | float):  # a number is said only where it is not stored so
        return canonical, None, readings.note(code, value, canonical) or None
    if escaped:  # the cell does not hold what is stored: say so, as for any tidying
        return canonical, None, ("escape_removed", {
            "first": value[:1], "value": short(as_text(canonical))})
    said = readings.note(code, value, canonical)
    if said is not None:
        return canonical, None, said or None
    return canonical, None, normalisation_note(value, canonical)




def normalisation_note(value: object, canonical: Any) -> Said | None:
    """What a reader should know when a cell was tidied into its canonical form."""
    if isinstance(value, dt.date | dt.datetime):
        return "spreadsheet_date_read", {"value": canonical}
    if not isinstance(value, str) or canonical == value or canonical == [value]:
        return None
    number = canonical[0] if isinstance(canonical, list) and len(canonical) == 1 else canonical
    if isinstance(number, float | int) and _same_number(value, number):
        return None  # '528.0' is 528: only how a program wrote the number differs
    shown = as_text(canonical)
    typed = unicodedata.normalize("NFC", value)  # composing accents changes nothing seen
    if shown == " ".join(typed.split()) or shown.casefold() == typed.strip().casefold():
        return None
    return "value_read_as", {"value": short(value), "shown": short(shown)}


def _same_number(text: str, number: float | int) -> bool:
    """Whether ``text`` is ``number`` written plainly (528.0, 528.50, +528): nothing a
    reader must be told about."""
    try:
        return float(text) == number
    except ValueError:
        return False


def as_text(value: Any) -> str:
    """A canonical value as a person reads it in a cell (lists joined by ';')."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def short(text: str, limit: int = 40) -> str:
    """A value for a message: one line, hidden controls written out (\\u202e), cut."""
    text = terminal_safe(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"
