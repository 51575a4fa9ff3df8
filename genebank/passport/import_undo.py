"""Undoing a passport import (issue 15): what import N created is removed when nothing
depends on it, what it updated is put back; a record changed after the import is left as
it is and named, with who changed it and when.

The plan is read from the change history (:mod:`genebank.history.queries`): the import's
``created`` entries name the accessions (and the taxa and institutes) it added, its
``changed`` entries each field's old and new value. Whatever changed one of them after the
import (a form, a later import, a deletion) is an entry of its own, written after the
import's; such a record is left. :func:`preview_undo` says the plan; :func:`undo_import`
makes the same plan again inside its write transaction (what another workstation did
between the preview and the undo is seen) and carries it out, all of it or nothing, as the
history operation ``undo`` of the import, and marks the import's log entry undone.

Only passport imports leave an import log entry (germination and moisture tests and
participant lists do not): any other kind in the log is refused with a code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from genebank import history, problems
from genebank.history import capture, queries, tracked
from genebank.history import entries as history_entries
from genebank.history.entries import Change
from genebank.io.import_preview import FieldChange, PreviewRow
from genebank.models import Accession, Base, ChangeEntry, ChangeSet, ImportLog
from genebank.models.base import utcnow
from genebank.passport.passport_existing import load_stored
from genebank.passport.passport_rows import TAXON_FIELDS
from genebank.services import bulk
from genebank.services.errors import ServiceError
from genebank.transactions import one_at_a_time
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

problems.register({
    "undo_import_not_found": "there is no import {import_id} in the import log",
    "undo_import_kind": "import {import_id} imported {kind}: only passport imports can be "
                        "undone; nothing was changed",
    "undo_import_already_undone": "import {import_id} was undone already, by {by} on {at} "
                                  "UTC; nothing was changed",
    "undo_import_no_history": "import {import_id} was made before Genebank kept a change "
                              "history, so what it did is not known; nothing was changed",
    "undo_import_nothing": "import {import_id} has nothing to undo now: of what it created "
                           "or changed, {kept:,} accession(s) are kept because other records "
                           "depend on them and {left:,} were changed after it (the preview "
                           "names them). Nothing was changed, and the import can still be "
                           "undone once they are free",
})


class UndoRefused(ServiceError):
    """Nothing was undone; the code says why (``plan``: for ``undo_import_nothing``, the
    plan that would change nothing, to show why)."""

    code = "undo_import_not_found"
    plan: UndoPreview | None = None


NAMED = 20  # withdrawn accessions named per dependent; the rest counted


@dataclass(frozen=True, slots=True)
class Dependent:
    """Records of one kind that depend on a record: ``table`` (seed_lot, regeneration,
    safety_duplicate, accession...) and how many; for accessions (withdrawn ones naming it
    as the accession they duplicate, were merged or split into), ``names`` are their
    INSTCODE:ACCENUMB (the first :data:`NAMED`)."""

    table: str
    count: int
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Removal:
    """An accession the import created, to remove (or, in ``cannot_remove``, that stays
    because ``dependents`` depend on it)."""

    accession_id: int
    key: str  # INSTCODE:ACCENUMB
    dependents: tuple[Dependent, ...] = ()


@dataclass(frozen=True, slots=True)
class Restored:
    """One field put back: its value now and the one the import replaced."""

    field: str
    current: Any
    restored: Any


@dataclass(frozen=True, slots=True)
class PutBack:
    accession_id: int
    key: str
    fields: tuple[Restored, ...]


@dataclass(frozen=True, slots=True)
class ChangedAfter:
    """An accession the import created or updated, changed after it: left as it is.
    ``by`` and ``at``: the newest change (``action``: changed or deleted); ``created``:
    the import had created it (else updated it)."""

    accession_id: int
    key: str
    created: bool
    by: str
    at: dt.datetime | None
    action: str
    changes: int  # how many changes since the import


@dataclass(frozen=True, slots=True)
class OtherRemoval:
    """A taxon or institute the import added that goes with it (nothing else uses it)."""

    table: str
    row_id: int
    key: str


@dataclass(frozen=True, slots=True)
class UndoPreview:
    import_log_id: int
    file_name: str
    finished_at: dt.datetime
    imported_by: str
    remove: tuple[Removal, ...]
    cannot_remove: tuple[Removal, ...]
    put_back: tuple[PutBack, ...]
    changed_after: tuple[ChangedAfter, ...]
    also_removed: tuple[OtherRemoval, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.remove or self.put_back or self.also_removed)


@dataclass(frozen=True, slots=True)
class UndoResult:
    preview: UndoPreview  # what was done (the plan made again in the write transaction)
    undone_at: dt.datetime
    undone_by: str


@everyone
def preview_undo(session: Session, import_log_id: int) -> UndoPreview:
    """What :func:`undo_import` would do now; nothing is written, so anyone who reads the
    collection may ask (``undo-import N --dry-run``). Refused (coded) for an import that is
    not in the log, not a passport import, undone already, or made before the change
    history."""
    return _plan(session, _undoable(session, import_log_id))


@requires(Right.CHANGE_PASSPORT)
def undo_import(session: Session, import_log_id: int) -> UndoResult:
    """Undo import ``import_log_id`` exactly as :func:`preview_undo` says it (made again
    here, in the caller's write transaction): remove the accessions it created that nothing
    depends on, put back what it updated, leave what was changed after it, remove the taxa
    and institutes it added that nothing uses any more, and mark its log entry undone. All
    in the caller's transaction: failed or killed, nothing is undone. Passport imports and
    undos run one at a time, so no import writes meanwhile."""
    one_at_a_time(session, "passport import")
    log = _undoable(session, import_log_id, lock=True)
    plan = _plan(session, log, hold=True)
    if not plan.changes_anything:  # marked undone, it could never be undone once free
        refused = UndoRefused(code="undo_import_nothing", params={
            "import_id": import_log_id, "kept": len(plan.cannot_remove),
            "left": len(plan.changed_after)})
        refused.plan = plan
        raise refused
    with history.operation(session, "undo", import_log_id=import_log_id,
                           reference=f"import {import_log_id}"):
        _put_back(session, plan.put_back)
        _remove(session, "accession", [r.accession_id for r in plan.remove])
        for table in ("taxon", "institute"):
            _remove(session, table, [r.row_id for r in plan.also_removed if r.table == table])
    log.undone_at = utcnow()
    log.undone_by = history_entries.who(session)["user_name"] or str(session.info.get("user", ""))
    session.flush()
    return UndoResult(plan, log.undone_at, log.undone_by)


@dataclass(frozen=True, slots=True)
class LeftByUndo:
    """The accessions an undone import created or changed that its undo left in the
    collection (kept for what depends on them, or changed after the import): ``count`` of
    them, the first :data:`NAMED` by INSTCODE:ACCENUMB."""

    count: int
    keys: tuple[str, ...]


@everyone
def left_by_undo(session: Session, import_log_id: int) -> LeftByUndo:
    """What the import log says of an undone import: which of its accessions are still
    there (the preview named them once; they can no longer be undone). Read from the
    history: the accessions the import's entries name, less those its undo removed or put
    back, that still exist; none while the import is not undone."""
    def named(operation: str) -> Select[tuple[int]]:
        return (select(ChangeEntry.subject_id)
                .join(ChangeSet, ChangeSet.id == ChangeEntry.change_set_id)
                .where(ChangeSet.import_log_id == import_log_id,
                       ChangeSet.operation == operation,
                       ChangeEntry.subject_type == "accession",
                       ChangeEntry.table_name == "accession"))

    if session.scalar(select(ImportLog.undone_at).where(ImportLog.id == import_log_id)) \
            is None:
        return LeftByUndo(0, ())  # not undone (or not there): nothing was left by an undo
    there = (Accession.id.in_(named("import")), Accession.id.not_in(named("undo")))
    count = session.scalar(select(func.count()).select_from(Accession).where(*there)) or 0
    keys = tuple(f"{instcode}:{accenumb}" for instcode, accenumb in session.execute(
        select(Accession.instcode, Accession.accenumb).where(*there)
        .order_by(Accession.instcode, Accession.accenumb).limit(NAMED)))
    return LeftByUndo(count, keys)


def _undoable(session: Session, import_log_id: int, *, lock: bool = False) -> ImportLog:
    query = select(ImportLog).where(ImportLog.id == import_log_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    log = session.scalars(query).first()
    params: dict[str, object] = {"import_id": import_log_id}
    if log is None:
        raise UndoRefused(code="undo_import_not_found", params=params)
    if log.kind != "passport":
        raise UndoRefused(code="undo_import_kind", params={**params, "kind": log.kind})
    if log.undone_at is not None:
        raise UndoRefused(code="undo_import_already_undone", params={
            **params, "by": log.undone_by or "(before sign-in)",
            "at": f"{log.undone_at:%Y-%m-%d %H:%M}"})
    return log


def _plan(session: Session, log: ImportLog, *, hold: bool = False) -> UndoPreview:
    """What the undo does now. ``hold``: in the undo's own write transaction, the
    accessions the import made or changed are locked (PostgreSQL) before anything about
    them is read, until the undo ends: a form saved or a lot stored on one of them at the
    same moment either came first (and the plan sees it: the accession is left and named)
    or waits for the undo (and is then told the accession changed, or is gone), never
    written over or left pointing at a removed accession."""
    entries = queries.import_entries(session, log.id)
    if not entries and (log.created_count or log.updated_count):
        raise UndoRefused(code="undo_import_no_history", params={"import_id": log.id})
    last = entries[-1].id if entries else 0
    created = {e.subject_id: e for e in entries
               if e.table_name == "accession" and e.action == "created"}
    updated = {e.subject_id: e for e in entries
               if e.table_name == "accession" and e.action == "changed"}
    ids = sorted({*created, *updated})
    if hold and session.get_bind().dialect.name == "postgresql":
        accession = Base.metadata.tables["accession"]
        for start in range(0, len(ids), 1000):
            session.connection().execute(
                select(accession.c.id).where(accession.c.id.in_(ids[start:start + 1000]))
                .order_by(accession.c.id).with_for_update()).all()
    later: dict[int, list[queries.HistoryEntry]] = defaultdict(list)
    for entry in queries.changes_after(session, "accession", ids, after_id=last,
                                       table_name="accession"):
        later[entry.subject_id].append(entry)
    changed_after = [_changed_after(e, later[i], created=i in created)
                     for i, e in sorted({**updated, **created}.items()) if later[i]]
    stored = {i: values for i, (_version, values) in load_stored(
        session, [i for i in updated if not later[i]]).items()}
    # Created, unchanged since: removed unless other records depend on them.
    there = {row["id"] for row in capture.select_rows(
        session, Base.metadata.tables["accession"], [i for i in created if not later[i]],
        only=("id",))}
    candidates = [i for i in created if i in there]
    depending = _dependents(session, "accession", {i: i for i in candidates})
    remove = tuple(Removal(i, created[i].subject_key) for i in candidates if not depending[i])
    cannot = tuple(Removal(i, created[i].subject_key, _named(session, i, depending[i]))
                   for i in candidates if depending[i])
    # Updated, unchanged since: each field put back.
    put_back = []
    for i, entry in sorted(updated.items()):
        if later[i] or i not in stored:
            continue
        put_back.append(PutBack(i, entry.subject_key, tuple(
            Restored(change.field, stored[i].get(change.field), change.old)
            for change in entry.fields)))
    also = _other_removals(session, entries, last, removed={r.accession_id for r in remove},
                           retaxed={p.accession_id for p in put_back
                                    if {f.field for f in p.fields} & set(TAXON_FIELDS)})
    return UndoPreview(log.id, log.file_name, log.finished_at, log.created_by or "",
                       remove, cannot, tuple(put_back), tuple(changed_after), also)


def _named(session: Session, accession_id: int, dependents: tuple[Dependent, ...]
           ) -> tuple[Dependent, ...]:
    """The withdrawn accessions among ``dependents`` named (a count alone - "1
    accession(s)" - does not say what to look at)."""
    return tuple(replace(d, names=tuple(
        f"{instcode}:{accenumb}" for instcode, accenumb in session.execute(
            select(Accession.instcode, Accession.accenumb)
            .where(Accession.withdrawal_other_id == accession_id)
            .order_by(Accession.instcode, Accession.accenumb).limit(NAMED))))
        if d.table == "accession" else d for d in dependents)


def _changed_after(entry: queries.HistoryEntry, later: list[queries.HistoryEntry], *,
                   created: bool) -> ChangedAfter:
    newest = later[-1]
    return ChangedAfter(entry.subject_id, newest.subject_key or entry.subject_key, created,
                        newest.user_name, newest.at, newest.action, len(later))


def _referencing(table: str) -> list[tuple[Any, str, str]]:
    """(table, its column, the column of ``table`` it references) for every foreign key
    pointing at ``table``, but an accession's own rows (they go with it)."""
    found = []
    for child in Base.metadata.sorted_tables:
        if child.name in tracked.ACCESSION_OWNED:
            continue
        for key in child.foreign_keys:
            if key.column.table.name == table:
                found.append((child, key.parent.name, key.column.name))
    return found


def _dependents(session: Session, table: str, rows: dict[int, Any], *,
                leaving: dict[str, set[int]] | None = None
                ) -> dict[int, tuple[Dependent, ...]]:
    """For each row id of ``table`` (mapped to the value other tables reference: its id,
    or an institute's code), the records of other tables that reference it, by table;
    rows in ``leaving`` (by table) do not count: they go too."""
    leaving = leaving or {}
    by_value: dict[Any, int] = {value: row_id for row_id, value in rows.items()}
    found: dict[int, list[Dependent]] = {row_id: [] for row_id in rows}
    if not rows:
        return {}
    for child, column, _target in _referencing(table):
        values = list(by_value)
        gone = leaving.get(child.name, set())
        for start in range(0, len(values), 1000):
            part = child.c[column].in_(values[start:start + 1000])
            if not gone:
                counts = session.connection().execute(
                    select(child.c[column], func.count()).where(part)
                    .group_by(child.c[column])).all()
            else:  # those leaving counted out here: a list of ids too long for NOT IN
                tally: dict[Any, int] = defaultdict(int)
                for value, row_id in session.connection().execute(
                        select(child.c[column], child.c.id).where(part)):
                    if row_id not in gone:
                        tally[value] += 1
                counts = list(tally.items())
            for value, count in counts:
                found[by_value[value]].append(Dependent(child.name, count))
    return {row_id: tuple(items) for row_id, items in found.items()}


def _other_removals(session: Session, entries: Sequence[queries.HistoryEntry], last: int, *,
                    removed: set[int], retaxed: set[int]) -> tuple[OtherRemoval, ...]:
    """The taxa and institutes the import added that nothing will use once the accessions
    go and the updated ones are put back (an accession whose taxon is put back no longer
    uses the import's taxon), and that nobody changed since."""
    found: list[OtherRemoval] = []
    for table in ("taxon", "institute"):
        made = {e.subject_id: e for e in entries if e.table_name == table
                and e.action == "created"}
        if not made:
            continue
        changed = {e.subject_id for e in queries.changes_after(
            session, table, sorted(made), after_id=last, table_name=table)}
        real = Base.metadata.tables[table]
        target = "code" if table == "institute" else "id"
        rows = {row["id"]: row[target] for row in capture.select_rows(
            session, real, [i for i in made if i not in changed], only=("id", target))}
        depending = _dependents(session, table, rows,
                                leaving={"accession": removed | (retaxed if table == "taxon"
                                                                 else set())})
        found += [OtherRemoval(table, i, made[i].subject_key or str(rows[i]))
                  for i in sorted(rows) if not depending[i]]
    return tuple(found)


def _put_back(session: Session, put_back: Sequence[PutBack]) -> None:
    """Write each field's old value back, as an import writes an update (the accession's
    columns, its child lists replaced whole, version and "last changed" moved on), with one
    entry per accession naming each field."""
    if not put_back:
        return
    from genebank.passport import passport_import

    rows = [PreviewRow(row=0, values={}, existing_id=p.accession_id, changes=tuple(
        FieldChange(f.field, f.current, f.restored) for f in p.fields)) for p in put_back]
    audit = bulk.audit_row(session)
    for start in range(0, len(rows), passport_import.BATCH):
        passport_import._update(session, rows[start:start + passport_import.BATCH], {}, audit)
    history_entries.write(session, [Change(
        "accession", p.accession_id, "accession", "changed",
        {f.field: (f.current, f.restored) for f in p.fields},
        row_id=str(p.accession_id), subject_key=p.key) for p in put_back])


def _remove(session: Session, table: str, ids: Iterable[int]) -> None:
    """DELETE the rows, a chunk at a time; the history's listeners record each one with
    its values (an accession with its MCPD record), as operation ``undo``."""
    ids = sorted(ids)
    real = Base.metadata.tables[table]
    for start in range(0, len(ids), 1000):
        session.execute(delete(real).where(real.c.id.in_(ids[start:start + 1000])))
