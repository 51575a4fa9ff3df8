"""The rows of a passport import whose accession exists, judged as the update they would be.

An update changes only what the file says: a descriptor the file has a column for and a
non-blank cell in. A multi-valued cell replaces that whole stored list; one taxon field
changes that field and keeps the rest of the taxon. Clearing is asked for explicitly
(``clear_blank``) and then empties the stored value of a blank cell in one of the file's
columns, never INSTCODE, ACCENUMB or GENUS.

Every rule (required fields, cross-field rules, DMS against decimal coordinates) is run on
the merged record, the stored values overlaid by the file's, so the preview judges what
would actually be stored, and lists each descriptor that would change (old -> new). The
stored values are read in bulk, a few queries per chunk of rows, and are not kept: phase 2
reads them again, checks that no one changed the accession in between (its version), and
applies the changes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from genebank import mcpd
from genebank.conservation.regenerations import duplicate_sites
from genebank.gc_pause import without_gc
from genebank.io import passport_messages  # noqa: F401 (registers the codes said here)
from genebank.io.column_notes import note_absent_recommended, note_update_only, say_repeated
from genebank.io.import_preview import (
    IDENTITY,
    NEVER_CLEARED,
    FieldChange,
    ImportPreview,
    Place,
    PreviewRow,
)
from genebank.io.passport_preview import locate_record_problems
from genebank.mcpd import Severity, values
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Taxon,
)
from genebank.passport.own_institutes import note_not_held, own_instcodes
from genebank.passport.passport_rows import (
    EXTRA_FIELDS,
    SCALAR_FIELDS,
    TAXON_FIELDS,
    column_name,
    stored_values,
)
from genebank.users.actor import everyone, internal

CHUNK = 900  # ids per query: under SQLite's 999 bound parameters of old versions
_MCPD_ORDER = (*(d.code for d in mcpd.DESCRIPTORS), *EXTRA_FIELDS)
_IDS = bindparam("ids", expanding=True)

def _accession_query(codes: Sequence[str]) -> Select[Any]:
    return (select(Accession.id, Accession.version,
                   *(Accession.__table__.c[column_name(code)] for code in codes),
                   *(Taxon.__table__.c[code.lower()] for code in TAXON_FIELDS))
            .join(Taxon, Accession.taxon_id == Taxon.id)
            .where(Accession.id.in_(_IDS)))


_ACCESSION_QUERY = _accession_query(SCALAR_FIELDS)
# MCPD's columns only: what a database before 0010 has (duplicates are resolved at 0007).
_MCPD_SCALARS = tuple(code for code in SCALAR_FIELDS if code not in EXTRA_FIELDS)
_MCPD_ACCESSION_QUERY = _accession_query(_MCPD_SCALARS)
_NAMES = (select(AccessionName.accession_id, AccessionName.name)
          .where(AccessionName.accession_id.in_(_IDS))
          .order_by(AccessionName.accession_id, AccessionName.position))
_OTHER_NUMBERS = (select(AccessionOtherNumber.accession_id, AccessionOtherNumber.instcode,
                         AccessionOtherNumber.number)
                  .where(AccessionOtherNumber.accession_id.in_(_IDS))
                  .order_by(AccessionOtherNumber.accession_id, AccessionOtherNumber.position))
_STORAGE = (select(AccessionStorage.accession_id, AccessionStorage.code)
            .where(AccessionStorage.accession_id.in_(_IDS))
            .order_by(AccessionStorage.accession_id, AccessionStorage.code))
_INSTITUTES = (select(AccessionInstitute.accession_id, AccessionInstitute.role,
                      AccessionInstitute.code)
               .where(AccessionInstitute.accession_id.in_(_IDS))
               .order_by(AccessionInstitute.accession_id, AccessionInstitute.role,
                         AccessionInstitute.position))
_REMARKS = (select(AccessionRemark.accession_id, AccessionRemark.remark)
            .where(AccessionRemark.accession_id.in_(_IDS))
            .order_by(AccessionRemark.accession_id, AccessionRemark.position))
# An accession is found by its identity key (genebank.mcpd.identity), through the key's
# unique index: SQLite and PostgreSQL find "KZ-17" for a file's "kz-17" or "ＫＺ-17" alike.
_FIND = (select(Accession.identity_key, Accession.id)
         .where(Accession.identity_key.in_(bindparam("keys", expanding=True))))
# FOR UPDATE (PostgreSQL): an accession found unchanged stays so until the import commits;
# another workstation's save waits, then finds the new version and says so. SQLite's
# import holds the write lock from its start, which does the same.
_VERSIONS = (select(Accession.id, Accession.version).where(Accession.id.in_(_IDS))
             .with_for_update())


@without_gc
@everyone
def mark_existing(session: Session, preview: ImportPreview, *, clear_blank: bool = False,
                  chunk: int = CHUNK,
                  own: Callable[[PreviewRow], PreviewRow] | None = None) -> None:
    """Find the rows whose accession exists (same INSTCODE + ACCENUMB) and judge each as the
    update it would be; ``clear_blank`` as described above. Called again (with the other
    choice), it judges the rows again.

    One cached statement with an expanding IN on the unique identity key finds them. A
    row that spells the number differently from the stored one ("kz-17" for "KZ-17") is
    that accession, said as a warning; the stored number keeps its spelling. ``own``, if
    given, makes each row about to be judged anew a row of the preview's own (a copy) first.
    """
    preview.clear_blank = clear_blank
    letters = preview.letters
    present = preview.fields
    rows = preview.rows
    keyed = [(index, row, key) for index, row in enumerate(rows)
             if (key := row.key) is not None]
    for start in range(0, len(keyed), chunk):
        part = keyed[start:start + chunk]
        found = dict(session.execute(_FIND, {"keys": sorted({key for _, _, key in part})}).all())
        existing = {row.row: found.get(key) for _, row, key in part}
        ids = [match for match in existing.values() if match is not None]
        stored = load_stored(session, ids)
        sites = duplicate_sites(session, ids) if ids else {}
        for index, row, _key in part:
            accession_id = existing[row.row]
            if accession_id is not None and accession_id in stored:
                if own is not None:
                    row = rows[index] = own(row)
                version, stored_record = stored[accession_id]
                row.duplicate_sites = tuple(sites.get(accession_id, ()))
                _judge_update(preview.place, row, accession_id, version, stored_record,
                              letters, present, clear_blank)
            elif row.existing_id is not None or row.stored_version is not None:
                if own is not None:
                    row = rows[index] = own(row)
                _judge_new(preview.place, row, letters)  # gone since it was last judged
    note_absent_recommended(preview)  # now that the new accessions are known
    note_update_only(preview)
    say_repeated(preview)  # rows judged as updates may say otherwise
    note_not_held(preview, own_instcodes(session))


@everyone
def judged_again(session: Session, preview: ImportPreview, *,
                 clear_blank: bool) -> ImportPreview:
    """A new preview: ``preview``'s rows judged again with the clear-blank choice given,
    ``preview`` itself left as it is, so that a window can keep showing it while this runs
    on another thread, and then swap the result in.

    Each row judged anew is a copy; the others (on an import of new accessions, all of
    them) are the same objects in both previews, and stay as they are: rows are changed
    only by :func:`mark_existing`, which copies them first here (an import is judged again
    at write: copying every row of it would be work for nothing)."""
    copy = dataclasses.replace(preview, rows=list(preview.rows))
    mark_existing(session, copy, clear_blank=clear_blank, own=_copied)
    return copy


_ROW_FIELDS = tuple(field.name for field in dataclasses.fields(PreviewRow))  # _key too


def _copied(row: PreviewRow) -> PreviewRow:
    """``row`` with lists of its own, every other field as it is, its identity key included
    (not an init field, so ``dataclasses.replace`` would drop it and the key be worked out
    again). Field by field: ``dataclasses.replace`` builds keyword arguments and runs
    ``__init__``, several times longer on an import's 100,000 rows, judged again at write."""
    copy = PreviewRow.__new__(PreviewRow)
    for name in _ROW_FIELDS:
        setattr(copy, name, getattr(row, name))
    copy.cell_problems = list(row.cell_problems)
    copy.problems = list(row.problems)
    return copy


def merge(stored: dict[str, Any], row: PreviewRow, present: Iterable[str], *,
          clear_blank: bool) -> dict[str, Any]:
    """The record an update would store: ``stored`` overlaid by the row's non-blank cells;
    with ``clear_blank``, without the values of the row's blank cells (``present`` are the
    descriptors the file has columns for)."""
    merged = dict(stored)
    for code, value in row.values.items():
        if code not in IDENTITY:
            merged[code] = value
    if clear_blank:
        for code in present:
            if code not in row.values and code not in row.failed and code not in NEVER_CLEARED:
                merged.pop(code, None)
    return merged


def changes_between(stored: dict[str, Any], merged: dict[str, Any]) -> tuple[FieldChange, ...]:
    """Each descriptor whose value differs, in MCPD order."""
    if stored == merged:  # most rows of a re-import: one comparison in C
        return ()
    return tuple(FieldChange(code, stored.get(code), merged.get(code)) for code in _MCPD_ORDER
                 if stored.get(code) != merged.get(code))


def apply_changes(stored: dict[str, Any], changes: Iterable[FieldChange]) -> dict[str, Any]:
    """``stored`` with ``changes`` made: the record an update writes."""
    merged = dict(stored)
    for change in changes:
        if change.new is None:
            merged.pop(change.field, None)
        else:
            merged[change.field] = change.new
    return merged


def with_duplicate_sites(record: dict[str, Any], sites: Sequence[str]) -> dict[str, Any]:
    """``record`` with DUPLSITE as the export writes it: its own sites, then each site that
    holds a sent or confirmed safety duplicate (``sites``). The same form for the stored
    record and the file's, so that an export imported back changes nothing."""
    if not sites:
        return record
    own = [code for code in record.get("DUPLSITE", ()) if code not in sites]
    return {**record, "DUPLSITE": [*own, *sites]}


def without_duplicate_sites(record: dict[str, Any], sites: Iterable[str]) -> dict[str, Any]:
    """``record`` with only the DUPLSITE codes that are not derived from safety duplicates:
    what an update stores, so that a withdrawn duplicate leaves DUPLSITE."""
    derived = set(sites)
    if not derived or "DUPLSITE" not in record:
        return record
    own = [code for code in record["DUPLSITE"] if code not in derived]
    kept = {code: value for code, value in record.items() if code != "DUPLSITE"}
    return {**kept, "DUPLSITE": own} if own else kept


def _judge_update(place: Place, row: PreviewRow, accession_id: int, version: int,
                  stored: dict[str, Any], letters: dict[str, str], present: set[str],
                  clear_blank: bool) -> None:
    sites = row.duplicate_sites
    stored = with_duplicate_sites(stored, sites)
    merged = with_duplicate_sites(merge(stored, row, present, clear_blank=clear_blank), sites)
    checked = mcpd.CheckedPassport(values=merged)
    if "DUPLSITE" in row.values or (clear_blank and "DUPLSITE" in present
                                    and "DUPLSITE" not in row.failed):
        missing = [code for code in sites if code not in row.values.get("DUPLSITE", ())]
        if missing:
            checked.add("DUPLSITE", Severity.WARNING, "duplsite_kept",
                        codes=", ".join(missing))
    _agree_coordinates(checked, row)
    _note_spelling(checked, row, stored)
    mcpd.check_record(checked, set(row.failed))  # tidies GENUS and SPECIES, as a save does
    checked.problems[:] = [p for p in checked.problems if not _only_stored(p, row, stored,
                                                                         checked.values)]
    row.existing_id, row.stored_version = accession_id, version
    row.changes = changes_between(stored, checked.values)
    row.taxon = " ".join(checked.values.get(code, "") for code in ("GENUS", "SPECIES")).strip()
    row.set_record_problems(locate_record_problems(place, row, checked.problems, letters))


def _only_stored(problem: mcpd.Problem, row: PreviewRow, stored: dict[str, Any],
                 merged: dict[str, Any]) -> bool:
    """Whether ``problem`` is a warning about a stored value the update keeps as it is (its
    cell blank or its column absent): it would be shown on the person's empty cell, quoting
    a value they never typed, and it is not this file's to fix; the update leaves that
    value as it was accepted. A value the update changes (a DMS latitude made to agree)
    and every error are still said."""
    return problem.severity is Severity.WARNING and problem.field is not None and \
        problem.field not in row.values and problem.field not in row.failed and \
        problem.field in stored and merged.get(problem.field) == stored[problem.field]


def _judge_new(place: Place, row: PreviewRow, letters: dict[str, str]) -> None:
    checked = mcpd.CheckedPassport(values=dict(row.values))
    mcpd.check_record(checked, set(row.failed))
    row.existing_id, row.stored_version, row.changes, row.taxon = None, None, (), ""
    row.duplicate_sites = ()
    row.set_record_problems(locate_record_problems(place, row, checked.problems, letters))


def _note_spelling(checked: mcpd.CheckedPassport, row: PreviewRow,
                   stored: dict[str, Any]) -> None:
    """A row that writes the stored INSTCODE or ACCENUMB differently ("kz-17", "ＫＺ-17",
    "KZ 17 " for "KZ-17"... same identity key): the same accession, said as a warning; the
    stored spelling stays (an update never changes the identity)."""
    for code in IDENTITY:
        if code in row.values and row.values[code] != stored.get(code):
            checked.add(code, Severity.WARNING, "identity_spelt", code=code,
                        value=row.values[code], stored=stored.get(code))


_COORDINATES = (("LATITUDE", "DECLATITUDE", "lat"), ("LONGITUDE", "DECLONGITUDE", "lon"))


def _agree_coordinates(checked: mcpd.CheckedPassport, row: PreviewRow) -> None:
    """Where the file gives one form of a coordinate (DMS or decimal) and not the other,
    the other stored form, if it disagrees, becomes the converted value (said as a
    warning, old -> new), or the row is refused when a DMS without seconds cannot be
    converted: an update never leaves two forms that disagree."""
    merged = checked.values
    given = set(row.values) | set(row.failed)
    for dms_code, dec_code, axis in _COORDINATES:
        if (dms_code in given) == (dec_code in given):
            continue
        if dms_code not in merged or dec_code not in merged:
            continue
        from_dms, precision = values.dms_to_decimal(merged[dms_code])
        if abs(from_dms - merged[dec_code]) <= precision + 1e-4:
            continue  # the same place: the stored form stays as it is
        if dec_code in given:
            new: Any = values.decimal_to_dms(merged[dec_code], axis=axis)
            code, source = dms_code, dec_code
        elif precision > 1 / 3600:
            checked.add(dms_code, Severity.ERROR, "coordinate_not_convertible", code=dms_code,
                        value=merged[dms_code], other=dec_code, stored=merged[dec_code])
            continue
        else:
            new = round(from_dms, 4)  # MCPD's four decimals: finer than one second
            code, source = dec_code, dms_code
        old = merged[code]
        checked.add(code, Severity.WARNING, "coordinate_converted", old=_plain(old),
                    new=_plain(new), source=source, value=_plain(merged[source]))
        merged[code] = new


def _plain(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@internal
def load_stored(session: Session, ids: Sequence[int], *, chunk: int = CHUNK,
                mcpd_only: bool = False) -> dict[int, tuple[int, dict[str, Any]]]:
    """Version and canonical MCPD values of each accession in ``ids``: six queries per
    ``chunk`` of ids, never one per accession. ``mcpd_only``: without the fields beyond
    MCPD (AVAILABLE), for a database at a revision before they were added."""
    found = {}
    for start in range(0, len(ids), chunk):
        found.update(_load_chunk(session, ids[start:start + chunk], mcpd_only))
    return found


def _load_chunk(session: Session, ids: Sequence[int],
                mcpd_only: bool) -> dict[int, tuple[int, dict[str, Any]]]:
    if not ids:
        return {}
    parameters = {"ids": list(ids)}
    run = session.connection().execute  # plain rows: no ORM loading for a bulk read
    multi: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    for accession_id, name in run(_NAMES, parameters).all():
        multi[accession_id].setdefault("ACCENAME", []).append(name)
    for accession_id, instcode, number in run(_OTHER_NUMBERS, parameters).all():
        multi[accession_id].setdefault("OTHERNUMB", []).append(f"{instcode}:{number}")
    for accession_id, code in run(_STORAGE, parameters).all():
        multi[accession_id].setdefault("STORAGE", []).append(code)
    for accession_id, role, code in run(_INSTITUTES, parameters).all():
        multi[accession_id].setdefault(role, []).append(code)
    for accession_id, remark in run(_REMARKS, parameters).all():
        multi[accession_id].setdefault("REMARKS", []).append(remark)
    found = {}
    query, names = (_MCPD_ACCESSION_QUERY, _MCPD_NAMES) if mcpd_only \
        else (_ACCESSION_QUERY, _SCALAR_NAMES)
    scalars = len(names)
    for accession_id, version, *cells in run(query, parameters).all():
        columns = dict(zip(names, cells[:scalars], strict=True))
        taxon = dict(zip(_TAXON_NAMES, cells[scalars:], strict=True))
        found[accession_id] = (version, stored_values(columns, taxon,
                                                      multi.get(accession_id, {})))
    return found


_SCALAR_NAMES = tuple(column_name(code) for code in SCALAR_FIELDS)
_MCPD_NAMES = tuple(column_name(code) for code in _MCPD_SCALARS)
_TAXON_NAMES = tuple(code.lower() for code in TAXON_FIELDS)


@internal
def moved_since_check(session: Session, rows: Sequence[PreviewRow], *,
                      chunk: int = CHUNK) -> list[PreviewRow]:
    """The rows whose accession was changed or deleted after the rows were judged; the
    others' accessions are locked (PostgreSQL) until the transaction ends."""
    moved = []
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        versions = dict(session.connection().execute(
            _VERSIONS, {"ids": [r.existing_id for r in part]}).all())
        moved += [r for r in part if versions.get(r.existing_id) != r.stored_version]
    return moved
