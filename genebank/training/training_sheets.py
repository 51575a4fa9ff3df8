"""The training programme's sheets for Excel: what each holds, read from the database,
then written by :mod:`genebank.io.training_export` (which knows the file format only)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from genebank import countries
from genebank.io import training_export
from genebank.io.training_export import Attendee, Breakdown
from genebank.training import certificates, courses, enrolments, training_reports
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

LISTED = ("nominated", "confirmed", "attended", "completed")


@requires(Right.READ_PERSONAL_DATA)
def attendance_sheet(session: Session, course_id: int, path: Path) -> Path:
    """The course's attendance sheet: the participants still listed, the days recorded."""
    course = courses.get_course(session, course_id)
    present = enrolments.attendance(session, course_id)
    attendees = [Attendee(person.full_name, countries.country_name(person.country),
                          person.institution, frozenset(present.get(person.id, ())))
                 for person in enrolments.course_roster(session, course_id)
                 if person.status in LISTED]
    subtitle = (certificates.date_span(course.start_on, course.end_on)
                + (f", {course.venue_city}" if course.venue_city else "")
                + (f", {countries.country_name(course.venue_country)}"
                   if course.venue_country else "")
                + (f". Host: {courses.host_label(course)}" if course.host_name
                   or course.host_code else ""))
    return training_export.write_attendance_sheet(
        path, title=course.title, subtitle=subtitle, days=courses.course_days(course),
        attendees=attendees)


@requires(Right.READ_PERSONAL_DATA)
def participant_list(session: Session, course_id: int, path: Path, *,
                     with_contacts: bool = False) -> Path:
    """Everyone enrolled in the course, with their results; contacts only if asked."""
    course = courses.get_course(session, course_id)
    rows = []
    for person in enrolments.course_roster(session, course_id):
        values: list[object] = [
            person.full_name, person.gender, countries.country_name(person.country),
            person.institution, person.status.replace("_", "-"), person.days_present,
            person.pre_test_score, person.post_test_score, person.feedback_score,
            person.certificate]
        if with_contacts:
            values += [person.email, person.phone]
        rows.append(values)
    return training_export.write_participant_list(
        path, title=f"{course.title}, {certificates.date_span(course.start_on, course.end_on)}",
        rows=rows, with_contacts=with_contacts)


@requires(Right.READ_PERSONAL_DATA)
def certificate_register(session: Session, path: Path, *, course_id: int | None = None) \
        -> Path:
    """The certificates issued (of one course, or all), by number; a voided one keeps its
    row and number, marked void with its reason."""
    rows = [(entry.number, entry.issued_on, entry.participant_name,
             countries.country_name(entry.country), entry.course_title, entry.course_dates,
             entry.hours, f"void: {entry.void_reason}" if entry.voided else "")
            for entry in certificates.register(session, course_id=course_id)]
    return training_export.write_certificate_register(path, rows)


@everyone
def report_workbook(session: Session, period: training_reports.Period, path: Path) -> Path:
    """The training reports of ``period`` as a workbook."""
    total = training_reports.totals(session, period)
    summary = [("Period", period.label()), ("People trained (enrolments)", total.participants),
               ("Completed", total.completed), ("Completion rate %", total.completion_pct),
               ("Women", total.women)]
    breakdowns = [Breakdown(name, [(entry.key, entry.participants, entry.completed,
                                    entry.completion_pct, entry.women)
                                   for entry in training_reports.participants_by(
                                       session, name, period)])
                  for name in training_reports.BREAKDOWNS]
    institutions = [(country, institution, count) for country, entries in
                    training_reports.institutions_by_country(session, period).items()
                    for institution, count in entries]
    return training_export.write_report_workbook(path, summary=summary, breakdowns=breakdowns,
                                                 institutions=institutions)
