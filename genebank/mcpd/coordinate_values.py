"""Reading coordinates: DMS as MCPD's ``DDMMSSH``/``DDDMMSSH`` (with ``-`` for missing
digits) and decimal degrees (to 6 decimals), from the free forms people and GPS units write;
a minute or second of 60 is carried only when the decimal twin confirms it. A value that
cannot be read raises :class:`InvalidValue`.
"""

from __future__ import annotations

import functools
import re

from genebank import numbers, problems
from genebank.mcpd import number_values  # noqa: F401 (registers number_refused, said here too)
from genebank.mcpd.invalid_value import InvalidValue
from genebank.mcpd.text_values import is_empty, parse_text

problems.register({
    "coordinate_hemisphere": "'{text}' needs one of {first} or {second}",
    "dms_looks_decimal": "'{text}' looks like decimal degrees: match this column to "
                         "{decimal_field} ({dms_field} is degrees, minutes and seconds with "
                         "{first} or {second})",
    "coordinate_unreadable": "'{text}' is not a coordinate (e.g. 10°30'20\"{hemisphere})",
    "coordinate_minutes_too_big": "'{text}': minutes and seconds must be below 60",
    "dms_seconds_without_minutes": "'{text}' has seconds but no minutes",
    "coordinate_beyond_limit": "'{text}' is beyond {limit}°",
    "dms_latitude_unreadable": "'{text}' is not a DMS coordinate (write e.g. 103020S or "
                               "10----S, with leading zeros)",
    "dms_longitude_unreadable": "'{text}' is not a DMS coordinate (write e.g. 0762510W or "
                                "076----W, with leading zeros)",
    "dms_whole_degrees": "'{text}': write whole degrees and minutes, or use the decimal field",
    "latitude_out_of_range": "{value:g} is outside the latitude range −90 to 90",
    "longitude_out_of_range": "{value:g} is outside the longitude range −180 to 180",
    "dms_sixty": "'{text}' has 60 seconds or minutes; that is {carried}, but no decimal "
                 "coordinate in the record confirms it: write {carried}, or give the decimal "
                 "coordinate too",
    "degrees_minutes_ambiguous": "'{text}' could be decimal degrees ({decimal:g}) or "
                                 "degrees and minutes ({degrees}° {minutes}'): write the "
                                 "decimal degrees in {decimal_field} as {decimal:g} (no "
                                 "letter; south and west are negative), or DMS in "
                                 "{dms_field}: {dms_minutes} for {degrees}° {minutes}', "
                                 "{dms_decimal} for {decimal:g}",
})

_LAT_DMS_RE = re.compile(r"^([0-8]\d|90)([0-5]\d|--)([0-5]\d|--)([NS])$")
_LON_DMS_RE = re.compile(r"^(0\d\d|1[0-7]\d|180)([0-5]\d|--)([0-5]\d|--)([EW])$")


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


# A signed number or one with decimals and no hemisphere letter: decimal degrees (vavilov3
# writes 39.6275 and -5.41555555555556 under LATITUDE and LONGITUDE).
_SIGNED_DECIMAL_RE = re.compile(r"^[-+−]\d{1,3}(?:[.,]\d+)?$|^\d{1,3}[.,]\d+$")


def refuse_decimal_degrees(text: str, axis: str) -> None:
    """Refuse decimal degrees in a DMS field (``dms_looks_decimal``), naming the decimal
    field to match the column to: refused, never converted (the column was matched to the
    wrong field, and only the user can say so), but not a bare "needs N or S"."""
    compact = text.strip().replace(" ", "")
    if _SIGNED_DECIMAL_RE.match(compact) is None:
        return
    limit, dms_field, decimal_field, hemispheres = (
        (90, "LATITUDE", "DECLATITUDE", "NS") if axis == "lat"
        else (180, "LONGITUDE", "DECLONGITUDE", "EW"))
    if abs(float(compact.replace("−", "-").replace(",", "."))) <= limit:
        raise InvalidValue(code="dms_looks_decimal", params={
            "text": text, "dms_field": dms_field, "decimal_field": decimal_field,
            "first": hemispheres[0], "second": hemispheres[1]})


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
    refuse_decimal_degrees(text, axis)
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
