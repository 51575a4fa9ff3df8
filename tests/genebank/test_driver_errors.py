"""One classification of driver errors, checked against real faults on both databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from genebank import db, driver_errors, problems
from genebank.io.files import FileNotWritten
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused


def fault(url: str, *statements: str) -> DBAPIError:
    """The driver error the statements raise on ``url`` (each in its own transaction)."""
    engine = create_engine(url, connect_args={"connect_timeout": 2}
                           if url.startswith("postgresql") else {})
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        return caught.value
    finally:
        engine.dispose()


CHECK = ("CREATE TEMP TABLE t (n integer CHECK (n > 0))", "INSERT INTO t VALUES (-1)")
UNIQUE = ("CREATE TEMP TABLE u (n integer UNIQUE)", "INSERT INTO u VALUES (1)",
          "INSERT INTO u VALUES (1)")


@pytest.mark.postgres
def test_a_postgresql_refusal_is_not_called_unreachable_a_closed_port_is(
        postgres_url: str) -> None:
    """A check violation the server answers with is a refusal (class 23), a wrong value too;
    a closed port is 'cannot reach the server', naming host, port and database."""
    refused = driver_errors.classify(fault(postgres_url, *CHECK), url=postgres_url,
                                     operation="Saving")
    assert refused.code == "conflicts_with_stored"
    assert "violates check constraint" in str(refused.params["detail"])
    cast = driver_errors.classify(fault(postgres_url, "SELECT CAST('x' AS integer)"),
                                  url=postgres_url)
    assert cast.code == "refused_by_database"
    assert "cannot reach" not in str(refused) + str(cast)
    closed = "postgresql+psycopg://postgres:s3cret@127.0.0.1:1/genebank"
    lost = driver_errors.classify(fault(closed, "SELECT 1"), url=closed, operation="Saving")
    assert lost.code == "server_unreachable"
    assert lost.params["server"] == "127.0.0.1:1" and lost.params["name"] == "genebank"
    assert str(lost).startswith("Saving: cannot reach the PostgreSQL server 127.0.0.1:1 "
                                "(database 'genebank'): ")
    assert "s3cret" not in str(lost) + repr(lost.params)



def test_a_server_without_the_database_is_not_called_unreachable(postgres_url: str) -> None:
    """Connecting to a database the server does not have: the server answered, so the
    message says the name is not there (and what to do), not 'cannot reach the server'."""
    missing = db.make_url(postgres_url).set(database="no_such_genebank").render_as_string(
        hide_password=False)
    problem = driver_errors.classify(fault(missing, "SELECT 1"), url=missing)
    assert problem.code == "server_has_no_such_database", problem
    assert problem.params["name"] == "no_such_genebank"
    assert "cannot reach" not in str(problem) and "createdb no_such_genebank" in str(problem)
    with pytest.raises(db.DatabaseError) as refused:
        db.open_database(missing, create=False)
    assert "cannot reach" not in str(refused.value), refused.value
    assert "no database named 'no_such_genebank'" in str(refused.value)

@pytest.mark.postgres
def test_a_connection_the_server_ends_is_unreachable(postgres_url: str) -> None:
    """The server terminating our session mid-work (an administrator, a restart) is a lost
    connection, not a refusal."""
    engine = create_engine(postgres_url)
    victim, killer = engine.connect(), engine.connect()
    try:
        pid = victim.execute(text("SELECT pg_backend_pid()")).scalar_one()
        killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as caught:
            victim.execute(text("SELECT 1"))
    finally:
        victim.close()
        killer.close()
        engine.dispose()
    assert driver_errors.classify(caught.value, url=postgres_url).code == "server_unreachable"


def test_sqlite_faults_are_named_for_what_they_are(tmp_path: Path) -> None:
    """Real SQLite faults: a constraint, a full database (max_page_count), a lock held by
    another connection, a read-only file and a file that is not a database."""
    path = tmp_path / "x.sqlite"
    url = db.sqlite_url(path)
    assert driver_errors.classify(fault(url, *CHECK), url=url).code == "conflicts_with_stored"
    assert driver_errors.classify(fault(url, *UNIQUE), url=url).code == "conflicts_with_stored"
    full = fault(url, "PRAGMA max_page_count = 2", "CREATE TABLE f (x text)",
                 "INSERT INTO f VALUES (zeroblob(100000))")
    said = driver_errors.classify(full, url=url, operation="Importing")
    assert said.code == "database_disk_full" and said.params["database"] == str(path)
    assert str(said).startswith(f"Importing: the disk holding '{path}' is full; nothing")

    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        locked = fault(url + "?timeout=0", "CREATE TABLE g (x)")
    finally:
        holder.rollback()
        holder.close()
    assert driver_errors.classify(locked, url=url).code == "database_in_use"

    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    assert driver_errors.classify(fault(read_only, "CREATE TABLE h (x)"),
                                  url=url).code == "database_read_only"
    other = tmp_path / "notes.sqlite"
    other.write_bytes(b"these are not the pages of a database " * 200)
    unreadable = driver_errors.classify(fault(db.sqlite_url(other), "SELECT * FROM t"),
                                        url=db.sqlite_url(other))
    assert unreadable.code == "database_unreadable" and "not a database" in str(unreadable)


def test_the_cli_description_is_the_classification() -> None:
    """db.describe_driver_error prints the classified problem's English (one wording)."""
    error = sqlite3.OperationalError("disk I/O error")
    url = "sqlite:////data/genebank.sqlite"
    assert db.describe_driver_error(url, error, operation="Saving") == str(
        driver_errors.classify(error, url=url, operation="Saving"))
    assert driver_errors.classify(error, url=url).code == "database_io_error"


def test_core_errors_are_coded_with_params() -> None:
    """The old error types are one Coded type, with codes and params, their English kept."""
    for error in (NotFound("accession 12 no longer exists"),
                  Refused("tsw_missing"), FileNotWritten("exists", path="a.xlsx"),
                  db.DatabaseMissing("'x' does not exist", params={"path": "x"})):
        assert isinstance(error, problems.Coded) and problems.is_coded(error)
        assert error.code and isinstance(error.params, dict) and str(error)
    assert NotFound("accession 12 no longer exists").params == {
        "reason": "accession 12 no longer exists"}


def test_a_code_means_one_thing() -> None:
    """Registering a code again with other words is refused (codes shared by the core)."""
    problems.register({"database_disk_full": driver_errors.TEMPLATES["database_disk_full"]})
    with pytest.raises(ValueError, match="disk_full"):
        problems.register({"disk_full": "some other sentence about {path}"})
