"""Bulk import of germination and moisture tests from Excel: template, messy sheets,
refusals named by row and column, and all-or-nothing commits (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from genebank import db
from genebank.conservation import seed_lots, test_import
from genebank.io import headings, test_sheet
from genebank.io.spreadsheet import read_sheet
from genebank.models import GerminationTest, LotTransaction, MoistureTest
from genebank.passport import accessions
from genebank.progress import Cancelled
from genebank.services.errors import ServiceError
from tests.conftest import passport_values
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)
STORED = dt.date(2024, 5, 2)


@pytest.fixture
def lots(database: db.Database) -> db.Database:
    """Two lots, L-1 (5,000 seeds) and L-2 (150 seeds), stored 2024-05-02."""
    with database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        for number, seeds in (("L-1", 5000), ("L-2", 150)):
            seed_lots.create_lot(session, accession_id=accession_id, lot_number=number,
                                 storage_type="base", stored_on=STORED, seeds=seeds,
                                 today=TODAY)
    return database


def counts(database: db.Database) -> tuple[int, int, int]:
    with database.session_factory() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                     for m in (GerminationTest, MoistureTest, LotTransaction))


def preview(database: db.Database, path: Path, sheet: str | None = None) \
        -> test_import.TestPreview:
    read = read_sheet(path, sheet)
    kind = test_sheet.guess_kind(read.name, read.rows[0])
    mapping = headings.suggest_mapping(read.rows[0], kind)
    with database.session_factory() as session:
        return test_import.preview_tests(session, read, mapping, kind, today=TODAY)


def test_template_filled_and_imported(lots: db.Database, tmp_path: Path) -> None:
    path = test_sheet.write_template(tmp_path / "tests.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Germination", "Moisture", "Help"]
    headers = [c.value for c in book["Germination"][1]]
    for replicate, normal in enumerate((46, 44, 45, 47), start=1):
        book["Germination"].append(["L-1", dt.date(2024, 6, 1), replicate, 50, normal, 2,
                                    1, 50 - normal - 3, 0])
    book["Germination"].append(["L-2", "2024-06-03", 1, 25, 20, 2, 3])
    book["Moisture"].append(["L-1", dt.date(2024, 5, 20), 5.6])
    book.save(path)
    read = read_sheet(path, "Germination")
    mapping = headings.suggest_mapping(read.rows[0], test_sheet.GERMINATION)
    assert set(mapping.values()) == {headings.match_heading(h, "germination")
                                     for h in headers}
    with lots.session_factory() as session:
        checked = test_import.preview_tests(session, read, mapping, "germination", today=TODAY)
    assert checked.summary() == "2 germination tests in 5 rows: 2 ready"
    assert counts(lots) == (0, 0, 2)  # the preview left the database as it was
    with lots.session_factory.begin() as session:
        result = test_import.import_tests(session, checked, today=TODAY)
    assert result.line() == "2 tests imported"
    assert preview(lots, path, "Moisture").ready == 1
    with lots.session_factory() as session:
        first = seed_lots.get_lot(session, seed_lots.find_lot_id(session, "L-1"))
        assert (first.initial_viability_pct, first.seeds_on_hand) == (91.0, 4800)
        second = seed_lots.get_lot(session, seed_lots.find_lot_id(session, "l-2"))
        assert (second.initial_viability_pct, second.seeds_on_hand) == (80.0, 125)


def test_headers_and_dates_as_laboratories_write_them(lots: db.Database,
                                                      tmp_path: Path) -> None:
    path = workbook(tmp_path / "lab.xlsx", {"Sheet1": [
        ["Lot no.", "Date", "Rep", "Seeds sown", "Normal seedlings", "Dead", "Tested by"],
        [" L-1 ", 20240601, 1, "50", 40, 10, "A. Nurlanova"],
        ["L-1", 20240601, 2, 50.0, 42, "8", "A. Nurlanova"],
        ["L-1", "03/04/2025", 1, 50, 41, 9, ""],
        ["L-1", dt.datetime(2025, 4, 3), 1, 50, 40.5, 9, ""],
    ]})
    checked = preview(lots, path)
    assert checked.kind == "germination" and len(checked.tests) == 2
    problems = {(p.row, p.column, p.field): p.message for p in checked.problems}
    assert problems == {
        (4, "B", "DATE"): "'03/04/2025' is not a date this sheet can be sure of: type "
                          "it as YYYY-MM-DD or as an Excel date",
        (5, "E", "NORMAL"): "'40.5' is not a count of seeds (a whole number)",
    }
    assert checked.tests[0].replicates[1].sown == 50 and checked.ready == 1
    assert checked.summary() == ("2 germination tests in 4 rows: 1 ready, 1 refused; 1 row "
                                 "without a readable lot number or date")
    with pytest.raises(ServiceError, match="1 rows could not be read"), \
            lots.session_factory.begin() as session:  # the unreadable date is not dropped
        test_import.import_tests(session, checked, today=TODAY)


def test_refusals_name_their_rows_and_nothing_is_half_imported(lots: db.Database,
                                                               tmp_path: Path) -> None:
    path = workbook(tmp_path / "bad.xlsx", {"Germination": [
        ["LOT", "DATE", "SOWN", "NORMAL", "ABNORMAL", "DEAD"],
        ["L-1", "2024-06-01", 50, 45, 0, 5],       # fine
        ["L-9", "2024-06-01", 50, 45, 0, 5],       # no such lot
        ["L-1", "2027-01-01", 50, 45, 0, 5],       # in the future
        ["L-1", "2024-01-01", 50, 45, 0, 5],       # before the lot was stored
        ["L-1", "2024-07-01", 50, 45, 9, 0],       # more counted than sown
        ["L-2", "2024-06-01", 100, 90, 0, 10],     # 150 seeds: fine ...
        ["L-2", "2025-06-01", 100, 80, 0, 20],     # ... but then only 50 are left
        ["L-1", "2024-08-01", 50, 40, 3, 2],       # 45 counted of 50 sown
    ]})
    checked = preview(lots, path)
    assert checked.summary() == "8 germination tests in 8 rows: 2 ready, 6 refused"
    messages = {p.row: p.message for p in checked.problems}
    assert messages[3] == "There is no seed lot numbered 'L-9'"
    assert "in the future" in messages[4]
    assert "before lot L-1 was stored (2024-05-02)" in messages[5]
    columns = {p.row: (p.column, p.field) for p in checked.problems}
    assert (columns[6], messages[6]) == (
        ("C", "SOWN"), "normal seedlings 45 + abnormal seedlings 9 + dead seeds 0 = 54, "
        "but 50 seeds were sown: every seed sown is counted in one category")
    assert (columns[9], messages[9]) == (
        ("C", "SOWN"), "normal seedlings 40 + abnormal seedlings 3 + dead seeds 2 = 45, "
        "but 50 seeds were sown: every seed sown is counted in one category")
    assert "holds 50 seeds; 100 seeds cannot be taken" in messages[8]
    before = counts(lots)
    with pytest.raises(ServiceError, match=r"6 of 8 tests were refused.*row 3"), \
            lots.session_factory.begin() as session:
        test_import.import_tests(session, checked, today=TODAY)
    assert counts(lots) == before
    with lots.session_factory.begin() as session:
        result = test_import.import_tests(session, checked, skip_refused=True, today=TODAY)
    assert result.line() == "2 tests imported, 6 tests refused and skipped"
    assert counts(lots)[0] == 2


def test_moisture_sheet_and_an_impossible_value(lots: db.Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "mc.xlsx", {"Moisture tests": [
        ["Lot", "Date tested", "MC %", "ERH"],
        ["L-1", "2024-05-10", 8.2, None],
        ["L-2", "2024-05-10", 140, 20],
    ]})
    checked = preview(lots, path)
    assert checked.kind == "moisture"
    assert [(p.row, p.message) for p in checked.errors] == [
        (3, "140 % is impossible (0 to 100 %)")]
    with lots.session_factory.begin() as session:
        test_import.import_tests(session, checked, skip_refused=True, today=TODAY)
    with lots.session_factory() as session:
        lot = seed_lots.get_lot(session, seed_lots.find_lot_id(session, "L-1"))
        assert lot.last_moisture_pct == 8.2


class CancelSoon:
    def report(self, done: int, total: int, text: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return True


def test_a_cancelled_import_leaves_the_database_as_it_was(lots: db.Database,
                                                          tmp_path: Path) -> None:
    rows: list[list[object]] = [["LOT", "DATE", "SOWN", "NORMAL", "DEAD"]]
    rows += [["L-1", dt.date(2024, 6, 1) + dt.timedelta(days=n), 5, 4, 1] for n in range(450)]
    checked = preview(lots, workbook(tmp_path / "many.xlsx", {"Germination": rows}))
    assert checked.ready == 450
    before = counts(lots)
    with pytest.raises(Cancelled), lots.session_factory.begin() as session:
        test_import.import_tests(session, checked, today=TODAY, progress=CancelSoon())
    assert counts(lots) == before


def test_hard_seeds_have_their_own_column(lots: db.Database, tmp_path: Path) -> None:
    """A lab's "Hard seeds" column goes to hard seeds, not to the fresh ungerminated, and
    the five categories together make up the seeds sown."""
    path = workbook(tmp_path / "hard.xlsx", {"Germination": [
        ["Lot", "Date tested", "Rep", "Seeds sown", "Normal seedlings", "Abnormal seedlings",
         "Dead seeds", "Fresh ungerminated", "Hard seeds"],
        ["L-1", "2024-06-01", 1, 100, 82, 3, 2, 1, 12],
        ["L-1", "2024-06-01", 2, 100, 80, 4, 3, 2, 11],
    ]})
    checked = preview(lots, path)
    assert checked.summary() == "1 germination tests in 2 rows: 1 ready"
    with lots.session_factory.begin() as session:
        test_import.import_tests(session, checked, today=TODAY)
    with lots.session_factory() as session:
        test = session.scalars(select(GerminationTest)).one()
        assert [(r.ungerminated, r.hard) for r in test.replicates] == [(1, 12), (2, 11)]
        assert (test.status, test.germination_pct) == ("complete", 81.0)
