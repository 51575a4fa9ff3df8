"""Benchmark MCPD exchange: a generated 100,000-row x 26-column workbook imported into
SQLite (read, checked, committed), 100,000 accessions exported to .xlsx, and that export
imported again as an update (every row compared with what is stored, none written).

    python bench/bench_exchange.py [--rows N]

Prints each phase, rows/s and peak memory, next to the raw library read of the same file.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import python_calamine
import rustpy_xlsxwriter

from genebank import db
from genebank.io import passport_preview, spreadsheet
from genebank.passport import mcpd_export, passport_existing, passport_import
from genebank.passport.accession_query import AccessionFilter, matching_ids

COLUMNS = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "SPAUTHOR", "CROPNAME", "ACCENAME",
           "ACQDATE", "ORIGCTY", "SAMPSTAT", "STORAGE", "MLSSTAT", "COLLSITE", "DECLATITUDE",
           "LATITUDE", "DECLONGITUDE", "LONGITUDE", "COORDDATUM", "ELEVATION", "COLLDATE",
           "COLLSRC", "DONORCODE", "DONORNUMB", "OTHERNUMB", "DUPLSITE", "REMARKS"]
GENERA = [("Triticum", "aestivum", "bread wheat"), ("Hordeum", "vulgare", "barley"),
          ("Sorghum", "bicolor", "sorghum"), ("Cicer", "arietinum", "chickpea")]
COUNTRIES = ["KAZ", "UZB", "TUR", "SEN", "MAR", "PAK"]


def generate(path: Path, rows: int) -> None:
    records = []
    for i in range(rows):
        genus, species, crop = GENERA[i % 4]
        records.append(dict(zip(COLUMNS, [
            "KAZ001", f"B-{i:07d}", genus, species, "L.", crop, f"Name {i % 977}",
            f"{1960 + i % 60}{1 + i % 12:02d}--", COUNTRIES[i % 6], str([100, 300, 500][i % 3]),
            "13;20" if i % 2 else "12", "1", f"{i % 50} km north of Almaty", 43.25 + i % 7,
            f"{43 + i % 7}1500N", 76.9, "0765400E", "WGS84", 850 + i % 400,
            f"{1960 + i % 60}0612", "26", "TUR001", f"D{i}", f":OLD-{i}", "NOR051",
            "COLLSRC:village"], strict=True)))
    rustpy_xlsxwriter.write_worksheet(records, str(path), sheet_name="MCPD")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, seconds: float, rows: int, target: float | None = None) -> None:
    ratio = f"   target {target:5.1f} s   ratio {seconds / target:4.2f}" if target else ""
    print(f"{label:<44} {seconds:7.2f} s   {rows / seconds:9,.0f} rows/s{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    folder = Path(tempfile.mkdtemp())
    source = folder / "mcpd.xlsx"
    generate(source, rows)
    print(f"{rows:,} rows x {len(COLUMNS)} columns, {source.stat().st_size / 1e6:.1f} MB")

    started = time.perf_counter()
    sheet_data = python_calamine.CalamineWorkbook.from_path(str(source)).get_sheet_by_name("MCPD")
    raw = sum(1 for _ in sheet_data.iter_rows())
    report("raw read, python-calamine iter_rows", time.perf_counter() - started, raw)
    del sheet_data  # measured apart: the import's peak memory below is its own

    database = db.open_database(str(folder / "bench.sqlite"))
    started = time.perf_counter()
    top = spreadsheet.read_sheet(source, first_rows=200)
    first = passport_preview.preview_passports(top)
    with database.session_factory() as session:
        passport_existing.mark_existing(session, first)
    seconds = time.perf_counter() - started
    print(f"{'wizard preview: first 200 rows read, checked':<44} {seconds:7.2f} s   "
          f"target   2.0 s   ratio {seconds / 2:4.2f}")

    started = time.perf_counter()
    sheet = spreadsheet.read_sheet(source)
    read = time.perf_counter()
    preview = passport_preview.preview_passports(sheet)
    checked = time.perf_counter()
    with database.session_factory.begin() as session:
        passport_existing.mark_existing(session, preview)
        summary = passport_import.apply_import(session, preview)
    done = time.perf_counter()
    report("  read (calamine + formula scan)", read - started, rows)
    report("  check every row (MCPD rules)", checked - read, rows)
    report("  write and commit", done - checked, rows)
    report(f"import, validated and committed ({summary.line()})", done - started, rows, 5.0)
    print(f"{'peak memory so far (max RSS, incl. raw read)':<44} {peak_mb():7.0f} MB   "
          "target 500 MB")

    with database.session_factory() as session:
        ids = matching_ids(session, AccessionFilter())
        started = time.perf_counter()
        mcpd_export.export_passports(session, folder / "export.xlsx", ids)
        report("export to .xlsx", time.perf_counter() - started, len(ids), 10.0)
        started = time.perf_counter()
        mcpd_export.export_passports(session, folder / "export.csv", ids)
        report("export to .csv", time.perf_counter() - started, len(ids))

    del sheet, preview  # the re-import's memory below is its own
    started = time.perf_counter()
    again = passport_preview.preview_passports(spreadsheet.read_sheet(folder / "export.xlsx"))
    checked = time.perf_counter()
    with database.session_factory.begin() as session:
        passport_existing.mark_existing(session, again)
        compared = time.perf_counter()
        summary = passport_import.apply_import(
            session, again, on_existing=passport_import.OnExisting.UPDATE)
    done = time.perf_counter()
    report("  read and check the export", checked - started, rows)
    report("  compare with what is stored", compared - checked, rows)
    report("  apply (nothing to write)", done - compared, rows)
    report(f"re-import the export as an update ({summary.line()})", done - started, rows)
    print(f"{'peak memory of the run (max RSS)':<44} {peak_mb():7.0f} MB")
    database.close()


if __name__ == "__main__":
    main()
