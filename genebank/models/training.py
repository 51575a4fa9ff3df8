"""The training programme: programmes, their courses, the people trained, their enrolments,
attendance by day, and the certificates issued.

A participant is one person across every course. Erasing a person on request blanks the
personal fields and keeps the enrolments (with gender, country and institution), so that
course statistics stay right.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Audited, Base, Voidable

COURSE_STATUSES = ("planned", "open", "running", "completed", "cancelled")
GENDERS = ("female", "male", "other", "unstated")
ENROLMENT_STATUSES = ("nominated", "confirmed", "attended", "completed", "withdrawn",
                      "no_show")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Programme(Audited, Base):
    __tablename__ = "programme"
    __table_args__ = (CheckConstraint("min_attendance_pct BETWEEN 0 AND 100",
                                      name="attendance_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sponsor: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # attendance a participant needs for "completed" (and a certificate)
    min_attendance_pct: Mapped[float] = mapped_column(Float, default=80.0)
    certificate_prefix: Mapped[str] = mapped_column(String(20), default="GB")


class Course(Audited, Base):
    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("end_on >= start_on", name="dates_in_order"),
        CheckConstraint(f"status IN ({_in(COURSE_STATUSES)})", name="status"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        Index("ix_course_start_on", "start_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(200), default="")
    host_code: Mapped[str | None] = mapped_column(ForeignKey("institute.code"),
                                                  index=True)  # FAO WIEWS
    host_name: Mapped[str] = mapped_column(String(300), default="")
    venue_city: Mapped[str] = mapped_column(String(120), default="")
    venue_country: Mapped[str | None] = mapped_column(String(4))  # ISO 3166-1 alpha-3
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date] = mapped_column(Date)
    languages: Mapped[str] = mapped_column(String(100), default="")  # "en;ru"
    trainers: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[float | None] = mapped_column(Float)  # for the certificate
    status: Mapped[str] = mapped_column(String(16), default="planned")


class Participant(Audited, Base):
    __tablename__ = "participant"
    __table_args__ = (
        CheckConstraint(f"gender IN ({_in(GENDERS)})", name="gender"),
        Index("ix_participant_search_name", "search_name"),
        Index("ix_participant_email_key", "email_key"),
        Index("ix_participant_country", "country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))  # in Latin script
    original_name: Mapped[str] = mapped_column(String(200), default="")  # e.g. Arabic
    gender: Mapped[str] = mapped_column(String(10), default="unstated")
    country: Mapped[str | None] = mapped_column(String(4))  # ISO 3166-1 alpha-3
    institution: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    languages: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # kept by the services: lower-case, accents removed, for search and duplicate finding
    search_name: Mapped[str] = mapped_column(String(200), default="")
    email_key: Mapped[str] = mapped_column(String(254), default="")
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Enrolment(Audited, Base):
    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("course_id", "participant_id"),
        CheckConstraint(f"status IN ({_in(ENROLMENT_STATUSES)})", name="status"),
        CheckConstraint("feedback_score IS NULL OR feedback_score BETWEEN 1 AND 5",
                        name="feedback_range"),
        CheckConstraint("pre_test_score IS NULL OR pre_test_score BETWEEN 0 AND 100",
                        name="pre_test_range"),
        CheckConstraint("post_test_score IS NULL OR post_test_score BETWEEN 0 AND 100",
                        name="post_test_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="nominated")
    pre_test_score: Mapped[float | None] = mapped_column(Float)  # assessment, %
    post_test_score: Mapped[float | None] = mapped_column(Float)
    feedback_score: Mapped[float | None] = mapped_column(Float)  # 1 (poor) to 5 (excellent)


class Attendance(Audited, Base):
    """The participant was present on ``day`` (absence is no row)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("enrolment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id", ondelete="CASCADE"),
                                              index=True)
    day: Mapped[dt.date] = mapped_column(Date)


class Certificate(Voidable, Audited, Base):
    """A numbered certificate; its text is fixed at issue so a reprint is the same paper.

    A voided certificate keeps its number (never given again) and stays in the register,
    marked void; the enrolment may then have a new one (one certificate that counts per
    enrolment, from 0016)."""

    __tablename__ = "certificate"
    __table_args__ = (
        Index("uq_certificate_live_enrolment", "enrolment_id", unique=True,
              sqlite_where=text("voided_at IS NULL"),
              postgresql_where=text("voided_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    participant_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    course_dates: Mapped[str] = mapped_column(String(100))
    host: Mapped[str] = mapped_column(String(300))
    hours: Mapped[float] = mapped_column(Float)
