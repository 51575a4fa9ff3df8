"""The training programme through its services (SQLite and PostgreSQL): courses,
participants, enrolments and attendance, certificates, duplicates, erasure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import func, select

from genebank import db
from genebank.models import Attendance, Certificate, Enrolment, Participant
from genebank.services.errors import ServiceError
from genebank.training import certificates, courses, enrolments, participants

START = dt.date(2026, 5, 11)


def a_course(session, *, programme: int | None = None, **values: object) -> int:  # type: ignore[no-untyped-def]
    existing = courses.programmes(session)
    programme = programme or (existing[0][0] if existing else courses.add_programme(
        session, name="Development of National Gene Banks",
        sponsor="Islamic Organization for Food Security"))
    fields: dict[str, object] = {"title": "Gene Bank Management", "start_on": START,
                                 "end_on": START + dt.timedelta(days=4),
                                 "venue_city": "Almaty", "venue_country": "KAZ",
                                 "host_name": "Kazakh gene bank"}
    fields.update(values)
    return courses.save_course(session, programme_id=programme, **fields)


def a_person(session, name: str = "Aigerim Nurlanova", **values: object) -> int:  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {"full_name": name, "gender": "female", "country": "KAZ",
                                 "institution": "Kazakh gene bank"}
    fields.update(values)
    return participants.save_participant(session, **fields)


def test_course_and_participant_rules_refuse_bad_input(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        with pytest.raises(ServiceError, match=r"ends \(2026-05-10\) before it starts"):
            a_course(session, end_on=dt.date(2026, 5, 10))
        with pytest.raises(ServiceError, match="'XYZ' is not an ISO 3166"):
            a_course(session, title="Other", venue_country="XYZ")
        with pytest.raises(ServiceError, match="e-mail: 'aigerim@' is not a valid address"):
            a_person(session, email="aigerim@")
        with pytest.raises(ServiceError, match="needs a name"):
            a_person(session, name="  ")
        person = a_person(session, email=" Aigerim.N@Example.org ", country="kaz")
        saved = participants.get_participant(session, person)
        assert (saved.email, saved.email_key, saved.country) == (
            "Aigerim.N@example.org", "aigerim.n@example.org", "KAZ")


def test_enrolment_attendance_completion_and_certificate(database: db.Database,
                                                         tmp_path: Path) -> None:
    with database.session_factory.begin() as session:
        course = a_course(session, capacity=2, hours=32)
        first = a_person(session, original_name="Айгерим Нурланова")
        second = a_person(session, "Moussa Diallo", gender="male", country="SEN")
        third = a_person(session, "Fatima Haddad", country="LBN", original_name="فاطمة حداد")
        enrolment = enrolments.enrol(session, course_id=course, participant_id=first)
        enrolments.enrol(session, course_id=course, participant_id=second)
        with pytest.raises(ServiceError, match="already enrolled"):
            enrolments.enrol(session, course_id=course, participant_id=first)
        with pytest.raises(ServiceError, match=r"is full \(2 places\)"):
            enrolments.enrol(session, course_id=course, participant_id=third)
        with pytest.raises(ServiceError, match="2026-05-17 is not a day of"):
            enrolments.set_attendance(session, enrolment, dt.date(2026, 5, 17), True)
        for day in range(3):
            enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day), True)
        with pytest.raises(ServiceError, match=r"needs 80 % of the 5 course days attended; "
                                               r"3 recorded"):
            enrolments.set_status(session, enrolment, "completed")
        with pytest.raises(ServiceError, match="a certificate is for a completed course"):
            certificates.issue(session, enrolment)
        enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=3), True)
        enrolments.set_status(session, enrolment, "completed")  # 4 of 5 days: 80 %
        first_certificate = certificates.issue(session, enrolment,
                                               on=dt.date(2026, 5, 16))
        with pytest.raises(ServiceError, match="has its certificate already"):
            certificates.issue(session, enrolment)
        with pytest.raises(ServiceError, match="stays 'completed'"):
            enrolments.set_status(session, enrolment, "withdrawn")
    with database.session_factory() as session:
        register = certificates.register(session)
        assert [(r.number, r.participant_name, r.course_dates, r.hours) for r in register] \
            == [("GB-2026-00001", "Aigerim Nurlanova", "11–15 May 2026", 32.0)]
        (path,) = certificates.write_pdfs(session, [first_certificate], tmp_path)
    assert path.name == "GB-2026-00001.pdf"
    pdf = pypdf.PdfReader(path)
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for words in ("Aigerim Nurlanova", "Айгерим Нурланова", "Gene Bank Management",
                  "11–15 May 2026", "Kazakh gene bank", "32 hours", "GB-2026-00001"):
        assert words in text


def test_certificate_numbers_are_unique_and_follow_on(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        course = a_course(session)
        for number in range(3):
            person = a_person(session, f"Person {number}")
            enrolment = enrolments.enrol(session, course_id=course, participant_id=person)
            for day in range(5):
                enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day),
                                          True)
            enrolments.set_status(session, enrolment, "completed")
        issued = certificates.issue_for_course(session, course, on=dt.date(2026, 5, 16))
        assert certificates.issue_for_course(session, course) == []  # none twice
    with database.session_factory() as session:
        numbers = [r.number for r in certificates.register(session, course_id=course)]
    assert len(issued) == 3
    assert numbers == ["GB-2026-00001", "GB-2026-00002", "GB-2026-00003"]
    with database.session_factory() as session:
        assert [r.participant_name for r in certificates.register(session, text="person 1")] \
            == ["Person 1"]
        assert [r.number for r in certificates.register(session, text="00003")] == [
            "GB-2026-00003"]


def test_merging_two_records_of_one_person_loses_no_enrolment(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Programme")
        spring = a_course(session, programme=programme, title="Spring course")
        autumn = a_course(session, programme=programme, title="Autumn course",
                          start_on=dt.date(2026, 10, 5), end_on=dt.date(2026, 10, 9))
        keep = a_person(session, "Aigerim Nurlanova", email="aigerim@example.org")
        other = a_person(session, "Nurlanova Aigerim", phone="+7 701 000 0000")
        kept_spring = enrolments.enrol(session, course_id=spring, participant_id=keep)
        other_spring = enrolments.enrol(session, course_id=spring, participant_id=other)
        enrolments.enrol(session, course_id=autumn, participant_id=other)
        enrolments.set_attendance(session, kept_spring, START, True)
        enrolments.set_attendance(session, other_spring, START, True)
        enrolments.set_attendance(session, other_spring, START + dt.timedelta(days=1), True)
        enrolments.set_status(session, other_spring, "confirmed")
        found = participants.likely_duplicates(session)
        assert [(d.first_id, d.second_id) for d in found] == [(keep, other)]
        assert found[0].reason.startswith("similar names (100 %)")
        assert participants.duplicates_of(session, {"full_name": "AIGERIM  NURLANOVA",
                                                    "country": "KAZ"})
        result = participants.merge(session, keep_id=keep, merge_id=other)
        assert (result.enrolments_moved, result.enrolments_joined) == (1, 1)
    with database.session_factory() as session:
        rows = enrolments.enrolments_of(session, keep)
        assert sorted(title for _id, title, _start, _status in rows) == [
            "Autumn course", "Spring course"]
        spring_row = next(r for r in enrolments.course_roster(session, spring))
        assert (spring_row.days_present, spring_row.status) == (2, "confirmed")
        person = participants.get_participant(session, keep)
        assert person.phone == "+7 701 000 0000"  # filled in from the other record
        assert session.get(Participant, other) is None
        assert session.scalar(select(func.count()).select_from(Enrolment)) == 2


def test_erasing_a_person_keeps_the_course_statistics(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        course = a_course(session)
        person = a_person(session, email="aigerim@example.org", phone="+7 1")
        enrolment = enrolments.enrol(session, course_id=course, participant_id=person)
        for day in range(5):
            enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day), True)
        enrolments.set_status(session, enrolment, "completed")
        certificates.issue(session, enrolment)
        participants.erase(session, person)
    with database.session_factory() as session:
        erased = participants.get_participant(session, person)
        assert (erased.full_name, erased.email, erased.phone) == (
            participants.ERASED_NAME, "", "")
        assert (erased.gender, erased.country) == ("female", "KAZ")
        assert participants.find_participants(session, text="aigerim") == []
        assert session.scalar(select(Certificate.participant_name)) == participants.ERASED_NAME
        assert session.scalar(select(func.count()).select_from(Attendance)) == 5
        with pytest.raises(ServiceError, match="erased"):
            enrolments.enrol(session, course_id=course, participant_id=person)


def test_search_finds_people_by_any_name_email_or_institution(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        a_person(session, "Aïgerim Nurlanova", email="a.n@example.org")
        a_person(session, "Moussa Diallo", country="SEN", institution="ISRA Dakar")
    with database.session_factory() as session:
        def names(text: str) -> list[str]:
            return [p.full_name for p in participants.find_participants(session, text=text)]

        assert names("aigerim") == ["Aïgerim Nurlanova"]  # accents do not matter
        assert names("nurla") == ["Aïgerim Nurlanova"]  # nor which word
        assert names("a.n@") == ["Aïgerim Nurlanova"]
        assert names("ISRA") == ["Moussa Diallo"]
        assert participants.count_participants(session, country="SEN") == 1


def test_a_host_code_joins_the_institutes_directory(database: db.Database) -> None:
    """A host with a FAO WIEWS code is entered in the directory; a malformed code is not."""
    from genebank.models import Institute

    with database.session_factory.begin() as session:
        with pytest.raises(ServiceError, match="host institute code"):
            a_course(session, host_code="not a code")
        a_course(session, host_code="kaz024", host_name="Kazakh gene bank")
        institute = session.scalars(select(Institute).where(Institute.code == "KAZ024")).one()
        assert institute.name == "Kazakh gene bank"
