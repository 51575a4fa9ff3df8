"""Benchmark reading .xls (Excel 97-2003) and .ods (LibreOffice) sheets: Genebank's
``read_sheet`` (the container checks, every sheet measured, formulas and percentages found,
then calamine) against python-calamine's own read of the same file, in alternating pairs.

    python bench/bench_old_formats.py [--rows N] [--pairs P] [--ods FILE] [--xls FILE]

An .xls holds at most 65,536 rows, so its sheet has 65,535 rows of 26 columns (xlwt, an
Excel 97 style writer); the .ods has ``--rows`` rows (default 100,000), written in
LibreOffice's own shape (``--ods`` reads a file LibreOffice saved instead). With xlrd
installed, its read of the same .xls with cell formats (what finding percentages through
it would cost) is timed once.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import python_calamine

from genebank.io import ods_container, spreadsheet, xls_container

COLUMNS = 26
CONTENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.3"><office:body><office:spreadsheet>'
    '<table:table table:name="MCPD"><table:table-column table:number-columns-repeated='
    '"16384"/>')
CONTENT_TAIL = ('<table:table-row table:number-rows-repeated="{rest}"><table:table-cell '
                'table:number-columns-repeated="16384"/></table:table-row></table:table>'
                "</office:spreadsheet></office:body></office:document-content>")


def value(row: int, column: int) -> object:
    """The cell at ``row``, ``column`` (0-based; row 0 holds the headings): text, numbers
    and dates in turn, as an MCPD sheet has them."""
    if row == 0:
        return f"COL{column}"
    kind = column % 3
    if kind == 0:
        return f"KAZ{row % 500}-{column}"
    if kind == 1:
        return row * 1.5 + column
    return f"{1960 + row % 60}-{1 + row % 12:02d}-15"


def write_xls(path: Path, rows: int) -> None:
    import datetime as dt

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("MCPD")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r in range(min(rows, 65_536)):
        for c in range(COLUMNS):
            cell = value(r, c)
            if r and c % 3 == 2:
                sheet.write(r, c, dt.date.fromisoformat(str(cell)), dates)
            else:
                sheet.write(r, c, cell)
    book.save(str(path))


def write_ods(path: Path, rows: int) -> None:
    """An .ods in LibreOffice's shape: typed cells with their text, a repeated empty cell
    closing every row, a repeated empty row closing the sheet."""
    parts = [CONTENT_HEAD]
    for r in range(rows):
        cells = []
        for c in range(COLUMNS):
            cell = value(r, c)
            if isinstance(cell, float):
                cells.append(f'<table:table-cell office:value-type="float" office:value='
                             f'"{cell}" calcext:value-type="float"><text:p>{cell}</text:p>'
                             "</table:table-cell>")
            elif r and c % 3 == 2:
                cells.append(f'<table:table-cell office:value-type="date" office:date-value='
                             f'"{cell}" calcext:value-type="date"><text:p>{cell}</text:p>'
                             "</table:table-cell>")
            else:
                cells.append('<table:table-cell office:value-type="string" calcext:value-'
                             f'type="string"><text:p>{escape(str(cell))}</text:p>'
                             "</table:table-cell>")
        parts.append("<table:table-row>" + "".join(cells) + '<table:table-cell table:number-'
                     f'columns-repeated="{16384 - COLUMNS}"/></table:table-row>')
    parts.append(CONTENT_TAIL.format(rest=1_048_576 - rows))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "".join(parts))
        archive.writestr("META-INF/manifest.xml",
                         '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:'
                         'manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                         'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                         'manifest:media-type="application/vnd.oasis.opendocument.'
                         'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml"'
                         ' manifest:media-type="text/xml"/></manifest:manifest>')


def raw_read(path: Path) -> int:
    """python-calamine alone: open, take the sheet, every row as Python values."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return sum(1 for _ in workbook.get_sheet_by_name("MCPD").iter_rows())
    finally:
        workbook.close()


def timed(work: Callable[[], object]) -> float:
    """CPU seconds of ``work`` (this process's, calamine's included): a machine shared with
    other work changes wall time far more than CPU time."""
    start = time.process_time()
    work()
    return time.process_time() - start


def compare(label: str, path: Path, pairs: int, check: Callable[[], object]) -> None:
    raw, ours, checks = [], [], []
    for _ in range(pairs):  # alternating, so that the machine's load falls on both alike
        raw.append(timed(lambda: raw_read(path)))
        ours.append(timed(lambda: spreadsheet.read_sheet(path)))
        checks.append(timed(check))
    rows = len(spreadsheet.read_sheet(path).rows)
    raw_s, ours_s, check_s = (statistics.median(t) for t in (raw, ours, checks))
    print(f"{label}: {rows:,} rows x {COLUMNS}, {path.stat().st_size / 1024**2:.1f} MB, "
          f"median of {pairs} alternating pairs")
    print(f"  python-calamine alone        {raw_s:7.2f} s CPU")
    print(f"  read_sheet                   {ours_s:7.2f} s CPU   ratio {ours_s / raw_s:4.2f}")
    print(f"    of which the container     {check_s:7.2f} s CPU   ratio {check_s / raw_s:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--ods", type=Path, help="an .ods to read instead of generating one")
    parser.add_argument("--xls", type=Path, help="an .xls to read instead of generating one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        xls = args.xls or Path(folder) / "bench.xls"
        ods = args.ods or Path(folder) / "bench.ods"
        if not args.xls:
            write_xls(xls, args.rows)
        if not args.ods:
            write_ods(ods, args.rows)
        compare(".xls", xls, args.pairs, lambda: xls_container.inspect_xls(xls))
        compare(".ods", ods, args.pairs, lambda: ods_container.inspect_ods(ods, "MCPD"))
        try:
            import xlrd
        except ImportError:
            return
        seconds = timed(lambda: xlrd.open_workbook(str(xls), formatting_info=True))
        print(f"  (xlrd with cell formats, for the .xls: {seconds:.2f} s CPU)")


if __name__ == "__main__":
    main()
