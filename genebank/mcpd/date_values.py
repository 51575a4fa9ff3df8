"""Reading MCPD dates: ``YYYYMMDD`` with ``--`` for unknown parts, from MCPD, ISO and
spreadsheet forms and day- or month-first dates (12/03/1998) when only one order makes a
date or the file's order is given; a value that cannot be read raises
:class:`InvalidValue`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from genebank import problems
from genebank.mcpd.invalid_value import InvalidValue
from genebank.mcpd.text_values import is_empty

problems.register({
    "date_not_whole": "{value} is not a date (write YYYYMMDD, e.g. 19750612)",
    "date_year_missing": "the year is missing; a date needs at least its year",
    "date_unreadable": "'{text}' is not a date (write YYYYMMDD, e.g. 19750612 or 1975----)",
    "date_year_too_early": "the year {year} is too early for a gene bank record",
    "date_no_such_month": "'{text}' has no month {month}",
    "date_day_without_month": "'{text}' has a day but no month; write the month or use --",
    "date_no_such_day": "'{text}': {month:month} {year} has no day {day}",
    "value_date_in_future": "{date} is in the future",
    "date_order_ambiguous": "'{text}' could be {day_first} (day first) or {month_first} "
                            "(month first): say how the file writes its dates",
    "date_not_day_first": "'{text}' does not fit the day-first order given for this file "
                          "(it reads only month first, as {month_first}): check the file's "
                          "dates and the order given",
    "date_not_month_first": "'{text}' does not fit the month-first order given for this "
                            "file (it reads only day first, as {day_first}): check the "
                            "file's dates and the order given",
    "date_two_digit_year": "'{text}' has a two-digit year; write the year in full",
    "number_not_a_date": "{value:number} is not a date (write YYYYMMDD, e.g. 19750612 or "
                         "1975----)",
})

_DATE_RE = re.compile(r"^(\d{4})(\d\d|--)(\d\d|--)$")

DAY_FIRST, MONTH_FIRST = "dmy", "mdy"  # how a file writes 12/03/1998 (``parse_date(order=)``)
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)
_DAY_MONTH_RE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")


def parse_date(raw: object, *, today: dt.date | None = None,
               order: str | None = None) -> str | None:
    """A full or partial date as canonical ``YYYYMMDD`` with ``--`` for unknown parts.

    Accepts MCPD forms (``19750612``, ``197506--``, ``19750600``, ``1975----``), ISO forms
    (``1975``, ``1975-06``, ``1975-06-12``), spreadsheet dates and numbers (``19750600``),
    and day- or month-first dates (``12/03/1998``, ``12.03.1998``, ``12-03-1998``): read
    when only one order makes a date (a part above 12, or both parts equal), else in the
    file's ``order`` (:data:`DAY_FIRST` or :data:`MONTH_FIRST`); without it such a date is
    refused as ambiguous (``date_order_ambiguous``), never guessed.
    """
    if is_empty(raw):
        return None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.strftime("%Y%m%d")
    if isinstance(raw, int | float) and not isinstance(raw, bool) and \
            not abs(raw) < 100_000_000:  # more than YYYYMMDD's 8 digits, inf, nan
        raise InvalidValue(code="number_not_a_date", params={"value": raw})
    if isinstance(raw, float):
        if not raw.is_integer():
            raise InvalidValue(code="date_not_whole", params={"value": raw})
        raw = int(raw)
    text = written = str(raw).strip()  # messages quote what the cell held, not our form
    day_month = _DAY_MONTH_RE.match(text)
    if day_month:
        text = _day_month_as_mcpd(text, day_month, order)
    iso = re.match(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$", text)
    if iso:
        year, month, day = iso.groups()
        text = year + (month.zfill(2) if month else "--") + (day.zfill(2) if day else "--")
    elif re.match(r"^\d{6}$", text):
        text += "--"
    if text.startswith("----") and len(text) == 8:
        raise InvalidValue(code="date_year_missing")
    match = _DATE_RE.match(text)
    if not match:
        raise InvalidValue(code="date_unreadable", params={"text": written})
    year_s, month_s, day_s = match.groups()
    year = int(year_s)
    month = None if month_s in {"--", "00"} else int(month_s)
    day = None if day_s in {"--", "00"} else int(day_s)
    if year < 1700:
        raise InvalidValue(code="date_year_too_early", params={"year": year})
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue(code="date_no_such_month", params={"text": written, "month": month})
    if month is None and day is not None:
        raise InvalidValue(code="date_day_without_month", params={"text": written})
    if day is not None and month is not None and day > calendar.monthrange(year, month)[1]:
        raise InvalidValue(code="date_no_such_day", params={
            "text": written, "year": year, "month": month, "day": day})
    earliest = dt.date(year, month or 1, day or 1)
    if earliest > (today or dt.date.today()):
        raise InvalidValue(code="value_date_in_future",
                           params={"date": format_date(_dashed(text))})
    return f"{year:04d}{month_s if month else '--'}{day_s if day else '--'}"


def _day_month_as_mcpd(text: str, match: re.Match[str], order: str | None) -> str:
    """``DD/MM/YYYY`` or ``MM/DD/YYYY`` as ``YYYYMMDD``, in the one order that makes a date,
    else in ``order``; refused when both could and no order is given. The checks of the
    MCPD form (no month 13, no 31 February) then judge the result."""
    first, _, second, year = match.groups()
    if len(year) == 2:
        raise InvalidValue(code="date_two_digit_year", params={"text": text})
    a, b = int(first), int(second)
    _refuse_against_order(text, int(year), a, b, order)
    if a > 12 >= b or a == b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif order in DATE_ORDERS:
        day, month = (a, b) if order == DAY_FIRST else (b, a)
    elif a > 12 and b > 12:
        day, month = a, b  # no order makes a date: refused below for its month
    else:
        raise InvalidValue(code="date_order_ambiguous", params={
            "text": text, "day_first": _maybe_date(int(year), b, a),
            "month_first": _maybe_date(int(year), a, b)})
    return f"{year}{month:02d}{day:02d}"


def _refuse_against_order(text: str, year: int, a: int, b: int, order: str | None) -> None:
    """A date that reads only in the other order than the one given (03/25/1998 under
    day first) is refused: it says the order is wrong for this file (or this column), and
    the file's other dates (12/03/1998) would then be stored in the wrong month."""
    if order == DAY_FIRST and b > 12 >= a:
        raise InvalidValue(code="date_not_day_first", params={
            "text": text, "month_first": _maybe_date(year, a, b)})
    if order == MONTH_FIRST and a > 12 >= b:
        raise InvalidValue(code="date_not_month_first", params={
            "text": text, "day_first": _maybe_date(year, b, a)})


def _maybe_date(year: int, month: int, day: int) -> dt.date | str:
    """The date for a message, or its digits when the calendar has no such day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return f"{year:04d}-{month:02d}-{day:02d}"


def _dashed(text: str) -> str:
    """YYYYMMDD with 00 for unknown parts written as --, for messages."""
    month, day = text[4:6], text[6:8]
    month = "--" if month == "00" else month
    return text[:4] + month + ("--" if day == "00" or month == "--" else day)


def format_date(value: str | None) -> str:
    """A canonical date for people: 1975-06-12, 1975-06 or 1975."""
    if not value:
        return ""
    year, month, day = value[:4], value[4:6], value[6:8]
    if month == "--":
        return year
    if day == "--":
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"
