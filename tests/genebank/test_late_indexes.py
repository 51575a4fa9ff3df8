"""A large import into a small SQLite database builds the secondary indexes after its rows
are in; all or nothing still: a killed import leaves the file whole with every index, and
PostgreSQL or a large database never has an index dropped."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from genebank import cli, db
from genebank.services import bulk, late_indexes
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.genebank.mcpd_files import write_mcpd_csv

ROOT = Path(__file__).resolve().parents[2]
FILLED = ("accession", "accession_name", "accession_other_number", "accession_storage",
          "accession_institute", "accession_remark")


def index_list(path: str | Path) -> list[tuple[str, str, str | None]]:
    """Every index of the file: name, table and the SQL that makes it."""
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT name, tbl_name, sql FROM sqlite_master "
                                  "WHERE type = 'index' ORDER BY name").fetchall()

@pytest.fixture
def own_postgres() -> Iterator[str]:
    """A PostgreSQL database of this test's own, created as `genebank init` does."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_late")
    db.open_database(url, user="tester").close()
    yield url
    drop_postgres_database(url)



def integrity(path: str | Path) -> list[tuple[str]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchall()


def accession_count(path: str | Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM accession").fetchone()[0]


@pytest.fixture
def few_rows_count(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A few hundred rows count as a large import (the files stay small)."""
    monkeypatch.setattr(late_indexes, "LEAST_ROWS", 200)
    yield


def indexes_seen_by_inserts(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """For each bulk INSERT on SQLite, the secondary indexes its table had then."""
    seen: list[set[str]] = []
    real = bulk._insert_sqlite

    def noting(connection: sqlite3.Connection, table: str, *args: object) -> None:
        if table == "change_entry":  # new entries come last in its indexes: kept
            real(connection, table, *args)  # type: ignore[arg-type]
            return
        seen.append({name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,))})
        real(connection, table, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "_insert_sqlite", noting)
    return seen


def test_a_large_import_into_a_small_database_builds_its_indexes_after_the_rows(
        sqlite_database: db.Database, tmp_path: Path, few_rows_count: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """300 rows into an empty file: the inserts meet no secondary index of the tables they
    fill, yet the unique identity index is there; afterwards every index is back as it
    was, the file is whole, and the indexes answer (a duplicate is still refused)."""
    path = db.sqlite_path(sqlite_database.url)
    before = index_list(path)
    seen = indexes_seen_by_inserts(monkeypatch)
    assert cli.main(["--database", sqlite_database.url, "import-mcpd",
                     str(write_mcpd_csv(tmp_path / "big.csv", 300))]) == 0
    assert seen and all(found == set() for found in seen)
    assert index_list(path) == before
    assert integrity(path) == [("ok",)]
    assert accession_count(path) == 300
    with sqlite3.connect(path) as connection:
        plan = " ".join(row[3] for row in connection.execute(
            "EXPLAIN QUERY PLAN SELECT accession_id FROM accession_name WHERE name = 'Name 5'"))
    assert "ix_accession_name_name" in plan


def test_an_import_smaller_than_the_database_keeps_its_indexes_up_to_date(
        sqlite_database: db.Database, tmp_path: Path, few_rows_count: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """250 rows into a database of 300: the indexes stay while the rows go in (building
    them again would cost more than it saves)."""
    assert cli.main(["--database", sqlite_database.url, "import-mcpd",
                     str(write_mcpd_csv(tmp_path / "first.csv", 300))]) == 0
    seen = indexes_seen_by_inserts(monkeypatch)
    assert cli.main(["--database", sqlite_database.url, "import-mcpd",
                     str(write_mcpd_csv(tmp_path / "second.csv", 250, prefix="C"))]) == 0
    by_table = dict(zip(FILLED, seen, strict=False))
    assert "ix_accession_name_name" in by_table["accession_name"]
    assert "ix_accession_first_name" in by_table["accession"]


@pytest.mark.postgres
def test_postgresql_never_drops_an_index(own_postgres: str, tmp_path: Path,
                                         few_rows_count: None) -> None:
    """On a server dropping an index would lock every workstation out for the whole
    import: a large import into an empty PostgreSQL database drops none."""
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", note)  # every engine the command opens
    try:
        assert cli.main(["--database", own_postgres, "import-mcpd",
                         str(write_mcpd_csv(tmp_path / "big.csv", 300))]) == 0
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert any("INSERT INTO accession " in s for s in statements)
    assert not [s for s in statements if "DROP INDEX" in s.upper()]


# The import, in a process of its own: after its first bulk INSERT it says so and waits to
# be killed (as a power cut or the task manager would end it).
PAUSED_IMPORT = textwrap.dedent("""
    import sys
    from genebank.services import bulk, late_indexes
    late_indexes.LEAST_ROWS = 200
    real = bulk._insert_sqlite
    calls = []
    def paused(connection, table, *args):
        real(connection, table, *args)
        calls.append(table)
        if len(calls) == 3:
            print("importing", flush=True)
            sys.stdin.readline()  # until killed
    bulk._insert_sqlite = paused
    from genebank import cli
    sys.exit(cli.main(sys.argv[1:]))
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_an_import_killed_with_its_indexes_dropped_leaves_the_database_as_before(
        sqlite_database: db.Database, tmp_path: Path) -> None:
    """SIGKILL while the rows go in without their indexes: the file passes its integrity
    check with every index as before and no row of the import; the same file then
    imports whole."""
    url = sqlite_database.url
    path = db.sqlite_path(url)
    sqlite_database.close()
    before = index_list(path)
    source = write_mcpd_csv(tmp_path / "big.csv", 600)
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, "--database", url, "import-mcpd", str(source)],
        cwd=ROOT, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        while line and line != "importing\n":
            line = process.stdout.readline()
        assert line == "importing\n", process.stderr.read() if process.stderr else ""
        with sqlite3.connect(path) as reader:  # what the killed import had changed, unseen
            dropped = reader.execute("SELECT count(*) FROM sqlite_master "
                                     "WHERE name = 'ix_accession_name_name'").fetchone()
        assert dropped == (1,)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert integrity(path) == [("ok",)]
    assert index_list(path) == before
    assert accession_count(path) == 0
    assert cli.main(["--database", url, "import-mcpd", str(source)]) == 0
    assert accession_count(path) == 600
    assert index_list(path) == before and integrity(path) == [("ok",)]
