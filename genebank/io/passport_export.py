"""Writing accession passports as MCPD files that Genesys, EURISCO and WIEWS store exactly.

MCPD codes head the columns; the records hold canonical values (multi-values joined with
';', codes and dates as text, numbers as numbers), read by
:mod:`genebank.passport.mcpd_export`. Every value is written exactly as it is: an XLSX file
holds text as string cells, which no spreadsheet runs, and a CSV file holds the text
itself, as the systems that read MCPD store it. A CSV file meant to be opened in a
spreadsheet is the one explicit exception (``safe_csv``): there a text that a spreadsheet
would run as a formula gets a leading apostrophe (:func:`genebank.io.cells.csv_escaped`),
which Genebank's import removes again. Numbers (coordinates, elevation) are never escaped:
-12.5 stays a number. XLSX is written by rustpy-xlsxwriter (rust_xlsxwriter): 100,000
accessions in about 1.5 s, against 17-22 s for XlsxWriter or openpyxl's write-only mode.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from genebank import mcpd
from genebank.io import files, xlsx_writer
from genebank.io.cells import csv_escaped
from genebank.io.files import FileNotWritten, write_whole
from genebank.numbers import canonical

NUMERIC_KINDS = {mcpd.Kind.LATITUDE_DECIMAL, mcpd.Kind.LONGITUDE_DECIMAL, mcpd.Kind.INTEGER,
                 mcpd.Kind.NUMBER}
# The MCPD descriptors, then the fields beyond MCPD under Genesys's names (AVAILABLE: true or
# false, available for distribution), which Genesys and this import read back.
EXTRA_HEADERS = ("AVAILABLE",)
HEADERS = [*(d.code for d in mcpd.DESCRIPTORS), *EXTRA_HEADERS]
SUFFIXES = {".xlsx", ".csv"}


def refuse_target(path: Path, *, replace: bool) -> None:
    """Refuse at once a name that is neither .xlsx nor .csv, or an existing file unless
    ``replace``: a caller asks before reading the collection, not after."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise FileNotWritten("bad_name", name=path.name, reason="choose a .xlsx or .csv file name")
    files.refuse_target(path, overwrite=replace)


def write_passports(path: Path, records: Sequence[dict[str, Any]], *, safe_csv: bool = False,
                    replace: bool = True) -> Path:
    """Write ``records`` (dicts by MCPD code) to ``path``, .xlsx or .csv, whole or not at
    all; ``safe_csv`` escapes formula-like text in a CSV file (an XLSX file needs none)."""
    path = Path(path)
    refuse_target(path, replace=replace)
    if path.suffix.lower() == ".csv":
        return write_whole(path, lambda partial: _write_csv(partial, records, safe=safe_csv),
                           overwrite=replace)
    return write_whole(path, lambda partial: _write_xlsx(partial, records), overwrite=replace)


_TEXT_COLUMNS = frozenset(d.code for d in mcpd.DESCRIPTORS if d.kind not in NUMERIC_KINDS)


def _write_csv(path: Path, records: Sequence[dict[str, Any]], *, safe: bool) -> None:
    escaped = [code in _TEXT_COLUMNS for code in HEADERS] if safe else [False] * len(HEADERS)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for record in records:
            writer.writerow([_csv_cell(record[code], escape)
                             for code, escape in zip(HEADERS, escaped, strict=True)])


def _csv_cell(value: object, escape: bool) -> object:
    """A CSV cell: numbers canonical ('-0.000061', not Python's '-6.1e-05'), None empty;
    text as it is, or escaped when ``escape`` (the safe CSV's text columns)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return canonical(value)
    return csv_escaped(value) if escape and isinstance(value, str) else value


def _write_xlsx(path: Path, records: Sequence[dict[str, Any]]) -> None:
    if not records:
        records = [dict.fromkeys(HEADERS)]  # a header row still names every column
    xlsx_writer.write_worksheet(
        records, str(path), sheet_name="MCPD", freeze_row=1, bold_headers=True,
        column_widths={code: max(10, len(code) + 2) for code in HEADERS})
