"""What a history entry points at, said as people know it: which test, line or duplicate of
a lot a change is about (its day and result), the accession, lot or place a recorded id
names, and who removed a record no longer in the database.

An entry records a row's id and the fields that changed (a void records only ``voided_at``,
``voided_by`` and ``void_reason``), so "Germination test changed" alone does not say which of
a lot's tests was voided. These reads fill that in for a page of entries at a time, with a
few IN queries. :func:`reference` and :func:`recorded_time` are the one reading of a
recorded value (an id, a time kept as text) that the GUI (``ui/views/history_words.py``), the
command line and the Excel export (:mod:`genebank.history.wording`,
:mod:`genebank.io.history_export`) all word; the wording is theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from genebank.history.queries import HistoryEntry, _entries, entries_select
from genebank.models import (
    Accession,
    GerminationTest,
    LotTransaction,
    MoistureTest,
    Regeneration,
    SafetyDuplicate,
    SeedLot,
    StorageLocation,
)
from genebank.models.base import Base
from genebank.models.history import ChangeEntry
from genebank.users.actor import everyone

# A recorded id, by the field holding it, and the kind of record it names.
REFERENCES = {
    "accession_id": "accession",
    "location_id": "storage_location", "from_location_id": "storage_location",
    "to_location_id": "storage_location", "parent_id": "storage_location",  # a place's parent
    "parent_lot_id": "seed_lot", "source_lot_id": "seed_lot", "harvested_lot_id": "seed_lot",
}


@dataclass(frozen=True, slots=True)
class RowFacts:
    """What tells a row from its siblings: a test's day and result (%), a ledger line's
    kind and day, a duplicate's institute and day sent, a regeneration's site and day
    planned."""

    on: dt.date | None
    text: str = ""
    value: float | None = None


@dataclass(frozen=True, slots=True)
class EntryLabels:
    """``rows``: by (table name, row id) as entries record them. ``references``: by (kind
    of record, id): "KAZ001:KZ-1", a lot number, a place's path."""

    rows: dict[tuple[str, str], RowFacts] = field(default_factory=dict)
    references: dict[tuple[str, int], str] = field(default_factory=dict)


_FACTS = {  # table -> the model and its (day, text, value) columns
    "germination_test": (GerminationTest, "tested_on", None, "germination_pct"),
    "moisture_test": (MoistureTest, "tested_on", None, "moisture_pct"),
    "lot_transaction": (LotTransaction, "occurred_on", "kind", None),
    "safety_duplicate": (SafetyDuplicate, "sent_on", "institute_code", None),
    "regeneration": (Regeneration, "planned_on", "site", None),
}


@everyone
def entry_labels(session: Session, entries: Sequence[HistoryEntry]) -> EntryLabels:
    """The facts and names :class:`EntryLabels` holds for ``entries``' rows and ids."""
    labels = EntryLabels()
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.table_name in _FACTS and entry.row_id.isdigit():
            wanted.setdefault(entry.table_name, set()).add(int(entry.row_id))
    for table_name, ids in wanted.items():
        model, day, text, value = _FACTS[table_name]
        columns = [model.id, getattr(model, day), getattr(model, text) if text else None,
                   getattr(model, value) if value else None]
        for row in _in_chunks(session, [c for c in columns if c is not None], model.id, ids):
            values = dict(zip([c for c in ("id", "on", text and "text", value and "value")
                               if c], row, strict=True))
            labels.rows[(table_name, str(values["id"]))] = RowFacts(
                values["on"], str(values.get("text") or ""), values.get("value"))
    named: dict[str, set[int]] = {}
    for entry in entries:
        for change in entry.fields:
            kind = REFERENCES.get(change.field)
            if kind is None:
                continue
            for value in (change.old, change.new):
                if isinstance(value, int) and not isinstance(value, bool):
                    named.setdefault(kind, set()).add(value)
    if named.get("accession"):
        ids = named["accession"]
        for accession_id, instcode, accenumb in _in_chunks(
                session, [Accession.id, Accession.instcode, Accession.accenumb],
                Accession.id, ids):
            labels.references[("accession", accession_id)] = f"{instcode}:{accenumb}"
        gone = ids - {i for kind, i in labels.references if kind == "accession"}
        for subject_id, key in _in_chunks(  # deleted since: the key its story recorded
                session, [ChangeEntry.subject_id, ChangeEntry.subject_key],
                ChangeEntry.subject_id, gone, ChangeEntry.subject_type == "accession"):
            if key:
                labels.references[("accession", subject_id)] = key
    if named.get("seed_lot"):
        for lot_id, number in _in_chunks(session, [SeedLot.id, SeedLot.lot_number], SeedLot.id,
                                         named["seed_lot"]):
            labels.references[("seed_lot", lot_id)] = number
    if named.get("storage_location"):
        places = {i: (parent, name) for i, parent, name in session.execute(select(
            StorageLocation.id, StorageLocation.parent_id, StorageLocation.name))}
        for location_id in named["storage_location"]:
            names, current = [], location_id
            while current in places:
                parent, name = places[current]
                names.append(name)
                current = parent
            if names:
                labels.references[("storage_location", location_id)] = \
                    " > ".join(reversed(names))
    return labels


def reference(labels: EntryLabels | None, name: str, value: Any) -> str | None:
    """The accession ("KAZ001:KZ-1"), lot number or place path that the id ``value`` of
    the field ``name`` (``accession_id``, ``location_id``...) names; None for a field that
    records no id, or an id ``labels`` does not know."""
    kind = REFERENCES.get(name)
    if kind is None or labels is None or not isinstance(value, int) or isinstance(value, bool):
        return None
    return labels.references.get((kind, value))


def recorded_time(name: str, value: Any) -> dt.datetime | None:
    """A time a field records as text (``voided_at``: an ISO stamp in UTC), as the database
    keeps times (UTC, without a zone), for the caller to say in local time; None for
    anything else."""
    if not name.endswith("_at") or not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def labelled(session: Session, entries: Iterable[HistoryEntry], *,
             page: int = 1000) -> Iterator[tuple[HistoryEntry, EntryLabels]]:
    """Each of ``entries`` with the labels of its page (``page`` entries read together), so
    that an export streamed from the database labels as it goes."""
    chunk: list[HistoryEntry] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= page:
            found = entry_labels(session, chunk)
            yield from ((each, found) for each in chunk)
            chunk = []
    if chunk:
        found = entry_labels(session, chunk)
        yield from ((each, found) for each in chunk)


@everyone
def removal(session: Session, subject_type: str, subject_id: int) -> HistoryEntry | None:
    """The entry that deleted the record ``subject_type`` ``subject_id`` (an accession an
    undo of an import removed, or one deleted as a mistake), if it no longer exists; None
    while it does, or when no entry says who removed it."""
    table = Base.metadata.tables.get(subject_type)
    if not isinstance(table, Table) or "id" not in table.c:
        return None
    if session.scalar(select(table.c.id).where(table.c.id == subject_id)) is not None:
        return None
    entry = ChangeEntry.__table__
    found = _entries(session, entries_select().where(
        entry.c.subject_type == subject_type, entry.c.subject_id == subject_id,
        entry.c.table_name == subject_type, entry.c.action == "deleted")
        .order_by(entry.c.id.desc()).limit(1))
    return found[0] if found else None


def _in_chunks(session: Session, columns: list, key: object, ids: Iterable[int],
               *where: object) -> list[tuple]:  # type: ignore[type-arg]
    """Rows of ``columns`` whose ``key`` is one of ``ids``, a thousand ids a query."""
    ids = sorted(ids)
    rows: list[tuple] = []  # type: ignore[type-arg]
    for start in range(0, len(ids), 1000):
        rows += session.execute(select(*columns).where(
            key.in_(ids[start:start + 1000]), *where)).all()  # type: ignore[attr-defined]
    return rows
