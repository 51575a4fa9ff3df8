"""Exporting accession passports as MCPD files that Genesys, EURISCO and WIEWS accept.

MCPD codes head the columns; values are canonical, multi-values joined with ';', codes and
dates written as text. Text that a spreadsheet would run as a formula (see
:mod:`genebank.io.cells`) gets a leading apostrophe, in CSV and XLSX alike, which the import
removes again, so an export imported back gives the same accessions. A CSV cell has no type,
so the apostrophe is its only protection when someone opens the file in a spreadsheet; the
XLSX file holds string cells, and keeps the same apostrophe so that both files of one export
say the same and older exports import as before. Numbers (coordinates, elevation) are never
escaped: -12.5 stays a number. XLSX is written by rustpy-xlsxwriter (rust_xlsxwriter): 100,000
accessions in about 1.5 s, against 17-22 s for XlsxWriter or openpyxl's write-only mode.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import mcpd
from genebank.conservation.regenerations import duplicate_sites
from genebank.gc_pause import without_gc
from genebank.io import xlsx_writer
from genebank.io.cells import csv_escaped
from genebank.io.files import FileNotWritten, refuse_target, write_whole
from genebank.models import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
    Taxon,
)
from genebank.numbers import canonical
from genebank.passport.passport_rows import EXTRA_FIELDS, SCALAR_FIELDS, TAXON_FIELDS, column_name
from genebank.progress import NoProgress, Progress, check

CHUNK = 5000
NUMERIC_KINDS = {mcpd.Kind.LATITUDE_DECIMAL, mcpd.Kind.LONGITUDE_DECIMAL, mcpd.Kind.INTEGER,
                 mcpd.Kind.NUMBER}
# The MCPD descriptors, then the fields beyond MCPD under Genesys's names (AVAILABLE), which
# Genesys and this import read back.
HEADERS = [*(d.code for d in mcpd.DESCRIPTORS), *EXTRA_FIELDS]


def _text(value: Any) -> Any:
    if value is None or value == "":
        return None
    return csv_escaped(str(value))


def _number(value: Any) -> Any:
    return value


def _flag(value: Any) -> Any:
    """A true/false field as Genesys writes it in text: "true" or "false"."""
    return None if value is None else ("true" if value else "false")


def _converter(code: str) -> Any:
    if code in EXTRA_FIELDS:
        return _flag
    return _number if mcpd.BY_CODE[code].kind in NUMERIC_KINDS else _text


# How each stored column becomes a cell: numbers stay numbers, all else is (escaped) text.
# ;-joined text columns are stored joined, exactly as MCPD writes them.
_CONVERTERS = tuple(_converter(code) for code in (*SCALAR_FIELDS, *TAXON_FIELDS))
_CODES = (*SCALAR_FIELDS, *TAXON_FIELDS)


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
                record[code] = _text(";".join(values))
        by_id[accession_id] = record
    for accession_id in ids:
        if accession_id in by_id:
            yield by_id[accession_id]


@without_gc
def export_passports(session: Session, path: Path, ids: Sequence[int], *,
                     progress: Progress | None = None, replace: bool = True) -> int:
    """Write the accessions ``ids`` to ``path`` (.xlsx or .csv); returns how many.

    The file appears only when complete: it is written beside the target and renamed.
    An existing ``path`` is refused unless ``replace`` (the GUI's save dialog has asked).
    """
    progress = progress or NoProgress()
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".csv"}:
        raise FileNotWritten("bad_name", name=path.name, reason="choose a .xlsx or .csv file name")
    refuse_target(path, overwrite=replace)  # before reading the collection, not after
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
    write_whole(path, lambda partial: (_write_csv if path.suffix.lower() == ".csv"
                                       else _write_xlsx)(partial, records),
                overwrite=replace)
    return total


def _write_csv(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for record in records:
            writer.writerow([_csv_cell(record[c]) for c in HEADERS])


def _csv_cell(value: object) -> object:
    """A CSV cell: numbers canonical ('-0.000061', not Python's '-6.1e-05'), None empty."""
    if value is None:
        return ""
    return canonical(value) if isinstance(value, float) else value


def _write_xlsx(path: Path, records: list[dict[str, Any]]) -> None:
    if not records:
        records = [dict.fromkeys(HEADERS)]  # a header row still names every column
    xlsx_writer.write_worksheet(
        records, str(path), sheet_name="MCPD", freeze_row=1, bold_headers=True,
        column_widths={code: max(10, len(code) + 2) for code in HEADERS})
