"""A laboratory's moisture sheet whose cells Excel formats as percentages.

Excel shows 6.5 % for a cell that holds 0.065: read as a number, the moisture would be 100
times too small, silently. Such cells are read as the percentage they show, with a warning,
and the headings people write with their unit ("Moisture content (%)") are recognised.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from genebank import db
from genebank.conservation import seed_lots, test_import
from genebank.io import headings, test_sheet
from genebank.io.sheet_problem import SheetProblem
from genebank.io.spreadsheet import read_sheet
from genebank.passport import accessions
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)


def percent_workbook(path: Path, rows: list[list[object]], formats: dict[str, str]) -> Path:
    """A workbook as Excel saves one after 'Format cells > Percentage' on ``formats``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Moisture"
    for row in rows:
        sheet.append(row)
    for cell, number_format in formats.items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def read_moisture(path: Path, first_rows: int | None = None) \
        -> tuple[dict[int, str], list[test_sheet.TestRow], list[SheetProblem]]:
    sheet = read_sheet(path, first_rows=first_rows)
    mapping = headings.suggest_mapping(sheet.rows[0], test_sheet.MOISTURE)
    rows, problems = test_sheet.read_rows(sheet, mapping, test_sheet.MOISTURE)
    return mapping, rows, problems


def test_percent_formatted_cells_are_read_as_the_percentage_shown(tmp_path: Path) -> None:
    """0.065 shown as '6.5%' is 6.5 % moisture, with a warning naming the cell."""
    path = percent_workbook(tmp_path / "mc.xlsx", [
        ["Lot number", "Date tested", "Moisture content (%)", "eRH (%)"],
        ["L-1", dt.date(2026, 1, 5), 0.065, 0.25],
        ["L-2", dt.date(2026, 1, 5), 7.1, 30],
    ], {"C2": "0.0%", "D2": "0%"})
    mapping, rows, problems = read_moisture(path)
    assert mapping == {0: "LOT", 1: "DATE", 2: "MOISTURE_PCT", 3: "ERH_PCT"}
    assert [(r.values["MOISTURE_PCT"], r.values["ERH_PCT"]) for r in rows] == [
        (6.5, 25.0), (7.1, 30.0)]
    assert [(p.row, p.column, p.field, p.warning) for p in problems] == [
        (2, "C", "MOISTURE_PCT", True),
        (2, "D", "ERH_PCT", True)]
    assert "holds 0.065 and shows 6.5 %" in problems[0].message


def test_a_percent_cell_holding_a_whole_percentage_is_refused(tmp_path: Path) -> None:
    """6.5 typed into a percent-formatted cell shows 650 % and is refused, not divided."""
    path = percent_workbook(tmp_path / "mc.xlsx", [
        ["Lot", "Date", "% moisture"],
        ["L-1", dt.date(2026, 1, 5), 6.5],
    ], {"C2": '0.0" "%'})
    _, rows, problems = read_moisture(path)
    assert rows[0].values["MOISTURE_PCT"] is None
    assert [(p.message, p.warning) for p in problems if not p.warning] == [
        ("650 % is impossible (0 to 100 %)", False)]


def test_the_preview_of_a_long_sheet_reads_percent_cells_too(tmp_path: Path) -> None:
    """The first rows read for a preview know the percent cells as the whole sheet does."""
    rows: list[list[object]] = [["Lot", "Date tested", "Moisture content %"]]
    rows += [[f"L-{n}", dt.date(2026, 1, 5), 0.055] for n in range(1, 40)]
    path = percent_workbook(tmp_path / "mc.xlsx", rows,
                            {f"C{n}": "0.00%" for n in range(2, 41)})
    _, read, _ = read_moisture(path, first_rows=5)
    assert read_sheet(path, first_rows=5).complete is False
    assert {r.values["MOISTURE_PCT"] for r in read} == {5.5}


@pytest.mark.parametrize(("header", "code"), [
    ("Moisture content (%)", "MOISTURE_PCT"), ("% moisture", "MOISTURE_PCT"),
    ("Seed moisture (%)", "MOISTURE_PCT"), ("MC%", "MOISTURE_PCT"),
    ("eRH%", "ERH_PCT"), ("Relative humidity (%)", "ERH_PCT"),
    ("Equilibrium relative humidity (%)", "ERH_PCT"), ("Notes", "NOTES"),
])
def test_headings_with_their_unit_are_recognised(header: str, code: str) -> None:
    """A heading that names its unit, '(%)' or '%', names the same column."""
    assert headings.match_heading(header, test_sheet.MOISTURE) == code


def test_a_percent_formatted_sheet_imports_the_moisture_shown(
        database: db.Database, tmp_path: Path) -> None:
    """Imported end to end, the lot's last moisture is 6.5 %, not 0.065 %."""
    with database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2024, 5, 2), seeds=500,
                             today=TODAY)
    path = percent_workbook(tmp_path / "mc.xlsx", [
        ["Lot number", "Date tested", "Moisture content (%)"],
        ["L-1", dt.date(2026, 1, 5), 0.065],
    ], {"C2": "0.0%"})
    sheet = read_sheet(path)
    mapping = headings.suggest_mapping(sheet.rows[0], test_sheet.MOISTURE)
    with database.session_factory() as session:
        checked = test_import.preview_tests(session, sheet, mapping, test_sheet.MOISTURE,
                                            today=TODAY)
    assert checked.errors == [] and len(checked.problems) == 1
    with database.session_factory.begin() as session:
        test_import.import_tests(session, checked, skip_refused=False, today=TODAY)
    with database.session_factory() as session:
        lot = seed_lots.get_lot(session, seed_lots.find_lot_id(session, "L-1"))
        assert lot.last_moisture_pct == 6.5
