"""Reading a number as a person typed it, the same way in every locale.

Technicians type "6.5" and "6,5" for the same moisture whatever their system's language, and
some type (or their system shows) Arabic-Indic, Persian or other native digits. A number read
differently under French, English or Arabic settings changes the record silently, so every
numeric input (forms and imports) goes through :func:`read_number`:

* in a decimal field a single '.', ',' or the Arabic decimal separator (U+066B) is the decimal
  mark, whatever the locale; group separators are refused there;
* in a whole-number field group separators are read in the locale's own form only (a space
  locale also takes the no-break spaces people cannot type apart), in groups of three;
* a single '.' or ',' followed by exactly three digits ("1,234", "1.000") may be a decimal
  mark or someone else's group separator: where both readings fit the field the entry is
  refused as ambiguous instead of guessed, in decimal and whole-number fields alike;
* groups of three start with a non-zero group ("0,500" is not 500);
* digits of every script (Arabic-Indic, Persian, Bengali, Devanagari, Burmese...) are read;
* a value out of the field's range is refused, never rescaled or truncated.

The caller passes the locale's separators as plain strings (the GUI passes QLocale's). An
import passes none: a file's locale is unknown, so '.' and ',' both count as possible group
separators and spaces as the only safe one; scientific notation ("-6.1e-05", as programs
write numbers into CSV files) is read from files only. Refusals raise
:class:`NumberRefused`, carrying a code and parameters for translation and an English
message for now.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from genebank import problems
from genebank.problems import Coded

DECIMAL_MARKS = frozenset(".,\u066b")
SPACE_GROUPS = frozenset(" \u00a0\u202f")
MINUS_SIGNS = frozenset("-\u2212")
MAX_LENGTH = 60  # longer is no number a person means (and Python refuses huge int texts)
MAX_INTEGER = 2**31 - 1  # the largest whole number a database INTEGER column holds
# Direction marks Qt writes around Arabic numbers (U+061C before the minus) and that copy and
# paste brings along; they carry no value.
_INVISIBLE = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069\ufeff"))

# Every refusal, as a code with its English wording; the parameters are named in braces.
MESSAGES: dict[str, str] = {
    "required": "type a number",
    "not_a_number": "'{text}' is not a number",
    "not_whole": "'{text}' is not a whole number",
    "negative": "'{text}': this field takes no negative numbers",
    "ambiguous": ("'{text}' is ambiguous: it could be {decimal_reading} or {group_reading}; "
                  "type {decimal_reading_typed} or {group_reading_typed}"),
    "group_in_decimal": ("'{text}': a decimal number is typed without thousands separators "
                         "(e.g. {example})"),
    "bad_grouping": "'{text}': thousands separators ({group}) go between groups of three digits",
    "foreign_group": "'{text}': thousands are separated here by {group}, or not at all",
    "too_many_decimals": "'{text}' has more decimal places than this field keeps ({decimals})",
    "below_minimum": "{value:number} is below the lowest allowed value ({minimum} to {maximum})",
    "above_maximum": "{value:number} is above the highest allowed value ({minimum} to {maximum})",
    "out_of_range": "{value:number} is outside the allowed range {minimum} to {maximum}",
}
problems.register(MESSAGES)  # one meaning per code, across the core


class NumberRefused(Coded, ValueError):
    """A number that cannot be read exactly; ``code`` and ``params`` let a caller word it."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(problems.fill(MESSAGES[code], params))


@dataclass(frozen=True, slots=True)
class Separators:
    """A locale's decimal mark and group separator, as plain text (QLocale's in the GUI)."""

    decimal: str
    group: str


Number = int | float


def plain_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit as ASCII and direction marks removed.

    Not only Arabic-Indic and Persian digits: a system set to Bengali, Marathi, Nepali or
    Burmese shows numbers in its own digits, and what the application shows must read back.
    """
    text = text.translate(_INVISIBLE)
    if text.isascii():
        return text
    return "".join(_ascii_digit(char) for char in text)


def _ascii_digit(char: str) -> str:
    if char.isascii():
        return char
    digit = unicodedata.decimal(char, None)
    return char if digit is None else str(digit)


def canonical(value: Number) -> str:
    """The exact text of a value, '.' as decimal mark, never an exponent: 6.5, 1234, 0.00001."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()
                                  and abs(value) < 1e16):
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown(value: Number) -> str:
    """A value for a message: exact when it is of a size people type, else in exponent
    form (1e+308, not three hundred digits); a number too long even for that is said by
    the count of its digits (:func:`digits`)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if abs(value) < 1e16:
        return canonical(value)
    if isinstance(value, float) or abs(value) < 1e300:
        return f"{float(value):.6g}"
    return HUGE_NUMBER.format(digits=digits(value))


HUGE_NUMBER = "a number of {digits} digits"


def digits(value: int) -> int:
    """How many digits a whole number has (too many to show it)."""
    return len(str(abs(value)))


def is_huge(value: object) -> bool:
    """Whether :func:`shown` says ``value`` by its count of digits."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1e300


problems.register_number_english(shown)  # type: ignore[arg-type]  # how {value:number} reads


def read_number(text: str, *, whole: bool, separators: Separators | None = None,
                minimum: Number | None = None, maximum: Number | None = None,
                decimals: int | None = None) -> Number | None:
    """The number ``text`` means in a field of this kind, or None for an empty entry.

    ``whole`` fields return an int, decimal fields a float. ``separators`` are the locale's
    (None for a file, whose locale is unknown). Negative numbers are read only when
    ``minimum`` is below zero. ``decimals`` limits the decimal places typed.
    Raises :class:`NumberRefused`.
    """
    cleaned = plain_digits(text).strip()
    if not cleaned:
        return None
    negative = cleaned[0] in MINUS_SIGNS
    body = cleaned[1:].lstrip() if negative or cleaned[0] == "+" else cleaned
    if negative and not body.strip("0.,\u066b"):
        negative = False  # "-0" is zero, not a negative number
    if negative and minimum is not None and minimum >= 0:
        raise NumberRefused("negative", text=text.strip())
    if not body or len(body) > MAX_LENGTH:
        raise NumberRefused("not_a_number", text=text.strip()[:MAX_LENGTH])
    reading = (_read_whole if whole else _read_decimal)(body, text.strip(), separators,
                                                        minimum, maximum, negative)
    if decimals is not None and not whole and _decimal_places(body) > decimals:
        raise NumberRefused("too_many_decimals", text=text.strip(), decimals=decimals)
    value: Number = -reading if negative else reading
    if not whole and value == 0:
        value = 0.0  # never a negative zero
    check_range(value, minimum=minimum, maximum=maximum)
    return value


def check_range(value: Number, *, minimum: Number | None = None,
                maximum: Number | None = None) -> None:
    """Refuse ``value`` outside [minimum, maximum], naming the range."""
    if isinstance(value, float) and not math.isfinite(value):
        raise NumberRefused("not_a_number", text=str(value))
    low = "" if minimum is None else canonical(minimum)
    high = "" if maximum is None else canonical(maximum)
    if minimum is not None and value < minimum:
        code = "out_of_range" if maximum is not None else "below_minimum"
        raise NumberRefused(code, value=value, minimum=low, maximum=high or "…")
    if maximum is not None and value > maximum:
        code = "out_of_range" if minimum is not None else "above_maximum"
        raise NumberRefused(code, value=value, minimum=low or "…", maximum=high)


def _fits(value: Number, minimum: Number | None, maximum: Number | None) -> bool:
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _decimal_places(body: str) -> int:
    """The decimal places that carry a value: "6.50" keeps one, as 6.5 does."""
    marks = [i for i, c in enumerate(body) if c in DECIMAL_MARKS]
    return len(body[marks[-1] + 1:].rstrip("0")) if len(marks) == 1 else 0


# Thousands grouped in threes; the first group has no leading zero ("0,500" is no 500).
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\D\d{3})+")
_SINGLE_GROUP = re.compile(r"[1-9]\d{0,2}([.,\u066b])\d{3}")
_SCIENTIFIC = re.compile(r"(\d+)(?:[.,](\d+))?[eE]([+-]?\d{1,3})")
_DECIMAL = re.compile(r"(\d*)[.,\u066b](\d*)")


def _group_forms(separators: Separators | None) -> frozenset[str]:
    """The characters read as group separators in a whole-number field."""
    if separators is None:
        return SPACE_GROUPS  # a file: only a space is a group separator for sure
    if separators.group in SPACE_GROUPS:
        return SPACE_GROUPS
    return frozenset(separators.group) if separators.group else frozenset()


def _group_name(separators: Separators | None) -> str:
    """The group separator as a message names it: "a space" (any of the three), or '.'."""
    if separators is None or separators.group in SPACE_GROUPS or not separators.group:
        return "a space"
    return f"'{separators.group}'"


def _possible_groups(separators: Separators | None, *, whole: bool) -> frozenset[str]:
    """The decimal marks that might be meant as group separators (the ambiguous ones).

    In a whole-number field any of them may be someone else's group separator ("1.000"
    under en_US). In a decimal field '.' and ',' may be too, whatever the locale: a typist
    used to the other convention types "1.234" for 1234 under fr_FR. The Arabic decimal
    separator never groups.
    """
    if separators is None or whole:
        return DECIMAL_MARKS
    return frozenset(".,")


def _signed(value: Number, negative: bool) -> Number:
    return -value if negative else value


def _check_ambiguous(body: str, text: str, separators: Separators | None,
                     minimum: Number | None, maximum: Number | None, negative: bool,
                     decimal_value: float, *, whole: bool) -> None:
    """Refuse "1,234" when the field takes both 1.234 and 1234 and ',' may group."""
    single = _SINGLE_GROUP.fullmatch(body)
    if not single or single.group(1) not in _possible_groups(separators, whole=whole):
        return
    grouped = int(body[:single.start(1)] + body[single.end(1):])
    if _fits(_signed(decimal_value, negative), minimum, maximum) and \
            _fits(_signed(grouped, negative), minimum, maximum):
        decimal_typed = canonical(decimal_value)
        if _SINGLE_GROUP.fullmatch(decimal_typed):  # "1.234" again: "1.2340" is not
            decimal_typed += "0"
        raise NumberRefused("ambiguous", text=text, decimal_reading=canonical(decimal_value),
                            group_reading=canonical(grouped),
                            decimal_reading_typed=decimal_typed,
                            group_reading_typed=str(grouped))


def _read_decimal(body: str, text: str, separators: Separators | None,
                  minimum: Number | None, maximum: Number | None, negative: bool) -> float:
    others = [c for c in body if not _is_digit(c)]
    if not others:
        return float(body)
    scientific = _SCIENTIFIC.fullmatch(body)
    if scientific and separators is None:  # "-6.1e-05" as programs write files
        whole_part, fraction, exponent = scientific.groups()
        return float(f"{whole_part}.{fraction or 0}e{exponent}")
    match = _DECIMAL.fullmatch(body)
    if len(others) == 1 and match and (match.group(1) or match.group(2)):
        value = float(f"{match.group(1) or 0}.{match.group(2) or 0}")
        _check_ambiguous(body, text, separators, minimum, maximum, negative, value,
                         whole=False)
        return value
    group_like = DECIMAL_MARKS | SPACE_GROUPS | {"\u066c"} | (
        {separators.group} if separators else set())
    if all(c in group_like for c in others) and _is_digit(body[0]) and _is_digit(body[-1]):
        raise NumberRefused("group_in_decimal", text=text, example="1234.5 or 1234,5")
    raise NumberRefused("not_a_number", text=text)


def _read_whole(body: str, text: str, separators: Separators | None,
                minimum: Number | None, maximum: Number | None, negative: bool) -> int:
    others = {c for c in body if not _is_digit(c)}
    if not others:
        return int(body)
    groups = _group_forms(separators)
    single_mark = len(others) == 1 and others <= DECIMAL_MARKS and \
        sum(c in DECIMAL_MARKS for c in body) == 1
    if others <= groups:
        if _GROUPED.fullmatch(body):
            return int("".join(c for c in body if _is_digit(c)))
        if not single_mark:  # "40.5" under de_DE is read as a decimal below: not whole
            raise NumberRefused("bad_grouping", text=text, group=_group_name(separators))
    match = re.fullmatch(r"(\d+)[.,\u066b](\d+)", body)
    if not match and others <= SPACE_GROUPS | {"\u066c"} and _GROUPED.fullmatch(body):
        raise NumberRefused("foreign_group", text=text, group=_group_name(separators))
    if not match:
        raise NumberRefused("not_whole" if others <= DECIMAL_MARKS | groups
                            else "not_a_number", text=text)
    whole_part, fraction = match.groups()
    decimal_value = float(f"{whole_part}.{fraction}")
    if decimal_value.is_integer():
        _check_ambiguous(body, text, separators, minimum, maximum, negative, decimal_value,
                         whole=True)
    if set(fraction) != {"0"}:
        if _SINGLE_GROUP.fullmatch(body):  # "1.234" for 1234, written in another convention
            grouped = int(whole_part + fraction)
            if separators is None:
                raise NumberRefused("ambiguous", text=text,
                                    decimal_reading=canonical(decimal_value),
                                    group_reading=canonical(grouped),
                                    decimal_reading_typed=canonical(decimal_value),
                                    group_reading_typed=str(grouped))
            raise NumberRefused("foreign_group", text=text, group=_group_name(separators))
        raise NumberRefused("not_whole", text=text)
    return int(whole_part)
