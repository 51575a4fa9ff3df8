"""The demo collection in a database file of its own, never in the user's records.

The demo is built in a ``.part`` file beside its final place and moved there only when it is
complete, so a cancelled or failed build leaves neither half a demo nor a damaged old one.
The caller closes the old demo (if it has it open) before :func:`install`, because Windows
cannot replace a file that is open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genebank import db, transactions
from genebank.progress import Progress

if TYPE_CHECKING:  # the generators (and the certificates they write) load when a demo is built
    from genebank.demo import demo, demo_training

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class BuiltDemo:
    """A finished demo database waiting in ``part`` to be moved into place."""

    part: Path
    accessions: demo.DemoResult
    training: demo_training.TrainingDemo


def part_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def training_size(accessions: int) -> int:
    """Courses for a demo of ``accessions`` (ten people per course)."""
    return min(1000, max(20, accessions // 100))


def build(path: Path, *, accessions: int, user: str | None = None,
          progress: Progress | None = None, today: dt.date | None = None) -> BuiltDemo:
    """Create a new demo database (accessions with lots and tests, regenerations, a
    training programme) in the ``.part`` file beside ``path``; ``path`` is not touched."""
    from genebank.demo import demo, demo_training

    part = part_path(path)
    remove_sqlite_file(part)
    database = db.open_database(db.sqlite_url(part), user=user)
    try:
        # One write transaction, not re-run on contention: the file is new and only ours.
        with transactions.write_session(database) as session:
            result = demo.load_demo(session, accessions=accessions, progress=progress,
                                    today=today)
            courses = training_size(accessions)
            training = demo_training.load_training_demo(session, courses=courses,
                                                        people=courses * 10, today=today)
    except BaseException:
        database.close()
        remove_sqlite_file(part)
        raise
    database.close()
    return BuiltDemo(part, result, training)


def install(built: BuiltDemo, path: Path) -> Path:
    """Move a built demo to ``path``, replacing the demo file there (which must be closed)."""
    remove_sqlite_file(path)
    os.replace(built.part, path)
    return path


def discard(built: BuiltDemo) -> None:
    remove_sqlite_file(built.part)


def remove_sqlite_file(path: Path) -> None:
    """Delete a SQLite file with its journal files (a stale -wal must not meet a new file)."""
    for suffix in SQLITE_COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def is_demo_file(url: str) -> bool:
    """Whether ``url`` is the demo's own file (the one Help > Load demo collection makes)."""
    path = db.sqlite_path(db.normalise_url(url))
    return path is not None and path.resolve() == db.demo_database_path().resolve()
