"""Numbers in imported sheets as Excel and LibreOffice users leave them: text cells read with
the same rules as the forms (no locale: a file's is unknown), number cells kept as they are,
ambiguous text refused with its row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from genebank import db
from genebank.io import headings, test_sheet
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import Sheet, read_sheet
from genebank.mcpd import values
from genebank.training import participant_import
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)


def test_moisture_text_cells_read_with_either_decimal_mark(tmp_path: Path) -> None:
    """'6,5', '6.5 %', '٦٫٥' and a number cell 6.5 are all 6.5 %; '140' is refused."""
    path = workbook(tmp_path / "mc.xlsx", {"Moisture": [
        ["Lot", "Date tested", "MC %", "ERH"],
        ["L-1", "2024-05-10", "6,5", "6.5 %"],
        ["L-1", "2024-05-11", "٦٫٥", 6.5],
        ["L-1", "2024-05-12", "140", None],
        ["L-1", "2024-05-13", "6,5,0", None],
    ]})
    sheet = read_sheet(path)
    mapping = headings.suggest_mapping(sheet.rows[0], test_sheet.MOISTURE)
    rows, problems = test_sheet.read_rows(sheet, mapping, test_sheet.MOISTURE)
    assert [(r.values["MOISTURE_PCT"], r.values["ERH_PCT"]) for r in rows[:2]] == \
        [(6.5, 6.5), (6.5, 6.5)]
    assert [(p.row, p.column, p.field, p.message) for p in problems] == [
        (4, "C", "MOISTURE_PCT", "140 % is impossible (0 to 100 %)"),
        (5, "C", "MOISTURE_PCT",
         "'6,5,0': a decimal number is typed without thousands separators "
         "(e.g. 1234.5 or 1234,5)")]


def test_seed_counts_in_text_cells(tmp_path: Path) -> None:
    """'1 234' is 1234 seeds, '١٢٠' is 120; '1,234' could be 1.234 or 1234 and is refused."""
    path = workbook(tmp_path / "germ.xlsx", {"Germination": [
        ["Lot", "Date", "Seeds sown", "Normal seedlings", "Dead seeds"],
        ["L-1", "2024-05-10", "1 234", "١٢٠", "1 114"],
        ["L-1", "2024-05-10", "1,234", 40, 1194],
        ["L-1", "2024-05-10", 1234.0, "40.0", 1194],
    ]})
    sheet = read_sheet(path)
    mapping = headings.suggest_mapping(sheet.rows[0], test_sheet.GERMINATION)
    rows, problems = test_sheet.read_rows(sheet, mapping, test_sheet.GERMINATION)
    assert (rows[0].values["SOWN"], rows[0].values["NORMAL"]) == (1234, 120)
    assert (rows[2].values["SOWN"], rows[2].values["NORMAL"]) == (1234, 40)
    assert [(p.row, p.column, p.field) for p in problems] == [(3, "C", "SOWN")]
    assert problems[0].message.startswith("'1,234' is ambiguous: it could be 1.234 or 1234")


def test_mcpd_numeric_descriptors_from_text_cells(tmp_path: Path) -> None:
    """ELEVATION, COORDUNCERT and decimal degrees in text cells are read exactly; an
    ambiguous elevation is refused with its row and column, never read as 1.234 m."""
    header = ["INSTCODE", "ACCENUMB", "GENUS", "DECLATITUDE", "DECLONGITUDE", "ELEVATION",
              "COORDUNCERT", "STORAGE"]
    path = workbook(tmp_path / "mcpd.xlsx", {"MCPD": [
        header,
        ["KAZ001", "A1", "Triticum", "-44,6975", "٧٦٫٩١٢٣", "1250,5", "1 500", "13"],
        ["KAZ001", "A2", "Triticum", -44.6975, 76.9123, 1250, 1500, "13"],
        ["KAZ001", "A3", "Triticum", "44°41'51\"S", "76.9123 E", "1,234", "1.500", "13"],
    ]})
    result = preview_passports(read_sheet(path), today=TODAY)
    first, second, third = result.rows
    for row in (first, second):
        assert row.status is not RowStatus.ERROR
        assert (row.values["DECLATITUDE"], row.values["DECLONGITUDE"]) == (-44.6975, 76.9123)
        assert row.values["COORDUNCERT"] == 1500
    assert first.values["ELEVATION"] == 1250.5 and second.values["ELEVATION"] == 1250.0
    assert third.values["DECLATITUDE"] == -44.6975 and third.values["DECLONGITUDE"] == 76.9123
    refused = {p.field: p for p in third.problems}
    assert set(refused) >= {"ELEVATION", "COORDUNCERT"}
    assert refused["ELEVATION"].row == 4 and refused["ELEVATION"].column == "F"
    assert "ambiguous" in refused["ELEVATION"].message
    assert "ELEVATION" not in third.values and "COORDUNCERT" not in third.values


def test_number_parsers_keep_number_cells_and_refuse_guesses() -> None:
    """A number cell is kept as it is; text is read without a locale, never guessed."""
    assert values.parse_number(1250) == 1250.0 and values.parse_number(6.5) == 6.5
    assert values.parse_number("6,5") == 6.5 and values.parse_number("−28") == -28.0
    assert values.parse_integer(1500.0) == 1500 and values.parse_integer("۱۵۰۰") == 1500
    for text, parse in (("1,234", values.parse_number), ("1.234", values.parse_number),
                        ("1,234", values.parse_integer), ("12.5", values.parse_integer),
                        ("6,5 m", values.parse_number)):
        try:
            parse(text)
        except values.InvalidValue as error:
            assert str(error)
        else:
            raise AssertionError(f"{text!r} was read")


def test_a_phone_number_cell_is_read_as_typed(sqlite_database: db.Database) -> None:
    """A phone typed into Excel as a number keeps its digits, without a trailing '.0'."""
    sheet = Sheet(Path("people.xlsx"), "People", [["Name", "Country", "Phone"],
                                                  ["Moussa Diallo", "SEN", 221771234567.0]],
                  [1, 2])
    mapping = headings.suggest_mapping(sheet.rows[0], headings.PARTICIPANTS)
    with sqlite_database.session_factory() as session:
        preview = participant_import.preview_participants(session, sheet, mapping)
    assert preview.rows[0].errors == []
    assert preview.rows[0].values["phone"] == "221771234567"
