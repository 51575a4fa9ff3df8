"""The one mechanism that records ORM writes: Session listeners, so that no service can
forget its history.

- ``before_flush`` reads, from the database, the stored state of every tracked row the
  flush will change or delete (and of rows a database ``ON DELETE CASCADE`` will take with
  them), and the MCPD record of every accession it touches;
- ``after_flush`` compares with what was written and queues one entry per created, changed
  or deleted row (derived columns left out: :mod:`genebank.history.tracked`), then writes
  them with one INSERT on the flush's own connection: the same transaction as the change;
- ``do_orm_execute`` does the same around UPDATE, DELETE and INSERT statements run through
  ``session.execute`` (a merge moving attendance, erasure blanking certificates).

Bulk paths that write with the driver (:mod:`genebank.services.bulk`, a passport import)
write their entries themselves (:func:`genebank.history.bulk_entries.created_rows`).
A statement this module cannot follow (an UPDATE of many parameter sets touching history
columns) is refused with :class:`UntrackedWrite` rather than left out of the history.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, Table, bindparam, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, attributes, object_mapper
from sqlalchemy.sql import Delete, Insert, Update

from genebank.history import entries, tracked
from genebank.history.entries import Change, plain
from genebank.models import Base

_STATE = "history_flush"
_OFF = "history_off"


class UntrackedWrite(RuntimeError):
    """A write whose history cannot be recorded; refused so that nothing goes unrecorded."""


@contextmanager
def recorded_by_caller(session: Session) -> Iterator[None]:
    """Within the block the listeners record nothing: for a bulk path that writes its own
    entries (a passport import replacing an accession's names records the accession's
    fields once, not each delete)."""
    before = session.info.get(_OFF)
    session.info[_OFF] = True
    try:
        yield
    finally:
        session.info[_OFF] = before


@dataclass
class _Flush:
    old_rows: dict[tuple[str, object], dict[str, Any]] = field(default_factory=dict)
    old_records: dict[int, dict[str, Any]] = field(default_factory=dict)
    accession_ids: set[int] = field(default_factory=set)
    deleted: list[Change] = field(default_factory=list)


def _table(obj: object) -> Table | None:
    try:
        table = object_mapper(obj).local_table
    except Exception:  # not mapped
        return None
    return table if isinstance(table, Table) else None


def _pk(table: Table) -> str:
    return next(iter(table.primary_key.columns)).name


def _row_of(obj: object, table: Table) -> dict[str, Any]:
    """The column values loaded in ``obj`` (never loading one)."""
    mapper = object_mapper(obj)
    found = {}
    for column in table.columns:
        key = mapper.get_property_by_column(column).key
        if key in obj.__dict__:
            found[column.name] = obj.__dict__[key]
    return found


def select_rows(session: Session, table: Table, ids: Iterable[object],
                column: str | None = None, *, only: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Rows of ``table`` whose ``column`` (the primary key by default) is in ``ids``;
    ``only``: just these columns (a look-up of keys, not a copy of the row)."""
    ids = list(ids)
    if not ids:
        return []
    column = column or _pk(table)
    run = session.connection().execute
    chosen = select(*(table.c[c] for c in only)) if only else select(table)
    rows = []
    for start in range(0, len(ids), 5000):
        rows += [dict(r._mapping) for r in run(
            chosen.where(table.c[column].in_(ids[start:start + 5000])))]
    return rows


def _cascading(table: str) -> list[tuple[Table, str]]:
    """Tracked tables whose rows the database deletes with a row of ``table``."""
    found = []
    for child in Base.metadata.sorted_tables:
        if child.name not in tracked.TRACKED:
            continue
        for key in child.foreign_keys:
            if key.column.table.name == table and (key.ondelete or "").upper() == "CASCADE":
                found.append((child, key.parent.name))
    return found


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(_OFF):
        return
    state = _Flush()
    session.info[_STATE] = state
    by_table: dict[str, list[object]] = defaultdict(list)
    deleted_keys: set[tuple[str, object]] = set()
    removed = [*session.deleted, *_orphans(session)]
    removed_rows: list[tuple[Table, tuple[object, ...]]] = []
    # An orphan is dirty too (its parent was taken away): each object once.
    for obj in {id(o): o for o in [*session.dirty, *removed]}.values():
        table = _table(obj)
        if table is None:
            continue
        if len(table.primary_key.columns) > 1 and table.name in tracked.TRACKED:
            # A row of several key columns (a person's role): its first column names no
            # row of its own, so a removed one is read by its whole key.
            identity = inspect(obj).identity
            if any(obj is r for r in removed) and identity is not None:
                removed_rows.append((table, identity))
            continue
        if table.name == "accession" or table.name in tracked.ACCESSION_OWNED:
            owner = obj.__dict__.get("id" if table.name == "accession" else "accession_id")
            if owner is not None:
                state.accession_ids.add(owner)
        elif table.name in tracked.TRACKED:
            key = obj.__dict__.get(_pk(table))
            if key is not None:
                by_table[table.name].append(key)
                if obj in session.deleted:
                    deleted_keys.add((table.name, key))
    with session.no_autoflush:
        for name, keys in by_table.items():
            table = Base.metadata.tables[name]
            for row in select_rows(session, table, keys):
                state.old_rows[(name, row[_pk(table)])] = row
        if state.accession_ids:
            state.old_records = accession_records(session, sorted(state.accession_ids))
        deleted: list[tuple[str, dict[str, Any]]] = []
        for table, identity in removed_rows:
            row = session.connection().execute(select(table).where(*(
                column == value for column, value in zip(table.primary_key.columns, identity,
                                                         strict=True)))).mappings().first()
            if row is not None:
                deleted.append((table.name, dict(row)))
        for name, key in deleted_keys:
            deleted.append((name, state.old_rows[(name, key)]))
            for child, column in _cascading(name):
                deleted += [(child.name, row) for row in select_rows(session, child, [key], column)
                            if (child.name, row[_pk(child)]) not in deleted_keys]
        state.deleted = resolve(session, [
            (name, row, "deleted", {c: (row[c], None) for c in _fields_of(name, row)
                                    if row[c] not in (None, "")})
            for name, row in deleted])


def _orphans(session: Session) -> list[object]:
    """Rows taken out of a collection that deletes its orphans (a person's roles set
    anew): the flush deletes them, but they are not yet among ``session.deleted``."""
    found: list[object] = []
    for obj in session.dirty:
        try:
            relationships = object_mapper(obj).relationships
        except Exception:  # not mapped
            continue
        for relationship in relationships:
            if not relationship.cascade.delete_orphan:
                continue
            history = attributes.get_history(obj, relationship.key,
                                             passive=attributes.PASSIVE_NO_INITIALIZE)
            found += [child for child in history.deleted or ()
                      if child is not None and child not in session.deleted
                      and inspect(child).persistent]
    return found


def _fields_of(table: str, row: Mapping[str, Any]) -> list[str]:
    return tracked.history_columns(table, list(row))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: object) -> None:
    state = session.info.pop(_STATE, None)
    if state is None or session.info.get(_OFF):
        return
    changes: list[tuple[str, dict[str, Any], str, dict[str, tuple[object, object]]]] = []
    for obj in session.new:
        table = _table(obj)
        if table is None:
            continue
        if table.name == "accession":
            state.accession_ids.add(obj.id)  # type: ignore[attr-defined]
        elif table.name in tracked.TRACKED:
            row = _row_of(obj, table)
            changes.append((table.name, row, "created", {
                c: (None, row[c]) for c in _fields_of(table.name, row)
                if row[c] not in (None, "")}))
    for obj in session.dirty:
        table = _table(obj)
        if table is None or table.name not in tracked.TRACKED or table.name == "accession":
            continue
        row = _row_of(obj, table)
        old = state.old_rows.get((table.name, row.get(_pk(table))))
        if old is None:
            continue
        changed = {c: (old[c], row[c]) for c in _fields_of(table.name, row)
                   if c in old and not _same(old[c], row[c])}
        if changed:
            changes.append((table.name, {**old, **row}, "changed", changed))
    found = resolve(session, changes) + state.deleted
    if state.accession_ids:
        found += accession_changes(session, state.old_records,
                                   accession_records(session, sorted(state.accession_ids)))
    entries.write(session, found)


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old == new or (old is not None and new is not None
                              and float(old) == float(new))  # type: ignore[arg-type]
    return old == new


def accession_records(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each accession's MCPD record as an import compares it (codes to canonical values)."""
    from genebank.passport.passport_existing import load_stored

    records = {accession_id: values for accession_id, (_version, values)
               in load_stored(session, ids).items()}
    for accession_id, fields in withdrawal_fields(session, list(records)).items():
        records[accession_id].update(fields)
    return records


def withdrawal_fields(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """A withdrawn accession's withdrawal as fields of its record (none while it is in the
    collection), so that withdrawing and reinstating write their entries like any change:
    WITHDRAWN (the date), WITHDRAWAL_REASON, WITHDRAWN_FOR (the other accession's
    INSTCODE:ACCENUMB) and WITHDRAWAL_NOTE."""
    if not ids:
        return {}
    found: dict[int, dict[str, Any]] = {}
    rows = session.connection().execute(_withdrawal_select(), {"ids": list(ids)})
    for accession_id, on, reason, instcode, accenumb, note in rows:
        fields: dict[str, Any] = {"WITHDRAWN": plain(on), "WITHDRAWAL_REASON": reason}
        if instcode is not None:
            fields["WITHDRAWN_FOR"] = f"{instcode}:{accenumb}"
        if note:
            fields["WITHDRAWAL_NOTE"] = note
        found[accession_id] = fields
    return found


@functools.cache
def _withdrawal_select() -> Select[Any]:
    """The withdrawal fields' statement, built once: an ORM alias built at each form save
    cost about 5 ms of Python, twice a save (before and after)."""
    from genebank.models import Accession

    table = Accession.__table__
    other = table.alias("withdrawn_for")
    return (select(table.c.id, table.c.withdrawn_on, table.c.withdrawal_reason,
                   other.c.instcode, other.c.accenumb, table.c.withdrawal_note)
            .select_from(table.outerjoin(other, other.c.id == table.c.withdrawal_other_id))
            .where(table.c.id.in_(bindparam("ids", expanding=True)),
                   table.c.withdrawn_on.is_not(None)))


def accession_changes(session: Session, before: Mapping[int, Mapping[str, Any]],
                      after: Mapping[int, Mapping[str, Any]]) -> list[Change]:
    """One entry per accession whose MCPD record differs: created, changed or deleted."""
    found = []
    for accession_id in sorted({*before, *after}):
        old, new = before.get(accession_id), after.get(accession_id)
        action = "created" if old is None else "deleted" if new is None else "changed"
        old, new = old or {}, new or {}
        fields = {code: (old.get(code), new.get(code)) for code in sorted({*old, *new})
                  if old.get(code) != new.get(code)}
        if fields:
            record = new or old
            key = f"{record.get('INSTCODE', '')}:{record.get('ACCENUMB', '')}"
            found.append(Change("accession", accession_id, "accession", action, fields,
                                row_id=str(accession_id), subject_key=key))
    return found


def resolve(session: Session, changes: Sequence[tuple[str, Mapping[str, Any], str,
                                                      Mapping[str, tuple[object, object]]]],
            *, keep_empty: bool = False) -> list[Change]:
    """Entries for rows of tracked tables: each row's subject (through its parent where the
    table says so) and the subject's readable key, a few queries per table, never one per
    row. ``keep_empty``: also changes without fields (rows created by a bulk helper)."""
    changes = [c for c in changes if c[3] or keep_empty]
    if not changes:
        return []
    parents: dict[str, set[object]] = defaultdict(set)
    for name, row, _action, _fields in changes:
        spec = tracked.TRACKED[name]
        if spec.via is not None:
            parents[spec.via[0]].add(row[spec.subject_column])
    parent_subject: dict[tuple[str, object], object] = {}
    for parent, ids in parents.items():
        table = Base.metadata.tables[parent]
        column = next(tracked.TRACKED[name].via[1] for name, *_ in changes  # type: ignore[index]
                      if tracked.TRACKED[name].via and tracked.TRACKED[name].via[0] == parent)
        for row in select_rows(session, table, ids, only=("id", column)):
            parent_subject[(parent, row["id"])] = row[column]
    subjects = []
    for name, row, _action, _fields in changes:
        spec = tracked.TRACKED[name]
        if not spec.subject_column:
            subject_id: Any = 0
        elif spec.via is not None:
            subject_id = parent_subject.get((spec.via[0], row[spec.subject_column]))
        else:
            subject_id = row[spec.subject_column]
        subjects.append(subject_id)
    keys = subject_keys(session, [(tracked.TRACKED[c[0]].subject, s)
                                  for c, s in zip(changes, subjects, strict=True)])
    found = []
    for (name, row, action, fields), subject_id in zip(changes, subjects, strict=True):
        spec = tracked.TRACKED[name]
        pk = row.get(_pk(Base.metadata.tables[name]))
        key = (str(pk) if not spec.subject_column
               else keys.get((spec.subject, subject_id), ""))
        found.append(Change(spec.subject, int(subject_id or 0), name, action, dict(fields),
                            row_id=str(pk), subject_key=key))
    return found


def subject_keys(session: Session, subjects: Iterable[tuple[str, object]]
                 ) -> dict[tuple[str, object], str]:
    """The readable key of each (subject type, id), e.g. ("accession", 7): "KAZ001:KZ-7"."""
    wanted: dict[str, set[object]] = defaultdict(set)
    for kind, subject_id in subjects:
        if kind in tracked.SUBJECT_KEYS and subject_id is not None:
            wanted[kind].add(subject_id)
    found: dict[tuple[str, object], str] = {}
    for kind, ids in wanted.items():
        name, columns = tracked.SUBJECT_KEYS[kind]
        for row in select_rows(session, Base.metadata.tables[name], ids,
                               only=("id", *columns)):
            found[(kind, row["id"])] = ":".join(str(row[c]) for c in columns)
    return found


def inserted_rows(session: Session, table: Table, columns: Sequence[str],
                  rows: Sequence[tuple[object, ...]]) -> None:
    """Entries for rows a bulk helper inserted (each row a tuple of ``columns``, the id
    among them): one ``created`` entry per row of a tracked table, naming the row and its
    record but copying no values, as an import's (the values are the row's, with its
    later changes undone; copying them doubled a large import's file)."""
    if session.info.get(_OFF) or not rows or table.name not in tracked.TRACKED:
        return
    dicts = [dict(zip(columns, row, strict=True)) for row in rows]
    if table.name == "accession":
        entries.write(session, [Change(
            "accession", int(row["id"]), "accession", "created", {},  # type: ignore[call-overload]
            row_id=str(row["id"]), subject_key=f"{row['instcode']}:{row['accenumb']}")
            for row in dicts])
        return
    entries.write(session, resolve(session, [
        (table.name, row, "created", {}) for row in dicts], keep_empty=True))


# --- statements run through session.execute -------------------------------------------------

@event.listens_for(Session, "do_orm_execute")
def _statements(orm_state: ORMExecuteState) -> Any:
    statement = orm_state.statement
    if not isinstance(statement, Insert | Update | Delete):
        return None
    session = orm_state.session
    if session.info.get(_OFF):
        return None
    table = statement.table
    name = getattr(table, "name", "")
    if name in tracked.NOT_HISTORY or not name:
        return None
    if entries.current_operation(session).kind == "bulk" and isinstance(statement, Delete):
        return _bulk_delete(orm_state, name)
    if name in tracked.ACCESSION_OWNED or name == "accession":
        return _accession_statement(orm_state, name)
    if name not in tracked.TRACKED:
        return None  # every Genebank table is placed (test_history_tracked): a test's own
    real = Base.metadata.tables[name]
    if isinstance(statement, Insert):
        return _insert_statement(orm_state, real)
    if isinstance(statement, Update):
        columns = {getattr(k, "key", getattr(k, "name", str(k))) for k in statement._values or {}}
        if columns and not tracked.history_columns(name, sorted(columns)):
            return None  # derived values only (a lot's next test date)
    if orm_state.parameters and isinstance(orm_state.parameters, list):
        raise UntrackedWrite(f"{name}: a statement of many parameter sets")
    pk = _pk(real)
    before = [dict(r._mapping) for r in session.connection().execute(
        select(real).where(statement.whereclause) if statement.whereclause is not None
        else select(real))]
    cascaded: list[tuple[str, dict[str, Any]]] = []
    if isinstance(statement, Delete):
        for child, column in _cascading(name):
            cascaded += [(child.name, row) for row in select_rows(
                session, child, [r[pk] for r in before], column)]
        pending = resolve(session, [
            (n, row, "deleted", {c: (row[c], None) for c in _fields_of(n, row)
                                 if row[c] not in (None, "")})
            for n, row in [(name, r) for r in before] + cascaded])
        result = orm_state.invoke_statement()
        entries.write(session, pending)
        return result
    result = orm_state.invoke_statement()
    after = {row[pk]: row for row in select_rows(session, real, [r[pk] for r in before])}
    changes = []
    for old in before:
        new = after.get(old[pk])
        if new is None:
            continue
        changed = {c: (old[c], new[c]) for c in _fields_of(name, new)
                   if not _same(old[c], new[c])}
        changes.append((name, new, "changed", changed))
    entries.write(session, resolve(session, changes))
    return result


def _bulk_delete(orm_state: ORMExecuteState, name: str) -> Any:
    """A DELETE of a bulk operation (removing the demo collection): one ``deleted`` entry
    per row naming it, without its values, as for rows a bulk write creates; an accession's
    own rows go with the accession's entry."""
    statement = orm_state.statement
    session = orm_state.session
    if name in tracked.ACCESSION_OWNED or name not in tracked.TRACKED:
        return None
    if statement.whereclause is None or orm_state.parameters:
        raise UntrackedWrite(f"{name}: a bulk DELETE without a WHERE clause")
    table = Base.metadata.tables[name]
    spec = tracked.TRACKED[name]
    wanted = {_pk(table), *(c for c in (spec.subject_column,) if c)}
    if name == "accession":
        wanted |= {"instcode", "accenumb"}
    rows = [dict(r._mapping) for r in session.connection().execute(
        select(*(table.c[c] for c in sorted(wanted))).where(statement.whereclause))]
    cascaded: list[tuple[str, dict[str, Any]]] = []
    for child, column in _cascading(name):
        cascaded += [(child.name, row) for row in select_rows(
            session, child, [r[_pk(table)] for r in rows], column)]
    if name == "accession":
        pending = [Change("accession", row["id"], "accession", "deleted", {},
                          row_id=str(row["id"]),
                          subject_key=f"{row['instcode']}:{row['accenumb']}") for row in rows]
    else:
        pending = resolve(session, [(n, row, "deleted", {}) for n, row in
                                    [(name, r) for r in rows] + cascaded], keep_empty=True)
    result = orm_state.invoke_statement()
    entries.write(session, pending)
    return result


def _insert_statement(orm_state: ORMExecuteState, table: Table) -> Any:
    statement = orm_state.statement
    if statement._returning:  # type: ignore[attr-defined]
        raise UntrackedWrite(f"{table.name}: an INSERT with RETURNING")
    pk = table.primary_key.columns[_pk(table)]
    frozen = orm_state.invoke_statement(statement=statement.returning(pk)).freeze()
    ids = [row[0] for row in frozen().all()]
    rows = select_rows(orm_state.session, table, ids)
    entries.write(orm_state.session, resolve(orm_state.session, [
        (table.name, row, "created", {c: (None, row[c]) for c in _fields_of(table.name, row)
                                      if row[c] not in (None, "")}) for row in rows]))
    return frozen()


def _accession_statement(orm_state: ORMExecuteState, name: str) -> Any:
    """A statement on an accession's own rows: the accessions it touches, before and after."""
    statement = orm_state.statement
    session = orm_state.session
    table = Base.metadata.tables[name]
    column = "id" if name == "accession" else "accession_id"
    if isinstance(statement, Insert):
        raise UntrackedWrite(f"{name}: an INSERT through session.execute")
    ids = sorted(session.connection().execute(
        select(table.c[column]).where(statement.whereclause)).scalars().unique()
        if statement.whereclause is not None else [])
    if statement.whereclause is None or orm_state.parameters:
        raise UntrackedWrite(f"{name}: a statement without a WHERE clause")
    before = accession_records(session, ids)
    result = orm_state.invoke_statement()
    entries.write(session, accession_changes(session, before, accession_records(session, ids)))
    return result


