"""Numbers a hostile or broken file holds (NaN, infinity, 1e308, 2**63, -0) end in a message
on their cell, never a traceback or a value the database cannot hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from genebank.io import headings, test_sheet
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from tests.genebank.hostile_files import sheet_xml, write_workbook

HOSTILE = ["NaN", "1e400", "-1e400", "1e308", "9223372036854775808", "-0"]


def _header(names: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
                    for i, name in enumerate(names))
    return f'<row r="1">{cells}</row>'


def _row(number: int, values: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        if kind == "text" else f'<c r="{chr(65 + i)}{number}"><v>{value}</v></c>'
        for i, (kind, value) in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def test_hostile_numbers_in_a_germination_sheet(tmp_path: Path) -> None:
    """NaN, infinities, 1e308 and 2**63 as seeds sown (number cells, as a workbook can hold
    them) are refused on their cells; -0 is read as 0."""
    headers = ["Lot number", "Date tested", "Seeds sown", "Normal seedlings"]
    rows = [_row(n + 2, [("text", f"L{n}"), ("text", "2026-01-05"), ("number", value),
                         ("number", "0")]) for n, value in enumerate(HOSTILE)]
    path = write_workbook(tmp_path / "germination.xlsx",
                          sheet_xml(_header(headers) + "".join(rows)))
    sheet = read_sheet(path)
    assert len(sheet.rows) == 1 + len(HOSTILE)
    mapping = headings.suggest_mapping(sheet.rows[0], test_sheet.GERMINATION)
    rows_read, problems = test_sheet.read_rows(sheet, mapping, test_sheet.GERMINATION)
    refused = {p.row for p in problems if p.column == "C" and not p.warning}
    assert refused == {2, 3, 4, 5, 6}, problems
    assert rows_read[-1].values["SOWN"] == 0
    texts = [str(p.message) for p in problems if p.column == "C"]
    assert all(len(text) < 120 for text in texts), texts
    assert any("more than a test counts" in text for text in texts)


def test_hostile_numbers_as_text_in_a_count_and_a_percentage() -> None:
    """Typed as text in a CSV: the same refusals, with short messages."""
    for value in ("inf", "nan", "1e308", "9223372036854775808", "1" * 70):
        for read in (test_sheet._count, test_sheet._percent):
            try:
                read(value)
            except ValueError as error:
                assert len(str(error)) < 120
            else:
                raise AssertionError(f"{read.__name__} read {value!r}")
    assert test_sheet._count("-0") == 0 and test_sheet._percent("-0") == 0.0


def test_hostile_numbers_in_passport_number_columns(tmp_path: Path) -> None:
    """ELEVATION NaN or infinite, COORDUNCERT past the database's integers: errors on their
    cells, not stored."""
    headers = ["INSTCODE", "ACCENUMB", "GENUS", "ELEVATION", "COORDUNCERT"]
    rows = [_row(2, [("text", "KAZ001"), ("text", "A1"), ("text", "Triticum"),
                     ("number", "NaN"), ("number", "9223372036854775808")]),
            _row(3, [("text", "KAZ001"), ("text", "A2"), ("text", "Triticum"),
                     ("number", "1e400"), ("number", "1e308")]),
            _row(4, [("text", "KAZ001"), ("text", "A3"), ("text", "Triticum"),
                     ("number", "-0"), ("number", "-0")])]
    path = write_workbook(tmp_path / "passport.xlsx",
                          sheet_xml(_header(headers) + "".join(rows)))
    preview = preview_passports(read_sheet(path), today=dt.date(2026, 11, 26))
    errors = {(p.row, p.column) for p in preview.problems() if p.severity == "error"}
    assert {(2, "D"), (2, "E"), (3, "D"), (3, "E")} <= errors
    assert not {(4, "D"), (4, "E")} & errors
