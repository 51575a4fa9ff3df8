"""Training sheets for Excel: a course's attendance sheet (to print and sign), participant
lists, and the certificate register. Written with openpyxl, which does print layout well.

E-mail addresses and phone numbers are personal data: a list includes them only when the
caller asks (``with_contacts``), as the user must tick it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from genebank import countries
from genebank.io.cells import put, put_row
from genebank.io.files import write_whole
from genebank.training import certificates, courses, enrolments, training_reports

THIN = Side(style="thin", color="888888")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LISTED = ("nominated", "confirmed", "attended", "completed")


def attendance_sheet(session: Session, course_id: int, path: Path) -> Path:
    """One row per participant, one column per course day (ticked where attendance is
    recorded, empty boxes to sign otherwise), landscape A4 fitted to the page width."""
    course = courses.get_course(session, course_id)
    days = courses.course_days(course)
    roster = [r for r in enrolments.course_roster(session, course_id) if r.status in LISTED]
    present = enrolments.attendance(session, course_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance"
    put(sheet, 1, 1, course.title).font = Font(bold=True, size=14)
    put(sheet, 2, 1, f"{certificates.date_span(course.start_on, course.end_on)}"
                   + (f", {course.venue_city}" if course.venue_city else "")
                   + (f", {countries.country_name(course.venue_country)}"
                      if course.venue_country else "")
                   + (f". Host: {courses.host_label(course)}" if course.host_name
                      or course.host_code else ""))
    headers = ["No.", "Name", "Country", "Institution",
               *(f"{day:%a} {day.day} {day:%b}" for day in days)]
    _header_row(sheet, 4, headers)
    for number, person in enumerate(roster, start=1):
        row = 4 + number
        days_present = present.get(person.id, set())
        values = [number, person.full_name, countries.country_name(person.country),
                  person.institution, *("✓" if day in days_present else None for day in days)]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            cell.border = BOX
            if column > 4:
                cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[row].height = 28  # room for a signature
    for column, width in enumerate((5, 30, 16, 30), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column in range(5, 5 + len(days)):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    _print_setup(sheet, landscape=True)
    sheet.print_title_rows = "4:4"
    return _save(book, path)


def participant_list(session: Session, course_id: int, path: Path, *,
                     with_contacts: bool = False) -> Path:
    course = courses.get_course(session, course_id)
    roster = enrolments.course_roster(session, course_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    put(sheet, 1, 1, f"{course.title}, {certificates.date_span(course.start_on, course.end_on)}"
        ).font = Font(bold=True, size=13)
    headers = ["Name", "Gender", "Country", "Institution", "Status", "Days present",
               "Pre-test %", "Post-test %", "Feedback (1-5)", "Certificate"]
    if with_contacts:
        headers += ["E-mail", "Phone"]
    _header_row(sheet, 3, headers)
    for row, person in enumerate(roster, start=4):
        values: list[object] = [
            person.full_name, person.gender, countries.country_name(person.country),
            person.institution, person.status.replace("_", "-"), person.days_present,
            person.pre_test_score, person.post_test_score, person.feedback_score,
            person.certificate]
        if with_contacts:
            values += [person.email, person.phone]
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value).border = BOX
    for column, width in enumerate((30, 9, 16, 30, 11, 8, 9, 9, 9, 16, 30, 18), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    _print_setup(sheet, landscape=True)
    return _save(book, path)


def certificate_register(session: Session, path: Path, *, course_id: int | None = None) \
        -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Certificates"
    _header_row(sheet, 1, ["Number", "Issued", "Participant", "Country", "Course", "Dates",
                           "Hours"])
    for row, entry in enumerate(certificates.register(session, course_id=course_id), start=2):
        values = [entry.number, entry.issued_on, entry.participant_name,
                  countries.country_name(entry.country), entry.course_title,
                  entry.course_dates, entry.hours]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            if column == 2:
                cell.number_format = "yyyy-mm-dd"
    for column, width in enumerate((16, 11, 30, 16, 40, 24, 7), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet, landscape=True)
    return _save(book, path)


def _header_row(sheet: Worksheet, row: int, headers: list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, row, column, header)
        cell.font = Font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _print_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _save(book: Workbook, path: Path) -> Path:
    path = Path(path).with_suffix(".xlsx")
    return write_whole(path, book.save)


def report_workbook(session: Session, period: training_reports.Period, path: Path) -> Path:
    """The reports as a workbook: totals, a sheet per breakdown, institutions per country."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    total = training_reports.totals(session, period)
    for row, values in enumerate((
            ("Period", period.label()), ("People trained (enrolments)", total.participants),
            ("Completed", total.completed), ("Completion rate %", total.completion_pct),
            ("Women", total.women)), start=1):
        put_row(summary, row, values)
    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 40
    for breakdown in training_reports.BREAKDOWNS:
        sheet = book.create_sheet(f"By {breakdown}")
        _header_row(sheet, 1, [breakdown.capitalize(), "People trained", "Completed",
                               "Completion %", "Women"])
        for row, entry in enumerate(training_reports.participants_by(session, breakdown,
                                                                     period), start=2):
            put_row(sheet, row, (entry.key, entry.participants, entry.completed,
                                 entry.completion_pct, entry.women))
        sheet.column_dimensions["A"].width = 45
    institutions = book.create_sheet("Institutions per country")
    _header_row(institutions, 1, ["Country", "Institution", "People trained"])
    listed = [(country, institution, count) for country, entries in
              training_reports.institutions_by_country(session, period).items()
              for institution, count in entries]
    for row, values in enumerate(listed, start=2):
        put_row(institutions, row, values)
    institutions.column_dimensions["A"].width = 20
    institutions.column_dimensions["B"].width = 50
    return _save(book, path)
