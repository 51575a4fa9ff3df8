"""How long a PostgreSQL connection waits on a network that has gone: libpq's TCP keepalives,
connect timeout and TCP user timeout, given to every connection Genebank makes.

Why: without them a dropped connection (a cable pulled, a VPN gone, a server switched off
mid-query) leaves a read or a save hanging until the operating system gives up, which takes
minutes to hours; ``statement_timeout`` does not help, since the server never hears of it.
With them the workstation notices in about half a minute and the operation ends in a plain
message (the driver's error is worded by :mod:`genebank.driver_errors`).

A value the user set is kept: in the address (``?keepalives_idle=60``), in the libpq service
it names (``?service=`` or ``PGSERVICE``), or ``PGCONNECT_TIMEOUT``. Only libpq drivers
(psycopg, psycopg2) take these options.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL

# Seconds, except tcp_user_timeout (milliseconds): a silent network is noticed after about
# 10 + 3 × 5 = 25 s idle, or 30 s of data unacknowledged while sending.
DEFAULTS: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "connect_timeout": 10,
    "tcp_user_timeout": 30_000,
}
LIBPQ_DRIVERS = {"psycopg", "psycopg2"}
TCP_USER_TIMEOUT_SINCE = 120_000  # libpq 12
FROM_ENVIRONMENT = {"connect_timeout": "PGCONNECT_TIMEOUT"}


def connect_args(url: URL, environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """The options to add to a connection to ``url``: :data:`DEFAULTS` but those the user
    set (see the module's docstring) and those this libpq does not know."""
    if url.get_driver_name() not in LIBPQ_DRIVERS:
        return {}
    environ = os.environ if environ is None else environ
    given = {key.lower() for key in url.query}
    service = url.query.get("service") or environ.get("PGSERVICE")
    if isinstance(service, tuple):
        service = service[-1]
    if service:
        given |= set(service_options(str(service), environ))
    given |= {key for key, variable in FROM_ENVIRONMENT.items() if environ.get(variable)}
    options = {key: value for key, value in DEFAULTS.items() if key not in given}
    if libpq_version(url.get_driver_name()) < TCP_USER_TIMEOUT_SINCE:
        options.pop("tcp_user_timeout", None)
    return options


def service_options(service: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The options the libpq service ``service`` sets, from the first service file that
    defines it, looked up as libpq does (the user's file, then the system's)."""
    files = [Path(environ["PGSERVICEFILE"]) if environ.get("PGSERVICEFILE")
             else _user_service_file(environ)]
    if environ.get("PGSYSCONFDIR"):
        files.append(Path(environ["PGSYSCONFDIR"]) / "pg_service.conf")
    for path in files:
        parser = configparser.ConfigParser(interpolation=None, strict=False,
                                           comment_prefixes=("#",), delimiters=("=",))
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue  # libpq itself says what is wrong with the file when it connects
        if parser.has_section(service):
            return dict(parser.items(service))
    return {}


def _windows() -> bool:
    return os.name == "nt"


def _user_service_file(environ: Mapping[str, str]) -> Path:
    """The user's service file where libpq looks for it (its pqGetHomeDirectory):
    ``%APPDATA%/postgresql/.pg_service.conf`` on Windows, ``~/.pg_service.conf`` elsewhere."""
    if _windows():
        appdata = environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(appdata) / "postgresql" / ".pg_service.conf"
    return Path(environ.get("HOME") or Path.home()) / ".pg_service.conf"


def libpq_version(driver: str) -> int:
    """The version of the libpq the driver uses (e.g. 170002), 0 when it cannot say."""
    try:
        if driver == "psycopg2":
            import psycopg2.extensions

            return int(psycopg2.extensions.libpq_version())
        import psycopg

        return int(psycopg.pq.version())
    except (ImportError, AttributeError):
        return 0
