"""Certificates for completed enrolments: numbered once, kept in a register, reprinted
exactly as issued (their wording is stored at issue)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from genebank import countries, problems
from genebank.io.file_names import file_in
from genebank.models import Certificate, Course, Enrolment, Participant, Programme
from genebank.models.base import live
from genebank.progress import NoProgress, Progress, check
from genebank.reports.certificate_pdf import CertificateText, write_certificate
from genebank.services import text_match, voids
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused, check_past
from genebank.training import courses
from genebank.training.enrolments import get_enrolment
from genebank.users.actor import internal, requires
from genebank.users.roles import Right

problems.register({
    "certificate_needs_completed": "a certificate is for a completed course; this enrolment "
                                   "is '{status}'",
    "certificate_exists": "this enrolment has its certificate already; reprint it instead",
    "certificate_not_found": "certificate {certificate_id} no longer exists",
})


@requires(Right.CHANGE_TRAINING)
def issue(session: Session, enrolment_id: int, *, on: dt.date | None = None,
          today: dt.date | None = None) -> int:
    """Number and record the certificate of a completed enrolment; returns its id.

    ``on`` (default today) is a day that has come, after the course's last day: a
    certificate says the course was followed to its end, which is known only once the last
    day is over (the Standards' "certificates only after the course's last day")."""
    return _issue(session, enrolment_id, on=on, today=today)


def _issue(session: Session, enrolment_id: int, *, on: dt.date | None,
           today: dt.date | None, corrects_id: int | None = None) -> int:
    today = today or dt.date.today()
    on = on or today
    enrolment = get_enrolment(session, enrolment_id)
    _check_issue_date(courses.get_course(session, enrolment.course_id), on, today)
    if enrolment.status != "completed":
        raise Refused("certificate_needs_completed", status=enrolment.status)
    if session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment_id,
                                                   live(Certificate))):
        raise Refused("certificate_exists")
    course = courses.get_course(session, enrolment.course_id)
    programme = session.get(Programme, course.programme_id)
    person = session.get(Participant, enrolment.participant_id)
    assert programme is not None and person is not None
    prefix = f"{programme.certificate_prefix}-{on:%Y}-"
    number = f"{prefix}{last_sequence(session, prefix) + 1:05d}"
    certificate = Certificate(
        number=number, enrolment_id=enrolment_id, issued_on=on,
        participant_name=person.full_name, course_title=course.title,
        course_dates=date_span(course.start_on, course.end_on),
        host=courses.host_label(course), hours=courses.course_hours(course),
        corrects_id=corrects_id)
    session.add(certificate)
    session.flush()
    return certificate.id


@internal
def last_sequence(session: Session, prefix: str) -> int:
    """The highest n of the certificates numbered ``prefix`` + n (0 if none), the voided
    ones included: a voided certificate's number is never given again. Only numbers
    that are the prefix and digits count: prefix "A-2026-" must not take "A-2026-2026-00001"
    (prefix "A-2026" in 2026) as one of its own."""
    numbers = session.scalars(select(Certificate.number).where(
        Certificate.number.startswith(prefix, autoescape=True)))
    return max((int(rest) for rest in (n[len(prefix):] for n in numbers)
                if rest.isascii() and rest.isdigit()), default=0)


@requires(Right.CHANGE_TRAINING)
def issue_for_course(session: Session, course_id: int, *, on: dt.date | None = None,
                     today: dt.date | None = None) -> list[int]:
    """Certificates for every completed enrolment of the course that has none yet; refused
    with its reason, even when nobody is waiting, for a course that has not ended."""
    today = today or dt.date.today()
    on = on or today
    _check_issue_date(courses.get_course(session, course_id), on, today)
    waiting = session.scalars(
        select(Enrolment.id).where(Enrolment.course_id == course_id,
                                   Enrolment.status == "completed",
                                   ~select(Certificate.id).where(
                                       Certificate.enrolment_id == Enrolment.id,
                                       live(Certificate)).exists())
        .order_by(Enrolment.id)).all()
    return [issue(session, enrolment_id, on=on, today=today) for enrolment_id in waiting]


def _check_issue_date(course: Course, on: dt.date, today: dt.date) -> None:
    check_past(on, what="certificate_issue", today=today)
    if on <= course.end_on:
        raise Refused("certificate_before_end", course=course.title, end=course.end_on,
                      first=course.end_on + dt.timedelta(days=1), day=on)


def date_span(start: dt.date, end: dt.date) -> str:
    """'12–16 May 2026', '28 April – 2 May 2026', '30 December 2025 – 3 January 2026'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


@requires(Right.READ_PERSONAL_DATA)
def certificate_text(session: Session, certificate_id: int) -> CertificateText:
    row = session.execute(
        select(Certificate, Participant.original_name, Course.venue_city,
               Course.venue_country, Programme.name, Programme.sponsor)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .join(Course, Course.id == Enrolment.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .where(Certificate.id == certificate_id)).one_or_none()
    if row is None:
        raise NotFound(code="certificate_not_found", params={"certificate_id": certificate_id})
    voids.check_live(row[0], "certificate")
    certificate, original, city, country, programme, sponsor = row
    venue = ", ".join(p for p in (city, countries.country_name(country)) if p)
    return CertificateText(certificate.number, certificate.participant_name, original,
                           certificate.course_title, certificate.course_dates,
                           certificate.host, venue, certificate.hours, programme, sponsor,
                           f"{certificate.issued_on:%Y-%m-%d}")


@requires(Right.READ_PERSONAL_DATA)
def write_pdfs(session: Session, certificate_ids: list[int], folder: Path, *,
               progress: Progress | None = None) -> list[Path]:
    """One PDF per certificate in ``folder``, named by its number (a reprint is identical)."""
    progress = progress or NoProgress()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for done, certificate_id in enumerate(certificate_ids, start=1):
        check(progress)
        text = certificate_text(session, certificate_id)
        paths.append(write_certificate(text, file_in(folder, text.number, ".pdf")))
        progress.report(done, len(certificate_ids), f"Wrote {done} of {len(certificate_ids)}")
    return paths


@dataclass(frozen=True, slots=True)
class RegisterRow:
    id: int
    number: str
    issued_on: dt.date
    participant_name: str
    country: str
    course_title: str
    course_dates: str
    hours: float
    voided: bool = False  # kept in the register, its number never given again
    void_reason: str = ""
    version: int = 1


@requires(Right.READ_PERSONAL_DATA)
def register(session: Session, *, course_id: int | None = None, text: str = "",
             limit: int | None = None) -> list[RegisterRow]:
    """The certificate register, by number; ``text`` finds a number or a name in it. A
    voided certificate stays in it, marked void with its reason."""
    query = (select(Certificate.id, Certificate.number, Certificate.issued_on,
                    Certificate.participant_name, Participant.country,
                    Certificate.course_title, Certificate.course_dates, Certificate.hours,
                    Certificate.voided_at.is_not(None), Certificate.void_reason,
                    Certificate.version)
             .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
             .join(Participant, Participant.id == Enrolment.participant_id)
             .order_by(Certificate.number))
    if course_id is not None:
        query = query.where(Enrolment.course_id == course_id)
    if text.strip():
        query = query.where(or_(text_match.contains(session, Certificate.number, text.strip()),
                                text_match.contains(session, Certificate.participant_name,
                                                    text.strip())))
    if limit is not None:
        query = query.limit(limit)
    return [RegisterRow(*row[:4], row[4] or "", *row[5:]) for row in session.execute(query)]


def _certificate(session: Session, certificate_id: int, expected_version: int | None) \
        -> Certificate:
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(code="certificate_not_found", params={"certificate_id": certificate_id})
    voids.check_voidable(certificate, "certificate", expected_version)
    return certificate


@requires(Right.CHANGE_TRAINING)
def void_certificate(session: Session, certificate_id: int, *, reason: str,
                     expected_version: int | None = None) -> None:
    """Void a certificate issued by mistake: it stays in the register, marked void, and its
    number is never given again; the enrolment may be given a new one."""
    reason = voids.checked_reason(reason)
    certificate = _certificate(session, certificate_id, expected_version)
    with voids.correction(session, reason):
        voids.mark_void(session, certificate, reason)
        session.flush()


@requires(Right.CHANGE_TRAINING)
def correct_certificate(session: Session, certificate_id: int, *, reason: str,
                        on: dt.date | None = None, expected_version: int | None = None,
                        today: dt.date | None = None) -> int:
    """Replace a certificate (a name or a course corrected since it was issued): it is
    voided and a new one, with the next number and today's wording, is issued on ``on``
    (default today); returns the new one's id."""
    reason = voids.checked_reason(reason)
    certificate = _certificate(session, certificate_id, expected_version)
    with voids.correction(session, reason):
        voids.mark_void(session, certificate, reason)
        session.flush()
        return _issue(session, certificate.enrolment_id, on=on, today=today,
                      corrects_id=certificate.id)
