"""Training sheets for Excel: a course's attendance sheet (to print and sign), participant
lists, the certificate register and the report workbook. Written with openpyxl, which does
print layout well; each sheet prints readably (:mod:`genebank.io.print_layout`).

The writers take plain rows and titles, read by :mod:`genebank.training.training_sheets`;
E-mail addresses and phone numbers are personal data: a list holds them only when the
caller gives them (the user must tick it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from genebank.io import print_layout
from genebank.io.cells import put, put_row
from genebank.io.files import write_whole

THIN = Side(style="thin", color="888888")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PARTICIPANT_HEADINGS = ("Name", "Gender", "Country", "Institution", "Status", "Days present",
                        "Pre-test %", "Post-test %", "Feedback (1-5)", "Certificate")
CONTACT_HEADINGS = ("E-mail", "Phone")
REGISTER_HEADINGS = ("Number", "Issued", "Participant", "Country", "Course", "Dates", "Hours",
                     "Void")  # Void: empty, or "void: " and the reason


@dataclass(frozen=True, slots=True)
class Attendee:
    """One row of the attendance sheet: who, and the days already recorded present."""

    full_name: str
    country: str  # the country's name, as printed
    institution: str | None
    present: frozenset[dt.date]


def write_attendance_sheet(path: Path, *, title: str, subtitle: str,
                           days: Sequence[dt.date], attendees: Sequence[Attendee]) -> Path:
    """One row per participant, one column per course day (ticked where attendance is
    recorded, empty boxes to sign otherwise). A long course continues on further pages
    with the number and name repeated, rather than shrinking the boxes to sign."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance"
    put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    put(sheet, 2, 1, subtitle)
    headers = ["No.", "Name", "Country", "Institution",
               *(f"{day:%a} {day.day} {day:%b}" for day in days)]
    _header_row(sheet, 4, headers)
    for number, person in enumerate(attendees, start=1):
        row = 4 + number
        values = [number, person.full_name, person.country, person.institution,
                  *("✓" if day in person.present else None for day in days)]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            cell.border = BOX
            if column > 4:
                cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[row].height = 28  # room for a signature
    widths = [5, 30, 16, 30, *(12 for _ in days)]
    _widths(sheet, widths)
    print_layout.apply(sheet, print_layout.layout_for(widths, title_rows=(4, 4),
                                                      title_columns=(1, 2)))
    return _save(book, path)


def write_participant_list(path: Path, *, title: str, rows: Sequence[Sequence[object]],
                           with_contacts: bool = False) -> Path:
    """A course's participants, one row each in :data:`PARTICIPANT_HEADINGS` order (then
    :data:`CONTACT_HEADINGS` when ``with_contacts``)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    put(sheet, 1, 1, title).font = Font(bold=True, size=13)
    headers = [*PARTICIPANT_HEADINGS, *(CONTACT_HEADINGS if with_contacts else ())]
    _header_row(sheet, 3, headers)
    for row, values in enumerate(rows, start=4):
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value).border = BOX
    widths = [30, 9, 16, 30, 11, 8, 9, 9, 9, 16, 30, 18][:len(headers)]
    _widths(sheet, widths)
    sheet.freeze_panes = "A4"
    print_layout.apply(sheet, print_layout.layout_for(widths, title_rows=(3, 3),
                                                      title_columns=(1, 1)))
    return _save(book, path)


def write_certificate_register(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """The certificates issued, one row each in :data:`REGISTER_HEADINGS` order (the
    issue date a date)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Certificates"
    _header_row(sheet, 1, list(REGISTER_HEADINGS))
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            if column == 2:
                cell.number_format = "yyyy-mm-dd"
    widths = [16, 11, 30, 16, 40, 24, 7, 24]
    _widths(sheet, widths)
    sheet.freeze_panes = "A2"
    print_layout.apply(sheet, print_layout.layout_for(widths, title_rows=(1, 1),
                                                      title_columns=(1, 1)))
    return _save(book, path)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One sheet of the report workbook: people trained per course, country, ..."""

    name: str  # "course", "country", ...
    rows: Sequence[tuple[object, ...]]  # (key, trained, completed, completion %, women)


def write_report_workbook(path: Path, *, summary: Sequence[tuple[str, object]],
                          breakdowns: Sequence[Breakdown],
                          institutions: Sequence[tuple[str, str, int]]) -> Path:
    """The reports as a workbook: totals, a sheet per breakdown, institutions per country."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    for row, values in enumerate(summary, start=1):
        put_row(sheet, row, values)
    _widths(sheet, [30, 40])
    print_layout.apply(sheet, print_layout.layout_for([30, 40], title_rows=None))
    for breakdown in breakdowns:
        sheet = book.create_sheet(f"By {breakdown.name}")
        _header_row(sheet, 1, [breakdown.name.capitalize(), "People trained", "Completed",
                               "Completion %", "Women"])
        for row, values in enumerate(breakdown.rows, start=2):
            put_row(sheet, row, values)
        widths: list[float | None] = [45, None, None, None, None]
        _widths(sheet, widths)
        print_layout.apply(sheet, print_layout.layout_for(widths, title_rows=(1, 1),
                                                          title_columns=(1, 1)))
    sheet = book.create_sheet("Institutions per country")
    _header_row(sheet, 1, ["Country", "Institution", "People trained"])
    for row, values in enumerate(institutions, start=2):
        put_row(sheet, row, values)
    widths = [20, 50, None]
    _widths(sheet, widths)
    print_layout.apply(sheet, print_layout.layout_for(widths, title_rows=(1, 1),
                                                      title_columns=(1, 1)))
    return _save(book, path)


def _header_row(sheet: Worksheet, row: int, headers: list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, row, column, header)
        cell.font = Font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(sheet: Worksheet, widths: Sequence[float | None]) -> None:
    for column, width in enumerate(widths, start=1):
        if width is not None:
            sheet.column_dimensions[get_column_letter(column)].width = width


def _save(book: Workbook, path: Path) -> Path:
    path = Path(path).with_suffix(".xlsx")
    return write_whole(path, book.save)
