"""On PostgreSQL the server enforces the rights: each Genebank user is a login role of the
server (the database's prefix + their name), member of the group roles of their roles,
and a connection as that login role can do no more with SQL than the app lets them do.

CI's server trusts every connection from the machine (trust authentication), so these
tests check privileges, not passwords: they connect as each person's login role without
one, and the server answers 42501 (insufficient_privilege) to what the person's roles do
not allow. That the server checks the password (SCRAM, pg_hba.conf) is the server's
configuration; what Genebank sends it, a SCRAM verifier and never the password, is
checked in tests/genebank/test_users.py.

Each test module run makes its own database and prefix and drops its roles at the end:
roles are cluster-wide and other runs share the server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from genebank import db, server_roles
from genebank.conservation import seed_lots
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.training import participants, training_reports
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.server_team import DBA, server_database, set_up_server

pytestmark = pytest.mark.postgres

PEOPLE = {"ada": Role.ADMINISTRATOR, "cyrus": Role.CURATOR, "selma": Role.SEED_LABORATORY,
          "tomás": Role.TRAINER, "vera": Role.VIEWER, "dina": Role.DISTRIBUTION_OFFICER}
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, Any]]:
    """A fresh database, set up by the DBA (the test server's superuser), with one person
    per role, an accession, a lot and a participant; dropped with its roles after."""
    with set_up_server("gb_roles", administrator=("Ada", "ada-secret-1"), people={
            name: (role, f"{name}-secret-1") for name, role in PEOPLE.items()
            if role is not Role.ADMINISTRATOR}) as made:
        with made.database.session_factory.begin() as session:
            work_as(session, DBA)
            accession = accessions.create_accession(session, values=passport_values()).id
            lot = seed_lots.create_lot(session, accession_id=accession, lot_number="L-1",
                                       storage_type="base", stored_on=TODAY, seeds=1000,
                                       today=TODAY)
            person = participants.save_participant(
                session, full_name="Amina Diallo", gender="female", country="SEN",
                email="amina@example.org", institution="ISRA")
        yield {"url": made.url, "prefix": made.prefix, "database": made.database,
               "accession": accession, "lot": lot, "participant": person}


def _signed_in(factory: sessionmaker[Session], name: str) -> Actor:
    with factory() as session:
        return accounts.sign_in(session, name=name, password="")


@pytest.fixture(scope="module")
def engines(server: dict[str, Any]) -> Iterator[dict[str, Engine]]:
    """An engine per person, connecting as their login role (no password: trust)."""
    made = {name: create_engine(make_url(server_roles.login_url(
        server["url"], server["prefix"], name, None)).set(drivername="postgresql+psycopg"))
        for name in PEOPLE}
    yield made
    for engine in made.values():
        engine.dispose()


def _person(server: dict[str, Any], engines: dict[str, Engine], name: str) -> \
        sessionmaker[Session]:
    """A session factory as the app makes it after this person signed in."""
    factory = sessionmaker(engines[name], info={"user": name})
    actor = _signed_in(factory, name)
    factory.configure(info={"user": actor.name, "actor": actor})
    return factory


def _refused_by_server(engine: Engine, statement: str, **params: object) -> str:
    """The SQLSTATE the server answers ``statement`` with, run as ``engine``'s role."""
    with pytest.raises(DBAPIError) as refused, engine.begin() as connection:
        connection.execute(text(statement), params)
    return str(refused.value.orig.sqlstate)  # type: ignore[union-attr]


def _lying(factory: sessionmaker[Session], roles: frozenset[Role]) -> Callable[[], Session]:
    """Sessions whose actor claims ``roles``: an app changed to skip its own checks, so
    that only the server stands in the way (unrestricted: the app reads the person's
    roles again at each write, and would otherwise refuse the lie itself)."""
    def session() -> Session:
        made = factory()
        actor = made.info["actor"]
        return work_as(made, Actor(actor.user_id, actor.name, roles, unrestricted=True))
    return session


def test_each_login_role_is_the_person_and_signs_in_as_them(
        server: dict[str, Any], engines: dict[str, Engine]) -> None:
    for name, role in PEOPLE.items():
        with engines[name].connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == \
                server["prefix"] + name
            assert connection.execute(text("SELECT pg_has_role(current_user, :g, 'USAGE')"),
                                      {"g": server["prefix"] + role.value}).scalar()
        actor = _person(server, engines, name).kw["info"]["actor"]
        assert actor.name.casefold() == name and actor.roles == {role}
    # Someone else's name on my connection is refused: the connection is the person.
    with sessionmaker(engines["vera"])() as session, pytest.raises(Refused) as refused:
        accounts.sign_in(session, name="ada", password="")
    assert refused.value.code == "server_sign_in_mismatch"


def test_personal_data_only_for_the_roles_holding_it(
        server: dict[str, Any], engines: dict[str, Engine]) -> None:
    for name in ("cyrus", "selma", "vera"):
        for column in ("full_name", "email", "search_name"):
            assert _refused_by_server(engines[name], f"SELECT {column} FROM participant") == \
                "42501"
        assert _refused_by_server(engines[name], "SELECT * FROM participant") == "42501"
        assert _refused_by_server(engines[name],
                                  "SELECT participant_name FROM certificate") == "42501"
        # ... yet they count and break down participants, as the app shows them.
        factory = _person(server, engines, name)
        with factory() as session:
            assert participants.count_participants(session) == 1
            rows = training_reports.participants_by(session, "gender")
            assert sum(row.participants for row in rows) >= 0
        with engines[name].connect() as connection:  # and see no one's story in history
            assert connection.execute(text(
                "SELECT count(*) FROM change_entry WHERE subject_type = 'participant'")
            ).scalar() == 0
            assert connection.execute(text(
                "SELECT count(*) FROM change_entry WHERE subject_type = 'accession'")
            ).scalar() > 0
    for name in ("tomás", "dina", "ada"):
        with engines[name].connect() as connection:
            assert connection.execute(text("SELECT full_name FROM participant")).scalar() == \
                "Amina Diallo"
            assert connection.execute(text(
                "SELECT count(*) FROM change_entry WHERE subject_type = 'participant'")
            ).scalar() > 0


def test_forbidden_writes_fail_at_the_server(server: dict[str, Any],
                                             engines: dict[str, Engine]) -> None:
    accession, lot = server["accession"], server["lot"]
    # A seed-lab person changing passport data, with SQL or with an app that lies.
    assert _refused_by_server(engines["selma"], "UPDATE accession SET origcty = 'FRA' "
                              "WHERE id = :a", a=accession) == "42501"
    factory = _person(server, engines, "selma")
    with pytest.raises(DBAPIError) as refused, \
            _lying(factory, frozenset({Role.CURATOR}))() as session, session.begin():
        current = accessions.get_passport(session, accession)
        accessions.update_accession(session, accession, expected_version=current.version,
                                    values=passport_values(ORIGCTY="FRA"))
    assert refused.value.orig.sqlstate == "42501"  # type: ignore[union-attr]
    # A curator writing conservation records.
    assert _refused_by_server(engines["cyrus"], "UPDATE seed_lot SET lot_number = 'X' "
                              "WHERE id = :l", l=lot) == "42501"
    assert _refused_by_server(engines["cyrus"], "DELETE FROM lot_transaction") == "42501"
    # A viewer writes no records (history only of their own password's change: see
    # test_history_names_whoever_is_connected).
    assert _refused_by_server(engines["vera"], "DELETE FROM accession") == "42501"
    # Nobody changes or removes history, entries or sets: the grants refuse before the
    # triggers do.
    for name in PEOPLE:
        for statement in ("UPDATE change_entry SET fields = '{}'", "DELETE FROM change_entry",
                          "TRUNCATE change_entry", "UPDATE change_set SET reason = 'x'",
                          "UPDATE change_set SET user_name = 'x'", "DELETE FROM change_set",
                          "TRUNCATE change_set"):
            assert _refused_by_server(engines[name], statement) == "42501", (name, statement)
    # Roles are made only through Genebank's function, by administrators.
    for name in PEOPLE:
        assert _refused_by_server(engines[name], "CREATE ROLE gb_intruder LOGIN") == "42501"
        assert _refused_by_server(engines[name],
                                  f'SET ROLE "{server["prefix"]}usermaker"') == "42501"
        other = "selma" if name != "selma" else "vera"  # one's own password: allowed
        assert _refused_by_server(engines[name], f'ALTER ROLE "{server["prefix"]}{other}" '
                                  "PASSWORD 'x'") == "42501"
    for name in ("cyrus", "selma", "tomás", "vera", "dina"):
        assert _refused_by_server(engines[name], "SELECT genebank_sync_login(1, NULL)") == \
            "42501"
        assert _refused_by_server(engines[name],
                                  f'SET ROLE "{server["prefix"]}owner"') == "42501"
    # An administrator may act as the owner (upgrades) and still creates no role.
    with pytest.raises(DBAPIError) as refused, engines["ada"].begin() as connection:
        connection.execute(text(f'SET LOCAL ROLE "{server["prefix"]}owner"'))
        connection.execute(text("CREATE ROLE gb_intruder LOGIN"))
    assert refused.value.orig.sqlstate == "42501"  # type: ignore[union-attr]


def test_the_function_makes_only_this_databases_prefixed_roles(
        server: dict[str, Any], engines: dict[str, Engine]) -> None:
    """Whatever the account's name, the login role is the prefix + that name; a name a
    role could not safely carry is refused; an existing role of more power is not
    touched."""
    prefix = server["prefix"]
    with engines["ada"].begin() as connection:
        connection.execute(text(
            "INSERT INTO user_account (name, name_key, display_name, disabled, created_at, "
            "created_by, updated_at, updated_by, version) VALUES ('postgres', 'postgres', "
            "'', false, now(), 'ada', now(), 'ada', 1), ('x\"y', 'x\"y', '', false, now(), "
            "'ada', now(), 'ada', 1)"))
        ids = dict(connection.execute(text(
            "SELECT name, id FROM user_account WHERE name IN ('postgres', 'x\"y')")).all())
        made = connection.execute(text("SELECT genebank_sync_login(:i, NULL)"),
                                  {"i": ids["postgres"]}).scalar()
        assert made == f"{prefix}postgres"
        with pytest.raises(DBAPIError) as refused, connection.begin_nested():
            connection.execute(text("SELECT genebank_sync_login(:i, NULL)"),
                               {"i": ids['x"y']})
        assert refused.value.orig.sqlstate == "22023"  # type: ignore[union-attr]
        with pytest.raises(DBAPIError) as refused, connection.begin_nested():
            connection.execute(text("SELECT genebank_sync_login(:i, 'plain password')"),
                               {"i": ids["postgres"]})
        assert refused.value.orig.sqlstate == "22023"  # type: ignore[union-attr]
        # A prefix written into the settings changes nothing: the function keeps its own.
        connection.execute(text("INSERT INTO collection_setting (key, value, created_at, "
                                "created_by, updated_at, updated_by, version) VALUES "
                                "('role_prefix', '', now(), 'ada', now(), 'ada', 1)"))
        assert connection.execute(text("SELECT genebank_role_prefix()")).scalar() == prefix
        connection.rollback()
    with engines["ada"].connect() as connection:
        assert connection.execute(text(
            "SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'")).scalar()


def test_allowed_work_succeeds_as_each_person(server: dict[str, Any],
                                              engines: dict[str, Engine]) -> None:
    with _person(server, engines, "cyrus").begin() as session:
        made = accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-77"))
    with _person(server, engines, "selma").begin() as session:
        seed_lots.create_lot(session, accession_id=made.id, lot_number="L-77",
                             storage_type="base", stored_on=TODAY, seeds=500, today=TODAY)
    trainer = _person(server, engines, "tomás")
    with trainer.begin() as session:
        person = participants.save_participant(session, full_name="Olga Ivanova",
                                               gender="female", country="KAZ",
                                               email="olga@example.org")
    with trainer.begin() as session:  # the erasure blanks history through the owner
        participants.erase(session, person)
    with engines["tomás"].connect() as connection:
        stories = connection.execute(text(
            "SELECT fields FROM change_entry WHERE subject_type = 'participant' AND "
            "subject_id = :p"), {"p": person}).scalars().all()
    assert stories and not any("Olga" in story or "olga@" in story for story in stories)
    admin = _person(server, engines, "ada")
    with admin.begin() as session:
        accounts.add_user(session, name="Nurlan", roles=[Role.VIEWER],
                          password="nurlan-secret-1")
        accounts.set_roles(session, "Nurlan", [Role.CURATOR, Role.VIEWER])
        accounts.disable_user(session, "Nurlan")
    with engines["ada"].connect() as connection:
        login, groups = connection.execute(text(
            "SELECT r.rolcanlogin, array(SELECT g.rolname FROM pg_auth_members m JOIN "
            "pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) FROM pg_roles r "
            "WHERE r.rolname = :n"), {"n": server["prefix"] + "nurlan"}).one()
    assert not login and groups == [server["prefix"] + "curator", server["prefix"] + "viewer"]
    with admin.begin() as session:
        accounts.enable_user(session, "Nurlan")
        accounts.set_roles(session, "Nurlan", [Role.VIEWER])
        accounts.reset_password(session, "Nurlan", "another-secret")
    with engines["ada"].connect() as connection:
        login, groups = connection.execute(text(
            "SELECT r.rolcanlogin, array(SELECT g.rolname FROM pg_auth_members m JOIN "
            "pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) FROM pg_roles r "
            "WHERE r.rolname = :n"), {"n": server["prefix"] + "nurlan"}).one()
    assert login and groups == [server["prefix"] + "viewer"]
    with engines["ada"].connect() as connection:  # the history says it all, as ada
        story = connection.execute(text(
            "SELECT s.user_name, e.table_name, e.action, e.fields FROM change_entry e "
            "JOIN change_set s ON s.id = e.change_set_id WHERE e.subject_type = "
            "'user_account' AND e.subject_key = 'Nurlan' ORDER BY e.id")).all()
    assert {row[0] for row in story} == {"Ada"}
    assert [(row[1], row[2], json.loads(row[3]).get("role", json.loads(row[3]).get("password")))
            for row in story if row[1] == "user_account_role" or "password" in row[3]][-2:] == [
        ("user_account_role", "deleted", ["curator", None]),
        ("user_account", "changed", [None, "reset"])]


def test_two_processes_one_writes_the_other_is_refused_by_the_server(
        server: dict[str, Any]) -> None:
    """The curator's command line imports; a seed-lab person's process whose app claims to
    be a curator (its checks skipped) is refused by the server, not by Genebank."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GENEBANK_")}
    environment.update(PYTHONIOENCODING="utf-8", GENEBANK_PASSWORD="")
    base = server["url"]
    writer = subprocess.Popen(
        [sys.executable, "-m", "genebank.cli", "--database", base, "--user", "Cyrus",
         "import-mcpd", "--skip-invalid",
         "tests/files/world/passport-germinate-example-mcpd.xlsx"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        stdin=subprocess.DEVNULL, encoding="utf-8")
    lying = (
        "import sys\n"
        "from sqlalchemy.exc import DBAPIError\n"
        "from genebank import db, server_roles\n"
        "from genebank.passport import accessions\n"
        "from genebank.users import accounts\n"
        "from genebank.users import actor as actor_module\n"
        "from genebank.users.actor import Actor, work_as\n"
        "from genebank.users.roles import Role\n"
        "from tests.conftest import passport_values\n"
        f"url = server_roles.login_url({base!r}, {server['prefix']!r}, 'selma', None)\n"
        "database = db.open_database(url, create=False)\n"
        "with database.session_factory() as session:\n"
        "    me = accounts.sign_in(session, name='selma', password='')\n"
        "try:\n"
        "    with database.session_factory.begin() as session:\n"
        "        work_as(session, Actor(me.user_id, me.name, frozenset({Role.CURATOR}),\n"
        "                               unrestricted=True))\n"
        "        accessions.create_accession(session, values=passport_values("
        "ACCENUMB='KZ-LIE'))\n"
        "except DBAPIError as refused:\n"
        "    print(refused.orig.sqlstate)\n"
        "    sys.exit(3)\n")
    refused = subprocess.run([sys.executable, "-c", lying], capture_output=True, text=True,
                             env=environment, timeout=180, encoding="utf-8")
    out, err = writer.communicate(timeout=300)
    assert "2,000 created" in out and "failed" not in err, (out, err)
    assert refused.returncode == 3 and refused.stdout.strip() == "42501", \
        (refused.stdout, refused.stderr)
    with server["database"].engine.connect() as connection:
        assert connection.execute(text(
            "SELECT count(*) FROM accession WHERE accenumb = 'KZ-LIE'")).scalar() == 0
        assert connection.execute(text(
            "SELECT count(*) FROM change_entry e JOIN change_set s ON s.id = e.change_set_id "
            "WHERE s.user_name = 'cyrus' AND s.operation = 'import' AND e.action = 'created' "
            "AND e.table_name = 'accession'")
        ).scalar() == 2000


def test_set_up_is_refused_to_a_role_that_may_not_and_may_run_again(
        server: dict[str, Any], engines: dict[str, Engine]) -> None:
    with engines["ada"].begin() as connection, pytest.raises(Refused) as refused:
        server_roles.set_up(connection)
    assert refused.value.code == "set_up_needs_createrole"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GENEBANK_")}
    result = subprocess.run(
        [sys.executable, "-m", "genebank.cli", "--database", server["url"], "server",
         "set-up"], capture_output=True, text=True, env=environment, timeout=180,
        stdin=subprocess.DEVNULL, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert f"role prefix: {server['prefix']}" in result.stdout
    assert "roles created: none (they existed)" in result.stdout
    with engines["vera"].connect() as connection:  # the grants are as they were
        assert connection.execute(text("SELECT count(*) FROM accession")).scalar() >= 1


def test_upgrades_run_as_the_owner_for_administrators_only() -> None:
    """An older database set up: its curator may not upgrade it; its administrator does,
    as the owner role, and the grants are made again from the map after it."""
    with server_database("gb_roles_up") as url:
        engine = db.create_engine_for(url)
        try:
            db.upgrade(engine, "0014")
            with engine.begin() as connection:
                prefix = server_roles.set_up(connection).prefix
                for name, role in (("ada", "administrator"), ("cyrus", "curator")):
                    user = connection.execute(text(
                        "INSERT INTO user_account (name, name_key, display_name, disabled, "
                        "created_at, created_by, updated_at, updated_by, version) VALUES "
                        "(:n, :n, '', false, now(), 'dba', now(), 'dba', 1) RETURNING id"),
                        {"n": name}).scalar()
                    connection.execute(text("INSERT INTO user_account_role (user_id, role) "
                                            "VALUES (:u, :r)"), {"u": user, "r": role})
                    connection.execute(text("SELECT genebank_sync_login(:u, NULL)"), {"u": user})
            with pytest.raises(db.NeedsUpgrade) as refused:
                db.open_database(server_roles.login_url(url, prefix, "cyrus", None),
                                 create=False, upgrade_confirmed=True)
            assert refused.value.code == "needs_upgrade_by_owner"
            assert refused.value.params["owner"] == prefix + "owner"
            upgraded = db.open_database(server_roles.login_url(url, prefix, "ada", None),
                                        create=False, upgrade_confirmed=True)
            upgraded.close()
            with engine.connect() as connection:
                assert connection.execute(text(
                    "SELECT version_num FROM alembic_version")).scalar() == db.SCHEMA_REVISION
                owners = set(connection.execute(text(
                    "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars())
                assert owners == {prefix + "owner"}
                ungranted = connection.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND NOT "
                    "has_table_privilege(:viewer, quote_ident(schemaname) || '.' || "
                    "quote_ident(tablename), 'SELECT') "
                    "AND tablename NOT IN "
                    "('participant', 'certificate')"), {"viewer": prefix + "viewer"}).all()
                assert ungranted == []
            curator = db.open_database(server_roles.login_url(url, prefix, "cyrus", None),
                                       create=False)
            curator.close()
        finally:
            engine.dispose()


def test_a_person_changes_their_own_password_on_the_server(
        server: dict[str, Any], engines: dict[str, Engine]) -> None:
    """The new password reaches the person's own login role as a SCRAM verifier; Genebank
    keeps no hash (the old password is asked again; a trusting server accepts any)."""
    vera = server["prefix"] + "vera"
    with server["database"].engine.connect() as connection:
        before = connection.execute(text(
            "SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": vera}).scalar()
    with _person(server, engines, "vera").begin() as session:
        accounts.change_own_password(session, old="vera-secret-1", new="a new one 2026")
    with server["database"].engine.connect() as connection:
        after = connection.execute(text(
            "SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": vera}).scalar()
        assert connection.execute(text(
            "SELECT password_hash FROM user_account WHERE name_key = 'vera'")).scalar() is None
        # One entry, written by vera (a viewer) as herself: "password changed", no value.
        changed = connection.execute(text(
            "SELECT s.user_name, e.subject_key, e.fields FROM change_entry e JOIN change_set s "
            "ON s.id = e.change_set_id WHERE e.table_name = 'user_account' AND "
            "e.fields LIKE '%password%'")).all()
    assert after.startswith("SCRAM-SHA-256$") and after != before
    assert [tuple(row) for row in changed if row[1] == "vera"] == [
        ("vera", "vera", '{"password":[null,"changed"]}')]
    assert all("SCRAM" not in row[2] and "new one" not in row[2] for row in changed)


def test_history_names_whoever_is_connected(server: dict[str, Any],
                                            engines: dict[str, Engine]) -> None:
    """A login role writing history with SQL in another person's name: the server writes
    its own name on the change set instead, and refuses entries that join another
    person's set (one statement of many rows, as an import's COPY, included)."""
    new_set = ("INSERT INTO change_set (at, user_id, user_name, os_user, workstation, "
               "operation, import_log_id, reference, reason) VALUES (now(), 1, 'Ada', '', "
               "'', 'form', NULL, '', '') RETURNING id, user_id, user_name")
    entry = ("INSERT INTO change_entry (change_set_id, subject_type, subject_id, "
             "subject_key, table_name, row_id, action, fields) SELECT :s, 'accession', 1, '', "
             "'accession', '1', 'changed', '{}' FROM generate_series(1, :n)")
    with engines["cyrus"].begin() as connection:
        mine, *written = connection.execute(text(new_set)).one()
        me = connection.execute(text(
            "SELECT id, name FROM user_account WHERE name_key = 'cyrus'")).one()
        connection.execute(text(entry), {"s": mine, "n": 3})  # into one's own set: fine
    assert tuple(written) == tuple(me)
    # A viewer writes history too (their own password's change), as themselves.
    with engines["vera"].begin() as connection:
        theirs, *written = connection.execute(text(new_set)).one()
        connection.execute(text(entry), {"s": theirs, "n": 1})
        me = connection.execute(text(
            "SELECT id, name FROM user_account WHERE name_key = 'vera'")).one()
    assert tuple(written) == tuple(me)
    for person, other in (("vera", mine), ("cyrus", theirs)):
        assert _refused_by_server(engines[person], entry, s=other, n=1) == "42501"
        assert _refused_by_server(  # one of many rows names another's set
            engines[person], entry.replace("FROM generate_series(1, :n)",
                                           "FROM generate_series(1, 2) UNION ALL SELECT :n, "
                                           "'accession', 1, '', 'accession', '1', 'changed', "
                                           "'{}'"), s=theirs if person == "vera" else mine,
            n=other) == "42501"
