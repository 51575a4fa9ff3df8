"""Every problem a germination or moisture test sheet import finds is a registered code with
its params, whose template gives exactly the English the CLI prints (the GUI words the code
in the user's language, issue 5); a database that could not be opened carries its cause as
code and params only, and its English is the cause's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from genebank import db, driver_errors, problems
from genebank.conservation import seed_lots, test_import
from genebank.io import headings, test_sheet
from genebank.io.spreadsheet import read_sheet
from genebank.passport import accessions
from genebank.services.errors import ServiceError
from tests.conftest import passport_values

TODAY = dt.date(2026, 11, 23)
DAY = dt.date(2025, 6, 1)
GERMINATION = [
    ["Lot number", "Date tested", "Replicate", "Seeds sown", "Normal seedlings",
     "Abnormal seedlings", "Dead seeds", "Fresh ungerminated", "Hard seeds"],
    ["L-1", "2024-13-45", 1, 50, 46, 2, 1, 1, 0],
    [None, DAY, 1, 50, 46, 2, 1, 1, 0],
    ["L-1", DAY, 1, 50.5, 46, 2, 1, 1, 0],
    ["L-1", DAY, 2, True, 46, 2, 1, 1, 0],
    ["L-1", DAY, 3, 2_000_000, 46, 2, 1, 1, 0],
    ["L-1", dt.date(2025, 6, 2), 1, 50, 40, 2, 1, 1, 0],
    ["L\u202e1", DAY, 1, 50, 46, 2, 1, 1, 0],
    ["L-1", dt.date(2025, 6, 3), 1, "=25+25", 46, 2, 1, 1, 0],
    ["NOPE", DAY, 1, 50, 50, 0, 0, 0, 0],
    ["L-2", DAY, 1, 100, 100, 0, 0, 0, 0],
    ["L-2", DAY, 2, 100, 100, 0, 0, 0, 0],
    ["L-1", dt.date(2025, 6, 4), 1, "-5", 46, 2, 1, 1, 0],
    ["L-1", dt.date(2027, 6, 5), 1, 50, 50, 0, 0, 0, 0],
]
MOISTURE = [
    ["Lot number", "Date tested", "Moisture content %", "Equilibrium RH %"],
    ["L-1", DAY, 140, 50], ["L-1", DAY, True, None], ["L-1", DAY, "abc", None],
    ["L-1", DAY, 0.065, None], ["L-1", DAY, 2.5, None], ["L-1", DAY, "-3", None],
]
# Codes the sheet's reading and the import say (besides the parsers' and the services'):
# the sweep must meet each.
SAID_HERE = {"test_cell_empty", "test_formula_value_used", "percent_cell_read",
             "counts_unbalanced", "cell_not_a_number", "not_a_seed_count",
             "seed_count_too_large", "percent_impossible", "percent_text_impossible",
             "test_date_unsure", "test_refused", "test_refused_rows", "control_refused"}


def _previews(tmp_path: Path) -> list[test_import.TestPreview]:
    database = db.open_database(db.sqlite_url(tmp_path / "t.sqlite"), user="tester")
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        for number, seeds in (("L-1", 5000), ("L-2", 150)):
            seed_lots.create_lot(session, accession_id=accession, lot_number=number,
                                 storage_type="base", stored_on=dt.date(2024, 5, 2),
                                 seeds=seeds, today=TODAY)
    book = openpyxl.Workbook()
    book.active.title = "Germination"
    for row in GERMINATION:
        book.active.append(row)
    moisture = book.create_sheet("Moisture")
    for row in MOISTURE:
        moisture.append(row)
    moisture["C5"].number_format = moisture["C6"].number_format = "0.0%"
    book.save(tmp_path / "hostile.xlsx")
    previews = []
    for name in ("Germination", "Moisture"):
        sheet = read_sheet(tmp_path / "hostile.xlsx", name)
        kind = test_sheet.guess_kind(sheet.name, sheet.rows[0])
        with database.session_factory() as session:
            preview = test_import.preview_tests(
                session, sheet, headings.suggest_mapping(sheet.rows[0], kind), kind,
                today=TODAY)
            previews.append(preview)
            with pytest.raises(ServiceError) as refused:
                test_import.import_tests(session, preview, today=TODAY)
            session.rollback()
        preview.problems.append(refused.value)  # type: ignore[arg-type]
    database.close()
    return previews


def test_every_problem_of_a_hostile_test_sheet_is_a_registered_code_worded_as_before(
        tmp_path: Path) -> None:
    found = [p for preview in _previews(tmp_path) for p in preview.problems]
    assert [str(p) for p in found if not p.code] == []
    worded_otherwise = [(p.code, getattr(p, "message", str(p))) for p in found
                        if problems.english(p.code, dict(p.params))
                        != getattr(p, "message", str(p))]
    assert worded_otherwise == []
    assert SAID_HERE - {p.code for p in found} == set()
    # No param is English the GUI would have to show as it is, bar the counts' sum (noted).
    refusal = found[-1]
    assert "problem" not in refusal.params and refusal.params["cause"] == {
        "code": "percent_impossible", "params": {"value": 140.0}}
    # The English the CLI prints is what it was (compared with main's, one of each kind).
    messages = {getattr(p, "message", str(p)) for p in found}
    assert {
        "'2024-13-45' is not a date this sheet can be sure of: type it as YYYY-MM-DD or as "
        "an Excel date",
        "Lot number is empty", "'50.5' is not a count of seeds (a whole number)",
        "'True' is not a number",
        "2000000 seeds is more than a test counts (at most 1,000,000)",
        "normal seedlings 40 + abnormal seedlings 2 + dead seeds 1 + fresh ungerminated 1 + "
        "hard seeds 0 = 44, but 50 seeds were sown: every seed sown is counted in one "
        "category",
        "a formula: its last computed value was used",
        "There is no seed lot numbered 'NOPE'",
        "Lot L-2 holds 150 seeds; 200 seeds cannot be taken from it. Nothing was saved "
        "(rows 11-12)",
        "The test date 2027-06-05 is in the future",
        "140 % is impossible (0 to 100 %)", "-3 % is impossible (0 to 100 %)",
        "formatted as a percentage: the cell holds 0.065 and shows 6.5 %, read as 6.5 %",
        "5 of 6 tests were refused and 0 rows could not be read (first: row 2, column C "
        "(Moisture content % (fresh weight)): 140 % is impossible (0 to 100 %)); nothing was "
        "imported",
    } <= messages


def test_a_refused_test_carries_the_services_refusal_as_its_cause(tmp_path: Path) -> None:
    germination = _previews(tmp_path)[0]
    refused = next(p for p in germination.problems if p.code == "test_refused_rows")
    assert dict(refused.params) == {
        "first": 11, "last": 12,
        "cause": {"code": "lot_short_of_seeds",
                  "params": {"lot": "L-2", "have": 150, "asked": 200}}}
    empty = next(p for p in germination.problems if p.code == "test_cell_empty")
    assert (empty.field, dict(empty.params)) == ("LOT", {"label": "Lot number"})


def _without_reason(error: db.DatabaseUnavailable) -> None:
    """The cause alone is carried, and the English is the cause's own."""
    params = error.params
    assert "reason" not in params
    cause = params["cause"]
    assert cause["code"] == params["fault"]  # type: ignore[index]
    assert str(error) == str(driver_errors.DriverProblem(
        cause["code"], dict(cause["params"])))  # type: ignore[index]


def test_an_unreachable_server_is_said_from_its_cause_without_english_params() -> None:
    with pytest.raises(db.DatabaseUnavailable) as refused:
        db.open_database("postgresql+psycopg://nobody@127.0.0.1:1/genebank?connect_timeout=2")
    _without_reason(refused.value)
    assert str(refused.value).startswith("cannot reach the PostgreSQL server 127.0.0.1:1")


def test_a_file_that_cannot_be_read_is_said_from_its_cause_without_english_params(
        tmp_path: Path) -> None:
    """A file the driver could not look into (here its disk failed) is refused with the
    driver's problem as cause, worded from it, with no English beside it."""
    from genebank import sqlite_opening
    from genebank.database_file import FileKind, FileState

    path = tmp_path / "far.sqlite"
    with pytest.raises(db.DatabaseUnavailable) as refused:
        sqlite_opening.refuse_file(path, FileState(FileKind.UNAVAILABLE,
                                                   problem="disk I/O error"), create=False)
    _without_reason(refused.value)
    assert refused.value.params["path"] == str(path)
    assert "disk I/O error" in str(refused.value)
