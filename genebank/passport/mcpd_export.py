"""Exporting accession passports as MCPD files: the accessions' stored values read in bulk,
then written by :mod:`genebank.io.passport_export` (which knows the file formats only).

Every value goes out exactly as stored: canonical, multi-values joined with ';' as MCPD
writes them, numbers as numbers, everything else as text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import mcpd
from genebank.conservation.regenerations import duplicate_sites
from genebank.gc_pause import without_gc
from genebank.io import passport_export
from genebank.io.passport_export import HEADERS, NUMERIC_KINDS
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Taxon,
)
from genebank.passport.passport_rows import EXTRA_FIELDS, SCALAR_FIELDS, TAXON_FIELDS, column_name
from genebank.progress import NoProgress, Progress, check
from genebank.users.actor import everyone

CHUNK = 5000


def _text(value: Any) -> Any:
    return None if value is None or value == "" else str(value)


def _number(value: Any) -> Any:
    return value


def _flag(value: Any) -> Any:
    """A true/false field as Genesys writes it in text: "true" or "false"."""
    return None if value is None else ("true" if value else "false")


def _converter(code: str) -> Any:
    if code in EXTRA_FIELDS:
        return _flag
    return _number if mcpd.BY_CODE[code].kind in NUMERIC_KINDS else _text


# How each stored column becomes a cell: numbers stay numbers, true/false fields "true" or
# "false", all else is text. ;-joined text columns are stored joined, as MCPD writes them.
_CODES = (*SCALAR_FIELDS, *TAXON_FIELDS)
_CONVERTERS = tuple(_converter(code) for code in _CODES)


@everyone
def export_records(session: Session, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The exported cells (by MCPD code) of the accessions ``ids``, in that order."""
    for start in range(0, len(ids), CHUNK):
        yield from _chunk(session, list(ids[start:start + CHUNK]))


def _chunk(session: Session, ids: list[int]) -> Iterator[dict[str, Any]]:
    scalar_columns = [getattr(Accession, column_name(c)) for c in SCALAR_FIELDS]
    taxon_columns = [getattr(Taxon, c.lower()) for c in TAXON_FIELDS]
    rows = session.execute(
        select(Accession.id, *scalar_columns, *taxon_columns)
        .join(Taxon, Taxon.id == Accession.taxon_id).where(Accession.id.in_(ids)))
    multi: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for accession_id, name in session.execute(
            select(AccessionName.accession_id, AccessionName.name)
            .where(AccessionName.accession_id.in_(ids)).order_by(AccessionName.position)):
        multi["ACCENAME"][accession_id].append(name)
    for accession_id, instcode, number in session.execute(
            select(AccessionOtherNumber.accession_id, AccessionOtherNumber.instcode,
                   AccessionOtherNumber.number)
            .where(AccessionOtherNumber.accession_id.in_(ids))
            .order_by(AccessionOtherNumber.position)):
        multi["OTHERNUMB"][accession_id].append(f"{instcode}:{number}")
    for accession_id, code in session.execute(
            select(AccessionStorage.accession_id, AccessionStorage.code)
            .where(AccessionStorage.accession_id.in_(ids)).order_by(AccessionStorage.code)):
        multi["STORAGE"][accession_id].append(str(code))
    for accession_id, role, code in session.execute(
            select(AccessionInstitute.accession_id, AccessionInstitute.role,
                   AccessionInstitute.code)
            .where(AccessionInstitute.accession_id.in_(ids))
            .order_by(AccessionInstitute.position)):
        multi[role][accession_id].append(code)
    for accession_id, codes in duplicate_sites(session, ids).items():  # from the lots sent
        listed = multi["DUPLSITE"][accession_id]
        listed.extend(code for code in codes if code not in listed)
    for accession_id, remark in session.execute(
            select(AccessionRemark.accession_id, AccessionRemark.remark)
            .where(AccessionRemark.accession_id.in_(ids)).order_by(AccessionRemark.position)):
        multi["REMARKS"][accession_id].append(remark)
    by_id: dict[int, dict[str, Any]] = {}
    multi_items = list(multi.items())
    for row in rows:
        accession_id = row[0]
        record = dict.fromkeys(HEADERS)
        for code, convert, value in zip(_CODES, _CONVERTERS, row[1:], strict=True):
            if value is not None:
                record[code] = convert(value)
        for code, lists in multi_items:
            values = lists.get(accession_id)
            if values:
                record[code] = ";".join(values)
        by_id[accession_id] = record
    for accession_id in ids:
        if accession_id in by_id:
            yield by_id[accession_id]


@without_gc
@everyone
def export_passports(session: Session, path: Path, ids: Sequence[int], *,
                     progress: Progress | None = None, replace: bool = True,
                     safe_csv: bool = False) -> int:
    """Write the accessions ``ids`` to ``path`` (.xlsx or .csv); returns how many.

    The values are exact (what Genesys and EURISCO store); ``safe_csv`` asks for a CSV
    file to open in a spreadsheet instead, its formula-like texts escaped (see
    :mod:`genebank.io.cells`). The file appears only when complete. An existing ``path``
    is refused unless ``replace`` (the GUI's save dialog has asked), before anything is
    read.
    """
    progress = progress or NoProgress()
    path = Path(path)
    passport_export.refuse_target(path, replace=replace)  # before reading, not after
    records = []
    total = len(ids)
    progress.report(0, total, "Reading accessions")
    for done, record in enumerate(export_records(session, ids), start=1):
        if done % CHUNK == 0:
            check(progress)
            progress.report(done, total, f"Read {done:,} of {total:,} accessions")
        records.append(record)
    check(progress)
    progress.report(total, total, "Writing the file")
    passport_export.write_passports(path, records, safe_csv=safe_csv, replace=replace)
    return total
