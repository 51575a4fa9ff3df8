"""Change history as an Excel sheet: one row per changed field (an entry without fields, an
erasure, one row), so that a curator filters by field or person in Excel. The entries come
from :mod:`genebank.history.queries` (a list, or streamed from the database a page at a
time); this module only writes. Times are date-time cells in this computer's local time,
whose zone the heading names; values are worded as :mod:`genebank.history.wording` says them:
with the labels of their page (:func:`genebank.history.labels.labelled`), an id by the
accession, lot or place it names and a recorded time (``voided_at``) as a local date-time cell,
as When is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from genebank.history import wording
from genebank.history.labels import EntryLabels, recorded_time, reference
from genebank.io import xlsx_writer
from genebank.io.files import write_whole

WHEN = "When"
HEADINGS = (WHEN, "User", "OS user", "Workstation", "Operation", "Import",
            "Reference", "Reason", "Record type", "Record", "Table", "Row", "Action", "Field",
            "Old value", "New value")
WIDTHS = {"Record": 22, "Field": 14, "Old value": 30, "New value": 30, "Reason": 30}


def headings() -> tuple[str, ...]:
    """The sheet's headings: :data:`HEADINGS` with the first saying the time zone
    ("When (Asia/Almaty, UTC+05:00)")."""
    return (f"{WHEN} ({wording.zone_name()})", *HEADINGS[1:])


def shown(value: Any) -> Any:
    """A value for a cell: lists as MCPD writes them (joined by ";"), whole numbers as
    integers (96, not 96.0), nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(wording.plain_number(v)) for v in value)
    return wording.plain_number(value)


def _value(change: Any, value: Any, labels: EntryLabels | None) -> Any:
    label = reference(labels, change.field, value)
    if label is not None:
        return label
    moment = recorded_time(change.field, value)
    if moment is not None:
        return wording.local_time(moment).replace(tzinfo=None)
    return shown(value)


def _cells(entry: Any, change: Any, labels: EntryLabels | None) -> tuple[Any, Any, Any]:
    if change is None:
        return "", "", ""
    if wording.is_erased(entry, change):
        return change.field, wording.ERASED, wording.ERASED
    if entry.table_name == "user_account_role" and change.field == "role":
        return (change.field, "" if change.old is None else wording.role_word(change.old),
                "" if change.new is None else wording.role_word(change.new))
    return change.field, _value(change, change.old, labels), _value(change, change.new, labels)


def rows_of(entries: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """One dictionary per row of the sheet, by heading. ``entries``: history entries, or
    (entry, its page's :class:`~genebank.history.labels.EntryLabels`) pairs."""
    names = headings()
    for item in entries:
        entry, labels = item if isinstance(item, tuple) else (item, None)
        when = wording.local_time(entry.at).replace(tzinfo=None)
        common = (when, wording.who_text(entry), entry.os_user,
                  entry.workstation, entry.operation, entry.import_log_id or "",
                  entry.reference, entry.reason, entry.subject_type, entry.subject_key,
                  entry.table_name, entry.row_id, entry.action)
        for change in wording.shown_fields(entry) or (None,):
            yield dict(zip(names, (*common, *_cells(entry, change, labels)), strict=True))


class Counted:
    """The entries passed on, counted as they go (an export streamed from the database
    says how many it wrote)."""

    def __init__(self, entries: Iterable[Any]) -> None:
        self.entries = entries
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for entry in self.entries:
            self.count += 1
            yield entry


def write_history(path: Path, entries: Iterable[Any], *, replace: bool = True) -> Path:
    """Write ``entries`` (:class:`~genebank.history.queries.HistoryEntry`, or pairs of an
    entry and its labels as :func:`~genebank.history.labels.labelled` gives them) to ``path``
    (with the suffix .xlsx); an existing file only when ``replace``."""
    names = headings()

    def records() -> Iterator[dict[str, Any]]:
        empty = True
        for row in rows_of(entries):
            empty = False
            yield row
        if empty:
            yield dict.fromkeys(names, "")

    widths = {names[0]: 20, **WIDTHS}
    return write_whole(Path(path).with_suffix(".xlsx"), lambda partial: xlsx_writer
                       .write_worksheet(records(), str(partial), sheet_name="History",
                                        freeze_row=1, bold_headers=True,
                                        column_widths=widths,
                                        datetime_format="yyyy-mm-dd hh:mm:ss",
                                        column_formats={"Import": xlsx_writer.number_format("0")}),
                       overwrite=replace)


def target(path: Path) -> Path:
    """The file :func:`write_history` writes for ``path``."""
    return Path(path).with_suffix(".xlsx")
