"""One heading matcher for every import: Genesys names, MCPD codes in any case, headings in
English, French, Spanish, Russian and Arabic; title rows above the headings skipped in every
import; the sheet holding a kind's required headings chosen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from genebank import cli
from genebank.io import headings
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet

# Headings as Genesys downloads write them (camelCase, dotted collecting and geo fields).
GENESYS = {
    "instCode": "INSTCODE", "acceNumb": "ACCENUMB", "acqSrc": "COLLSRC", "origCty": "ORIGCTY",
    "mlsStat": "MLSSTAT", "doi": "PUID", "sampStat": "SAMPSTAT", "cropName": "CROPNAME",
    "acqDate": "ACQDATE", "spAuthor": "SPAUTHOR", "subtAuthor": "SUBTAUTHOR",
    "donorCode": "DONORCODE", "donorNumb": "DONORNUMB", "duplSite": "DUPLSITE",
    "acceName": "ACCENAME", "ancest": "ANCEST", "coll.collSite": "COLLSITE",
    "coll.collDate": "COLLDATE", "coll.collNumb": "COLLNUMB", "coll.collCode": "COLLCODE",
    "coll.collMissId": "COLLMISSID", "geo.latitude": "DECLATITUDE",
    "geo.longitude": "DECLONGITUDE", "geo.elevation": "ELEVATION",
    "geo.coordUncert": "COORDUNCERT", "geo.coordDatum": "COORDDATUM",
    "geo.georefMeth": "GEOREFMETH", "fullTaxa": "FULLTAXA", "historic": "HISTORIC",
    "available": "AVAILABLE", "accessionNumber": "ACCENUMB", "taxonomy.genus": "GENUS",
}
# Headings people write in their own language.
LANGUAGES = {
    "Numéro d'accession": "ACCENUMB", "Genre": "GENUS", "Espèce": "SPECIES",
    "Pays d'origine": "ORIGCTY", "Date de collecte": "COLLDATE", "Altitude (m)": "ELEVATION",
    "Número de accesión": "ACCENUMB", "Género": "GENUS", "Especie": "SPECIES",
    "País de origen": "ORIGCTY", "Sitio de colecta": "COLLSITE", "Latitud": "DECLATITUDE",
    "Номер образца": "ACCENUMB", "Род": "GENUS", "Вид": "SPECIES",
    "Страна происхождения": "ORIGCTY", "Дата сбора": "COLLDATE", "Примечания": "REMARKS",
    "رقم المدخل": "ACCENUMB", "الجنس": "GENUS", "النوع": "SPECIES", "بلد المنشأ": "ORIGCTY",
    "تاريخ الجمع": "COLLDATE", "ملاحظات": "REMARKS",
}


@pytest.mark.parametrize(("heading", "code"), [*GENESYS.items(), *LANGUAGES.items()])
def test_genesys_and_foreign_headings_match(heading: str, code: str) -> None:
    """Genesys camelCase and French/Spanish/Russian/Arabic headings name their field."""
    assert headings.match_heading(heading, headings.PASSPORT) == code


@pytest.mark.parametrize("heading", ["acceNumb", "ACCENUMB", "Acce numb", "acce_numb",
                                     " ACCENUMB ", "AcceNumb."])
def test_case_spaces_and_punctuation_do_not_matter(heading: str) -> None:
    """`acceNumb`, `ACCENUMB` and `Acce numb` are all the accession number."""
    assert headings.match_heading(heading, headings.PASSPORT) == "ACCENUMB"


def test_accents_are_ignored_but_scripts_kept() -> None:
    """Accents are dropped (Numero = Número); Cyrillic and Arabic letters are kept."""
    assert headings.normalise("Número de ACCESIÓN") == "numero de accesion"
    assert headings.normalise("Страна, происхождения!") == "страна происхождения"
    arabic = headings.normalise("بلد-المنشأ")
    assert arabic.startswith("بلد المنش") and arabic == headings.normalise("بلد المنشأ")


def test_unknown_headings_match_nothing() -> None:
    """Genesys columns without a field (uuid, lastModifiedDate) and blanks are not matched."""
    for heading in ("uuid", "lastModifiedDate", "acceUrl", "", None, 12.5):
        assert headings.match_heading(heading, headings.PASSPORT) is None


@pytest.mark.parametrize(("kind", "heading", "code"), [
    (headings.GERMINATION, "Numéro de lot", "LOT"),
    (headings.GERMINATION, "Fecha", "DATE"),
    (headings.GERMINATION, "Номер партии", "LOT"),
    (headings.GERMINATION, "Plántulas normales", "NORMAL"),
    (headings.MOISTURE, "Teneur en eau (%)", "MOISTURE_PCT"),
    (headings.MOISTURE, "Влажность, %", "MOISTURE_PCT"),
    (headings.PARTICIPANTS, "Nom complet", "full_name"),
    (headings.PARTICIPANTS, "Фамилия", "last_name"),
    (headings.PARTICIPANTS, "Correo electrónico", "email"),
    (headings.PARTICIPANTS, "الجنس", "gender"),
])
def test_test_and_participant_headings_in_other_languages(kind: str, heading: str,
                                                           code: str) -> None:
    """The test and participant fields match their headings in other languages too."""
    assert headings.match_heading(heading, kind) == code


def test_genesys_sheet_is_mapped_in_the_preview(tmp_path: Path) -> None:
    """A Genesys-headed sheet is previewed with its columns matched, not refused."""
    path = tmp_path / "genesys.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["instCode", "acceNumb", "taxonomy.genus", "sampStat", "origCty", "uuid"])
    sheet.append(["KAZ001", "K-1", "Triticum", 300, "KAZ", "0b6e-..."])
    book.save(path)
    preview = preview_passports(read_sheet(path))
    assert preview.mapping == {0: "INSTCODE", 1: "ACCENUMB", 2: "GENUS", 3: "SAMPSTAT",
                               4: "ORIGCTY"}
    assert not [p for p in preview.sheet_problems if p.severity == "error"]


def test_the_headings_row_is_found_below_title_rows() -> None:
    """The row naming most fields is the headings' row, whatever is above it."""
    rows: list[list[object]] = [["Germination tests, seed laboratory"], [],
                                ["printed 2026-11-26"],
                                ["Lot no.", "Date tested", "Seeds sown", "Normal seedlings"],
                                ["L-1", "2026-01-02", 50, 45]]
    assert headings.find_header_row(rows, headings.GERMINATION) == 3
    assert headings.find_header_row([["nothing"], ["here"]], headings.GERMINATION) == 0


def test_choose_sheet_names_the_sheets_with_the_required_headings() -> None:
    """Only sheets with INSTCODE and ACCENUMB qualify; the one naming most fields first."""
    sheets = {
        "Readme": [["How to fill this workbook"]],
        "Short": [["INSTCODE", "ACCENUMB", "GENUS"]],
        "Passport": [["Collection"], ["instCode", "acceNumb", "genus", "species", "origCty"]],
        "Numbers only": [["ACCENUMB", "GENUS", "SPECIES", "ORIGCTY"]],
    }
    chosen = headings.choose_sheet(sheets, headings.PASSPORT)
    assert [c.name for c in chosen] == ["Passport", "Short"]
    assert chosen[0].header_index == 1 and chosen[0].matched == 5
    assert headings.choose_sheet({"Readme": [["x"]]}, headings.PASSPORT) == []


def test_participants_need_a_name_column_or_first_and_last() -> None:
    """A full name, or a first and a last name, satisfies the participants' required field."""
    table = headings.table(headings.PARTICIPANTS)
    assert table.missing(["first_name", "last_name", "email"]) == []
    assert [f.code for f in table.missing(["first_name", "email"])] == ["full_name"]
    assert headings.choose_sheet([("People", [["Prénom", "Nom de famille"]])],
                                 headings.PARTICIPANTS)[0].name == "People"


def test_no_heading_names_two_fields() -> None:
    """Within each kind, a heading (and its form without spaces) names one field only."""
    for kind in headings.KINDS:
        seen: dict[str, str] = {}
        for candidate in headings.table(kind).fields:
            for name in (candidate.code, candidate.label, *candidate.headings):
                for key in (headings.normalise(name), headings.normalise(name).replace(" ", "")):
                    assert seen.setdefault(key, candidate.code) == candidate.code, (kind, name)


def test_import_tests_skips_title_rows(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`genebank import-tests` reads a laboratory sheet whose headings are below a title."""
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    assert cli.main(["--database", url, "demo", "--accessions", "3"]) == 0
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Germination"
    today = dt.date.today()
    for row in (["Laboratoire des semences : essais de germination"], [],
                ["Numéro de lot", "Date", "Graines semées", "Plantules normales",
                 "Plantules anormales", "Graines mortes"],
                ["L00000001", today, 50, 45, 3, 2]):
        sheet.append(row)
    book.save(tmp_path / "lab.xlsx")
    capsys.readouterr()
    code = cli.main(["--database", url, "import-tests", str(tmp_path / "lab.xlsx"),
                     "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 germination tests in 1 rows: 1 ready" in out


@pytest.mark.parametrize(("heading", "code"), [
    ("accession_number(s)", "ACCENUMB"),  # Breedbase
    ("institute_code(s)", "INSTCODE"),
    ("country_of_origin(s)", "ORIGCTY"),
    ("acquisition_date(s)", "ACQDATE"),
    ("Germplasm Genus", "GENUS"),  # KnowPulse
    ("Germplasm Species", "SPECIES"),
    ("Country of Origin Code", "ORIGCTY"),
    ("Accession genus", "GENUS"),
    ("Pays d'origine (s)", "ORIGCTY"),
])
def test_plural_marks_and_generic_words_around_a_heading_are_ignored(heading: str,
                                                                     code: str) -> None:
    """QA finding 5: the field a heading names is the same with a plural mark "(s)", a
    generic first word ("Germplasm", "Accession") or "Code" after a coded field."""
    assert headings.match_heading(heading, headings.PASSPORT) == code


@pytest.mark.parametrize("heading", [
    "Crop code",  # a code is no crop name
    "Germplasm", "germplasm code", "Accession date",
    "Institute name(s)", "location_code(s)", "species(es) list",
])
def test_the_looser_reading_makes_no_new_match(heading: str) -> None:
    """Only a known heading with the mark or word around it is matched; "code" only after
    a field whose value is a code."""
    assert headings.match_heading(heading, headings.PASSPORT) is None
