"""Sheets for people print well: landscape where wide, headings (and the column naming the
row) on every page, page numbers, a scale that keeps text readable, paper left to the
printer. Read back from the written workbooks with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from genebank import db
from genebank.io import print_layout, training_export, worklist_export
from genebank.io.print_layout import MIN_SCALE
from genebank.io.training_export import Attendee, Breakdown
from genebank.training import enrolments, training_sheets
from tests.genebank.test_training import START, a_course, a_person

PEOPLE = [Attendee(name, "Kazakhstan", "Kazakh gene bank", frozenset({START}))
          for name in ("Aigerim Nurlanova", "Бахыт Серикович", "فاطمة الزهراء")]


def days(count: int) -> list[dt.date]:
    return [START + dt.timedelta(days=n) for n in range(count)]


def print_settings(sheet: Worksheet) -> dict[str, object]:
    """The print settings of ``sheet``; a fit's width and height as Excel reads them (an
    absent one is 1, the file format's default)."""
    fit = bool(sheet.sheet_properties.pageSetUpPr
               and sheet.sheet_properties.pageSetUpPr.fitToPage)
    width, height = sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight
    return {"orientation": sheet.page_setup.orientation, "fit": fit,
            "fit_width": (1 if width is None else width) if fit else width,
            "fit_height": (1 if height is None else height) if fit else height,
            "scale": sheet.page_setup.scale, "rows": sheet.print_title_rows,
            "columns": sheet.print_title_cols, "footer": sheet.oddFooter.center.text,
            "paper": sheet.page_setup.paperSize}


def test_a_19_day_attendance_sheet_runs_on_at_full_size_with_names_on_every_page(
        tmp_path: Path) -> None:
    """Fitted to one page it printed at 4.7 pt: it keeps 100 % instead, continues on
    further pages, and repeats the headings and the number and name on each."""
    path = training_export.write_attendance_sheet(
        tmp_path / "long.xlsx", title="Gene Bank Management", subtitle="11-29 May 2026",
        days=days(19), attendees=PEOPLE)
    settings = print_settings(openpyxl.load_workbook(path).active)
    assert settings == {"orientation": "landscape", "fit": False, "fit_width": None,
                        "fit_height": None, "scale": 100, "rows": "$4:$4",
                        "columns": "$A:$B", "footer": "Page &P of &N", "paper": None}


def test_a_five_day_attendance_sheet_fits_the_page_width_readably(tmp_path: Path) -> None:
    """A week fits a landscape page at a readable scale: fitted to the width, as many
    pages down as the participants need; paper size left to the printer."""
    path = training_export.write_attendance_sheet(
        tmp_path / "week.xlsx", title="Gene Bank Management", subtitle="11-15 May 2026",
        days=days(5), attendees=PEOPLE)
    settings = print_settings(openpyxl.load_workbook(path).active)
    assert settings == {"orientation": "landscape", "fit": True, "fit_width": 1,
                        "fit_height": 0, "scale": None, "rows": "$4:$4", "columns": None,
                        "footer": "Page &P of &N", "paper": None}
    widths = [5, 30, 16, 30, *[12] * 5]
    scale = print_layout.LANDSCAPE_PIXELS / sum(map(print_layout.column_pixels, widths))
    assert MIN_SCALE <= scale < 1


@pytest.mark.parametrize("course_days", [5, 19])
def test_the_attendance_sheet_from_the_database_prints_by_the_same_rule(
        database: db.Database, tmp_path: Path, course_days: int) -> None:
    """The training service's attendance sheet: read from a course, laid out as above."""
    with database.session_factory.begin() as session:
        course = a_course(session, end_on=START + dt.timedelta(days=course_days - 1))
        enrolments.enrol(session, course_id=course, participant_id=a_person(session))
    with database.session_factory() as session:
        path = training_sheets.attendance_sheet(session, course, tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(4, 4 + course_days).value is not None  # a column per day
    assert print_settings(sheet)["footer"] == "Page &P of &N"
    assert print_settings(sheet)["paper"] is None  # A4 or Letter: the printer's
    assert print_settings(sheet)["fit"] is (course_days == 5)
    assert print_settings(sheet)["columns"] == (None if course_days == 5 else "$A:$B")


def test_lists_register_and_report_print_with_headings_and_page_numbers(
        tmp_path: Path) -> None:
    """Participant list (with contacts too wide to fit readably, so it runs on with the
    names repeated; without, fitted), certificate register, every sheet of the report
    workbook: headings repeated, page numbers, portrait only where narrow."""
    row = ["Aigerim", "female", "Kazakhstan", "KGB", "completed", 5, 40, 85.5, 5, "C-1"]
    narrow = training_export.write_participant_list(
        tmp_path / "plain.xlsx", title="Gene Bank Management", rows=[row])
    wide = training_export.write_participant_list(
        tmp_path / "list.xlsx", title="Gene Bank Management, 11-15 May 2026",
        rows=[["Aigerim", "female", "Kazakhstan", "KGB", "completed", 5, 40, 85.5, 5,
               "C-1", "a@example.org", "+7 701 555 00 00"]], with_contacts=True)
    register = training_export.write_certificate_register(
        tmp_path / "register.xlsx",
        [("C-1", START, "Aigerim", "Kazakhstan", "Gene Bank Management", "11-15 May", 40)])
    report = training_export.write_report_workbook(
        tmp_path / "report.xlsx", summary=[("Period", "2026"), ("People trained", 3)],
        breakdowns=[Breakdown("country", [("Kazakhstan", 3, 2, 66.7, 2)])],
        institutions=[("Kazakhstan", "KGB", 3)])
    listed = print_settings(openpyxl.load_workbook(wide).active)
    assert (listed["orientation"], listed["rows"], listed["footer"]) == \
        ("landscape", "$3:$3", "Page &P of &N")
    assert not listed["fit"] and listed["columns"] == "$A:$A" and listed["paper"] is None
    plain = print_settings(openpyxl.load_workbook(narrow).active)
    assert (plain["orientation"], plain["fit"], plain["fit_width"], plain["rows"]) == \
        ("landscape", True, 1, "$3:$3")
    registered = print_settings(openpyxl.load_workbook(register).active)
    assert (registered["orientation"], registered["rows"], registered["fit"]) == \
        ("landscape", "$1:$1", True)
    book = openpyxl.load_workbook(report)
    for sheet in book.worksheets:
        settings = print_settings(sheet)
        assert settings["footer"] == "Page &P of &N", sheet.title
        assert settings["fit"], sheet.title
    assert print_settings(book["Summary"])["orientation"] == "portrait"
    assert print_settings(book["By country"])["rows"] == "$1:$1"
    assert print_settings(book["Institutions per country"])["orientation"] == "portrait"


def test_a_worklist_prints_with_its_headings_on_every_page(tmp_path: Path) -> None:
    """The worklist (written by the fast xlsx writer) is landscape, fitted to the width,
    its heading row repeated and its pages numbered."""
    path = worklist_export.write_worklist(
        tmp_path / "plan.xlsx", title="Viability tests due",
        headings=worklist_export.HEADINGS,
        rows=[("KZ-1", "Triticum aestivum", "L-1", "13", "2026-12-01", "due")] * 3)
    settings = print_settings(openpyxl.load_workbook(path).active)
    assert (settings["orientation"], settings["fit"], settings["fit_width"],
            settings["fit_height"], settings["rows"], settings["footer"]) == \
        ("landscape", True, 1, 0, "$1:$1", "Page &P of &N")


def test_the_layout_rule_keeps_at_least_the_minimum_scale() -> None:
    """Whatever the widths, a fitted sheet prints at MIN_SCALE or more, and a sheet that
    cannot repeats the columns asked for instead."""
    for count in range(1, 60):
        widths = [20.0] * count
        layout = print_layout.layout_for(widths, title_rows=(1, 1), title_columns=(1, 1))
        pixels = sum(map(print_layout.column_pixels, widths))
        page = print_layout.LANDSCAPE_PIXELS if layout.landscape \
            else print_layout.PORTRAIT_PIXELS
        if layout.fit_width:
            assert min(1.0, page / pixels) >= MIN_SCALE and layout.title_columns is None
        else:
            assert page / pixels < MIN_SCALE and layout.title_columns == (1, 1)
        assert layout.landscape is (pixels > print_layout.PORTRAIT_PIXELS)
