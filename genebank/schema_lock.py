"""One workstation at a time creates or upgrades a database; the others wait, then use it.

Three workstations starting at once on a new or older database would otherwise each try to
create or upgrade it, and two would fail half-way. On SQLite the lock is an operating-system
lock on a small file beside the database (``<name>.lock``), taken only while creating or
upgrading: the kernel releases it when its holder dies, even by SIGKILL, so a crash never
leaves the database locked. On PostgreSQL it is a transaction-level advisory lock with a fixed
key, released by the server at commit, rollback or disconnection.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, text

from genebank.problems import Coded, register

# Any fixed 64-bit number, the same in every Genebank version: "GeneBank" in ASCII.
ADVISORY_KEY = 0x47656E6542616E6B
WAIT_SECONDS = 600.0
POLL_SECONDS = 0.05


register({"schema_lock_timeout": "another workstation has been creating or upgrading the "
                                  "database for {seconds} s (it holds '{lock}'); wait for "
                                  "it to finish, then open the database again"})


class SchemaLockTimeout(Coded):
    """Another workstation held the create/upgrade lock for longer than we wait."""

    code = "schema_lock_timeout"

    def __init__(self, lock_path: Path, seconds: float) -> None:
        super().__init__(params={"lock": str(lock_path), "seconds": round(seconds)})


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def sqlite_lock(database: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold the create/upgrade lock of the SQLite file ``database``, waiting up to ``wait``
    seconds (default :data:`WAIT_SECONDS`) for another workstation holding it."""
    wait = WAIT_SECONDS if wait is None else wait
    path = lock_path(database)
    deadline = time.monotonic() + wait
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            _acquire(handle, path, deadline, wait)
        except BaseException:
            os.close(handle)
            raise
        # The holder before us removes the file as it leaves; a lock on a removed file
        # locks nothing, so start again on the new one.
        try:
            current = os.path.samestat(os.fstat(handle), os.stat(path))
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(handle)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # Windows: in use by a waiting workstation
            os.unlink(path)
        _release(handle)
        os.close(handle)


def _acquire(handle: int, path: Path, deadline: float, wait: float) -> None:
    while not _try_lock(handle):
        if time.monotonic() > deadline:
            raise SchemaLockTimeout(path, wait)
        time.sleep(POLL_SECONDS)


if os.name == "nt":
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _release(handle: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def lock_server_schema(connection: Connection) -> None:
    """Take the create/upgrade lock for the rest of ``connection``'s transaction (waiting
    for a workstation that holds it)."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
