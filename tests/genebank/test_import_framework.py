"""One import framework: one problem type naming file, sheet, row, column and field; coded
participant problems; every kind checked into a report and applied through one registry;
title rows skipped in participant lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from genebank import db, imports, problems
from genebank.conservation import seed_lots
from genebank.io import headings
from genebank.io.sheet_problem import Severity, SheetProblem
from genebank.io.spreadsheet import read_sheet
from genebank.models import GerminationTest, Participant
from genebank.passport import accessions
from genebank.services.errors import ServiceError
from genebank.training import participant_import
from tests.conftest import passport_values
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)


def test_a_sheet_problem_names_file_sheet_row_column_and_field() -> None:
    """A SheetProblem carries its place and a registered code; its English is the template's."""
    problem = SheetProblem.said("x.xlsx", "S", 12, "C", "ORIGCTY", Severity.ERROR,
                                "item_too_long", item="KAZ", length=300, limit=200)
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.field) == (
        "x.xlsx", "S", 12, "C", "ORIGCTY")
    assert problem.where() == "file x.xlsx, sheet 'S', row 12, column C (ORIGCTY)"
    assert problem.message == problems.english("item_too_long", dict(problem.params))
    assert problem.error and not problem.warning
    assert problem.cause() == {"cause": {"code": "item_too_long", "params": {
        "item": "KAZ", "length": 300, "limit": 200}}}
    with pytest.raises(KeyError):
        SheetProblem.said("x.xlsx", "S", 1, None, None, Severity.ERROR, "no_such_code_here")


def test_passport_and_test_problems_name_their_file(tmp_path: Path) -> None:
    """The passport preview's and the test sheet's problems are SheetProblems with the file."""
    path = workbook(tmp_path / "mixed.xlsx", {"Passport": [
        ["INSTCODE", "ACCENUMB", "GENUS", "ELEVATION"], ["KAZ001", "K-1", "Zea", "high"]]})
    report = imports.kind(headings.PASSPORT).check
    with db.open_database(db.sqlite_url(tmp_path / "g.sqlite")).session_factory() as session:
        found = report(session, read_sheet(path), None, imports.ImportOptions(today=TODAY),
                       None).problems()
    elevation = next(p for p in found if p.field == "ELEVATION")
    assert isinstance(elevation, SheetProblem)
    assert elevation.where() == "file mixed.xlsx, sheet 'Passport', row 2, column D (ELEVATION)"


PEOPLE = [
    ["Liste des participants, atelier de Niamey"],
    [],
    ["Nom de famille", "Prénom", "Sexe", "Pays", "Courriel", "Téléphone"],
    ["Diallo", "Moussa", "M", "Sénégal", "moussa@example.org", ""],
    ["Haddad", "Fatima", "?", "Atlantis", "fatima@", ""],
    ["", "", "F", "Mali", "", "1" * 101],
]


def test_a_participant_list_below_a_title_is_read_and_its_problems_are_coded(
        database: db.Database, tmp_path: Path) -> None:
    """A French list with a title above its headings: every row read, each problem a
    registered code placed at its column; the refusal carries the cause, not English."""
    path = workbook(tmp_path / "liste.xlsx", {"Participants": PEOPLE})
    participants = imports.kind(headings.PARTICIPANTS)
    sheet = read_sheet(path)
    with database.session_factory() as session:
        report = participants.check(session, sheet, None, imports.ImportOptions(), None)
    assert report.mapping == {0: "last_name", 1: "first_name", 2: "gender", 3: "country",
                              4: "email", 5: "phone"}
    assert [(r.row, r.status) for r in report.rows()] == [
        (4, imports.RowStatus.OK), (5, imports.RowStatus.ERROR), (6, imports.RowStatus.ERROR)]
    assert report.counts == {"rows": 3, "ready": 1, "error": 2, "duplicates": 0}
    found = report.problems()
    assert [(p.row, p.column, p.field, p.code) for p in found] == [
        (5, "C", "gender", "participant_gender_unreadable"),
        (5, "D", "country", "participant_not_a_country"),
        (5, "E", "email", "email_invalid"),
        (6, "F", "phone", "too_long"),
    ]
    for problem in found:
        assert problem.file == "liste.xlsx" and problem.sheet == "Participants"
        assert problem.code in problems.all_templates(), problem
        assert problems.english(problem.code, dict(problem.params)) == problem.message
    with pytest.raises(ServiceError) as refused, database.session_factory.begin() as session:
        participants.apply(session, report, imports.ImportOptions(), None)
    assert refused.value.code == "participant_rows_have_errors"
    assert "problem" not in refused.value.params
    assert refused.value.params["cause"]["code"] == found[0].code  # type: ignore[index]
    assert str(refused.value).startswith("2 rows have errors (first: row 5, ")
    with database.session_factory.begin() as session:
        result = participants.apply(session, report,
                                    imports.ImportOptions(skip_invalid=True), None)
    assert result.counts == {"created": 1, "matched": 0, "skipped": 2, "enrolled": 0}
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 1


def test_every_participant_problem_is_a_registered_code(database: db.Database,
                                                        tmp_path: Path) -> None:
    """No participant problem is English alone: gender, country, name and text problems
    all have a code whose template gives their words."""
    path = workbook(tmp_path / "people.xlsx", {"People": [
        ["Full name", "Gender", "Country", "E-mail"],
        ["", "M", "", ""],
        ["Ali\u202e Khan", "x", "Congo", "ali@"],
    ]})
    sheet = read_sheet(path)
    with database.session_factory() as session:
        preview = participant_import.preview_participants(
            session, sheet, headings.suggest_mapping(sheet.rows[0], headings.PARTICIPANTS))
    found = preview.problems()
    assert [(p.row, p.column, p.code, p.severity) for p in found] == [
        (2, "A", "participant_name_missing", Severity.ERROR),
        (3, "B", "participant_gender_unreadable", Severity.ERROR),
        (3, "C", "country_ambiguous", Severity.ERROR),
        (3, "D", "email_invalid", Severity.ERROR),
        (3, "A", "controls_removed", Severity.WARNING)]
    for problem in found:
        assert isinstance(problem, SheetProblem) and problem.code, problem
        assert problems.english(problem.code, dict(problem.params)) == problem.message
        assert problem.column and problem.field, problem


def test_tests_are_checked_and_applied_through_the_registry(database: db.Database,
                                                            tmp_path: Path) -> None:
    """A germination sheet below a title: the report's rows, statuses and counts, then the
    import's counts, through the same two calls as every kind."""
    with database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2024, 5, 2), seeds=5000,
                             today=TODAY)
    path = workbook(tmp_path / "lab.xlsx", {"Germination": [
        ["Essais de germination 2026"],
        ["Lot", "Date", "Seeds sown", "Normal seedlings", "Dead seeds"],
        ["L-1", dt.date(2026, 3, 1), 50, 45, 5],
        ["L-1", dt.date(2026, 3, 1), 50, 40, 5],
        ["L-9", dt.date(2026, 3, 2), 50, 45, 5],
    ]})
    germination = imports.kind(headings.GERMINATION)
    with database.session_factory() as session:
        report = germination.check(session, read_sheet(path), None,
                                   imports.ImportOptions(today=TODAY), None)
    # Rows 3 and 4 are the replicates of one test: row 4 does not add up, so both are
    # refused; row 5 names a lot that does not exist.
    assert [(r.row, r.status) for r in report.rows()] == [
        (3, imports.RowStatus.ERROR), (4, imports.RowStatus.ERROR),
        (5, imports.RowStatus.ERROR)]
    assert (report.counts["tests"], report.counts["ready"], report.counts["refused"]) == (
        2, 0, 2)
    assert not report.can_apply
    assert [(p.row, p.column, p.code) for p in report.problems()] == [
        (4, "C", "counts_unbalanced"), (5, None, "test_refused")]


def test_passport_data_is_checked_and_applied_through_the_registry(
        database: db.Database, tmp_path: Path) -> None:
    """A Genesys-headed passport sheet: checked, then applied, through the registry."""
    path = workbook(tmp_path / "genesys.xlsx", {"Accessions": [
        ["instCode", "acceNumb", "genus", "species", "storage", "uuid"],
        ["KAZ001", "K-1", "Triticum", "aestivum", 13, "u-1"],
        ["KAZ001", "K-2", "Hordeum", "vulgare", 13, "u-2"],
        ["KAZ001", "", "Zea", "mays", 13, "u-3"],
    ]})
    passport = imports.kind(headings.PASSPORT)
    options = imports.ImportOptions(skip_invalid=True, today=TODAY)
    with database.session_factory() as session:
        report = passport.check(session, read_sheet(path), None, options, None)
    assert report.mapping == {0: "INSTCODE", 1: "ACCENUMB", 2: "GENUS", 3: "SPECIES",
                              4: "STORAGE"}
    assert [r.status for r in report.rows()][2] is imports.RowStatus.ERROR
    assert report.counts["rows"] == 3 and report.counts["error"] == 1
    with database.session_factory.begin() as session:
        result = passport.apply(session, report, options, None)
    assert result.counts["created"] == 2 and result.counts["skipped"] == 1
    assert result.line().startswith("2 ")


def test_every_kind_names_its_table_and_required_fields() -> None:
    """The registry has the four kinds, each with its field table and required fields."""
    assert set(imports.KINDS) == {"passport", "germination", "moisture", "participants"}
    required = {name: [f.code for f in kind.table.fields if f.required]
                for name, kind in imports.KINDS.items()}
    assert required == {"passport": ["INSTCODE", "ACCENUMB"],
                        "germination": ["LOT", "DATE", "SOWN", "NORMAL"],
                        "moisture": ["LOT", "DATE"], "participants": ["full_name"]}


def test_a_germination_test_is_written_through_the_registry(database: db.Database,
                                                            tmp_path: Path) -> None:
    """Applying a clean test sheet's report records its test."""
    with database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2024, 5, 2), seeds=5000,
                             today=TODAY)
    path = workbook(tmp_path / "lab.xlsx", {"Germination": [
        ["Lot", "Date", "Seeds sown", "Normal seedlings", "Dead seeds"],
        ["L-1", dt.date(2026, 3, 1), 50, 45, 5]]})
    germination = imports.kind(headings.GERMINATION)
    options = imports.ImportOptions(today=TODAY)
    with database.session_factory() as session:
        report = germination.check(session, read_sheet(path), None, options, None)
    with database.session_factory.begin() as session:
        result = germination.apply(session, report, options, None)
    assert result.counts == {"imported": 1, "skipped": 0}
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(GerminationTest)) == 1
