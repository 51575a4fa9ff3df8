"""Programmes and their courses: what trainers plan, run and report on."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from genebank import countries, country_search, problems
from genebank.mcpd import InvalidValue
from genebank.mcpd.code_values import parse_instcode
from genebank.models import Attendance, Course, Enrolment, Institute, Programme
from genebank.models.training import COURSE_STATUSES
from genebank.passport.accessions import ensure_institute
from genebank.services import text_match
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "programme_name_missing": "a programme needs a name",
    "programme_exists": "a programme named '{name}' exists already",
    "attendance_pct_out_of_range": "the attendance needed for completion is a percentage "
                                   "(0 to 100)",
    "programme_not_found": "programme {programme_id} no longer exists",
    "unknown_course_fields": "unknown course field(s): {fields}",
    "course_not_found": "course {course_id} no longer exists",
    "course_title_missing": "a course needs a title",
    "course_dates_missing": "a course needs its start and end dates",
    "course_ends_before_start": "the course ends ({end}) before it starts ({start})",
    "not_a_course_status": "'{status}' is not a course status ({choices:keys})",
    "venue_country_invalid": "venue country: {reason}",
    "course_capacity_too_small": "the capacity must be at least 1 participant",
    "course_hours_not_positive": "the course hours must be more than 0",
    "host_code_invalid": "host institute code: {reason}",
    "attendance_outside_course": "{participants} participants have attendance outside "
                                 "{start} to {end}; correct it first",
})

PREFIX_LENGTH = 20  # Programme.certificate_prefix
# Letters and digits of any script, single dashes between them: a prefix starts certificate
# numbers, which name the certificates' PDF files, so it never holds a separator or a dot.
PREFIX = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
COURSE_FIELDS = ("title", "topic", "host_code", "host_name", "venue_city", "venue_country",
                 "start_on", "end_on", "languages", "trainers", "capacity", "hours", "status")


@requires(Right.CHANGE_TRAINING)
def add_programme(session: Session, *, name: str, sponsor: str = "", description: str = "",
                  min_attendance_pct: float = 80.0, certificate_prefix: str = "GB") -> int:
    name = name.strip()
    if not name:
        raise Refused("programme_name_missing")
    if session.scalar(select(Programme.id).where(Programme.name == name)) is not None:
        raise Refused("programme_exists", name=name)
    if not 0 <= min_attendance_pct <= 100:
        raise Refused("attendance_pct_out_of_range")
    prefix = checked_prefix(certificate_prefix.strip() or "GB")
    programme = Programme(name=name, sponsor=sponsor.strip(), description=description,
                          min_attendance_pct=min_attendance_pct, certificate_prefix=prefix)
    session.add(programme)
    session.flush()
    return programme.id


@requires(Right.CHANGE_TRAINING)
def save_programme(session: Session, programme_id: int, *, name: str, sponsor: str,
                   description: str, min_attendance_pct: float,
                   certificate_prefix: str) -> None:
    """Change a programme: its name, sponsor, the attendance that completion needs, and the
    prefix of its certificate numbers (certificates issued keep their numbers)."""
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(code="programme_not_found", params={"programme_id": programme_id})
    name = name.strip()
    if not name:
        raise Refused("programme_name_missing")
    if session.scalar(select(Programme.id).where(Programme.name == name,
                                                 Programme.id != programme_id)) is not None:
        raise Refused("programme_exists", name=name)
    if not 0 <= min_attendance_pct <= 100:
        raise Refused("attendance_pct_out_of_range")
    prefix = checked_prefix(certificate_prefix.strip())
    programme.name, programme.sponsor, programme.description = name, sponsor.strip(), description
    programme.min_attendance_pct, programme.certificate_prefix = min_attendance_pct, prefix
    session.flush()


def checked_prefix(prefix: str) -> str:
    """``prefix`` if it may start certificate numbers (and so PDF file names), else
    :class:`Refused` ``certificate_prefix_invalid``."""
    if len(prefix) > PREFIX_LENGTH or not PREFIX.fullmatch(prefix):
        raise Refused("certificate_prefix_invalid", prefix=prefix, limit=PREFIX_LENGTH)
    return prefix


@dataclass(frozen=True, slots=True)
class ProgrammeDetails:
    """A programme as a form shows it (plain values, usable after the session closed)."""
    id: int
    name: str
    sponsor: str
    description: str
    min_attendance_pct: float
    certificate_prefix: str


@everyone
def get_programme(session: Session, programme_id: int) -> ProgrammeDetails:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(code="programme_not_found", params={"programme_id": programme_id})
    return ProgrammeDetails(programme.id, programme.name, programme.sponsor,
                            programme.description, programme.min_attendance_pct,
                            programme.certificate_prefix)


@everyone
def programmes(session: Session) -> list[tuple[int, str]]:
    return list(session.execute(select(Programme.id, Programme.name).order_by(Programme.name)))


@requires(Right.CHANGE_TRAINING)
def save_course(session: Session, *, programme_id: int, course_id: int | None = None,
                **values: object) -> int:
    """Create (``course_id`` None) or change a course; every rule checked, nothing half-saved."""
    unknown = set(values) - set(COURSE_FIELDS)
    if unknown:
        raise Refused("unknown_course_fields", fields=", ".join(sorted(unknown)))
    if session.get(Programme, programme_id) is None:
        raise NotFound(code="programme_not_found", params={"programme_id": programme_id})
    course = Course(programme_id=programme_id) if course_id is None \
        else session.get(Course, course_id)
    if course is None:
        raise NotFound(code="course_not_found", params={"course_id": course_id})
    merged = {name: getattr(course, name) for name in COURSE_FIELDS} | values
    _check_course(session, merged, course_id)
    for name, value in merged.items():
        setattr(course, name, value.strip() if isinstance(value, str) else value)
    course.programme_id = programme_id
    course.status = course.status or "planned"
    if course_id is None:
        session.add(course)
    session.flush()
    return course.id


def _check_course(session: Session, values: dict[str, object], course_id: int | None) -> None:
    title = str(values.get("title") or "").strip()
    if not title:
        raise Refused("course_title_missing")
    start, end = values.get("start_on"), values.get("end_on")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise Refused("course_dates_missing")
    if end < start:
        raise Refused("course_ends_before_start", start=start, end=end)
    status = values.get("status") or "planned"
    if status not in COURSE_STATUSES:
        raise Refused("not_a_course_status", status=status, choices=COURSE_STATUSES)
    country = values.get("venue_country")
    if country:
        found = country_search.resolve(str(country), country_search.Scope.CURRENT)
        if found.country is None:
            raise Refused("venue_country_invalid", **problems.because(found.refusal()))
        values["venue_country"] = found.country.code
    capacity = values.get("capacity")
    if capacity is not None and int(capacity) <= 0:  # type: ignore[call-overload]
        raise Refused("course_capacity_too_small")
    hours = values.get("hours")
    if hours is not None and float(hours) <= 0:  # type: ignore[arg-type]
        raise Refused("course_hours_not_positive")
    code = values.get("host_code")
    if code:
        try:
            values["host_code"] = code = parse_instcode(str(code))
        except InvalidValue as problem:
            raise Refused("host_code_invalid", **problems.because(problem)) from None
        _enter_in_directory(session, code, str(values.get("host_name") or ""))
    if course_id is not None:
        outside = session.scalar(
            select(func.count(func.distinct(Attendance.enrolment_id)))
            .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
            .where(Enrolment.course_id == course_id,
                   or_(Attendance.day < start, Attendance.day > end)))
        if outside:
            raise Refused("attendance_outside_course", participants=outside, start=start,
                          end=end)


def _enter_in_directory(session: Session, code: str, name: str) -> None:
    """A host's WIEWS code joins the institutes directory (with its name) if new there."""
    ensure_institute(session, code)
    institute = session.scalars(select(Institute).where(Institute.code == code)).one()
    if not institute.name and name.strip():
        institute.name = name.strip()


@internal
def get_course(session: Session, course_id: int) -> Course:
    """The course itself, for services that check or change it in their own transaction;
    the GUI reads :func:`course_details`."""
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound(code="course_not_found", params={"course_id": course_id})
    return course


@dataclass(frozen=True, slots=True)
class CourseDetails:
    """A course as the GUI shows it (plain values, usable after the session closed)."""
    id: int
    programme_id: int
    title: str
    topic: str
    host_code: str | None
    host_name: str
    venue_city: str
    venue_country: str | None
    start_on: dt.date
    end_on: dt.date
    languages: str
    trainers: str
    capacity: int | None
    hours: float | None
    status: str


@everyone
def course_details(session: Session, course_id: int) -> CourseDetails:
    course = get_course(session, course_id)
    return CourseDetails(course.id, course.programme_id,
                         *(getattr(course, name) for name in COURSE_FIELDS))


def course_days(course: Course | CourseDetails) -> list[dt.date]:
    """Every calendar day of the course (attendance is taken per day)."""
    return [course.start_on + dt.timedelta(days=n)
            for n in range((course.end_on - course.start_on).days + 1)]


def course_hours(course: Course | CourseDetails) -> float:
    """The hours a certificate states: the course's own, else six a day."""
    return course.hours if course.hours else 6.0 * len(course_days(course))


def host_label(course: Course | CourseDetails) -> str:
    return " ".join(part for part in (course.host_name, f"({course.host_code})"
                                      if course.host_code else "") if part)


@dataclass(frozen=True, slots=True)
class CourseRow:
    id: int
    title: str
    programme: str
    start_on: dt.date
    end_on: dt.date
    venue: str
    host: str
    status: str
    enrolled: int
    capacity: int | None


@everyone
def find_courses(session: Session, *, text: str = "", limit: int = 500) -> list[CourseRow]:
    """Courses, newest first, whose title, topic, venue or host starts with or holds ``text``."""
    enrolled = (select(func.count()).select_from(Enrolment)
                .where(Enrolment.course_id == Course.id,
                       Enrolment.status.not_in(("withdrawn", "no_show")))
                .scalar_subquery())
    query = (select(Course.id, Course.title, Programme.name, Course.start_on, Course.end_on,
                    Course.venue_city, Course.venue_country, Course.host_name,
                    Course.host_code, Course.status, enrolled, Course.capacity)
             .join(Programme, Programme.id == Course.programme_id)
             .order_by(Course.start_on.desc(), Course.id.desc()).limit(limit))
    term = " ".join(text.split())
    if term:
        query = query.where(or_(*(text_match.contains(session, column, term) for column in (
            Course.title, Course.topic, Course.venue_city, Course.host_name, Programme.name))))
    return [CourseRow(i, title, programme, start, end,
                      ", ".join(p for p in (city, countries.country_name(country)) if p),
                      " ".join(p for p in (host, f"({code})" if code else "") if p),
                      status, count, capacity)
            for i, title, programme, start, end, city, country, host, code, status, count,
            capacity in session.execute(query)]
