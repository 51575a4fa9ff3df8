"""No file Genebank writes holds a formula made from data.

Records whose names, titles and remarks look like formulas go through every exporter; every
sheet of every workbook is scanned with openpyxl and in its raw XML for formulas, the texts
are read back exactly as stored, and negative numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from genebank import db
from genebank.conservation import worklists
from genebank.io import (
    passport_template,
    problem_report,
    test_sheet,
)
from genebank.io.cells import csv_escaped, csv_unescaped, runs_as_formula
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.passport import accessions, mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.training import (
    certificates,
    courses,
    enrolments,
    participants,
    training_reports,
    training_sheets,
)
from tests.conftest import passport_values
from tests.genebank.test_training import START, a_course, a_person

HOSTILE = ['=HYPERLINK("http://example.org/x","click")', "  =1+1", "@SUM(A1)", "+1", "-1",
           "=cmd|' /C calc'!A0", "#N/A", "\t=2+2"]
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def stored(text: str) -> str:
    """What a name field keeps of ``text`` (the services collapse whitespace)."""
    return " ".join(text.split())


def scan_workbook(path: Path) -> list[object]:
    """Every value of every sheet, after checking that no cell is a formula."""
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert not FORMULA_ELEMENT.search(archive.read(name)), f"{path.name}:{name}"
    book = openpyxl.load_workbook(path)
    values: list[object] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}!{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str) and runs_as_formula(cell.value):
                    assert cell.data_type == "s"
                if cell.value is not None:
                    values.append(cell.value)
    return values


@pytest.fixture
def hostile_training(database: db.Database) -> tuple[db.Database, int]:
    """A course and programme named like formulas, with participants named like them."""
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="=prog()", sponsor="@sponsor")
        course = a_course(session, programme=programme, title=HOSTILE[0], venue_city="@city",
                          host_name="-host")
        for number, text in enumerate(HOSTILE):
            person = a_person(session, f"{text}", institution=HOSTILE[-1 - number],
                              phone="+7 701 555 00 0" + str(number))
            enrolment = enrolments.enrol(session, course_id=course, participant_id=person)
            for day in range(5):
                enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day),
                                          True)
            enrolments.set_status(session, enrolment, "completed")
            enrolments.set_scores(session, enrolment, pre_test=40, post_test=85.5)
        certificates.issue_for_course(session, course, on=START + dt.timedelta(days=6))
    return database, course


def test_training_workbooks_hold_formula_like_names_as_text(
        hostile_training: tuple[db.Database, int], tmp_path: Path) -> None:
    """Attendance sheet, participant list, certificate register and report workbook write
    names like '=HYPERLINK(...)' as string cells, read back exactly as stored."""
    database, course = hostile_training
    with database.session_factory() as session:
        names = {p.full_name for p in participants.find_participants(session)}
        written = [
            training_sheets.attendance_sheet(session, course, tmp_path / "attendance.xlsx"),
            training_sheets.participant_list(session, course, tmp_path / "list.xlsx",
                                             with_contacts=True),
            training_sheets.certificate_register(session, tmp_path / "register.xlsx"),
            training_sheets.report_workbook(session, training_reports.Period(),
                                            tmp_path / "report.xlsx")]
    assert names == {stored(text) for text in HOSTILE}
    for path in written:
        values = scan_workbook(path)
        if path.stem != "report":
            assert names <= set(values), path.name  # exactly as stored, no apostrophe added
        else:
            assert {stored(text) for text in HOSTILE} <= set(values)  # the institutions
    listed = openpyxl.load_workbook(tmp_path / "list.xlsx").active
    assert listed["A1"].value.startswith(HOSTILE[0])
    assert not listed["A1"].quotePrefix  # a string cell, exactly: nothing added to it
    row = next(r for r in listed.iter_rows(min_row=4) if r[0].value == "-1")
    assert row[0].data_type == "s" and row[6].value == 40 and row[6].data_type == "n"
    assert row[11].value.startswith("+7 701")  # a phone number keeps its plus


def test_mcpd_worklist_and_problem_report_hold_no_formula(database: db.Database,
                                                          tmp_path: Path) -> None:
    """MCPD XLSX and spreadsheet-safe CSV, a worklist and an import's problem report: text
    that would run is a string cell or (in the safe CSV) escaped; negative coordinates stay
    numbers; the CSV round-trips."""
    with database.session_factory.begin() as session:
        for number, text in enumerate(HOSTILE, start=1):
            accessions.create_accession(session, values=passport_values(
                ACCENUMB=f"KZ-{number}", ACCENAME=stored(text), REMARKS=stored(text),
                COLLSITE=text.strip(), DECLATITUDE="-1", DECLONGITUDE="-12.5",
                ELEVATION="-3"))
    with database.session_factory() as session:
        ids = matching_ids(session, AccessionFilter())
        xlsx, csv_path = tmp_path / "mcpd.xlsx", tmp_path / "mcpd.csv"
        mcpd_export.export_passports(session, xlsx, ids)
        mcpd_export.export_passports(session, csv_path, ids, safe_csv=True)
        worklist = tmp_path / "worklist.xlsx"
        worklists.export_worklist(
            session, worklists.WorkQuery(worklists.WITHOUT_BASE_LOT, dt.date(2026, 11, 1)),
            worklist)
    values = scan_workbook(xlsx)
    assert -1 in values and -12.5 in values and -3 in values  # numbers, not text
    assert stored(HOSTILE[0]) in values  # exactly as stored: a string cell never runs
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert (row["DECLATITUDE"], row["DECLONGITUDE"], row["ELEVATION"]) == \
            ("-1", "-12.5", "-3")
        for code, cell in row.items():
            if code not in ("DECLATITUDE", "DECLONGITUDE", "ELEVATION"):
                assert not runs_as_formula(cell), (code, cell)
    assert sorted(csv_unescaped(row["REMARKS"]) or row["REMARKS"] for row in rows) == \
        sorted(stored(text) for text in HOSTILE)
    assert set(scan_workbook(worklist)) >= {f"KZ-{n}" for n in range(1, len(HOSTILE) + 1)}

    source = tmp_path / "collection.csv"  # a keeper's sheet: formula-like cells, one bad row
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["INSTCODE", "ACCENUMB", "GENUS", "ACCENAME", "=HEADER()"])
        writer.writerow(["KAZ001", "=1+1", "Triticum", HOSTILE[0], "@x"])
        writer.writerow(["KAZ001", "KZ-9", "", "-1", "+1"])
    sheet = read_sheet(source)
    report = problem_report.write_problem_report(
        sheet, preview_passports(sheet, today=dt.date(2026, 11, 1)), tmp_path / "problems")
    values = scan_workbook(report)
    assert {"=HEADER()", "=1+1", HOSTILE[0], "@x", "+1"} <= set(map(str, values))
    headings = next(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert headings == ("INSTCODE", "ACCENUMB", "GENUS", "ACCENAME", "=HEADER()", "PROBLEMS")


def test_templates_hold_no_formula(tmp_path: Path) -> None:
    """The MCPD and test-sheet templates: no cell formula (drop-down lists are not cells)."""
    scan_workbook(passport_template.write_template(tmp_path / "mcpd-template.xlsx"))
    scan_workbook(test_sheet.write_template(tmp_path / "tests-template.xlsx"))


@pytest.mark.parametrize("text", [*HOSTILE, "'=x", "''", "'", "' =1", "plain", "x=1", ""])
def test_csv_escape_round_trips(text: str) -> None:
    """Whatever a text is, unescaping its escaped form gives it back exactly."""
    escaped = csv_escaped(text)
    assert not runs_as_formula(escaped)
    assert (csv_unescaped(escaped) if escaped != text else text) == text
    if escaped == text:
        assert csv_unescaped(text) is None
