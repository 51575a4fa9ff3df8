"""A participant in a course: enrolment, attendance day by day, scores and status.

"Completed" needs the programme's share of the course days attended (80 % unless the
programme says otherwise); it is what a certificate is issued for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from genebank import problems
from genebank.models import Attendance, Certificate, Course, Enrolment, Participant, Programme
from genebank.models.base import live
from genebank.models.training import ENROLMENT_STATUSES
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused, check_past
from genebank.training import courses
from genebank.users.actor import everyone, internal, requires
from genebank.users.roles import Right

problems.register({
    "participant_not_found": "participant {participant_id} no longer exists",
    "participant_erased_not_enrolled": "this person was erased on request and cannot be "
                                       "enrolled",
    "new_enrolment_status": "a new enrolment is nominated or confirmed",
    "course_cancelled": "'{course}' was cancelled",
    "already_enrolled": "{person} is already enrolled in '{course}'",
    "course_full": "'{course}' is full ({capacity} places)",
    "enrolment_not_found": "enrolment {enrolment_id} no longer exists",
    "not_a_course_day": "{day} is not a day of '{course}' ({start} to {end})",
    "not_an_enrolment_status": "'{status}' is not an enrolment status ({choices:keys})",
    "certificate_keeps_status": "a certificate was issued for this enrolment; its status "
                                "stays 'completed'",
    "attendance_too_low": "completed needs {needed:g} % of the {days} course days attended; "
                          "{present} recorded",
    "pre_test_score_out_of_range": "a pre-course assessment score of {value:g} is outside "
                                   "{low}–{high}",
    "post_test_score_out_of_range": "a post-course assessment score of {value:g} is outside "
                                    "{low}–{high}",
    "feedback_score_out_of_range": "a feedback score of {value:g} is outside {low}–{high}",
    "certificate_keeps_enrolment": "a certificate was issued for this enrolment; it stays",
})

ACTIVE = ("nominated", "confirmed", "attended", "completed")  # counted against capacity


@requires(Right.CHANGE_TRAINING)
def enrol(session: Session, *, course_id: int, participant_id: int,
          status: str = "nominated") -> int:
    course = courses.get_course(session, course_id)
    person = session.get(Participant, participant_id)
    if person is None:
        raise NotFound(code="participant_not_found", params={"participant_id": participant_id})
    if person.erased_at is not None:
        raise Refused("participant_erased_not_enrolled")
    if status not in ("nominated", "confirmed"):
        raise Refused("new_enrolment_status")
    if course.status == "cancelled":
        raise Refused("course_cancelled", course=course.title)
    if session.scalar(select(Enrolment.id).where(Enrolment.course_id == course_id,
                                                 Enrolment.participant_id == participant_id)):
        raise Refused("already_enrolled", person=person.full_name, course=course.title)
    if course.capacity is not None:
        taken = session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))) or 0
        if taken >= course.capacity:
            raise Refused("course_full", course=course.title, capacity=course.capacity)
    enrolment = Enrolment(course_id=course_id, participant_id=participant_id, status=status)
    session.add(enrolment)
    session.flush()
    return enrolment.id


@internal
def get_enrolment(session: Session, enrolment_id: int) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(code="enrolment_not_found", params={"enrolment_id": enrolment_id})
    return enrolment


@requires(Right.CHANGE_TRAINING)
def set_attendance(session: Session, enrolment_id: int, day: dt.date, present: bool, *,
                   today: dt.date | None = None) -> None:
    """Mark a course day present (a day that has come) or absent (any day)."""
    if present:
        check_past(day, what="attendance", today=today)
    enrolment = get_enrolment(session, enrolment_id)
    course = courses.get_course(session, enrolment.course_id)
    if not course.start_on <= day <= course.end_on:
        raise Refused("not_a_course_day", day=day, course=course.title,
                      start=course.start_on, end=course.end_on)
    there = session.scalar(select(Attendance).where(Attendance.enrolment_id == enrolment_id,
                                                    Attendance.day == day))
    if present and there is None:
        session.add(Attendance(enrolment_id=enrolment_id, day=day))
    elif not present and there is not None:
        session.delete(there)
    session.flush()


@everyone
def attendance(session: Session, course_id: int) -> dict[int, set[dt.date]]:
    """Enrolment id -> the days present."""
    days: dict[int, set[dt.date]] = {}
    for enrolment_id, day in session.execute(
            select(Attendance.enrolment_id, Attendance.day)
            .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
            .where(Enrolment.course_id == course_id)):
        days.setdefault(enrolment_id, set()).add(day)
    return days


@requires(Right.CHANGE_TRAINING)
def set_status(session: Session, enrolment_id: int, status: str) -> None:
    enrolment = get_enrolment(session, enrolment_id)
    if status not in ENROLMENT_STATUSES:
        raise Refused("not_an_enrolment_status", status=status,
                      choices=ENROLMENT_STATUSES)
    if enrolment.status == status:
        return
    if session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment_id,
                                                   live(Certificate))):
        raise Refused("certificate_keeps_status")
    if status == "completed":
        course = courses.get_course(session, enrolment.course_id)
        programme = session.get(Programme, course.programme_id)
        needed = programme.min_attendance_pct if programme else 80.0
        days = len(courses.course_days(course))
        present = session.scalar(select(func.count()).select_from(Attendance)
                                 .where(Attendance.enrolment_id == enrolment_id)) or 0
        if present * 100 < needed * days:
            raise Refused("attendance_too_low", needed=needed, days=days, present=present)
    enrolment.status = status
    session.flush()


@requires(Right.CHANGE_TRAINING)
def set_scores(session: Session, enrolment_id: int, *, pre_test: float | None = None,
               post_test: float | None = None, feedback: float | None = None) -> None:
    enrolment = get_enrolment(session, enrolment_id)
    for code, value, low, high in (("pre_test_score_out_of_range", pre_test, 0, 100),
                                   ("post_test_score_out_of_range", post_test, 0, 100),
                                   ("feedback_score_out_of_range", feedback, 1, 5)):
        if value is not None and not low <= value <= high:
            raise Refused(code, value=value, low=low, high=high)
    enrolment.pre_test_score, enrolment.post_test_score = pre_test, post_test
    enrolment.feedback_score = feedback
    session.flush()


@requires(Right.CHANGE_TRAINING)
def withdraw_enrolment(session: Session, enrolment_id: int) -> None:
    """Remove an enrolment made by mistake (one with attendance or a certificate stays)."""
    enrolment = get_enrolment(session, enrolment_id)
    if session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment_id,
                                                   live(Certificate))):
        raise Refused("certificate_keeps_enrolment")
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


@requires(Right.READ_PERSONAL_DATA)
def course_roster(session: Session, course_id: int) -> list[EnrolmentRow]:
    """The course's participants, by name, with their attendance count and certificate."""
    present = (select(func.count()).select_from(Attendance)
               .where(Attendance.enrolment_id == Enrolment.id).scalar_subquery())
    certificate = (select(Certificate.number).where(Certificate.enrolment_id == Enrolment.id,
                                                    live(Certificate))
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


@requires(Right.READ_PERSONAL_DATA)
def enrolments_of(session: Session, participant_id: int) -> list[tuple[int, str, dt.date, str]]:
    """The person's courses: (course id, title, start, status), newest first."""
    return list(session.execute(
        select(Course.id, Course.title, Course.start_on, Enrolment.status)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.participant_id == participant_id)
        .order_by(Course.start_on.desc())))
