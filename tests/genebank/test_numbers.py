"""The number reader: what people type in six locales and in files, read the same everywhere."""

from __future__ import annotations

import pytest

from genebank.numbers import NumberRefused, Separators, canonical, read_number

EN = Separators(".", ",")
FR = Separators(",", "\u202f")
RU = Separators(",", "\u00a0")
DE = Separators(",", ".")
AR_JO = Separators("\u066b", "\u066c")
AR_MA = Separators(",", ".")
FILE = None
LOCALES = {"en_US": EN, "fr_FR": FR, "ru_RU": RU, "de_DE": DE, "ar_JO": AR_JO, "ar_MA": AR_MA,
           "file": FILE}
MOISTURE = {"whole": False, "minimum": 0, "maximum": 100}
SEEDS = {"whole": True, "minimum": 0, "maximum": 10_000_000}
TEMPERATURE = {"whole": False, "minimum": -200, "maximum": 60}
GRAMS = {"whole": False, "minimum": 0, "maximum": 1_000_000}

READ = [
    # a decimal field takes '.', ',' and U+066B as the decimal mark in every locale
    *[(text, locale, MOISTURE, 6.5) for locale in LOCALES
      for text in ("6.5", "6,5", "6\u066b5", " 6.5 ", "٦٫٥", "۶٫۵", "٦,٥")],
    ("0,5", "fr_FR", MOISTURE, 0.5), ("+6.5", "file", MOISTURE, 6.5),
    # programs write small numbers in scientific notation into CSV files
    ("-6.1e-05", "file", TEMPERATURE, -6.1e-05), ("6,1E-05", "file", GRAMS, 6.1e-05),
    (".5", "en_US", MOISTURE, 0.5),
    ("12", "de_DE", MOISTURE, 12.0),
    ("100", "ru_RU", MOISTURE, 100.0), ("0", "ar_MA", MOISTURE, 0.0),
    # the grouped reading 1234 does not fit a moisture: not ambiguous
    ("1,234", "en_US", MOISTURE, 1.234), ("1.234", "de_DE", MOISTURE, 1.234),
    ("1.234", "file", MOISTURE, 1.234),
    # a mark followed by other than three digits, or by three with a trailing zero, is the
    # decimal mark; so is the Arabic decimal separator, which never groups
    ("1.5", "en_US", GRAMS, 1.5), ("1,2340", "de_DE", GRAMS, 1.234),
    ("1.2340", "fr_FR", GRAMS, 1.234), ("1\u066b234", "ar_JO", GRAMS, 1.234),
    ("0,500", "en_US", GRAMS, 0.5), ("-1.500", "en_US", TEMPERATURE, -1.5),
    ("6,50", "fr_FR", {**MOISTURE, "decimals": 1}, 6.5),
    # digits of every script a system may show: Bengali, Devanagari, Burmese, Tibetan
    ("\u09e7\u09e8\u09e9", "file", SEEDS, 123), ("\u0967\u0968.\u096b", "en_US", GRAMS, 12.5),
    ("\u1041\u1042,\u1043\u1044\u1045", "en_US", SEEDS, 12345),
    ("\u0f21\u0f22", "en_US", MOISTURE, 12.0),
    # negative numbers where the field takes them, with the minus signs people and Qt write
    ("-18", "en_US", TEMPERATURE, -18.0), ("\u2212" + "18,5", "fr_FR", TEMPERATURE, -18.5),
    ("\u061c-١٨", "ar_JO", TEMPERATURE, -18.0), ("\u200e-18,5", "ar_MA", TEMPERATURE, -18.5),
    # whole numbers with the locale's own group separators, in groups of three
    ("3000", "en_US", SEEDS, 3000), ("3,000", "en_US", SEEDS, 3000),
    ("1 234", "fr_FR", SEEDS, 1234), ("1\u202f234", "fr_FR", SEEDS, 1234),
    ("1\u00a0234", "fr_FR", SEEDS, 1234), ("1 234 567", "ru_RU", SEEDS, 1_234_567),
    ("1\u00a0234", "ru_RU", SEEDS, 1234), ("1.234", "de_DE", SEEDS, 1234),
    ("1.234.567", "ar_MA", SEEDS, 1_234_567), ("١٬٢٣٤", "ar_JO", SEEDS, 1234),
    ("١٢٣٤", "ar_JO", SEEDS, 1234), ("۱۲۳۴", "file", SEEDS, 1234), ("1 234", "file", SEEDS, 1234),
    ("12.0", "en_US", SEEDS, 12), ("12,00", "fr_FR", SEEDS, 12),
    ("", "en_US", SEEDS, None), ("  ", "fr_FR", MOISTURE, None),
]

REFUSED = [
    ("140", "en_US", MOISTURE, "out_of_range"), ("140", "ar_JO", MOISTURE, "out_of_range"),
    ("١٤٠", "ar_JO", MOISTURE, "out_of_range"), ("100.1", "fr_FR", MOISTURE, "out_of_range"),
    ("-5", "en_US", MOISTURE, "negative"), ("\u2212" + "1", "fr_FR", SEEDS, "negative"),
    ("-201", "de_DE", TEMPERATURE, "out_of_range"),
    # both readings fit: refused, never guessed
    ("1,234", "en_US", GRAMS, "ambiguous"), ("1.234", "de_DE", GRAMS, "ambiguous"),
    ("1.234", "ar_MA", GRAMS, "ambiguous"), ("1,234", "file", GRAMS, "ambiguous"),
    ("1.234", "file", GRAMS, "ambiguous"), ("1.000", "en_US", SEEDS, "ambiguous"),
    ("1,000", "de_DE", SEEDS, "ambiguous"), ("1,234", "file", SEEDS, "ambiguous"),
    ("1.000", "fr_FR", SEEDS, "ambiguous"),
    # in a decimal field '.' or ',' before exactly three digits may group in any locale
    ("1.234", "en_US", GRAMS, "ambiguous"), ("1,234", "de_DE", GRAMS, "ambiguous"),
    ("1,234", "fr_FR", GRAMS, "ambiguous"), ("1.234", "fr_FR", GRAMS, "ambiguous"),
    ("1,234", "ar_JO", GRAMS, "ambiguous"), ("12.500", "ru_RU", GRAMS, "ambiguous"),
    # a first group of three starts with a non-zero digit
    ("0,500", "en_US", SEEDS, "not_whole"), ("0.500", "de_DE", SEEDS, "not_whole"),
    ("00,001", "en_US", SEEDS, "not_whole"), ("0 500", "fr_FR", SEEDS, "bad_grouping"),
    ("0\u202f500", "fr_FR", SEEDS, "bad_grouping"),
    # group separators belong to whole numbers, in the locale's form, in threes
    ("1 234,5", "fr_FR", GRAMS, "group_in_decimal"), ("1,234.5", "en_US", GRAMS,
                                                      "group_in_decimal"),
    ("1.234,5", "de_DE", GRAMS, "group_in_decimal"), ("1 234", "en_US", SEEDS, "foreign_group"),
    ("1.23", "de_DE", SEEDS, "not_whole"), ("1.2.3", "de_DE", SEEDS, "bad_grouping"),
    ("12 34", "fr_FR", SEEDS, "bad_grouping"),
    ("1.234", "en_US", SEEDS, "foreign_group"), ("1,234", "fr_FR", SEEDS, "foreign_group"),
    ("6,5", "fr_FR", SEEDS, "not_whole"), ("12.5", "file", SEEDS, "not_whole"),
    ("abc", "en_US", MOISTURE, "not_a_number"), ("1e5", "en_US", GRAMS, "not_a_number"),
    ("1e5", "file", MOISTURE, "out_of_range"), ("1e99999", "file", GRAMS, "not_a_number"),
    ("6.5%", "en_US", MOISTURE, "not_a_number"), ("-", "en_US", TEMPERATURE, "not_a_number"),
    ("1.2.3", "fr_FR", GRAMS, "group_in_decimal"), ("nan", "en_US", GRAMS, "not_a_number"),
    ("١٢x", "ar_JO", SEEDS, "not_a_number"), ("²", "en_US", SEEDS, "not_a_number"),
]


@pytest.mark.parametrize(("text", "locale", "field", "expected"), READ)
def test_reads_what_was_meant(text: str, locale: str, field: dict[str, object],
                              expected: float | None) -> None:
    """Each entry is read as the number a person typing it means, in every locale."""
    value = read_number(text, separators=LOCALES[locale], **field)  # type: ignore[arg-type]
    assert value == expected
    if expected is not None:
        assert type(value) is (int if field["whole"] else float)


@pytest.mark.parametrize(("text", "locale", "field", "code"), REFUSED)
def test_refuses_what_cannot_be_read_exactly(text: str, locale: str, field: dict[str, object],
                                             code: str) -> None:
    """A wrong, ambiguous or out-of-range entry is refused with a code and a message."""
    with pytest.raises(NumberRefused) as refused:
        read_number(text, separators=LOCALES[locale], **field)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert str(refused.value) and "{" not in str(refused.value)


def test_out_of_range_message_names_the_range_and_never_rescales() -> None:
    """'140' moisture is refused naming 0 to 100, not stored as 14.0."""
    with pytest.raises(NumberRefused) as refused:
        read_number("140", whole=False, separators=AR_JO, minimum=0, maximum=100)
    assert str(refused.value) == "140 is outside the allowed range 0 to 100"
    assert refused.value.params == {"value": 140.0, "minimum": "0", "maximum": "100"}


def test_ambiguous_message_offers_both_readings() -> None:
    """An ambiguous entry tells the user how to type each reading."""
    with pytest.raises(NumberRefused) as refused:
        read_number("1,234", whole=False, separators=None)
    assert "1.234" in str(refused.value) and "1234" in str(refused.value)


def test_ambiguous_decimal_message_offers_a_form_that_reads() -> None:
    """'1.234' grams under en_US is refused, telling the typist '1.2340' or '1234'."""
    with pytest.raises(NumberRefused) as refused:
        read_number("1.234", separators=EN, **GRAMS)  # type: ignore[arg-type]
    assert refused.value.params["decimal_reading_typed"] == "1.2340"
    assert read_number("1.2340", separators=EN, decimals=3, **GRAMS) == 1.234  # type: ignore[arg-type]
    assert read_number("1234", separators=EN, **GRAMS) == 1234.0  # type: ignore[arg-type]


def test_decimal_places_beyond_the_field_are_refused_not_rounded() -> None:
    """A field keeping one decimal refuses 6.55 instead of rounding it to 6.6."""
    assert read_number("6,5", whole=False, decimals=1) == 6.5
    with pytest.raises(NumberRefused) as refused:
        read_number("6,55", whole=False, decimals=1)
    assert refused.value.code == "too_many_decimals"


@pytest.mark.parametrize(("value", "text"), [(6.5, "6.5"), (1234, "1234"), (1e-05, "0.00001"),
                                             (-18.0, "-18"), (0.1 + 0.2, "0.30000000000000004"),
                                             (1e20, "100000000000000000000")])
def test_canonical_text_reads_back_exactly(value: float, text: str) -> None:
    """The canonical text has no exponent and reads back as the same value."""
    assert canonical(value) == text
    assert read_number(text, whole=False) == value


def test_a_pasted_wall_of_digits_is_refused_not_a_crash() -> None:
    """Thousands of digits pasted by mistake are refused like any other non-number."""
    with pytest.raises(NumberRefused) as refused:
        read_number("9" * 5000, whole=True)
    assert refused.value.code == "not_a_number"
