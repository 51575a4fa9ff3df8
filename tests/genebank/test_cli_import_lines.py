"""What ``genebank import-mcpd`` prints of a check (QA #10, #11, #12): a missing column once
for the sheet, the values it would store otherwise than the file writes them, and the
option that settles an ambiguous date."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import cli, db
from tests.sheets import workbook

# A sheet as a French gene bank keeps it: a title row, then the headings.
TITLE = ["Inventaire des semences 2024"]


def run(database: db.Database, capsys: pytest.CaptureFixture[str],
        *args: str) -> tuple[int, str, str]:
    code = cli.main(["--database", database.url, "import-mcpd", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_missing_identity_column_is_said_once_not_on_every_row(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """QA #11: no INSTCODE column: one line for the sheet (it was printed twice, then once
    more for every row)."""
    path = workbook(tmp_path / "sans_instcode.xlsx", {"Inventaire": [TITLE,
        ["ACCENUMB", "GENUS", "SPECIES"],
        *([f"FR-{i}", "Triticum", "aestivum"] for i in range(30))]})
    code, _, err = run(sqlite_database, capsys, "--dry-run", str(path))
    assert code == 1
    lines = [line for line in err.splitlines() if "INSTCODE" in line]
    assert len(lines) == 1 and "no column holds the holding institute code" in lines[0]


def test_a_missing_genus_column_is_one_line_counting_the_rows_it_refuses(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    path = workbook(tmp_path / "sans_genre.xlsx", {"Inventaire": [TITLE,
        ["INSTCODE", "ACCENUMB", "SPECIES"],
        *(["FRA001", f"FR-{i}", "aestivum"] for i in range(30))]})
    code, _, err = run(sqlite_database, capsys, "--dry-run", str(path))
    assert code == 1
    lines = [line for line in err.splitlines() if "GENUS" in line]
    assert len(lines) == 1 and "30 row(s) for new accessions (3–32) are refused" in lines[0], err


def test_the_values_changed_are_printed_and_the_date_option_named(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """QA #10 and #12: BUR stored as MMR, SUHH as SUN, "Triticum aestivum" split, a date read
    are printed without --report; 12/03/1998 names --dates dmy / --dates mdy."""
    path = workbook(tmp_path / "fiches.xlsx", {"Inventaire": [TITLE,
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY", "ACQDATE"],
        ["FRA001", "FR-1", "Triticum", "Triticum aestivum", "BUR", "25/03/1998"],
        ["FRA001", "FR-2", "Triticum", "durum", "SUHH", "12/03/1998"]]})
    code, out, err = run(sqlite_database, capsys, "--dry-run", str(path))
    assert code == 1
    assert "row 3, column E (ORIGCTY): BUR is the former code of Myanmar: stored as MMR" in out
    assert "row 4, column E (ORIGCTY): 'SUHH' stored as SUN" in out
    assert "'Triticum aestivum' read as 'aestivum'" in out
    assert "'25/03/1998' read as '19980325'" in out
    assert "(--dates dmy or --dates mdy)" in err


def test_more_than_twenty_values_changed_point_to_the_report(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    path = workbook(tmp_path / "many.xlsx", {"Inventaire": [TITLE,
        ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY"],
        *(["FRA001", f"FR-{i}", "Zea", "ZAR"] for i in range(25))]})
    code, out, _ = run(sqlite_database, capsys, "--dry-run", str(path))
    assert code == 0
    assert out.count("stored as COD") == 20
    assert "5 more values changed: see --report" in out


def test_a_map_heading_typed_in_decomposed_unicode_names_the_composed_heading(
        sqlite_database: db.Database, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """QA #9: 'Numéro' typed in a macOS terminal is e + U+0301 (NFD); the sheet (Excel on
    Windows) writes é (NFC). The same heading: --map takes it (it was refused naming a
    heading that looked identical)."""
    nfd = "Nume\u0301ro d'accession"
    path = workbook(tmp_path / "nfd.xlsx", {"Inventaire": [TITLE,
        ["Code inst", "Numéro d'accession", "Genre"],
        ["FRA001", "FR-1", "Triticum"]]})
    code, out, err = run(sqlite_database, capsys, "--dry-run", "--map", "Code inst=INSTCODE",
                         "--map", f"{nfd}=ACCENUMB", "--map", "Genre=GENUS", str(path))
    assert code == 0 and "is not a heading" not in err, err
    assert "1 rows checked: 0 with errors" in out, out + err
