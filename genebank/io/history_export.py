"""Change history as an Excel sheet: one row per changed field (an entry without fields, an
erasure, one row), so that a curator filters by field or person in Excel. The entries come
from :mod:`genebank.history.queries`; this module only writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from genebank.io import xlsx_writer
from genebank.io.files import write_whole

HEADINGS = ("When (UTC)", "User", "OS user", "Workstation", "Operation", "Import",
            "Reference", "Reason", "Record type", "Record", "Table", "Row", "Action", "Field",
            "Old value", "New value")
WIDTHS = {"When (UTC)": 20, "Record": 22, "Field": 14, "Old value": 30, "New value": 30,
          "Reason": 30}


def shown(value: Any) -> Any:
    """A value for a cell: lists as MCPD writes them (joined by ";"), nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def rows_of(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """One dictionary per row of the sheet, by heading."""
    rows = []
    for entry in entries:
        common = (entry.at.strftime("%Y-%m-%d %H:%M:%S"), entry.user_name, entry.os_user,
                  entry.workstation, entry.operation, entry.import_log_id or "",
                  entry.reference, entry.reason, entry.subject_type, entry.subject_key,
                  entry.table_name, entry.row_id, entry.action)
        for change in entry.fields or (None,):
            tail = (("", "", "") if change is None
                    else (change.field, shown(change.old), shown(change.new)))
            rows.append(dict(zip(HEADINGS, (*common, *tail), strict=True)))
    return rows


def write_history(path: Path, entries: Sequence[Any]) -> Path:
    """Write ``entries`` (:class:`~genebank.history.queries.HistoryEntry`) to ``path``."""
    records = rows_of(entries) or [dict.fromkeys(HEADINGS, "")]
    return write_whole(Path(path).with_suffix(".xlsx"), lambda partial: xlsx_writer
                       .write_worksheet(records, str(partial), sheet_name="History",
                                        freeze_row=1, bold_headers=True,
                                        column_widths=WIDTHS))
