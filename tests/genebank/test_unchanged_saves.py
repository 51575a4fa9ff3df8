"""A save that changes no value changes no record: courses, programmes, participants and
storage locations keep their version and "last changed" when saved as they are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import storage_locations
from genebank.models import Course, Participant, Programme, StorageLocation
from genebank.training import courses, participants

START = dt.date(2026, 5, 11)


def stamps(session: Session, model: type, record_id: int) -> tuple[int, dt.datetime]:
    record = session.get(model, record_id)
    session.refresh(record)
    return record.version, record.updated_at


def test_saving_a_course_as_it_is_changes_nothing(database: db.Database) -> None:
    """The course form saved untouched keeps the course's version; a new title moves it."""
    fields: dict[str, object] = {
        "title": "Gene Bank Management", "start_on": START, "end_on": START + dt.timedelta(4),
        "venue_city": "Almaty", "venue_country": "KAZ", "host_name": "Kazakh gene bank",
        "capacity": 20, "hours": 30.0, "languages": "ru;en", "trainers": "A. Smith"}
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="National Gene Banks")
        course_id = courses.save_course(session, programme_id=programme, **fields)
    with database.session_factory() as session:
        before = stamps(session, Course, course_id)
    with database.session_factory.begin() as session:
        courses.save_course(session, programme_id=programme, course_id=course_id, **fields)
        courses.save_programme(session, programme, name="National Gene Banks", sponsor="",
                               description="", min_attendance_pct=80.0,
                               certificate_prefix="GB")
    with database.session_factory() as session:
        assert stamps(session, Course, course_id) == before
        assert stamps(session, Programme, programme)[0] == 1
    with database.session_factory.begin() as session:
        courses.save_course(session, programme_id=programme, course_id=course_id,
                            **{**fields, "title": "Seed Testing"})
    with database.session_factory() as session:
        assert stamps(session, Course, course_id)[0] == before[0] + 1


def test_saving_a_participant_as_they_are_changes_nothing(database: db.Database) -> None:
    """The participant form saved untouched, as typed (a code in lower case, extra spaces),
    keeps the record's version."""
    typed: dict[str, object] = {"full_name": "Aigerim  Nurlanova", "gender": "female",
                                "country": "kaz", "institution": "Kazakh gene bank",
                                "email": "Aigerim@Example.org"}
    with database.session_factory.begin() as session:
        person = participants.save_participant(session, **typed)
    with database.session_factory() as session:
        before = stamps(session, Participant, person)
    with database.session_factory.begin() as session:
        participants.save_participant(session, participant_id=person, **typed)
    with database.session_factory() as session:
        assert stamps(session, Participant, person) == before


def test_moving_a_location_where_it_is_changes_nothing(database: db.Database) -> None:
    """A storage location 'moved' to the place it is in keeps its version."""
    with database.session_factory.begin() as session:
        site = storage_locations.add_location(session, "Main site")
        room = storage_locations.add_location(session, "Cold room 1", parent_id=site,
                                              storage_type="base")
    with database.session_factory() as session:
        before = stamps(session, StorageLocation, room)
    with database.session_factory.begin() as session:
        storage_locations.move_location(session, room, site)
    with database.session_factory() as session:
        assert stamps(session, StorageLocation, room) == before
