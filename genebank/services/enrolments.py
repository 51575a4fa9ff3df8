"""A participant in a course: enrolment, attendance day by day, scores and status.

"Completed" needs the programme's share of the course days attended (80 % unless the
programme says otherwise); it is what a certificate is issued for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from genebank.models import Attendance, Certificate, Course, Enrolment, Participant, Programme
from genebank.models.training import ENROLMENT_STATUSES
from genebank.services import courses
from genebank.services.errors import NotFound, ServiceError
from genebank.services.refusals import check_past

ACTIVE = ("nominated", "confirmed", "attended", "completed")  # counted against capacity


def enrol(session: Session, *, course_id: int, participant_id: int,
          status: str = "nominated") -> int:
    course = courses.get_course(session, course_id)
    person = session.get(Participant, participant_id)
    if person is None:
        raise NotFound(f"participant {participant_id} no longer exists")
    if person.erased_at is not None:
        raise ServiceError("this person was erased on request and cannot be enrolled")
    if status not in ("nominated", "confirmed"):
        raise ServiceError("a new enrolment is nominated or confirmed")
    if course.status == "cancelled":
        raise ServiceError(f"'{course.title}' was cancelled")
    if session.scalar(select(Enrolment.id).where(Enrolment.course_id == course_id,
                                                 Enrolment.participant_id == participant_id)):
        raise ServiceError(f"{person.full_name} is already enrolled in '{course.title}'")
    if course.capacity is not None:
        taken = session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))) or 0
        if taken >= course.capacity:
            raise ServiceError(f"'{course.title}' is full ({course.capacity} places)")
    enrolment = Enrolment(course_id=course_id, participant_id=participant_id, status=status)
    session.add(enrolment)
    session.flush()
    return enrolment.id


def get_enrolment(session: Session, enrolment_id: int) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(f"enrolment {enrolment_id} no longer exists")
    return enrolment


def set_attendance(session: Session, enrolment_id: int, day: dt.date, present: bool, *,
                   today: dt.date | None = None) -> None:
    """Mark a course day present (a day that has come) or absent (any day)."""
    if present:
        check_past(day, what="attendance", today=today)
    enrolment = get_enrolment(session, enrolment_id)
    course = courses.get_course(session, enrolment.course_id)
    if not course.start_on <= day <= course.end_on:
        raise ServiceError(f"{day:%Y-%m-%d} is not a day of '{course.title}' "
                           f"({course.start_on:%Y-%m-%d} to {course.end_on:%Y-%m-%d})")
    there = session.scalar(select(Attendance).where(Attendance.enrolment_id == enrolment_id,
                                                    Attendance.day == day))
    if present and there is None:
        session.add(Attendance(enrolment_id=enrolment_id, day=day))
    elif not present and there is not None:
        session.delete(there)
    session.flush()


def attendance(session: Session, course_id: int) -> dict[int, set[dt.date]]:
    """Enrolment id -> the days present."""
    days: dict[int, set[dt.date]] = {}
    for enrolment_id, day in session.execute(
            select(Attendance.enrolment_id, Attendance.day)
            .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
            .where(Enrolment.course_id == course_id)):
        days.setdefault(enrolment_id, set()).add(day)
    return days


def set_status(session: Session, enrolment_id: int, status: str) -> None:
    enrolment = get_enrolment(session, enrolment_id)
    if status not in ENROLMENT_STATUSES:
        raise ServiceError(f"'{status}' is not an enrolment status "
                           f"({', '.join(ENROLMENT_STATUSES)})")
    if enrolment.status == status:
        return
    if session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment_id)):
        raise ServiceError("a certificate was issued for this enrolment; its status stays "
                           "'completed'")
    if status == "completed":
        course = courses.get_course(session, enrolment.course_id)
        programme = session.get(Programme, course.programme_id)
        needed = programme.min_attendance_pct if programme else 80.0
        days = len(courses.course_days(course))
        present = session.scalar(select(func.count()).select_from(Attendance)
                                 .where(Attendance.enrolment_id == enrolment_id)) or 0
        if present * 100 < needed * days:
            raise ServiceError(f"completed needs {needed:g} % of the {days} course days "
                               f"attended; {present} recorded")
    enrolment.status = status
    session.flush()


def set_scores(session: Session, enrolment_id: int, *, pre_test: float | None = None,
               post_test: float | None = None, feedback: float | None = None) -> None:
    enrolment = get_enrolment(session, enrolment_id)
    for label, value, low, high in (("pre-course assessment", pre_test, 0, 100),
                                    ("post-course assessment", post_test, 0, 100),
                                    ("feedback", feedback, 1, 5)):
        if value is not None and not low <= value <= high:
            raise ServiceError(f"a {label} score of {value:g} is outside {low}–{high}")
    enrolment.pre_test_score, enrolment.post_test_score = pre_test, post_test
    enrolment.feedback_score = feedback
    session.flush()


def withdraw_enrolment(session: Session, enrolment_id: int) -> None:
    """Remove an enrolment made by mistake (one with attendance or a certificate stays)."""
    enrolment = get_enrolment(session, enrolment_id)
    if session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment_id)):
        raise ServiceError("a certificate was issued for this enrolment; it stays")
    session.execute(delete(Attendance).where(Attendance.enrolment_id == enrolment_id))
    session.delete(enrolment)
    session.flush()


@dataclass(frozen=True, slots=True)
class EnrolmentRow:
    id: int
    participant_id: int
    full_name: str
    gender: str
    country: str
    institution: str
    email: str
    phone: str
    status: str
    days_present: int
    pre_test_score: float | None
    post_test_score: float | None
    feedback_score: float | None
    certificate: str


def course_roster(session: Session, course_id: int) -> list[EnrolmentRow]:
    """The course's participants, by name, with their attendance count and certificate."""
    present = (select(func.count()).select_from(Attendance)
               .where(Attendance.enrolment_id == Enrolment.id).scalar_subquery())
    certificate = (select(Certificate.number).where(Certificate.enrolment_id == Enrolment.id)
                   .scalar_subquery())
    query = (select(Enrolment.id, Participant.id, Participant.full_name, Participant.gender,
                    Participant.country, Participant.institution, Participant.email,
                    Participant.phone, Enrolment.status, present, Enrolment.pre_test_score,
                    Enrolment.post_test_score, Enrolment.feedback_score, certificate)
             .join(Participant, Participant.id == Enrolment.participant_id)
             .where(Enrolment.course_id == course_id)
             .order_by(Participant.search_name, Participant.id))
    return [EnrolmentRow(*row[:4], row[4] or "", *row[5:13], row[13] or "")
            for row in session.execute(query)]


def enrolments_of(session: Session, participant_id: int) -> list[tuple[int, str, dt.date, str]]:
    """The person's courses: (course id, title, start, status), newest first."""
    return list(session.execute(
        select(Course.id, Course.title, Course.start_on, Enrolment.status)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.participant_id == participant_id)
        .order_by(Course.start_on.desc())))
