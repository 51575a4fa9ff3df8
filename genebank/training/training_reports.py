"""What the programme reports to its sponsor: people trained per course, country, gender and
institution over a period, completion rates, and the institutions trained per country.

A person trained is an enrolment that was not withdrawn or a no-show, in a course that was
not cancelled and started within the period. Erased people still count (their enrolments
keep gender, country and institution).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from genebank import countries
from genebank.models import Course, Enrolment, Participant
from genebank.users.actor import everyone

TRAINED = ("nominated", "confirmed", "attended", "completed")
BREAKDOWNS = ("course", "country", "gender", "institution")


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def label(self) -> str:
        if self.start is None and self.end is None:
            return "all courses"
        return f"courses starting {self.start or '…'} to {self.end or '…'}"


@dataclass(frozen=True, slots=True)
class ReportRow:
    key: str  # the course title, country name, gender or institution
    participants: int  # enrolments counted (see the module docstring)
    completed: int
    women: int

    @property
    def completion_pct(self) -> float:
        return round(100 * self.completed / self.participants, 1) if self.participants else 0.0


@everyone
def participants_by(session: Session, breakdown: str, period: Period = Period()) \
        -> list[ReportRow]:
    """Enrolments per course, country, gender or institution, largest first."""
    if breakdown not in BREAKDOWNS:
        raise ValueError(f"no breakdown '{breakdown}' ({', '.join(BREAKDOWNS)})")
    key = {"course": Course.title, "country": Participant.country,
           "gender": Participant.gender, "institution": Participant.institution}[breakdown]
    group = (Course.id, Course.title) if breakdown == "course" else (key,)
    query = _enrolments(period).with_only_columns(
        key, func.count(), func.sum(case((Enrolment.status == "completed", 1), else_=0)),
        func.sum(case((Participant.gender == "female", 1), else_=0)),
    ).group_by(*group).order_by(func.count().desc(), key)
    rows = []
    for value, count, completed, women in session.execute(query):
        label = (countries.country_name(value) or "(country not given)"
                 if breakdown == "country" else value or "(not given)")
        rows.append(ReportRow(label, count, completed or 0, women or 0))
    return rows


@everyone
def totals(session: Session, period: Period = Period()) -> ReportRow:
    count, completed, women = session.execute(_enrolments(period).with_only_columns(
        func.count(), func.sum(case((Enrolment.status == "completed", 1), else_=0)),
        func.sum(case((Participant.gender == "female", 1), else_=0)))).one()
    return ReportRow(period.label(), count, completed or 0, women or 0)


@everyone
def institutions_by_country(session: Session, period: Period = Period()) \
        -> dict[str, list[tuple[str, int]]]:
    """Country name -> [(institution, people trained)], countries and institutions by name."""
    query = (_enrolments(period).with_only_columns(
        Participant.country, Participant.institution, func.count())
        .where(Participant.institution != "")
        .group_by(Participant.country, Participant.institution))
    result: dict[str, list[tuple[str, int]]] = {}
    for country, institution, count in session.execute(query):
        name = countries.country_name(country) or "(country not given)"
        result.setdefault(name, []).append((institution, count))
    return {name: sorted(result[name]) for name in sorted(result)}


def _enrolments(period: Period) -> Select:
    query = (select(Enrolment.id).join(Course, Course.id == Enrolment.course_id)
             .join(Participant, Participant.id == Enrolment.participant_id)
             .where(Enrolment.status.in_(TRAINED), Course.status != "cancelled"))
    if period.start is not None:
        query = query.where(Course.start_on >= period.start)
    if period.end is not None:
        query = query.where(Course.start_on <= period.end)
    return query
