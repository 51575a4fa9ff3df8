"""A private PostgreSQL server that wants a password (SCRAM), for the sign-in tests.

The test server of the suite trusts everyone, so it never asks libpq for a password; this
one does. It is made with ``initdb`` in a temporary folder (about 2 s) and stopped at the end;
the tests that use it are skipped where PostgreSQL's programs are not installed.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "Tr0ub4dor&3 p@ss:w/rd%"  # every character a URL must quote


@dataclass(frozen=True)
class PasswordServer:
    host: str
    port: int
    user: str
    password: str
    folder: Path

    def url(self, database: str = "postgres") -> str:
        """The address without the password, as Genebank keeps it."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database on this server; returns its address without the password."""
        from sqlalchemy import URL, create_engine, text

        name = f"genebank_{uuid.uuid4().hex[:10]}"
        admin = create_engine(URL.create("postgresql+psycopg", username=self.user,
                                         password=self.password, host=self.host,
                                         port=self.port, database="postgres"),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def pgpass(self, path: Path, password: str | None = None) -> Path:
        """A PostgreSQL password file giving this server's password (mode 0600)."""
        escaped = (password or self.password).replace("\\", "\\\\").replace(":", "\\:")
        path.write_text(f"{self.host}:{self.port}:*:{self.user}:{escaped}\n", encoding="utf-8")
        path.chmod(0o600)
        return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


@pytest.fixture(scope="session")
def password_server() -> Iterator[PasswordServer]:
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres account
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a 'postgres' account for initdb")
        as_user = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="genebank-pgpw-"))
    secret = folder / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        os.chown(secret, owner.pw_uid, owner.pw_gid)
    data, port = folder / "data", _free_port()
    subprocess.run([*as_user, initdb, "-D", str(data), "-U", "postgres", "-N",
                    "--auth=scram-sha-256", f"--pwfile={secret}"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-w", "-l", str(folder / "log"),
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield PasswordServer("127.0.0.1", port, "postgres", PASSWORD, folder)
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def no_pg_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No password, password file or service from the person running the tests: libpq
    sees only what a test gives it. Returns a folder for the test's own files."""
    for name in ("PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGUSER",
                 "PGHOST", "PGPORT", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    monkeypatch.setenv("PGSYSCONFDIR", str(tmp_path))  # no system-wide service file
    return tmp_path
