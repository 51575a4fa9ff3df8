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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from genebank import mcpd
from genebank.gc_pause import without_gc
from genebank.io.passport_preview import (
    IDENTITY,
    NEVER_CLEARED,
    FieldChange,
    ImportPreview,
    PreviewRow,
    locate_record_problems,
)
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Taxon,
)
from genebank.services.passport_rows import SCALAR_FIELDS, TAXON_FIELDS, stored_values

CHUNK = 900  # ids per query: under SQLite's 999 bound parameters of old versions
_MCPD_ORDER = tuple(d.code for d in mcpd.DESCRIPTORS)
_IDS = bindparam("ids", expanding=True)

_ACCESSION_QUERY = (
    select(Accession.id, Accession.version,
           *(Accession.__table__.c[code.lower()] for code in SCALAR_FIELDS),
           *(Taxon.__table__.c[code.lower()] for code in TAXON_FIELDS))
    .join(Taxon, Accession.taxon_id == Taxon.id)
    .where(Accession.id.in_(_IDS))
)
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
_FIND = (select(Accession.id, Accession.instcode, Accession.accenumb)
         .where(Accession.accenumb.in_(bindparam("numbers", expanding=True))))
_VERSIONS = select(Accession.id, Accession.version).where(Accession.id.in_(_IDS))


@without_gc
def mark_existing(session: Session, preview: ImportPreview, *, clear_blank: bool = False,
                  chunk: int = CHUNK) -> None:
    """Find the rows whose accession exists (same INSTCODE + ACCENUMB) and judge each as the
    update it would be; ``clear_blank`` as described above. Called again (with the other
    choice), it judges the rows again.

    One cached statement with an expanding IN on the indexed ACCENUMB finds them (the
    institute is compared here): a tuple IN is compiled anew for every chunk.
    """
    preview.clear_blank = clear_blank
    letters = preview.letters
    present = set(preview.mapping.values())
    keyed = [r for r in preview.rows if r.key is not None]
    for start in range(0, len(keyed), chunk):
        part = keyed[start:start + chunk]
        numbers = sorted({r.values["ACCENUMB"] for r in part})
        found = {(inst, num.casefold()): accession_id for accession_id, inst, num in
                 session.execute(_FIND, {"numbers": numbers})}
        existing = {row.row: found.get(row.key) for row in part}  # type: ignore[arg-type]
        stored = load_stored(session, [i for i in existing.values() if i is not None])
        for row in part:
            accession_id = existing[row.row]
            if accession_id is not None and accession_id in stored:
                version, values = stored[accession_id]
                _judge_update(preview.sheet, row, accession_id, version, values, letters,
                              present, clear_blank)
            elif row.existing_id is not None or row.stored_version is not None:
                _judge_new(preview.sheet, row, letters)  # gone since it was last judged


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


def _judge_update(sheet: str, row: PreviewRow, accession_id: int, version: int,
                  stored: dict[str, Any], letters: dict[str, str], present: set[str],
                  clear_blank: bool) -> None:
    checked = mcpd.CheckedPassport(values=merge(stored, row, present, clear_blank=clear_blank))
    mcpd.check_record(checked, set(row.failed))  # tidies GENUS and SPECIES, as a save does
    row.existing_id, row.stored_version = accession_id, version
    row.changes = changes_between(stored, checked.values)
    row.taxon = " ".join(checked.values.get(code, "") for code in ("GENUS", "SPECIES")).strip()
    row.set_record_problems(locate_record_problems(sheet, row, checked.problems, letters))


def _judge_new(sheet: str, row: PreviewRow, letters: dict[str, str]) -> None:
    checked = mcpd.CheckedPassport(values=dict(row.values))
    mcpd.check_record(checked, set(row.failed))
    row.existing_id, row.stored_version, row.changes, row.taxon = None, None, (), ""
    row.set_record_problems(locate_record_problems(sheet, row, checked.problems, letters))


def load_stored(session: Session, ids: Sequence[int], *,
                chunk: int = CHUNK) -> dict[int, tuple[int, dict[str, Any]]]:
    """Version and canonical MCPD values of each accession in ``ids``: six queries per
    ``chunk`` of ids, never one per accession."""
    found = {}
    for start in range(0, len(ids), chunk):
        found.update(_load_chunk(session, ids[start:start + chunk]))
    return found


def _load_chunk(session: Session, ids: Sequence[int]) -> dict[int, tuple[int, dict[str, Any]]]:
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
    for accession_id, version, *cells in run(_ACCESSION_QUERY, parameters).all():
        columns = dict(zip(_SCALAR_NAMES, cells[:_SCALARS], strict=True))
        taxon = dict(zip(_TAXON_NAMES, cells[_SCALARS:], strict=True))
        found[accession_id] = (version, stored_values(columns, taxon,
                                                      multi.get(accession_id, {})))
    return found


_SCALAR_NAMES = tuple(code.lower() for code in SCALAR_FIELDS)
_TAXON_NAMES = tuple(code.lower() for code in TAXON_FIELDS)
_SCALARS = len(SCALAR_FIELDS)


def moved_since_check(session: Session, rows: Sequence[PreviewRow], *,
                      chunk: int = CHUNK) -> list[PreviewRow]:
    """The rows whose accession was changed or deleted after the rows were judged."""
    moved = []
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        versions = dict(session.connection().execute(
            _VERSIONS, {"ids": [r.existing_id for r in part]}).all())
        moved += [r for r in part if versions.get(r.existing_id) != r.stored_version]
    return moved
