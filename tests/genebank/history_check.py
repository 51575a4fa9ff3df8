"""Comparing a database before and after a write with the history entries the write left:
every created, changed or deleted row of a tracked table must have its entry (the shared
check of the history tests)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from genebank.history import queries, tracked
from genebank.history.entries import plain
from genebank.history.erasure import PERSONAL_FIELDS
from genebank.models import Base
from genebank.models.history import ChangeEntry

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table but the history's own, by table and primary key, without
    the audit columns."""
    found: Snapshot = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in tracked.NOT_HISTORY:
                continue
            keys = [c.name for c in table.primary_key.columns]
            found[table.name] = {
                tuple(row[k] for k in keys): {c: v for c, v in row.items()
                                              if c not in tracked.AUDIT}
                for row in (dict(r._mapping) for r in connection.execute(select(table)))}
    return found


def last_entry(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(ChangeEntry.id).order_by(ChangeEntry.id.desc())
                                  .limit(1)).scalar() or 0


def entries_after(engine: Engine, after: int) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(
            queries.entries_select().where(ChangeEntry.id > after)
            .order_by(ChangeEntry.id))]


def missing_history(before: Snapshot, after: Snapshot, written: list[dict[str, Any]]
                    ) -> list[str]:
    """What changed between ``before`` and ``after`` without an entry saying so (empty
    when the history is complete)."""
    by_row: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    accessions: set[int] = set()
    for entry in written:
        by_row.setdefault((entry["table_name"], entry["row_id"], entry["action"]), []).append(
            entry)
        if entry["subject_type"] == "accession" and entry["table_name"] == "accession":
            accessions.add(entry["subject_id"])
    erased = {e["subject_id"] for e in written if e["action"] == "erased"}
    missing = []
    for table in after.keys() | before.keys():
        old_rows, new_rows = before.get(table, {}), after.get(table, {})
        for key in old_rows.keys() | new_rows.keys():
            old, new = old_rows.get(key), new_rows.get(key)
            if old == new:
                continue
            if table in tracked.ACCESSION_OWNED or table == "accession":
                owner = (new or old)["accession_id" if table != "accession" else "id"]  # type: ignore[index]
                if owner not in accessions:
                    missing.append(f"{table} {key}: no entry for accession {owner}")
                continue
            if table not in tracked.TRACKED:
                missing.append(f"{table}: not placed in genebank.history.tracked")
                continue
            derived = tracked.TRACKED[table].derived
            if old is not None and new is not None:
                changed = {c for c in new if c not in derived and old.get(c) != new[c]}
                if not changed:
                    continue  # derived values only: no history
                if erased and changed <= {*PERSONAL_FIELDS, "erased_at"}:
                    continue  # an erasure records only that it happened
                action = "changed"
            else:
                action = "created" if old is None else "deleted"
                changed = set()
            found = by_row.get((table, str(key[0]), action))
            if not found:
                missing.append(f"{table} {key}: no '{action}' entry")
                continue
            fields = {}
            for entry in found:
                fields.update(json.loads(entry["fields"]))
            for column in changed:
                if column not in fields or fields[column][1] != plain(new[column]):  # type: ignore[index]
                    missing.append(f"{table} {key}: {column} -> {new[column]!r} not in "  # type: ignore[index]
                                   f"{fields.get(column)}")
    return sorted(missing)
