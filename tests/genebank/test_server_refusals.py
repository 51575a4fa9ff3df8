"""A PostgreSQL server that answered but refused (the sign-in, the database, a table) is said
to have refused, naming who is signed in, never "cannot reach the server"; a bad port or an
address of a database Genebank does not work with is a bad address. Checked against the real
server with roles made for each test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from genebank import cli, db, driver_errors
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url

pytestmark = pytest.mark.postgres


def admin(statement: str) -> None:
    engine = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def roles() -> Iterator[dict[str, str]]:
    """Three new roles with unique names: one that may not log in, one that may, and a name
    the server does not know; dropped afterwards."""
    if not postgres_server_url():
        pytest.skip("needs GENEBANK_TEST_POSTGRES_URL")
    tag = uuid.uuid4().hex[:8]
    names = {"nologin": f"gb_nologin_{tag}", "login": f"gb_login_{tag}",
             "unknown": f"gb_nobody_{tag}"}
    admin(f'CREATE ROLE "{names["nologin"]}" NOLOGIN')
    admin(f'CREATE ROLE "{names["login"]}" LOGIN')
    yield names
    for name in (names["nologin"], names["login"]):
        admin(f'DROP OWNED BY "{name}"')
        admin(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def genebank_database() -> Iterator[str]:
    """A new Genebank database on the test server (made by the superuser)."""
    if not postgres_server_url():
        pytest.skip("needs GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_refusals")
    db.open_database(url, user="tester").close()
    yield url
    drop_postgres_database(url)


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(
        hide_password=False)


def stats(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """``genebank stats`` on ``url``: exit 1 and one line on stderr, which is returned."""
    assert cli.main(["--database", url, "stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def answered_not_unreachable(err: str) -> None:
    assert "cannot reach" not in err and "check the network" not in err, err


def test_an_unknown_or_nologin_role_is_refused_sign_in(
        roles: dict[str, str], genebank_database: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """FATAL: role does not exist / is not permitted to log in: the server refused to sign
    this user in; check the name, or ask whoever runs the server."""
    for role, fatal in ((roles["unknown"], "does not exist"),
                        (roles["nologin"], "is not permitted to log in")):
        err = stats(as_role(genebank_database, role), capsys)
        answered_not_unreachable(err)
        assert f"answered, but refused to sign in {role} (role \"{role}\" {fatal})" in err
        assert "Check the user name and password, or ask whoever runs the server" in err
        assert "connection to server at" not in err  # libpq's preamble is left out


def test_connect_revoked_is_no_permission_to_connect(
        roles: dict[str, str], genebank_database: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """CONNECT revoked on the database: this user may not connect to it."""
    name = make_url(genebank_database).database
    admin(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC')
    err = stats(as_role(genebank_database, roles["login"]), capsys)
    answered_not_unreachable(err)
    assert f"{roles['login']} may not connect to the database '{name}'" in err
    error = driver_errors.classify(
        connect_error(as_role(genebank_database, roles["login"])),
        url=as_role(genebank_database, roles["login"]))
    assert error.code == "no_permission_to_connect"
    assert error.params["user"] == roles["login"]


def test_no_table_rights_is_no_permission_to_read_for_a_read(
        roles: dict[str, str], genebank_database: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A login role without table rights running `stats`: it may not read the database;
    never "refused the change" for a command that changes nothing."""
    role = roles["login"]
    err = stats(as_role(genebank_database, role), capsys)
    answered_not_unreachable(err)
    assert "refused the change" not in err
    assert f"you may not read '{as_role(genebank_database, role)}' (signed in as {role}: " \
           "permission denied for table alembic_version)" in err
    assert f"ask whoever runs the server to grant {role} access to it" in err.lower()


def test_a_write_refused_by_rights_is_no_permission_to_change(
        roles: dict[str, str], genebank_database: str) -> None:
    """The same refusal on a write is worded as a change; on a read, as a read."""
    url = as_role(genebank_database, roles["login"])
    write = driver_errors.classify(statement_error(
        url, "UPDATE alembic_version SET version_num = version_num"), url=url,
        operation="Saving KZ-1")
    read = driver_errors.classify(statement_error(url, "SELECT * FROM accession"), url=url)
    assert (write.code, read.code) == ("no_permission_to_change", "no_permission_to_read")
    assert str(write).startswith(f"Saving KZ-1: you may not change '{url}' (signed in as "
                                 f"{roles['login']}: permission denied for table "
                                 "alembic_version); nothing was changed")


def test_a_port_out_of_range_is_a_bad_address(genebank_database: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Port 99999 is not an address (like ':abc'), in the CLI and in the classification the
    GUI uses; a closed port stays 'cannot reach'."""
    url = make_url(genebank_database).set(port=99999).render_as_string(hide_password=False)
    err = stats(url, capsys)
    answered_not_unreachable(err)
    assert "is not a database address: the port after ':' must be a number from 1 to 65535" \
        in err
    error = driver_errors.classify(connect_error(url), url=url)
    assert error.code == "bad_server_address"
    assert "must be a number from 1 to 65535" in str(error) and "cannot reach" not in str(error)


def test_a_wrong_password_is_refused_sign_in() -> None:
    """This server trusts everyone, so the FATAL a wrong password brings is made here, as
    psycopg raises it (OperationalError, no SQLSTATE while connecting)."""
    url = "postgresql+psycopg://curator:s3cret@db.example:5432/genebank"
    raised = psycopg.OperationalError(
        'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
        'password authentication failed for user "curator"')
    error = driver_errors.classify(raised, url=url)
    assert error.code == "server_refused_sign_in" and error.params["user"] == "curator"
    assert "cannot reach" not in str(error) and "s3cret" not in str(error)


def test_an_empty_server_database_is_refused_in_words(
        capsys: pytest.CaptureFixture[str]) -> None:
    """`stats` on a server database with no Genebank in it: a plain refusal (not a
    TypeError from the refusal's own wording)."""
    if not postgres_server_url():
        pytest.skip("needs GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_empty")
    try:
        err = stats(url, capsys)
    finally:
        drop_postgres_database(url)
    assert "holds no Genebank database yet; nothing was created" in err


def test_a_mysql_address_is_not_supported(capsys: pytest.CaptureFixture[str]) -> None:
    """MySQL is not supported: say so, not "install the 'postgres' extra"."""
    assert cli.main(["--database", "mysql://x:pw@y/z", "stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "works with SQLite files and PostgreSQL servers only" in err
    assert "extra" not in err and "pw" not in err


def connect_error(url: str) -> DBAPIError:
    return statement_error(url, "SELECT 1")


def statement_error(url: str, statement: str) -> DBAPIError:
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
            connection.execute(text(statement))
        return caught.value
    finally:
        engine.dispose()


@pytest.fixture
def team() -> Iterator[dict[str, str]]:
    """A set-up server database (the DBA's address, its prefix) with its administrator
    Ada and the curator Olivier; dropped with its roles after."""
    from genebank import server_roles
    from genebank.users import accounts
    from genebank.users.actor import Actor, work_as
    from genebank.users.roles import Role

    if not postgres_server_url():
        pytest.skip("needs GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_refused_person")
    database = db.open_database(url, user="dba")
    prefix = ""
    try:
        with database.engine.begin() as connection:
            prefix = server_roles.set_up(connection).prefix
        with database.session_factory.begin() as session:
            made = accounts.create_first_administrator(session, name="Ada",
                                                       password="ada-secret-1")
            work_as(session, Actor(made.id, made.name, frozenset(made.roles)))
            accounts.add_user(session, name="Olivier", roles=[Role.CURATOR],
                              password="blé dur 2026")
        yield {"url": url, "prefix": prefix}
    finally:
        database.close()
        drop_postgres_database(url)
        if prefix:
            for name in _roles_of(prefix):
                admin(f'DROP ROLE "{name}"')


def _roles_of(prefix: str) -> list[str]:
    engine = create_engine(postgres_server_url())  # type: ignore[arg-type]
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"),
                {"p": prefix}).scalars())
    finally:
        engine.dispose()


def test_a_refusal_after_user_names_the_person_and_their_login_role(
        team: dict[str, str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`--user Olivier` on the DBA's address: the server refuses Olivier's login role, and
    the words name Olivier and that role, never the address's user (the DBA)."""
    login = team["prefix"] + "olivier"
    engine = create_engine(team["url"])
    with engine.begin() as connection:  # grants gone wrong: the curators may not read taxa
        connection.execute(text(f'REVOKE SELECT ON taxon FROM "{team["prefix"]}curator"'))
    engine.dispose()
    monkeypatch.setenv("GENEBANK_PASSWORD", "blé dur 2026")
    assert cli.main(["--database", team["url"], "--user", "Olivier", "stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    dba = make_url(team["url"]).username
    assert f"signed in as {dba}" not in err and f"{dba}@" not in err
    assert f"(signed in as Olivier, the server's login role {login}: permission denied " \
           "for table taxon)" in err
    assert "ask an administrator for a role that may" in err
