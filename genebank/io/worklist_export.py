"""A worklist as an Excel sheet: the lab's work plan, as filtered and sorted on screen."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from genebank.conservation import worklists
from genebank.conservation.worklists import WorkQuery
from genebank.io import xlsx_writer
from genebank.io.files import write_whole
from genebank.progress import NoProgress, Progress, check

HEADERS = ("Accession", "Taxon", "Lot", "Storage", "Due", "Reason")


def export_worklist(session: Session, query: WorkQuery, path: Path, *,
                    progress: Progress | None = None) -> int:
    """Write every item of the list to ``path`` (.xlsx); returns how many were written."""
    progress = progress or NoProgress()
    worklist = worklists.BY_ID[query.list_id]
    total = worklists.count(session, query)
    headers = HEADERS if worklist.per_lot else HEADERS[:2] + HEADERS[-1:]
    records: list[dict[str, object]] = []
    for item in worklists.all_items(session, query):
        values = {"Accession": item.accenumb, "Taxon": item.taxon, "Lot": item.lot_number,
                  "Storage": item.storage_type,
                  "Due": f"{item.due:%Y-%m-%d}" if item.due else "", "Reason": item.reason}
        records.append({header: values[header] for header in headers})
        if len(records) % 5000 == 0:
            check(progress)
            progress.report(len(records), total, f"Read {len(records):,} of {total:,}")
    if not records:
        records.append(dict.fromkeys(headers, ""))  # the headers, for an empty list
    write_whole(Path(path).with_suffix(".xlsx"), lambda partial: xlsx_writer
                .write_worksheet(records, str(partial), sheet_name=_sheet_name(worklist.title),
                                 freeze_row=1, bold_headers=True,
                                 column_widths={"Reason": 70, "Taxon": 24, "Accession": 16}))
    progress.report(total, total, f"Wrote {total:,} rows")
    return len(records) if total else 0


def _sheet_name(title: str) -> str:
    """Excel refuses sheet names over 31 characters or with any of []:*?/\\."""
    return "".join(" " if c in "[]:*?/\\" else c for c in title).replace("  ", " ")[:31].strip()
