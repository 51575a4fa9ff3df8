"""A backup of a PostgreSQL database that is not upgraded yet: its owner's copy before the
upgrade. The usual backup copies rows by this version's models, which an older schema does
not match; this one builds the older schema in a new SQLite file with the migrations (so this
Genebank opens the copy, and upgrades it, like any older file) and copies every table's
columns as the database has them."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import MetaData, text

from genebank import database_file, db


def backup_server_as_is(url: str, target: Path) -> Path:
    """Back up a PostgreSQL database that is not upgraded yet (its owner's backup before the
    upgrade) to a new SQLite file at the same schema revision, which this Genebank opens,
    and upgrades, like any older file. The copy is built beside ``target`` and moved there
    only when complete."""
    target = target.expanduser().resolve()
    if target.exists():
        raise db.DatabaseError(f"'{target}' already exists; choose a new file name",
                               code="target_exists", params={"path": str(target)})
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    source = db.create_engine_for(db.normalise_url(url))
    copy = db.create_engine_for(db.sqlite_url(part))
    try:
        with db._translate_errors(url):
            state = db.server_state(source)
            db.refuse_server(url, state, create=False)
            db.upgrade(copy, state.revision or "base")
            tables = MetaData()
            tables.reflect(copy)
            preparer = source.dialect.identifier_preparer
            # One snapshot of every table, however the other workstations write meanwhile.
            with source.connect().execution_options(
                    isolation_level="REPEATABLE READ") as reader, copy.begin() as writer:
                for table in tables.sorted_tables:
                    if table.name == "alembic_version":
                        continue
                    names = ", ".join(preparer.quote(c.name) for c in table.columns)
                    result = reader.execution_options(stream_results=True).execute(
                        text(f"SELECT {names} FROM {preparer.quote(table.name)}"))
                    for rows in result.mappings().partitions(5000):
                        writer.execute(table.insert(), [dict(r) for r in rows])
        copy.dispose()
        problems = database_file.integrity_problems(part)
        if problems:
            raise db.DatabaseError(
                f"the backup '{target}' did not pass SQLite's check ({'; '.join(problems)}); "
                "nothing was written. Try again, or back up with pg_dump",
                code="backup_failed", params={"path": str(target), "problems": problems})
        os.replace(part, target)
    except BaseException:
        copy.dispose()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        source.dispose()
    return target
