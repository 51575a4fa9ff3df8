"""resolve-duplicates takes the careful path of opening: another program's file and a
damaged file are refused without a byte changed, and an older server database is brought
to 0007 only by a role that may upgrade it, after confirming a backup exists."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from genebank import cli, db
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.genebank.test_opening import companions, damage_a_page, digest
from tests.migrations.test_identity_key import _store


def _revision(url: str) -> str | None:
    engine = db.create_engine_for(url)
    try:
        return db.schema_revision(engine)[0]
    finally:
        engine.dispose()


def test_another_programs_file_is_refused_without_a_byte_changed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """resolve-duplicates on another program's SQLite file says so and leaves it exactly
    as it was: same bytes, no -wal, -shm or lock file."""
    path = tmp_path / "herbarium.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE specimens (id INTEGER PRIMARY KEY, label TEXT)")
        connection.executemany("INSERT INTO specimens (label) VALUES (?)",
                               [(f"sheet {n}",) for n in range(50)])
    connection.close()
    before = digest(path)
    for how in ("--rename", "--merge"):
        assert cli.main(["--database", str(path), "resolve-duplicates", how]) == 1
        assert "not a Genebank database" in capsys.readouterr().err
    assert digest(path) == before
    assert companions(path) == []


def test_a_damaged_file_is_refused_before_any_change(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file holding duplicates and a damaged page is refused by the integrity check with
    advice; it is not backed up, renamed into, upgraded or switched to WAL."""
    path = tmp_path / "collection.sqlite"
    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine, "0006")
    with engine.begin() as connection:
        _store(connection)
    engine.dispose()
    damage_a_page(path, "institute")
    before = digest(path)
    assert cli.main(["--database", str(path), "resolve-duplicates", "--rename"]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err and "backup" in err
    assert digest(path) == before
    assert companions(path) == []


def test_a_missing_file_is_refused_and_nothing_created(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped path creates nothing."""
    path = tmp_path / "typo" / "collection.sqlite"
    assert cli.main(["--database", str(path), "resolve-duplicates", "--merge"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not path.parent.exists()


@pytest.fixture
def older_server_with_duplicates() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_resolve")
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0006")
    with engine.begin() as connection:
        _store(connection)
    engine.dispose()
    yield url
    drop_postgres_database(url)


@pytest.mark.postgres
def test_an_older_server_database_is_brought_to_0007_only_with_the_owners_confirmation(
        older_server_with_duplicates: str, capsys: pytest.CaptureFixture[str]) -> None:
    """At 0006: another role is refused; the owner without --yes (no terminal to ask) is
    told to back up first; nothing changes until the owner confirms with --yes."""
    url = older_server_with_duplicates
    clerk = f"genebank_clerk_{uuid.uuid4().hex[:8]}"
    admin = db.create_engine_for(postgres_server_url())  # type: ignore[arg-type]
    with admin.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{clerk}" LOGIN'))
    engine = db.create_engine_for(url)
    with engine.begin() as connection:
        connection.execute(text(f'GRANT SELECT, UPDATE, INSERT, DELETE ON ALL TABLES IN '
                                f'SCHEMA public TO "{clerk}"'))
    engine.dispose()
    clerk_url = make_url(url).set(username=clerk).render_as_string(hide_password=False)
    try:
        assert cli.main(["--database", clerk_url, "resolve-duplicates", "--rename",
                         "--yes"]) == 1
        assert "needs upgrading by" in capsys.readouterr().err
        assert _revision(url) == "0006"

        assert cli.main(["--database", url, "resolve-duplicates", "--rename"]) == 1
        printed = capsys.readouterr()
        assert "backup" in printed.out and "--yes" in printed.err
        assert _revision(url) == "0006"

        assert cli.main(["--database", url, "resolve-duplicates", "--rename", "--yes"]) == 0
        assert "Resolved 2 group(s)" in capsys.readouterr().out
        assert _revision(url) == "0007"
        db.open_database(url, upgrade_confirmed=True).close()
        assert _revision(url) == db.SCHEMA_REVISION
    finally:
        drop_postgres_database(url)  # its grants first, then the role
        with admin.begin() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{clerk}"'))
        admin.dispose()
