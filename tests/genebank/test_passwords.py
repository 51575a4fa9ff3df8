"""Database passwords are never shown nor kept, and PostgreSQL's own password and service
files are honoured: against the suite's server and a private one that wants a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from genebank import cli, connection_urls, db
from tests.password_server import PasswordServer, no_pg_environment, password_server

__all__ = ["no_pg_environment", "password_server"]  # fixtures used below

SECRET = "s3cret-Pa55"


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://curator:{SECRET}@db.example.org:5433/genebank",
    f"postgresql+psycopg://curator@db.example.org/genebank?password={SECRET}&sslmode=require",
    f"postgresql://curator:{SECRET}@db.example.org/genebank?password={SECRET}",
])
def test_a_url_is_kept_and_shown_without_its_password(url: str) -> None:
    """Neither the kept nor the shown address holds the password, or a mask saying so."""
    kept, seen = connection_urls.without_password(url), connection_urls.shown(url)
    for text in (kept, seen):
        assert SECRET not in text and "***" not in text
        assert "curator@db.example.org" in text and "/genebank" in text
    assert connection_urls.has_password(url) and not connection_urls.has_password(kept)
    assert "sslmode=require" in kept or "sslmode" not in url  # other options stay
    again = make_url(connection_urls.with_password(kept, "p@ss:w/rd%"))
    assert again.password == "p@ss:w/rd%"  # quoted, and read back exactly
    assert connection_urls.without_password(f"sqlite:///{SECRET}/x.sqlite").endswith("x.sqlite")


def test_an_open_server_database_never_shows_its_password(postgres_url: str) -> None:
    """display_name, the CLI's lines and its error messages name the server without the
    password given in the URL (the suite's server accepts any password)."""
    parsed = make_url(postgres_url)
    with_secret = parsed.set(password=SECRET, query={"password": SECRET}) \
        .render_as_string(hide_password=False)
    database = db.open_database(with_secret)
    try:
        assert SECRET not in database.display_name and "***" not in database.display_name
        assert parsed.database in database.display_name
    finally:
        database.close()
    unreachable = parsed.set(password=SECRET, port=1).render_as_string(hide_password=False)
    with pytest.raises(db.DatabaseError) as refused:
        db.open_database(unreachable)
    assert SECRET not in str(refused.value)


def test_the_cli_prints_no_password(postgres_url: str, capsys: pytest.CaptureFixture[str]) \
        -> None:
    """`genebank init --database URL-with-password` says where, without the password."""
    with_secret = make_url(postgres_url).set(password=SECRET).render_as_string(
        hide_password=False)
    assert cli.main(["--database", with_secret, "init"]) == 0
    printed = capsys.readouterr()
    assert make_url(postgres_url).database in printed.out
    assert SECRET not in printed.out + printed.err and "***" not in printed.out


def test_a_service_url_connects(postgres_url: str, no_pg_environment: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`postgresql+psycopg:///?service=NAME` reads server, port, database and user from
    PostgreSQL's service file, as psql does."""
    parsed = make_url(postgres_url)
    services = no_pg_environment / "pg_service.conf"
    services.write_text(f"[genebank-test]\nhost={parsed.host}\nport={parsed.port or 5432}\n"
                        f"dbname={parsed.database}\nuser={parsed.username}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    database = db.open_database("postgresql+psycopg:///?service=genebank-test")
    try:
        with database.session_factory() as session:
            assert session.connection().exec_driver_sql(
                "SELECT current_database()").scalar() == parsed.database
        assert "service=genebank-test" in database.display_name
    finally:
        database.close()


def test_two_services_are_two_databases() -> None:
    """Addresses that differ only in their service name are different databases."""
    assert not db.same_database("postgresql+psycopg:///?service=genebank",
                                "postgresql+psycopg:///?service=training")
    assert db.same_database("postgresql+psycopg:///?service=genebank",
                            "postgresql:///?service=genebank")


def test_a_server_that_wants_a_password_says_so(password_server: PasswordServer,
                                               no_pg_environment: Path) -> None:
    """Without a password or a password file, opening fails in a way the GUI recognises
    as "ask for the password" (and a wrong password the same), naming no password."""
    url = password_server.new_database()
    with pytest.raises(db.DatabaseError) as missing:
        db.open_database(url)
    assert connection_urls.needs_password(missing.value)
    with pytest.raises(db.DatabaseError) as wrong:
        db.open_database(connection_urls.with_password(url, "not-it"))
    assert connection_urls.needs_password(wrong.value)
    assert "not-it" not in str(wrong.value)
    with pytest.raises(db.DatabaseError) as unreachable:
        db.open_database(make_url(url).set(port=1).render_as_string(hide_password=False))
    assert not connection_urls.needs_password(unreachable.value)


def test_the_password_file_and_a_typed_password_open_it(password_server: PasswordServer,
                                                        no_pg_environment: Path,
                                                        monkeypatch: pytest.MonkeyPatch) \
        -> None:
    """PGPASSFILE answers for a URL without a password; a typed password opens it too,
    and neither is shown by the open database."""
    url = password_server.new_database()
    database = db.open_database(connection_urls.with_password(url, password_server.password))
    try:
        assert password_server.password not in database.display_name
        assert "***" not in database.display_name
    finally:
        database.close()
    monkeypatch.setenv("PGPASSFILE", str(password_server.pgpass(no_pg_environment / "pgpass")))
    database = db.open_database(url)
    try:
        with database.session_factory() as session:
            assert session.connection().exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        database.close()
