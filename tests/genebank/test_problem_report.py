"""The problem report is a copy of the person's own sheet, rows and columns in place, with
a PROBLEMS column after the last one; corrected in place, it imports back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from genebank import cli
from genebank.io import problem_report
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import read_sheet

TODAY = dt.date(2026, 11, 26)
TITLE = "Коллекция пшеницы / Collection de blé, mission 2019"
HEADINGS = ["No.", "INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY", "ACQDATE",
            "ELEVATION", "COLLSITE", "STORAGE"]
ROWS = [
    [1, "KAZ001", "007", "Triticum", "aestivum", "KAZ", "19980312", 528, "=1+2 kept", "13"],
    [2, "KAZ001", "KZ-2", None, "aestivum", "KAZ", "1975----", 300, "Пшеница", "13"],  # no GENUS
    [3, "KAZ001", "KZ-3", "Hordeum", "vulgare", "XYZ", "19990101", 410, "قمح", 13],  # bad country
    [4, "KAZ001", "KZ-4", "Hordeum", "vulgare", "TUR", "20010101", None, None, "13"],
]


def keepers_workbook(path: Path) -> Path:
    """A sheet as a collection's keeper makes it in Excel: a title, an empty row, the
    headings on row 3, a numbering column first, a blank row inside the data."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Blé 2019"
    sheet["A1"] = TITLE
    for column, heading in enumerate(HEADINGS, start=1):
        sheet.cell(row=3, column=column, value=heading)
    for row, values in zip((4, 5, 7, 8), ROWS, strict=True):  # row 6 left blank
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def report_of(source: Path, tmp_path: Path) -> tuple[Path, list[tuple[object, ...]]]:
    sheet = read_sheet(source)
    preview = preview_passports(sheet, today=TODAY)
    assert preview.header_row == 3
    report = problem_report.write_problem_report(sheet, preview, tmp_path / "problems")
    book = openpyxl.load_workbook(report)
    return report, list(book.worksheets[0].iter_rows(values_only=True))


def test_the_report_keeps_title_rows_headings_and_columns_in_place(tmp_path: Path) -> None:
    """Row 1's title, row 3's headings, column C in column C; the PROBLEMS column follows
    the last used column (K) and names each bad row's severity, column, field and message."""
    report, rows = report_of(keepers_workbook(tmp_path / "ble.xlsx"), tmp_path)
    assert report.suffix == ".xlsx"
    assert rows[0][0] == TITLE
    assert rows[2] == (*HEADINGS, "PROBLEMS")
    assert rows[3][:10] == (1, "KAZ001", "007", "Triticum", "aestivum", "KAZ", "19980312",
                            528, "=1+2 kept", "13")
    assert rows[3][10] is None  # a good row says nothing
    assert rows[4][1:4] == ("KAZ001", "KZ-2", None)
    assert rows[4][10].startswith("ERROR D (GENUS): ")
    assert all(cell is None for cell in rows[5])  # the blank row stays blank
    assert rows[6][2] == "KZ-3" and "ERROR F (ORIGCTY): " in rows[6][10]
    assert rows[6][9] == 13  # a number stays a number
    assert rows[7][2] == "KZ-4" and rows[7][10] is None
    sheet = openpyxl.load_workbook(report).worksheets[0]
    assert sheet.title == "Blé 2019"
    assert sheet["C4"].data_type == "s" and sheet["I4"].data_type == "s"  # never a formula
    assert sheet["A4"].value == 1 and sheet["H4"].value == 528


def test_a_corrected_report_imports_back(tmp_path: Path) -> None:
    """Write the report, fix the two bad cells in place (the PROBLEMS column left as it
    is), import: every row is accepted, and PROBLEMS is one column not imported, not a
    warning on every row."""
    report, _ = report_of(keepers_workbook(tmp_path / "ble.xlsx"), tmp_path)
    book = openpyxl.load_workbook(report)
    sheet = book.worksheets[0]
    sheet["D5"] = "Triticum"
    sheet["F7"] = "TUR"
    book.save(report)
    preview = preview_passports(read_sheet(report), today=TODAY)
    assert preview.header_row == 3
    assert [row.row for row in preview.rows] == [4, 5, 7, 8]
    assert preview.count(RowStatus.ERROR) == 0, [p.message for p in preview.problems()]
    assert [row.values["ACCENUMB"] for row in preview.rows] == ["007", "KZ-2", "KZ-3", "KZ-4"]
    assert preview.rows[0].values["COLLSITE"] == "=1+2 kept"
    assert not [p for row in preview.rows for p in row.problems if p.column == "K"]
    unmatched = [p for p in preview.sheet_problems if p.code == "columns_not_imported"]
    assert len(unmatched) == 1 and "K" in unmatched[0].message


def test_problems_of_no_data_row_are_listed_on_a_sheet_of_their_own(tmp_path: Path) -> None:
    """A missing column or a heading's problem has no row to stand on: a second sheet lists
    it, after the copy, so that the copy stays the sheet an import reads first."""
    source = tmp_path / "nospecies.csv"
    source.write_text("INSTCODE,ACCENUMB,GENUS\nKAZ001,A-1,\nKAZ001,A-2,Triticum\n",
                      encoding="utf-8")
    report, rows = report_of_csv(source, tmp_path)
    assert rows == [("INSTCODE", "ACCENUMB", "GENUS", "PROBLEMS"),
                    ("KAZ001", "A-1", None, "ERROR C (GENUS): Genus is required"),
                    ("KAZ001", "A-2", "Triticum", None)]
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["nospecies", problem_report.SHEET_PROBLEMS]
    listed = list(book[problem_report.SHEET_PROBLEMS].iter_rows(values_only=True))
    assert listed[0] == ("Row", "Column", "PROBLEMS")
    assert (1, None, "WARNING: no column for SPECIES, ORIGCTY, SAMPSTAT, ACQDATE, MLSSTAT, "
            "STORAGE: 1 new accession(s) would have none of them, and FAO WIEWS reporting "
            "uses them") in listed


def report_of_csv(source: Path, tmp_path: Path) -> tuple[Path, list[tuple[object, ...]]]:
    sheet = read_sheet(source)
    report = problem_report.write_problem_report(
        sheet, preview_passports(sheet, today=TODAY), tmp_path / "r.xlsx")
    return report, list(openpyxl.load_workbook(report).worksheets[0].iter_rows(
        values_only=True))


@dataclass(frozen=True)
class LabProblem:
    """A problem of another import (a test sheet's), with only a warning flag."""

    row: int
    column: str
    field: str
    message: str
    warning: bool = False


def test_any_imports_problems_can_be_reported(tmp_path: Path) -> None:
    """Not only the passport preview: a list of any problems with a row, column, field and
    message (and a severity, or a warning flag) is written against the sheet."""
    source = tmp_path / "lab.csv"
    source.write_text("Lot,Date tested,Germination %\nL-1,2026-13-01,95\nL-2,2026-01-01,"
                      "140\n", encoding="utf-8")
    sheet = read_sheet(source)
    report = problem_report.write_problem_report(
        sheet, [LabProblem(2, "B (Date tested)", "DATE", "not a date"),
                LabProblem(3, "C", "GERMINATION", "over 100", warning=True)],
        tmp_path / "lab-problems.xlsx", header_row=1)
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert rows[0] == ("Lot", "Date tested", "Germination %", "PROBLEMS")
    assert rows[1][3] == "ERROR B (Date tested): not a date"
    assert rows[2][3] == "WARNING C (GERMINATION): over 100"


def test_the_report_prints_with_its_headings_on_every_page(tmp_path: Path) -> None:
    """The heading row repeats on every page, pages are numbered, and the sheet is
    landscape and fitted to the width when it is wide but still readable."""
    report, _ = report_of(keepers_workbook(tmp_path / "ble.xlsx"), tmp_path)
    sheet = openpyxl.load_workbook(report).worksheets[0]
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.oddFooter.center.text == "Page &P of &N"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == "A4"


def test_cli_report_is_the_corrected_copy(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`import-mcpd --report`: the copy with PROBLEMS; once corrected, `import-mcpd` of
    the report itself imports every row."""
    url = str(tmp_path / "c.sqlite")
    source = keepers_workbook(tmp_path / "ble.xlsx")
    assert cli.main(["--database", url, "init"]) == 0
    assert cli.main(["--database", url, "import-mcpd", str(source),
                     "--report", str(tmp_path / "fix-me.xlsx")]) == 1
    book = openpyxl.load_workbook(tmp_path / "fix-me.xlsx")
    sheet = book.worksheets[0]
    assert sheet["K3"].value == "PROBLEMS" and sheet["K5"].value.startswith("ERROR D")
    sheet["D5"], sheet["F7"] = "Triticum", "TUR"
    book.save(tmp_path / "fix-me.xlsx")
    capsys.readouterr()
    assert cli.main(["--database", url, "import-mcpd", str(tmp_path / "fix-me.xlsx")]) == 0
    assert "4 created" in capsys.readouterr().out


def test_the_copy_holds_every_value_exactly_as_read(tmp_path: Path) -> None:
    """Formula-like text, markup, line breaks, Arabic, leading
    zeros, numbers, booleans, dates and percentages: the report read back gives the same
    cells, and the same cells shown as percentages."""
    source = tmp_path / "hostile.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    texts = ["=1+2", "<b>&amp;", "x_y", "قمح بلدي", "007", "+7 701", "@home",
             "'quoted", 'say "hi"', "two\nlines"]
    sheet.append(["INSTCODE", "ACCENUMB", "GENUS", "NOTE", "RATE", "WHEN", "FLAG", "COUNT"])
    for number, text in enumerate(texts):
        sheet.append(["KAZ001", f"H-{number}", "Triticum", text, 0.065, dt.date(1998, 3, 12),
                      number % 2 == 0, number * 1.5])
        sheet.cell(row=number + 2, column=4).data_type = "s"
        sheet.cell(row=number + 2, column=5).number_format = "0.0%"
    book.save(source)
    read = read_sheet(source)
    report = problem_report.write_problem_report(
        read, preview_passports(read, today=TODAY), tmp_path / "hostile-problems.xlsx")
    copy = read_sheet(report)
    assert [row[:8] for row in copy.rows] == read.rows
    assert copy.row_numbers == read.row_numbers
    assert copy.percent_cells == read.percent_cells == {(n, 5) for n in range(2, 12)}
    assert [row[3] for row in copy.rows[1:]] == texts
    for row in openpyxl.load_workbook(report).active.iter_rows():
        for cell in row:
            assert cell.data_type != "f" and not cell.quotePrefix, cell.coordinate


def test_a_control_character_is_kept_as_excel_escapes_it(tmp_path: Path) -> None:
    """XML cannot hold U+0001: the copy writes Excel's escape (_x0001_), which readers
    turn back into the character, so the cell reads as it did; a text that looks like
    such an escape (_x0041_) is escaped in turn, and reads as itself, not as "A"."""
    source = tmp_path / "ctl.csv"
    source.write_text("INSTCODE,ACCENUMB,GENUS,NOTE\nKAZ001,C-1,Triticum,a\x01b_x0041_\n",
                      encoding="utf-8")
    read = read_sheet(source)
    report = problem_report.write_problem_report(read, [], tmp_path / "ctl.xlsx",
                                                 header_row=1)
    assert read_sheet(report).rows == [["INSTCODE", "ACCENUMB", "GENUS", "NOTE", "PROBLEMS"],
                                       read.rows[1]]
    assert read.rows[1][3] == "a\x01b_x0041_"


def test_a_whole_number_is_written_as_the_cell_held_it(tmp_path: Path) -> None:
    """QA finding 14: LibreOffice's .ods gives every number as a float, and the report
    wrote ELEVATION 528 back as 528.0, a value nobody typed; 1200.5 stays 1200.5."""
    sheet = read_sheet(Path(__file__).parent.parent / "files" / "formats" / "libreoffice.ods")
    assert sheet.rows[1][8] == 528.0  # as calamine reads it
    preview = preview_passports(sheet, today=TODAY)
    report = problem_report.write_problem_report(sheet, preview, tmp_path / "problems")
    copied = openpyxl.load_workbook(report).worksheets[0]
    elevations = [copied.cell(row=row, column=9).value for row in (2, 3, 4)]
    assert elevations == [528, 1200.5, -12]
    assert [type(value) for value in elevations] == [int, float, int]
