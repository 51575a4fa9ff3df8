"""A reason given for a change of a participant's records is personal data (issue 15): it is
kept in a personal change set, read only by the roles that read personal data (at the
server too: row-level security and column grants), and an erasure of the person blanks
it, as it blanks their values."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from genebank import db, history, server_roles
from genebank.conservation import corrections, seed_lots
from genebank.history import queries
from genebank.models import Certificate, Course, Enrolment
from genebank.models.history import ChangeEntry, ChangeSet
from genebank.training import certificates, enrolments, participants
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.genebank.test_seed_lots import TODAY, accession, new_lot
from tests.genebank.test_training import START, a_course

REASON = "wrong person: it was Ahmed Said's"
ON = dt.date(2026, 5, 16)


def voided_certificate(session: Session, *, name: str = "Ahmed Said") -> tuple[int, int]:
    """A participant ``name`` completes a course and is given a certificate, voided with
    :data:`REASON`; returns (participant, certificate)."""
    person = participants.save_participant(session, full_name=name, gender="male",
                                           country="EGY", email="ahmed@example.org")
    enrolment = enrolments.enrol(session, course_id=a_course(session), participant_id=person)
    for day in range(5):
        enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day), True)
    enrolments.set_status(session, enrolment, "completed")
    certificate = certificates.issue(session, enrolment, on=ON)
    session.flush()
    certificates.void_certificate(session, certificate, reason=REASON)
    return person, certificate


def everything_stored(connection: Any) -> str:
    """The history's sets and entries and the certificates, as text to search."""
    rows = [*connection.execute(select(ChangeSet.__table__)).all(),
            *connection.execute(select(ChangeEntry.__table__)).all(),
            *connection.execute(select(Certificate.__table__)).all()]
    return json.dumps([list(r) for r in rows], default=str, ensure_ascii=False)


def test_a_certificates_void_reason_is_in_a_personal_set_and_erasure_blanks_it(
        database: db.Database) -> None:
    """The void's reason names someone: its set is personal (a lot's correction's is not);
    the trainer reads the reason in the person's story; after the erasure no set, entry or
    certificate holds the reason or the name, and the register says the reason was erased."""
    lot = new_lot(database, accession(database))
    with database.session_factory.begin() as session:
        line = seed_lots.withdraw(session, lot, kind="distributed", on=TODAY, seeds=10,
                                  today=TODAY)
    with database.session_factory.begin() as session:
        corrections.void_ledger_line(session, line, reason="never sent")
    with database.session_factory.begin() as session:
        person, certificate = voided_certificate(session)
    with database.session_factory() as session:
        sets = {reason: personal for reason, personal in session.execute(
            select(ChangeSet.reason, ChangeSet.personal).where(ChangeSet.reason != ""))}
        assert sets == {"never sent": False, REASON: True}
        story = queries.participant_history(session, person)
        assert [e.reason for e in story if e.operation == "correction"] == [REASON]
    with database.session_factory.begin() as session:
        participants.erase(session, person)
    with database.engine.connect() as connection:
        stored = everything_stored(connection)
    for personal in ("Ahmed", "Said", "ahmed@"):
        assert personal not in stored
    assert "never sent" in stored  # what is not personal stays
    with database.session_factory() as session:
        story = queries.participant_history(session, person)
        voided = [e for e in story if e.operation == "correction"]
        assert voided and all(e.reason == "" for e in voided)
        assert [f.new for e in voided for f in e.fields if f.field == "void_reason"] == [None]
        assert [(r.id, r.voided, r.void_reason) for r in certificates.register(session)] == \
            [(certificate, True, participants.ERASED_NAME)]


def test_one_transaction_writes_a_personal_set_apart_from_the_others(
        database: db.Database) -> None:
    """A write touching a course and a participant at once: two sets with the same who,
    when and why, the participant's personal, so the course's stays readable by all."""
    with database.session_factory.begin() as session:
        course = a_course(session)
    with database.session_factory.begin() as session, \
            history.operation(session, "correction", reason="both at once"):
        participants.save_participant(session, full_name="Ahmed Said", gender="male",
                                      country="EGY")
        session.get(Course, course).venue_city = "Cairo"  # type: ignore[union-attr]
        session.flush()
    with database.session_factory() as session:
        found = session.execute(
            select(ChangeEntry.subject_type, ChangeSet.personal, ChangeSet.reason)
            .join(ChangeSet, ChangeSet.id == ChangeEntry.change_set_id)
            .where(ChangeSet.reason == "both at once")).all()
    assert sorted(tuple(row) for row in found) == [("course", False, "both at once"),
                             ("participant", True, "both at once")]


# On a server: the server refuses the reason to those who may not read personal data. ---
PEOPLE = {"ada": Role.ADMINISTRATOR, "cyrus": Role.CURATOR, "tomás": Role.TRAINER,
          "vera": Role.VIEWER}


@pytest.fixture
def server() -> Iterator[dict[str, Any]]:
    """A set-up server database with one person per role in :data:`PEOPLE`; dropped with
    its roles after."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("gb_reasons")
    database = db.open_database(url, user="dba")
    prefix = None
    try:
        with database.engine.begin() as connection:
            prefix = server_roles.set_up(connection).prefix
        with database.session_factory.begin() as session:
            made = accounts.create_first_administrator(session, name="ada",
                                                       password="ada-secret-1")
            work_as(session, Actor(made.id, made.name, frozenset(made.roles)))
            for name, role in PEOPLE.items():
                if role is not Role.ADMINISTRATOR:
                    accounts.add_user(session, name=name, roles=[role],
                                      password=f"{name}-secret-1")
        engines = {name: create_engine(make_url(server_roles.login_url(
            url, prefix, name, None))) for name in PEOPLE}
        yield {"url": url, "prefix": prefix, "database": database, "engines": engines}
        for engine in engines.values():
            engine.dispose()
    finally:
        database.close()
        drop_postgres_database(url)
        if prefix:
            admin = create_engine(postgres_server_url())  # type: ignore[arg-type]
            with admin.begin() as connection:
                server_roles.drop_roles(connection, prefix)
            admin.dispose()


def as_person(engine: Engine, name: str) -> sessionmaker[Session]:
    """Sessions as the app makes them once ``name`` signed in on their login role."""
    factory = sessionmaker(engine, info={"user": name})
    with factory() as session:
        actor = accounts.sign_in(session, name=name, password="")
    factory.configure(info={"user": actor.name, "actor": actor})
    return factory


@pytest.mark.postgres
def test_the_server_gives_the_reason_to_trainers_only_and_erasure_blanks_it(
        server: dict[str, Any]) -> None:
    """Tomás (trainer) voids a certificate saying whose it was: a viewer's and a curator's
    connections read neither the set nor the certificate's reason (an SQL client included),
    yet still read the history's other sets; Tomás and the administrator read it; after
    Tomás erases the person, nothing at the server holds the reason or the name."""
    engines = server["engines"]
    trainer = as_person(engines["tomás"], "tomás")
    with trainer.begin() as session:
        person, certificate = voided_certificate(session)
    for name in ("vera", "cyrus"):
        with engines[name].connect() as connection:
            assert connection.execute(text(
                "SELECT count(*) FROM change_set WHERE reason LIKE '%Ahmed%'")).scalar() == 0
            assert connection.execute(text(
                "SELECT count(*) FROM change_set WHERE personal")).scalar() == 0
            assert connection.execute(text(  # the people's accounts: not personal
                "SELECT count(*) FROM change_set")).scalar() > 0
        with pytest.raises(DBAPIError) as refused, engines[name].connect() as connection:
            connection.execute(text("SELECT void_reason FROM certificate"))
        assert refused.value.orig.sqlstate == "42501"  # type: ignore[union-attr]
    for name in ("tomás", "ada"):
        with engines[name].connect() as connection:
            assert connection.execute(text(
                "SELECT reason FROM change_set WHERE personal AND reason <> ''")
            ).scalars().all() == [REASON]
            assert connection.execute(text("SELECT void_reason FROM certificate")
                                      ).scalar() == REASON
        with as_person(engines[name], name)() as session:
            story = queries.readable_participant_history(session, person)
            assert REASON in {e.reason for e in story}
    with trainer.begin() as session:
        participants.erase(session, person)
    with server["database"].engine.connect() as connection:  # the DBA reads everything
        stored = everything_stored(connection)
        assert connection.execute(text(
            "SELECT count(*) FROM change_set WHERE personal")).scalar() > 0
    for personal in ("Ahmed", "Said", "ahmed@"):
        assert personal not in stored
    with trainer() as session:
        assert session.scalar(select(Certificate.void_reason).where(
            Certificate.id == certificate)) == participants.ERASED_NAME
        enrolment = session.scalar(select(Enrolment.id).where(
            Enrolment.participant_id == person))
        assert enrolment is not None


@pytest.mark.postgres
def test_a_server_upgraded_to_0020_hides_the_reasons_it_held() -> None:
    """A server set up at 0019 whose history holds a certificate's void reason naming
    someone: its administrator upgrades it, and from then on the viewer's connection reads
    neither that set nor its reason, the trainer's does, and the erasure's function blanks
    sets' reasons."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("gb_reasons_up")
    prefix = None
    engine = db.create_engine_for(url)
    try:
        db.upgrade(engine, "0019")
        with engine.begin() as connection:
            prefix = server_roles.set_up(connection).prefix
            for name, role in (("ada", "administrator"), ("vera", "viewer"),
                               ("tomás", "trainer")):
                user = connection.execute(text(
                    "INSERT INTO user_account (name, name_key, display_name, disabled, "
                    "created_at, created_by, updated_at, updated_by, version) VALUES "
                    "(:n, :n, '', false, now(), 'dba', now(), 'dba', 1) RETURNING id"),
                    {"n": name}).scalar()
                connection.execute(text("INSERT INTO user_account_role (user_id, role) "
                                        "VALUES (:u, :r)"), {"u": user, "r": role})
                connection.execute(text("SELECT genebank_sync_login(:u, NULL)"), {"u": user})
            voided = connection.execute(text(
                "INSERT INTO change_set (at, user_name, os_user, workstation, operation, "
                "reference, reason) VALUES (now(), 'tomás', 'tomas', 'PC-1', 'correction', "
                "'', :reason) RETURNING id"), {"reason": REASON}).scalar()
            connection.execute(text(
                "INSERT INTO change_entry (change_set_id, subject_type, subject_id, "
                "subject_key, table_name, row_id, action, fields) VALUES (:s, "
                "'participant', 9, '9', 'certificate', '1', 'changed', '{}')"), {"s": voided})
        upgraded = db.open_database(server_roles.login_url(url, prefix, "ada", None),
                                    create=False, upgrade_confirmed=True)
        upgraded.close()
        for name, seen in (("vera", []), ("tomás", [REASON])):
            reader = create_engine(make_url(server_roles.login_url(url, prefix, name, None)))
            with reader.connect() as connection:
                assert connection.execute(text(
                    "SELECT reason FROM change_set WHERE reason <> ''")).scalars().all() == seen
            reader.dispose()
        with engine.connect() as connection:
            assert "change_set" in connection.execute(text(
                "SELECT pg_get_functiondef('genebank_erase_history(bigint)'::regprocedure)")
            ).scalar_one()
    finally:
        engine.dispose()
        drop_postgres_database(url)
        if prefix:
            admin = create_engine(postgres_server_url())  # type: ignore[arg-type]
            with admin.begin() as connection:
                server_roles.drop_roles(connection, prefix)
            admin.dispose()
