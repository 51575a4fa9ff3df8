"""Real files other projects published (tests/files/world/, its README says where each
comes from and what shape it shows): what a user can expect of each.

A test marked ``xfail(strict=True)`` states what issue 14 still has to make true of a real
file; the lead removes the mark as that work lands (strict: a test that starts passing
shows). The other tests hold today and must keep holding. The command line is driven as a
user runs it; the row-level checks read the passport preview, through the two helpers
below, so that a change of the core's shape is mended in one place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from genebank import cli, db, problems
from genebank.io import passport_preview, spreadsheet
from genebank.io.unreadable import UnreadableFile
from genebank.mcpd import Severity
from genebank.models import Accession, GerminationTest

WORLD = Path(__file__).resolve().parent.parent / "files" / "world"
GERMINATE = WORLD / "passport-germinate-example-mcpd.xlsx"
CRF_TOMATO = WORLD / "passport-crf-tomato-vavilov3.xlsx"
CRF_MAIZE = WORLD / "passport-crf-maize-vavilov3.csv"
BREEDBASE = WORLD / "passport-breedbase-accessions.xls"
KNOWPULSE = WORLD / "passport-knowpulse-germplasm.tsv"
GERMINAR_SALT = WORLD / "germination-germinar-salt.csv"
GERMINAR_SCARIFICATION = WORLD / "germination-germinar-scarification.csv"
GERMINAR_WORKBOOK = WORLD / "germination-germinar-daily-counts.xlsx"
SUMMARY = re.compile(r"([\d,]+) rows checked: ([\d,]+) with errors, ([\d,]+) with warnings")


@dataclass(frozen=True)
class Run:
    """What one ``genebank`` command told the user."""

    code: int
    out: str
    err: str

    def counts(self) -> tuple[int, int, int] | None:
        """(rows, rows with errors, rows with warnings) of a passport check, if it ran."""
        found = SUMMARY.search(self.out)
        return None if found is None else tuple(int(g.replace(",", "")) for g in found.groups())


def genebank(database: db.Database, capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    code = cli.main(["--database", database.url, *args])
    out, err = capsys.readouterr()
    return Run(code, out, err)


def check_passports(path: Path, sheet: str | None = None) -> passport_preview.ImportPreview:
    """The passport check of a file, every row judged as a new accession (no database)."""
    return passport_preview.preview_passports(spreadsheet.read_sheet(path, sheet))


def problems_by_row(preview: passport_preview.ImportPreview) \
        -> dict[int, set[tuple[Severity, str | None]]]:
    """Each row's problems as (severity, field)."""
    return {row.row: {(p.severity, p.field) for p in row.problems} for row in preview.rows}


def count(database: db.Database, model: type) -> int:
    with database.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# -- the corpus itself -----------------------------------------------------------------

def corpus_files() -> list[Path]:
    return sorted(p for p in WORLD.iterdir() if p.is_file() and p.name != "README.md")


def test_every_world_file_says_where_it_comes_from_and_its_licence() -> None:
    """Each file of the corpus has a README section naming its source and its licence."""
    sections = re.split(r"^### ", (WORLD / "README.md").read_text(encoding="utf-8"),
                        flags=re.MULTILINE)[1:]
    described = {section.splitlines()[0].strip(): section for section in sections}
    assert [p.name for p in corpus_files()] == sorted(described)
    for name, section in described.items():
        assert "- Source: " in section and "- Licence: " in section, name
        assert "- Shape: " in section and "- Cut: " in section, name


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_world_file_is_read_or_refused_with_a_coded_reason(path: Path) -> None:
    """Each sheet of each real file gives its rows, or a refusal with a registered code
    that names the file: never another exception."""
    try:
        names = [s.name for s in spreadsheet.list_sheets(path)]
    except UnreadableFile as refusal:
        assert problems.template(refusal.code) and path.name in str(refusal)
        return
    sheets = [spreadsheet.read_sheet(path, name) for name in names]
    assert [sheet.name for sheet in sheets] == names
    assert any(sheet.rows for sheet in sheets)


# -- Germinate's MCPD example (Excel; the passport rows on the second sheet) -------------

def test_germinate_data_sheet_is_found_without_naming_it(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    """Germinate's template keeps Dublin Core metadata on its first sheet and an empty
    example (the headings alone) on its sixth: the import reads the passport sheet, all
    2,010 rows of it, without asking which."""
    run = genebank(sqlite_database, capsys, "import-mcpd", str(GERMINATE), "--dry-run")
    assert run.counts() is not None and run.counts()[0] == 2010


def test_germinate_rows_with_institute_number_and_genus_are_all_accepted(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    """Of 2,010 rows, the 2,000 with INSTCODE, ACCENUMB and GENUS are accepted; only the
    ten Plant/Plot rows (no INSTCODE, no GENUS) are refused."""
    run = genebank(sqlite_database, capsys, "import-mcpd", str(GERMINATE), "--sheet", "DATA",
                   "--dry-run")
    assert run.counts() is not None
    rows, errors, _ = run.counts()
    assert (rows, errors) == (2010, 10)


def test_germinate_sixty_seconds_are_carried_with_a_warning() -> None:
    """LATITUDE 261060N beside DECLATITUDE 26.183333 (26°11'00"), and LONGITUDE 0914360E
    beside 91.733333, are read, each with a warning saying what was normalised."""
    row = next(r for r in check_passports(GERMINATE, "DATA").rows if r.row == 2)
    seen = {(p.severity, p.field) for p in row.problems}
    assert (Severity.ERROR, "LATITUDE") not in seen
    assert (Severity.ERROR, "LONGITUDE") not in seen
    assert {(Severity.WARNING, "LATITUDE"), (Severity.WARNING, "LONGITUDE")} <= seen
    assert "LATITUDE" in row.values and "LONGITUDE" in row.values


def test_germinate_plant_rows_are_refused_only_for_institute_and_genus() -> None:
    """The ten Plant/Plot rows lack INSTCODE, GENUS and STORAGE: they are refused for the
    first two only."""
    by_row = problems_by_row(check_passports(GERMINATE, "DATA"))
    for number in range(2002, 2012):
        errors = {name for severity, name in by_row[number] if severity == Severity.ERROR}
        assert errors == {"INSTCODE", "GENUS"}, number


def test_germinate_numbers_come_out_as_written(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """Imported and exported, number cells keep their value without a spurious '.0':
    ELEVATION 982.0 -> 982, ACQDATE 20160225.0 -> 20160225, STORAGE 11.0 -> 11."""
    run = genebank(sqlite_database, capsys, "import-mcpd", str(GERMINATE), "--sheet", "DATA",
                   "--skip-invalid")
    assert count(sqlite_database, Accession) >= 1998, run.err
    exported = tmp_path / "exported.csv"
    assert genebank(sqlite_database, capsys, "export-mcpd", str(exported)).code == 0
    with exported.open(encoding="utf-8-sig", newline="") as file:
        rows = {row["ACCENUMB"]: row for row in csv.DictReader(file)}
    assert rows["CACTUAR-2006"]["ELEVATION"] == "982"
    assert rows["CACTUAR-2002"]["ELEVATION"] == "37.9839249"
    assert rows["CACTUAR-2002"]["ACQDATE"] == "20160225"
    assert rows["CACTUAR-2002"]["STORAGE"] == "11"
    assert not [(n, k) for n, row in rows.items() for k, v in row.items() if v.endswith(".0")]


# -- the Spanish national gene bank's rows, as vavilov3 exported them -------------------

def test_crf_signed_decimal_degrees_in_dms_columns_are_refused_where_they_stand() -> None:
    """LATITUDE 39.6275 and LONGITUDE -5.41555555555556 (decimal degrees written where MCPD
    wants DMS) are refused at their row, column and field, never guessed into another
    form."""
    preview = check_passports(CRF_TOMATO)
    letters = preview.letters
    for row in preview.rows:
        refused = {(p.field, p.column) for p in row.problems if p.severity == Severity.ERROR}
        assert {("LATITUDE", letters["LATITUDE"]),
                ("LONGITUDE", letters["LONGITUDE"])} <= refused, row.row
        assert "LATITUDE" not in row.values and "DECLATITUDE" not in row.values
    # QA finding 4: each refusal and one note for each column point to the decimal field.
    first = {p.field: p.message for p in preview.rows[0].problems}
    assert first["LATITUDE"] == ("'39.6275' looks like decimal degrees: match this column "
                                 "to DECLATITUDE (LATITUDE is degrees, minutes and seconds "
                                 "with N or S)")
    assert first["LONGITUDE"] == ("'-5.41555555555556' looks like decimal degrees: match "
                                  "this column to DECLONGITUDE (LONGITUDE is degrees, "
                                  "minutes and seconds with E or W)")
    notes = [(p.column, p.severity, p.message) for p in preview.sheet_problems
             if p.code == "dms_column_decimal"]
    assert notes == [(letters[field], Severity.WARNING,
                      f"column {letters[field]} ({field}) holds decimal degrees on all its 38 "
                      f"row(s) (2–39), and {field} is degrees, minutes and seconds: match "
                      f"the column to DEC{field} on the columns page")
                     for field in ("LATITUDE", "LONGITUDE")]


def test_crf_maize_empty_storage_is_a_warning() -> None:
    """The maize rows' STORAGE cells are empty: each row is warned, none refused for it."""
    preview = check_passports(CRF_MAIZE)
    for row in preview.rows:
        assert (Severity.ERROR, "STORAGE") not in {(p.severity, p.field) for p in row.problems}
    warned = [p for p in preview.problems() if p.field == "STORAGE"]
    assert warned and all(p.severity == Severity.WARNING for p in warned)


def test_crf_maize_unknown_month_and_day_are_read() -> None:
    """COLLDATE 1981---- (MCPD's way of writing an unknown month and day) is read as it
    stands, without a problem."""
    row = next(r for r in check_passports(CRF_MAIZE).rows
               if r.values.get("ACCENUMB") == "CIAM81002")
    assert row.values["COLLDATE"] == "1981----"
    assert not [p for p in row.problems if p.field == "COLLDATE"]


# -- Breedbase's accession upload (Excel 97-2003, written by LibreOffice) ---------------

def test_breedbase_xls_opens() -> None:
    """The .xls gives its sheet, its headings as written and its five rows."""
    sheet = spreadsheet.read_sheet(BREEDBASE)
    assert sheet.name == "Sheet1" and len(sheet.rows) == 6
    assert sheet.rows[0][:2] == ["accession_name", "species_name"]
    assert sheet.rows[1][0] == "new_test_accession01"
    assert sheet.rows[1][1] == "Manihot esculenta"


def test_breedbase_xls_without_institute_codes_changes_nothing(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    """Read, its five rows are checked and, with no INSTCODE or GENUS to be had, none is
    imported: the user is told so and the database is unchanged. Its plural-marked
    headings are matched (QA finding 5): the rows are refused at their empty
    institute_code(s) cells, no longer for lack of the columns."""
    mapped = check_passports(BREEDBASE).mapping.values()
    assert {"INSTCODE", "ACCENUMB", "ORIGCTY", "ACQDATE"} <= set(mapped)
    run = genebank(sqlite_database, capsys, "import-mcpd", str(BREEDBASE))
    assert run.code != 0 and run.counts() is not None
    rows, errors, _ = run.counts()
    assert (rows, errors) == (5, 5)
    assert "column P (INSTCODE): Holding institute code is required" in run.out + run.err
    assert count(sqlite_database, Accession) == 0


# -- KnowPulse's lentil germplasm (tab-separated text, headings in English words) --------

def test_knowpulse_tsv_opens_split_at_its_tabs() -> None:
    """The .tsv gives its 13 headings and its 4 rows, split at the tabs."""
    sheet = spreadsheet.read_sheet(KNOWPULSE)
    assert len(sheet.rows) == 5 and len(sheet.rows[0]) == 13
    assert sheet.rows[0][2] == "Accession Number" and sheet.rows[0][-1] == "Synonyms"
    assert sheet.rows[1][:3] == ["CDC Redberry", "KnowPulse", "KP:GERM58"]


def test_knowpulse_english_headings_are_matched() -> None:
    """'Accession Number', 'Institute Code' and 'Biological Status of Accession' are read
    as ACCENUMB, INSTCODE and SAMPSTAT."""
    mapped = set(check_passports(KNOWPULSE).mapping.values())
    assert {"ACCENUMB", "INSTCODE", "SAMPSTAT"} <= mapped
    # QA finding 5: "Germplasm Genus", "Germplasm Species", "Country of Origin Code".
    assert {"GENUS", "SPECIES", "SUBTAXA", "ORIGCTY", "ACCENAME"} <= mapped


def test_knowpulse_rows_are_refused_at_their_institute_code(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    """'CUAC' is no WIEWS institute code: each of the four rows is refused, the user is
    told where, and nothing is imported."""
    run = genebank(sqlite_database, capsys, "import-mcpd", str(KNOWPULSE))
    assert run.counts() is not None and run.counts()[:2] == (4, 4)
    assert "'CUAC'" in run.err and "INSTCODE" in run.err
    assert "GENUS is required" not in run.out + run.err  # its Germplasm Genus is read
    assert count(sqlite_database, Accession) == 0


# -- GerminaR's germination experiments (daily counts, no lot or date) ------------------

@pytest.mark.parametrize("path", [GERMINAR_SALT, GERMINAR_SCARIFICATION, GERMINAR_WORKBOOK],
                         ids=lambda p: p.name)
def test_germinar_daily_counts_are_refused_naming_what_is_missing(
        path: Path, sqlite_database: db.Database,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A research sheet of daily germination counts has no lot, date, or normal seedlings:
    the test import names the file, the sheet and each missing column, and stores nothing."""
    run = genebank(sqlite_database, capsys, "import-tests", str(path), "--kind",
                   "germination")
    assert run.code != 0
    told = run.err
    assert path.name in told
    assert all(label in told for label in ("Lot number", "Date tested", "Normal seedlings"))
    assert count(sqlite_database, GerminationTest) == 0
    # QA finding 12: why, once: daily counts are not tests, and where to go.
    assert told.count("a column per day") == 1
    assert "one row per test" in told and "germination template" in told


def test_germinar_semicolons_and_commas_are_told_apart() -> None:
    """The salt sheet (semicolons) and the scarification sheet (commas) split into their
    columns: 30 and 21, the daily counts last."""
    salt = spreadsheet.read_sheet(GERMINAR_SALT)
    assert len(salt.rows) == 67 and {len(row) for row in salt.rows} == {30}
    assert salt.rows[0][:5] == ["RPT", "GNT", "SAL", "SDN", "T0"] and salt.rows[0][-1] == "T25"
    scarification = spreadsheet.read_sheet(GERMINAR_SCARIFICATION)
    assert len(scarification.rows) == 37
    assert scarification.rows[0][0] == "ID" and scarification.rows[0][-1] == "T15"
    assert {len(row) for row in scarification.rows} == {21}
