"""Numbers and genus names that cannot be: an ELEVATION of 1e308 m or 2**63 m used to be
stored (and Genebank's own export of it could not be imported back), a COORDUNCERT below
zero too, and a GENUS `Tri<ESC>[2Jticum` was stored as `Tri[2jticum`. Each is now refused on
its cell, naming row, column, field and what is possible; SPECIES and SPAUTHOR stay free
text (controls aside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from genebank import cli, db, mcpd
from genebank.io import spreadsheet
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.models import Accession
from genebank.passport import passport_existing, passport_import

HEAD = "INSTCODE,ACCENUMB,GENUS,SPECIES,SPAUTHOR,STORAGE,ELEVATION,COORDUNCERT\n"


def csv_file(path: Path, *rows: str) -> Path:
    path.write_text(HEAD + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "genebank.sqlite"
    assert cli.main(["--database", str(path), "init"]) == 0
    return path


def stored(path: Path) -> dict[str, tuple[object, ...]]:
    database = db.open_database(str(path))
    try:
        with database.session_factory() as session:
            return {a.accenumb: (a.taxon.genus, a.taxon.species, a.elevation, a.coorduncert)
                    for a in session.scalars(select(Accession))}
    finally:
        database.close()


@pytest.mark.parametrize(("cell", "column", "shown"), [
    ("1e308", "G", "1e+308"), ("-1e308", "G", "-1e+308"),
    ("9223372036854775808", "G", "9.22337e+18"), ("9000.5", "G", "9000.5"),
    ("-501", "G", "-501")])
def test_an_impossible_elevation_is_refused_on_its_cell(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str,
        column: str, shown: str) -> None:
    rows = csv_file(tmp_path / "elev.csv", f"KAZ001,E-1,Triticum,aestivum,L.,13,{cell},")
    assert cli.main(["--database", str(database), "import-mcpd", str(rows)]) == 1
    _out, err = capsys.readouterr()
    assert (f"sheet 'elev', row 2, column {column} (ELEVATION): {shown} is outside the "
            "possible range of ELEVATION (-500 to 9,000 m)") in err, err
    assert stored(database) == {}


def test_possible_elevations_and_uncertainties_are_kept(database: Path,
                                                        tmp_path: Path) -> None:
    rows = csv_file(tmp_path / "ok.csv", "KAZ001,E-1,Triticum,aestivum,L.,13,-430,0",
                    "KAZ001,E-2,Triticum,aestivum,L.,13,8849,20038000",
                    "KAZ001,E-3,Triticum,aestivum,L.,13,9000,")
    assert cli.main(["--database", str(database), "import-mcpd", str(rows)]) == 0
    assert {k: v[2:] for k, v in stored(database).items()} == {
        "E-1": (-430.0, 0), "E-2": (8849.0, 20038000), "E-3": (9000.0, None)}


@pytest.mark.parametrize("cell", ["-5", "20038001"])
def test_an_impossible_coordinate_uncertainty_is_refused(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str) -> None:
    rows = csv_file(tmp_path / "unc.csv", f"KAZ001,U-1,Triticum,aestivum,L.,13,,{cell}")
    assert cli.main(["--database", str(database), "import-mcpd", str(rows)]) == 1
    _out, err = capsys.readouterr()
    assert (f"row 2, column H (COORDUNCERT): {cell} is outside the possible range of "
            "COORDUNCERT (0 to 20,038,000 m)") in err, err


def test_the_service_refuses_the_cell_and_imports_the_rest(database: Path,
                                                           tmp_path: Path) -> None:
    """The import path the window takes: the preview marks the row in error on its cell
    (code value_out_of_range), and importing the valid rows stores only them."""
    rows = csv_file(tmp_path / "mixed.csv", "KAZ001,M-1,Triticum,aestivum,L.,13,1e308,",
                    "KAZ001,M-2,Triticum,aestivum,L.,13,1200,")
    sheet = spreadsheet.read_sheet(rows, None)
    preview = preview_passports(sheet)
    first, second = preview.rows
    assert first.status is RowStatus.ERROR and second.status is not RowStatus.ERROR
    [problem] = [p for p in preview.problems() if p.severity == "error"]
    assert (problem.row, problem.column, problem.field) == (2, "G", "ELEVATION")
    opened = db.open_database(str(database))
    try:
        with opened.session_factory.begin() as session:
            passport_existing.mark_existing(session, preview)
            summary = passport_import.apply_import(
                session, preview, on_errors=passport_import.OnErrors.SKIP_ROWS)
        assert summary.created == 1
    finally:
        opened.close()
    assert stored(database)["M-2"][2] == 1200.0 and "M-1" not in stored(database)


@pytest.mark.parametrize("genus", ["Tri\x1b[2Jticum", "Tri[2jticum", "Triticum aestivum",
                                   "Trit1cum", "Triticum.", "-Triticum", "Тriticum"])
def test_a_genus_with_a_character_no_genus_has_is_refused_on_its_cell(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], genus: str) -> None:
    """Brackets, digits, a space between words, a full stop, a leading hyphen, a Cyrillic
    Т that looks Latin."""
    rows = csv_file(tmp_path / "genus.csv", f"KAZ001,G-1,{genus},aestivum,L.,13,,")
    assert cli.main(["--database", str(database), "import-mcpd", str(rows)]) == 1
    _out, err = capsys.readouterr()
    assert "row 2, column C (GENUS): '" in err and "is not a genus name" in err, err
    assert stored(database) == {}


def test_genus_names_the_botanical_code_allows_are_kept(database: Path,
                                                       tmp_path: Path) -> None:
    """Hyphenated, with a diaeresis, hybrid genera with × (or "x " where × cannot be
    typed; its capital is put after the sign); SPECIES and SPAUTHOR stay free text."""
    rows = csv_file(tmp_path / "fine.csv", "KAZ001,F-1,Pseudo-Tsuga,menziesii,(Mirb.) Franco,13,,",
                    "KAZ001,F-2,Cephaëlis,ipecacuanha,[Brot.] A.Rich.,13,,",
                    "KAZ001,F-3,×triticosecale,sp. [2],,13,,",
                    "KAZ001,F-4,x Triticosecale,rimpaui,Wittm.,13,,")
    assert cli.main(["--database", str(database), "import-mcpd", str(rows)]) == 0
    assert {k: v[:2] for k, v in stored(database).items()} == {
        "F-1": ("Pseudo-tsuga", "menziesii"), "F-2": ("Cephaëlis", "ipecacuanha"),
        "F-3": ("×Triticosecale", "sp. [2]"), "F-4": ("x Triticosecale", "rimpaui")}


def test_the_form_check_refuses_the_same(tmp_path: Path) -> None:
    """The accession form and the import judge a value the same way (check_passport)."""
    checked = mcpd.check_passport({"INSTCODE": "KAZ001", "ACCENUMB": "A", "STORAGE": "13",
                                   "GENUS": "Tri[2jticum", "ELEVATION": 1e308})
    codes = {p.field: p.message for p in checked.errors}
    assert set(codes) == {"GENUS", "ELEVATION"}
    with pytest.raises(mcpd.InvalidValue) as refused:
        mcpd.parse_field("ELEVATION", "1e308")
    assert refused.value.code == "value_out_of_range"
    assert refused.value.params == {"value": 1e308, "field": "ELEVATION",
                                    "minimum": "-500", "maximum": "9,000", "unit": "m"}


def test_number_cells_of_a_workbook_are_bounded_too(database: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A workbook holds numbers as numbers: an ELEVATION cell of 1e308 and an ACQDATE cell
    of 1e308 are refused on their cells in a short line (the date's used to quote all 309
    digits)."""
    import openpyxl

    path = tmp_path / "cells.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["INSTCODE", "ACCENUMB", "GENUS", "STORAGE", "ELEVATION",
                            "ACQDATE"])
    workbook.active.append(["KAZ001", "X-1", "Triticum", 13, 1e308, 1e308])
    workbook.save(path)
    assert cli.main(["--database", str(database), "import-mcpd", str(path)]) == 1
    _out, err = capsys.readouterr()
    assert "row 2, column E (ELEVATION): 1e+308 is outside the possible range" in err, err
    assert "row 2, column F (ACQDATE): 1e+308 is not a date" in err, err
    assert max(len(line) for line in err.splitlines()) < 200
    assert stored(database) == {}
