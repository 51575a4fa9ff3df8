"""What a QA tester met importing passport files as users have them (issue 14, the QA
report's findings): each value is refused, read or said as a technician needs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from genebank import db
from genebank.io.passport_preview import ImportPreview, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.passport.passport_existing import mark_existing
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)
HEADER = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACQDATE", "COLLDATE", "ORIGCTY",
          "SAMPSTAT", "MLSSTAT", "STORAGE", "DECLATITUDE", "DECLONGITUDE", "LATITUDE"]


def row(**cells: object) -> list[object]:
    base: dict[str, object] = {"INSTCODE": "ESP004", "ACCENUMB": "BGE-1", "GENUS": "Zea",
                               "SPECIES": "mays", "ORIGCTY": "ESP", "SAMPSTAT": 300,
                               "MLSSTAT": 1, "STORAGE": 13}
    base.update(cells)
    return [base.get(code) for code in HEADER]


def judged(path: Path, tmp_path: Path, **options: object) -> ImportPreview:
    """The preview as the CLI and the wizard show it: every row judged, existing ones found."""
    preview = preview_passports(read_sheet(path), today=TODAY, **options)  # type: ignore[arg-type]
    database = db.open_database(db.sqlite_url(tmp_path / "t.sqlite"), user="tester")
    try:
        with database.session_factory() as session:
            mark_existing(session, preview, clear_blank=False)
    finally:
        database.close()
    return preview


def test_a_species_naming_another_genus_is_refused_on_its_cell(tmp_path: Path) -> None:
    """QA #1: GENUS Sorghum with SPECIES "Zea mays" is ambiguous: refused on the SPECIES cell
    naming both genera, the row not imported (it was stored as the epithet "Zea mays")."""
    path = workbook(tmp_path / "values.xlsx", {"Passport": [HEADER,
        row(ACCENUMB="C-5", GENUS="Sorghum", SPECIES="Zea mays"),
        row(ACCENUMB="C-6", GENUS="Zea", SPECIES="Zea mays")]})
    preview = judged(path, tmp_path)
    refused, split = preview.rows
    assert refused.status == "error" and "SPECIES" not in refused.values
    problem, = [p for p in refused.problems if p.field == "SPECIES"]
    assert (problem.severity, problem.code, problem.column) == ("error",
                                                                "species_other_genus", "D")
    assert "Zea" in problem.message and "Sorghum" in problem.message
    assert split.status == "warning" and split.values["SPECIES"] == "mays"


def test_a_date_against_the_order_given_is_refused_on_its_cell(tmp_path: Path) -> None:
    """QA #2: under --dates dmy, 03/25/1998 reads only month first: it says the order given
    is wrong for this file, so it is refused on its cell (it was read, and the file's
    12/03/1998 stored in the wrong month); the same for 25/03/1998 under mdy."""
    path = workbook(tmp_path / "dates.xlsx", {"Passport": [HEADER,
        row(ACQDATE="12/03/1998", COLLDATE="03/25/1998"),
        row(ACCENUMB="BGE-2", ACQDATE="25/03/1998")]})
    day_first = judged(path, tmp_path, dates="dmy")
    mixed, fits = day_first.rows
    assert mixed.values["ACQDATE"] == "19980312" and "COLLDATE" not in mixed.values
    problem, = [p for p in mixed.problems if p.field == "COLLDATE"]
    assert (problem.severity, problem.code, problem.column) == ("error",
                                                                "date_not_day_first", "F")
    assert "does not fit the day-first order given for this file" in problem.message
    assert fits.values["ACQDATE"] == "19980325"
    month_first = judged(path, tmp_path, dates="mdy")
    _, against = month_first.rows
    problem, = [p for p in against.problems if p.field == "ACQDATE"]
    assert (problem.severity, problem.code) == ("error", "date_not_month_first")
    assert "does not fit the month-first order" in problem.message


WORLD = Path(__file__).resolve().parent.parent / "files" / "world"


def test_mlsstat_y_and_n_are_read_as_the_spanish_gene_bank_writes_them() -> None:
    """QA #6: the CRF files (vavilov3's export of the Spanish national gene bank) write
    MLSSTAT Y/N; read silently like yes/no, as are oui/non and да/нет."""
    for name in ("passport-crf-maize-vavilov3.csv", "passport-crf-tomato-vavilov3.xlsx"):
        preview = preview_passports(read_sheet(WORLD / name), today=TODAY)
        written = {r.values.get("MLSSTAT") for r in preview.rows}
        assert written - {None} == ({0} if "tomato" in name else {0, 1}), name
        said = {p.code for p in preview.problems() if p.field == "MLSSTAT"}
        assert said <= {"recommended_empty"}, name  # the maize file's one empty cell


def test_mlsstat_words_in_other_languages_are_read_and_others_refused_naming_y_n(
        tmp_path: Path) -> None:
    cells = ["Y", "n", "oui", "Non", "да", "НЕТ", "O"]
    path = workbook(tmp_path / "mls.xlsx", {"Passport": [HEADER,
        *(row(ACCENUMB=f"M-{i}", MLSSTAT=cell) for i, cell in enumerate(cells))]})
    rows = preview_passports(read_sheet(path), today=TODAY).rows
    assert [r.values.get("MLSSTAT") for r in rows] == [1, 0, 1, 0, 1, 0, None]
    refused, = [p for p in rows[-1].problems if p.field == "MLSSTAT"]
    assert refused.code == "mlsstat_unreadable" and "Y/N" in refused.message


def test_degrees_minutes_refusal_gives_both_readings_of_the_value_itself(
        tmp_path: Path) -> None:
    """QA #5: '01.30N' in LATITUDE: the examples are this value's own readings, pointing to
    DECLATITUDE for the decimal (1.3, positive: north) and giving DMS for both readings
    (0130--N is 1° 30', 011800N is 1.3°), never a fixed -75.59 / 0753540W."""
    path = workbook(tmp_path / "values.xlsx", {"Passport": [HEADER,
        row(LATITUDE="01.30N"), row(ACCENUMB="BGE-2", DECLONGITUDE="75.59W")]})
    north, west = preview_passports(read_sheet(path), today=TODAY).rows
    problem, = [p for p in north.problems if p.field == "LATITUDE"]
    assert problem.code == "degrees_minutes_ambiguous"
    assert "DECLATITUDE as 1.3 " in problem.message
    assert "0130--N for 1° 30'" in problem.message and "011800N for 1.3" in problem.message
    assert "-75.59" not in problem.message and "0753540W" not in problem.message
    problem, = [p for p in west.problems if p.field == "DECLONGITUDE"]
    assert "DECLONGITUDE as -75.59 " in problem.message
    assert "07559--W for 75° 59'" in problem.message and "0753524W" in problem.message


def test_coordinates_with_more_than_six_decimals_are_said_rounded_once_per_column(
        tmp_path: Path) -> None:
    """QA #4: Germinate writes DECLATITUDE 35.6911111 (a number cell), and a CSV holds
    -5.41555555555556 as text: stored to 6 decimals (about 0.1 m), said once per column with
    the count of rows, not silently and not on every row."""
    germinate = preview_passports(
        read_sheet(WORLD / "passport-germinate-example-mcpd.xlsx", "DATA"), today=TODAY)
    said = [p for p in germinate.sheet_problems if p.code == "coordinate_rounded"]
    assert {p.field for p in said} == {"DECLATITUDE", "DECLONGITUDE"}
    assert all(p.severity == "warning" and p.params["count"] > 1 for p in said)
    assert not [p for p in germinate.problems() if p.code == "coordinate_rounded"
                and p not in said]
    latitude = next(p for p in said if p.field == "DECLATITUDE")
    assert "rounded to 6 decimals" in latitude.message
    path = tmp_path / "crf.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,DECLATITUDE,DECLONGITUDE\n"
                    "ESP004,BGE-1,Zea,39.6275,-5.41555555555556\n"
                    "ESP004,BGE-2,Zea,39.6275,-5.4155\n", encoding="utf-8")
    crf = preview_passports(read_sheet(path), today=TODAY)
    said, = [p for p in crf.sheet_problems if p.code == "coordinate_rounded"]
    assert (said.field, said.column, said.params["count"]) == ("DECLONGITUDE", "E", 1)
    assert "-5.41555555555556 stored as -5.415556" in said.message
    assert crf.rows[0].values["DECLONGITUDE"] == -5.415556


def test_a_former_states_four_letter_code_is_said_with_what_the_cell_held(
        tmp_path: Path) -> None:
    """QA #14: a cell SUHH (ISO 3166-3's four letters, as old catalogues write the USSR) is
    stored SUN: the one warning on that cell says "'SUHH' stored as SUN (USSR...)", also once
    the existing accession is found; a cell SUN keeps the former-state warning alone."""
    path = workbook(tmp_path / "countries.xlsx", {"Passport": [HEADER, row(ORIGCTY="SUHH"),
        row(ACCENUMB="BGE-2", ORIGCTY="CSHH"), row(ACCENUMB="BGE-3", ORIGCTY="SUN")]})
    rows = judged(path, tmp_path).rows
    said = [[p for p in r.problems if p.field == "ORIGCTY"] for r in rows]
    assert [r.values["ORIGCTY"] for r in rows] == ["SUN", "CSK", "SUN"]
    assert [[p.code for p in problems] for problems in said] == [
        ["former_country_stored"], ["former_country_stored"], ["former_country"]]
    assert said[0][0].message.startswith("'SUHH' stored as SUN (USSR")
    assert said[0][0].column == "G"
    assert said[1][0].message.startswith("'CSHH' stored as CSK (Czechoslovakia")
