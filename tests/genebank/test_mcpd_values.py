"""Parsing every kind of MCPD value: the valid and invalid examples of reference section 1."""

from __future__ import annotations

import datetime as dt

import pytest

from genebank import mcpd
from genebank.mcpd import values as v
from genebank.mcpd.values import InvalidValue

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(("raw", "canonical"), [
    ("19750612", "19750612"),
    ("197506--", "197506--"),
    ("19750600", "197506--"),
    ("1975----", "1975----"),
    ("19750000", "1975----"),
    ("1975", "1975----"),
    ("1975-06", "197506--"),
    ("1975-6-2", "19750602"),
    ("197506", "197506--"),
    (19750600, "197506--"),
    (19750612.0, "19750612"),
    (dt.date(2001, 2, 3), "20010203"),
    (dt.datetime(2001, 2, 3, 10, 0), "20010203"),
    ("  20000229 ", "20000229"),
    ("", None),
    (None, None),
])
def test_dates_are_read_into_mcpd_form(raw: object, canonical: str | None) -> None:
    """Full and partial dates in MCPD, ISO and spreadsheet shapes become YYYYMMDD with --."""
    assert v.parse_date(raw, today=TODAY) == canonical


@pytest.mark.parametrize(("raw", "reason"), [
    ("19751301", "no month 13"),
    ("19750231", "has no day 31"),
    ("19001329", "no month"),
    ("1975--12", "day but no month"),
    ("19990229", "has no day 29"),
    ("75/06/12", "two-digit year"),
    ("June 1975", "not a date"),
    ("20301201", "in the future"),
    ("16000101", "too early"),
    (1975.5, "not a date"),
])
def test_impossible_dates_are_refused_with_a_reason(raw: object, reason: str) -> None:
    """Dates that cannot exist are refused, and the message says why."""
    with pytest.raises(InvalidValue, match=reason):
        v.parse_date(raw, today=TODAY)


@pytest.mark.parametrize(("raw", "quoted"), [
    ("13/13/1998", "'13/13/1998' has no month 13"),  # a French sheet's typo
    ("31/02/1998", "'31/02/1998': "),
    ("1998-13-01", "'1998-13-01' has no month 13"),
    ("1998-02-31", "'1998-02-31': "),
    (19751301.0, "'19751301' has no month 13"),  # a number cell: its digits, no .0
])
def test_an_impossible_date_is_quoted_as_the_cell_held_it(raw: object, quoted: str) -> None:
    """The message quotes what the person typed, so they can find it in their sheet;
    '19981313' for a cell holding 13/13/1998 is a value they never wrote."""
    with pytest.raises(InvalidValue) as refused:
        v.parse_date(raw, today=TODAY, order="dmy")
    assert str(refused.value).startswith(quoted)


@pytest.mark.parametrize(("raw", "axis", "canonical"), [
    ("103020S", "lat", "103020S"),
    ("10----S", "lat", "10----S"),
    ("011530N", "lat", "011530N"),
    ("4531--S", "lat", "4531--S"),
    ("10°30'20\"S", "lat", "103020S"),
    ("10 30 20 s", "lat", "103020S"),
    ("1 15 30 N", "lat", "011530N"),
    ("45 31 S", "lat", "4531--S"),
    ("0762510W", "lon", "0762510W"),
    ("076----W", "lon", "076----W"),
    ("76°25′10″W", "lon", "0762510W"),
    ("180----E", "lon", "180----E"),
])
def test_dms_coordinates_are_read_naturally(raw: str, axis: str, canonical: str) -> None:
    """DMS coordinates typed with symbols or spaces become DDMMSSH / DDDMMSSH."""
    assert v.parse_dms(raw, axis=axis) == canonical


@pytest.mark.parametrize(("raw", "axis"), [
    ("1030S", "lat"),  # no leading zeros/seconds: ambiguous
    ("913020N", "lat"),
    ("103020E", "lat"),
    ("10--20S", "lat"),
    ("106020S", "lat"),
    ("762510W", "lon"),
    ("1810000E", "lon"),
    ("10 30 20", "lat"),
    ("abc", "lon"),
])
def test_malformed_dms_coordinates_are_refused(raw: str, axis: str) -> None:
    """A DMS value that does not follow MCPD's pattern is refused, not guessed."""
    with pytest.raises(InvalidValue):
        v.parse_dms(raw, axis=axis)


@pytest.mark.parametrize(("raw", "axis", "value"), [
    ("-44.6975", "lat", -44.6975),
    ("+120.9123", "lon", 120.9123),
    ("44,6975", "lat", 44.6975),
    ("44°41'51\"S", "lat", -44.6975),
    (12, "lon", 12.0),
])
def test_decimal_coordinates(raw: object, axis: str, value: float) -> None:
    """Decimal degrees accept signs, decimal commas and DMS with a hemisphere."""
    assert v.parse_decimal_degrees(raw, axis=axis) == pytest.approx(value)


@pytest.mark.parametrize(("raw", "axis"), [("91", "lat"), ("-180.5", "lon"), ("north", "lat")])
def test_decimal_coordinates_out_of_range_are_refused(raw: str, axis: str) -> None:
    """Latitudes beyond ±90 and longitudes beyond ±180 are refused."""
    with pytest.raises(InvalidValue):
        v.parse_decimal_degrees(raw, axis=axis)


def test_dms_and_decimal_convert_both_ways() -> None:
    """DMS and decimal degrees convert into each other, keeping the hemisphere."""
    assert v.dms_to_decimal("103020S") == (pytest.approx(-10.505556, abs=1e-6),
                                           pytest.approx(1 / 3600))
    assert v.dms_to_decimal("076----W")[0] == -76.0
    assert v.decimal_to_dms(-10.505556, axis="lat") == "103020S"
    assert v.decimal_to_dms(76.4194, axis="lon") == "0762510E"


@pytest.mark.parametrize(("raw", "canonical"), [
    ("KAZ001", "KAZ001"), (" kaz001 ", "KAZ001"), ("NLD037", "NLD037"), ("COL0001", "COL0001"),
])
def test_institute_codes(raw: str, canonical: str) -> None:
    """WIEWS institute codes are upper-cased and checked for their form."""
    assert v.parse_instcode(raw) == canonical


@pytest.mark.parametrize("raw", ["KZ001", "KAZ01", "KAZ-001", "001KAZ", "KAZ00001"])
def test_malformed_institute_codes_are_refused(raw: str) -> None:
    """Codes that are not three letters and three or four digits are refused."""
    with pytest.raises(InvalidValue, match="WIEWS"):
        v.parse_instcode(raw)


def test_multi_values_split_on_semicolons_and_lines() -> None:
    """Multi-values accept ';', '; ' and one value per line, and drop empty items."""
    assert v.parse_texts("Symphony;Emma; Songino") == ["Symphony", "Emma", "Songino"]
    assert v.parse_texts("Symphony\nEmma\n\n") == ["Symphony", "Emma"]
    assert v.parse_instcodes("NOR051; syr002 NOR051") == ["NOR051", "SYR002"]


@pytest.mark.parametrize(("field", "raw", "value"), [
    ("SAMPSTAT", "300", 300), ("SAMPSTAT", 300.0, 300),
    ("SAMPSTAT", "300 - Traditional cultivar/landrace", 300),
    ("COLLSRC", "26", 26), ("MLSSTAT", "99", 99), ("MLSSTAT", "0", 0),
    ("STORAGE", "20;30", [20, 30]), ("STORAGE", "30, 20 20", [20, 30]), ("STORAGE", 13, [13]),
])
def test_coded_fields(field: str, raw: object, value: object) -> None:
    """Coded fields take codes with or without their meaning; STORAGE takes several."""
    assert mcpd.parse_field(field, raw) == value


@pytest.mark.parametrize(("field", "raw"), [
    ("SAMPSTAT", "301"), ("SAMPSTAT", "wild"), ("COLLSRC", "16"), ("MLSSTAT", "2"),
    ("STORAGE", "13;14"), ("SAMPSTAT", True),
])
def test_codes_outside_the_lists_are_refused(field: str, raw: object) -> None:
    """A code that MCPD does not define is refused, and the valid codes are named."""
    with pytest.raises(InvalidValue):
        mcpd.parse_field(field, raw)


@pytest.mark.parametrize(("raw", "code"), [
    ("KAZ", "KAZ"), ("kaz", "KAZ"), ("TUR", "TUR"), ("SUHH", "SUN"), ("Kazakhstan", "KAZ"),
    ("KZ", "KAZ"),
])
def test_countries(raw: str, code: str) -> None:
    """ORIGCTY takes ISO 3166-1 alpha-3 (and ISO 3166-3 for former states)."""
    assert v.parse_country(raw) == code


@pytest.mark.parametrize("raw", ["XYZ", "Atlantis", "KA"])
def test_unknown_countries_are_refused(raw: str) -> None:
    """Unknown country codes are refused with a plain message."""
    with pytest.raises(InvalidValue, match="country code"):
        v.parse_country(raw)


def test_other_numbers_and_remarks() -> None:
    """OTHERNUMB items become INSTCODE:ID (or :ID), remarks keep FIELD: upper case."""
    assert v.parse_othernumb("nld037:CGN1234; :X-9\nOLD 12") == [
        "NLD037:CGN1234", ":X-9", ":OLD 12"]
    with pytest.raises(InvalidValue, match="not a WIEWS"):
        v.parse_othernumb("CGN:1234")
    assert v.parse_othernumb(12345.0) == [":12345"]  # typed as a number in the spreadsheet
    assert v.parse_texts(7.0) == ["7"] and v.parse_texts(2.5) == ["2.5"]
    assert v.parse_remarks("collsrc:riverside;SAMPSTAT:mixture") == [
        "COLLSRC:riverside", "SAMPSTAT:mixture"]


def test_numbers() -> None:
    """Integers and numbers accept spreadsheet floats and decimal commas."""
    assert mcpd.parse_field("COORDUNCERT", "500") == 500
    assert mcpd.parse_field("ELEVATION", "-28,5") == -28.5
    with pytest.raises(InvalidValue):
        mcpd.parse_field("COORDUNCERT", "about 500")


def test_control_characters_are_refused_in_identifiers_and_removed_elsewhere() -> None:
    """Invisible control characters (pasted from other programs) are refused in an
    identifier and removed from other text; Persian joiners and marks stay."""
    with pytest.raises(InvalidValue, match="control"):
        v.parse_text("abc\x07def", identifier=True)
    with pytest.raises(InvalidValue, match="U\\+202E"):
        mcpd.parse_field("ACCENUMB", "KZ-\u202e100")
    assert v.parse_text("abc\x07def") == "abcdef"
    assert mcpd.parse_field("COLLSITE", "Aral\u202e sea\x9b") == "Aral sea"
    assert mcpd.parse_field("ACCENAME", "\u0645\u06cc\u200c\u0634\u0648\u062f") == \
        ["\u0645\u06cc\u200c\u0634\u0648\u062f"]
    assert mcpd.parse_field("ACCENUMB", "KZ\u200e-1") == "KZ\u200e-1"
