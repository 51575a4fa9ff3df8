"""Every PostgreSQL connection carries libpq's TCP keepalives, a connect timeout and a TCP
user timeout, so that a dropped network ends a read or a save in about half a minute
instead of hanging for minutes; values the user set in the address or service are kept."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import text
from sqlalchemy.engine import make_url

from genebank import db, network_timeouts
from tests.conftest import postgres_server_url

NONE_SET: dict[str, str] = {}


@pytest.fixture
def server() -> Iterator[str]:
    url = postgres_server_url()
    if not url:
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    yield url


def connected_with(url: str) -> dict[str, str]:
    """The libpq options of a connection Genebank's engine made to ``url``, as the driver
    reports them (its dsn, password left out), after the server answered."""
    engine = db.create_engine_for(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
            return conninfo_to_dict(connection.connection.driver_connection.info.dsn)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_server_connection_carries_keepalives_and_timeouts(
        server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGCONNECT_TIMEOUT", raising=False)
    monkeypatch.delenv("PGSERVICE", raising=False)
    options = connected_with(server)
    assert {key: options.get(key) for key in network_timeouts.DEFAULTS} == {
        "keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5",
        "keepalives_count": "3", "connect_timeout": "10", "tcp_user_timeout": "30000"}


@pytest.mark.postgres
def test_values_set_in_the_address_are_kept(
        server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGSERVICE", raising=False)
    joiner = "&" if "?" in server else "?"
    options = connected_with(f"{server}{joiner}keepalives_idle=42&connect_timeout=3")
    assert (options["keepalives_idle"], options["connect_timeout"]) == ("42", "3")
    assert options["keepalives_count"] == "3"  # the others are still given


@pytest.mark.postgres
def test_values_set_in_the_service_file_and_environment_are_kept(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = make_url(server)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        "# the centre's services\n[genebank]\n"
        f"host={parsed.host}\nport={parsed.port or 5432}\ndbname={parsed.database}\n"
        f"user={parsed.username}\nkeepalives_idle=77\ntcp_user_timeout=9000\n",
        encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "4")
    monkeypatch.delenv("PGSERVICE", raising=False)
    options = connected_with("postgresql+psycopg://?service=genebank")
    assert (options["keepalives_idle"], options["tcp_user_timeout"],
            options["connect_timeout"]) == ("77", "9000", "4")
    assert options["keepalives_interval"] == "5"


def test_options_only_for_libpq_drivers_and_the_libpq_that_knows_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert network_timeouts.connect_args(
        make_url("postgresql+pg8000://u@h/db"), NONE_SET) == {}
    monkeypatch.setattr(network_timeouts, "libpq_version", lambda _driver: 110_005)
    given = network_timeouts.connect_args(make_url("postgresql+psycopg://u@h/db"), NONE_SET)
    assert "tcp_user_timeout" not in given and given["keepalives_idle"] == 10


def test_a_named_service_missing_from_the_files_keeps_the_defaults(tmp_path: Path) -> None:
    environ = {"PGSERVICEFILE": str(tmp_path / "none.conf"), "PGSYSCONFDIR": str(tmp_path),
               "PGSERVICE": "elsewhere"}
    (tmp_path / "pg_service.conf").write_text("[genebank]\nkeepalives=0\n", encoding="utf-8")
    assert network_timeouts.connect_args(
        make_url("postgresql+psycopg://u@h/db"), environ)["keepalives"] == 1
    environ["PGSERVICE"] = "genebank"  # found in the system's file: its choice is kept
    assert "keepalives" not in network_timeouts.connect_args(
        make_url("postgresql+psycopg://u@h/db"), environ)


def test_a_server_that_never_answers_is_given_up_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A listening port that never answers (a server hung, or a network that lost its
    replies) ends the opening in a plain refusal after the connect timeout; without one
    libpq waits for ever."""
    monkeypatch.setitem(network_timeouts.DEFAULTS, "connect_timeout", 2)
    monkeypatch.delenv("PGCONNECT_TIMEOUT", raising=False)
    monkeypatch.delenv("PGSERVICE", raising=False)
    outcome: list[BaseException] = []
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # the kernel accepts; nothing ever reads or answers
        url = f"postgresql+psycopg://genebank@127.0.0.1:{silent.getsockname()[1]}/genebank"

        def open_it() -> None:
            try:
                db.open_database(url, create=False)
            except BaseException as error:  # handed to the test below
                outcome.append(error)

        started = time.monotonic()
        worker = threading.Thread(target=open_it, daemon=True)
        worker.start()
        worker.join(15)
        assert not worker.is_alive(), "the opening still waits for the silent server"
    assert time.monotonic() - started < 10
    assert isinstance(outcome[0], db.DatabaseUnavailable)
    assert outcome[0].params["fault"] == "server_unreachable"


def test_the_users_service_file_on_windows_is_where_libpq_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows libpq reads the user's service file from %APPDATA%\\postgresql (not
    the home folder): a value set there is kept, not replaced by Genebank's default
    (review; on main the file was looked for in the home folder and its values overridden)."""
    monkeypatch.setattr(network_timeouts, "_windows", lambda: True, raising=False)
    folder = tmp_path / "AppData" / "Roaming" / "postgresql"
    folder.mkdir(parents=True)
    (folder / ".pg_service.conf").write_text("[genebank]\nconnect_timeout=45\n",
                                             encoding="utf-8")
    environ = {"APPDATA": str(tmp_path / "AppData" / "Roaming"),
               "HOME": str(tmp_path / "home"), "USERPROFILE": str(tmp_path / "home")}
    given = network_timeouts.connect_args(
        make_url("postgresql+psycopg://u@h/db?service=genebank"), environ)
    assert "connect_timeout" not in given and given["keepalives_idle"] == 10
