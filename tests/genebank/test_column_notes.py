"""A warning that repeats one thing about a column on many rows is said once for that
column, with how many rows and the first of them (issue 14: "warnings a user can act on"),
in the check's sheet problems, the command line and the problem report; the rows keep
their own record, so that their status stays right and the problem report still says it
on each row a person corrects. A warning on a few rows stays on its rows only."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from genebank import cli, db
from genebank.io import problem_report
from genebank.io.passport_preview import ImportPreview, RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.passport import accessions
from genebank.passport.passport_existing import mark_existing
from tests.sheets import workbook

WORLD = Path(__file__).resolve().parent.parent / "files" / "world"
GERMINATE = WORLD / "passport-germinate-example-mcpd.xlsx"
# A French gene bank's headings (genebank.io.headings knows each).
FRENCH = ["Code institut", "Numéro d'accession", "Genre", "Espèce", "Statut biologique",
          "Code du donateur", "Donateur", "Lieu de collecte"]


def french_sheet(path: Path, rows: list[list[object]], *,
                 headings: list[str] = FRENCH) -> Path:
    return workbook(path, {"Inventaire": [headings, *rows]})


def notes(preview: ImportPreview, code: str) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in preview.sheet_problems if p.code == code]


def test_germinate_names_beside_codes_are_said_once_per_column() -> None:
    """Germinate's example gives COLLNAME, BREDNAME, DONORNAME... beside their codes on
    every row: one note a column, counting the 2,000 rows imported (its ten refused
    Plant/Plot rows import nothing) and saying the names are kept; each row keeps its own
    warning."""
    preview = preview_passports(read_sheet(GERMINATE, "DATA"))
    said = dict(notes(preview, "name_with_code_rows"))
    assert set(said) == {"COLLNAME", "COLLINSTADDRESS", "BREDNAME", "DONORNAME",
                         "DUPLINSTNAME"}
    assert said["DONORNAME"] == (
        "DONORNAME is filled beside DONORCODE on 2,000 row(s) (2–2001): each name is kept "
        "as written, beside its code (MCPD fills DONORNAME only when DONORCODE is empty)")
    donor = [p for p in preview.sheet_problems if p.code == "name_with_code_rows"
             and p.field == "DONORNAME"]
    assert donor[0].column == "AH" and donor[0].row == 1
    # ORIGCTY is empty on most rows (not all): said once, with the rows.
    origin = dict(notes(preview, "recommended_empty_rows"))
    assert list(origin) == ["ORIGCTY"] and "on 1,988 row(s) (11–14, 16–31, 33–42, 44–2001)" \
        in origin["ORIGCTY"]
    rows = {row.row: row for row in preview.rows}
    assert rows[2].status is RowStatus.WARNING
    assert [p.code for p in rows[2].problems if p.field == "DONORNAME"] == ["name_with_code"]


def test_bred_rows_with_collecting_data_in_a_french_sheet(tmp_path: Path) -> None:
    """Thirty bred lines with a collecting site, in French: one note for the column; three
    rows with a donor's name beside its code stay warned on those rows alone."""
    rows: list[list[object]] = [
        ["FRA001", f"FR-{i}", "Triticum", "aestivum", "410", None, None, "Montpellier"]
        for i in range(30)]
    for row in rows[:3]:
        row[5:7] = ["FRA057", "INRAE Clermont-Ferrand"]
    preview = preview_passports(read_sheet(french_sheet(tmp_path / "lignées.xlsx", rows)))
    assert notes(preview, "collecting_site_for_bred_rows") == [(
        "COLLSITE", "COLLSITE holds collecting-site data on 30 row(s) of bred material "
                    "(SAMPSTAT 400 to 600) (2–31): kept as written; it applies only to "
                    "collected material")]
    assert notes(preview, "name_with_code_rows") == []
    warned = [row.row for row in preview.rows
              if any(p.code == "name_with_code" for p in row.problems)]
    assert warned == [2, 3, 4]


def test_the_problem_report_says_the_note_once_and_keeps_each_rows_warning(
        tmp_path: Path) -> None:
    """The report's sheet of problems holds the note once; the PROBLEMS cell of each row
    still names its own (that is where a person corrects the file row by row)."""
    rows: list[list[object]] = [
        ["FRA001", f"FR-{i}", "Zea", "mays", "300", "FRA057", "INRAE", None]
        for i in range(25)]
    path = french_sheet(tmp_path / "maïs.xlsx", rows)
    sheet = read_sheet(path)
    preview = preview_passports(sheet)
    written = problem_report.write_problem_report(sheet, preview, tmp_path / "report.xlsx")
    book = load_workbook(written)
    about_sheet = [row[2] for row in book[problem_report.SHEET_PROBLEMS].iter_rows(
        min_row=2, values_only=True)]
    said = [text for text in about_sheet if "DONORNAME is filled beside DONORCODE" in text]
    assert len(said) == 1 and "on 25 row(s) (2–26)" in said[0]
    copy = book.worksheets[0]
    problems_column = [copy.cell(row, 9).value or "" for row in range(2, 27)]
    assert all("G (DONORNAME)" in text for text in problems_column)


def test_the_command_line_says_the_note_once(sqlite_database: db.Database,
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    """``import-mcpd`` prints one warning line for the column, not one a row."""
    rows: list[list[object]] = [
        ["FRA001", f"FR-{i}", "Zea", "mays", "300", "FRA057", "INRAE", None]
        for i in range(25)]
    path = french_sheet(tmp_path / "maïs.xlsx", rows)
    code = cli.main(["--database", sqlite_database.url, "import-mcpd", "--dry-run",
                     str(path)])
    err = capsys.readouterr().err
    assert code == 0
    lines = [line for line in err.splitlines() if "DONORNAME" in line]
    assert len(lines) == 1 and "on 25 row(s) (2–26)" in lines[0], err


def test_no_genus_column_is_said_once_counting_new_and_existing_rows(
        sqlite_database: db.Database, tmp_path: Path) -> None:
    """Without a GENUS column: one sheet note, "the N rows for new accessions are refused;
    the M that exist can update them"; each new row is still refused (its status), the
    existing ones can be updated."""
    with sqlite_database.session_factory.begin() as session:
        for number in ("FR-0", "FR-1"):
            accessions.create_accession(session, values={
                "INSTCODE": "FRA001", "ACCENUMB": number, "GENUS": "Triticum"})
    headings = ["Code institut", "Numéro d'accession", "Espèce"]
    rows: list[list[object]] = [["FRA001", f"FR-{i}", "aestivum"] for i in range(12)]
    preview = preview_passports(read_sheet(french_sheet(tmp_path / "sans_genre.xlsx", rows,
                                                        headings=headings)))
    with sqlite_database.session_factory() as session:
        mark_existing(session, preview)
    assert notes(preview, "update_only_columns") == [(
        "GENUS", "no column for GENUS: the 10 row(s) for new accessions (4–13) are refused "
                 "(a new accession needs GENUS); the 2 for accessions that exist can update "
                 "them")]
    status = {row.values["ACCENUMB"]: row.status for row in preview.rows}
    assert status["FR-0"] is not RowStatus.ERROR and status["FR-1"] is not RowStatus.ERROR
    assert [number for number, s in status.items() if s is RowStatus.ERROR] == \
        [f"FR-{i}" for i in range(2, 12)]
    assert preview.can_import
