"""Refusals carry a code and the values that made it (issue 13): the CLI's English comes from
the code's one registered template, and the GUI (and the translations) can word the same
code from the same values, formatting numbers and dates for the user's locale."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import OperationalError

from genebank import db, problems, transactions
from genebank.conservation import seed_lots
from genebank.services.errors import NotFound, ServiceError
from genebank.training import courses, enrolments, participants
from tests.conftest import passport_values

START = dt.date(2026, 5, 11)


def a_course(session, **values: object) -> int:  # type: ignore[no-untyped-def]
    programme = courses.add_programme(session, name="Gene bank management")
    fields: dict[str, object] = {"title": "Seed drying", "start_on": START,
                                 "end_on": START + dt.timedelta(days=4)}
    return courses.save_course(session, programme_id=programme, **(fields | values))


def test_a_full_course_is_refused_with_its_title_and_capacity_as_values(
        sqlite_database: db.Database) -> None:
    with sqlite_database.session_factory.begin() as session:
        course = a_course(session, capacity=1)
        first = participants.save_participant(session, full_name="Aigerim Nurlanova")
        second = participants.save_participant(session, full_name="Dias Bekov")
        enrolments.enrol(session, course_id=course, participant_id=first)
        with pytest.raises(ServiceError) as refused:
            enrolments.enrol(session, course_id=course, participant_id=second)
    assert refused.value.code == "course_full"
    assert refused.value.params == {"course": "Seed drying", "capacity": 1}
    assert str(refused.value) == "'Seed drying' is full (1 places)"


def test_dates_stay_dates_in_the_params_and_iso_in_the_english(
        sqlite_database: db.Database) -> None:
    """A day outside the course: the params hold date objects (a screen formats them for
    the user's locale); the CLI's English writes them YYYY-MM-DD as before."""
    with sqlite_database.session_factory.begin() as session:
        course = a_course(session)
        person = participants.save_participant(session, full_name="Aigerim Nurlanova")
        enrolment = enrolments.enrol(session, course_id=course, participant_id=person)
        with pytest.raises(ServiceError) as refused:
            enrolments.set_attendance(session, enrolment, dt.date(2026, 5, 20), False)
    assert refused.value.code == "not_a_course_day"
    assert refused.value.params == {"day": dt.date(2026, 5, 20), "course": "Seed drying",
                                    "start": START, "end": dt.date(2026, 5, 15)}
    assert str(refused.value) == ("2026-05-20 is not a day of 'Seed drying' (2026-05-11 to "
                                  "2026-05-15)")


def test_numbers_stay_numbers_in_the_params(sqlite_database: db.Database) -> None:
    """Taking more seeds than a lot holds: the counts are ints (not '1,500'), the English
    groups their thousands as before."""
    from genebank.passport import accessions

    with sqlite_database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        lot = seed_lots.create_lot(session, accession_id=accession, lot_number="L-1",
                                   storage_type="base", stored_on=START, seeds=1000)
        with pytest.raises(ServiceError) as refused:
            seed_lots.withdraw(session, lot, kind="distributed", on=START, seeds=1500)
    assert refused.value.code == "lot_short_of_seeds"
    assert refused.value.params == {"lot": "L-1", "have": 1000, "asked": 1500}
    assert str(refused.value) == ("lot L-1 holds 1,000 seeds; 1,500 seeds cannot be taken "
                                  "from it. Nothing was saved")


def test_a_record_gone_has_a_code_of_its_kind(sqlite_database: db.Database) -> None:
    with sqlite_database.session_factory.begin() as session, \
            pytest.raises(NotFound) as gone:
        courses.get_course(session, 404)
    assert (gone.value.code, gone.value.params) == ("course_not_found", {"course_id": 404})
    assert str(gone.value) == "course 404 no longer exists"


def test_a_refusal_wrapping_another_carries_its_code_and_params(
        sqlite_database: db.Database) -> None:
    """'venue country: ...': the country's own problem rides along as code + params (the
    GUI words it in the user's language), its English as the reason for the CLI."""
    with sqlite_database.session_factory.begin() as session, \
            pytest.raises(ServiceError) as refused:
        a_course(session, venue_country="Atlantis")
    assert refused.value.code == "venue_country_invalid"
    assert refused.value.params["cause"] == {"code": "country_unknown",
                                             "params": {"text": "Atlantis"}}
    assert str(refused.value) == ("venue country: 'Atlantis' is not an ISO 3166 country code "
                                  "or a country name (e.g. KAZ, TUR)")


class Deadlock(Exception):
    """A driver error as PostgreSQL's, for a contention that lasts."""

    sqlstate = "40P01"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_busy_database_blames_what_can_hold_it(kind: str, request: pytest.FixtureRequest,
                                                 tmp_path: object) -> None:
    """A SQLite file is mostly one person's: another program or Genebank window using the
    file holds it, not 'another workstation'; a server is shared by workstations."""
    database = _open(kind, request, tmp_path)

    def work(_session: object) -> None:
        raise OperationalError("UPDATE seed_lot", None, Deadlock("deadlock detected"))

    try:
        with pytest.raises(transactions.DatabaseBusy) as busy:
            transactions.run_write(database, work, operation="Saving L-1", attempts=1)
    finally:
        database.close()
    said = str(busy.value)
    if kind == "sqlite":
        assert busy.value.code == "database_file_busy"
        assert "another program or Genebank window using this file" in said
        assert "workstation" not in said
    else:
        assert busy.value.code == "database_busy"
        assert "another workstation's work" in said
    assert said.startswith("Saving L-1: ") and "nothing was changed" in said
    assert busy.value.params == {"operation": "Saving L-1", "attempts": 1, "seconds": 0}


def _open(kind: str, request: pytest.FixtureRequest, tmp_path: object) -> db.Database:
    if kind == "sqlite":
        return db.open_database(db.sqlite_url(tmp_path / "busy.sqlite"), user="tester")  # type: ignore[operator]
    from tests.conftest import postgres_server_url

    if postgres_server_url() is None:
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    return db.open_database(request.getfixturevalue("postgres_url"), user="tester")


def test_every_template_formats_with_values_of_its_fields() -> None:
    """Each registered template is a valid format string: numbers in every field fill it,
    whatever format spec it gives (a thousands separator, :g), a date a field whose spec
    is a date's, a month number a ``{month:month}``, a key a ``:word``, keys ``:keys``, a
    wrapped problem (code and params) a ``:problem`` or ``:sentence``."""
    import string

    templates = problems.all_templates()
    assert len(templates) > 150
    wrapped = {"code": "no_such_lot_number", "params": {"lot": "L-9"}}
    broken = []
    for code, template in templates.items():
        values = {name: dt.date(2001, 2, 3) if "%" in (spec or "")
                  else {"month": 2, "word": "sowing", "keys": ("a", "b"),
                        "number": 10**301, "problem": wrapped,
                        "sentence": wrapped}.get(spec, 1234.5)
                  for _, name, spec, _ in string.Formatter().parse(template) if name}
        try:
            problems.fill(template, values)
        except (KeyError, IndexError, ValueError) as error:
            broken.append(f"{code}: {error}")
    assert broken == []
