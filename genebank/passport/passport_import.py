"""Phase 2 of a passport import: apply a checked preview in one transaction.

New accessions go in with bulk INSERTs, existing ones (same INSTCODE + ACCENUMB) are skipped
or updated as the user chose. An update writes only the changes the preview listed
(``passport.passport_existing``): an accession the file holds as stored keeps its version
and "last changed", and is counted as unchanged. Everything happens in the caller's
transaction, with progress and cancel checks: cancelled, failed or killed, the database keeps
what it had before. Each import leaves an :class:`~genebank.models.ImportLog` entry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm import Session

from genebank import history, problems
from genebank.conservation.regenerations import duplicate_sites
from genebank.gc_pause import without_gc
from genebank.history import capture
from genebank.history import entries as history_entries
from genebank.history.entries import Change
from genebank.io import passport_messages as say
from genebank.io.passport_preview import ImportPreview, PreviewRow, RowStatus, as_text
from genebank.models import Accession, Base, ImportLog
from genebank.models.base import utcnow
from genebank.passport.accessions import ensure_institute, find_or_add_taxon
from genebank.passport.passport_existing import (
    apply_changes,
    judged_again,
    load_stored,
    moved_since_check,
    without_duplicate_sites,
)
from genebank.passport.passport_rows import (
    ACCESSION_COLUMNS,
    CHILD_COLUMNS,
    CHILD_TABLE_OF,
    INSTITUTE_ROLES,
    accession_columns,
    accession_values,
    child_rows,
    taxon_key,
)
from genebank.progress import NoProgress, Progress, check
from genebank.services import bulk, late_indexes, staged_inserts
from genebank.services.errors import ServiceError
from genebank.transactions import one_at_a_time
from genebank.users.actor import internal, requires
from genebank.users.roles import Right

BATCH = 5000


class OnExisting(StrEnum):
    SKIP = "skip"
    UPDATE = "update"
    STOP = "stop"


class OnErrors(StrEnum):
    SKIP_ROWS = "skip"
    IMPORT_NOTHING = "nothing"


class ImportRefused(ServiceError):
    """Nothing was imported; the message says why."""

    code = "import_refused"


problems.register({
    "import_sheet_refused": "{problems}",
    "import_rows_have_errors": "{rows:,} row(s) have errors (first: row {row}); nothing was "
                               "imported",
    "import_accessions_exist": "{accessions:,} accession(s) exist already (first: row {row}, "
                               "{accenumb}); nothing was imported",
})


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int
    updated: int
    skipped: int
    reasons: list[str] = field(default_factory=list)  # "row 12: ... " for each skipped row
    log_id: int | None = None
    unchanged: int = 0  # existing accessions the file held as stored: nothing written
    changes: list[str] = field(default_factory=list)  # "row 12: KZ-1: ORIGCTY KAZ -> UZB"
    # ACCENUMB of each accession to update that someone else edited (or deleted) after the
    # preview: not updated, their edit kept; counted as skipped, each also in ``reasons``.
    edited_meanwhile: list[str] = field(default_factory=list)
    # ACCENUMB of each accession that did not exist at the preview but was added by someone
    # else before the import wrote: never created twice, never updated (their record kept);
    # counted as skipped, each also in ``reasons``.
    added_meanwhile: list[str] = field(default_factory=list)
    # Rows marked historic (no longer held by their institute): not imported, not counted
    # as skipped (see genebank.io.genesys_rows).
    historic: int = 0

    def line(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words; ``number`` writes each count (a screen passes the user's
        regional format, the log and the CLI keep 1,234)."""
        counts = (f"{number(self.created)} created, {number(self.updated)} updated, "
                  f"{number(self.unchanged)} unchanged, {number(self.skipped)} skipped")
        if self.historic:
            counts += f", {number(self.historic)} historic not imported"
        return counts


@without_gc
@requires(Right.CHANGE_PASSPORT)
def apply_import(session: Session, preview: ImportPreview, *,
                 on_existing: OnExisting = OnExisting.SKIP,
                 on_errors: OnErrors = OnErrors.IMPORT_NOTHING,
                 progress: Progress | None = None) -> ImportSummary:
    """Write the rows of ``preview`` (after ``passport_existing.mark_existing``) as chosen.

    The rows are judged again here, inside the write transaction and after any other
    import into this database has finished (:func:`judged_at_write`); ``preview`` itself
    is left as it is. Rows for existing accessions write the changes listed, only to those
    accessions still at the version the preview saw: one that someone else edited or
    deleted since is not updated (their edit stays) and is named in the summary's
    ``edited_meanwhile`` and reasons, and in the import log. An accession that did not
    exist at the preview but was added meanwhile is neither created twice nor updated: it
    is skipped and named in ``added_meanwhile``; on PostgreSQL that holds for one saved on
    another workstation while this import is already writing, too (the insert skips a
    taken identity key: ``services.staged_inserts``). ``session`` must be in a write
    transaction (``genebank.transactions``); passport imports into one database run one at
    a time.
    """
    progress = progress or NoProgress()
    one_at_a_time(session, "passport import")
    preview, appeared = judged_at_write(session, preview)
    if not preview.can_import:
        raise ImportRefused(code="import_sheet_refused", params={"problems": "; ".join(
            p.message for p in preview.sheet_problems if p.severity == "error")})
    errors = [r for r in preview.rows if r.status is RowStatus.ERROR]
    if errors and on_errors is OnErrors.IMPORT_NOTHING:
        raise ImportRefused(code="import_rows_have_errors",
                            params={"rows": len(errors), "row": errors[0].row})
    existing = [r for r in preview.rows if r.existing_id is not None
                and r.status is not RowStatus.ERROR]
    if existing and on_existing is OnExisting.STOP:
        raise ImportRefused(code="import_accessions_exist", params={
            "accessions": len(existing), "row": existing[0].row,
            "accenumb": existing[0].values["ACCENUMB"]})
    reasons = [f"row {r.row}: skipped, {_first_error(r)}" for r in errors]
    to_create = [r for r in preview.rows
                 if r.status is not RowStatus.ERROR and r.existing_id is None]
    added = [r for r in existing if id(r) in appeared]
    existing = [r for r in existing if id(r) not in appeared]
    to_update = existing if on_existing is OnExisting.UPDATE else []
    if on_existing is OnExisting.SKIP:
        reasons += [f"row {r.row}: skipped, {r.values['ACCENUMB']} exists already"
                    for r in existing]
    reasons += [(say.ADDED_SINCE_PREVIEW if on_existing is OnExisting.UPDATE
                 else say.ADDED_SINCE_PREVIEW_SKIPPED)
                .format(row=r.row, accenumb=r.values["ACCENUMB"]) for r in added]
    unchanged = sum(1 for r in to_update if not r.changes)
    to_update = [r for r in to_update if r.changes]
    moved = moved_since_check(session, to_update)  # locks the others until the commit
    if moved:
        left = {id(r) for r in moved}
        to_update = [r for r in to_update if id(r) not in left]
        reasons += [say.EDITED_SINCE_PREVIEW.format(row=r.row, accenumb=r.values["ACCENUMB"])
                    for r in moved]
    total = len(to_create) + len(to_update)
    # The log first, so that every history entry of the import can name it.
    log = ImportLog(kind="passport", file_name=preview.file_name, sheet=preview.sheet,
                    finished_at=utcnow())
    session.add(log)
    session.flush()
    with history.operation(session, "import", import_log_id=log.id):
        taxa = _taxa(session, to_create)
        for code in {r.values["INSTCODE"] for r in to_create}:
            ensure_institute(session, code)
        audit = bulk.audit_row(session)
        progress.report(0, total, "Importing")
        ids = bulk.new_ids(session, Accession.__table__, len(to_create))
        taken = _write(session, to_create, to_update, ids, taxa, audit, progress, total)
        check(progress)
        # The import's entries, one change set for all: their indexes kept up to date as
        # they go in (new entries come last in both: building them again cost more).
        _record(session, to_create, ids, taken, to_update)
    if taken:  # added on another workstation after the check, before the insert
        added_now = [r for accession_id, r in zip(ids, to_create, strict=True)
                     if accession_id in taken]
        to_create = [r for accession_id, r in zip(ids, to_create, strict=True)
                     if accession_id not in taken]
        added += added_now
        reasons += [(say.ADDED_SINCE_PREVIEW if on_existing is OnExisting.UPDATE
                     else say.ADDED_SINCE_PREVIEW_SKIPPED)
                    .format(row=r.row, accenumb=r.values["ACCENUMB"]) for r in added_now]
    changes = [describe_changes(r) for r in to_update]
    edited = [r.values["ACCENUMB"] for r in moved]
    newcomers = [r.values["ACCENUMB"] for r in added]
    summary = ImportSummary(len(to_create), len(to_update), len(reasons), reasons,
                            unchanged=unchanged, changes=changes, edited_meanwhile=edited,
                            added_meanwhile=newcomers, historic=len(preview.historic))
    log.finished_at = utcnow()
    log.created_count, log.updated_count = summary.created, summary.updated
    log.skipped_count, log.unchanged_count = summary.skipped, summary.unchanged
    log.details = "\n".join([summary.line(), *reasons, *changes])
    session.flush()
    return dataclasses.replace(summary, log_id=log.id)


@internal
def judged_at_write(session: Session, preview: ImportPreview) -> tuple[ImportPreview, set[int]]:
    """``preview``'s rows judged again in the write transaction, as a new preview (the one
    given, shown by a window, is left as it is; a retried write starts from it again), and
    the ``id()`` of each new row whose accession did not exist at the preview but does now.

    What another workstation or import made since the preview is found, so nothing is added
    twice. An accession found at the preview keeps the id and version seen then, so one
    edited, deleted or replaced since is named by :func:`moved_since_check`, not
    overwritten, deleted or made again.
    """
    again = judged_again(session, preview, clear_blank=preview.clear_blank)
    appeared: set[int] = set()
    for index, (before, row) in enumerate(zip(preview.rows, again.rows, strict=True)):
        if before.existing_id is not None and row.existing_id != before.existing_id:
            # deleted (or replaced) since: judged as at the preview, named as moved
            again.rows[index] = dataclasses.replace(before)
        elif before.existing_id is not None:
            row.stored_version = before.stored_version
        elif row.existing_id is not None:
            appeared.add(id(row))
    return again, appeared


def describe_changes(row: PreviewRow) -> str:
    """One line of the import log: the row, the accession and each change, old -> new."""
    listed = "; ".join(f"{c.field} {_shown(c.old)} -> {_shown(c.new)}" for c in row.changes)
    return f"row {row.row}: {row.values['ACCENUMB']} updated: {listed}"


def _shown(value: object) -> str:
    return "(empty)" if value is None else f"'{as_text(value)}'"


def _write(session: Session, to_create: list[PreviewRow], to_update: list[PreviewRow],
           ids: list[int], taxa: dict[tuple[str, ...], int], audit: bulk.Audit,
           progress: Progress, total: int) -> set[object]:
    """Insert ``to_create`` (with ``ids``) and update ``to_update``; returns the ids of new
    accessions not inserted because another workstation added them meanwhile (only on
    PostgreSQL, where the import does not hold the only write lock)."""
    done = 0
    owned = [Base.metadata.tables[name] for name in CHILD_COLUMNS]
    staging = None
    if session.get_bind().dialect.name == "postgresql":
        staging = staged_inserts.Staging(session, Accession.__table__, owned,
                                         key="identity_key", owner_column="accession_id")
    with late_indexes.built_after_rows(session, [Accession.__table__, *owned],
                                       adding=len(to_create)), \
            bulk.BackgroundInserts(session, write=staging.copy if staging else None) as inserts:
        for start in range(0, len(to_create), BATCH):
            check(progress)
            part = to_create[start:start + BATCH]
            _insert(inserts, part, ids[start:start + BATCH], taxa, audit)
            done += len(part)
            progress.report(done, total, f"Imported {done:,} of {total:,} rows")
    taken = staging.land(audit) if staging is not None else set()
    for start in range(0, len(to_update), BATCH):
        check(progress)
        part = to_update[start:start + BATCH]
        _update(session, part, taxa, audit)
        done += len(part)
        progress.report(done, total, f"Imported {done:,} of {total:,} rows")
    return taken


def _record(session: Session, to_create: list[PreviewRow], ids: list[int], taken: set[object],
            to_update: list[PreviewRow]) -> None:
    """The import's history: one entry per created accession, one per updated accession
    with the old and new value of each changed field (as the import log's lines say them).
    Accessions another workstation added meanwhile get none: this import wrote nothing to
    them.

    A created accession's entry names the import but copies none of its values: they are
    the record's values with its later changes undone (every later entry keeps the old
    value, a deletion all of them); copying the 26 fields of 100,000 rows made the file
    twice as large and the import slower by a third (bench/bench_history.py)."""
    created = [("accession", accession_id,
                (f"{row.values.get('INSTCODE', '')}:{row.values.get('ACCENUMB', '')}")[:300],
                "accession", str(accession_id), "created", "{}")
               for accession_id, row in zip(ids, to_create, strict=True)
               if accession_id not in taken]
    history_entries.write_rows(session, created)  # as rows: 100,000 Changes cost 0.2 s
    history_entries.write(session, [
        Change("accession", row.existing_id, "accession", "changed",  # type: ignore[arg-type]
               {c.field: (c.old, c.new) for c in row.changes},
               row_id=str(row.existing_id), subject_key=_key(row))
        for row in to_update])


def _key(row: PreviewRow) -> str:
    return f"{row.values.get('INSTCODE', '')}:{row.values.get('ACCENUMB', '')}"


def _first_error(row: PreviewRow) -> str:
    problem = next(p for p in row.problems if p.severity == "error")
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


def _taxa(session: Session, rows: list[PreviewRow]) -> dict[tuple[str, ...], int]:
    taxa: dict[tuple[str, ...], int] = {}
    for row in rows:
        key = taxon_key(row.values)
        if key not in taxa:
            taxon = find_or_add_taxon(session, row.values)
            session.flush()
            taxa[key] = taxon.id
    return taxa


def _insert(inserts: bulk.BackgroundInserts, rows: list[PreviewRow], ids: list[int],
            taxa: dict[tuple[str, ...], int], audit: bulk.Audit) -> None:
    accession_rows = []
    children: dict[str, list[tuple[Any, ...]]] = {name: [] for name in CHILD_COLUMNS}
    for accession_id, row in zip(ids, rows, strict=True):
        accession_rows.append((accession_id, *accession_values(row.values, key=row.key),
                               taxa[taxon_key(row.values)]))
        for name, items in child_rows(row.values, accession_id).items():
            children[name].extend(items)
    inserts.insert(Accession.__table__, ("id", *ACCESSION_COLUMNS, "taxon_id"),
                   accession_rows, audit)
    for name, items in children.items():
        inserts.insert(Base.metadata.tables[name], CHILD_COLUMNS[name], items, audit)


def _update(session: Session, rows: list[PreviewRow], taxa: dict[tuple[str, ...], int],
            audit: bulk.Audit) -> None:
    """Write each row's changes: the accession's own columns (with the merged record's
    taxon), and only the child lists that change, replaced whole. DUPLSITE keeps only its
    own sites: those of safety duplicates (when checked or now) are shown, never stored."""
    ids: list[int] = [r.existing_id for r in rows]  # type: ignore[misc]
    stored = load_stored(session, ids)
    sites = duplicate_sites(session, ids)
    table = Accession.__table__
    now, user = utcnow(), audit[3]  # through SQLAlchemy's typed UPDATE: a real datetime
    statement = (
        update(table).where(table.c.id == bindparam("_id"))
        .values({**{c: bindparam(c) for c in (*ACCESSION_COLUMNS, "taxon_id")},
                 "updated_at": now, "updated_by": user, "version": table.c.version + 1})
    )
    parameters = []
    replaced: dict[str, set[int]] = {name: set() for name in CHILD_COLUMNS}
    roles: dict[str, set[int]] = {role: set() for role in INSTITUTE_ROLES}
    children: dict[str, list[tuple[Any, ...]]] = {name: [] for name in CHILD_COLUMNS}
    for row in rows:
        accession_id: int = row.existing_id  # type: ignore[assignment]
        merged = without_duplicate_sites(
            apply_changes(stored[accession_id][1], row.changes),
            {*row.duplicate_sites, *sites.get(accession_id, ())})
        key = taxon_key(merged)
        if key not in taxa:
            taxa[key] = _taxon_id(session, merged)
        parameters.append({"_id": accession_id, **accession_columns(merged),
                           "taxon_id": taxa[key]})
        changed = {c.field for c in row.changes}
        rows_of = child_rows(merged, accession_id)
        for name in {CHILD_TABLE_OF[code] for code in changed if code in CHILD_TABLE_OF}:
            replaced[name].add(accession_id)
            if name == "accession_institute":
                for role in changed & roles.keys():
                    roles[role].add(accession_id)
                children[name] += [r for r in rows_of[name] if r[1] in changed]
            else:
                children[name] += rows_of[name]
    with capture.recorded_by_caller(session):  # the import's entries say it (_record)
        for name, ids in replaced.items():
            if not ids:
                continue
            child = Base.metadata.tables[name]
            if name == "accession_institute":
                for role, role_ids in roles.items():
                    if role_ids:
                        session.execute(delete(child).where(
                            child.c.accession_id.in_(role_ids), child.c.role == role))
            else:
                session.execute(delete(child).where(child.c.accession_id.in_(ids)))
    session.connection().execute(statement, parameters)
    for name, items in children.items():
        bulk.insert_rows(session, Base.metadata.tables[name], CHILD_COLUMNS[name], items,
                         audit)


def _taxon_id(session: Session, values: dict[str, Any]) -> int:
    taxon = find_or_add_taxon(session, values)
    session.flush()
    return taxon.id
