"""Exports that other systems store exactly: an MCPD workbook and the CSV for Genesys and
EURISCO hold every value as stored (no apostrophe, no quote prefix, no formula); the CSV to
open in a spreadsheet neutralises formula-like text; all three import back exactly."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from genebank import cli, db
from genebank.io.cells import runs_as_formula
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.passport import accessions, mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import apply_import
from tests.conftest import passport_values

# What a gene bank's records really hold: formula-looking text, a phone-like number, a
# negative and an @, an apostrophe of its own, Cyrillic and Arabic, leading zeros, numbers
# too long for a spreadsheet's floats, partial and full dates.
TRICKY = [
    passport_values(ACCENUMB="=1+2", COLLNUMB="007", DONORNUMB="123456789012345678901",
                    ACCENAME="+7 701 555 00 00;-5;@home", COLLSITE="'quoted",
                    ANCEST="'=quoted already", REMARKS="''twice",
                    ACQDATE="19980312", COLLDATE="1975----", DECLATITUDE="-12.5",
                    ELEVATION="-3"),
    passport_values(ACCENUMB="-5", ACCENAME="Пшеница озимая;قمح بلدي",
                    COLLSITE="@home, near Алматы", COLLNUMB="0001234",
                    OTHERNUMB="KAZ001:=SUM(A1)", ACQDATE="197506--"),
    passport_values(ACCENUMB="@SUM(A1)", COLLSITE="  =1+1 leading spaces",
                    REMARKS="مدخل من الواحة;\tnot a tab?"),
    passport_values(ACCENUMB="007", COLLSITE="plain"),
]
KINDS = {"xlsx": ("out.xlsx", False), "exact csv": ("out.csv", False),
         "safe csv": ("out.csv", True)}


def stored_passports(database: db.Database) -> dict[str, dict[str, object]]:
    with database.session_factory() as session:
        return {p.values["ACCENUMB"]: p.values for p in (
            accessions.get_passport(session, i)
            for i in matching_ids(session, AccessionFilter()))}


@pytest.fixture
def source(tmp_path: Path) -> db.Database:
    database = db.open_database(str(tmp_path / "source.sqlite"))
    with database.session_factory.begin() as session:
        for values in TRICKY:
            accessions.create_accession(session, values=values)
    yield database
    database.close()


def export(database: db.Database, path: Path, *, safe_csv: bool = False) -> Path:
    with database.session_factory() as session:
        mcpd_export.export_passports(session, path, matching_ids(session, AccessionFilter()),
                                     safe_csv=safe_csv)
    return path


def import_into(path: Path, tmp_path: Path) -> db.Database:
    target = db.open_database(str(tmp_path / "target.sqlite"))
    preview = preview_passports(read_sheet(path))
    assert preview.count(RowStatus.ERROR) == 0, [p.message for p in preview.problems()]
    assert not [p for p in preview.problems() if p.code == "escape_removed"] or \
        path.stem == "safe"
    with target.session_factory.begin() as session:
        mark_existing(session, preview)
        apply_import(session, preview)
    return target


@pytest.mark.parametrize("kind", list(KINDS))
def test_export_then_import_gives_the_same_stored_values(
        source: db.Database, tmp_path: Path, kind: str) -> None:
    """Workbook, exact CSV and spreadsheet-safe CSV: export -> import gives back every
    stored value, formula-looking, apostrophed, Cyrillic, Arabic, '007' and long numbers."""
    name, safe = KINDS[kind]
    path = export(source, tmp_path / (("safe" if safe else "exact") + Path(name).suffix),
                  safe_csv=safe)
    target = import_into(path, tmp_path)
    assert stored_passports(target) == stored_passports(source)
    assert stored_passports(target)["=1+2"]["ANCEST"] == "'=quoted already"
    target.close()


def test_the_workbook_holds_text_cells_exactly_as_stored(source: db.Database,
                                                          tmp_path: Path) -> None:
    """No cell of the MCPD workbook is a formula or has a quote prefix, and every text is
    the stored one, without an added apostrophe; numbers stay numbers."""
    path = export(source, tmp_path / "out.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in xml and b"<f " not in xml
        assert b"quotePrefix" not in archive.read("xl/styles.xml")
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows())
    headings = [cell.value for cell in rows[0]]
    by_number = {}
    for row in rows[1:]:
        for cell in row:
            assert cell.data_type != "f" and not cell.quotePrefix, cell.coordinate
        by_number[row[headings.index("ACCENUMB")].value] = {
            heading: cell for heading, cell in zip(headings, row, strict=True)}
    first = by_number["=1+2"]
    assert first["ACCENUMB"].data_type == "s"
    assert first["ACCENAME"].value == "+7 701 555 00 00;-5;@home"
    assert first["COLLSITE"].value == "'quoted" and first["ANCEST"].value == "'=quoted already"
    assert first["COLLNUMB"].value == "007" and first["COLLNUMB"].data_type == "s"
    assert first["DONORNUMB"].value == "123456789012345678901"
    assert first["ACQDATE"].value == "19980312" and first["COLLDATE"].value == "1975----"
    assert first["DECLATITUDE"].value == -12.5 and first["ELEVATION"].value == -3
    assert by_number["-5"]["ACCENAME"].value == "Пшеница озимая;قمح بلدي"
    assert by_number["@SUM(A1)"]["COLLSITE"].value == "=1+1 leading spaces"  # as stored


def csv_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["ACCENUMB"]: row for row in csv.DictReader(handle)}


def test_the_csv_for_genesys_is_exact_and_the_spreadsheet_csv_is_neutralised(
        source: db.Database, tmp_path: Path) -> None:
    """The default CSV holds the stored text as it is (Genesys and EURISCO store what they
    read); the safe one puts an apostrophe before text a spreadsheet would run, never
    before a number."""
    exact = csv_rows(export(source, tmp_path / "exact.csv"))
    assert set(exact) == {"=1+2", "-5", "@SUM(A1)", "007"}
    assert exact["=1+2"]["ACCENAME"] == "+7 701 555 00 00;-5;@home"
    assert exact["=1+2"]["ANCEST"] == "'=quoted already"
    assert exact["=1+2"]["COLLNUMB"] == "007"
    assert exact["-5"]["OTHERNUMB"] == "KAZ001:=SUM(A1)"
    safe = csv_rows(export(source, tmp_path / "safe.csv", safe_csv=True))
    assert set(safe) == {"'=1+2", "'-5", "'@SUM(A1)", "007"}
    first = safe["'=1+2"]
    assert first["ACCENAME"] == "'+7 701 555 00 00;-5;@home"
    assert first["ANCEST"] == "''=quoted already" and first["COLLSITE"] == "''quoted"
    assert (first["DECLATITUDE"], first["ELEVATION"]) == ("-12.5", "-3")
    for row in safe.values():
        for code, cell in row.items():
            if code not in ("DECLATITUDE", "DECLONGITUDE", "ELEVATION"):
                assert not runs_as_formula(cell), (code, cell)


def test_cli_export_is_exact_unless_safe_csv_is_asked(
        source: db.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`export-mcpd out.csv` writes the exact CSV; `--safe-csv` the neutralised one; asking
    `--safe-csv` of a workbook is refused and writes nothing."""
    url = str(tmp_path / "source.sqlite")
    source.close()
    assert cli.main(["--database", url, "export-mcpd", str(tmp_path / "a.csv")]) == 0
    assert "=1+2" in csv_rows(tmp_path / "a.csv")
    assert cli.main(["--database", url, "export-mcpd", str(tmp_path / "b.csv"),
                     "--safe-csv"]) == 0
    assert "'=1+2" in csv_rows(tmp_path / "b.csv")
    capsys.readouterr()
    assert cli.main(["--database", url, "export-mcpd", str(tmp_path / "c.xlsx"),
                     "--safe-csv"]) == 2
    assert "--safe-csv is for a .csv file" in capsys.readouterr().err
    assert not (tmp_path / "c.xlsx").exists()


def test_a_sheet_with_bare_formula_text_keeps_its_own_apostrophes(tmp_path: Path) -> None:
    """Someone's own CSV that holds '=x' as text and "'=y" is read exactly: the leading
    apostrophe is an escape only in a file whose every formula-like text has one."""
    path = tmp_path / "own.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,REMARKS\nKAZ001,A-1,Triticum,=x\n"
                    "KAZ001,A-2,Triticum,'=y\n", encoding="utf-8")
    preview = preview_passports(read_sheet(path))
    assert [row.values.get("REMARKS") for row in preview.rows] == [["=x"], ["'=y"]]
    escaped = tmp_path / "escaped.csv"
    escaped.write_text("INSTCODE,ACCENUMB,GENUS,REMARKS,DECLATITUDE\n"
                       "KAZ001,A-2,Triticum,'=y,-12.5\n", encoding="utf-8")
    preview = preview_passports(read_sheet(escaped))
    assert preview.rows[0].values["REMARKS"] == ["=y"]
    assert [p.code for p in preview.problems() if p.code == "escape_removed"]
