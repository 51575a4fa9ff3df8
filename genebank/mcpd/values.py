"""Parsing MCPD values from what people type (or spreadsheets hold) into canonical form.

Every ``parse_*`` function takes a raw value (usually a string, but numbers and dates from
spreadsheets too) and returns the canonical value, or ``None`` for an empty field. A value
that cannot be understood raises :class:`InvalidValue`: a code and its params, registered
below with the English a user reads (the CLI, an import's preview) and that the GUI words
in the user's language.
Canonical forms follow MCPD v2.1: dates ``YYYYMMDD`` with ``--`` for missing parts, DMS as
``DDMMSSH``/``DDDMMSSH`` with ``-`` for missing digits, codes upper case, multi-values as lists.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping

from genebank import country_search, numbers, problems
from genebank.problems import Coded
from genebank.text import TextKind, clean_text


class InvalidValue(Coded, ValueError):
    """A value that cannot be read: ``code`` (registered below) and its ``params``;
    ``str(error)`` is its English, for the CLI and an import's preview."""

    def __init__(self, *, code: str, params: dict[str, object] | None = None) -> None:
        super().__init__(code=code, params=params)


problems.register({
    "value_control_character": "contains an invisible control character ({character}); "
                               "retype the value",
    "not_a_code": "is not a code",
    "not_a_whole_code": "{value} is not a whole-number code",
    "not_a_code_number": "'{text}' is not a code number",
    "code_not_valid": "{number} is not a valid code (valid: {valid})",
    "instcode_invalid": "'{text}' is not a WIEWS institute code (three letters and a number, "
                        "e.g. KAZ001)",
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
    "country_code_invalid": "'{text}' is not an ISO 3166 country code (e.g. KAZ, TUR, SEN)",
    "coordinate_hemisphere": "'{text}' needs one of {first} or {second}",
    "coordinate_unreadable": "'{text}' is not a coordinate (e.g. 10°30'20\"{hemisphere})",
    "coordinate_minutes_too_big": "'{text}': minutes and seconds must be below 60",
    "dms_seconds_without_minutes": "'{text}' has seconds but no minutes",
    "coordinate_beyond_limit": "'{text}' is beyond {limit}°",
    "dms_latitude_unreadable": "'{text}' is not a DMS coordinate (write e.g. 103020S or "
                               "10----S, with leading zeros)",
    "dms_longitude_unreadable": "'{text}' is not a DMS coordinate (write e.g. 0762510W or "
                                "076----W, with leading zeros)",
    "dms_whole_degrees": "'{text}': write whole degrees and minutes, or use the decimal field",
    "number_refused": "{reason}",
    "latitude_out_of_range": "{value:g} is outside the latitude range −90 to 90",
    "longitude_out_of_range": "{value:g} is outside the longitude range −180 to 180",
    "not_a_whole_number": "'{value}' is not a whole number",
    "fraction_not_a_whole_number": "'{value:g}' is not a whole number",
    "number_too_large_at_most": "{value:number} is too large a number (at most {maximum:,})",
    "value_not_a_number": "'{value}' is not a number",
    "number_too_large": "{value:number} is too large a number",
    "othernumb_no_identifier": "'{item}' has no identifier after the ':'",
    "othernumb_bad_institute": "'{item}': '{prefix}' is not a WIEWS institute code (write "
                               "INSTCODE:ID)",
    "value_out_of_range": "{value:number} is outside the possible range of {field} ({minimum} to "
                          "{maximum} {unit})",
    "number_not_a_date": "{value:number} is not a date (write YYYYMMDD, e.g. 19750612 or "
                         "1975----)",
    "boolean_in_text": "'{text}' is a spreadsheet's true/false value, not text (a formula or "
                       "a format may have made it): write the value itself",
    "mlsstat_unreadable": "'{text}' is not an MLS status: write 1 (included), 0 (not "
                          "included), 99 (other), Y/N, yes/no or true/false",
    "dms_sixty": "'{text}' has 60 seconds or minutes; that is {carried}, but no decimal "
                 "coordinate in the record confirms it: write {carried}, or give the decimal "
                 "coordinate too",
    "degrees_minutes_ambiguous": "'{text}' could be decimal degrees ({decimal:g}) or "
                                 "degrees and minutes ({degrees}° {minutes}'): write the "
                                 "decimal degrees in {decimal_field} as {decimal:g} (no "
                                 "letter; south and west are negative), or DMS in "
                                 "{dms_field}: {dms_minutes} for {degrees}° {minutes}', "
                                 "{dms_decimal} for {decimal:g}",
    "genus_character": "'{text}' is not a genus name: '{character}' ({unicode}) cannot be "
                       "in one (a genus is one word of Latin letters, perhaps with a hyphen, "
                       "or a hybrid genus written with ×, e.g. ×Triticosecale)",
})


_MULTI_SPLIT = re.compile(r"\s*[;\n\r]\s*")
_CODE_SPLIT = re.compile(r"[\s;,]+")
INSTCODE_RE = re.compile(r"^[A-Z]{3}\d{3,4}$")
_DATE_RE = re.compile(r"^(\d{4})(\d\d|--)(\d\d|--)$")
_LAT_DMS_RE = re.compile(r"^([0-8]\d|90)([0-5]\d|--)([0-5]\d|--)([NS])$")
_LON_DMS_RE = re.compile(r"^(0\d\d|1[0-7]\d|180)([0-5]\d|--)([0-5]\d|--)([EW])$")
_REMARK_ITEM_RE = re.compile(r"^[A-Z][A-Z0-9]*:.+$")


def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def parse_text(raw: object, *, identifier: bool = False) -> str | None:
    """One line of text, NFC-normalised, its spaces trimmed (and line breaks collapsed).
    Invisible control characters (``genebank.text``) are refused in an ``identifier`` and
    removed elsewhere: the import says so, as for any tidying of a value."""
    if type(raw) is str:  # the common case first: an import parses millions of cells
        if raw.isascii() and raw.isprintable():
            text = raw.strip()
            return text or None
        cleaned = clean_text(raw, field="", kind=TextKind.IDENTIFIER if identifier
                             else TextKind.LINE)
        if cleaned.errors:
            character = cleaned.errors[0].params["character"]
            raise InvalidValue(code="value_control_character",
                               params={"character": character})
        text = " ".join(cleaned.text.split()) if "\n" in cleaned.text else \
            cleaned.text.strip()
        return text or None
    if is_empty(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return parse_text(str(raw), identifier=identifier)


def parse_texts(raw: object) -> list[str]:
    """Several values separated by ';' (or given one per line, or as a list)."""
    if type(raw) is str and ";" not in raw and "\n" not in raw and "\r" not in raw:
        text = parse_text(raw)
        return [text] if text else []
    if is_empty(raw):
        return []
    if not isinstance(raw, str | list | tuple):
        raw = parse_text(raw) or ""  # a number cell: 12345.0 is read as 12345
    items = raw if isinstance(raw, list | tuple) else _MULTI_SPLIT.split(raw)
    result = []
    for item in items:
        text = parse_text(item)
        if text:
            result.append(text)
    return result


# How spreadsheets show a boolean cell as text (Excel and LibreOffice in English, French,
# Russian, Spanish), and Python's: in a text column, never a value anyone meant.
BOOLEAN_TEXTS = frozenset({"TRUE", "FALSE", "True", "False", "true", "false", "VRAI", "FAUX",
                            "ИСТИНА", "ЛОЖЬ", "VERDADERO", "FALSO"})


def refuse_boolean(raw: object) -> object:
    """``raw`` unless it is a true/false value (a boolean cell, or its text TRUE, VRAI,
    ИСТИНА...): in a text column that is a formula's or a format's doing, refused
    (``boolean_in_text``) rather than stored as the word."""
    if isinstance(raw, bool):
        raise InvalidValue(code="boolean_in_text", params={"text": str(raw).upper()})
    if isinstance(raw, str) and raw.strip() in BOOLEAN_TEXTS:
        raise InvalidValue(code="boolean_in_text", params={"text": raw.strip()})
    return raw


# MLSSTAT as Genesys writes it (mlsStat true/false), and as people do: yes/no, Y/N (EURISCO
# and the Spanish national gene bank's files), in French and Russian too. Casefolded.
MLS_WORDS = {"true": 1, "yes": 1, "y": 1, "oui": 1, "да": 1,
             "false": 0, "no": 0, "n": 0, "non": 0, "нет": 0}


def parse_mlsstat(raw: object, codes: Mapping[int, str]) -> int | None:
    """MLSSTAT: a code (1, 0, 99), or true/false, yes/no and Y/N as Genesys and people
    write it (:data:`MLS_WORDS`, a boolean cell too): true is 1 "included", false 0."""
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, str):
        word = MLS_WORDS.get(raw.strip().casefold())
        if word is not None:
            return word
    try:
        return parse_code(raw, codes)
    except InvalidValue as problem:
        if problem.code == "code_not_valid":
            raise
        raise InvalidValue(code="mlsstat_unreadable",
                           params={"text": str(raw).strip()}) from None


# A DOI as Genesys and GLIS give it: bare (10.18730/5N2PQ), as a link or with "doi:".
_DOI_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$",
                     re.IGNORECASE)


def parse_puid(raw: object) -> str | None:
    """PUID: a DOI is stored bare (``10.18730/5N2PQ``), however it was written
    (``https://doi.org/10.18730/5N2PQ``, ``doi:10.18730/5N2PQ``); any other identifier
    (``NOR017:NGB17773:ALLIUM``, a URL) as it is."""
    text = parse_text(refuse_boolean(raw), identifier=True)
    if text is None:
        return None
    match = _DOI_RE.match(text)
    return match.group(1) if match else text


_WHOLE_WITH_ZEROS = re.compile(r"^\s*(\d+)\.0+\s*$")


def _leading_integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise InvalidValue(code="not_a_code")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise InvalidValue(code="not_a_whole_code", params={"value": raw})
    # "300", "300 Traditional cultivar/landrace", "300 - ...": the code, then words; "300.0"
    # as a program writes a whole number; never "1.5" or "1,5" read as code 1
    whole = _WHOLE_WITH_ZEROS.match(str(raw))
    if whole:
        return int(whole.group(1))
    match = re.match(r"^\s*(\d+)(?:\s*(?:[-–:.]|\s)\s*(?:[^\d\s].*)?)?$", str(raw))
    if not match:
        raise InvalidValue(code="not_a_code_number", params={"text": str(raw).strip()})
    return int(match.group(1))


def parse_code(raw: object, codes: Mapping[int, str]) -> int | None:
    """One code from ``codes``; accepts '300', 300, 300.0 and '300 - Traditional cultivar'."""
    if is_empty(raw):
        return None
    code = _leading_integer(raw)
    if code not in codes:
        raise InvalidValue(code="code_not_valid",
                           params={"number": code, "valid": _list_codes(codes)})
    return code


def parse_codes(raw: object, codes: Mapping[int, str]) -> list[int]:
    """Several codes separated by ';', ',' or spaces; returned sorted without repeats."""
    if is_empty(raw):
        return []
    if isinstance(raw, int | float):
        items: Iterable[object] = [raw]
    elif isinstance(raw, list | tuple | set):
        items = raw
    else:
        items = []
        for part in _LIST_SPLIT.split(str(raw)):  # "10 Seed collection;20 Field collection"
            items += [part] if _CODE_WITH_WORDS.match(part) else _CODE_SPLIT.split(part)
        items = [item for item in items if str(item).strip()]
    return sorted({parse_code(item, codes) for item in items} - {None})  # type: ignore[arg-type]


_LIST_SPLIT = re.compile(r"[;,]")
_CODE_WITH_WORDS = re.compile(r"^\s*\d+\s*(?:[-–:.]\s*)?[^\d\s;,][^;,]*$")


def _list_codes(codes: Mapping[int, str]) -> str:
    return ", ".join(str(c) for c in codes)


def parse_instcode(raw: object) -> str | None:
    """A FAO WIEWS institute code: ISO alpha-3 country code and a number, e.g. KAZ001."""
    text = parse_text(raw)
    if text is None:
        return None
    code = text.upper().replace(" ", "")
    if not INSTCODE_RE.match(code):
        raise InvalidValue(code="instcode_invalid", params={"text": text})
    return code


def parse_instcodes(raw: object) -> list[str]:
    if is_empty(raw):
        return []
    items = raw if isinstance(raw, list | tuple) else _CODE_SPLIT.split(str(raw))
    result: list[str] = []
    for item in items:
        code = parse_instcode(item)
        if code and code not in result:
            result.append(code)
    return result


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
    text = str(raw).strip()
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
        raise InvalidValue(code="date_unreadable", params={"text": text})
    year_s, month_s, day_s = match.groups()
    year = int(year_s)
    month = None if month_s in {"--", "00"} else int(month_s)
    day = None if day_s in {"--", "00"} else int(day_s)
    if year < 1700:
        raise InvalidValue(code="date_year_too_early", params={"year": year})
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue(code="date_no_such_month", params={"text": text, "month": month})
    if month is None and day is not None:
        raise InvalidValue(code="date_day_without_month", params={"text": text})
    if day is not None and month is not None and day > calendar.monthrange(year, month)[1]:
        raise InvalidValue(code="date_no_such_day", params={
            "text": text, "year": year, "month": month, "day": day})
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


def parse_country(raw: object) -> str | None:
    """An ISO 3166-1 alpha-3 code (or ISO 3166-3 for former countries).

    Also understands alpha-2 codes and country names, current, common and former ones
    (Turkey, Türkiye, Ivory Coast), which spreadsheets often hold. A name that could be
    two countries ("Congo") is refused with both, never taken for one of them.
    """
    text = parse_text(raw)
    if text is None:
        return None
    resolution = country_search.resolve(text, country_search.Scope.ORIGIN)
    if resolution.country is not None:
        return resolution.country.code
    if resolution.matches:
        ambiguous = country_search.ambiguous(text, resolution.matches)
        raise InvalidValue(code="country_ambiguous", params=ambiguous.params)
    raise InvalidValue(code="country_code_invalid", params={"text": text})


def _dms_parts(text: str, hemispheres: str, *, sixty: bool = False) \
        -> tuple[float, float | None, float | None, str]:
    """Degrees, minutes, seconds and hemisphere from free forms like 10°30'20"S or 10 30 S;
    with ``sixty``, a minute or second of exactly 60 is returned for the caller to carry."""
    cleaned = text.upper().replace(",", ".")
    hemi = [c for c in cleaned if c in hemispheres]
    if len(hemi) != 1:
        raise InvalidValue(code="coordinate_hemisphere", params={
            "text": text, "first": hemispheres[0], "second": hemispheres[1]})
    numbers = re.findall(r"\d+(?:\.\d+)?", cleaned)
    if not 1 <= len(numbers) <= 3 or re.search(r"[^\d.\s°'\"′″NSEW]", cleaned):
        raise InvalidValue(code="coordinate_unreadable",
                           params={"text": text, "hemisphere": hemispheres[0]})
    deg = float(numbers[0])
    minutes = float(numbers[1]) if len(numbers) > 1 else None
    seconds = float(numbers[2]) if len(numbers) > 2 else None
    for part in (minutes, seconds):
        if part is not None and part >= 60 and not (sixty and part == 60):
            raise InvalidValue(code="coordinate_minutes_too_big", params={"text": text})
    return deg, minutes, seconds, hemi[0]


_SIXTY_RE = re.compile(r"^(\d{2,3})(\d\d|--)(\d\d|--)([NSEW])$")
# One number with one or two decimals and a hemisphere letter: 75.59W, N12.30
_DEGREES_MINUTES_RE = re.compile(
    r"^\s*(?:[NSEW]\s*)?(\d{1,3})[.,](\d{1,2})\s*(?:[NSEW])?\s*$", re.IGNORECASE)


def refuse_degrees_minutes(text: str, axis: str) -> None:
    """Refuse ``75.59W`` (``degrees_minutes_ambiguous``): with a hemisphere letter and
    decimals that could be minutes, it is decimal degrees or degrees.minutes (75° 59'),
    and no one can tell which. Four decimals (44.6975 S) or a fraction above .59 (12.75N)
    can only be decimal degrees. The message's examples are both readings of this value on
    this ``axis`` ("lat" or "lon"): signed decimal degrees for the decimal column
    (01.30N: 1.3 in DECLATITUDE), and DMS (0130--N for 1° 30', 011800N for 1.3°)."""
    match = _DEGREES_MINUTES_RE.match(text)
    letters = [c for c in text.upper() if c in "NSEW"]
    if match is None or len(letters) != 1:
        return
    degrees, fraction = match.groups()
    minutes = int(fraction.ljust(2, "0"))
    if minutes < 60:
        sign = -1 if letters[0] in "SW" else 1
        decimal = sign * float(f"{int(degrees)}.{fraction}")
        width, dms_field, decimal_field = ((2, "LATITUDE", "DECLATITUDE") if axis == "lat"
                                           else (3, "LONGITUDE", "DECLONGITUDE"))
        raise InvalidValue(code="degrees_minutes_ambiguous", params={
            "text": text, "degrees": int(degrees), "minutes": f"{minutes:02d}",
            "decimal": decimal,
            "decimal_field": decimal_field, "dms_field": dms_field,
            "dms_minutes": f"{int(degrees):0{width}d}{minutes:02d}--{letters[0]}",
            "dms_decimal": decimal_to_dms(decimal, axis=axis)})


def _sixty_carried(text: str, degrees: int, minutes: int | None, seconds: int | None,
                   hemi: str, *, width: int, limit: int) -> None:
    """Raise ``dms_sixty`` with the carried value when a minute or second is 60
    (10°30'60" is 10°31'00"): judged with the record's decimal twin, which must confirm it
    (:func:`genebank.mcpd.validation.check_record`); else the value stands refused."""
    if seconds != 60 and minutes != 60:
        return
    if seconds == 60:
        seconds, minutes = 0, (minutes or 0) + 1
    if minutes == 60:
        minutes, degrees = 0, degrees + 1
    if degrees > limit or (degrees == limit and (minutes or seconds)):
        raise InvalidValue(code="coordinate_beyond_limit", params={"text": text, "limit": limit})
    mm = "--" if minutes is None else f"{minutes:02d}"
    ss = "--" if seconds is None else f"{seconds:02d}"
    raise InvalidValue(code="dms_sixty", params={
        "text": text, "carried": f"{degrees:0{width}d}{mm}{ss}{hemi}"})


def parse_dms(raw: object, *, axis: str) -> str | None:
    """A DMS coordinate as canonical ``DDMMSSH`` (axis 'lat') or ``DDDMMSSH`` (axis 'lon').

    A minute or second of 60 (as GPS units and conversions write 10°30'60") is refused
    with the carried value in its params (``dms_sixty``); the record's check accepts it,
    carried and said, when the decimal coordinate beside it agrees."""
    text = parse_text(raw)
    if text is None:
        return None
    compact = text.upper().replace(" ", "")
    pattern, width, hemis, limit = (
        (_LAT_DMS_RE, 2, "NS", 90) if axis == "lat" else (_LON_DMS_RE, 3, "EW", 180)
    )
    sixty = _SIXTY_RE.match(compact)
    if sixty and len(sixty.group(1)) == width and sixty.group(4) in hemis:
        degrees_s, minutes_s, seconds_s, hemi = sixty.groups()
        _sixty_carried(text, int(degrees_s), None if minutes_s == "--" else int(minutes_s),
                       None if seconds_s == "--" else int(seconds_s), hemi,
                       width=width, limit=limit)
    refuse_degrees_minutes(text, axis)
    match = pattern.match(compact)
    if match:
        _, minutes, seconds, _ = match.groups()
        if minutes == "--" and seconds != "--":
            raise InvalidValue(code="dms_seconds_without_minutes", params={"text": text})
        degrees = int(compact[:width])
        if degrees == limit and (minutes not in {"--", "00"} or seconds not in {"--", "00"}):
            raise InvalidValue(code="coordinate_beyond_limit",
                               params={"text": text, "limit": limit})
        return compact
    if re.fullmatch(r"\d+-*[" + hemis + "]", text.upper()):
        raise InvalidValue(code="dms_latitude_unreadable" if axis == "lat"
                           else "dms_longitude_unreadable", params={"text": text})
    deg_f, minutes_f, seconds_f, hemi = _dms_parts(text, hemis, sixty=True)
    if not deg_f.is_integer() or (minutes_f is not None and not minutes_f.is_integer()):
        raise InvalidValue(code="dms_whole_degrees", params={"text": text})
    deg = int(deg_f)
    if deg <= limit and 60 in (minutes_f, seconds_f):
        _sixty_carried(text, deg, None if minutes_f is None else int(minutes_f),
                       None if seconds_f is None else min(round(seconds_f), 59)
                       if seconds_f != 60 else 60, hemi, width=width, limit=limit)
    if deg > limit or (deg == limit and (minutes_f or seconds_f)):
        raise InvalidValue(code="coordinate_beyond_limit", params={"text": text, "limit": limit})
    mm = "--" if minutes_f is None else f"{int(minutes_f):02d}"
    ss = "--" if seconds_f is None else f"{min(round(seconds_f), 59):02d}"
    return f"{deg:0{width}d}{mm}{ss}{hemi}"


@functools.lru_cache(maxsize=65536)
def dms_to_decimal(value: str) -> tuple[float, float]:
    """Decimal degrees of a canonical DMS value, and the precision it was given to."""
    width = len(value) - 5
    deg = int(value[:width])
    minutes, seconds, hemi = value[width:width + 2], value[width + 2:width + 4], value[-1]
    decimal, precision = float(deg), 1.0
    if minutes != "--":
        decimal += int(minutes) / 60
        precision = 1 / 60
        if seconds != "--":
            decimal += int(seconds) / 3600
            precision = 1 / 3600
    return (-decimal if hemi in "SW" else decimal), precision


def decimal_to_dms(value: float, *, axis: str) -> str:
    """The canonical DMS form of decimal degrees, to the nearest second."""
    hemi = ("N" if value >= 0 else "S") if axis == "lat" else ("E" if value >= 0 else "W")
    total = round(abs(value) * 3600)
    deg, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    width = 2 if axis == "lat" else 3
    return f"{deg:0{width}d}{minutes:02d}{seconds:02d}{hemi}"


def parse_decimal_degrees(raw: object, *, axis: str) -> float | None:
    """Decimal degrees; also reads '44.6975 S' and DMS forms such as 44°41'51"S.

    Text is read by :func:`genebank.numbers.read_number` as a file's (no locale): '44,6975'
    and '44.6975' are the same, and a value beyond the axis is refused, never rescaled.
    """
    if is_empty(raw):
        return None
    limit, hemis = (90, "NS") if axis == "lat" else (180, "EW")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = numbers.plain_digits(str(raw)).strip()
        try:
            read = numbers.read_number(text, whole=False, minimum=-limit, maximum=limit)
        except numbers.NumberRefused as error:
            if error.code != "not_a_number":
                raise InvalidValue(code="number_refused",
                                   params={**problems.because(error)}) from None
            refuse_degrees_minutes(text, axis)
            deg, minutes, seconds, hemi = _dms_parts(text, hemis)
            value = deg + (minutes or 0) / 60 + (seconds or 0) / 3600
            if hemi in "SW":
                value = -value
        else:
            value = float(read) if read is not None else 0.0
    if not -limit <= value <= limit:
        raise InvalidValue(code="latitude_out_of_range" if axis == "lat"
                           else "longitude_out_of_range", params={"value": value})
    return round(value, 6)


def parse_integer(raw: object) -> int | None:
    """A whole number; text as a file holds it (spaces may group thousands, '1,234' is
    refused as ambiguous), Arabic-Indic and Persian digits read. Beyond the database's
    whole numbers (2,147,483,647 either way) it is refused, not stored wrapped or failed."""
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue(code="not_a_whole_number", params={"value": raw})
    if isinstance(raw, float):
        if not raw.is_integer():
            raise InvalidValue(code="fraction_not_a_whole_number", params={"value": raw})
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        try:
            value = numbers.read_number(str(raw), whole=True)  # type: ignore[assignment]
        except numbers.NumberRefused as error:
            raise InvalidValue(code="number_refused",
                               params={**problems.because(error)}) from None
    if value is not None and abs(value) > numbers.MAX_INTEGER:
        raise InvalidValue(code="number_too_large_at_most", params={
            "value": value, "maximum": numbers.MAX_INTEGER})
    return value


def parse_number(raw: object) -> float | None:
    """A decimal number; text as a file holds it: '6,5' and '6.5' are 6.5, '1,234' is
    refused as ambiguous, a number cell is kept as it is."""
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue(code="value_not_a_number", params={"value": raw})
    if isinstance(raw, int | float):
        if isinstance(raw, int) and abs(raw) > 1e300:
            raise InvalidValue(code="number_too_large", params={"value": raw})
        value = float(raw)
        if not math.isfinite(value):  # a workbook can hold "NaN" or "1e400" in a cell
            raise InvalidValue(code="value_not_a_number", params={"value": raw})
        return value + 0.0  # never a negative zero
    try:
        return numbers.read_number(str(raw), whole=False)  # type: ignore[return-value]
    except numbers.NumberRefused as error:
        raise InvalidValue(code="number_refused",
                           params={**problems.because(error)}) from None


def check_bounds(value: float | int | None, *, field: str, minimum: float | int,
                 maximum: float | int, unit: str) -> float | int | None:
    """``value`` when it is physically possible for ``field``, else :class:`InvalidValue`
    naming the bounds (``value_out_of_range``): a number read from a file can be anything
    (1e308 m, 2**63), and what is stored must be exported and imported back."""
    if value is None or minimum <= value <= maximum:
        return value
    raise InvalidValue(code="value_out_of_range", params={
        "value": value, "field": field, "minimum": f"{minimum:,}",
        "maximum": f"{maximum:,}", "unit": unit})


# A genus is one word of Latin letters (a diaeresis is allowed by the botanical code, so any
# Latin letter is), perhaps hyphenated; a hybrid genus has the sign × (or a lone "x", as the
# code allows where × cannot be typed) before it, with or without a space.
_GENUS_RE = re.compile(r"^(?:× ?|x )?([^\W\d_]+(?:-[^\W\d_]+)*)$")
_HYBRID_SIGN = re.compile(r"^(?:× ?|x )")


def hybrid_sign(genus: str) -> str:
    """The hybrid sign a genus name starts with ("×", "× " or "x "), else ""."""
    match = _HYBRID_SIGN.match(genus)
    return match.group(0) if match else ""


def parse_genus(raw: object) -> str | None:
    """A genus name: :func:`parse_text` (controls removed, with a warning), then refused
    when it holds a character no genus name can (a digit, a bracket, a space between two
    words...): ``genus_character``."""
    text = parse_text(raw)
    if text is None:
        return None
    match = _GENUS_RE.match(text)
    if match and all(char.isascii() or _is_latin(char) for char in match.group(1)):
        return text
    for position, char in enumerate(text):
        if not (char.isalpha() and (char.isascii() or _is_latin(char))) and not (
                char == "-" and 0 < position < len(text) - 1) and not (
                char == "×" and position == 0) and not (
                char == " " and text[:position] in ("×", "x")):
            break
    else:  # every character may be in one, but not in this order: two hyphens together
        char = "--"
    raise InvalidValue(code="genus_character", params={
        "text": text, "character": char, "unicode": " ".join(f"U+{ord(c):04X}" for c in char)})


def _is_latin(char: str) -> bool:
    import unicodedata

    return unicodedata.name(char, "").startswith("LATIN ")


def parse_othernumb(raw: object) -> list[str]:
    """Other identifiers as ``INSTCODE:ID`` items; an ID with no institute becomes ``:ID``."""
    result = []
    for item in parse_texts(raw):
        prefix, sep, number = item.partition(":")
        if not sep:
            prefix, number = "", item
        number = number.strip()
        if not number:
            raise InvalidValue(code="othernumb_no_identifier", params={"item": item})
        prefix = prefix.strip()
        if prefix:
            try:
                prefix = parse_instcode(prefix) or ""
            except InvalidValue:
                raise InvalidValue(code="othernumb_bad_institute",
                                   params={"item": item, "prefix": prefix}) from None
        result.append(f"{prefix}:{number}")
    return result


def parse_remarks(raw: object) -> list[str]:
    """Remarks; ``FIELD:remark`` items keep their field name in upper case."""
    result = []
    for item in parse_texts(raw):
        field, sep, text = item.partition(":")
        if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", field.strip()) and text.strip():
            item = f"{field.strip().upper()}:{text.strip()}"
        result.append(item)
    return result


@functools.lru_cache(maxsize=65536)
def is_field_remark(item: str) -> bool:
    return bool(_REMARK_ITEM_RE.match(item))
