"""A worklist as an Excel sheet: the lab's work plan, as filtered and sorted on screen, read
by :func:`genebank.conservation.worklists.worklist_rows`; it prints with its headings and
accession numbers on every page (:mod:`genebank.io.print_layout`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from genebank.io import print_layout, xlsx_writer
from genebank.io.files import write_whole

HEADINGS = ("Accession", "Taxon", "Lot", "Storage", "Due", "Reason")
WIDTHS = {"Reason": 70, "Taxon": 24, "Accession": 16}


def write_worklist(path: Path, *, title: str, headings: Sequence[str],
                   rows: Sequence[Sequence[object]]) -> Path:
    """Write ``rows`` (values in ``headings`` order) under ``headings`` to ``path``
    (.xlsx), the sheet named after the list's ``title``."""
    records = [dict(zip(headings, row, strict=True)) for row in rows]
    if not records:
        records.append(dict.fromkeys(headings, ""))  # the headings, for an empty list
    layout = print_layout.layout_for([WIDTHS.get(h) for h in headings], title_rows=(1, 1),
                                     title_columns=(1, 1))
    return write_whole(Path(path).with_suffix(".xlsx"), lambda partial: xlsx_writer
                       .write_worksheet(records, str(partial), sheet_name=_sheet_name(title),
                                        freeze_row=1, bold_headers=True,
                                        column_widths={h: WIDTHS[h] for h in headings
                                                       if h in WIDTHS},
                                        page_setup=print_layout.page_setup(layout)))


def _sheet_name(title: str) -> str:
    """Excel refuses sheet names over 31 characters or with any of []:*?/\\."""
    return "".join(" " if c in "[]:*?/\\" else c for c in title).replace("  ", " ")[:31].strip()
