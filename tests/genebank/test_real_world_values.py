"""Passport values as real catalogues write them (issue 14, "Values" and "Countries"): each
read into its MCPD form by the one reader (``mcpd.check_passport`` for the form and the CLI,
``preview_passports`` for an import), its normalisation said, or refused when ambiguous."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genebank import mcpd
from genebank.io.passport_preview import ImportPreview, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.mcpd import values
from tests.conftest import passport_values
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)
PROPERTY = settings(derandomize=True, max_examples=200, deadline=None, database=None)


def codes(checked: mcpd.CheckedPassport, field: str) -> list[str | None]:
    return [p.code for p in checked.problems if p.field == field]


def preview(path: Path, **options: object) -> ImportPreview:
    return preview_passports(read_sheet(path), today=TODAY, **options)  # type: ignore[arg-type]


# Countries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "stored", "state"), [
    ("SUN", "SUN", "USSR"), ("SUHH", "SUN", "USSR"), ("CSK", "CSK", "Czechoslovakia"),
    ("CSHH", "CSK", "Czechoslovakia"), ("YUG", "YUG", "Yugoslavia"),
    ("YUCS", "YUG", "Yugoslavia"), ("SCG", "SCG", "Serbia and Montenegro"),
    ("CSXX", "SCG", "Serbia and Montenegro"), ("DDR", "DDR", "German Democratic Republic"),
    ("DDDE", "DDR", "German Democratic Republic"), ("suhh", "SUN", "USSR"),
])
def test_a_dissolved_state_is_stored_by_its_withdrawn_three_letter_code(
        written: str, stored: str, state: str) -> None:
    """MCPD wants three letters: SUHH and SUN are both stored SUN, warned naming the state."""
    checked = mcpd.check_passport(passport_values(ORIGCTY=written))
    assert checked.ok and checked.values["ORIGCTY"] == stored
    warning, = [p for p in checked.warnings if p.field == "ORIGCTY"]
    assert state in warning.message and warning.params["country"] == stored
    if written == stored:
        assert warning.code == "former_country"
    else:  # said with what the cell held: a search of the file for SUN finds nothing
        assert warning.code == "former_country_stored"
        assert warning.message.startswith(f"'{written.upper()}' stored as {stored} ")


@pytest.mark.parametrize(("written", "today"), [
    ("BUR", "MMR"), ("ZAR", "COD"), ("TMP", "TLS"), ("ROM", "ROU"), ("BUMM", "MMR"),
    ("ZRCD", "COD"), ("TPTL", "TLS"),
])
def test_a_renamed_country_is_stored_as_todays_code_with_a_warning(written: str,
                                                                  today: str) -> None:
    """Burma, Zaire, East Timor, Romania's old code: the same country, today's code, said."""
    checked = mcpd.check_passport(passport_values(ORIGCTY=written))
    assert checked.ok and checked.values["ORIGCTY"] == today
    assert codes(checked, "ORIGCTY") == ["country_renamed"]


def test_an_import_reads_old_country_codes_and_says_so_once(tmp_path: Path) -> None:
    """In a file: BUR is said as renamed (no generic "read as" too), SUHH as stored SUN."""
    path = workbook(tmp_path / "old.xlsx", {"Sheet": [["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY"],
        ["KAZ001", "A1", "Triticum", "BUR"], ["KAZ001", "A2", "Triticum", "SUHH"],
        ["KAZ001", "A3", "Triticum", "Czechoslovakia"]]})
    first, second, third = preview(path).rows
    assert first.values["ORIGCTY"] == "MMR"
    assert [p.code for p in first.problems if p.field == "ORIGCTY"] == ["country_renamed"]
    assert second.values["ORIGCTY"] == "SUN"
    assert [p.code for p in second.problems if p.field == "ORIGCTY"] == ["former_country_stored"]
    assert third.values["ORIGCTY"] == "CSK"


@pytest.mark.parametrize(("field", "code"), [
    ("INSTCODE", "SUN001"), ("COLLCODE", "CSK012"), ("BREDCODE", "YUG003"),
    ("DONORCODE", "DDR001"), ("DUPLSITE", "SCG002"),
])
def test_an_old_institute_code_of_a_former_state_is_valid(field: str, code: str) -> None:
    """WIEWS codes made under the USSR or Yugoslavia (SUN001...) keep their old letters: no
    error, and no "unknown country" warning."""
    checked = mcpd.check_passport(passport_values(**{field: code}))
    assert checked.ok
    assert codes(checked, field) == []


# Values -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "order", "read"), [
    ("25/03/1998", None, "19980325"), ("25.03.1998", None, "19980325"),
    ("25-03-1998", None, "19980325"), ("03/25/1998", None, "19980325"),
    ("5.5.1998", None, "19980505"), ("12/03/1998", "dmy", "19980312"),
    ("12/03/1998", "mdy", "19981203"), ("12.03.1998", "dmy", "19980312"),
    ("1998-03-12", "mdy", "19980312"),
])
def test_day_and_month_first_dates_read_when_only_one_order_fits_or_the_file_says(
        written: str, order: str | None, read: str) -> None:
    """A part above 12 says which is the day; otherwise the file's order does."""
    assert mcpd.parse_field("ACQDATE", written, today=TODAY, dates=order) == read


@pytest.mark.parametrize("written", ["12/03/1998", "01.02.2003", "11-10-1987"])
def test_an_ambiguous_day_month_date_is_refused_without_the_files_order(written: str) -> None:
    with pytest.raises(mcpd.InvalidValue) as refused:
        mcpd.parse_field("COLLDATE", written, today=TODAY)
    assert refused.value.code == "date_order_ambiguous"
    assert "day first" in str(refused.value) and "month first" in str(refused.value)


def test_an_import_reads_dates_in_the_files_order(tmp_path: Path) -> None:
    """preview_passports(dates=...) reads 12/03/1998 as the file writes it; without it the
    cell is refused, never guessed."""
    path = workbook(tmp_path / "dates.xlsx", {"Sheet": [
        ["INSTCODE", "ACCENUMB", "GENUS", "ACQDATE"],
        ["KAZ001", "A1", "Triticum", "12/03/1998"],
        ["KAZ001", "A2", "Triticum", "25/03/1998"]]})
    ambiguous, clear = preview(path).rows
    assert "ACQDATE" not in ambiguous.values
    assert [p.code for p in ambiguous.problems if p.field == "ACQDATE"] == [
        "date_order_ambiguous"]
    assert clear.values["ACQDATE"] == "19980325"
    assert [r.values["ACQDATE"] for r in preview(path, dates="dmy").rows] == [
        "19980312", "19980325"]
    month_first, against = preview(path, dates="mdy").rows
    assert month_first.values["ACQDATE"] == "19981203"
    assert "ACQDATE" not in against.values  # 25/03 says the file is not month first


_DAYS = st.dates(min_value=dt.date(1800, 1, 1), max_value=TODAY)


@PROPERTY
@given(day=_DAYS, separator=st.sampled_from("/.-"), day_first=st.booleans(),
       order=st.sampled_from([None, "dmy", "mdy"]), pad=st.booleans())
def test_an_unambiguous_date_reads_right_in_any_separator_and_order(
        day: dt.date, separator: str, day_first: bool, order: str | None, pad: bool) -> None:
    """A date whose day is above 12 (or equals its month) reads to its own YYYYMMDD,
    whichever separator and order it is written in, whatever order the file claims."""
    if not (day.day > 12 or day.day == day.month):
        day = day.replace(day=13 + day.day % 16)
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
    text = separator.join((d, m) if day_first else (m, d)) + f"{separator}{day.year}"
    if order is not None and day.day != day.month and (order == "dmy") != day_first:
        return  # a file saying the other order: its month would be the day (refused apart)
    assert values.parse_date(text, today=TODAY, order=order) == day.strftime("%Y%m%d")


@PROPERTY
@given(day=_DAYS, separator=st.sampled_from("/.-"))
def test_an_ambiguous_date_is_refused_never_guessed(day: dt.date, separator: str) -> None:
    """Day and month both 12 or less and different: without the file's order, refused."""
    if day.day > 12 or day.day == day.month:
        day = day.replace(day=1 + (day.month % 12))
    text = separator.join((f"{day.day:02d}", f"{day.month:02d}", str(day.year)))
    with pytest.raises(values.InvalidValue) as refused:
        values.parse_date(text, today=TODAY)
    assert refused.value.code == "date_order_ambiguous"


@pytest.mark.parametrize(("dms", "decimal", "carried"), [
    ("103060N", 10.516667, "103100N"),  # 60 seconds
    ("1060--S", -11.0, "1100--S"),  # 60 minutes, no seconds
    ("10°30'60\"N", 10.516667, "103100N"),  # as a GPS unit writes it
])
def test_dms_with_sixty_is_carried_when_the_decimal_twin_agrees(dms: str, decimal: float,
                                                                carried: str) -> None:
    checked = mcpd.check_passport(passport_values(LATITUDE=dms, DECLATITUDE=decimal,
                                                  LONGITUDE="0762510E",
                                                  DECLONGITUDE=76.419444))
    assert checked.ok and checked.values["LATITUDE"] == carried
    assert codes(checked, "LATITUDE") == ["dms_carried"]


@pytest.mark.parametrize("decimal", [None, 10.9, "not a number"])
def test_dms_with_sixty_is_refused_without_a_decimal_twin_that_agrees(decimal: object) -> None:
    checked = mcpd.check_passport(passport_values(
        LATITUDE="103060N", DECLATITUDE=decimal, LONGITUDE="0756000W"))
    assert "LATITUDE" not in checked.values and "LONGITUDE" not in checked.values
    assert codes(checked, "LATITUDE")[0] == "dms_sixty"
    assert [p.params["carried"] for p in checked.errors if p.code == "dms_sixty"] == [
        "103100N", "0760000W"]


def test_an_import_carries_sixty_seconds_only_where_the_row_confirms_it(tmp_path: Path) -> None:
    path = workbook(tmp_path / "gps.xlsx", {"Sheet": [
        ["INSTCODE", "ACCENUMB", "GENUS", "LATITUDE", "DECLATITUDE", "LONGITUDE"],
        ["KAZ001", "A1", "Triticum", "453060N", 45.516667, "0762510E"],
        ["KAZ001", "A2", "Triticum", "453060N", None, "0762510E"]]})
    confirmed, alone = preview(path).rows
    assert confirmed.values["LATITUDE"] == "453100N"
    assert [(p.code, p.column) for p in confirmed.problems if p.field == "LATITUDE"] == [
        ("dms_carried", "D")]
    assert [p.code for p in alone.problems if p.severity == "error"] == ["dms_sixty"]
    assert "LATITUDE" not in alone.values


@pytest.mark.parametrize(("field", "written"), [
    ("DECLONGITUDE", "75.59W"), ("DECLATITUDE", "12.30N"), ("DECLATITUDE", "N12.30"),
    ("DECLATITUDE", "12.5 S"), ("LONGITUDE", "75.59W"), ("LATITUDE", "12.30N"),
])
def test_degrees_minutes_written_as_decimals_are_refused_as_ambiguous(field: str,
                                                                      written: str) -> None:
    """75.59W: 75.59° or 75° 59'? No one can tell: refused, not read as either. Four
    decimals, a fraction above .59, or a sign without a letter are decimal degrees."""
    checked = mcpd.check_passport(passport_values(**{field: written}))
    assert codes(checked, field)[0] == "degrees_minutes_ambiguous"
    assert field not in checked.values
    for text, read in (("44.6975 S", -44.6975), ("12.75N", 12.75), ("-75.59", -75.59)):
        assert mcpd.parse_field("DECLATITUDE", text) == read


def test_a_species_written_with_its_genus_is_split_only_when_the_genus_is_genus() -> None:
    """"Triticum aestivum" under GENUS Triticum is aestivum (said); "Aegilops tauschii"
    under Triticum is refused (which genus is right is the person's call); "Aestivum" is
    lower-cased, said."""
    split = mcpd.check_passport(passport_values(SPECIES="Triticum aestivum"))
    assert split.values["SPECIES"] == "aestivum"
    assert codes(split, "SPECIES") == ["species_genus_removed"]
    both = mcpd.check_passport(passport_values(SPECIES="triticum Aestivum"))
    assert both.values["SPECIES"] == "aestivum"
    assert codes(both, "SPECIES") == ["species_genus_removed", "species_lower_cased"]
    other = mcpd.check_passport(passport_values(SPECIES="Aegilops tauschii"))
    assert "SPECIES" not in other.values and not other.ok
    assert codes(other, "SPECIES") == ["species_other_genus"]
    capital = mcpd.check_passport(passport_values(SPECIES="Aestivum"))
    assert capital.values["SPECIES"] == "aestivum"
    assert codes(capital, "SPECIES") == ["species_lower_cased"]
    assert mcpd.check_passport(passport_values(SPECIES="aestivum subsp. compactum")
                               ).values["SPECIES"] == "aestivum subsp. compactum"


def test_an_import_keeps_the_species_split_warning_once_judged_again(tmp_path: Path) -> None:
    """The split is said in the preview's final rows (after the existing ones are found)."""
    from genebank import db
    from genebank.passport.passport_existing import mark_existing

    path = workbook(tmp_path / "taxa.xlsx", {"Sheet": [["INSTCODE", "ACCENUMB", "GENUS", "SPECIES"],
        ["KAZ001", "A1", "Triticum", "Triticum Aestivum"]]})
    result = preview(path)
    database = db.open_database(db.sqlite_url(tmp_path / "t.sqlite"), user="tester")
    with database.session_factory() as session:
        mark_existing(session, result, clear_blank=False)
    database.close()
    row, = result.rows
    assert row.values["SPECIES"] == "aestivum"
    assert {p.code for p in row.problems if p.field == "SPECIES"} == {
        "species_genus_removed", "species_lower_cased"}


@pytest.mark.parametrize(("field", "cell"), [
    ("ACCENAME", True), ("ACCENAME", False), ("COLLSITE", "VRAI"), ("ACCENUMB", "FALSE"),
    ("DONORNAME", "ИСТИНА"), ("COLLNUMB", "ЛОЖЬ"), ("GENUS", "TRUE"), ("SPECIES", "FAUX"),
    ("REMARKS", True), ("PUID", "TRUE"),
])
def test_true_or_false_in_a_text_column_is_refused(field: str, cell: object) -> None:
    """A boolean cell (Excel's TRUE, LibreOffice's VRAI, Russian Excel's ИСТИНА) is a
    formula's or a format's doing in a text column, never a name."""
    checked = mcpd.check_passport(passport_values(**{field: cell}))
    assert codes(checked, field)[0] == "boolean_in_text"
    assert field not in checked.values


# MLSSTAT cells as Genesys (mlsStat), Excel (a boolean cell) and people write them.
MLSSTAT_CELLS = [("true", 1), ("false", 0), (True, 1), (False, 0), ("TRUE", 1), ("yes", 1),
                 ("No", 0), ("1", 1), (0, 0), ("0", 0)]


def test_mlsstat_reads_as_genesys_writes_it() -> None:
    """Genesys's mlsStat is true/false: true is 1 "included", false 0; said by nothing."""
    for cell, code in MLSSTAT_CELLS:
        checked = mcpd.check_passport(passport_values(MLSSTAT=cell))
        assert checked.ok and checked.values["MLSSTAT"] == code, cell
        assert codes(checked, "MLSSTAT") == [], cell


# PUIDs as Genesys and GLIS give them: (written, stored, what is said).
PUIDS = [
    ("10.18730/5N2PQ", "10.18730/5N2PQ", []),
    ("https://doi.org/10.18730/5N2PQ", "10.18730/5N2PQ", ["doi_normalised"]),
    ("http://dx.doi.org/10.18730/5N2PQ", "10.18730/5N2PQ", ["doi_normalised"]),
    ("doi:10.18730/5N2PQ", "10.18730/5N2PQ", ["doi_normalised"]),
    ("DOI: 10.18730/5N2PQ", "10.18730/5N2PQ", ["doi_normalised"]),
    ("NOR017:NGB17773:ALLIUM", "NOR017:NGB17773:ALLIUM", []),
]


def test_a_doi_puid_is_stored_bare() -> None:
    """A DOI is stored as the bare DOI, said when it was written otherwise; any other
    identifier stays as written."""
    for written, stored, said in PUIDS:
        checked = mcpd.check_passport(passport_values(PUID=written))
        assert checked.ok and checked.values["PUID"] == stored, written
        assert codes(checked, "PUID") == said, written
