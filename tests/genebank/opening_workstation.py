"""One workstation starting Genebank, in a process of its own (for test_opening_together).

Kept apart from the test module so that a spawned process imports only genebank.db, as a
real start does, and not pytest and every fixture."""

from __future__ import annotations

from typing import Any

from genebank import db


def start(jobs: list[tuple[str, str, dict[str, Any]]], barrier: Any, results: Any) -> None:
    """Open each job's database, all workstations at the same moment (the barrier), and
    report (job, "ok", revision, backup) or (job, "error", what went wrong, "")."""
    for name, url, options in jobs:
        barrier.wait(120)
        try:
            database = db.open_database(url, **options)
            try:
                revision = db.schema_revision(database.engine)[0]
                results.put((name, "ok", revision, str(database.backup_path or "")))
            finally:
                database.close()
        except Exception as error:  # reported to the test, which fails on it
            results.put((name, "error", repr(error), ""))
