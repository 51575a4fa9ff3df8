"""One way to say what went wrong: the GUI and the CLI say the same fault with the same facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from genebank import cli, db
from ui import database_opening, messages, operations

CLOSED = "postgresql+psycopg://postgres:s3cret@127.0.0.1:1/genebank?connect_timeout=2"


def fault(url: str, *statements: str) -> DBAPIError:
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        return caught.value
    finally:
        engine.dispose()


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def test_the_gui_and_the_cli_word_a_full_sqlite_database_alike(tmp_path: Path) -> None:
    """A real full database (max_page_count), a real constraint and a real lock: the GUI's
    sentence is the CLI's, with the operation, the file and the driver's words."""
    url = db.sqlite_url(tmp_path / "x.sqlite")
    errors = [fault(url, "PRAGMA max_page_count = 2", "CREATE TABLE f (x text)",
                    "INSERT INTO f VALUES (zeroblob(100000))"),
              fault(url, "CREATE TEMP TABLE u (n integer UNIQUE)", "INSERT INTO u VALUES (1)",
                    "INSERT INTO u VALUES (1)")]
    for error in errors:
        gui = operations.message(error, operation="Importing passport data", database=url)
        cli_line = db.describe_driver_error(url, error, operation="Importing passport data")
        assert gui == capitalised(cli_line)
        assert gui.startswith("Importing passport data: ")
    assert str(tmp_path / "x.sqlite") in operations.message(errors[0], database=url)


@pytest.mark.postgres
def test_the_gui_and_the_cli_say_a_closed_port_alike(
        postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening a server that does not answer: the CLI's line and the window's message name
    the same server, port and database, and neither shows the password; a value the server
    refuses is not 'cannot reach'."""
    assert cli.main(["--database", CLOSED, "stats"]) == 1
    cli_line = capsys.readouterr().err.strip().splitlines()[-1]
    with pytest.raises(db.DatabaseError) as caught:
        db.open_database(CLOSED)
    gui = database_opening.describe(caught.value)
    assert cli_line == "genebank: " + str(caught.value)
    assert gui == capitalised(str(caught.value))
    assert gui.startswith("Cannot reach the PostgreSQL server 127.0.0.1:1 (database "
                          "'genebank'): ")
    assert "s3cret" not in gui + cli_line
    refused = fault(postgres_url, "SELECT CAST('x' AS integer)")
    said = operations.message(refused, operation="Saving", database=postgres_url)
    assert said == capitalised(db.describe_driver_error(postgres_url, refused,
                                                        operation="Saving"))
    assert "cannot reach" not in said.lower()


def test_opening_and_operations_use_one_function() -> None:
    """The words for a refusal to open and for a failed operation are one function's."""
    missing = db.DatabaseMissing("'x' does not exist", params={"path": "/data/x.sqlite"})
    assert database_opening.describe(missing) == operations.message(missing) \
        == messages.say(missing)
    assert database_opening.describe(missing).startswith(
        "The database file /data/x.sqlite does not exist; nothing was created.")
    busy = db.DatabaseUnavailable("x", params={"database": "", "detail": "disk I/O error",
                                               "operation": "", "fault": "database_io_error"})
    assert database_opening.describe(busy).startswith("The database could not be written "
                                                      "or read (a disk or network error: ")


def test_a_fault_of_ours_names_the_operation_as_titled_not_inside_a_sentence() -> None:
    """A dialog's title is the operation ("Void a test"): it leads the message as it does in
    "Void a test: cancelled", never lower-cased into "while void a test" (QA session 6)."""
    said = messages.say(KeyError("row"), operation="Void a test")
    assert said.startswith("Void a test: something went wrong (KeyError: 'row'); nothing was "
                           "changed"), said
    assert "while" not in said
    assert messages.say(KeyError("row")).startswith("Something went wrong (KeyError: 'row')")
